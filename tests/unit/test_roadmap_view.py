"""The roadmap's layout: where cards and scopes land on the timeline, milestones, the
unscheduled cards, the range and its ticks, the cap, and arrows only between drawn cards;
and a board's roadmap loaded from the database (its own cards, relations, scopes)."""
from datetime import date, datetime, timezone

import sqlalchemy as sa

from app.extensions import db
from app.models.board import Card, Column, Scope
from app.services import cards, relations, roadmap_view, scopes
from app.services.roadmap_view import (AXIS_HEIGHT, BAR_HEIGHT, LABEL_WIDTH, MAX_DAY_WIDTH, PAD_DAYS, ROW_HEIGHT,
                                       layout)
from tests.board_helpers import board, team_workspace, user

UTC = timezone.utc
TODAY = date(2026, 12, 10)


def at(day: date | None) -> datetime | None:
    return datetime(day.year, day.month, day.day, 9, tzinfo=UTC) if day else None


def card(number: int, start: date | None = None, due: date | None = None) -> Card:
    return Card(id=f"{number:024x}", number=number, title=f"Card {number}", start_date=at(start), due_date=at(due))


def scope(name: str, start: date | None = None, end: date | None = None) -> Scope:
    return Scope(id=name.ljust(24, "0"), name=name, start_date=at(start), end_date=at(end))


def test_cards_are_bars_from_start_to_due_and_milestones_with_one_date():
    bar = card(1, date(2026, 12, 1), date(2026, 12, 5))
    due_only = card(2, due=date(2026, 12, 20))
    start_only = card(3, start=date(2026, 12, 3))
    one_day = card(4, date(2026, 12, 8), date(2026, 12, 8))
    plan = layout([due_only, bar, one_day, start_only], [], [], TODAY)

    assert plan.first == date(2026, 11, 24)  # bar's start - PAD_DAYS
    assert plan.last == date(2026, 12, 27)  # due_only + PAD_DAYS
    days = (plan.last - plan.first).days + 1
    assert days == 34 and plan.day_width == MAX_DAY_WIDTH  # 1000 / 34 would be wider than allowed
    # Rows by first day: bar (1 Dec), start_only (3 Dec), one_day (8 Dec), due_only (20 Dec).
    assert [s.card for s in plan.cards] == [bar, start_only, one_day, due_only]
    first = plan.cards[0]
    assert (first.start, first.end, first.milestone) == (date(2026, 12, 1), date(2026, 12, 5), False)
    assert first.x == LABEL_WIDTH + PAD_DAYS * plan.day_width
    assert first.width == 5 * plan.day_width  # both days included
    assert first.y == AXIS_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2
    assert plan.cards[1].milestone and plan.cards[1].start == plan.cards[1].end == date(2026, 12, 3)
    assert plan.cards[1].y == first.y + ROW_HEIGHT
    assert not plan.cards[2].milestone and plan.cards[2].width == plan.day_width  # a one-day bar
    assert plan.cards[3].milestone and plan.cards[3].x == LABEL_WIDTH + 26 * plan.day_width
    assert plan.today_x == LABEL_WIDTH + 16 * plan.day_width + plan.day_width / 2
    assert plan.width == LABEL_WIDTH + days * plan.day_width
    assert plan.height == AXIS_HEIGHT + 4 * ROW_HEIGHT + ROW_HEIGHT // 2


def test_cards_without_dates_are_unscheduled_and_nothing_dated_draws_no_timeline():
    plan = layout([card(3), card(1), card(2, due=date(2026, 12, 2))], [], [], TODAY)
    assert [c.number for c in plan.unscheduled] == [1, 3]
    assert [s.card.number for s in plan.cards] == [2]
    empty = layout([card(1), card(2)], [], [], TODAY)
    assert empty.first is None and empty.cards == [] and empty.ticks == [] and empty.today_x is None
    assert [c.number for c in empty.unscheduled] == [1, 2]


def test_scopes_come_first_and_widen_the_range_today_line_only_inside_it():
    sprint = scope("Sprint", date(2027, 1, 4), date(2027, 1, 17))
    launch = scope("Launch", end=date(2027, 2, 1))
    undated = scope("Someday")
    plan = layout([card(1, date(2027, 1, 5), date(2027, 1, 8))], [sprint, undated, launch], [], TODAY)
    assert [s.scope for s in plan.scopes] == [sprint, launch]
    assert [s.row for s in plan.scopes] == [0, 1] and plan.cards[0].row == 2
    assert plan.scopes[1].milestone and not plan.scopes[0].milestone
    assert plan.undated_scopes == [undated]
    assert plan.first == date(2026, 12, 28) and plan.last == date(2027, 2, 8)
    assert plan.today_x is None  # 10 Dec is before the range


