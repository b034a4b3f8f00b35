"""The stats charts' geometry: bars proportional to their values, stacked areas whose top is
each day's total, the burndown's points and ideal line, and day labels that never crowd."""
from datetime import date, timedelta

from app.presenters import stats_charts
from app.presenters.stats_charts import BAR_WIDTH, BOTTOM, HEIGHT, LEFT, RIGHT, TOP, WIDTH
from app.services.board_stats import Count, Series

DAYS = [date(2026, 12, 1) + timedelta(days=n) for n in range(5)]
FLOW = [{"todo": 2, "in_progress": 1, "done": 1}, {"todo": 2, "in_progress": 2, "done": 1},
        {"todo": 3, "in_progress": 1, "done": 2}, {"todo": 1, "in_progress": 2, "done": 2}, None]
SERIES = Series(days=DAYS, flow=FLOW, remaining=[3, 4, 4, 3, None], ideal=[3, 2.25, 1.5, 0.75, 0],
                from_scope_dates=True)
PLOT = HEIGHT - TOP - BOTTOM
STEP = (WIDTH - LEFT - RIGHT) / 4


def points(text: str) -> list[tuple[float, float]]:
    return [tuple(float(v) for v in p.split(",")) for p in text.split()]


def test_bars_are_proportional_to_the_largest_value():
    chart = stats_charts.bar_chart([Count("todo", "To do", 4), Count("done", "Done", 1), Count("none", "None", 0)])
    assert [b.width for b in chart.bars] == [BAR_WIDTH, BAR_WIDTH / 4, 0]
    assert [b.y for b in chart.bars] == [4, 30, 56]
    assert [b.width for b in stats_charts.bar_chart([Count("none", "Empty", 0)]).bars] == [0]


def test_flow_areas_stack_done_then_in_progress_then_to_do_up_to_each_days_total():
    chart = stats_charts.flow_chart(SERIES, date(2026, 12, 4))
    assert [a.category for a in chart.areas] == ["done", "in_progress", "todo"]
    scale = PLOT / 8  # the largest total, 6, on an axis of four steps of 2
    top = points(chart.areas[-1].points)[:4]  # the upper edge, over the four days with values
    assert top == [(round(LEFT + i * STEP, 1), round(HEIGHT - BOTTOM - total * scale, 1))
                   for i, total in enumerate([4, 5, 6, 5])]
    done = points(chart.areas[0].points)
    assert done[4:] == [(round(LEFT + i * STEP, 1), HEIGHT - BOTTOM) for i in (3, 2, 1, 0)]
    assert [t.label for t in chart.value_ticks] == ["0", "2", "4", "6", "8"]
    assert chart.today_x == LEFT + 3 * STEP


def test_the_burndown_draws_the_known_days_and_the_ideal_line():
    chart = stats_charts.burndown_chart(SERIES, date(2026, 12, 4))
    assert [(p.day, p.value) for p in chart.actual] == list(zip(DAYS[:4], [3, 4, 4, 3]))
    assert chart.actual[1].y == HEIGHT - BOTTOM - 4 * PLOT / 4
    assert points(chart.ideal) == [(LEFT, round(HEIGHT - BOTTOM - 3 * PLOT / 4, 1)), (WIDTH - RIGHT, HEIGHT - BOTTOM)]
    assert stats_charts.flow_chart(SERIES, date(2026, 12, 9)).today_x is None


def test_day_labels_keep_the_last_day_without_crowding_it():
    month = [date(2026, 12, 1) + timedelta(days=n) for n in range(30)]
    series = Series(month, [None] * 30, [None] * 30, [0.0] * 30, False)
    labels = [t.label for t in stats_charts.burndown_chart(series, date(2026, 11, 1)).day_ticks]
    assert labels == ["01 Dec", "06 Dec", "11 Dec", "16 Dec", "21 Dec", "30 Dec"]
    fourteen = Series(month[:14], [None] * 14, [None] * 14, [0.0] * 14, False)
    assert [t.label for t in stats_charts.flow_chart(fourteen, date(2026, 11, 1)).day_ticks] == [
        "01 Dec", "03 Dec", "05 Dec", "07 Dec", "09 Dec", "11 Dec", "14 Dec"]
