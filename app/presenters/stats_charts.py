"""Geometry of the stats page's charts, drawn as inline SVG by templates/views/_stats_charts.html:
horizontal bars for counts, stacked areas for the cumulative flow, lines for the burndown.
The numbers come from `app.services.board_stats`; this only places them (SVG user units).
"""
import math
from dataclasses import dataclass
from datetime import date

from app.services.board_stats import Count, Series

WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 30, 14, 30
BAR_LABEL_WIDTH, BAR_WIDTH, BAR_ROW = 150, 300, 26
# Bottom to top: what is finished lies under what is still to do.
FLOW_ORDER = ("done", "in_progress", "todo")


@dataclass(frozen=True)
class Bar:
    count: Count
    y: float
    width: float


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    label_width: int = BAR_LABEL_WIDTH
    bar_height: int = BAR_ROW - 8


@dataclass(frozen=True)
class Tick:
    label: str
    at: float  # y for a value tick, x for a day


@dataclass(frozen=True)
class Area:
    category: str
    points: str


@dataclass(frozen=True)
class Point:
    day: date
    value: int
    x: float
    y: float


@dataclass(frozen=True)
class TimeChart:
    """The frame shared by the flow and burndown charts, with what each draws: `areas` (flow)
    or `actual`/`line` and `ideal` (burndown); `today_x` None when today is outside the days."""

    width: int
    height: int
    left: int
    right_edge: int
    top: int
    bottom_edge: int
    value_ticks: list[Tick]
    day_ticks: list[Tick]
    today_x: float | None
    areas: list[Area]
    actual: list[Point]
    line: str
    ideal: str


def bar_chart(counts: list[Count]) -> BarChart:
    top = max([c.value for c in counts] + [1])
    return BarChart(bars=[Bar(c, i * BAR_ROW + 4, c.value / top * BAR_WIDTH) for i, c in enumerate(counts)],
                    width=BAR_LABEL_WIDTH + BAR_WIDTH + 48, height=max(len(counts), 1) * BAR_ROW + 8)


def flow_chart(series: Series, today: date) -> TimeChart:
    """Stacked areas of the cards in each category, over the days with values."""
    known = [(i, f) for i, f in enumerate(series.flow) if f is not None]
    top = _scale_top(max([sum(f.values()) for _, f in known] + [1]))
    x, y = _x(len(series.days)), _y(top)
    areas = []
    below = [0] * len(known)
    for category in FLOW_ORDER:
        above = [b + f[category] for b, (_, f) in zip(below, known)]
        upper = [f"{x(i):.1f},{y(v):.1f}" for (i, _), v in zip(known, above)]
        lower = [f"{x(i):.1f},{y(v):.1f}" for (i, _), v in reversed(list(zip(known, below)))]
        if known:
            areas.append(Area(category, " ".join(upper + lower)))
        below = above
    return _frame(series, today, top, areas=areas)


def burndown_chart(series: Series, today: date) -> TimeChart:
    """The open cards per day as a line with points, and the ideal line."""
    top = _scale_top(max([r for r in series.remaining if r is not None] + [math.ceil(series.ideal[0]), 1]))
    x, y = _x(len(series.days)), _y(top)
    actual = [Point(series.days[i], r, x(i), y(r)) for i, r in enumerate(series.remaining) if r is not None]
    last = len(series.days) - 1
    return _frame(series, today, top, actual=actual, line=" ".join(f"{p.x:.1f},{p.y:.1f}" for p in actual),
                  ideal=f"{x(0):.1f},{y(series.ideal[0]):.1f} {x(last):.1f},{y(series.ideal[-1]):.1f}")


def _frame(series: Series, today: date, top: int, areas=(), actual=(), line="", ideal="") -> TimeChart:
    count = len(series.days)
    x, y = _x(count), _y(top)
    step = top // 4
    every = math.ceil(count / 7)
    marked = list(range(0, count, every))
    if marked[-1] != count - 1:
        # The last day is always labelled; a label too close before it would overlap it.
        marked = marked[:-1] if len(marked) > 1 and count - 1 - marked[-1] < every else marked
        marked.append(count - 1)
    today_index = (today - series.days[0]).days
    return TimeChart(width=WIDTH, height=HEIGHT, left=LEFT, right_edge=WIDTH - RIGHT, top=TOP,
                     bottom_edge=HEIGHT - BOTTOM,
                     value_ticks=[Tick(str(v), y(v)) for v in range(0, top + 1, step)],
                     day_ticks=[Tick(series.days[i].strftime("%d %b"), x(i)) for i in marked],
                     today_x=x(today_index) if 0 <= today_index < count else None,
                     areas=list(areas), actual=list(actual), line=line, ideal=ideal)


def _scale_top(value: int) -> int:
    """The top of the value axis: four equal whole steps covering `value`."""
    return 4 * max(1, math.ceil(value / 4))


def _x(count: int):
    span = WIDTH - LEFT - RIGHT
    return lambda i: LEFT + (i * span / (count - 1) if count > 1 else span / 2)


def _y(top: int):
    span = HEIGHT - TOP - BOTTOM
    return lambda v: HEIGHT - BOTTOM - v * span / top