def test_ticks_mark_months_and_mondays_when_days_are_wide_enough():
    plan = layout([card(1, date(2026, 12, 20), date(2027, 1, 10))], [], [], TODAY)
    months = [t.day for t in plan.ticks if t.month]
    mondays = [t.day for t in plan.ticks if not t.month]
    assert months == [date(2027, 1, 1)] and plan.ticks[[t.day for t in plan.ticks].index(date(2027, 1, 1))].label == "Jan 2027"
    assert mondays == [date(2026, 12, 14), date(2026, 12, 21), date(2026, 12, 28), date(2027, 1, 4),
                       date(2027, 1, 11)]
    assert all(t.x == LABEL_WIDTH + (t.day - plan.first).days * plan.day_width for t in plan.ticks)
    # Two years: days too narrow for weeks, months only.
    wide = layout([card(1, date(2026, 1, 1), date(2027, 12, 31))], [], [], TODAY)
    assert all(t.month for t in wide.ticks) and len(wide.ticks) == 25


def test_arrows_join_drawn_cards_only():
    a, b = card(1, date(2026, 12, 1), date(2026, 12, 3)), card(2, date(2026, 12, 5), date(2026, 12, 9))
    c, undated = card(3, due=date(2026, 12, 12)), card(4)
    blocks = [(a.id, b.id), (b.id, c.id), (a.id, undated.id), (undated.id, c.id), (a.id, "f" * 24), (a.id, b.id)]
    plan = layout([a, b, c, undated], [], blocks, TODAY)
    assert [(x.blocker.card, x.blocked.card) for x in plan.arrows] == [(a, b), (b, c)]
    first, second = plan.arrows
    assert first.path.startswith(f"M{first.blocker.x + first.blocker.width:.1f},{first.blocker.middle_y:.1f} ")
    assert first.path.endswith(f" {first.blocked.x:.1f},{first.blocked.middle_y:.1f}")
    # Into a milestone: its left point, half a bar's height left of the day's middle.
    milestone = second.blocked
    assert milestone.milestone and milestone.left_end == milestone.x + plan.day_width / 2 - BAR_HEIGHT / 2
    assert second.path.endswith(f" {milestone.left_end:.1f},{milestone.middle_y:.1f}")
    # Beyond the cap: the later card is not drawn, so neither is its arrow.
    capped = layout([a, b, c], [], blocks, TODAY, max_cards=2)
    assert [s.card for s in capped.cards] == [a, b] and capped.hidden == 1
    assert [(x.blocker.card, x.blocked.card) for x in capped.arrows] == [(a, b)]
    assert capped.last == date(2026, 12, 16)  # the range follows the cards drawn


def test_a_boards_roadmap_holds_its_own_active_cards_relations_and_scopes(app):
    ada = user("ada@example.com")
    team_workspace(ada)
    access, columns = board(ada, "Website")
    sprint = scopes.create_scope(access, {"name": "Sprint", "startDate": "2026-12-01", "endDate": "2026-12-14"})
    scopes.create_scope(access, {"name": "Later"})
    sprint_column = db.session.scalar(sa.select(Column).where(Column.scope_id == sprint.id).order_by(Column.order))
    first = cards.create_card(ada, columns[0].id, title="First", startDate="2026-12-01", dueDate="2026-12-03")
    second = cards.create_card(ada, columns[1].id, title="Second", dueDate="2026-12-08")
    archived = cards.create_card(ada, columns[0].id, title="Archived", dueDate="2026-12-09")
    in_sprint = cards.create_card(ada, sprint_column.id, title="Sprint work", dueDate="2026-12-05")
    cards.archive_card(ada, archived.id)
    relations.create_relation(ada, first.id, second.id, "blocks")
    relations.create_relation(ada, second.id, in_sprint.id, "blocks")  # across boards: not drawn
    relations.create_relation(ada, archived.id, second.id, "blocked_by")  # archived: not drawn
    db.session.commit()

    own = roadmap_view.roadmap(access, None, TODAY)
    assert [s.card.title for s in own.cards] == ["First", "Second"]
    assert [(x.blocker.card.title, x.blocked.card.title) for x in own.arrows] == [("First", "Second")]
    assert [s.scope.name for s in own.scopes] == ["Sprint"] and [s.name for s in own.undated_scopes] == ["Later"]
    assert own.cards[1].card.column.category == "in_progress"

    sprint_plan = roadmap_view.roadmap(access, sprint, TODAY)
    assert [s.card.title for s in sprint_plan.cards] == ["Sprint work"] and sprint_plan.arrows == []
    assert [s.scope for s in sprint_plan.scopes] == [sprint]


def test_dates_centuries_apart_stay_drawable():
    plan = layout([card(1, date(1, 1, 3), date(9999, 12, 30)), card(2, due=date(2026, 12, 1))], [], [], TODAY)
    assert plan.first == date.min and plan.last == date.max
    assert plan.width <= LABEL_WIDTH + roadmap_view.MAX_WIDTH + 1
    years = [t.label for t in plan.ticks]
    assert all(t.month and t.day.month == 1 for t in plan.ticks) and years[:2] == ["1", "2"] and years[-1] == "9999"
    near_end = layout([card(1, due=date(9999, 12, 28))], [], [], TODAY)
    assert near_end.last == date.max and near_end.ticks[-1].day <= date.max
