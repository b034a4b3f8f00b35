"""`P/scopes*` over HTTP: sub-boards with their own columns and cards, and their views."""
import io
from pathlib import Path

import pytest

from tests.api.shapes import assert_error, detail_fields
from tests.board_helpers import add_member, column_ids, new_project, project_path, team  # noqa: F401


@pytest.fixture()
def site(team):
    """A project of `member` (its admin) with `other` as a plain member, and one scope."""
    project = new_project(team.member)
    add_member(team.member, project, "other@acme.test")
    path = project_path(project)
    scope = team.member.post(f"{path}/scopes", json={
        "name": "Sprint 1", "description": "Two weeks", "startDate": "2026-12-01", "endDate": "2026-12-14"})
    assert scope.status_code == 201, scope.json
    return path, scope.json


def test_a_scope_is_a_board_of_its_own(team, site):
    path, scope = site
    api = team.other
    assert scope == {"id": scope["id"], "projectId": path.rsplit("/", 1)[1], "name": "Sprint 1",
                     "description": "Two weeks", "startDate": "2026-12-01T00:00:00.000Z",
                     "endDate": "2026-12-14T00:00:00.000Z", "activeView": "kanban",
                     "createdAt": scope["createdAt"], "updatedAt": scope["updatedAt"]}
    shown = api.get(f"{path}/scopes/{scope['id']}").json
    assert [(c["name"], c["order"], c["scopeId"]) for c in shown["columns"]] == [
        ("To Do", 0, scope["id"]), ("In Progress", 1, scope["id"]), ("Done", 2, scope["id"])]
    assert shown["cards"] == []
    # The project's own board keeps its three columns; the scope's are listed apart.
    assert [c["scopeId"] for c in api.get(f"{path}/columns").json] == [None, None, None]
    assert [c["id"] for c in api.get(f"{path}/columns?scopeId={scope['id']}").json] == [
        c["id"] for c in shown["columns"]]

    todo = shown["columns"][0]["id"]
    card = api.post(f"{path}/columns/{todo}/cards", json={"title": "Scoped"}).json
    assert card["scopeId"] == scope["id"]
    assert [c["title"] for c in api.get(f"{path}/scopes/{scope['id']}").json["cards"]] == ["Scoped"]
    # GET cards lists the whole project, each card saying its scope.
    assert [(c["title"], c["scopeId"]) for c in api.get(f"{path}/cards").json] == [("Scoped", scope["id"])]

    # A card moves from the scope to the project's board and back.
    board_todo = column_ids(api, {"id": path.rsplit("/", 1)[1]})[0]
    moved = api.patch(f"{path}/cards/{card['id']}", json={"columnId": board_todo, "order": 0}).json
    assert moved["scopeId"] is None
    assert api.get(f"{path}/scopes/{scope['id']}").json["cards"] == []


def test_columns_keep_dense_orders_per_board(team, site):
    path, scope = site
    api = team.member
    added = api.post(f"{path}/columns", json={"name": "Review", "order": 1, "scopeId": scope["id"]})
    assert added.status_code == 201 and added.json["scopeId"] == scope["id"]
    assert [(c["name"], c["order"]) for c in api.get(f"{path}/columns?scopeId={scope['id']}").json] == [
        ("To Do", 0), ("Review", 1), ("In Progress", 2), ("Done", 3)]
    assert [c["order"] for c in api.get(f"{path}/columns").json] == [0, 1, 2]
    api.patch(f"{path}/columns/{added.json['id']}", json={"order": 9})
    assert [c["name"] for c in api.get(f"{path}/columns?scopeId={scope['id']}").json][-1] == "Review"
    assert api.delete(f"{path}/columns/{added.json['id']}").status_code == 200
    assert [c["order"] for c in api.get(f"{path}/columns?scopeId={scope['id']}").json] == [0, 1, 2]
    assert [c["order"] for c in api.get(f"{path}/columns").json] == [0, 1, 2]


def test_patch_views_and_delete(team, site):
    path, scope = site
    url = f"{path}/scopes/{scope['id']}"
    assert team.other.get(url + "/views").json == {
        "views": ["kanban", "list", "calendar", "roadmap", "stats"], "activeView": "kanban"}
    assert team.other.patch(url + "/views", json={"activeView": "calendar"}).json["activeView"] == "calendar"
    assert team.other.get(url).json["activeView"] == "calendar"
    patched = team.other.patch(url, json={"name": "Sprint 1b", "description": None, "endDate": None})
    assert (patched.json["name"], patched.json["description"], patched.json["endDate"]) == ("Sprint 1b", None, None)
    assert [s["name"] for s in team.other.get(f"{path}/scopes").json] == ["Sprint 1b"]

    todo = team.other.get(url).json["columns"][0]["id"]
    card = team.other.post(f"{path}/columns/{todo}/cards", json={"title": "Goes with it"}).json
    assert_error(team.other.delete(url), 403)
    assert team.member.delete(url).json == {"ok": True}
    assert_error(team.member.get(url), 404)
    assert_error(team.member.get(f"{path}/cards/{card['id']}"), 404)
    assert len(team.member.get(f"{path}/columns").json) == 3


