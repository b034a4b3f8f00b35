"""The roadmap view of a board: the board's cards on the timeline (the scope's, not the
project board's), milestones and unscheduled cards, scope bars, dependency arrows, the
accessible table, reach, the remembered view, and a constant number of SQL statements
whatever the card count."""
import re
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from app.extensions import db
from app.models.board import Card
from app.services import cards, relations, scopes
from app.timeutil import utcnow
from tests.board_helpers import board, bulk_cards
from tests.web.board_support import html, user_named, new_scope, world  # noqa: F401
from tests.web.test_board_page import count_statements

UTC = timezone.utc


def drawn(page: str) -> list[str]:
    """Ids of the cards drawn on the timeline, top to bottom."""
    return re.findall(r'<a class="roadmap-row card-row" href="[^"]+" data-card-id="([0-9a-f]{24})"', page)


def unscheduled(page: str) -> list[str]:
    return re.findall(r'<li data-card-id="([0-9a-f]{24})"', page.split('class="roadmap-unscheduled"')[1])


def arrows(page: str) -> list[tuple[str, str]]:
    return re.findall(r'data-from="([0-9a-f]{24})" data-to="([0-9a-f]{24})"', page)


def new_card(title: str, column: str, **fields) -> str:
    card = cards.create_card(user_named("ada@example.com"), column, title=title, **fields)
    db.session.commit()
    return card.id


def test_the_board_cards_show_on_the_timeline_with_their_dependencies(world):
    design = new_card("Design <the> page", world.column(2), startDate="2026-12-01", dueDate="2026-12-04",
                      priority="high")
    build = new_card("Build it", world.column(1), startDate="2026-12-05", dueDate="2026-12-12")
    launch = new_card("Launch", world.column(0), dueDate="2026-12-15")
    someday = new_card("Someday", world.column(0))
    archived = new_card("Archived", world.column(0), dueDate="2026-12-02")
    ada = user_named("ada@example.com")
    cards.archive_card(ada, archived)
    relations.create_relation(ada, design, build, "blocks")
    relations.create_relation(ada, launch, build, "blocked_by")
    relations.create_relation(ada, someday, launch, "blocks")  # unscheduled: no arrow
    db.session.commit()

    response = world.bob.get(f"{world.url}/roadmap")
    page = html(response)
    assert response.status_code == 200
    assert drawn(page) == [design, build, launch] and unscheduled(page) == [someday]
    assert sorted(arrows(page)) == sorted([(design, build), (build, launch)])
    assert "Design &lt;the&gt; page" in page and "<the>" not in page
    bar = page[page.index(f'data-card-id="{design}"'):]
    bar = bar[:bar.index("</a>")]
    assert 'class="card-bar status-done priority-high"' in bar and "<rect" in bar
    assert f'href="{world.url}/cards/{design}"' in page[page.index(f'data-card-id="{design}"') - 120:][:200]
    milestone = page[page.index(f'data-card-id="{launch}"'):]
    assert 'class="card-bar status-todo milestone"' in milestone[:milestone.index("</a>")]
    # Accessible: titled and described, with the same data as a table.
    assert '<title id="roadmap-title">Roadmap of Website (project board)</title>' in page
    assert "3 cards on a timeline from 24 Nov 2026 to 22 Dec 2026" in page
    table = page[page.index("The roadmap as a table"):]
    assert "<td>2026-12-01</td>" in table and "WEB-1 Design &lt;the&gt; page" in table
    assert f'href="{world.url}/roadmap" aria-current="page" class="active">Roadmap</a>' in page


def test_the_today_line_shows_when_today_is_on_the_timeline(world):
    today = utcnow()
    new_card("Now", world.column(0), startDate=(today - timedelta(days=2)).isoformat(),
             dueDate=(today + timedelta(days=2)).isoformat())
    assert 'class="today-line"' in html(world.bob.get(f"{world.url}/roadmap"))
    far, _ = new_scope(world, "Far", startDate="2031-01-01", endDate="2031-02-01")
    assert 'class="today-line"' not in html(world.bob.get(f"{world.url}/roadmap?scope={far.id}"))


def test_an_empty_roadmap_says_how_to_fill_it(world):
    someday = new_card("Someday", world.column(0))
    page = html(world.bob.get(f"{world.url}/roadmap"))
    chart = page[page.index('class="board-chart roadmap"'):]
    assert "give cards dates to see them on the roadmap" in chart and "<svg" not in chart
    assert unscheduled(page) == [someday]


def test_a_scope_shows_its_own_cards_under_its_bar(world):
    scope, scope_columns = new_scope(world, "Sprint <1>", startDate="2026-12-01", endDate="2026-12-14")
    later, _ = new_scope(world, "Later", startDate="2027-01-04", endDate="2027-01-20")
    new_scope(world, "Undated")
    ours = new_card("In the sprint", scope_columns[1], dueDate="2026-12-10")
    loose = new_card("Sprint, undated", scope_columns[0])
    theirs = new_card("On the project board", world.column(0), dueDate="2026-12-10")

    page = html(world.bob.get(f"{world.url}/roadmap?scope={scope.id}"))
    assert drawn(page) == [ours] and unscheduled(page) == [loose]
    chart = page[page.index('class="board-chart roadmap"'):]
    assert chart.count('class="roadmap-row scope-row"') == 1 and "Sprint &lt;1&gt;" in chart and "Later" not in chart
    assert page.index('class="roadmap-row scope-row"') < page.index('class="roadmap-row card-row"')
    own = html(world.bob.get(f"{world.url}/roadmap"))
    assert drawn(own) == [theirs] and unscheduled(own) == []
    assert own.count('class="roadmap-row scope-row"') == 2 and "Scopes without dates: Undated." in own
    assert f"Scope {later.name}: 04 Jan 2027 – 20 Jan 2027" in own  # drawn on the project board only


# Cost ----------------------------------------------------------------------------------------

def roadmap_with(count: int, name: str) -> str:
    """A project of Ada's with `count` cards: two thirds dated across December 2026, the rest
    unscheduled, a chain of `blocks` relations among the first ones, and a dated scope."""
    ada = user_named("ada@example.com")
    access, cols = board(ada, name)
    ids = bulk_cards(access.project.id, cols[0].id, count)
    for n, card_id in enumerate(ids):
        if n % 3:
            db.session.execute(sa.update(Card).where(Card.id == card_id).values(
                start_date=datetime(2026, 12, 1 + n % 20, tzinfo=UTC) if n % 2 else None,
                due_date=datetime(2026, 12, 5 + n % 20, tzinfo=UTC), priority="high" if n % 4 else None))
    for blocker, blocked in zip(ids[1:8:3], ids[2:9:3]):
        relations.create_relation(ada, blocker, blocked, "blocks")
    scopes.create_scope(access, {"name": "Sprint", "startDate": "2026-12-01", "endDate": "2026-12-14"})
    db.session.commit()
    return f"/o/acme/w/eng/p/{access.project.id}"


def test_the_roadmap_costs_the_same_sql_at_10_and_1000_cards(world):
    small_url = roadmap_with(10, "Small")
    large_url = roadmap_with(1000, "Large")
    world.ada.get(small_url + "/roadmap")  # first request of the connection pool out of the way

    small, small_count = count_statements(lambda: world.ada.get(small_url + "/roadmap"))
    large, large_count = count_statements(lambda: world.ada.get(large_url + "/roadmap"))
    assert small_count == large_count <= 20
    assert len(drawn(html(large))) == 300 and "366 more are not shown" in html(large)
    assert len(unscheduled(html(large))) == 334 and len(drawn(html(small))) == 6
    assert len(arrows(html(small))) == 3
