"""What the supervisors' daily digest counts, registered into the notifications digest
from DashboardsConfig.ready(): the dashboards app reads the domain apps, so the core's
digest never has to. Each count is over the supervisor's own teams and scope."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.urls import reverse

from safeguarding.accounts.models import User
from safeguarding.core import figures
from safeguarding.notifications import digest

from .selectors import london_midnight


def supervisor_filters(user: User, now: datetime) -> figures.Filters:
    from cases.selectors import teams_of

    today = figures.local_date(now)
    return figures.Filters(
        user=user,
        team_ids=tuple(teams_of(user).values_list("pk", flat=True)),
        officer_id=None,
        date_from=today,
        date_to=today,
        start=london_midnight(today),
        end=london_midnight(today + timedelta(days=1)),
        now=now,
    )


def overdue_items(user: User, now: datetime) -> int:
    from custody.figures import scoped_items

    return scoped_items(supervisor_filters(user, now)).overdue(now).count()


def rg_overdue(user: User, now: datetime) -> int:
    from referrals.figures import rg_overdue as overdue

    return overdue(supervisor_filters(user, now)).count()


def referrals_unanswered(user: User, now: datetime) -> int:
    from referrals.figures import unanswered_past_target

    return unanswered_past_target(supervisor_filters(user, now)).count()


def register() -> None:
    digest.register(
        digest.DigestLine(
            key="checklist_overdue",
            label="48-hour checklist items overdue",
            count=overdue_items,
            path=lambda user: reverse("custody:clocks"),
            order=10,
        )
    )
    digest.register(
        digest.DigestLine(
            key="rg_overdue",
            label="NRM Reasonable Grounds decisions overdue",
            count=rg_overdue,
            path=lambda user: reverse("dashboards:records", args=["nrm", "pipeline", "rg-overdue"]),
            order=20,
        )
    )
    digest.register(
        digest.DigestLine(
            key="referrals_unanswered",
            label="Referrals unanswered past the agency's target",
            count=referrals_unanswered,
            path=lambda user: reverse("dashboards:records", args=["referrals", "unanswered", "all"]),
            order=30,
        )
    )
