"""`W/projects*` over HTTP: create, list, get, patch, delete, portfolio, templates, members."""
import re

from app.ids import is_id
from tests.api.shapes import assert_error, detail_fields
from tests.board_helpers import W, add_member, new_project, project_path, team  # noqa: F401

ISO_RE = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"


def test_create_answers_201_with_the_project(team):
    response = team.member.post(W + "/projects", json={"name": "Q1 Launch"})
    assert response.status_code == 201
    body = response.json
    assert set(body) == {"id", "name", "description", "key", "workspaceId", "myRole", "createdAt", "updatedAt"}
    workspace_id = team.owner.get(W).json["id"]
    assert is_id(body["id"])
    assert (body["name"], body["description"], body["key"], body["workspaceId"], body["myRole"]) == (
        "Q1 Launch", None, "QL", workspace_id, "admin")
    assert re.match(ISO_RE, body["createdAt"]) and re.match(ISO_RE, body["updatedAt"])
    columns = team.member.get(project_path(body) + "/columns").json
    assert [(c["name"], c["category"], c["order"]) for c in columns] == [
        ("To Do", "todo", 0), ("In Progress", "in_progress", 1), ("Done", "done", 2)]


def test_create_from_a_template(team):
    templates = team.member.get(W + "/projects/templates").json
    bugs = next(t for t in templates if t["id"] == "bug-tracking")
    project = new_project(team.member, "Bugs", templateId="bug-tracking")
    columns = team.member.get(project_path(project) + "/columns").json
    assert [(c["name"], c["category"], c["wipLimit"]) for c in columns] == [
        (c["name"], c["category"], c.get("wipLimit")) for c in bugs["columns"]]
    labels = team.member.get(project_path(project) + "/labels").json
    assert sorted((label["name"], label["color"]) for label in labels) == sorted(
        (label["name"], label["color"]) for label in bugs["labels"]) != []
    plain = new_project(team.member, "Plain")
    assert team.member.get(project_path(plain) + "/labels").json == []


def test_templates_list_the_built_ins(team):
    response = team.member.get(W + "/projects/templates")
    assert response.status_code == 200
    ids = [t["id"] for t in response.json]
    assert {"basic-kanban", "scrum-sprint", "bug-tracking", "product-launch"} <= set(ids)
    for template in response.json:
        assert set(template) == {"id", "name", "description", "columns", "labels"}
        assert all(set(label) == {"name", "color"} for label in template["labels"])
    assert_error(team.outsider.get(W + "/projects/templates"), 404)


def test_create_refuses_bad_bodies(team):
    for body, field in (({}, "name"), ({"name": ""}, "name"), ({"name": "x", "templateId": "nope"}, "templateId"),
                        ({"name": "x", "color": "red"}, "color"), ({"name": 3}, "name"),
                        ({"name": "x", "key": "toolong"}, "key")):
        response = team.member.post(W + "/projects", json=body)
        assert_error(response, 400)
        assert field in detail_fields(response)
    assert team.member.get(W + "/projects").json == []


def test_list_get_patch(team):
    project = new_project(team.member, "Website")
    new_project(team.other, "Theirs")
    assert [p["name"] for p in team.member.get(W + "/projects").json] == ["Website"]
    assert [p["name"] for p in team.admin.get(W + "/projects").json] == ["Website", "Theirs"]
    got = team.member.get(project_path(project))
    assert got.status_code == 200 and got.json == project
    patched = team.member.patch(project_path(project), json={"name": "Website v2", "description": "Redesign"})
    assert patched.status_code == 200
    assert (patched.json["name"], patched.json["description"], patched.json["key"]) == (
        "Website v2", "Redesign", "WEB")
    assert_error(team.member.patch(project_path(project), json={"name": ""}), 400)
    assert team.member.get(project_path(project)).json["name"] == "Website v2"


def test_delete_is_for_workspace_admins(team):
    project = new_project(team.member, "Website")
    assert_error(team.member.delete(project_path(project)), 403)
    response = team.admin.delete(project_path(project))
    assert (response.status_code, response.json) == (200, {"ok": True})
    assert_error(team.member.get(project_path(project)), 404)


def test_literal_segments_win_over_the_project_id(team):
    new_project(team.member, "Website")
    assert isinstance(team.member.get(W + "/projects/portfolio").json, list)
    assert isinstance(team.member.get(W + "/projects/templates").json, list)
    assert team.member.post(W + "/projects/import", json={"project": {"name": "X"}}).status_code == 201
    assert_error(team.member.get(W + "/projects/import"), 404)


def test_portfolio_summarizes_each_reachable_project(team):
    project = new_project(team.member, "Website")
    path = project_path(project)
    todo, _, done = [c["id"] for c in team.member.get(path + "/columns").json]
    team.member.post(f"{path}/columns/{todo}/cards", json={"title": "late", "dueDate": "2020-01-01",
                                                           "priority": "high"})
    team.member.post(f"{path}/columns/{done}/cards", json={"title": "shipped"})
    new_project(team.other, "Theirs")
    response = team.member.get(W + "/projects/portfolio")
    assert response.status_code == 200
    [summary] = response.json
    assert summary == {
        "projectId": project["id"], "name": "Website", "key": "WEB", "myRole": "admin", "totalCards": 2,
        "cardsByStatus": {"todo": 1, "in_progress": 0, "done": 1},
        "cardsByPriority": {"high": 1, "medium": 0, "low": 0, "none": 1},
        "overdue": 1, "archivedCards": 0, "completion": 50, "lastActivity": summary["lastActivity"],
    }
    assert re.match(ISO_RE, summary["lastActivity"])
    assert len(team.admin.get(W + "/projects/portfolio").json) == 2


def test_members_add_list_remove(team):
    project = new_project(team.member, "Website")
    path = project_path(project) + "/members"
    response = team.member.post(path, json={"email": "other@acme.test"})
    assert response.status_code == 201
    assert set(response.json) == {"userId", "email", "name", "role", "joinedAt"}
    assert (response.json["userId"], response.json["role"]) == (team.other.user["id"], "member")
    assert_error(team.member.post(path, json={"email": "other@acme.test"}), 409)
    assert_error(team.member.post(path, json={"email": "outsider@else.test"}), 400)
    assert_error(team.member.post(path, json={}), 400)
    assert [m["email"] for m in team.member.get(path).json] == ["member@acme.test", "other@acme.test"]
    assert_error(team.other.post(path, json={"email": "admin@acme.test"}), 403)
    assert_error(team.other.delete(f"{path}/{team.member.user['id']}"), 403)
    assert team.member.delete(f"{path}/{team.other.user['id']}").json == {"ok": True}
    assert_error(team.other.get(project_path(project)), 404)
    assert_error(team.member.delete(f"{path}/{team.other.user['id']}"), 404)


def test_workspace_admin_manages_members_of_any_project(team):
    project = new_project(team.member, "Website")
    add_member(team.admin, project, "other@acme.test", "admin")
    path = project_path(project) + "/members"
    assert [(m["email"], m["role"]) for m in team.other.get(path).json] == [
        ("member@acme.test", "admin"), ("other@acme.test", "admin")]
