"""What a dashboard viewer may filter by, and the Filters the figure providers receive.

A supervisor's figures cover their teams only (never a case reached through break glass:
the team filter is always applied); the force lead's the whole force or one team."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.http import QueryDict
from django.utils import timezone

from cases.selectors import teams_for_filter
from safeguarding.accounts.models import Team, User
from safeguarding.core import figures

from .forms import DashboardFilterForm


def london_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(figures.LONDON))


def default_range(today: date) -> tuple[date, date]:
    """The last twelve calendar months, this one included."""
    year, month = today.year, today.month - 11
    if month < 1:
        year, month = year - 1, month + 12
    return date(year, month, 1), today


def filter_choices(user: User) -> tuple[list[Team], list[User]]:
    teams = list(teams_for_filter(user))
    officers = list(
        User.objects.filter(role=User.Role.OFFICER, team__in=[t.pk for t in teams]).order_by("full_name", "pk")
    )
    return teams, officers


@dataclass
class DashboardRequest:
    form: DashboardFilterForm
    filters: figures.Filters | None  # None when the form has errors
    teams: list[Team]


def dashboard_filters(user: User, data: QueryDict, *, now: datetime | None = None) -> DashboardRequest:
    now = now or timezone.now()
    teams, officers = filter_choices(user)
    start, end = default_range(figures.local_date(now))
    wanted = data.copy()
    for name, day in (("date_from", start), ("date_to", end)):
        if not any(wanted.get(f"{name}_{n}") for n in range(3)):
            wanted[f"{name}_0"], wanted[f"{name}_1"], wanted[f"{name}_2"] = str(day.day), str(day.month), str(day.year)
    form = DashboardFilterForm(wanted, teams=teams, officers=officers)
    if not form.is_valid():
        return DashboardRequest(form=form, filters=None, teams=teams)
    team_id = form.cleaned_data["team"]
    if team_id is not None:
        team_ids: tuple[int, ...] | None = (team_id,)
    elif user.role == User.Role.FORCE_LEAD:
        team_ids = None
    else:
        team_ids = tuple(t.pk for t in teams)
    date_from, date_to = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    filters = figures.Filters(
        user=user,
        team_ids=team_ids,
        officer_id=form.cleaned_data["officer"],
        date_from=date_from,
        date_to=date_to,
        start=london_midnight(date_from),
        end=london_midnight(date_to + timedelta(days=1)),
        now=now,
    )
    return DashboardRequest(form=form, filters=filters, teams=teams)


def filters_described(f: figures.Filters) -> dict[str, object]:
    """The filters as plain values, for the audit log."""
    return {
        "teams": list(f.team_ids) if f.team_ids is not None else "all",
        "officer": f.officer_id,
        "from": f.date_from.isoformat(),
        "to": f.date_to.isoformat(),
    }
