"""The morning custody review plugged into the rest of the product, from
CustodyConfig.ready(): what it gives the registries (chronology entries, the case-page
section, the custody-number search matcher, the home panel; each a couple of queries
however many events there are), navigation and the periodic purge."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from cases.chronology import ChronologyEntry
from cases.selectors import can_edit
from safeguarding.core.access import AuthenticatedRequest

from ..models import CustodyEvent
from . import row_values, selectors


def _summary(event: CustodyEvent) -> str:
    parts = []
    if event.custody_suite:
        parts.append(f"Custody suite: {event.custody_suite}.")
    if event.offences:
        parts.append(f"Offences: {event.offences}.")
    if event.appropriate_adult_name:
        relationship = f" ({event.appropriate_adult_relationship})" if event.appropriate_adult_relationship else ""
        parts.append(f"Appropriate adult: {event.appropriate_adult_name}{relationship}.")
    if event.operation_name:
        parts.append(f"Operation: {event.operation_name}.")
    return " ".join(parts)


def chronology_custody_events(person, visible_cases, user) -> Iterable[ChronologyEntry]:
    events = CustodyEvent.objects.filter(case__in=visible_cases).select_related("case", "created_by")
    for event in events:
        number = f"custody {event.custody_number}" if event.custody_number else "custody"
        yield ChronologyEntry(
            occurred_at=event.arrested_at,
            type="custody",
            title=f"Arrested and taken into {number}",
            text=_summary(event),
            case=event.case,
            by=event.created_by.full_name,
            url=event.get_absolute_url(),
            tag=event.get_outcome_display() if event.outcome else "",
        )
        if event.released_at:
            to = ", ".join(p for p in (event.released_to, event.released_where) if p)
            yield ChronologyEntry(
                occurred_at=event.released_at,
                type="custody_release",
                title="Released from custody" + (f" to {to}" if to else ""),
                text=(f"Outcome: {event.get_outcome_display()}." if event.outcome else ""),
                case=event.case,
                by=event.created_by.full_name,
                url=event.get_absolute_url(),
            )


def case_section_context(request: AuthenticatedRequest, case) -> dict:
    events = list(CustodyEvent.objects.filter(case=case).order_by("-arrested_at", "-pk"))
    return {"custody_events": events, "can_record_custody": can_edit(request.user) and case.is_open, "case": case}


def match_custody_number(value: str) -> dict[int, str]:
    number = row_values.normalise_custody_number(value or "")
    if not number:
        return {}
    return dict.fromkeys(
        CustodyEvent.objects.filter(custody_number=number).values_list("person_id", flat=True), "Custody number"
    )


def home_panel_context(request: AuthenticatedRequest) -> dict:
    today = selectors.review_today(request.user)
    top = list(selectors.review_queue(request.user)[:5])
    return {"today": today, "top": top, "now": timezone.now()}


def pack_section_context(case, user) -> dict | None:
    """Custody events of the case for a pack that leaves the force (the handover pack):
    when, where, offences and outcome; interview notes and free-text notes stay here."""
    events = list(CustodyEvent.objects.filter(case=case).order_by("arrested_at", "pk"))
    return {"events": events} if events else None


def ready() -> None:
    """Register this area's chronology sources, navigation, home panels and periodic tasks."""
    from cases import chronology, search, sections
    from safeguarding.core import documents, home, navigation, periodic
    from safeguarding.core.home import Panel
    from safeguarding.core.navigation import NavItem

    documents.register_pack_section(
        documents.PackSection(
            key="custody",
            title="Custody events",
            template="custody/pack_section.html",
            context=pack_section_context,
            order=40,
        )
    )
    from ..figures import register_review

    register_review()

    periodic.register(
        name="custody.review_purge",
        task="custody.review.tasks.custody_purge_personal_data",
        every_seconds_setting="CUSTODY_PURGE_INTERVAL_SECONDS",
    )
    periodic.register(
        name="custody.review_escalate",
        task="custody.review.tasks.custody_escalate_undecided",
        every_seconds_setting="CUSTODY_ESCALATE_INTERVAL_SECONDS",
    )
    chronology.register(
        chronology_custody_events,
        types={"custody": "Custody", "custody_release": "Release from custody"},
        order=30,
    )
    sections.register_case_section(
        sections.Section(
            key="custody_events",
            title="Custody events",
            template="custody/review/case_section.html",
            context=case_section_context,
            order=15,
        )
    )
    search.register_matcher(search.Matcher(key="custody_number", label="custody number", match=match_custody_number))
    navigation.register(NavItem("Custody review", "custody:review", ("officer", "supervisor", "force_lead"), order=25))
    home.register(
        Panel(
            key="custody_review_today",
            title="Today's custody review",
            template="custody/review/home_panel.html",
            roles=("officer", "supervisor"),
            context=home_panel_context,
            order=5,
        )
    )
