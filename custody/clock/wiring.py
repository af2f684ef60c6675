"""The 48-hour clock plugged into the rest of the product, from CustodyConfig.ready():
what it gives the registries (the case-page section, chronology entries, home
panels), navigation, the beat sweep, and the signals its items follow."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any, cast

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from cases import chronology
from cases.models import Case, YoungPerson
from cases.selectors import can_edit
from custody.models import Checklist, ChecklistItem, ItemStatus, ReturnInterview, ReturnInterviewStatus
from safeguarding.accounts.models import User
from safeguarding.core.access import AuthenticatedRequest

from .selectors import case_clock, case_interviews, home_items_for


def home_panel_officer(request: AuthenticatedRequest) -> dict[str, Any]:
    return {"board": home_items_for(request.user, now=timezone.now()), "show_owner": False}


def home_panel_supervisor(request: AuthenticatedRequest) -> dict[str, Any]:
    return {"board": home_items_for(request.user, now=timezone.now()), "show_owner": True}


def case_section_context(request: AuthenticatedRequest, case: Case) -> dict[str, Any] | None:
    context = case_clock(case)
    if not context["checklists"] and not context["waiting"]:
        return None
    # The most urgent thing on the case: right after the summary while a clock runs or
    # waits for a release; with the other records once every checklist has ended.
    placement = "after_summary" if context["running"] or context["waiting"] else "main"
    return {**context, "can_edit": can_edit(request.user), "placement": placement}


def interviews_section_context(request: AuthenticatedRequest, case: Case) -> dict[str, Any] | None:
    interviews = case_interviews(case)
    if not interviews:
        return None
    # An interview still to do is urgent: right after the summary, like a running checklist.
    placement = "after_summary" if any(i.is_pending for i in interviews) else "main"
    return {"interviews": interviews, "due_hours": settings.RETURN_INTERVIEW_DUE_HOURS, "placement": placement}


def closure_blocker(case: Case) -> list[str]:
    """A case does not close while its 48-hour checklist or a return home interview is open."""
    messages = []
    open_items = ChecklistItem.objects.pending().on_running_checklists().filter(checklist__case=case).count()
    if open_items:
        messages.append(
            f"{open_items} item{'s' if open_items != 1 else ''} of the 48-hour checklist "
            f"{'are' if open_items != 1 else 'is'} still open"
        )
    if ReturnInterview.objects.pending().filter(case=case).exists():
        messages.append("a return home interview is still to be recorded")
    return messages


def chronology_interview_entries(
    person: YoungPerson, visible_cases: QuerySet[Case], user: User
) -> Iterator[chronology.ChronologyEntry]:
    """Return home interviews held: one query."""
    done = ReturnInterview.objects.filter(case__in=visible_cases, status=ReturnInterviewStatus.DONE).select_related(
        "case", "recorded_by"
    )
    for interview in done:
        conducted_at = cast(datetime, interview.conducted_at)  # a done interview has one (check constraint)
        yield chronology.ChronologyEntry(
            occurred_at=conducted_at,
            type="return_interview",
            title=f"Return home interview held by {interview.conducted_by}",
            text=interview.summary,
            case=interview.case,
            by=interview.recorded_by.full_name if interview.recorded_by else "",
            url=reverse("custody:return_interview", args=[interview.pk]),
            tag="Late" if interview.was_late else "",
        )


def chronology_checklist_entries(
    person: YoungPerson, visible_cases: QuerySet[Case], user: User
) -> Iterator[chronology.ChronologyEntry]:
    """Done items, clock starts: one query each."""
    checklists = Checklist.objects.filter(case__in=visible_cases).select_related("case", "template")
    for checklist in checklists:
        yield chronology.ChronologyEntry(
            occurred_at=checklist.started_at,
            type="checklist",
            title="48-hour safeguarding clock started",
            text=f"From {checklist.get_start_basis_display().lower()} (checklist version {checklist.template.version}).",
            case=checklist.case,
            url=checklist.get_absolute_url(),
        )
    done = (
        ChecklistItem.objects.filter(checklist__case__in=visible_cases, status=ItemStatus.DONE)
        .select_related("checklist", "checklist__case", "resolved_by")
        .order_by("resolved_at")
    )
    for item in done:
        resolved_at = cast(datetime, item.resolved_at)  # a done item has one (check constraint)
        yield chronology.ChronologyEntry(
            occurred_at=resolved_at,
            type="checklist",
            title=f"Checklist: {item.title}",
            text=item.note,
            case=item.checklist.case,
            by=item.resolved_by.full_name if item.resolved_by else "",
            url=item.checklist.get_absolute_url(),
            tag="Late" if resolved_at > item.due_at else "",
        )


def items_fulfilled_elsewhere(
    *, actor: User, case: Case, code: str, note: str, at: datetime | None, **kwargs: Any
) -> list[ChecklistItem]:
    from .services import items_complete_by_code

    return items_complete_by_code(actor=actor, case=case, code=code, note=note, at=at)


def ready() -> None:
    """Register this area's chronology sources, navigation, home panels and periodic tasks."""
    from cases import chronology, closure, sections
    from cases.signals import (
        case_reassigned,
        missing_episode_returned,
        person_merged,
        person_updated,
        record_fulfils_checklist_item,
    )
    from safeguarding.core import home, navigation, periodic
    from safeguarding.core.home import Panel
    from safeguarding.core.navigation import NavItem

    from ..figures import register_clock
    from . import services

    register_clock()
    from safeguarding.notifications import kinds

    kinds.register(
        kinds.EmailKind(
            key="checklist_reminder",
            label="48-hour checklist reminders",
            hint="Before a checklist item you own is due.",
            roles=("officer", "supervisor"),
            order=10,
        )
    )
    kinds.register(
        kinds.EmailKind(
            key="checklist_escalation",
            label="48-hour checklist escalations",
            hint="When a checklist item in your teams is overdue.",
            roles=("supervisor",),
            order=20,
        )
    )
    periodic.register(
        name="custody.checklist_sweep",
        task="custody.clock.tasks.checklist_sweep",
        every_seconds_setting="CHECKLIST_SWEEP_SECONDS",
    )
    chronology.register(chronology_checklist_entries, types={"checklist": "48-hour checklist"}, order=35)
    chronology.register(chronology_interview_entries, types={"return_interview": "Return home interviews"}, order=36)
    sections.register_case_section(
        sections.Section(
            key="clock",
            title="48-hour safeguarding clock",
            template="custody/clock/case_section.html",
            context=case_section_context,
            order=20,
        )
    )
    sections.register_case_section(
        sections.Section(
            key="return_interviews",
            title="Return home interviews",
            template="custody/clock/interviews_section.html",
            context=interviews_section_context,
            order=21,
        )
    )
    closure.register_blocker(closure_blocker)
    navigation.register(NavItem("Clocks", "custody:clocks", ("officer", "supervisor", "force_lead"), order=30))
    home.register(
        Panel(
            key="clock_mine",
            title="Your 48-hour checklist items",
            template="custody/clock/home_panel.html",
            roles=("officer",),
            context=home_panel_officer,
            order=20,
        )
    )
    home.register(
        Panel(
            key="clock_teams",
            title="48-hour clocks in your teams",
            template="custody/clock/home_panel.html",
            roles=("supervisor",),
            context=home_panel_supervisor,
            order=20,
        )
    )
    case_reassigned.connect(services.items_follow_case_owner, dispatch_uid="custody.clock.items_follow_case_owner")
    case_reassigned.connect(
        services.interviews_follow_case_owner, dispatch_uid="custody.clock.interviews_follow_case_owner"
    )
    missing_episode_returned.connect(
        services.interview_follow_return, dispatch_uid="custody.clock.interview_follow_return"
    )
    # A referral sent or an NRM made elsewhere ticks the checklist step it fulfils.
    record_fulfils_checklist_item.connect(
        items_fulfilled_elsewhere, dispatch_uid="custody.clock.items_fulfilled_elsewhere"
    )
    # Items that depend on the person (looked-after; out of area) follow an edit or a merge.
    person_updated.connect(
        services.conditional_items_follow_person, dispatch_uid="custody.clock.conditional_items_follow_person"
    )
    person_merged.connect(
        services.conditional_items_follow_person, dispatch_uid="custody.clock.conditional_items_follow_person_merged"
    )
