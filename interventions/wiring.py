"""Interventions plugged into the rest of the product, from InterventionsConfig.ready():
chronology entries, the case page section, the supervisors' approval panel and navigation.
cases never imports this app: it reads these through its registries."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time

from django.db.models import QuerySet
from django.utils import timezone

from cases import chronology
from cases.models import Case, PhilomenaProfile, YoungPerson
from cases.selectors import can_edit
from safeguarding.accounts.models import User
from safeguarding.core.access import AuthenticatedRequest

from .models import CCEPOApplication, CCEPOBreach, CCEPOVariation, CommunityProtection, CPBreach, CPStatus, Handover
from .selectors import cp_awaiting_approval_for, cp_for_case

CP_TYPE = "community_protection"


def _at_noon(day: date) -> datetime:
    """A day recorded without a time, placed on the chronology at midday."""
    return timezone.make_aware(datetime.combine(day, time(12)))


def _cp_entries(notice: CommunityProtection) -> Iterable[chronology.ChronologyEntry]:
    ref, case, url = notice.reference, notice.case, notice.get_absolute_url()
    label = notice.get_kind_display()
    yield chronology.ChronologyEntry(
        occurred_at=notice.created_at,
        type=CP_TYPE,
        title=f"{label} {ref} drafted",
        text=notice.conduct,
        case=case,
        by=notice.created_by.full_name,
        url=url,
    )
    if notice.submitted_at:
        yield chronology.ChronologyEntry(
            occurred_at=notice.submitted_at,
            type=CP_TYPE,
            title=f"{ref} sent for supervisor approval",
            case=case,
            url=url,
        )
    if notice.decided_at and notice.decided_by:
        approved = notice.status not in (CPStatus.DRAFT, CPStatus.AWAITING_APPROVAL)
        yield chronology.ChronologyEntry(
            occurred_at=notice.decided_at,
            type=CP_TYPE,
            title=f"{ref} {'approved for issue' if approved else 'returned for changes'}",
            text=notice.decision_note,
            case=case,
            by=notice.decided_by.full_name,
            url=url,
        )
    if notice.issued_on and notice.issued_by:
        yield chronology.ChronologyEntry(
            occurred_at=_at_noon(notice.issued_on),
            type=CP_TYPE,
            title=f"{label} {ref} issued",
            case=case,
            by=notice.issued_by.full_name,
            url=url,
        )
    if notice.served_on and notice.served_by:
        yield chronology.ChronologyEntry(
            occurred_at=_at_noon(notice.served_on),
            type=CP_TYPE,
            title=f"{label} {ref} served",
            text=notice.get_served_how_display(),
            case=case,
            by=notice.served_by.full_name,
            url=url,
        )


def chronology_community_protection(
    person: YoungPerson, visible_cases: QuerySet[Case], user: User
) -> Iterable[chronology.ChronologyEntry]:
    notices = CommunityProtection.objects.filter(case__in=visible_cases).select_related(
        "case", "created_by", "decided_by", "issued_by", "served_by"
    )
    for notice in notices:
        yield from _cp_entries(notice)
    breaches = CPBreach.objects.filter(notice__case__in=visible_cases).select_related(
        "notice", "notice__case", "recorded_by"
    )
    for breach in breaches:
        yield chronology.ChronologyEntry(
            occurred_at=breach.occurred_at,
            type=CP_TYPE,
            title=f"Breach of {breach.notice.reference} at {breach.location}",
            text=f"Reported by {breach.reported_by}. {breach.get_action_display()}. {breach.action_detail}".strip(),
            case=breach.notice.case,
            by=breach.recorded_by.full_name,
            url=breach.notice.get_absolute_url(),
            tag="Breach",
        )


CCEPO_TYPE = "ccepo"


def chronology_ccepo(
    person: YoungPerson, visible_cases: QuerySet[Case], user: User
) -> Iterable[chronology.ChronologyEntry]:
    """Applications on the person's cases (as the exploited child's own case or as a victim)."""
    applications = (
        CCEPOApplication.objects.filter(case__in=visible_cases)
        .select_related("case", "respondent", "created_by")
        .order_by("pk")
    )
    for app in applications:
        url, ref = app.get_absolute_url(), app.reference
        yield chronology.ChronologyEntry(
            occurred_at=app.created_at,
            type=CCEPO_TYPE,
            title=f"CCE Prevention Order {ref} applied for against {app.respondent.name}",
            text=app.get_route_display(),
            case=app.case,
            by=app.created_by.full_name,
            url=url,
        )
        if app.made_on:
            yield chronology.ChronologyEntry(
                occurred_at=_at_noon(app.made_on),
                type=CCEPO_TYPE,
                title=f"{ref}: {app.get_order_type_display().lower()} made at {app.court}",
                case=app.case,
                url=url,
            )
    for variation in CCEPOVariation.objects.filter(application__case__in=visible_cases).select_related(
        "application", "application__case"
    ):
        yield chronology.ChronologyEntry(
            occurred_at=_at_noon(variation.varied_on),
            type=CCEPO_TYPE,
            title=f"{variation.application.reference} varied at {variation.court}",
            text=variation.change,
            case=variation.application.case,
            url=variation.application.get_absolute_url(),
        )
    for breach in CCEPOBreach.objects.filter(application__case__in=visible_cases).select_related(
        "application", "application__case", "recorded_by"
    ):
        yield chronology.ChronologyEntry(
            occurred_at=breach.occurred_at,
            type=CCEPO_TYPE,
            title=f"Breach of {breach.application.reference}",
            text=breach.description,
            case=breach.application.case,
            by=breach.recorded_by.full_name,
            url=breach.application.get_absolute_url(),
            tag="Offence",
        )


def case_section_context(request: AuthenticatedRequest, case: Case) -> dict | None:
    notices = cp_for_case(case)
    return {
        "case": case,
        "rows": [{"notice": n, "clock": n.appeal_clock()} for n in notices],
        "has_served_warning": any(n.is_served and not n.is_notice for n in notices),
        "handovers": list(Handover.objects.filter(case=case).order_by("-handover_at", "-pk")),
        "ccepos": list(CCEPOApplication.objects.filter(case=case).select_related("respondent").order_by("-pk")),
        "can_edit": can_edit(request.user),
    }


def home_panel_approvals(request: AuthenticatedRequest) -> dict:
    waiting = cp_awaiting_approval_for(request.user)
    return {"waiting": waiting, "shown": {"interventions.communityprotection": [n.pk for n in waiting]}}


# Chronology types a pack that leaves the force may carry (an allow-list: a new kind of
# entry, restricted or not, stays out until someone decides it may go).
PACK_CHRONOLOGY_TYPES = {"case", "missing", "voice", "custody", "checklist", CP_TYPE, CCEPO_TYPE}
PACK_CHRONOLOGY_EXCLUDED_MANUAL = {"entry_intelligence"}


def pack_person(case: Case, user: User) -> dict:
    person = case.person
    profile = PhilomenaProfile.objects.filter(person=person).first()
    return {
        "person": person,
        "aliases": [a.name for a in person.aliases.all()],
        "description": profile.physical_description if profile else "",
    }


def pack_risks(case: Case, user: User) -> dict:
    person = case.person
    return {
        "case": case,
        "exploitation": case.get_exploitation_types_display(),
        "markers": person.get_warning_markers_display(),
        "vulnerabilities": person.get_vulnerabilities_display(),
    }


def pack_chronology(case: Case, user: User) -> dict:
    entries = [
        entry
        for entry in chronology.chronology_for(person=case.person, user=user).entries
        if entry.case is not None
        and entry.case.pk == case.pk
        and (
            entry.type in PACK_CHRONOLOGY_TYPES
            or (entry.type.startswith("entry_") and entry.type not in PACK_CHRONOLOGY_EXCLUDED_MANUAL)
        )
    ]
    return {"entries": entries}


def pack_community_protection(case: Case, user: User) -> dict | None:
    notices = list(
        CommunityProtection.objects.filter(case=case, status=CPStatus.SERVED)
        .prefetch_related("conditions")
        .order_by("served_on", "pk")
    )
    return {"notices": notices} if notices else None


def open_interventions_blocking_closure(case: Case) -> list[str]:
    """What stops the case being closed, as sentences for the closure page: a warning or
    notice still being drafted or waiting for approval, or approved but never issued or
    served. Served ones are a matter of record and do not block."""
    blocking = []
    for notice in (
        CommunityProtection.objects.filter(case=case)
        .exclude(status__in=[CPStatus.SERVED, CPStatus.WITHDRAWN])
        .order_by("pk")
    ):
        blocking.append(
            f"{notice.get_kind_display()} {notice.reference} is {notice.get_status_display().lower()}: "
            "serve it or withdraw it before closing the case"
        )
    return blocking


def ready() -> None:
    from cases import closure, sections
    from safeguarding.core import documents, home, navigation
    from safeguarding.core.home import Panel
    from safeguarding.core.navigation import NavItem

    chronology.register(
        chronology_community_protection,
        types={CP_TYPE: "Community protection warnings and notices"},
        order=70,
    )
    for key, title, template, context, order in (
        ("person", "The young person", "interventions/pack/person.html", pack_person, 10),
        ("risks", "Risks", "interventions/pack/risks.html", pack_risks, 20),
        ("chronology", "Chronology", "interventions/pack/chronology.html", pack_chronology, 30),
        (
            "community_protection",
            "Community protection warnings and notices in force",
            "interventions/pack/community_protection.html",
            pack_community_protection,
            50,
        ),
    ):
        documents.register_pack_section(
            documents.PackSection(key=key, title=title, template=template, context=context, order=order)
        )
    closure.register_blocker(open_interventions_blocking_closure)
    from . import figures

    figures.register()
    chronology.register(chronology_ccepo, types={CCEPO_TYPE: "CCE Prevention Orders"}, order=72)
    sections.register_case_section(
        sections.Section(
            key="community_protection",
            title="Warnings, notices and prevention orders",
            template="interventions/case_section.html",
            context=case_section_context,
            order=45,
        )
    )
    home.register(
        Panel(
            key="cp_approvals",
            title="Warnings and notices awaiting your approval",
            template="interventions/home_panel_approvals.html",
            roles=(User.Role.SUPERVISOR,),
            context=home_panel_approvals,
            order=25,
        )
    )
    # Not "Approvals": that is the cases app's queue (closures, reclassifications); two links of one name
    # going to two pages fail WCAG 2.4.4 (link purpose).
    navigation.register(NavItem("Warning approvals", "interventions:cp_approvals", (User.Role.SUPERVISOR,), order=40))
    navigation.register(
        NavItem("Prevention orders", "interventions:ccepo_register", User.Role.case_readers(), order=45)
    )
