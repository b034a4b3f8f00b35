"""Drag and drop on the board: a card dropped between two others (inside a column or in
another one) is saved at once through the move service; a refused move answers the columns
as saved, so the page snaps back, with the reason."""
import sqlalchemy as sa

from app.extensions import db
from app.models.board import Column
from app.services import cards, columns, projects
from tests.board_helpers import board
from tests.web.board_support import (HX, card_titles, column_cards, column_ids, column_names, html,
                                     user_named, world)  # noqa: F401


def make_cards(world, column_index: int, *titles: str) -> list[str]:
    ada = user_named("ada@example.com")
    ids = [cards.create_card(ada, world.column(column_index), title=t).id for t in titles]
    db.session.commit()
    return ids


def move(client, world, card_id, column_id, after="", before="", **extra):
    return client.post(f"{world.url}/board/cards/{card_id}/move", headers=HX,
                       data={"column_id": column_id, "after_id": after, "before_id": before, **extra})


def test_drop_inside_a_column_after_or_before_a_neighbour(world):
    a, b, c, d = make_cards(world, 0, "A", "B", "C", "D")
    response = move(world.bob, world, a, world.column(0), after=c, before=d)
    assert response.status_code == 200
    assert card_titles(world.column(0)) == ["B", "C", "A", "D"]
    # The answer is the column as saved, out of band.
    fragment = html(response)
    assert f'<section id="column-{world.column(0)}"' in fragment and 'hx-swap-oob="true"' in fragment
    assert column_cards(fragment) == {world.column(0): [b, c, a, d]}
    assert fragment.count('hx-swap-oob="true"') == 1  # the column only, not its tiles
    # To the top: nothing before it, the first card after it.
    assert move(world.bob, world, d, world.column(0), before=b).status_code == 200
    assert card_titles(world.column(0)) == ["D", "B", "C", "A"]
    # Upwards after a neighbour.
    assert move(world.bob, world, a, world.column(0), after=d, before=b).status_code == 200
    assert card_titles(world.column(0)) == ["D", "A", "B", "C"]
    # Downwards before a neighbour.
    assert move(world.bob, world, d, world.column(0), after=b, before=c).status_code == 200
    assert card_titles(world.column(0)) == ["A", "B", "D", "C"]


def test_drop_in_another_column_answers_both_columns(world):
    a, b, c = make_cards(world, 0, "A", "B", "C")
    x, y = make_cards(world, 1, "X", "Y")
    response = move(world.bob, world, b, world.column(1), after=x, before=y)
    assert response.status_code == 200
    assert card_titles(world.column(0)) == ["A", "C"]
    assert card_titles(world.column(1)) == ["X", "B", "Y"]
    assert column_cards(html(response)) == {world.column(0): [a, c], world.column(1): [x, b, y]}
    # Into an empty column, then at the top of another by its first card.
    assert move(world.bob, world, a, world.column(2)).status_code == 200
    assert move(world.bob, world, c, world.column(1), before=x).status_code == 200
    assert card_titles(world.column(1)) == ["C", "X", "B", "Y"]
    assert card_titles(world.column(2)) == ["A"]
    # The move survives a reload.
    page = html(world.ada.get(world.url))
    assert column_cards(page)[world.column(1)] == [c, x, b, y]


def test_stale_neighbours_are_ignored_and_the_card_goes_last(world):
    a, b = make_cards(world, 0, "A", "B")
    (x,) = make_cards(world, 1, "X")
    assert move(world.bob, world, a, world.column(1), after=b, before="nonsense").status_code == 200
    assert card_titles(world.column(1)) == ["X", "A"]


