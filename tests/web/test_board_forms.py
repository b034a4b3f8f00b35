"""Inline forms of the board: a card added at the bottom of a column, columns added,
renamed and deleted (a column holding cards moves them to the column chosen)."""
import sqlalchemy as sa

from app.extensions import db
from app.models.board import Card
from app.services import cards, columns, projects
from tests.web.board_support import (HX, card_titles, column_cards, column_ids, column_names, html,
                                     user_named, world)  # noqa: F401


def add_card(client, world, column_id, title, **extra):
    return client.post(f"{world.url}/board/columns/{column_id}/cards", headers=HX,
                       data={"title": title, **extra})


def card_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Card))


def test_a_card_added_inline_lands_at_the_bottom_and_the_form_stays_open(world):
    assert add_card(world.bob, world, world.column(0), "First").status_code == 201
    response = add_card(world.bob, world, world.column(0), "  Second <b>  ")
    assert response.status_code == 201
    assert card_titles(world.column(0)) == ["First", "Second <b>"]
    fragment = html(response)
    assert fragment.startswith(f'<section id="column-{world.column(0)}"') and "hx-swap-oob" not in fragment
    assert "Second &lt;b&gt;" in fragment and "WEB-2" in fragment
    assert '<details class="add-card" open>' in fragment and "autofocus" in fragment
    assert 'value=""' in fragment[fragment.index('name="title"'):][:400]  # empty for the next card


def test_a_refused_card_keeps_the_form_open_with_the_reason(world):
    empty = add_card(world.bob, world, world.column(0), "   ")
    assert empty.status_code == 400 and "title must not be empty" in html(empty)
    assert '<details class="add-card" open>' in html(empty)
    too_long = add_card(world.bob, world, world.column(0), "x" * 501)
    assert too_long.status_code == 400 and "at most 500 characters" in html(too_long)
    ada = user_named("ada@example.com")
    columns.update_column(projects.project_access(ada, "acme", "eng", world.project_id), world.column(1),
                          {"wipLimit": 1})
    db.session.commit()
    assert add_card(world.bob, world, world.column(1), "Fits").status_code == 201
    full = add_card(world.bob, world, world.column(1), "Too many")
    assert full.status_code == 409 and "WIP limit of 1" in html(full)
    assert 'value="Too many"' in html(full)  # the title typed is kept
    assert card_titles(world.column(1)) == ["Fits"] and card_count() == 1


def test_cards_are_added_only_to_this_projects_columns(world):
    from tests.board_helpers import board

    other, other_columns = board(user_named("ada@example.com"), "Other")
    db.session.commit()
    assert add_card(world.ada, world, other_columns[0].id, "Sneaky").status_code == 404
    assert add_card(world.carl, world, world.column(0), "Outside").status_code == 404
    assert add_card(world.eve, world, world.column(0), "Outside").status_code == 404
    assert card_count() == 0


def test_without_javascript_the_form_comes_back_to_the_board(world):
    response = world.bob.post(f"{world.url}/board/columns/{world.column(0)}/cards",
                              data={"title": "Plain", "q": "pla"})
    assert response.status_code == 302 and response.location == f"{world.url}?q=pla"
    refused = world.bob.post(f"{world.url}/board/columns/{world.column(0)}/cards", data={"title": ""})
    assert refused.status_code == 302
    assert "title must not be empty" in html(world.bob.get(world.url))  # flashed
    assert card_titles(world.column(0)) == ["Plain"]


def test_add_rename_and_delete_an_empty_column(world):
    added = world.bob.post(f"{world.url}/board/columns", headers=HX, data={"name": "Review"})
    assert added.status_code == 201 and column_names(world.project_id) == ["To Do", "In Progress", "Done", "Review"]
    new_id = column_ids(html(added))[-1]
    blank = world.bob.post(f"{world.url}/board/columns", headers=HX, data={"name": " "})
    assert blank.status_code == 400 and "name must not be empty" in html(blank)
    assert '<details class="board-add-column" open>' in html(blank)

    renamed = world.bob.post(f"{world.url}/board/columns/{new_id}/rename", headers=HX, data={"name": "QA & <Review>"})
    assert renamed.status_code == 200 and "QA &amp; &lt;Review&gt;" in html(renamed)
    assert column_names(world.project_id)[-1] == "QA & <Review>"
    bad = world.bob.post(f"{world.url}/board/columns/{new_id}/rename", headers=HX, data={"name": "y" * 101})
    assert bad.status_code == 400 and "at most 100 characters" in html(bad)
    assert '<details class="column-menu" open>' in html(bad)

    deleted = world.bob.post(f"{world.url}/board/columns/{new_id}/delete", headers=HX, data={})
    assert deleted.status_code == 200 and column_ids(html(deleted)) == world.columns
    assert column_names(world.project_id) == ["To Do", "In Progress", "Done"]


def test_deleting_a_column_with_cards_offers_and_does_the_move(world):
    ada = user_named("ada@example.com")
    for title in ("A", "B"):
        cards.create_card(ada, world.column(1), title=title)
    cards.create_card(ada, world.column(2), title="Z")
    archived = cards.create_card(ada, world.column(1), title="Old")
    cards.archive_card(ada, archived.id)
    db.session.commit()
    page = html(world.bob.get(world.url))
    menu = page[page.index(f'id="column-{world.column(1)}"'):]
    menu = menu[:menu.index("</details>")]
    assert "Move its 3 cards to" in menu and f'<option value="{world.column(2)}">Done</option>' in menu

    nowhere = world.bob.post(f"{world.url}/board/columns/{world.column(1)}/delete", headers=HX, data={})
    assert nowhere.status_code == 409 and "still holds 3 card(s)" in html(nowhere)
    assert column_names(world.project_id) == ["To Do", "In Progress", "Done"]

    response = world.bob.post(f"{world.url}/board/columns/{world.column(1)}/delete", headers=HX,
                              data={"move_cards_to": world.column(2)})
    assert response.status_code == 200
    assert column_names(world.project_id) == ["To Do", "Done"]
    assert card_titles(world.column(2)) == ["Z", "A", "B"]
    assert len(column_cards(html(response))[world.column(2)]) == 3


def test_column_changes_need_the_project(world):
    for client in (world.carl, world.eve):
        assert client.post(f"{world.url}/board/columns", headers=HX, data={"name": "X"}).status_code == 404
        assert client.post(f"{world.url}/board/columns/{world.column(0)}/rename", headers=HX,
                           data={"name": "X"}).status_code == 404
        assert client.post(f"{world.url}/board/columns/{world.column(0)}/delete", headers=HX).status_code == 404
    assert column_names(world.project_id) == ["To Do", "In Progress", "Done"]


def test_forms_need_the_csrf_token_when_it_is_enforced(app, world):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        refused = world.bob.post(f"{world.url}/board/columns/{world.column(0)}/cards", headers=HX,
                                 data={"title": "Forged"})
        assert refused.status_code == 400
        page = html(world.bob.get(world.url))
        token = page.split('name="csrf-token" content="')[1].split('"')[0]
        accepted = world.bob.post(f"{world.url}/board/columns/{world.column(0)}/cards",
                                  headers={**HX, "X-CSRFToken": token}, data={"title": "Real"})
        assert accepted.status_code == 201
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert card_titles(world.column(0)) == ["Real"]