@pytest.mark.parametrize("method, suffix, body, status, field", [
    ("post", "", {"description": "no name"}, 400, "name"),
    ("post", "", {"name": ""}, 400, "name"),
    ("post", "", {"name": "S", "startDate": "2026-12-10", "endDate": "2026-12-01"}, 400, "endDate"),
    ("post", "", {"name": "S", "startDate": "soon"}, 400, "startDate"),
    ("post", "", {"name": "S", "activeView": "list"}, 400, "activeView"),
    ("patch", "/ID", {"endDate": "2026-11-01"}, 400, "endDate"),
    ("patch", "/ID", {"columns": []}, 400, "columns"),
    ("patch", "/ID/views", {"activeView": "gantt"}, 400, "activeView"),
    ("patch", "/ID/views", {}, 400, "activeView"),
])
def test_bad_scope_requests(team, site, method, suffix, body, status, field):
    path, scope = site
    response = getattr(team.member, method)(f"{path}/scopes{suffix.replace('ID', scope['id'])}", json=body)
    assert_error(response, status)
    assert field in detail_fields(response)
    assert team.member.get(f"{path}/scopes/{scope['id']}").json["activeView"] == "kanban"


def test_scopes_are_reached_only_through_their_project(team, site):
    path, scope = site
    other_project = project_path(new_project(team.member, "Elsewhere"))
    assert_error(team.member.get(f"{other_project}/scopes/{scope['id']}"), 404)
    assert_error(team.member.patch(f"{other_project}/scopes/{scope['id']}/views", json={"activeView": "list"}), 404)
    assert_error(team.member.delete(f"{other_project}/scopes/{scope['id']}"), 404)
    response = team.member.post(f"{other_project}/columns", json={"name": "X", "scopeId": scope["id"]})
    assert_error(response, 400)
    assert "scopeId" in detail_fields(response)
    assert_error(team.member.get(f"{other_project}/columns?scopeId={scope['id']}"), 400)
    # Outside the organization: the scope does not exist for them.
    assert_error(team.outsider.get(f"{path}/scopes/{scope['id']}"), 404)


def test_export_and_import_carry_scopes(team, site):
    path, scope = site
    api = team.member
    api.patch(f"{path}/scopes/{scope['id']}/views", json={"activeView": "roadmap"})
    scoped_todo = api.get(f"{path}/scopes/{scope['id']}").json["columns"][0]["id"]
    api.post(f"{path}/columns/{scoped_todo}/cards", json={"title": "In the sprint"})
    api.post(f"{path}/columns/{column_ids(api, {'id': path.rsplit('/', 1)[1]})[1]}/cards", json={"title": "On the board"})
    exported = api.get(f"{path}/export").json
    assert exported["scopes"] == [{"name": "Sprint 1", "description": "Two weeks", "startDate": "2026-12-01T00:00:00.000Z",
                                   "endDate": "2026-12-14T00:00:00.000Z", "activeView": "roadmap"}]
    assert [c["scopeIndex"] for c in exported["columns"]] == [None, None, None, 0, 0, 0]

    imported = api.post("/orgs/acme/workspaces/eng/projects/import", json=exported)
    assert imported.status_code == 201, imported.json
    new_path = project_path(imported.json)
    [new_scope] = api.get(f"{new_path}/scopes").json
    assert (new_scope["name"], new_scope["activeView"]) == ("Sprint 1", "roadmap")
    assert [c["title"] for c in api.get(f"{new_path}/scopes/{new_scope['id']}").json["cards"]] == ["In the sprint"]
    assert [(c["title"], c["scopeId"]) for c in api.get(f"{new_path}/cards").json] == [
        ("On the board", None), ("In the sprint", new_scope["id"])]
    again = api.get(f"{new_path}/export").json
    for snapshot in (again, exported):
        snapshot.pop("exportedAt")
        snapshot["project"].pop("key", None)
    assert again == exported

    exported["columns"][3]["scopeIndex"] = 1
    refused = api.post("/orgs/acme/workspaces/eng/projects/import", json=exported)
    assert_error(refused, 400)
    assert "columns[3].scopeIndex" in detail_fields(refused)


def test_deleting_a_scope_removes_its_cards_files(team, site, app):
    path, scope = site
    todo = team.member.get(f"{path}/scopes/{scope['id']}").json["columns"][0]["id"]
    card = team.member.post(f"{path}/columns/{todo}/cards", json={"title": "With a file"}).json
    folder = Path(app.config["UPLOAD_DIR"])
    before = {p.name for p in folder.iterdir()}
    uploaded = team.member.post(f"{path}/cards/{card['id']}/attachments",
                                data={"file": (io.BytesIO(b"notes"), "notes.txt", "text/plain")},
                                content_type="multipart/form-data")
    assert uploaded.status_code == 201
    assert len({p.name for p in folder.iterdir()} - before) == 1
    assert team.member.delete(f"{path}/scopes/{scope['id']}").json == {"ok": True}
    assert {p.name for p in folder.iterdir()} == before
