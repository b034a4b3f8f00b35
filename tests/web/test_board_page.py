"""The board page: columns side by side, card tiles and their contract with the card panel,
reach, and a constant number of SQL statements whatever the number of cards."""
import re
from datetime import timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models.board import Card
from app.services import cards, columns, projects
from app.timeutil import utcnow
from tests.board_helpers import board, bulk_cards
from tests.web.board_support import (HX, column_cards, column_ids, html, user_named,
                                     world)  # noqa: F401


def test_board_shows_columns_in_order_with_card_tiles(world):
    ada, bob = user_named("ada@example.com"), user_named("bob@example.com")
    late = cards.create_card(ada, world.column(0), title="Fix <login>", priority="high",
                             dueDate=(utcnow() - timedelta(days=2)).date().isoformat(), assigneeId=bob.id,
                             checklist=[{"title": "a", "done": True}, {"title": "b"}, {"title": "c"}])
    later = cards.create_card(ada, world.column(0), title="Write docs", priority="low",
                              dueDate=(utcnow() + timedelta(days=30)).isoformat())
    shipped = cards.create_card(ada, world.column(2), title="Shipped long ago",
                                dueDate=(utcnow() - timedelta(days=9)).isoformat())
    db.session.commit()

    response = world.bob.get(world.url)
    page = html(response)
    assert response.status_code == 200
    assert column_ids(page) == world.columns
    assert [re.sub(r"\s+", " ", n) for n in re.findall(r'<h2 class="column-name">([^<]*)</h2>', page)] == \
        ["To Do", "In Progress", "Done"]
    assert column_cards(page) == {world.column(0): [late.id, later.id], world.column(1): [],
                                  world.column(2): [shipped.id]}
    tile = page[page.index(f'<article id="card-{late.id}"'):]
    tile = tile[:tile.index("</article>")]
    assert "Fix &lt;login&gt;" in tile and "<login>" not in tile
    assert "WEB-1" in tile and "High" in tile and "BE" in tile  # key, priority, Bob Example's initials
    assert 'class="card-due overdue"' in tile and "Overdue" in tile
    assert "☑ 1/3" in tile and 'data-progress="33"' in tile
    later_tile = page[page.index(f'<article id="card-{later.id}"'):]
    assert 'class="card-due"' in later_tile[:later_tile.index("</article>")]
    done_tile = page[page.index(f'<article id="card-{shipped.id}"'):]
    assert "overdue" not in done_tile[:done_tile.index("</article>")]  # done cards are never late


def test_card_title_opens_the_card_panel_and_the_page_holds_it(world):
    card = cards.create_card(user_named("ada@example.com"), world.column(0), title="Panel")
    db.session.commit()
    page = html(world.ada.get(world.url))
    link = f"{world.url}/cards/{card.id}"
    assert f'<a class="card-title" href="{link}" hx-get="{link}" hx-target="#card-panel" hx-push-url="true">Panel</a>' in page
    assert '<aside id="card-panel" class="card-panel"></aside>' in page
    assert f'<article id="card-{card.id}" class="card-tile"' in page
    assert 'src="/static/vendor/Sortable-1.15.7.min.js"' in page and 'src="/static/js/board.js"' in page


def test_archived_cards_link_only_when_that_page_exists(app, world):
    page = html(world.ada.get(world.url))
    archived = f'href="{world.url}/archived"'
    if "card_panel.archived" in app.view_functions:
        assert archived in page and "Archived cards" in page
    else:
        assert archived not in page and "Archived cards" not in page


def test_board_is_for_project_members_and_workspace_admins(world):
    assert world.ada.get(world.url).status_code == 200  # workspace admin (and creator)
    assert world.bob.get(world.url).status_code == 200  # project member
    assert world.carl.get(world.url).status_code == 404  # in the workspace, not in the project
    assert world.eve.get(world.url).status_code == 404  # outsider
    assert world.ada.get("/o/acme/w/eng/p/not-an-id").status_code == 404
    assert world.ada.get(f"/o/acme/w/nowhere/p/{world.project_id}").status_code == 404


