"""Checklist items: add, tick, rename, reorder, delete, progress, limits, reach."""
import pytest

from app.errors import Invalid, NotFound
from app.services import cards, checklists
from tests.board_helpers import board, join, team_workspace, user


@pytest.fixture()
def world():
    owner = user("owner@acme.test")
    workspace = team_workspace(owner)
    other = user("other@acme.test")
    join(other, workspace)
    _, cols = board(owner)
    card = cards.create_card(owner, cols[0].id, title="Ship")
    return owner, other, card


def state(card):
    return [(i.title, i.done, i.order) for i in card.checklist_items]


def test_items_are_added_ticked_renamed_reordered_and_deleted(world):
    owner, _, card = world
    for title in ("a", "b", "c"):
        card = checklists.add_item(owner, card.id, title)
    assert state(card) == [("a", False, 0), ("b", False, 1), ("c", False, 2)]
    assert (cards.checklist_progress(card), card.version) == (0, 4)
    ids = [i.id for i in card.checklist_items]
    card = checklists.update_item(owner, card.id, ids[1], {"done": True, "title": "B"})
    assert cards.checklist_progress(card) == 33
    card = checklists.update_item(owner, card.id, ids[2], {"order": 0})
    assert state(card) == [("c", False, 0), ("a", False, 1), ("B", True, 2)]
    card = checklists.delete_item(owner, card.id, ids[2])
    assert state(card) == [("a", False, 0), ("B", True, 1)]
    card = checklists.update_item(owner, card.id, ids[0], {"done": True})
    assert cards.checklist_progress(card) == 100


def test_bad_values_and_foreign_items_are_refused(world):
    owner, _, card = world
    with pytest.raises(Invalid):
        checklists.add_item(owner, card.id, "")
    with pytest.raises(Invalid):
        checklists.add_item(owner, card.id, "x", done="yes")
    card = checklists.add_item(owner, card.id, "a")
    item_id = card.checklist_items[0].id
    for changes in ({"done": 1}, {"title": ""}, {"order": -1}, {"owner": "me"}):
        with pytest.raises(Invalid):
            checklists.update_item(owner, card.id, item_id, changes)
    other_card = cards.create_card(owner, card.column_id, title="Other",
                                   checklist=[{"title": "theirs"}])
    with pytest.raises(NotFound):
        checklists.update_item(owner, card.id, other_card.checklist_items[0].id, {"done": True})
    with pytest.raises(NotFound):
        checklists.delete_item(owner, card.id, other_card.checklist_items[0].id)
    assert state(card) == [("a", False, 0)]


def test_a_checklist_holds_at_most_100_items(world):
    owner, _, card = world
    card = cards.update_card(owner, card.id, {"checklist": [{"title": f"i{n}"} for n in range(100)]})
    with pytest.raises(Invalid, match="at most 100"):
        checklists.add_item(owner, card.id, "one more")


def test_people_outside_the_project_cannot_touch_it(world):
    owner, other, card = world
    card = checklists.add_item(owner, card.id, "a")
    with pytest.raises(NotFound):
        checklists.add_item(other, card.id, "mine")
    with pytest.raises(NotFound):
        checklists.update_item(other, card.id, card.checklist_items[0].id, {"done": True})
