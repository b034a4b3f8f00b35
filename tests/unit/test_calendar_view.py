"""The calendar view's rules: which month opens, the weeks shown, where a dropped card's due
date lands, and which cards a month shows."""
from datetime import date, datetime, timezone

import pytest
import sqlalchemy as sa

from app.errors import Invalid
from app.extensions import db
from app.models.board import Column, Scope
from app.services import calendar_view, cards, scopes
from tests.board_helpers import board, team_workspace, user

UTC = timezone.utc


@pytest.mark.parametrize("text, first", [("2026-12", date(2026, 12, 1)), ("1900-01", date(1900, 1, 1)),
                                         ("2999-12", date(2999, 12, 1))])
def test_a_month_is_written_yyyy_mm(text, first):
    assert calendar_view.month_value(text) == first


@pytest.mark.parametrize("text", ["", "2026-13", "2026-00", "2026-1", "26-12", "2026/12", "２０２６-12",
                                  "1899-12", "3000-01", "0000-01", None, "2026-12-01"])
def test_anything_else_is_refused(text):
    with pytest.raises(Invalid) as refused:
        calendar_view.month_value(text)
    assert refused.value.field == "month"


@pytest.mark.parametrize("text", ["2026-02-30", "２０２６-12-01", "2026-12", "tomorrow", "1899-12-31", None])
def test_a_day_must_be_a_real_date(text):
    with pytest.raises(Invalid):
        calendar_view.day_value(text)


def test_weeks_run_monday_to_sunday_around_the_month():
    days = calendar_view.grid_days(date(2026, 12, 1))
    assert days[0] == date(2026, 11, 30) and days[-1] == date(2027, 1, 3)
    assert len(days) == 35 and days[0].weekday() == 0 and days[-1].weekday() == 6
    # February 2027 starts on a Monday and ends on a Sunday: exactly four weeks.
    assert calendar_view.grid_days(date(2027, 2, 1)) == [date(2027, 2, d) for d in range(1, 29)]
    assert calendar_view.grid_days(date(2999, 12, 1))[-1] == date(3000, 1, 5)


def test_months_step_across_years_and_stop_at_the_range():
    assert calendar_view.shift_month(date(2026, 12, 1), 1) == date(2027, 1, 1)
    assert calendar_view.shift_month(date(2027, 1, 1), -1) == date(2026, 12, 1)
    assert calendar_view.shift_month(date(1900, 1, 1), -1) is None
    assert calendar_view.shift_month(date(2999, 12, 1), 1) is None


def _scope(start=None, end=None) -> Scope:
    at = lambda d: datetime(d.year, d.month, d.day, tzinfo=UTC) if d else None  # noqa: E731
    return Scope(name="Sprint", start_date=at(start), end_date=at(end))


def test_the_default_month_is_today_unless_a_scope_is_elsewhere():
    today = date(2026, 11, 29)
    assert calendar_view.default_month(None, today) == date(2026, 11, 1)
    assert calendar_view.default_month(_scope(), today) == date(2026, 11, 1)
    # Inside its dates: today's month.
    assert calendar_view.default_month(_scope(date(2026, 10, 5), date(2026, 12, 20)), today) == date(2026, 11, 1)
    # A future scope, or one that has ended, opens on the month it starts.
    assert calendar_view.default_month(_scope(date(2027, 2, 3), date(2027, 3, 1)), today) == date(2027, 2, 1)
    assert calendar_view.default_month(_scope(date(2026, 1, 5), date(2026, 2, 1)), today) == date(2026, 1, 1)
    assert calendar_view.default_month(_scope(start=date(2027, 5, 1)), today) == date(2027, 5, 1)
    # Only an end date, passed: the month it ended.
    assert calendar_view.default_month(_scope(end=date(2026, 8, 31)), today) == date(2026, 8, 1)


def test_a_dropped_card_keeps_its_time_of_day():
    due = datetime(2026, 12, 3, 17, 30, tzinfo=UTC)
    assert calendar_view.moved_due_date(due, date(2026, 12, 10)) == datetime(2026, 12, 10, 17, 30, tzinfo=UTC)
    assert calendar_view.moved_due_date(None, date(2026, 12, 10)) == datetime(2026, 12, 10, tzinfo=UTC)


def test_a_month_shows_the_boards_cards_due_in_its_weeks_and_the_undated_ones(app):
    ada = user("ada@example.com")
    team_workspace(ada)
    access, columns = board(ada, "Website")
    scope = scopes.create_scope(access, {"name": "Sprint"})
    make = lambda title, column=columns[0].id, **f: cards.create_card(ada, column, title=title, **f)  # noqa: E731
    late = make("Late", dueDate="2026-12-03T17:00:00Z", priority="high")
    early = make("Early", dueDate="2026-12-03T08:00:00Z")
    edge = make("Edge", column=columns[2].id, dueDate="2027-01-03T23:59:00Z")
    make("Next month", dueDate="2027-01-04")
    make("Before", dueDate="2026-11-29T23:59:59Z")
    undated = make("Undated")
    gone = make("Archived", dueDate="2026-12-03")
    cards.archive_card(ada, gone.id)
    make("In the sprint", column=_scope_column(scope).id, dueDate="2026-12-03")
    db.session.flush()

    month = calendar_view.calendar(access, None, date(2026, 12, 1), today=date(2026, 12, 8))
    days = {d.day: d for week in month.weeks for d in week}
    assert [c.title for c in days[date(2026, 12, 3)].cards] == [early.title, late.title]
    assert [c.title for c in days[date(2027, 1, 3)].cards] == [edge.title]
    assert not days[date(2027, 1, 3)].in_month and days[date(2026, 12, 31)].in_month
    assert [d.day for d in days.values() if d.is_today] == [date(2026, 12, 8)]
    assert [c.title for c in month.undated] == [undated.title]
    assert sum(len(d.cards) for d in days.values()) == 3
    assert (month.previous, month.next) == (date(2026, 11, 1), date(2027, 1, 1))

    sprint = calendar_view.calendar(access, scope, date(2026, 12, 1), today=date(2026, 12, 8))
    assert [c.title for w in sprint.weeks for d in w for c in d.cards] == ["In the sprint"]
    assert sprint.undated == []


def _scope_column(scope) -> Column:
    return db.session.scalars(sa.select(Column).where(Column.scope_id == scope.id).order_by(Column.order)).first()