def test_a_project_of_another_workspace_is_not_found_under_this_one(app, world):
    eve = user_named("eve@example.com")
    from app.services.access import workspace_access

    personal = projects.create_project(workspace_access(eve, "eve-example", "personal"), "Secret")
    db.session.commit()
    assert world.eve.get(f"/o/eve-example/w/personal/p/{personal.id}").status_code == 200
    assert world.ada.get(f"/o/acme/w/eng/p/{personal.id}").status_code == 404
    assert world.eve.get(f"/o/acme/w/eng/p/{personal.id}").status_code == 404


def test_anonymous_visitors_go_to_login(client, world):
    response = client.get(world.url)
    assert response.status_code == 302 and response.location.startswith("/login")
    hx = client.post(f"{world.url}/board/columns", headers=HX, data={"name": "X"})
    assert hx.status_code == 401 and hx.headers["HX-Redirect"].startswith("/login")


def count_statements(call):
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = call()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 200, html(response)[:500]
    return response, len(statements)


def board_with(count: int, name: str):
    """A project of Ada's with `count` cards (two checklist items each, some assigned and
    prioritized) in To Do and 3 in In Progress."""
    ada = user_named("ada@example.com")
    access, cols = board(ada, name)
    ids = bulk_cards(access.project.id, cols[0].id, count, checklist=2)
    bulk_cards(access.project.id, cols[1].id, 3)
    db.session.execute(sa.update(Card).where(Card.id.in_(ids[::3])).values(assignee_id=ada.id, priority="high"))
    db.session.commit()
    return f"/o/acme/w/eng/p/{access.project.id}", cols, ids


def test_board_page_costs_the_same_sql_at_10_and_1000_cards(world):
    small_url, small_cols, small_ids = board_with(10, "Small")
    large_url, large_cols, large_ids = board_with(1000, "Large")
    world.ada.get(small_url)  # first request of the connection pool out of the way

    small, small_count = count_statements(lambda: world.ada.get(small_url))
    large, large_count = count_statements(lambda: world.ada.get(large_url))
    assert small_count == large_count <= 25
    assert len(column_cards(html(small))[small_cols[0].id]) == 10
    assert len(column_cards(html(large))[large_cols[0].id]) == 50  # the rest loads on demand
    assert len(html(large)) < 5 * len(html(small)) + 60_000

    _, small_filtered = count_statements(lambda: world.ada.get(small_url + "?priority=high&q=card", headers=HX))
    _, large_filtered = count_statements(lambda: world.ada.get(large_url + "?priority=high&q=card", headers=HX))
    assert small_filtered == large_filtered

    more = lambda url, cols: world.ada.get(f"{url}/board/columns/{cols[0].id}/cards?offset=5", headers=HX)  # noqa: E731
    _, small_more = count_statements(lambda: more(small_url, small_cols))
    _, large_more = count_statements(lambda: more(large_url, large_cols))
    assert small_more == large_more

    move = lambda url, cols, ids: world.ada.post(  # noqa: E731
        f"{url}/board/cards/{ids[len(ids) // 2]}/move", headers=HX,
        data={"column_id": cols[1].id, "after_id": "", "before_id": ""})
    _, small_move = count_statements(lambda: move(small_url, small_cols, small_ids))
    _, large_move = count_statements(lambda: move(large_url, large_cols, large_ids))
    assert small_move == large_move


def test_column_order_and_names_follow_the_services(world):
    ada = user_named("ada@example.com")
    access = projects.project_access(ada, "acme", "eng", world.project_id)
    columns.update_column(access, world.column(2), {"order": 0, "name": "Shipped"})
    db.session.commit()
    page = html(world.bob.get(world.url))
    assert column_ids(page) == [world.column(2), world.column(0), world.column(1)]
    assert '<h2 class="column-name">Shipped</h2>' in page


def test_a_5000_card_column_keeps_the_page_small(world):
    bulk_cards(world.project_id, world.column(0), 5000, checklist=1)
    db.session.commit()
    response = world.bob.get(world.url)
    page = html(response)
    assert response.status_code == 200
    assert len(column_cards(page)[world.column(0)]) == 50
    assert "Loading 4950 more cards…" in page
    assert len(response.get_data()) < 120_000