def test_a_move_over_the_wip_limit_snaps_back_with_the_reason(world):
    ada = user_named("ada@example.com")
    access = projects.project_access(ada, "acme", "eng", world.project_id)
    columns.update_column(access, world.column(1), {"wipLimit": 1})
    db.session.commit()
    a, b = make_cards(world, 0, "A", "B")
    (x,) = make_cards(world, 1, "X")
    response = move(world.bob, world, a, world.column(1), after=x)
    assert response.status_code == 409
    assert response.headers["X-Fragment"] == "1"  # static/js/app.js swaps it despite the status
    fragment = html(response)
    assert column_cards(fragment) == {world.column(0): [a, b], world.column(1): [x]}
    assert 'id="flashes"' in fragment and "WIP limit of 1" in fragment
    assert card_titles(world.column(0)) == ["A", "B"] and card_titles(world.column(1)) == ["X"]
    assert 'class="column-count at-limit"' in fragment


def test_a_column_of_another_project_is_refused_and_nothing_moves(world):
    (a,) = make_cards(world, 0, "A")
    other, other_columns = board(user_named("ada@example.com"), "Other")
    db.session.commit()
    response = move(world.ada, world, a, other_columns[0].id)
    assert response.status_code == 400 and "columnId is not a column of this project" in html(response)
    assert column_cards(html(response)) == {world.column(0): [a]}
    assert card_titles(world.column(0)) == ["A"] and card_titles(other_columns[0].id) == []


def test_a_card_of_another_project_is_not_found_and_the_board_is_redrawn(world):
    other, other_columns = board(user_named("ada@example.com"), "Other")
    foreign = cards.create_card(user_named("ada@example.com"), other_columns[0].id, title="Foreign")
    db.session.commit()
    response = move(world.ada, world, foreign.id, world.column(0))
    assert response.status_code == 404 and "Card not found" in html(response)
    assert column_ids(html(response)) == world.columns
    assert card_titles(other_columns[0].id) == ["Foreign"] and card_titles(world.column(0)) == []


def test_an_archived_card_cannot_be_moved(world):
    a, b = make_cards(world, 0, "A", "B")
    cards.archive_card(user_named("ada@example.com"), a)
    db.session.commit()
    response = move(world.bob, world, a, world.column(1))
    assert response.status_code == 409 and "archived" in html(response)
    assert card_titles(world.column(1)) == []


def test_moves_need_the_project(world):
    (a,) = make_cards(world, 0, "A")
    assert move(world.carl, world, a, world.column(1)).status_code == 404
    assert move(world.eve, world, a, world.column(1)).status_code == 404
    assert card_titles(world.column(0)) == ["A"]


def test_without_javascript_a_move_redirects_to_the_board(world):
    (a,) = make_cards(world, 0, "A")
    response = world.bob.post(f"{world.url}/board/cards/{a}/move",
                              data={"column_id": world.column(2), "priority": "high"})
    assert response.status_code == 302 and response.location == f"{world.url}?priority=high"
    assert card_titles(world.column(2)) == ["A"]


def test_dragging_a_column_saves_its_new_place(world):
    url = f"{world.url}/board/columns/{world.column(0)}/move"
    response = world.bob.post(url, headers=HX, data={"order": "2"})
    assert response.status_code == 204
    assert column_names(world.project_id) == ["In Progress", "Done", "To Do"]
    assert column_ids(html(world.bob.get(world.url))) == [world.column(1), world.column(2), world.column(0)]
    assert world.bob.post(f"{world.url}/board/columns/{world.column(2)}/move", headers=HX,
                          data={"order": "0"}).status_code == 204
    assert column_names(world.project_id) == ["Done", "In Progress", "To Do"]


def test_a_bad_column_move_answers_the_board_unchanged(world):
    for order in ("-1", "x", "", "9" * 12):
        response = world.bob.post(f"{world.url}/board/columns/{world.column(0)}/move", headers=HX,
                                  data={"order": order})
        assert response.status_code == 400, order
        assert column_ids(html(response)) == world.columns and "order must be a whole number" in html(response)
    gone = world.bob.post(f"{world.url}/board/columns/{'0' * 24}/move", headers=HX, data={"order": "1"})
    assert gone.status_code == 404 and column_ids(html(gone)) == world.columns
    assert world.carl.post(f"{world.url}/board/columns/{world.column(0)}/move", headers=HX,
                           data={"order": "1"}).status_code == 404
    assert column_names(world.project_id) == ["To Do", "In Progress", "Done"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Column)) == 3
