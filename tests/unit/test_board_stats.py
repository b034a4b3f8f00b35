"""The stats of a board: counts by status, column, priority and assignee; the range of the
series; and the cumulative flow and burndown rebuilt from a scripted history of creations,
moves and archiving on given days (exact numbers, approximations included)."""
from datetime import date, datetime, timedelta, timezone

import sqlalchemy as sa

from app.extensions import db
from app.models.board import Card, Column, Scope
from app.models.card_depth import Activity
from app.services import board_stats, cards, projects, scopes
from app.services.board_stats import CardState, Change, Count
from tests.board_helpers import board, join, team_workspace, user

UTC = timezone.utc


def at(day: int, hour: int = 12, month: int = 12) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


def column(name: str, category: str) -> Column:
    return Column(id=name.lower().replace(" ", "-").ljust(24, "0"), name=name, category=category)


TODO, DOING, DONE = column("To Do", "todo"), column("Doing", "in_progress"), column("Done", "done")
COLUMNS = [TODO, DOING, DONE]


def moved(card: str, when: datetime, source: str, target: str) -> Change:
    return Change(card, when, "card_moved", {"fromColumn": source, "toColumn": target})


def test_a_scripted_history_gives_the_exact_flow_and_burndown():
    cards_now = [
        CardState("a", DONE.id, False, at(1, 10)),
        CardState("b", DOING.id, False, at(28, month=11)),
        CardState("c", TODO.id, True, at(2)),
        CardState("d", DOING.id, False, at(3, 10)),
        CardState("e", DONE.id, False, at(30, month=11)),  # no log at all (imported)
        CardState("f", TODO.id, False, at(1)),
        CardState("g", TODO.id, True, at(2), archived_at=at(4, 6)),  # archived with no log entry
    ]
    log = [
        Change("a", at(1, 10), "card_created", {"column": "To Do"}),
        moved("a", at(2, 9), "To Do", "Doing"),
        moved("a", at(3, 15), "Doing", "Done"),
        Change("b", at(28, month=11), "card_created", {"column": "To Do"}),
        # "Doing" was called "In dev" then: its last move still counts as in progress.
        moved("b", at(1, 8), "To Do", "In dev"),
        Change("c", at(2), "card_created", {"column": "To Do"}),
        Change("c", at(2, 13), "card_updated", {"fields": ["title"]}),
        Change("c", at(3, 10), "card_archived"),
        # Created in a column deleted since: that stay counts as To do.
        Change("d", at(3, 10), "card_created", {"column": "Backlog"}),
        moved("d", at(4, 9), "Backlog", "Doing"),
        Change("f", at(1), "card_created", {"column": "To Do"}),
        Change("f", at(2), "card_archived"),
        Change("f", at(3), "card_updated", {"fields": ["archived"]}),
        Change("g", at(2), "card_created", {"column": "To Do"}),
    ]
    result = board_stats.series(COLUMNS, cards_now, log, date(2026, 12, 1), date(2026, 12, 5), now=at(4))

    assert result.days == [date(2026, 12, d) for d in range(1, 6)]
    assert result.flow == [
        {"todo": 2, "in_progress": 1, "done": 1},  # 1 Dec: a, f to do; b in progress; e done
        {"todo": 2, "in_progress": 2, "done": 1},  # 2 Dec: c, g to do; a, b; e (f archived)
        {"todo": 3, "in_progress": 1, "done": 2},  # 3 Dec: d, f (back), g; b; a, e (c archived)
        {"todo": 1, "in_progress": 2, "done": 2},  # 4 Dec, now: f; b, d; a, e (g archived at 6:00)
        None,                                      # 5 Dec is after today
    ]
    assert result.remaining == [3, 4, 4, 3, None]
    assert result.ideal == [3, 2.25, 1.5, 0.75, 0]


def test_today_is_the_boards_current_state_and_a_later_range_starts_the_ideal_from_it():
    cards_now = [CardState("a", DONE.id, False, at(1)), CardState("b", TODO.id, False, at(1)),
                 CardState("c", DOING.id, False, at(1))]
    result = board_stats.series(COLUMNS, cards_now, [], date(2026, 12, 3), date(2026, 12, 3), now=at(3))
    assert result.flow == [{"todo": 1, "in_progress": 1, "done": 1}] and result.ideal == [2.0]
    future = board_stats.series(COLUMNS, cards_now, [], date(2026, 12, 10), date(2026, 12, 12), now=at(3))
    assert future.flow == [None] * 3 and future.remaining == [None] * 3 and future.ideal == [2, 1, 0]


