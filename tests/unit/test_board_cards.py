"""Cards service: validation, keys, the one move, archive, delete, WIP limits, reach."""
import pytest
import sqlalchemy as sa

from app.errors import Conflict, Invalid, NotFound
from app.extensions import db
from app.models.board import Card
from app.services import cards, columns, projects
from tests.board_helpers import active_orders, board, bulk_cards, join, team_workspace, titles, user


@pytest.fixture()
def world():
    owner = user("owner@acme.test")
    workspace = team_workspace(owner)
    member, other = user("member@acme.test"), user("other@acme.test")
    join(member, workspace)
    join(other, workspace)
    access, cols = board(member, "Q1 Launch")
    return {"owner": owner, "member": member, "other": other, "access": access, "columns": cols,
            "outsider": user("outsider@else.test")}


def make(world, n, column=0, prefix="c"):
    return [cards.create_card(world["member"], world["columns"][column].id, title=f"{prefix}{i}")
            for i in range(n)]


def test_create_with_every_field(world):
    card = cards.create_card(
        world["member"], world["columns"][1].id, title="  Implement billing API ", description="See spec",
        priority="high", startDate="2026-03-01", dueDate="2026-04-01T12:00:00Z",
        assigneeId=world["member"].id,
        checklist=[{"title": "Tests", "done": True, "order": 1}, {"title": "Routes", "done": False, "order": 0}])
    assert (card.title, card.description, card.priority, card.assignee_id) == (
        "Implement billing API", "See spec", "high", world["member"].id)
    assert card.start_date.isoformat() == "2026-03-01T00:00:00+00:00"
    assert card.due_date.isoformat() == "2026-04-01T12:00:00+00:00"
    assert [(i.title, i.done, i.order) for i in card.checklist_items] == [("Routes", False, 0), ("Tests", True, 1)]
    assert cards.checklist_progress(card) == 50
    assert (cards.card_key(card), card.order, card.version, card.archived) == ("QL-1", 0, 1, False)


@pytest.mark.parametrize("fields, field", [
    ({"title": ""}, "title"),
    ({"title": "x" * 501}, "title"),
    ({"title": "ok", "description": "x" * 5001}, "description"),
    ({"title": "ok", "priority": "urgent"}, "priority"),
    ({"title": "ok", "dueDate": "next week"}, "dueDate"),
    ({"title": "ok", "startDate": "2026-05-01", "dueDate": "2026-04-01"}, "dueDate"),
    ({"title": "ok", "assigneeId": "0" * 24}, "assigneeId"),
    ({"title": "ok", "assigneeId": "not-an-id"}, "assigneeId"),
    ({"title": "ok", "checklist": [{"title": "x"}] * 101}, "checklist"),
    ({"title": "ok", "checklist": [{"title": ""}]}, "checklist[0].title"),
    ({"title": "ok", "checklist": [{"title": "a", "done": "yes"}]}, "checklist[0].done"),
    ({"title": "ok", "checklist": [{"title": "a", "owner": "me"}]}, "checklist[0].owner"),
    ({"title": "ok", "order": -1}, "order"),
    ({"title": "ok", "labels": []}, "labels"),
    ({"description": "no title"}, "title"),
])
def test_create_refuses_bad_input_and_writes_nothing(world, fields, field):
    with pytest.raises(Invalid) as error:
        cards.create_card(world["member"], world["columns"][0].id, **fields)
    assert error.value.field == field
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Card)) == 0


def test_assignee_must_be_a_project_member(world):
    with pytest.raises(Invalid):
        cards.create_card(world["member"], world["columns"][0].id, title="x", assigneeId=world["other"].id)
    projects.add_member(world["access"], "other@acme.test")
    card = cards.create_card(world["member"], world["columns"][0].id, title="x", assigneeId=world["other"].id)
    assert card.assignee_id == world["other"].id


def test_numbers_grow_and_are_never_reused(world):
    first, second = make(world, 2)
    cards.delete_card(world["member"], second.id)
    third = cards.create_card(world["member"], world["columns"][2].id, title="later")
    assert [cards.card_key(c) for c in (first, third)] == ["QL-1", "QL-3"]


def test_create_at_a_position_shifts_the_others(world):
    make(world, 3)
    cards.create_card(world["member"], world["columns"][0].id, title="top", order=0)
    cards.create_card(world["member"], world["columns"][0].id, title="far", order=99)
    assert titles(world["columns"][0].id) == ["top", "c0", "c1", "c2", "far"]


