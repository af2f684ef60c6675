"""The custody app's dashboard figures — the morning custody review and the 48-hour
clock (due soon, overdue, compliance) — registered from the review's and the clock's
wiring into the core's figure registry. Counts are scoped through ``case_scope`` and
the dashboard's team and officer filters, each table a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.urls import reverse

from cases.figures import scoped_cases, teams_shown
from cases.models import Case
from cases.selectors import case_scope
from safeguarding.accounts.models import User
from safeguarding.core import figures
from safeguarding.core.figures import Filters, Row, Table

from .clock.selectors import due_soon_window
from .models import ChecklistItem, CustodyImportRow, ItemStatus, RowState
from .models.clock import ChecklistItemQuerySet
from .models.deadlines import due_soon_q, overdue_q

READERS = (User.Role.SUPERVISOR, User.Role.FORCE_LEAD)

# ---------------------------------------------------------------------------
# The morning custody review
# ---------------------------------------------------------------------------


def decided_rows(f: Filters) -> QuerySet[CustodyImportRow]:
    """Rows decided in the date range by the chosen teams (or officer): decided by one of
    their officers, or linked to one of their cases."""
    rows = CustodyImportRow.objects.filter(state__in=RowState.decided(), decided_at__gte=f.start, decided_at__lt=f.end)
    if f.officer_id is not None:
        return rows.filter(decided_by_id=f.officer_id)
    if f.team_ids is not None:
        rows = rows.filter(
            Q(decided_by__team_id__in=f.team_ids)
            | Q(decided_by__supervised_teams__in=f.team_ids)
            | Q(case__team_id__in=f.team_ids)
        ).distinct()
    return rows


def review_tables(f: Filters) -> list[Table]:
    # The queue is force-wide: every officer reviews the morning list, whatever their team.
    waiting = CustodyImportRow.objects.filter(state=RowState.TO_REVIEW).count()
    decided = CustodyImportRow.objects.filter(pk__in=decided_rows(f).values("pk")).aggregate(
        total=Count("pk"),
        safeguarded=Count("pk", filter=Q(state=RowState.SAFEGUARDED)),
        known=Count("pk", filter=Q(state=RowState.ALREADY_KNOWN)),
        not_at_risk=Count("pk", filter=Q(state=RowState.NOT_AT_RISK)),
    )
    median = figures.medians(decided_rows(f), F("decided_at") - F("arrested_at")).get(None)
    return [
        Table(
            key="review",
            title="Morning custody review",
            columns=["Measure", "Number"],
            rows=[
                Row(["Rows awaiting review now (the whole force)", waiting], href=reverse("custody:review")),
                Row(["Flagged rows decided in the period", decided["total"]], key="decided"),
                Row(["Safeguarded (case opened or linked)", decided["safeguarded"]], key="safeguarded"),
                Row(["Already known", decided["known"]], key="already_known"),
                Row(["Not at risk", decided["not_at_risk"]]),
            ],
            chart=figures.Chart(0, 1),
            note="Decisions by the chosen teams' officers or on their cases. Not at risk: no case is opened, "
            "so there is no record to list.",
        ),
        Table(
            key="review_time",
            title="Time from arrest to decision",
            columns=["Measure", "Time"],
            rows=[Row(["Median, rows decided in the period", figures.days_text(median)], key="decided")],
        ),
    ]


def review_records(f: Filters, table: str, row: str) -> QuerySet[Case] | None:
    states = {
        "decided": RowState.decided(),
        "safeguarded": [RowState.SAFEGUARDED],
        "already_known": [RowState.ALREADY_KNOWN],
    }
    if row not in states:
        return None
    rows = decided_rows(f).filter(state__in=states[row], case_id=OuterRef("pk"))
    return scoped_cases(f).filter(Exists(rows))


# ---------------------------------------------------------------------------
# The 48-hour clock
# ---------------------------------------------------------------------------


def scoped_items(f: Filters) -> ChecklistItemQuerySet:
    return ChecklistItem.objects.filter(case_scope(f.user, "checklist__case__"), **f.case_filter("checklist__case__"))


def due_items(f: Filters) -> QuerySet[ChecklistItem]:
    """Items whose deadline fell in the date range and has passed."""
    return scoped_items(f).filter(due_at__gte=f.start, due_at__lt=f.end, due_at__lte=f.now)


ON_TIME = Q(status__in=[ItemStatus.DONE, ItemStatus.NOT_APPLICABLE], resolved_at__lte=F("due_at"))


def _compliance_cells(counts: dict) -> list:
    due, on_time = counts.get("due", 0), counts.get("on_time", 0)
    return [due, on_time, due - on_time, round(100 * on_time / due) if due else "–"]


COMPLIANCE_COLUMNS = ["Items due", "Done on time", "Late or missed", "On time (%)"]
COMPLIANCE_AGG = {"due": Count("pk"), "on_time": Count("pk", filter=ON_TIME)}


def clock_tables(f: Filters) -> list[Table]:
    window = due_soon_window()
    pending = scoped_items(f).pending()
    now_by_team = {
        r["checklist__case__team_id"]: r
        for r in pending.order_by()
        .values("checklist__case__team_id")
        .annotate(
            late=Count("pk", filter=overdue_q(f.now)),
            soon=Count("pk", filter=due_soon_q(f.now, window)),
        )
    }
    teams = teams_shown(f)
    by_team = {
        r["checklist__case__team_id"]: r
        for r in due_items(f).order_by().values("checklist__case__team_id").annotate(**COMPLIANCE_AGG)
    }
    by_item = list(
        due_items(f).order_by().values("template_item__code", "title").annotate(**COMPLIANCE_AGG).order_by("title")
    )
    months = figures.month_starts(f)
    by_month = due_items(f).aggregate(
        **{
            f"{key}|{name}": Count("pk", filter=Q(due_at__gte=start, due_at__lt=end) & extra)
            for key, start, end in months
            for name, extra in (("due", Q()), ("on_time", ON_TIME))
        }
    )
    clocks = reverse("custody:clocks")
    return [
        Table(
            key="now",
            title="Checklist items due soon and overdue now",
            columns=["Team", "Overdue", "Due soon"],
            rows=[
                Row(
                    [t.name, now_by_team.get(t.pk, {}).get("late", 0), now_by_team.get(t.pk, {}).get("soon", 0)],
                    href=f"{clocks}?team={t.pk}",
                )
                for t in teams
            ],
            chart=figures.Chart(0, 1),
        ),
        Table(
            key="compliance_team",
            title="Checklist items done on time, by team",
            columns=["Team", *COMPLIANCE_COLUMNS],
            rows=[Row([t.name, *_compliance_cells(by_team.get(t.pk, {}))], key=f"team-{t.pk}") for t in teams],
            chart=figures.Chart(0, 4, unit="%"),
            note="Items whose deadline fell in the period and has passed; on time means done or marked not "
            "applicable by the deadline.",
        ),
        Table(
            key="compliance_item",
            title="Checklist items done on time, by item",
            columns=["Item", *COMPLIANCE_COLUMNS],
            rows=[Row([r["title"], *_compliance_cells(r)], key=f"item-{r['template_item__code']}") for r in by_item],
            chart=figures.Chart(0, 4, unit="%"),
        ),
        Table(
            key="compliance_month",
            title="Checklist items done on time, by month",
            columns=["Month", *COMPLIANCE_COLUMNS],
            rows=[
                Row(
                    [
                        figures.month_label(key),
                        *_compliance_cells({"due": by_month[f"{key}|due"], "on_time": by_month[f"{key}|on_time"]}),
                    ],
                    key=f"month-{key}",
                )
                for key, _, _ in months
            ],
            chart=figures.Chart(0, 4, unit="%"),
        ),
    ]


def clock_records(f: Filters, table: str, row: str) -> QuerySet[Case] | None:
    """The cases with an item late or missed in that row."""
    items = due_items(f).exclude(ON_TIME)
    kind, _, value = row.partition("-")
    if table == "compliance_team" and kind == "team" and value.isdigit():
        items = items.filter(checklist__case__team_id=int(value))
    elif table == "compliance_item" and kind == "item":
        items = items.filter(template_item__code=value)
    elif table == "compliance_month" and kind == "month":
        bounds = [(s, e) for key, s, e in figures.month_starts(f) if key == value]
        if not bounds:
            return None
        items = items.filter(due_at__gte=bounds[0][0], due_at__lt=bounds[0][1])
    else:
        return None
    return scoped_cases(f).filter(Exists(items.filter(checklist__case_id=OuterRef("pk"))))


def register_review() -> None:
    figures.register(
        figures.Provider(
            key="custody_review",
            section="Morning custody review",
            title="Morning custody review",
            tables=review_tables,
            records=review_records,
            order=20,
            roles=READERS,
        )
    )


def register_clock() -> None:
    figures.register(
        figures.Provider(
            key="clock",
            section="The 48-hour clocks",
            title="The 48-hour clocks",
            tables=clock_tables,
            records=clock_records,
            order=30,
            roles=READERS,
        )
    )
