"""The list, calendar, roadmap and stats views follow their project's event stream: the
page carries the stream and its cursor around the view (#view-live, static/js/view_live.js),
and each view answers its own fragment for an htmx GET of the same address, which is what
the script fetches again after a change. The kanban keeps its own live board (live.js)."""
import re
import pytest

from app import live
from app.extensions import db
from app.services import cards
from tests.web.board_support import HX, html, new_scope, user_named, world  # noqa: F401

# View → what only its fragment starts with.
FRAGMENTS = {"list": '<div id="list-table"', "calendar": '<div id="calendar-board"',
             "roadmap": '<section class="board-chart roadmap"', "stats": '<section class="board-chart stats"'}


@pytest.fixture()
def scoped_card(world):
    """A scope of Website with one card due on 3 December 2026; its id."""
    scope, scope_columns = new_scope(world)
    cards.create_card(user_named("ada@example.com"), scope_columns[0], title="Scoped <work>",
                      dueDate="2026-12-03T09:00:00Z")
    db.session.commit()
    return scope.id


@pytest.mark.parametrize("view", FRAGMENTS)
def test_a_view_page_follows_the_event_stream_around_its_fragment(world, scoped_card, view):
    before = live.page_cursor()
    response = world.bob.get(f"{world.url}/{view}?scope={scoped_card}&month=2026-12")
    page = html(response)
    assert response.status_code == 200 and "X-Fragment" not in response.headers
    assert page.lstrip().lower().startswith("<!doctype html>")
    box = re.search(r'<div id="view-live" data-live-events="([^"]+)" data-since="([^"]+)">\s*(.{80})',
                    page, re.S)
    assert box.group(1) == f"{world.url}/events" and box.group(2) == before
    assert box.group(3).startswith(FRAGMENTS[view])  # the view is what the script swaps
    assert 'src="/static/js/view_live.js"' in page and "js/live.js" not in page


@pytest.mark.parametrize("view", FRAGMENTS)
def test_a_view_answers_its_fragment_for_htmx_with_the_same_query(world, scoped_card, view):
    response = world.bob.get(f"{world.url}/{view}?scope={scoped_card}&month=2026-12", headers=HX)
    fragment = html(response)
    assert response.status_code == 200 and response.headers["X-Fragment"] == "1"
    assert "HX-Request" in response.headers["Vary"]
    assert fragment.lstrip().startswith(FRAGMENTS[view])
    assert "<html" not in fragment and "view-live" not in fragment and "board-header" not in fragment
    # The scope's board, as the query named it.
    if view == "stats":
        assert "<strong>1</strong> active card on this board" in fragment
    else:
        assert "Scoped &lt;work&gt;" in fragment and "Scoped <work>" not in fragment


def test_the_kanban_keeps_its_own_live_board(world):
    page = html(world.bob.get(world.url))
    assert 'src="/static/js/live.js"' in page
    assert "view_live.js" not in page and 'id="view-live"' not in page


@pytest.mark.parametrize("view", FRAGMENTS)
def test_an_outsider_gets_no_fragment(world, view):
    assert world.eve.get(f"{world.url}/{view}", headers=HX).status_code == 404