def test_move_inside_a_column_keeps_orders_dense(world):
    made = make(world, 5)
    col = world["columns"][0].id
    cards.move_card(world["member"], made[4].id, col, 1)
    assert titles(col) == ["c0", "c4", "c1", "c2", "c3"]
    cards.move_card(world["member"], made[0].id, col, 3)
    assert titles(col) == ["c4", "c1", "c2", "c0", "c3"]
    cards.move_card(world["member"], made[1].id, col)  # no order: last
    assert titles(col) == ["c4", "c2", "c0", "c3", "c1"]
    cards.move_card(world["member"], made[2].id, col, 1000)
    assert titles(col) == ["c4", "c0", "c3", "c1", "c2"]
    assert active_orders(col) == [0, 1, 2, 3, 4]


def test_move_across_columns_shifts_both_and_bumps_only_the_moved_card(world):
    made = make(world, 3)
    done = make(world, 2, column=2, prefix="d")
    moved = cards.move_card(world["member"], made[1].id, world["columns"][2].id, 1)
    assert titles(world["columns"][0].id) == ["c0", "c2"]
    assert titles(world["columns"][2].id) == ["d0", "c1", "d1"]
    assert moved.column_id == world["columns"][2].id and moved.column.category == "done"
    assert moved.version == 2
    db.session.expire_all()
    assert [c.version for c in (made[0], made[2], done[0], done[1])] == [1, 1, 1, 1]


def test_move_into_another_projects_column_is_refused(world):
    card = make(world, 1)[0]
    _, theirs = board(world["member"], "Other")
    with pytest.raises(Invalid) as error:
        cards.move_card(world["member"], card.id, theirs[0].id, 0)
    assert error.value.field == "columnId"
    assert card.column_id == world["columns"][0].id


def test_expected_project_mismatch_looks_absent(world):
    card = make(world, 1)[0]
    other_access, other_columns = board(world["member"], "Other")
    with pytest.raises(NotFound):
        cards.get_card(world["member"], card.id, expected_project_id=other_access.project.id)
    with pytest.raises(NotFound):
        cards.move_card(world["member"], card.id, world["columns"][1].id,
                        expected_project_id=other_access.project.id)
    with pytest.raises(NotFound):
        cards.create_card(world["member"], world["columns"][0].id, title="x",
                          expected_project_id=other_access.project.id)


@pytest.mark.parametrize("who", ["other", "outsider"])
def test_people_outside_the_project_cannot_reach_its_cards(world, who):
    card = make(world, 1)[0]
    person = world[who]
    for call in (lambda: cards.get_card(person, card.id),
                 lambda: cards.move_card(person, card.id, world["columns"][1].id),
                 lambda: cards.update_card(person, card.id, {"title": "mine"}),
                 lambda: cards.archive_card(person, card.id),
                 lambda: cards.delete_card(person, card.id),
                 lambda: cards.create_card(person, world["columns"][0].id, title="x")):
        with pytest.raises(NotFound):
            call()


def test_workspace_owner_reaches_every_project(world):
    card = make(world, 1)[0]
    assert cards.update_card(world["owner"], card.id, {"priority": "low"}).priority == "low"


def test_wip_limit_refuses_create_and_move_but_not_reordering(world):
    doing = world["columns"][1]
    columns.update_column(world["access"], doing.id, {"wipLimit": 2})
    inside = make(world, 2, column=1, prefix="w")
    waiting = make(world, 1)[0]
    with pytest.raises(Conflict, match="WIP limit of 2"):
        cards.create_card(world["member"], doing.id, title="third")
    with pytest.raises(Conflict, match="WIP limit"):
        cards.move_card(world["member"], waiting.id, doing.id, 0)
    cards.move_card(world["member"], inside[1].id, doing.id, 0)
    assert titles(doing.id) == ["w1", "w0"]
    cards.archive_card(world["member"], inside[0].id)
    cards.move_card(world["member"], waiting.id, doing.id, 0)
    assert titles(doing.id) == ["c0", "w1"]
    with pytest.raises(Conflict):
        cards.archive_card(world["member"], inside[0].id, archived=False)


