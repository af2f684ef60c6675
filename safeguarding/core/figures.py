"""The dashboards' figures, gathered from every domain app through a small registry.

Why here, in the core, and not in ``dashboards/``: dependencies run one
way. The dashboards app reads every domain app; a domain app must never import the
dashboards (nor ``cases`` import ``custody`` or ``referrals``). So the *contract* — the
data classes a figure is made of and ``register()`` — lives in the core, which every
app may import and which imports no domain app. Each app fills the registry from its
``wiring.py`` (called from its ``AppConfig.ready()``), exactly as it fills the cases
chronology; the dashboards app only renders what is registered, and a figure whose
records do not exist yet simply has no provider until its app lands.

A provider is a function ``(Filters) -> list[Table]`` plus, for drilling into the
records behind a row, ``records(Filters, table_key, row_key) -> QuerySet | None`` of
*cases* (every figure here counts records that hang off a case). Both must apply the
viewer's scope (``cases.selectors.case_scope(filters.user, prefix)``) and the filters
(teams, officer, dates) themselves: the dashboards app never widens what they return.
A provider runs a fixed number of aggregate queries whatever the force's size.

Adding a later figure is one registration in the owning app's ``wiring.py``, e.g. for
Community Protection Warnings in cases::

    from safeguarding.core import figures

    def cpw_figures(f: figures.Filters) -> list[figures.Table]:
        qs = CommunityProtectionWarning.objects.filter(case_scope(f.user, "case__"), **f.case_filter("case__"))
        return [figures.Table(
            key="cpw", title="Community Protection Warnings and Notices",
            columns=["Status", "Number"],
            # One aggregate: each row's label and the condition it counts.
            rows=figures.counted_rows(qs, {"active": ("Active", Q(status="served")), ...}),
            chart=figures.Chart(label_column=0, value_column=1),
        )]

    def cpw_records(f, table_key, row_key):
        return cases_visible_to(f.user).filter(...)   # the cases behind that row

    figures.register(figures.Provider(
        key="cpw", section="Interventions", title="Community Protection Warnings",
        tables=cpw_figures, records=cpw_records, order=60))

The row's ``key`` lets the dashboard link it to the records behind it
(``/dashboards/records/cpw/cpw/active/`` with the same filters); ``href`` instead links
a row to an existing page (the custody review queue, say).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet

if TYPE_CHECKING:
    from safeguarding.accounts.models import User


@dataclass(frozen=True)
class Filters:
    """What the viewer asked for, already checked against their scope: ``team_ids`` are
    teams they may see (never empty for a supervisor: their own teams), ``officer_id``
    an officer of those teams, the dates a Europe/London range (``start``/``end`` the
    aware instants of its first midnight and of the midnight after its last day)."""

    user: User
    team_ids: tuple[int, ...] | None  # None: the whole force (force lead, no team chosen)
    officer_id: int | None
    date_from: date
    date_to: date
    start: datetime
    end: datetime
    now: datetime

    def case_filter(self, prefix: str = "") -> dict[str, Any]:
        """The team and officer filters as lookups on a case reached through ``prefix``."""
        lookups: dict[str, Any] = {}
        if self.team_ids is not None:
            lookups[f"{prefix}team_id__in"] = self.team_ids
        if self.officer_id is not None:
            lookups[f"{prefix}owner_id"] = self.officer_id
        return lookups


@dataclass(frozen=True)
class Row:
    cells: list[Any]
    key: str = ""  # names the records behind the row for Provider.records; "" for no drill-down
    href: str = ""  # or a page of the service that lists them


@dataclass(frozen=True)
class Chart:
    """A bar chart drawn from the table: labels from one column, values from another."""

    label_column: int = 0
    value_column: int = 1
    unit: str = ""


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[Row]
    chart: Chart | None = None
    note: str = ""  # shown under the table: how a figure is estimated, its source
    totals: list[Any] | None = None  # an optional last row


@dataclass(frozen=True)
class Provider:
    key: str
    section: str
    title: str
    tables: Callable[[Filters], list[Table]]
    records: Callable[[Filters, str, str], QuerySet[Any] | None] | None = None
    order: int = 50
    # Who sees the figure: supervisors and the force lead by default.
    roles: tuple[str, ...] = ("supervisor", "force_lead")
    extra: dict[str, Any] = field(default_factory=dict)


_providers: dict[str, Provider] = {}


def register(provider: Provider) -> Provider:
    """Add a provider (idempotent by key: registering again replaces it)."""
    _providers[provider.key] = provider
    return provider


def providers_for(role: str) -> list[Provider]:
    return [p for p in sorted(_providers.values(), key=lambda p: (p.order, p.key)) if role in p.roles]


def provider(key: str) -> Provider | None:
    return _providers.get(key)


def sections(providers: Iterable[Provider]) -> list[str]:
    seen: list[str] = []
    for p in providers:
        if p.section not in seen:
            seen.append(p.section)
    return seen


# ---------------------------------------------------------------------------
# Helpers every provider may use
# ---------------------------------------------------------------------------

LONDON = "Europe/London"


def month_starts(f: Filters) -> list[tuple[str, datetime, datetime]]:
    """The calendar months the date range touches, as (YYYY-MM, start, end) with start
    and end the Europe/London midnights (a month with a clock change is an hour shorter
    or longer in UTC), clipped to the range."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(LONDON)
    result = []
    year, month = f.date_from.year, f.date_from.month
    while (year, month) <= (f.date_to.year, f.date_to.month):
        nyear, nmonth = (year + 1, 1) if month == 12 else (year, month + 1)
        start = datetime(year, month, 1, tzinfo=zone)
        end = datetime(nyear, nmonth, 1, tzinfo=zone)
        result.append((f"{year:04d}-{month:02d}", max(start, f.start), min(end, f.end)))
        year, month = nyear, nmonth
    return result


