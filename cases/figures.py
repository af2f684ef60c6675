"""The cases app's dashboard figures (caseload, how young people were identified, missing
episodes and what they cost, modern slavery reclassifications), registered from wiring.py
into the core's figure registry.
Every count is over ``case_scope`` plus the dashboard's team and officer filters, in a
fixed number of queries whatever the force's size."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from safeguarding.accounts.models import Team, User
from safeguarding.core import figures
from safeguarding.core.figures import Filters, Row, Table

from .models import (
    ApprovalStatus,
    Case,
    CaseClassification,
    CaseStatus,
    HowIdentified,
    MissingEpisode,
    Reclassification,
    RiskLevel,
)
from .selectors import case_scope


def money(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


def scoped_cases(f: Filters) -> QuerySet[Case]:
    return Case.objects.filter(case_scope(f.user), **f.case_filter())


def open_cases(f: Filters) -> QuerySet[Case]:
    return scoped_cases(f).filter(status__in=CaseStatus.open_values())


def _stale_before(f: Filters):
    return f.now - timedelta(days=settings.DASHBOARD_NO_ACTIVITY_DAYS)


def _today(f: Filters):
    return figures.local_date(f.now)


def teams_shown(f: Filters) -> list[Team]:
    if f.team_ids is None:
        return list(Team.objects.filter(is_active=True).order_by("name"))
    return list(Team.objects.filter(pk__in=f.team_ids).order_by("name"))


def caseload_tables(f: Filters) -> list[Table]:
    stale = _stale_before(f)
    today = _today(f)
    by_team = {
        row["team_id"]: row
        for row in open_cases(f)
        .order_by()
        .values("team_id")
        .annotate(
            n=Count("pk"),
            high=Count("pk", filter=Q(risk_level=RiskLevel.HIGH)),
            stale=Count("pk", filter=Q(updated_at__lt=stale)),
            review=Count("pk", filter=Q(risk_review_on__lt=today)),
        )
    }
    empty = {"n": 0, "high": 0, "stale": 0, "review": 0}
    team_rows = [
        Row([t.name, *(by_team.get(t.pk, empty)[k] for k in ("n", "high", "stale", "review"))], key=f"team-{t.pk}")
        for t in teams_shown(f)
    ]
    officers = list(
        open_cases(f)
        .order_by()
        .values("owner_id", "owner__full_name")
        .annotate(n=Count("pk"), high=Count("pk", filter=Q(risk_level=RiskLevel.HIGH)))
        .order_by("owner__full_name", "owner_id")
    )
    by_risk = dict(open_cases(f).order_by().values_list("risk_level").annotate(n=Count("pk")))
    attention = open_cases(f).aggregate(
        stale=Count("pk", filter=Q(updated_at__lt=stale)), review=Count("pk", filter=Q(risk_review_on__lt=today))
    )
    days = settings.DASHBOARD_NO_ACTIVITY_DAYS
    return [
        Table(
            key="by_team",
            title="Open cases by team",
            columns=["Team", "Open cases", "High risk", f"No activity in {days} days", "Risk review overdue"],
            rows=team_rows,
            chart=figures.Chart(0, 1),
        ),
        Table(
            key="by_officer",
            title="Open cases by officer",
            columns=["Officer", "Open cases", "High risk"],
            rows=[Row([o["owner__full_name"], o["n"], o["high"]], key=f"officer-{o['owner_id']}") for o in officers],
            chart=figures.Chart(0, 1),
        ),
        Table(
            key="by_risk",
            title="Open cases by risk level",
            columns=["Risk level", "Open cases"],
            rows=[
                Row([label, by_risk.get(value, 0)], key=f"risk-{value}") for value, label in reversed(RiskLevel.choices)
            ],
            chart=figures.Chart(0, 1),
        ),
        Table(
            key="attention",
            title="Open cases needing attention",
            columns=["What", "Open cases"],
            rows=[
                Row([f"No activity in {days} days", attention["stale"]], key="stale"),
                Row(["Risk review overdue", attention["review"]], key="review-overdue"),
            ],
            note=f"No activity: the case record has not changed for {days} days.",
        ),
    ]


def caseload_records(f: Filters, table: str, row: str) -> QuerySet[Case] | None:
    qs = open_cases(f)
    kind, _, value = row.partition("-")
    if table == "by_team" and kind == "team" and value.isdigit():
        return qs.filter(team_id=int(value))
    if table == "by_officer" and kind == "officer" and value.isdigit():
        return qs.filter(owner_id=int(value))
    if table == "by_risk" and kind == "risk" and value in RiskLevel.values:
        return qs.filter(risk_level=value)
    if table == "attention" and row == "stale":
        return qs.filter(updated_at__lt=_stale_before(f))
    if table == "attention" and row == "review-overdue":
        return qs.filter(risk_review_on__lt=_today(f))
    return None


def opened_in_range(f: Filters) -> QuerySet[Case]:
    return scoped_cases(f).filter(opened_at__gte=f.start, opened_at__lt=f.end)


def identified_tables(f: Filters) -> list[Table]:
    counts = dict(opened_in_range(f).order_by().values_list("how_identified").annotate(n=Count("pk")))
    return [
        Table(
            key="how_identified",
            title="Cases opened, by how the young person was identified",
            columns=["Identified through", "Cases opened"],
            rows=[Row([label, counts.get(value, 0)], key=f"how-{value}") for value, label in HowIdentified.choices],
            chart=figures.Chart(0, 1),
        )
    ]


def identified_records(f: Filters, table: str, row: str) -> QuerySet[Case] | None:
    kind, _, value = row.partition("-")
    if table == "how_identified" and kind == "how" and value in HowIdentified.values:
        return opened_in_range(f).filter(how_identified=value)
    return None


# ---------------------------------------------------------------------------
# Missing episodes and what they cost
# ---------------------------------------------------------------------------


def scoped_episodes(f: Filters) -> QuerySet[MissingEpisode]:
    return MissingEpisode.objects.filter(case_scope(f.user, "case__"), **f.case_filter("case__"))


def cost_note() -> str:
    return (
        f"Estimated police cost: {money(settings.MISSING_EPISODE_ESTIMATED_COST)} per episode "
        f"(source: {settings.MISSING_EPISODE_COST_SOURCE}). An estimate, not a charge."
    )


def compared_cases(f: Filters) -> QuerySet[Case]:
    """Cases opened in the date range whose whole window after opening has passed."""
    window = timedelta(days=settings.DASHBOARD_EPISODE_WINDOW_DAYS)
    return opened_in_range(f).filter(opened_at__lte=f.now - window)


def _episodes_around(f: Filters, *, before: bool) -> Subquery:
    """For each case: the person's episodes the viewer may see in the window before (or
    after) the case opened."""
    window = timedelta(days=settings.DASHBOARD_EPISODE_WINDOW_DAYS)
    bounds = (
        {"reported_missing_at__gte": OuterRef("opened_at") - window, "reported_missing_at__lt": OuterRef("opened_at")}
        if before
        else {
            "reported_missing_at__gte": OuterRef("opened_at"),
            "reported_missing_at__lt": OuterRef("opened_at") + window,
        }
    )
    episodes = (
        MissingEpisode.objects.filter(case_scope(f.user, "case__"), case__person_id=OuterRef("person_id"), **bounds)
        .order_by()
        .values("case__person_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(episodes, output_field=IntegerField())


def episode_impact(f: Filters) -> dict[str, int]:
    # The sums over the per-case subqueries in one SELECT (PostgreSQL allows a scalar
    # subquery inside SUM); Django's aggregate over annotations mislabels them.
    totals = compared_cases(f).aggregate(
        cases=Count("pk"),
        before=Coalesce(Sum(Coalesce(_episodes_around(f, before=True), Value(0))), Value(0)),
        after=Coalesce(Sum(Coalesce(_episodes_around(f, before=False), Value(0))), Value(0)),
    )
    return {"cases": totals["cases"], "before": totals["before"], "after": totals["after"]}


def missing_tables(f: Filters) -> list[Table]:
    cost = settings.MISSING_EPISODE_ESTIMATED_COST
    months = figures.month_starts(f)
    # Each episode costs the estimate in force when it was recorded (kept on the row), so
    # changing the setting does not rewrite past months.
    in_month = {key: Q(reported_missing_at__gte=start, reported_missing_at__lt=end) for key, start, end in months}
    sums = scoped_episodes(f).aggregate(
        **{f"n_{key}": Count("pk", filter=q) for key, q in in_month.items()},
        **{f"cost_{key}": Sum("estimated_cost", filter=q) for key, q in in_month.items()},
    )
    counts = {key: sums[f"n_{key}"] for key in in_month}
    costs = {key: sums[f"cost_{key}"] or Decimal(0) for key in in_month}
    rows = [Row([figures.month_label(key), counts[key], money(costs[key])], key=f"month-{key}") for key in in_month]
    total = sum(counts.values())
    total_cost = sum(costs.values(), Decimal(0))
    impact = episode_impact(f)
    avoided = impact["before"] - impact["after"]
    days = settings.DASHBOARD_EPISODE_WINDOW_DAYS
    return [
        Table(
            key="by_month",
            title="Missing episodes per month and their estimated police cost",
            columns=["Month", "Episodes", "Estimated police cost"],
            rows=rows,
            chart=figures.Chart(0, 1),
            note=(
                "Each episode counts the estimated police cost in force when it was recorded "
                f"(now {money(cost)}, source: {settings.MISSING_EPISODE_COST_SOURCE}). An estimate, not a charge."
            ),
            totals=["Total", total, money(total_cost)],
        ),
        Table(
            key="impact",
            title=f"Missing episodes {days} days before and after a case opened",
            columns=["Measure", "Value"],
            rows=[
                Row([f"Cases opened in the period, at least {days} days ago", impact["cases"]], key="compared"),
                Row([f"Episodes in the {days} days before the case opened", impact["before"]], key="compared"),
                Row([f"Episodes in the {days} days after the case opened", impact["after"]], key="compared"),
                Row(["Episodes avoided (estimate)", avoided], key="compared"),
                Row(["Police cost avoided (estimate)", money(avoided * cost)], key="compared"),
            ],
            # Avoided episodes never happened, so they are priced at today's estimate.
            note=cost_note() + " Episodes avoided: those before, less those after (negative when more happened after).",
        ),
    ]


def missing_records(f: Filters, table: str, row: str) -> QuerySet[Case] | None:
    if table == "impact" and row == "compared":
        return compared_cases(f)
    if table == "by_month" and row.startswith("month-"):
        for key, start, end in figures.month_starts(f):
            if row == f"month-{key}":
                episodes = scoped_episodes(f).filter(
                    case_id=OuterRef("pk"), reported_missing_at__gte=start, reported_missing_at__lt=end
                )
                return scoped_cases(f).filter(Exists(episodes))
    return None


# ---------------------------------------------------------------------------
# Modern slavery / human trafficking reclassifications
# ---------------------------------------------------------------------------


def scoped_msht(f: Filters) -> QuerySet[Reclassification]:
    return Reclassification.objects.filter(
        case_scope(f.user, "case__"), to_classification=CaseClassification.VICTIM_MSHT, **f.case_filter("case__")
    )


def _msht_rows(f: Filters) -> dict[str, tuple[str, Q]]:
    return {
        "requested": ("Requested in the period", Q(requested_at__gte=f.start, requested_at__lt=f.end)),
        "approved": (
            "Approved by a supervisor in the period",
            Q(status=ApprovalStatus.APPROVED, decided_at__gte=f.start, decided_at__lt=f.end),
        ),
    }


def msht_tables(f: Filters) -> list[Table]:
    return [
        Table(
            key="msht",
            title="Reclassifications as a victim of modern slavery or human trafficking",
            columns=["Reclassifications", "Number"],
            rows=figures.counted_rows(scoped_msht(f), _msht_rows(f)),
            chart=figures.Chart(0, 1),
        )
    ]


def msht_records(f: Filters, table: str, row: str) -> QuerySet[Case] | None:
    rows = _msht_rows(f)
    if table != "msht" or row not in rows:
        return None
    return scoped_cases(f).filter(Exists(scoped_msht(f).filter(rows[row][1], case_id=OuterRef("pk"))))


def register() -> None:
    readers = (User.Role.SUPERVISOR, User.Role.FORCE_LEAD)
    figures.register(
        figures.Provider(
            key="caseload",
            section="Caseload",
            title="Caseload",
            tables=caseload_tables,
            records=caseload_records,
            order=10,
            roles=readers,
        )
    )
    figures.register(
        figures.Provider(
            key="identified",
            section="Morning custody review",
            title="How young people were identified",
            tables=identified_tables,
            records=identified_records,
            order=25,
            roles=readers,
        )
    )
    figures.register(
        figures.Provider(
            key="missing",
            section="Missing episodes",
            title="Missing episodes",
            tables=missing_tables,
            records=missing_records,
            order=40,
            roles=readers,
        )
    )
    figures.register(
        figures.Provider(
            key="msht",
            section="Modern slavery",
            title="Modern slavery reclassifications",
            tables=msht_tables,
            records=msht_records,
            order=45,
            roles=readers,
        )
    )
