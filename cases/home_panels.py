"""Home-page panels: officers see their cases and tasks (overdue ones stand out);
supervisors their teams' cases, closures to approve and break-glass accesses to review."""

from __future__ import annotations

from django.db.models import Count
from django.utils import timezone

from safeguarding.accounts.models import User
from safeguarding.core.access import AuthenticatedRequest

from .models import CaseStatus
from .selectors import (
    break_glass_to_review,
    case_list_for,
    cases_owned_by,
    closures_awaiting_approval,
    reclassifications_awaiting_approval,
    tasks_open_for,
    teams_of,
)

PANEL_ROWS = 10


def my_cases(request: AuthenticatedRequest) -> dict:
    cases = cases_owned_by(request.user)
    shown = list(cases[:PANEL_ROWS])
    return {"cases": shown, "total": cases.count(), "shown": {"cases.case": [c.pk for c in shown]}}


def my_tasks(request: AuthenticatedRequest) -> dict:
    now = timezone.now()
    tasks = tasks_open_for(request.user)
    overdue = list(tasks.filter(due_at__lt=now)[:PANEL_ROWS])
    upcoming = list(tasks.filter(due_at__gte=now)[:PANEL_ROWS])
    return {
        "overdue": overdue,
        "upcoming": upcoming,
        "overdue_total": tasks.filter(due_at__lt=now).count(),
        "shown": {"cases.task": [t.pk for t in overdue + upcoming]},
    }


def team_cases(request: AuthenticatedRequest) -> dict:
    cases = case_list_for(request.user, open_only=True)
    if request.user.role == User.Role.SUPERVISOR:
        # The teams' own cases (a record opened through break glass is not a team case):
        # said outright, PostgreSQL counts them off case_team_status_idx instead of
        # testing the scope on every open case in the force.
        cases = cases.filter(team__in=teams_of(request.user).values("pk"))
    # COUNT(*), not COUNT(id): read off case_open_status_team_idx without the table.
    counts = dict(cases.order_by().values_list("status").annotate(n=Count("*")))
    awaiting = list(cases.filter(status=CaseStatus.AWAITING_CLOSURE_APPROVAL)[:PANEL_ROWS])
    high_risk = list(cases.filter(risk_level="high")[:PANEL_ROWS])
    return {
        "counts": [(CaseStatus(s).label, counts.get(s, 0), s) for s in CaseStatus.open_values()],
        "awaiting": awaiting,
        "high_risk": high_risk,
        "shown": {"cases.case": [c.pk for c in awaiting + high_risk]},
    }


def approvals(request: AuthenticatedRequest) -> dict:
    return {
        "waiting": closures_awaiting_approval(request.user).count()
        + reclassifications_awaiting_approval(request.user).count()
    }


def break_glass(request: AuthenticatedRequest) -> dict:
    return {"to_review": break_glass_to_review(request.user).filter(reviewed_at__isnull=True).count()}


def force_cases(request: AuthenticatedRequest) -> dict:
    return team_cases(request)
