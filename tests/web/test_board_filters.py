"""Filtering the board (text, assignee, priority; on the server, the address follows) and
lazy loading of long columns."""
import re

from app.extensions import db
from app.services import cards
from tests.board_helpers import bulk_cards
from tests.web.board_support import HX, column_cards, html, user_named, world  # noqa: F401


def seed(world):
    ada, bob = user_named("ada@example.com"), user_named("bob@example.com")
    made = {}
    for title, column, extra in (
        ("Login page", 0, {"priority": "high", "assigneeId": bob.id}),
        ("Logout button", 0, {"priority": "low"}),
        ("Billing 100% fix", 1, {"priority": "high", "assigneeId": ada.id}),
        ("Signup flow", 1, {"description": "Ask for the login name"}),
        ("Release notes", 2, {}),
    ):
        made[title] = cards.create_card(ada, world.column(column), title=title, **extra).id
    db.session.commit()
    return made


def shown(response) -> set[str]:
    return {card for column in column_cards(html(response)).values() for card in column}


def test_text_filter_matches_title_description_and_key(world):
    made = seed(world)
    response = world.bob.get(world.url + "?q=LOGIN", headers=HX)
    assert response.status_code == 200
    assert shown(response) == {made["Login page"], made["Signup flow"]}
    assert html(response).startswith('<div id="board-columns"')  # the columns only
    assert "Showing the cards that match the filter" in html(response)
    assert shown(world.bob.get(world.url + "?q=web-3", headers=HX)) == {made["Billing 100% fix"]}
    assert shown(world.bob.get(world.url + "?q=100%25", headers=HX)) == {made["Billing 100% fix"]}
    assert shown(world.bob.get(world.url + "?q=_", headers=HX)) == set()  # no wildcard
    assert shown(world.bob.get(world.url + "?q=nothing+like+it", headers=HX)) == set()


def test_assignee_and_priority_filters_combine(world):
    made = seed(world)
    bob = user_named("bob@example.com")
    assert shown(world.bob.get(f"{world.url}?assignee={bob.id}", headers=HX)) == {made["Login page"]}
    assert shown(world.bob.get(world.url + "?assignee=none", headers=HX)) == \
        {made["Logout button"], made["Signup flow"], made["Release notes"]}
    assert shown(world.bob.get(world.url + "?priority=high", headers=HX)) == \
        {made["Login page"], made["Billing 100% fix"]}
    assert shown(world.bob.get(world.url + "?priority=none&assignee=none", headers=HX)) == \
        {made["Signup flow"], made["Release notes"]}
    assert shown(world.bob.get(world.url + "?priority=high&q=bill", headers=HX)) == {made["Billing 100% fix"]}


def test_the_address_bar_shows_the_filter_and_a_reload_keeps_it(world):
    made = seed(world)
    response = world.bob.get(world.url + "?q=+login+&assignee=&priority=high", headers=HX)
    assert response.headers["HX-Push-Url"] == world.url + "?q=login&priority=high"
    assert "HX-Request" in response.headers["Vary"]
    page = world.bob.get(world.url + "?q=login&priority=high")
    assert shown(page) == {made["Login page"]}
    text = html(page)
    assert 'name="q" value="login"' in text and '<option value="high" selected>' in text
    assert 'data-filter="q=login&amp;priority=high"' in text
    # Every form carries the filter, so a change answers columns filtered the same way.
    add_form = text[text.index('class="add-card"'):]
    assert '<input type="hidden" name="q" value="login">' in add_form[:add_form.index("</form>")]


def test_a_bad_filter_shows_the_whole_board_with_the_reason(world):
    made = seed(world)
    for query, reason in (("priority=urgent", "priority must be one of"),
                          ("assignee=bob", "assignee must be a member"),
                          ("q=" + "x" * 201, "at most 200 characters"),
                          ("q=%00", "NUL")):
        response = world.bob.get(f"{world.url}?{query}")
        assert response.status_code == 400, query
        assert reason in html(response) and shown(response) == set(made.values()), query


def test_the_filter_applies_to_moves_and_adds(world):
    made = seed(world)
    moved = world.bob.post(f"{world.url}/board/cards/{made['Logout button']}/move", headers=HX,
                           data={"column_id": world.column(1), "after_id": made["Billing 100% fix"],
                                 "priority": "high"})
    assert moved.status_code == 200
    assert shown(moved) == {made["Login page"], made["Billing 100% fix"]}  # answered filtered
    added = world.bob.post(f"{world.url}/board/columns/{world.column(0)}/cards", headers=HX,
                           data={"title": "Login again", "q": "login"})
    assert added.status_code == 201 and "Login again" in html(added) and "Logout" not in html(added)


def test_long_columns_load_their_cards_as_they_scroll_into_view(world):
    project = world.project_id
    ids = bulk_cards(project, world.column(0), 120)
    db.session.commit()
    page = html(world.bob.get(world.url))
    assert column_cards(page)[world.column(0)] == ids[:50]
    more = f"{world.url}/board/columns/{world.column(0)}/cards"
    loader = re.search(r'<div class="load-more"[^>]*hx-get="([^"]+)"\s+hx-trigger="revealed" hx-swap="outerHTML">'
                       r"Loading 70 more cards…", page)
    assert loader and loader.group(1) == f"{more}?offset=50"

    second = world.bob.get(f"{more}?offset=50", headers=HX)
    batch = html(second)
    assert second.status_code == 200
    assert re.findall(r'data-card-id="([0-9a-f]{24})"', batch) == ids[50:100]
    assert f'hx-get="{more}?offset=100"' in batch and "Loading 20 more cards" in batch
    last = html(world.bob.get(f"{more}?offset=100", headers=HX))
    assert re.findall(r'data-card-id="([0-9a-f]{24})"', last) == ids[100:]
    assert "load-more" not in last
    assert "data-card-id" not in html(world.bob.get(f"{more}?offset=500", headers=HX))


def test_lazy_loading_keeps_the_filter_and_refuses_bad_input(world):
    ids = bulk_cards(world.project_id, world.column(0), 130)
    db.session.commit()
    more = f"{world.url}/board/columns/{world.column(0)}/cards"
    page = html(world.bob.get(world.url + "?q=card+1"))  # Card 1, Card 10..19, Card 100..130
    assert len(column_cards(page)[world.column(0)]) == 42
    assert "load-more" not in page
    assert len(column_cards(html(world.bob.get(world.url + "?q=card")))[world.column(0)]) == 50
    filtered = html(world.bob.get(world.url + "?q=card"))
    assert f'hx-get="{more}?offset=50&amp;q=card"' in filtered
    assert world.bob.get(f"{more}?offset=-1", headers=HX).status_code == 400
    assert world.bob.get(f"{more}?offset=abc", headers=HX).status_code == 400
    assert world.bob.get(f"{more}?priority=bogus", headers=HX).status_code == 400
    assert world.bob.get(f"{world.url}/board/columns/{'0' * 24}/cards", headers=HX).status_code == 404
    assert world.carl.get(f"{more}?offset=50", headers=HX).status_code == 404
    assert world.eve.get(f"{more}?offset=50", headers=HX).status_code == 404
    assert len(ids) == 130
