"""`P/cards*` and `P/columns/:columnId/cards` over HTTP."""
import re

import pytest

from app.ids import is_id
from tests.api.shapes import assert_error, detail_fields
from tests.board_helpers import add_member, column_ids, new_project, project_path, team  # noqa: F401

ISO_RE = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"
CARD_FIELDS = {"id", "key", "title", "description", "columnId", "order", "archived", "priority", "startDate",
               "dueDate", "assigneeId", "checklist", "checklistProgress", "scopeId", "status", "createdAt",
               "updatedAt", "version", "commentCount", "attachmentCount", "labels", "customFields"}


@pytest.fixture()
def board(team):
    project = new_project(team.member, "Q1 Launch")
    add_member(team.member, project, "other@acme.test")
    return team, project_path(project), column_ids(team.member, project)


def post_card(api, path, column_id, **body):
    response = api.post(f"{path}/columns/{column_id}/cards", json=body)
    assert response.status_code == 201, response.json
    return response.json


def test_create_answers_201_with_the_card(board):
    team, path, (todo, _, _) = board
    response = team.member.post(f"{path}/columns/{todo}/cards", json={
        "title": "Implement billing API", "description": "See spec in docs", "priority": "high",
        "dueDate": "2026-04-01", "assigneeId": team.other.user["id"],
        "checklist": [{"title": "Setup routes", "done": False, "order": 0},
                      {"title": "Write tests", "done": True, "order": 1}]})
    assert response.status_code == 201
    card = response.json
    assert set(card) == CARD_FIELDS
    assert is_id(card["id"])
    assert (card["key"], card["title"], card["description"], card["columnId"], card["order"], card["archived"],
            card["priority"], card["startDate"], card["dueDate"], card["assigneeId"], card["checklistProgress"],
            card["scopeId"], card["status"], card["version"]) == (
        "QL-1", "Implement billing API", "See spec in docs", todo, 0, False, "high", None,
        "2026-04-01T00:00:00.000Z", team.other.user["id"], 50, None, "todo", 1)
    assert [(i["title"], i["done"], i["order"]) for i in card["checklist"]] == [
        ("Setup routes", False, 0), ("Write tests", True, 1)]
    assert all(is_id(i["_id"]) and set(i) == {"_id", "title", "done", "order"} for i in card["checklist"])
    assert re.match(ISO_RE, card["createdAt"]) and re.match(ISO_RE, card["updatedAt"])
    assert team.member.get(f"{path}/cards/{card['id']}").json == card


@pytest.mark.parametrize("body, field", [
    ({}, "title"), ({"title": ""}, "title"), ({"title": "x" * 501}, "title"),
    ({"title": "t", "description": "x" * 5001}, "description"), ({"title": "t", "priority": "urgent"}, "priority"),
    ({"title": "t", "dueDate": "soon"}, "dueDate"), ({"title": "t", "assigneeId": "665f1a2b0000000000000000"}, "assigneeId"),
    ({"title": "t", "checklist": [{"title": "x"}] * 101}, "checklist"), ({"title": "t", "labels": []}, "labels"),
    ({"title": "t", "checklist": "x"}, "checklist"), ({"title": 5}, "title"),
])
def test_create_validates_like_the_reference(board, body, field):
    team, path, (todo, _, _) = board
    response = team.member.post(f"{path}/columns/{todo}/cards", json=body)
    assert_error(response, 400)
    assert field in detail_fields(response)
    assert team.member.get(path + "/cards").json == []


def test_patch_fields_and_null_clears(board):
    team, path, (todo, _, _) = board
    card = post_card(team.member, path, todo, title="t", priority="high", dueDate="2026-04-01",
                     assigneeId=team.member.user["id"])
    response = team.member.patch(f"{path}/cards/{card['id']}", json={
        "title": "Updated title", "priority": "medium", "dueDate": None, "assigneeId": None,
        "startDate": "2026-03-01T09:30:00+02:00"})
    assert response.status_code == 200
    body = response.json
    assert (body["title"], body["priority"], body["dueDate"], body["assigneeId"], body["startDate"],
            body["version"]) == ("Updated title", "medium", None, None, "2026-03-01T07:30:00.000Z", 2)


