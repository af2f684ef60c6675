"""Bar charts drawn on the server as SVG: no script, so the Content Security Policy stays
as it is and the page prints as it shows. The table beside each chart carries the same
figures for screen readers and for copying; the chart only draws them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from safeguarding.core.figures import Table

LABEL_WIDTH = 220
BAR_SPACE = 300
BAR_HEIGHT = 22
GAP = 8
LABEL_CHARS = 30


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str
    y: int
    width: float
    text_x: float
    text_y: int


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]
    height: int
    label_width: int = LABEL_WIDTH
    view_width: int = LABEL_WIDTH + BAR_SPACE + 80


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        return float(value)
    return None


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def bar_chart(table: Table) -> BarChart | None:
    """A horizontal bar per row, scaled to the largest value; None when the table has no
    chart, or nothing to draw (every value zero or missing)."""
    chart = table.chart
    if chart is None or not table.rows:
        return None
    values = [(_number(row.cells[chart.value_column]) or 0.0) for row in table.rows]
    top = max(values)
    if top <= 0:
        return None
    bars = []
    for index, (row, value) in enumerate(zip(table.rows, values, strict=True)):
        y = GAP + index * (BAR_HEIGHT + GAP)
        width = BAR_SPACE * value / top
        text = f"{value:g}{chart.unit}"
        bars.append(
            Bar(
                label=_short(str(row.cells[chart.label_column])),
                value=value,
                text=text,
                y=y,
                width=round(width, 1),
                text_x=round(LABEL_WIDTH + width + 6, 1),
                text_y=y + BAR_HEIGHT - 6,
            )
        )
    return BarChart(title=f"Bar chart: {table.title}", bars=bars, height=GAP + len(bars) * (BAR_HEIGHT + GAP))
