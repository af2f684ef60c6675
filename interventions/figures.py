"""The interventions' dashboard figures (community protection warnings and notices, CCE
Prevention Orders), registered from wiring.py into the core's figure registry. Every count
is over ``case_scope`` plus the dashboard's team and officer filters, in one aggregate
query per table whatever the force's size; ``records`` gives the cases behind each row."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from cases.models import Case
from cases.selectors import case_scope
from safeguarding.accounts.models import User
from safeguarding.core import figures
from safeguarding.core.figures import Filters, Table

from .models import CCEPOApplication, CCEPOBreach, CommunityProtection, CPBreach, CPKind, CPStatus, OrderType


def scoped_cases(f: Filters) -> QuerySet[Case]:
    return Case.objects.filter(case_scope(f.user), **f.case_filter())


# ---------------------------------------------------------------------------
# Community protection warnings and notices
# ---------------------------------------------------------------------------


def scoped_cp(f: Filters) -> QuerySet[CommunityProtection]:
    return CommunityProtection.objects.filter(case_scope(f.user, "case__"), **f.case_filter("case__"))


def _cp_rows(f: Filters) -> dict[str, tuple[str, Q]]:
    """Each row: its label and which warnings or notices it counts."""
    breached = Exists(
        CPBreach.objects.filter(notice_id=OuterRef("pk"), occurred_at__gte=f.start, occurred_at__lt=f.end)
    )
    # A warning is escalated when a notice following it is drafted (and not withdrawn).
    escalated = Exists(
        CommunityProtection.objects.filter(
            warning_id=OuterRef("pk"), created_at__gte=f.start, created_at__lt=f.end
        ).exclude(status=CPStatus.WITHDRAWN)
    )
    warning, notice = Q(kind=CPKind.WARNING), Q(kind=CPKind.NOTICE)
    served = Q(status=CPStatus.SERVED)
    return {
        "active-warning": ("Warnings in force (served)", warning & served),
        "active-notice": ("Notices in force (served)", notice & served),
        "breached-warning": ("Warnings breached in the period", warning & Q(breached)),
        "breached-notice": ("Notices breached in the period", notice & Q(breached)),
        "escalated": ("Warnings escalated to a notice in the period", warning & Q(escalated)),
    }


def cp_tables(f: Filters) -> list[Table]:
    return [
        Table(
            key="cp",
            title="Community Protection Warnings and Notices",
            columns=["Warnings and notices", "Number"],
            rows=figures.counted_rows(scoped_cp(f), _cp_rows(f)),
            chart=figures.Chart(0, 1),
            note=(
                "In force: served and not withdrawn, whatever the dates chosen. Breached: at least one breach "
                "in the period. Escalated: a notice following the warning was drafted in the period."
            ),
        )
    ]


def cp_records(f: Filters, table: str, row: str) -> QuerySet[Case] | None:
    rows = _cp_rows(f)
    if table != "cp" or row not in rows:
        return None
    return scoped_cases(f).filter(Exists(scoped_cp(f).filter(rows[row][1], case_id=OuterRef("pk"))))


# ---------------------------------------------------------------------------
# CCE Prevention Orders
# ---------------------------------------------------------------------------


def scoped_ccepo(f: Filters) -> QuerySet[CCEPOApplication]:
    """Applications on the exploited child's case (the case they were made from)."""
    return CCEPOApplication.objects.filter(case_scope(f.user, "case__"), **f.case_filter("case__"))


def _ccepo_rows(f: Filters) -> dict[str, tuple[str, Q]]:
    made = Q(made_on__gte=f.date_from, made_on__lte=f.date_to)
    breached = Exists(
        CCEPOBreach.objects.filter(application_id=OuterRef("pk"), occurred_at__gte=f.start, occurred_at__lt=f.end)
    )
    return {
        "applied": ("Applications made in the period", Q(applied_on__gte=f.date_from, applied_on__lte=f.date_to)),
        "interim": ("Interim orders made in the period", made & Q(order_type=OrderType.INTERIM)),
        "full": ("Full orders made in the period", made & Q(order_type=OrderType.FULL)),
        "breached": ("Orders breached in the period", Q(breached)),
    }


def ccepo_tables(f: Filters) -> list[Table]:
    return [
        Table(
            key="ccepo",
            title="CCE Prevention Orders",
            columns=["Applications and orders", "Number"],
            rows=figures.counted_rows(scoped_ccepo(f), _ccepo_rows(f)),
            chart=figures.Chart(0, 1),
            note=(
                "Counted on the exploited child's case. An interim order later made full counts as the "
                "order it is now. Breached: at least one breach in the period."
            ),
        )
    ]


def ccepo_records(f: Filters, table: str, row: str) -> QuerySet[Case] | None:
    rows = _ccepo_rows(f)
    if table != "ccepo" or row not in rows:
        return None
    return scoped_cases(f).filter(Exists(scoped_ccepo(f).filter(rows[row][1], case_id=OuterRef("pk"))))


def register() -> None:
    readers = (User.Role.SUPERVISOR, User.Role.FORCE_LEAD)
    figures.register(
        figures.Provider(
            key="community_protection",
            section="Interventions",
            title="Community Protection Warnings and Notices",
            tables=cp_tables,
            records=cp_records,
            order=60,
            roles=readers,
        )
    )
    figures.register(
        figures.Provider(
            key="ccepo",
            section="Interventions",
            title="CCE Prevention Orders",
            tables=ccepo_tables,
            records=ccepo_records,
            order=62,
            roles=readers,
        )
    )
