"""Interventions plugged into the rest of the product, from InterventionsConfig.ready():
chronology entries, the case page section, the supervisors' approval panel and navigation.
cases never imports this app: it reads these through its registries."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time

from django.db.models import QuerySet
from django.utils import timezone

from cases import chronology
from cases.models import Case, YoungPerson
from cases.selectors import can_edit
from safeguarding.accounts.models import User
from safeguarding.core.access import AuthenticatedRequest

from .models import CommunityProtection, CPBreach, CPStatus
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


def case_section_context(request: AuthenticatedRequest, case: Case) -> dict | None:
    notices = cp_for_case(case)
    return {
        "case": case,
        "rows": [{"notice": n, "clock": n.appeal_clock()} for n in notices],
        "has_served_warning": any(n.is_served and not n.is_notice for n in notices),
        "can_edit": can_edit(request.user),
    }


def home_panel_approvals(request: AuthenticatedRequest) -> dict:
    waiting = cp_awaiting_approval_for(request.user)
    return {"waiting": waiting, "shown": {"interventions.communityprotection": [n.pk for n in waiting]}}


def open_interventions_blocking_closure(case: Case) -> list[str]:
    """What stops the case being closed, as sentences for the closure page: a warning or
    notice still being drafted or waiting for approval, or approved but never issued or
    served. Served ones are a matter of record and do not block."""
    blocking = []
    for notice in case.community_protections.exclude(status__in=[CPStatus.SERVED, CPStatus.WITHDRAWN]).order_by("pk"):
        blocking.append(
            f"{notice.get_kind_display()} {notice.reference} is {notice.get_status_display().lower()}: "
            "serve it or withdraw it before closing the case"
        )
    return blocking


def ready() -> None:
    from cases import sections
    from safeguarding.core import home, navigation
    from safeguarding.core.home import Panel
    from safeguarding.core.navigation import NavItem

    chronology.register(
        chronology_community_protection,
        types={CP_TYPE: "Community protection warnings and notices"},
        order=70,
    )
    sections.register_case_section(
        sections.Section(
            key="community_protection",
            title="Community protection warnings and notices",
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
    navigation.register(NavItem("Approvals", "interventions:cp_approvals", (User.Role.SUPERVISOR,), order=40))
