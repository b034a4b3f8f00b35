"""`P/columns*` over HTTP."""
import re

from app.ids import is_id
from tests.api.shapes import assert_error, detail_fields
from tests.board_helpers import new_project, project_path, team  # noqa: F401

ISO_RE = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"


def listing(api, path):
    return [(c["name"], c["order"]) for c in api.get(path + "/columns").json]


def test_create_and_list_by_order(team):
    project = new_project(team.member)
    path = project_path(project)
    response = team.member.post(path + "/columns", json={"name": "In Review"})
    assert response.status_code == 201
    column = response.json
    assert set(column) == {"id", "name", "projectId", "scopeId", "order", "category", "wipLimit", "createdAt"}
    assert is_id(column["id"]) and re.match(ISO_RE, column["createdAt"])
    assert (column["name"], column["projectId"], column["order"], column["category"], column["wipLimit"]) == (
        "In Review", project["id"], 3, "in_progress", None)
    team.member.post(path + "/columns", json={"name": "Inbox", "order": 0, "category": "todo", "wipLimit": 4})
    assert listing(team.member, path) == [("Inbox", 0), ("To Do", 1), ("In Progress", 2), ("Done", 3),
                                          ("In Review", 4)]


def test_create_refuses_bad_bodies(team):
    path = project_path(new_project(team.member))
    for body, field in (({}, "name"), ({"name": ""}, "name"), ({"name": "A", "category": "x"}, "category"),
                        ({"name": "A", "wipLimit": 0}, "wipLimit"), ({"name": "A", "wipLimit": "3"}, "wipLimit"),
                        ({"name": "A", "color": "red"}, "color")):
        response = team.member.post(path + "/columns", json=body)
        assert_error(response, 400)
        assert field in detail_fields(response)
    assert len(listing(team.member, path)) == 3


def test_patch_renames_reorders_and_limits(team):
    path = project_path(new_project(team.member))
    todo, doing, done = [c["id"] for c in team.member.get(path + "/columns").json]
    response = team.member.patch(f"{path}/columns/{done}", json={"order": 0, "name": "Shipped"})
    assert response.status_code == 200
    assert (response.json["name"], response.json["order"]) == ("Shipped", 0)
    assert listing(team.member, path) == [("Shipped", 0), ("To Do", 1), ("In Progress", 2)]
    limited = team.member.patch(f"{path}/columns/{doing}", json={"wipLimit": 3, "category": "in_progress"}).json
    assert limited["wipLimit"] == 3
    assert team.member.patch(f"{path}/columns/{doing}", json={"wipLimit": None}).json["wipLimit"] is None
    assert_error(team.member.patch(f"{path}/columns/{todo}", json={"order": -1}), 400)
    assert_error(team.member.patch(f"{path}/columns/{'0' * 24}", json={"name": "x"}), 404)


def test_delete_refuses_a_column_with_cards_unless_told_where_they_go(team):
    path = project_path(new_project(team.member))
    todo, doing, done = [c["id"] for c in team.member.get(path + "/columns").json]
    team.member.post(f"{path}/columns/{todo}/cards", json={"title": "a"})
    team.member.post(f"{path}/columns/{doing}/cards", json={"title": "b"})
    assert_error(team.member.delete(f"{path}/columns/{todo}"), 409)
    assert_error(team.member.delete(f"{path}/columns/{todo}?moveCardsTo={todo}"), 400)
    assert_error(team.member.delete(f"{path}/columns/{todo}?moveCardsTo=nope"), 400)
    response = team.member.delete(f"{path}/columns/{todo}?moveCardsTo={doing}")
    assert (response.status_code, response.json) == (200, {"ok": True})
    assert [(c["title"], c["columnId"], c["order"]) for c in team.member.get(path + "/cards").json] == [
        ("b", doing, 0), ("a", doing, 1)]
    assert listing(team.member, path) == [("In Progress", 0), ("Done", 1)]
    assert team.member.delete(f"{path}/columns/{done}").json == {"ok": True}