def month_label(key: str) -> str:
    year, month = key.split("-")
    return date(int(year), int(month), 1).strftime("%B %Y")


def medians(queryset: QuerySet[Any], expression: Any, group: str | None = None) -> dict[Any, Any]:
    """The median of ``expression`` over ``queryset`` (rows where it is NULL left out),
    per value of ``group`` (or under the key None): one query. PostgreSQL computes it
    (percentile_cont); on the embedded SQLite the values are sorted here, correct but
    slower, as docs/scale.md says of every SQLite fallback."""
    from django.db import connection
    from django.db.models import Aggregate

    rows = queryset.order_by().annotate(_value=expression).filter(_value__isnull=False)
    if connection.vendor == "postgresql":

        class Median(Aggregate):
            function = "percentile_cont"
            name = "Median"
            template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"

        if group is None:
            return {None: queryset.order_by().aggregate(m=Median(expression))["m"]}
        return dict(rows.values(group).annotate(m=Median(expression)).values_list(group, "m"))
    grouped: dict[Any, list[Any]] = {}
    for key, value in rows.values_list(group or "pk", "_value"):
        grouped.setdefault(key if group else None, []).append(value)
    return {key: _middle(sorted(values)) for key, values in grouped.items()}


def _middle(values: list[Any]) -> Any:
    n = len(values)
    return values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2


def days_text(value: Any) -> str:
    """A duration or a number of days for a table cell ("–" when there is none)."""
    if value is None:
        return "–"
    if hasattr(value, "total_seconds"):
        hours = value.total_seconds() / 3600
        return f"{hours:.1f} hours" if hours < 48 else f"{hours / 24:.1f} days"
    return f"{float(value):.1f} days"


def percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "–"


def local_date(moment: datetime) -> date:
    from django.utils import timezone

    return timezone.localtime(moment).date()


def counted_rows(queryset: QuerySet[Any], rows: dict[str, tuple[str, Q]]) -> list[Row]:
    """A table's rows from one aggregate: for each key, its label and how many records of
    ``queryset`` its condition counts (the key is the row's key for ``records``)."""
    counts = queryset.aggregate(**{key: Count("pk", filter=condition) for key, (_, condition) in rows.items()})
    return [Row([label, counts[key]], key=key) for key, (label, _) in rows.items()]
