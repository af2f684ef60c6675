"""Reads of the 48-hour clock, always scoped through cases.selectors.cases_visible_to."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from cases.models import Case
from cases.selectors import case_scope, teams_of
from custody.models import (
    Checklist,
    ChecklistItem,
    CustodyEvent,
    ReturnInterview,
    ReturnInterviewStatus,
)
from custody.models.clock import ChecklistItemQuerySet
from custody.models.deadlines import due_soon_q, later_q, overdue_q
from custody.models.return_interview import ReturnInterviewQuerySet
from safeguarding.accounts.models import Team, User
from safeguarding.core.access import AuthenticatedRequest, get_for_user_or_404
from safeguarding.core.db import AnyOf  # noqa: F401  # registers the any_of lookup used here
from safeguarding.core.time import as_utc


def checklists_visible_to(user: User) -> QuerySet[Checklist]:
    return Checklist.objects.filter(case_scope(user, "case__"))


def items_visible_to(user: User) -> ChecklistItemQuerySet:
    return ChecklistItem.objects.filter(case_scope(user, "checklist__case__"))


def checklist_get_for_user_or_404(*, request: AuthenticatedRequest, pk: int | str) -> Checklist:
    visible = checklists_visible_to(request.user).select_related(
        "case", "case__person", "case__team", "case__owner", "template", "custody_event", "superseded_by"
    )
    return get_for_user_or_404(request=request, visible=visible, pk=pk)


def item_get_for_user_or_404(*, request: AuthenticatedRequest, pk: int | str) -> ChecklistItem:
    visible = items_visible_to(request.user).select_related(
        "checklist", "checklist__case", "checklist__case__team", "owner", "resolved_by"
    )
    return get_for_user_or_404(request=request, visible=visible, pk=pk)


def checklist_items(checklist: Checklist) -> list[ChecklistItem]:
    return list(
        checklist.items.select_related("owner", "resolved_by", "template_item", "compliance").order_by("position")
    )


def can_reassign(user: User, checklist: Checklist) -> bool:
    return user.role == User.Role.SUPERVISOR and teams_of(user).filter(pk=checklist.case.team_id).exists()


# ---------------------------------------------------------------------------
# Countdown and grouping
# ---------------------------------------------------------------------------


def due_soon_window() -> timedelta:
    return timedelta(hours=settings.CHECKLIST_DUE_SOON_HOURS)


def countdown_text(due_at: datetime, now: datetime) -> str:
    """ "2 h 05 min left", "overdue by 35 min": what the page shows without JavaScript."""
    delta = as_utc(due_at) - as_utc(now)
    overdue = delta.total_seconds() < 0
    minutes = int(abs(delta.total_seconds()) // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        text = f"{days} d {hours} h"
    elif hours:
        text = f"{hours} h {mins:02d} min"
    else:
        text = f"{mins} min"
    return f"overdue by {text}" if overdue else f"{text} left"


def annotate_item(item: ChecklistItem, now: datetime) -> ChecklistItem:
    """Display attributes: overdue / due soon, the countdown text."""
    now = as_utc(now)
    item.overdue = item.is_overdue(now)
    item.due_soon = item.is_due_soon(now, due_soon_window())
    item.countdown = countdown_text(item.due_at, now) if item.is_pending else ""
    return item


@dataclass
class ClockBoard:
    overdue: list[ChecklistItem]
    due_soon: list[ChecklistItem]
    later: list[ChecklistItem]
    now: datetime
    # Items beyond those listed (the home panel shows the most urgent few).
    more: int = 0

    @property
    def total(self) -> int:
        return len(self.overdue) + len(self.due_soon) + len(self.later)


def _board(items: Iterable[ChecklistItem], now: datetime) -> ClockBoard:
    overdue: list[ChecklistItem] = []
    due_soon: list[ChecklistItem] = []
    later: list[ChecklistItem] = []
    for item in items:
        annotate_item(item, now)
        (overdue if item.overdue else due_soon if item.due_soon else later).append(item)
    return ClockBoard(overdue=overdue, due_soon=due_soon, later=later, now=now)


def clock_teams_for(user: User) -> QuerySet[Team]:
    """Teams whose clocks the user may pick: their own (officer), supervised (supervisor), all (force lead)."""
    if user.role == User.Role.FORCE_LEAD:
        return Team.objects.filter(agency_id=user.agency_id).order_by("name")
    return teams_of(user).order_by("name")


# Rows in the clocks home panel.
HOME_PANEL_ROWS = 20
# Rows on one page of the clocks page: a force lead's "all teams" is thousands of items.
CLOCKS_PER_PAGE = 50


@dataclass
class ClockCounts:
    overdue: int
    due_soon: int
    later: int

    @property
    def total(self) -> int:
        return self.overdue + self.due_soon + self.later


@dataclass
class ClockPage:
    """One page of the clocks page: its items split by urgency (the order is by due time,
    so each group is a run of the page), the page for the pagination, the whole counts."""

    board: ClockBoard
    page: Page[ChecklistItem]
    counts: ClockCounts


def running_checklists_of(user: User, teams: QuerySet[Team]) -> list[int]:
    """Ids of the running checklists of ``teams``' cases that ``user`` may see: the running
    ones first (checklist_running_case_idx, hundreds at force scale), then the scope and the
    teams asked of their cases by key."""
    running_cases = dict(Checklist.objects.running().values_list("pk", "case_id"))
    in_scope = set(
        Case.objects.filter(case_scope(user), pk__any_of=set(running_cases.values()), team__in=teams.values("pk"))
        .order_by()
        .values_list("pk", flat=True)
    )
    return [pk for pk, case_id in running_cases.items() if case_id in in_scope]


def _with_rows(items: QuerySet[ChecklistItem], ids: QuerySet[Any]) -> list[ChecklistItem]:
    """The items chosen by ``ids`` (a sliced, ordered ``values_list("pk")`` of ``items``) with
    what the tables show, in one query: the ids are chosen in a subquery off the due-time
    index, and only those rows are joined to their case, person, team and owner (joined
    before the LIMIT, PostgreSQL joined every open item of the teams first)."""
    return list(items.filter(pk__in=ids))


def team_clock_items(user: User, *, team: Team | None = None) -> QuerySet[ChecklistItem]:
    """Open items of running checklists in the user's teams (or one of them), earliest due
    first; the pk breaks ties, so a page boundary never moves between requests.

    Open items belong to running checklists only (supersede, stop and completion resolve
    them all). The few running checklists (running_checklists_of) are found first, and the
    items are then read in due order off checkitem_open_due_idx (partial: pending items)
    against their ids. As a join or a subquery the planner misjudged how many open items a
    running checklist has (they are correlated), looked up the case of every open item in
    the force and sorted them all: 60-80 ms at 100,000 young people against a few here."""
    teams = clock_teams_for(user)
    if team is not None:
        teams = teams.filter(pk=team.pk)
    running = running_checklists_of(user, teams)
    return (
        ChecklistItem.objects.pending()
        .filter(checklist_id__any_of=running)
        .select_related("checklist", "checklist__case", "checklist__case__person", "checklist__case__team", "owner")
        .order_by("due_at", "checklist_id", "position", "pk")
    )


def clock_counts(items: QuerySet[ChecklistItem], now: datetime) -> ClockCounts:
    """Overdue, due soon and later in one aggregate (the same bounds as annotate_item)."""
    now = as_utc(now)
    window = due_soon_window()
    counts = items.order_by().aggregate(
        overdue=Count("pk", filter=overdue_q(now)),
        due_soon=Count("pk", filter=due_soon_q(now, window)),
        later=Count("pk", filter=later_q(now, window)),
    )
    return ClockCounts(**counts)


def team_clock_page(
    user: User, *, team: Team | None = None, page_number: int | str | None = 1, now: datetime | None = None
) -> ClockPage:
    now = now or timezone.now()
    items = team_clock_items(user, team=team)
    counts = clock_counts(items, now)
    # The page's ids first (off the index, in due order), then those 50 rows with their case,
    # person, team and owner: joined before the limit, every open item of the teams was.
    paginator = Paginator(items.values_list("pk", flat=True), CLOCKS_PER_PAGE)
    # The aggregate above has counted the same items: the paginator need not count again.
    paginator.count = counts.total
    ids = paginator.get_page(page_number)
    rows = _with_rows(items, cast("QuerySet[Any]", ids.object_list))
    page = Page(rows, ids.number, cast("Paginator[ChecklistItem]", paginator))
    return ClockPage(board=_board(rows, now), page=page, counts=counts)


def home_items_for(user: User, *, now: datetime) -> ClockBoard:
    now = as_utc(now)
    if user.role == User.Role.OFFICER:
        # checkitem_owner_open_idx: the officer's own open items.
        items = items_visible_to(user).pending().filter(owner=user)
    else:
        items = ChecklistItem.objects.pending().filter(checklist_id__any_of=running_checklists_of(user, teams_of(user)))
    # Overdue or due soon.
    items = items.due_by(now + due_soon_window()).order_by("due_at", "position", "pk")
    # The most urgent few: overdue items pile up across a supervisor's teams, and the
    # clocks page (paginated) lists them all.
    ids = items.values_list("pk", flat=True)[:HOME_PANEL_ROWS]
    shown = _with_rows(items.select_related("checklist", "checklist__case", "checklist__case__team", "owner"), ids)
    board = _board(shown, now)
    board.more = items.count() - board.total
    return board


# ---------------------------------------------------------------------------
# The case page
# ---------------------------------------------------------------------------


def events_waiting_for_release(case: Case) -> QuerySet[CustodyEvent]:
    """Custody events on the case with no release yet and no checklist: "clock not started"."""
    return CustodyEvent.objects.filter(case=case, released_at__isnull=True).order_by("-arrested_at")


def case_clock(case: Case, *, now: datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    checklists = list(
        Checklist.objects.filter(case=case)
        .select_related("template", "custody_event")
        .prefetch_related(Prefetch("items", queryset=ChecklistItem.objects.select_related("owner", "resolved_by")))
        .order_by("-started_at", "-pk")
    )
    running = next((c for c in checklists if c.is_running), None)
    if running is not None:
        for item in running.items.all():
            annotate_item(item, now)
    waiting = events_waiting_for_release(case)
    if running is not None:
        # Re-arrested while a checklist runs: the new detention has no clock until its release.
        waiting = waiting.filter(arrested_at__gt=running.started_at)
    return {"checklists": checklists, "running": running, "waiting": list(waiting), "now": now}


# ---------------------------------------------------------------------------
# Return home interviews (the same clock: the same countdowns, the same pages)
# ---------------------------------------------------------------------------


def interviews_visible_to(user: User) -> ReturnInterviewQuerySet:
    return ReturnInterview.objects.filter(case_scope(user, "case__"))


def interview_get_for_user_or_404(*, request: AuthenticatedRequest, pk: int | str) -> ReturnInterview:
    visible = interviews_visible_to(request.user).select_related(
        "case", "case__person", "case__team", "case__owner", "episode", "owner", "recorded_by"
    )
    return get_for_user_or_404(request=request, visible=visible, pk=pk)


def annotate_interview(interview: ReturnInterview, now: datetime) -> ReturnInterview:
    now = as_utc(now)
    interview.overdue = interview.is_overdue(now)
    interview.due_soon = interview.is_due_soon(now, due_soon_window())
    interview.countdown = countdown_text(interview.due_at, now) if interview.is_pending else ""
    return interview


def team_open_interviews(user: User, *, team: Team | None = None, now: datetime | None = None) -> list[ReturnInterview]:
    """Pending interviews in the user's teams (or one of them), earliest due first
    (rhi_open_due_idx). Few at any time: one per return, done within days."""
    now = now or timezone.now()
    teams = clock_teams_for(user)
    if team is not None:
        teams = teams.filter(pk=team.pk)
    interviews = (
        interviews_visible_to(user)
        .pending()
        .filter(case__team__in=teams.values("pk"))
        .select_related("case", "case__person", "case__team", "owner")
        .order_by("due_at", "pk")
    )
    return [annotate_interview(i, now) for i in interviews]


def case_interviews(case: Case, *, now: datetime | None = None) -> list[ReturnInterview]:
    now = now or timezone.now()
    interviews = (
        ReturnInterview.objects.filter(case=case)
        .exclude(status=ReturnInterviewStatus.CANCELLED)
        .select_related("episode", "owner", "recorded_by")
        .order_by("-returned_at", "-pk")
    )
    return [annotate_interview(i, now) for i in interviews]
