"""Columns service: create, reorder, categories, WIP limits, delete with or without moving cards."""
import pytest

from app.errors import Conflict, Invalid, NotFound
from app.services import cards, columns
from tests.board_helpers import active_orders, board, team_workspace, titles, user


@pytest.fixture()
def world():
    owner = user("owner@acme.test")
    team_workspace(owner)
    access, cols = board(owner)
    return owner, access, cols


def names(access):
    return [(c.name, c.order) for c in columns.list_columns(access)]


def test_create_appends_or_inserts(world):
    _, access, _ = world
    review = columns.create_column(access, "In Review")
    assert (review.order, review.category, review.wip_limit) == (3, "in_progress", None)
    first = columns.create_column(access, "Inbox", "todo", 3, order=0)
    assert (first.category, first.wip_limit) == ("todo", 3)
    columns.create_column(access, "Far", order=99)
    assert names(access) == [("Inbox", 0), ("To Do", 1), ("In Progress", 2), ("Done", 3),
                             ("In Review", 4), ("Far", 5)]


@pytest.mark.parametrize("kwargs, field", [
    ({"name": ""}, "name"), ({"name": "x" * 101}, "name"), ({"name": "A", "category": "later"}, "category"),
    ({"name": "A", "wip_limit": 0}, "wipLimit"), ({"name": "A", "wip_limit": True}, "wipLimit"),
    ({"name": "A", "order": -1}, "order"),
])
def test_create_refuses_bad_values(world, kwargs, field):
    _, access, _ = world
    with pytest.raises(Invalid) as error:
        columns.create_column(access, **kwargs)
    assert error.value.field == field
    assert len(columns.list_columns(access)) == 3


def test_reordering_shifts_the_others(world):
    _, access, cols = world
    columns.update_column(access, cols[2].id, {"order": 0})
    assert names(access) == [("Done", 0), ("To Do", 1), ("In Progress", 2)]
    columns.update_column(access, cols[2].id, {"order": 50})
    assert names(access) == [("To Do", 0), ("In Progress", 1), ("Done", 2)]
    columns.update_column(access, cols[0].id, {"order": 1, "name": "Backlog", "category": "todo", "wipLimit": 9})
    assert names(access) == [("In Progress", 0), ("Backlog", 1), ("Done", 2)]
    assert cols[0].wip_limit == 9
    assert columns.update_column(access, cols[0].id, {"wipLimit": None}).wip_limit is None


def test_invalid_patch_changes_nothing(world):
    _, access, cols = world
    for changes in ({"name": "X", "category": "nope"}, {"name": "X", "order": -1}, {"name": "X", "color": "red"}):
        with pytest.raises(Invalid):
            columns.update_column(access, cols[0].id, changes)
    assert names(access)[0] == ("To Do", 0)


def test_a_column_of_another_project_is_not_found(world):
    owner, access, _ = world
    _, theirs = board(owner, "Other")
    with pytest.raises(NotFound):
        columns.update_column(access, theirs[0].id, {"name": "Mine"})
    with pytest.raises(NotFound):
        columns.delete_column(access, theirs[0].id)


def test_delete_an_empty_column_shifts_the_rest(world):
    _, access, cols = world
    columns.delete_column(access, cols[0].id)
    assert names(access) == [("In Progress", 0), ("Done", 1)]


def test_delete_with_cards_needs_somewhere_to_put_them(world):
    owner, access, cols = world
    for title in ("a", "b", "c"):
        cards.create_card(owner, cols[0].id, title=title)
    cards.create_card(owner, cols[2].id, title="done")
    archived = cards.create_card(owner, cols[0].id, title="old")
    cards.archive_card(owner, archived.id)
    with pytest.raises(Conflict, match="4 card"):
        columns.delete_column(access, cols[0].id)
    with pytest.raises(Invalid) as error:
        columns.delete_column(access, cols[0].id, move_cards_to=cols[0].id)
    assert error.value.field == "moveCardsTo"
    _, theirs = board(owner, "Other")
    with pytest.raises(Invalid):
        columns.delete_column(access, cols[0].id, move_cards_to=theirs[0].id)
    columns.delete_column(access, cols[0].id, move_cards_to=cols[2].id)
    assert titles(cols[2].id) == ["done", "a", "b", "c"]
    assert active_orders(cols[2].id) == [0, 1, 2, 3]
    assert archived.column_id == cols[2].id and archived.archived
    assert names(access) == [("In Progress", 0), ("Done", 1)]


def test_moving_cards_away_respects_the_target_wip_limit(world):
    owner, access, cols = world
    columns.update_column(access, cols[1].id, {"wipLimit": 1})
    for title in ("a", "b"):
        cards.create_card(owner, cols[0].id, title=title)
    with pytest.raises(Conflict, match="WIP"):
        columns.delete_column(access, cols[0].id, move_cards_to=cols[1].id)
    assert len(columns.list_columns(access)) == 3
