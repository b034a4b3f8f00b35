"""Every card-depth endpoint: people outside the project and ids of another project are 404,
personal access tokens need the contract's scope, anonymous callers 401."""
import pytest

from tests.api.card_depth_world import depth  # noqa: F401
from tests.api.shapes import assert_error
from tests.api.test_pat_scopes import new_pat
from tests.board_helpers import team  # noqa: F401

# (method, path under the project with {placeholders}, JSON body or None, success status)
ENDPOINTS = [
    ("GET", "/cards/{card}/comments", None, 200),
    ("POST", "/cards/{card}/comments", {"content": "More"}, 201),
    ("PATCH", "/cards/{card}/comments/{comment}", {"content": "Edited"}, 200),
    ("DELETE", "/cards/{card}/comments/{comment}", None, 200),
    ("GET", "/cards/{card}/attachments", None, 200),
    ("GET", "/cards/{card}/attachments/{attachment}", None, 200),
    ("DELETE", "/cards/{card}/attachments/{attachment}", None, 200),
    ("POST", "/labels", {"name": "New", "color": "#123456"}, 201),
    ("GET", "/labels", None, 200),
    ("PATCH", "/labels/{label}", {"color": "#654321"}, 200),
    ("DELETE", "/labels/{label}", None, 200),
    ("POST", "/cards/{card}/labels/{label}", None, 201),
    ("DELETE", "/cards/{card}/labels/{label}", None, 200),
    ("POST", "/custom-fields", {"name": "Size", "type": "text"}, 201),
    ("GET", "/custom-fields", None, 200),
    ("PATCH", "/custom-fields/{field}", {"name": "Estimate"}, 200),
    ("DELETE", "/custom-fields/{field}", None, 200),
    ("PATCH", "/cards/{card}/custom-fields", {"values": {"{field}": 5}}, 200),
    ("POST", "/cards/{card}/relations", {"targetCardId": "{other}", "type": "related_to"}, 201),
    ("GET", "/cards/{card}/relations", None, 200),
    ("DELETE", "/relations/{relation}", None, 200),
    ("GET", "/cards/{card}/activity", None, 200),
]
IDS = [f"{m} {p}" for m, p, _, _ in ENDPOINTS]


def fill(template, ids):
    if isinstance(template, str):
        for key, value in ids.items():
            template = template.replace("{" + key + "}", value)
        return template
    if isinstance(template, dict):
        return {fill(k, ids): fill(v, ids) for k, v in template.items()}
    return template


def own_ids(depth):
    return {"card": depth.card, "comment": depth.comment, "attachment": depth.attachment, "label": depth.label,
            "field": depth.field, "relation": depth.relation, "other": depth.foreign["card"]}


def call(api, depth, method, path, body, ids=None, base=None):
    ids = ids or own_ids(depth)
    response = api.client.open((base or depth.path) + fill(path, ids), method=method, json=fill(body, ids),
                               headers={"Authorization": f"Bearer {api.token}"})
    response.get_data()
    response.close()  # a download streams a file: close it
    return response


@pytest.mark.parametrize("method,path,body,success", ENDPOINTS, ids=IDS)
def test_a_project_member_and_a_workspace_admin_succeed(depth, method, path, body, success):
    # Relations may cross projects of one workspace: the member reaches both.
    assert call(depth.team.member, depth, method, path, body).status_code == success


@pytest.mark.parametrize("method,path,body,success", ENDPOINTS, ids=IDS)
def test_the_workspace_admin_reaches_every_project(depth, method, path, body, success):
    response = call(depth.team.admin, depth, method, path, body)
    if (method, path) == ("PATCH", "/cards/{card}/comments/{comment}"):
        assert_error(response, 403, "Only the author can edit a comment")
    else:
        assert response.status_code == success


@pytest.mark.parametrize("who", ["outsider", "owner_of_nothing"])
@pytest.mark.parametrize("method,path,body,success", ENDPOINTS, ids=IDS)
def test_people_outside_the_project_get_404(depth, register, who, method, path, body, success):
    api = depth.team.outsider if who == "outsider" else register("lurker@acme.test")
    assert_error(call(api, depth, method, path, body), 404)


@pytest.mark.parametrize("method,path,body,success", ENDPOINTS, ids=IDS)
def test_a_workspace_member_outside_the_project_gets_404(depth, method, path, body, success):
    # `other` is a member of the first project only: the second project is out of reach.
    ids = {k: v for k, v in depth.foreign.items()}
    assert_error(call(depth.team.other, depth, method, path, body, ids, depth.foreign_path), 404)


@pytest.mark.parametrize("method,path,body,success", [e for e in ENDPOINTS if "{" in e[1]],
                         ids=[i for i, e in zip(IDS, ENDPOINTS) if "{" in e[1]])
def test_ids_of_another_project_are_404_under_this_one(depth, method, path, body, success):
    ids = {**depth.foreign, "other": depth.card}
    response = call(depth.team.member, depth, method, path, body, ids)
    assert_error(response, 404)


@pytest.mark.parametrize("method,path,body,success", ENDPOINTS, ids=IDS)
def test_tokens_need_the_projects_scope_of_the_method(depth, method, path, body, success):
    member = depth.team.member
    needed = "projects:read" if method == "GET" else "projects:write"
    wrong = "projects:write" if needed == "projects:read" else "projects:read"
    for scopes in ([wrong, "notifications:read", "pilotage:write"],):
        assert_error(call(new_pat(member, scopes), depth, method, path, body), 403,
                     f"Token lacks the '{needed}' scope")
    assert call(new_pat(member, [needed]), depth, method, path, body).status_code == success


@pytest.mark.parametrize("method,path", [("GET", "/notifications"), ("GET", "/notifications/count"),
                                         ("PATCH", "/notifications/read-all")])
def test_notifications_need_the_notifications_scope_for_reading_and_marking(depth, method, path):
    member = depth.team.member
    denied = new_pat(member, ["projects:read", "projects:write", "account:read", "account:write"])
    assert_error(denied.client.open(path, method=method, headers={"Authorization": f"Bearer {denied.token}"}),
                 403, "Token lacks the 'notifications:read' scope")
    allowed = new_pat(member, ["notifications:read"])
    assert allowed.client.open(path, method=method,
                               headers={"Authorization": f"Bearer {allowed.token}"}).status_code == 200


def test_anonymous_callers_get_401(depth, anon):
    for method, path, body, _ in ENDPOINTS:
        assert_error(anon.client.open(depth.path + fill(path, own_ids(depth)), method=method, json=body), 401)
    assert_error(anon.client.post(depth.path + f"/cards/{depth.card}/attachments", data=b"x" * 100,
                                  content_type="multipart/form-data; boundary=x"), 401)