def test_the_range_is_the_scopes_dates_or_the_last_30_days():
    today = date(2026, 11, 29)
    assert board_stats.stats_range(None, today) == (date(2026, 10, 31), today, False)
    half = Scope(name="Half", start_date=at(1))
    assert board_stats.stats_range(half, today) == (date(2026, 10, 31), today, False)
    sprint = Scope(name="Sprint", start_date=at(1), end_date=at(14))
    assert board_stats.stats_range(sprint, today) == (date(2026, 12, 1), date(2026, 12, 14), True)
    long = Scope(name="Long", start_date=at(1), end_date=datetime(2029, 1, 1, tzinfo=UTC))
    assert board_stats.stats_range(long, today) == (date(2026, 12, 1), date(2026, 12, 1) + timedelta(days=365), True)


def test_counts_by_status_priority_and_assignee():
    review = column("Review", "in_progress")
    columns = [TODO, DOING, review, DONE]
    on = [TODO.id, DOING.id, DOING.id, review.id, DONE.id]
    assert board_stats.count_by_category(columns, on) == [
        Count("todo", "To do", 1), Count("in_progress", "In progress", 3), Count("done", "Done", 1)]
    assert [(c.label, c.value) for c in board_stats.count_by_column(columns, on)] == [
        ("To Do", 1), ("Doing", 2), ("Review", 1), ("Done", 1)]
    assert [(c.label, c.value) for c in board_stats.count_by_priority(["low", None, "high", "low"])] == [
        ("High", 1), ("Medium", 0), ("Low", 2), ("No priority", 1)]
    people = [("u1", "bob"), ("u2", "Ada"), (None, None), ("u1", "bob"), ("u3", "Carl")]
    assert [(c.label, c.value) for c in board_stats.count_by_assignee(people)] == [
        ("bob", 2), ("Ada", 1), ("Carl", 1), ("Unassigned", 1)]
    assert board_stats.count_by_assignee([("u1", "Bob")]) == [Count("person", "Bob", 1)]


def test_a_boards_stats_from_the_database_follow_the_log(app):
    ada = user("ada@example.com")
    workspace = team_workspace(ada)
    bob = user("bob@example.com")
    join(bob, workspace)
    access, columns = board(ada, "Website")
    projects.add_member(access, "bob@example.com")
    sprint = scopes.create_scope(access, {"name": "Sprint"})
    sprint_column = db.session.scalar(sa.select(Column.id).where(Column.scope_id == sprint.id).limit(1))
    first = cards.create_card(ada, columns[0].id, title="First", priority="high", assigneeId=bob.id)
    second = cards.create_card(ada, columns[0].id, title="Second")
    gone = cards.create_card(ada, columns[0].id, title="Archived")
    back = cards.create_card(ada, columns[0].id, title="Archived and back")
    cards.create_card(ada, sprint_column, title="Elsewhere")
    cards.move_card(ada, first.id, columns[2].id)
    cards.archive_card(ada, gone.id)
    cards.archive_card(ada, back.id)
    cards.update_card(ada, back.id, {"title": "archived"})  # its log entry reads "archived" too
    cards.update_card(ada, back.id, {"archived": False})
    db.session.commit()
    # Script the days: everything created on 1 Dec, the move on 3 Dec, the archiving on 4 Dec.
    # The second archived card came back on 5 Dec: its edits in between change nothing.
    day_of = {"card_created": at(1, 9), "card_moved": at(3, 9), "card_archived": at(4, 9),
              "card_updated": at(5, 9)}
    for type_, when in day_of.items():
        db.session.execute(sa.update(Activity).where(Activity.type == type_).values(created_at=when))
    db.session.execute(sa.update(Card).values(created_at=at(1, 9)))
    db.session.commit()

    stats = board_stats.board_stats(access, None, now=at(5, 12))
    assert stats.total == 3
    assert [(c.label, c.value) for c in stats.by_category] == [("To do", 2), ("In progress", 0), ("Done", 1)]
    assert [c.value for c in stats.by_priority] == [1, 0, 0, 2]
    assert [(c.label, c.value) for c in stats.by_assignee] == [("Bob", 1), ("Unassigned", 2)]
    window = stats.series.days.index(date(2026, 12, 1))
    assert stats.series.remaining[window - 1:] == [0, 4, 4, 3, 1, 2]  # 30 Nov .. 5 Dec
    assert stats.series.flow[window + 2] == {"todo": 3, "in_progress": 0, "done": 1}
    assert stats.series.days[-1] == date(2026, 12, 5) and not stats.series.from_scope_dates

    scoped = board_stats.board_stats(access, sprint, now=at(5))
    assert scoped.total == 1 and scoped.series.remaining[-1] == 1


def test_a_scope_far_in_the_future_keeps_a_years_days():
    far = Scope(name="Far", start_date=datetime(9999, 6, 1, tzinfo=UTC), end_date=datetime(9999, 12, 31, tzinfo=UTC))
    assert board_stats.stats_range(far, date(2026, 11, 29)) == (date(9999, 6, 1), date(9999, 12, 31), True)
    result = board_stats.series(COLUMNS, [], [], date(9999, 12, 1), date(9999, 12, 31), now=at(3))
    assert result.remaining == [None] * 31 and result.ideal[0] == 0