def test_archive_closes_the_gap_and_unarchive_appends(world):
    made = make(world, 4)
    col = world["columns"][0].id
    archived = cards.archive_card(world["member"], made[1].id)
    assert archived.archived and archived.archived_at is not None and archived.version == 2
    assert titles(col) == ["c0", "c2", "c3"] and active_orders(col) == [0, 1, 2]
    assert cards.archive_card(world["member"], made[1].id).version == 2  # already archived
    assert cards.update_card(world["member"], made[1].id, {"archived": True}).version == 2
    with pytest.raises(Conflict, match="archived"):
        cards.move_card(world["member"], made[1].id, col, 0)
    back = cards.archive_card(world["member"], made[1].id, archived=False)
    assert (back.archived, back.archived_at, back.order) == (False, None, 3)
    assert titles(col) == ["c0", "c2", "c3", "c1"]


def test_list_filters_archived_and_orders_by_column_then_card(world):
    made = make(world, 3)
    make(world, 1, column=2, prefix="d")
    cards.move_card(world["member"], made[2].id, world["columns"][1].id)
    cards.archive_card(world["member"], made[0].id)
    listed = cards.list_cards(world["access"])
    assert [(c.title, c.column.name) for c in listed] == [("c1", "To Do"), ("c2", "In Progress"), ("d0", "Done")]
    assert [c.title for c in cards.list_cards(world["access"], "true")] == ["c0"]
    assert len(cards.list_cards(world["access"], "all")) == 4
    with pytest.raises(Invalid):
        cards.list_cards(world["access"], "maybe")


def test_update_changes_fields_and_null_clears(world):
    card = cards.create_card(world["member"], world["columns"][0].id, title="t", priority="high",
                             dueDate="2026-04-01", description="d", assigneeId=world["member"].id)
    card = cards.update_card(world["member"], card.id, {
        "title": "Updated", "priority": None, "dueDate": None, "description": None, "assigneeId": None})
    assert (card.title, card.priority, card.due_date, card.description, card.assignee_id, card.version) == (
        "Updated", None, None, None, None, 2)
    assert cards.update_card(world["member"], card.id, {}).version == 2


def test_update_moves_and_archives_in_one_call(world):
    made = make(world, 3)
    card = cards.update_card(world["member"], made[0].id,
                             {"columnId": world["columns"][1].id, "order": 0, "title": "Moved"})
    assert (card.column_id, card.order, card.title) == (world["columns"][1].id, 0, "Moved")
    assert titles(world["columns"][0].id) == ["c1", "c2"]
    card = cards.update_card(world["member"], made[1].id, {"order": 1})
    assert titles(world["columns"][0].id) == ["c2", "c1"]
    card = cards.update_card(world["member"], made[2].id, {"archived": True})
    assert card.archived and titles(world["columns"][0].id) == ["c1"]


def test_invalid_update_changes_nothing(world):
    card = make(world, 2)[1]
    for changes in ({"title": "New", "priority": "urgent"}, {"title": "New", "columnId": "0" * 24},
                    {"title": "New", "order": -2}, {"title": "New", "archived": "yes"},
                    {"title": "New", "startDate": "2030-01-01", "dueDate": "2029-01-01"},
                    {"title": "New", "version": 3}):
        with pytest.raises(Invalid):
            cards.update_card(world["member"], card.id, changes)
    db.session.expire_all()
    assert (card.title, card.order, card.version, card.archived) == ("c1", 1, 1, False)


def test_replacing_the_checklist_keeps_known_item_ids(world):
    card = cards.create_card(world["member"], world["columns"][0].id, title="t",
                             checklist=[{"title": "a"}, {"title": "b"}])
    keep = card.checklist_items[1].id
    card = cards.update_card(world["member"], card.id, {"checklist": [
        {"_id": keep, "title": "b2", "done": True}, {"title": "c"}]})
    assert [(i.title, i.done, i.order) for i in card.checklist_items] == [("b2", True, 0), ("c", False, 1)]
    assert card.checklist_items[0].id == keep
    assert cards.update_card(world["member"], card.id, {"checklist": None}).checklist_items == []


def test_delete_closes_the_gap(world):
    made = make(world, 3)
    cards.delete_card(world["member"], made[0].id)
    assert titles(world["columns"][0].id) == ["c1", "c2"]
    assert active_orders(world["columns"][0].id) == [0, 1]
    with pytest.raises(NotFound):
        cards.get_card(world["member"], made[0].id)


def test_bulk_cards_follow_service_made_ones(world):
    make(world, 2)
    bulk_cards(world["access"].project.id, world["columns"][0].id, 50, checklist=2)
    assert active_orders(world["columns"][0].id) == list(range(52))
    card = cards.create_card(world["member"], world["columns"][0].id, title="after")
    assert (card.number, card.order) == (53, 52)
