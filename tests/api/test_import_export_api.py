"""`P/export` and `W/projects/import` over HTTP."""
import pytest

from tests.api.shapes import assert_error, detail_fields
from tests.board_helpers import W, add_member, column_ids, new_project, project_path, team  # noqa: F401

EXAMPLE = {
    "project": {"name": "Imported"},
    "columns": [{"name": "To Do"}, {"name": "In Progress"}, {"name": "Done"}],
    "cards": [{"title": "First task", "columnIndex": 0, "priority": "medium"}],
}


def test_the_reference_example_imports(team):
    response = team.member.post(W + "/projects/import", json=EXAMPLE)
    assert response.status_code == 201
    project = response.json
    assert (project["name"], project["key"], project["myRole"]) == ("Imported", "IMP", "admin")
    [card] = team.member.get(project_path(project) + "/cards").json
    assert (card["title"], card["priority"], card["status"], card["key"]) == ("First task", "medium", "todo", "IMP-1")


def test_export_is_complete_and_imports_back_the_same(team):
    project = new_project(team.member, "Website", description="Public site")
    add_member(team.member, project, "other@acme.test")
    path = project_path(project)
    todo, doing, _ = column_ids(team.member, project)
    team.member.post(f"{path}/columns/{todo}/cards", json={
        "title": "Home", "priority": "high", "dueDate": "2026-04-01", "assigneeId": team.other.user["id"],
        "checklist": [{"title": "Copy", "done": True}]})
    old = team.member.post(f"{path}/columns/{doing}/cards", json={"title": "Old"}).json
    team.member.patch(f"{path}/cards/{old['id']}", json={"archived": True})
    response = team.member.get(path + "/export")
    assert response.status_code == 200
    snapshot = response.json
    assert snapshot["project"] == {"name": "Website", "description": "Public site", "key": "WEB"}
    assert [c["name"] for c in snapshot["columns"]] == ["To Do", "In Progress", "Done"]
    assert [(c["title"], c["archived"], c["assigneeEmail"]) for c in snapshot["cards"]] == [
        ("Home", False, "other@acme.test"), ("Old", True, None)]
    assert snapshot["cards"][0]["checklist"] == [{"title": "Copy", "done": True, "order": 0}]

    copy = team.member.post(W + "/projects/import", json=snapshot)
    assert copy.status_code == 201
    again = team.member.get(project_path(copy.json) + "/export").json
    assert {**again, "exportedAt": None} == {**snapshot, "exportedAt": None}
    assert len(team.member.get(project_path(copy.json) + "/cards?archived=all").json) == 2


@pytest.mark.parametrize("body, field", [
    ({"project": {"name": "X"}, "columns": [{"name": f"c{i}"} for i in range(51)]}, "columns"),
    ({"project": {"name": "X"}, "cards": [{"title": "t", "columnIndex": 0}] * 501}, "cards"),
    ({"project": {"name": "X"}, "cards": [{"title": "ok", "columnIndex": 0}, {"title": "bad", "columnIndex": 9}]},
     "cards[1].columnIndex"),
    ({"columns": [{"name": "A"}]}, "project"),
    ({"project": "X"}, "project"),
    ({"project": {"name": "X"}, "automations": []}, "automations"),
    ({"project": {"name": "X"}, "scopes": [{"name": "S", "activeView": "gantt"}]}, "scopes[0].activeView"),
    ({"project": {"name": "X"}, "scopes": [{"name": "S"}], "columns": [{"name": "A", "scopeIndex": 1}]},
     "columns[0].scopeIndex"),
    ({"project": {"name": "X"}, "labels": [{"name": "Bug", "color": "red"}]}, "labels[0].color"),
])
def test_bad_imports_answer_400_with_the_reason_and_create_nothing(team, body, field):
    response = team.member.post(W + "/projects/import", json=body)
    assert_error(response, 400)
    assert field in detail_fields(response)
    assert team.member.get(W + "/projects").json == []


def test_export_needs_the_project(team):
    project = new_project(team.member)
    assert_error(team.other.get(project_path(project) + "/export"), 404)
    assert_error(team.outsider.post(W + "/projects/import", json=EXAMPLE), 404)