def test_patch_moves_cards_and_keeps_orders_dense(board):
    team, path, (todo, doing, done) = board
    made = [post_card(team.member, path, todo, title=f"c{i}") for i in range(4)]
    moved = team.member.patch(f"{path}/cards/{made[3]['id']}", json={"columnId": todo, "order": 0}).json
    assert (moved["order"], moved["version"]) == (0, 2)
    across = team.member.patch(f"{path}/cards/{made[1]['id']}", json={"columnId": done, "order": 0}).json
    assert (across["columnId"], across["status"]) == (done, "done")
    only_order = team.member.patch(f"{path}/cards/{made[0]['id']}", json={"order": 5}).json
    assert (only_order["columnId"], only_order["order"]) == (todo, 2)
    listed = team.member.get(path + "/cards").json
    assert [(c["title"], c["columnId"], c["order"]) for c in listed] == [
        ("c3", todo, 0), ("c2", todo, 1), ("c0", todo, 2), ("c1", done, 0)]
    assert doing not in {c["columnId"] for c in listed}


def test_archive_filter(board):
    team, path, (todo, _, _) = board
    keep, old = post_card(team.member, path, todo, title="keep"), post_card(team.member, path, todo, title="old")
    archived = team.member.patch(f"{path}/cards/{old['id']}", json={"archived": True}).json
    assert archived["archived"] is True
    assert [c["title"] for c in team.member.get(path + "/cards").json] == ["keep"]
    assert [c["title"] for c in team.member.get(path + "/cards?archived=true").json] == ["old"]
    assert sorted(c["title"] for c in team.member.get(path + "/cards?archived=all").json) == ["keep", "old"]
    assert_error(team.member.get(path + "/cards?archived=maybe"), 400)
    assert_error(team.member.patch(f"{path}/cards/{old['id']}", json={"columnId": todo, "order": 0}), 409)
    back = team.member.patch(f"{path}/cards/{old['id']}", json={"archived": False}).json
    assert (back["archived"], back["order"]) == (False, 1)
    assert keep["order"] == 0


def test_wip_limit_answers_409_with_a_message(board):
    team, path, (todo, doing, _) = board
    team.member.patch(f"{path}/columns/{doing}", json={"wipLimit": 1})
    post_card(team.member, path, doing, title="busy")
    waiting = post_card(team.member, path, todo, title="waiting")
    body = assert_error(team.member.patch(f"{path}/cards/{waiting['id']}", json={"columnId": doing}), 409)
    assert "WIP limit of 1" in body["message"]
    assert_error(team.member.post(f"{path}/columns/{doing}/cards", json={"title": "more"}), 409)
    assert team.member.get(f"{path}/cards/{waiting['id']}").json["columnId"] == todo


def test_delete_card(board):
    team, path, (todo, _, _) = board
    first, second = post_card(team.member, path, todo, title="a"), post_card(team.member, path, todo, title="b")
    response = team.member.delete(f"{path}/cards/{first['id']}")
    assert (response.status_code, response.json) == (200, {"ok": True})
    assert [(c["title"], c["order"]) for c in team.member.get(path + "/cards").json] == [("b", 0)]
    assert_error(team.member.delete(f"{path}/cards/{first['id']}"), 404)
    assert second["key"] == "QL-2"
    assert post_card(team.member, path, todo, title="c")["key"] == "QL-3"


def test_an_invalid_patch_changes_nothing(board):
    team, path, (todo, _, _) = board
    card = post_card(team.member, path, todo, title="t")
    for body in ({"title": "New", "priority": "urgent"}, {"title": "New", "order": -1},
                 {"title": "New", "columnId": "nope"}, {"title": "New", "unknown": 1}):
        assert_error(team.member.patch(f"{path}/cards/{card['id']}", json=body), 400)
    assert team.member.get(f"{path}/cards/{card['id']}").json == card
