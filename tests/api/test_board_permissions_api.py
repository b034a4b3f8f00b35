"""Who reaches what on the board API: outsiders and non-members get 404 everywhere, plain
members get 403 where only admins may act, and ids of another project are 404 under this one."""
import pytest

from tests.api.shapes import assert_error
from tests.board_helpers import W, add_member, column_ids, new_project, project_path, team  # noqa: F401


@pytest.fixture()
def world(team):
    """`member` created `Website` (one card, one checklist item); `theirs` is another project of
    the same workspace that `member` also reaches."""
    project = new_project(team.member, "Website")
    path = project_path(project)
    todo, doing, _ = column_ids(team.member, project)
    card = team.member.post(f"{path}/columns/{todo}/cards", json={"title": "Home", "checklist": [{"title": "a"}]}).json
    theirs = new_project(team.member, "Other")
    other_todo = column_ids(team.member, theirs)[0]
    other_card = team.member.post(f"{project_path(theirs)}/columns/{other_todo}/cards", json={"title": "X"}).json
    return {"team": team, "project": project, "path": path, "todo": todo, "doing": doing, "card": card["id"],
            "item": card["checklist"][0]["_id"], "other_path": project_path(theirs),
            "other_todo": other_todo, "other_card": other_card["id"]}


def endpoints(w):
    p, c = w["path"], w["card"]
    return [
        ("get", p, None), ("patch", p, {"name": "x"}), ("delete", p, None), ("get", p + "/export", None),
        ("get", p + "/members", None), ("post", p + "/members", {"email": "admin@acme.test"}),
        ("get", p + "/columns", None), ("post", p + "/columns", {"name": "x"}),
        ("patch", f"{p}/columns/{w['todo']}", {"name": "x"}), ("delete", f"{p}/columns/{w['doing']}", None),
        ("get", p + "/cards", None), ("post", f"{p}/columns/{w['todo']}/cards", {"title": "x"}),
        ("get", f"{p}/cards/{c}", None), ("patch", f"{p}/cards/{c}", {"title": "x"}),
        ("delete", f"{p}/cards/{c}", None), ("post", f"{p}/cards/{c}/checklist", {"title": "x"}),
        ("patch", f"{p}/cards/{c}/checklist/{w['item']}", {"done": True}),
        ("delete", f"{p}/cards/{c}/checklist/{w['item']}", None),
    ]


def call(api, method, path, body):
    return getattr(api, method)(path, json=body) if body is not None else getattr(api, method)(path)


@pytest.mark.parametrize("who", ["outsider", "other"])
def test_people_outside_the_project_get_404_everywhere(world, who):
    api = getattr(world["team"], who)
    for method, path, body in endpoints(world):
        assert_error(call(api, method, path, body), 404)
    assert world["team"].member.get(f"{world['path']}/cards/{world['card']}").json["title"] == "Home"


def test_outsiders_do_not_see_the_workspace_lists(world):
    outsider = world["team"].outsider
    for path in ("/projects", "/projects/portfolio", "/projects/templates"):
        assert_error(outsider.get(W + path), 404)
    assert_error(outsider.post(W + "/projects", json={"name": "x"}), 404)


def test_plain_project_members_change_the_board_but_not_the_project(world):
    team = world["team"]
    add_member(team.member, world["project"], "other@acme.test")
    other, p = team.other, world["path"]
    assert other.patch(f"{p}/cards/{world['card']}", json={"columnId": world["doing"], "order": 0}).status_code == 200
    assert other.post(p + "/columns", json={"name": "Review"}).status_code == 201
    assert_error(other.patch(p, json={"name": "Mine"}), 403)
    assert_error(other.post(p + "/members", json={"email": "admin@acme.test"}), 403)
    assert_error(other.delete(p), 403)
    assert_error(team.member.delete(p), 403)  # project admin, but not a workspace admin
    assert team.admin.delete(p).json == {"ok": True}


def test_ids_of_another_project_are_404_under_this_one(world):
    m, p, o = world["team"].member, world["path"], world["other_path"]
    for method, path, body in (
        ("get", f"{p}/cards/{world['other_card']}", None),
        ("patch", f"{p}/cards/{world['other_card']}", {"title": "x"}),
        ("delete", f"{p}/cards/{world['other_card']}", None),
        ("post", f"{p}/cards/{world['other_card']}/checklist", {"title": "x"}),
        ("post", f"{p}/columns/{world['other_todo']}/cards", {"title": "x"}),
        ("patch", f"{p}/columns/{world['other_todo']}", {"name": "x"}),
        ("delete", f"{p}/columns/{world['other_todo']}", None),
        ("get", f"{o}/cards/{world['card']}", None),
        ("patch", f"{o}/cards/{world['card']}/checklist/{world['item']}", {"done": True}),
    ):
        assert_error(call(m, method, path, body), 404)
    assert [c["title"] for c in m.get(o + "/cards").json] == ["X"]


def test_a_move_into_another_projects_column_is_400(world):
    m, p = world["team"].member, world["path"]
    response = m.patch(f"{p}/cards/{world['card']}", json={"columnId": world["other_todo"], "order": 0})
    body = assert_error(response, 400)
    assert body["details"] == [{"field": "columnId", "message": "columnId is not a column of this project"}]
    assert m.get(f"{p}/cards/{world['card']}").json["columnId"] == world["todo"]


def test_a_project_under_another_workspace_path_is_404(world):
    member = world["team"].member
    org = member.get("/organizations").json
    personal = next(o for o in org if o["isPersonal"])["slug"]
    assert_error(member.get(f"/orgs/{personal}/workspaces/personal/projects/{world['project']['id']}"), 404)


def test_read_only_tokens_read_but_do_not_write(world):
    member, p = world["team"].member, world["path"]
    secret = member.post("/api-tokens", json={"name": "ro", "scopes": ["projects:read"]}).json["token"]
    headers = {"Authorization": f"Bearer {secret}"}
    client = member.client
    assert client.get(p + "/cards", headers=headers).status_code == 200
    assert_error(client.patch(f"{p}/cards/{world['card']}", json={"title": "x"}, headers=headers), 403)
