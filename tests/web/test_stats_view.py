"""The stats view of a board: counts of the board's active cards (the scope's, not the project
board's) by status, column, priority and assignee, the flow and burndown over the board's
days with their numbers, reach, the remembered view, and a constant number of SQL statements
whatever the card count."""
import re
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from app.extensions import db
from app.models.board import Card
from app.models.card_depth import Activity
from app.services import cards
from app.timeutil import utcnow
from tests.board_helpers import board, bulk_cards
from tests.web.board_support import html, user_named, new_scope, world  # noqa: F401
from tests.web.test_board_page import count_statements

UTC = timezone.utc


def bars(page: str, chart: str) -> dict[str, int]:
    """Label → value of the bars of one chart (`by_category`, `by_column`...)."""
    part = page[page.index(f'id="chart-{chart}"'):]
    part = part[:part.index("</figure>")]
    return {label: int(value) for label, value in
            re.findall(r'class="stats-bar" data-label="([^"]*)" data-value="(\d+)"', part)}


def day_rows(page: str) -> dict[str, list[str]]:
    """Day → [to do, in progress, done, open, ideal] from the table under the charts."""
    rows = re.findall(r'<tr data-day="([0-9-]{10})">(.*?)</tr>', page, re.S)
    return {day: re.findall(r'<td class="number">([^<]*)</td>', cells) for day, cells in rows}


def new_card(title: str, column: str, **fields) -> str:
    card = cards.create_card(user_named("ada@example.com"), column, title=title, **fields)
    db.session.commit()
    return card.id


def test_the_boards_cards_are_counted_by_status_priority_and_assignee(world):
    bob = user_named("bob@example.com")
    new_card("One", world.column(0), priority="high", assigneeId=bob.id)
    new_card("Two", world.column(0), priority="high")
    new_card("Three", world.column(1), priority="low", assigneeId=bob.id)
    new_card("Four", world.column(2))
    archived = new_card("Archived", world.column(2), priority="medium")
    cards.archive_card(user_named("ada@example.com"), archived)
    db.session.commit()

    response = world.bob.get(f"{world.url}/stats")
    page = html(response)
    assert response.status_code == 200
    assert "<strong>4</strong> active cards on this board." in page
    assert bars(page, "by_category") == {"To do": 2, "In progress": 1, "Done": 1}
    assert bars(page, "by_column") == {"To Do": 2, "In Progress": 1, "Done": 1}
    assert bars(page, "by_priority") == {"High": 2, "Medium": 0, "Low": 1, "No priority": 1}
    assert bars(page, "by_assignee") == {"Bob Example": 2, "Unassigned": 2}
    # Accessible: each chart is titled and its numbers are in its description.
    assert '<title id="by_priority-title">By priority, Website (project board)</title>' in page
    assert '<desc id="by_category-desc">To do: 2; In progress: 1; Done: 1.</desc>' in page
    # The series cover the last 30 days, today holding the current state.
    rows = day_rows(page)
    today = utcnow().date()
    assert list(rows)[0] == (today - timedelta(days=29)).isoformat() and list(rows)[-1] == today.isoformat()
    assert rows[today.isoformat()][:4] == ["2", "1", "1", "3"]
    assert "Over the last 30 days" in page
    assert f'href="{world.url}/stats" aria-current="page" class="active">Stats</a>' in page


def test_a_scope_with_dates_shows_its_own_cards_and_days(world):
    today = utcnow().date()
    start, end = today - timedelta(days=3), today + timedelta(days=3)
    scope, scope_columns = new_scope(world, "Sprint <1>", startDate=start.isoformat(), endDate=end.isoformat())
    first = new_card("In the sprint", scope_columns[0])
    new_card("Also in it", scope_columns[0], priority="high")
    new_card("On the project board", world.column(1))
    cards.move_card(user_named("ada@example.com"), first, scope_columns[2])
    db.session.commit()
    # Script the history: both created three days ago, the move yesterday.
    db.session.execute(sa.update(Activity).where(Activity.type == "card_created").values(
        created_at=datetime.combine(start, datetime.min.time(), UTC) + timedelta(hours=9)))
    db.session.execute(sa.update(Activity).where(Activity.type == "card_moved").values(
        created_at=datetime.combine(today - timedelta(days=1), datetime.min.time(), UTC) + timedelta(hours=9)))
    db.session.commit()

    page = html(world.bob.get(f"{world.url}/stats?scope={scope.id}"))
    assert bars(page, "by_category") == {"To do": 1, "In progress": 0, "Done": 1}
    assert bars(page, "by_priority")["High"] == 1
    rows = day_rows(page)
    assert list(rows) == [(start + timedelta(days=n)).isoformat() for n in range(7)]
    assert [rows[d.isoformat()][3] for d in (start, today - timedelta(days=2), today - timedelta(days=1), today)] \
        == ["2", "2", "1", "1"]
    assert rows[end.isoformat()][:4] == ["—"] * 4 and rows[start.isoformat()][4] == "2.0"
    assert rows[end.isoformat()][4] == "0.0"
    assert "Over the scope's dates" in page and "Sprint &lt;1&gt;" in page
    assert 'class="flow-area status-done"' in page and 'class="remaining-line"' in page
    own = html(world.bob.get(f"{world.url}/stats"))
    assert bars(own, "by_category") == {"To do": 0, "In progress": 1, "Done": 0}


def test_a_scope_without_dates_covers_the_last_30_days_and_says_so(world):
    scope, _ = new_scope(world)
    page = html(world.bob.get(f"{world.url}/stats?scope={scope.id}"))
    assert len(day_rows(page)) == 30 and "give the scope a start and an end date" in page
    assert "<strong>0</strong> active cards" in page


# Cost ----------------------------------------------------------------------------------------

def stats_with(count: int, name: str) -> str:
    """A project of Ada's with `count` bulk cards (some prioritized and assigned, a third in
    Done) and a few made through the service, so the log has creations and moves."""
    ada = user_named("ada@example.com")
    access, cols = board(ada, name)
    ids = bulk_cards(access.project.id, cols[0].id, count)
    for n, card_id in enumerate(ids):
        if n % 3 == 0:
            db.session.execute(sa.update(Card).where(Card.id == card_id).values(
                column_id=cols[2].id, priority="high", assignee_id=ada.id))
    for n in range(3):
        card = cards.create_card(ada, cols[0].id, title=f"Logged {n}")
        cards.move_card(ada, card.id, cols[1].id)
    db.session.commit()
    return f"/o/acme/w/eng/p/{access.project.id}"


def test_the_stats_cost_the_same_sql_at_10_and_1000_cards(world):
    small_url = stats_with(10, "Small")
    large_url = stats_with(1000, "Large")
    world.ada.get(small_url + "/stats")  # first request of the connection pool out of the way

    small, small_count = count_statements(lambda: world.ada.get(small_url + "/stats"))
    large, large_count = count_statements(lambda: world.ada.get(large_url + "/stats"))
    assert small_count == large_count <= 20
    assert bars(html(large), "by_category") == {"To do": 666, "In progress": 3, "Done": 334}
    assert day_rows(html(large))[utcnow().date().isoformat()][:4] == ["666", "3", "334", "669"]
