"""Who may call which pilotage endpoint: every standing × every endpoint, exact statuses.

Pilotage roles: viewer (read, propose), reviewer (+ review, apply, todo status), owner
(everything, cycle included). Organization owners and admins count as pilotage owners; a
workspace admin counts for what their pilotage role says. Outside the workspace → 404.
A refused call leaves every pilotage row as it was.
"""
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import pilotage as models
from app.models.identity import User
from app.services import tokens
from tests.api.pilotage_world import P, build_world
from tests.api.shapes import assert_error
from tests.conftest import Api

RANK = {"viewer": 0, "reviewer": 1, "owner": 2}
# actor → effective pilotage role, or None when the workspace is out of reach
STANDING = {"owner": "owner", "org_admin": "owner", "pilot": "owner", "reviewer": "reviewer",
            "viewer": "viewer", "ws_admin": "viewer", "outsider": None, "stranger": None}

# (method, path, body, minimum pilotage role, success status)
ENDPOINTS = [
    ("get", "/state", None, "viewer", 200),
    ("get", "/cycle", None, "viewer", 200),
    ("patch", "/cycle", {"cycle": "Sprint 9"}, "owner", 200),
    ("post", "/cycle/advance", {}, "owner", 201),
    ("get", "/missions", None, "viewer", 200),
    ("post", "/missions", {"objective": "New"}, "owner", 201),
    ("patch", "/missions/{mission}", {"status": "done"}, "owner", 200),
    ("delete", "/missions/{mission}", None, "owner", 200),
    ("get", "/priorities", None, "viewer", 200),
    ("post", "/priorities", {"label": "New"}, "owner", 201),
    ("patch", "/priorities/{priority}", {"label": "Renamed"}, "owner", 200),
    ("delete", "/priorities/{priority}", None, "owner", 200),
    ("get", "/todos", None, "viewer", 200),
    ("post", "/todos", {"label": "New"}, "owner", 201),
    ("patch", "/todos/{todo}", {"status": "done"}, "reviewer", 200),
    ("patch", "/todos/{todo}", {"label": "Renamed"}, "owner", 200),
    ("patch", "/todos/{todo}", {"status": "done", "label": "Renamed"}, "owner", 200),
    ("delete", "/todos/{todo}", None, "owner", 200),
    ("get", "/decisions", None, "viewer", 200),
    ("post", "/decisions", {"title": "New"}, "owner", 201),
    ("patch", "/decisions/{decision}", {"impact": "Big"}, "owner", 200),
    ("delete", "/decisions/{decision}", None, "owner", 200),
    ("get", "/docs", None, "viewer", 200),
    ("post", "/docs", {"title": "New"}, "owner", 201),
    ("patch", "/docs/{doc}", {"owner": "Jane"}, "owner", 200),
    ("delete", "/docs/{doc}", None, "owner", 200),
    ("get", "/actions", None, "viewer", 200),
    ("get", "/actions/{suggested}", None, "viewer", 200),
    ("post", "/actions/propose", {"actionType": "create_todo", "explanation": "Why"}, "viewer", 201),
    ("post", "/actions/{suggested}/review", {"approved": False, "reason": "No"}, "reviewer", 201),
    ("post", "/actions/{approved}/apply", None, "reviewer", 201),
]
CASES = [(actor, *endpoint) for endpoint in ENDPOINTS for actor in STANDING]


def pilotage_rows() -> list:
    db.session.expire_all()
    rows = []
    for model in (models.PilotageCycle, models.Mission, models.Priority, models.Todo, models.Decision,
                  models.DecisionMission, models.ActiveDoc, models.ProposedAction):
        columns = [c for c in model.__table__.c if c.name not in ("created_at", "updated_at")]
        rows.append(sorted(map(tuple, db.session.execute(sa.select(*columns)).all()), key=repr))
    return rows


@pytest.mark.parametrize("actor,method,path,body,minimum,success", CASES,
                         ids=[f"{c[0]}-{c[1]}{c[2]}-{sorted(c[3] or {})}" for c in CASES])
def test_role_matrix(client, actor, method, path, body, minimum, success):
    world = build_world(client)
    url = P + path.format(**vars(world))
    before = pilotage_rows()
    call = getattr(world.api[actor], method)
    response = call(url, json=body) if body is not None else call(url)
    role = STANDING[actor]
    if role is None:
        assert_error(response, 404)
    elif RANK[role] < RANK[minimum]:
        assert_error(response, 403)
    else:
        assert response.status_code == success, response.json
        return
    assert pilotage_rows() == before


def test_usage_context_reports_the_effective_role(client):
    world = build_world(client)
    for actor, role in STANDING.items():
        if role is not None:
            assert world.api[actor].get(P + "/state").json["usageContext"]["role"] == role


def test_admins_grant_pilotage_roles_through_the_members_api(client):
    world = build_world(client)
    viewer = world.api["viewer"]
    assert_error(viewer.post(P + "/missions", json={"objective": "Mine"}), 403)
    change = world.api["ws_admin"].patch(f"/orgs/acme/workspaces/eng/members/{world.ids['viewer']}",
                                         json={"pilotageRole": "owner"})
    assert change.status_code == 200
    assert viewer.post(P + "/missions", json={"objective": "Mine"}).status_code == 201
    assert_error(viewer.patch(f"/orgs/acme/workspaces/eng/members/{world.ids['reviewer']}",
                              json={"pilotageRole": "owner"}), 403)


def test_personal_access_token_scopes(client):
    world = build_world(client)
    owner = db.session.get(User, world.ids["owner"])
    _, read_only = tokens.create_token(owner, "read", ["pilotage:read"])
    _, projects_only = tokens.create_token(owner, "projects", ["projects:read", "projects:write"])
    _, writer = tokens.create_token(owner, "write", ["pilotage:write"])
    db.session.commit()
    reader, other, writer = Api(client, read_only), Api(client, projects_only), Api(client, writer)
    assert reader.get(P + "/state").status_code == 200
    assert_error(reader.post(P + "/missions", json={"objective": "X"}), 403)
    assert_error(other.get(P + "/state"), 403)
    assert_error(writer.get(P + "/missions"), 403)
    assert writer.post(P + "/missions", json={"objective": "X"}).status_code == 201
    assert_error(Api(client).get(P + "/state"), 401)
