"""Who may call which identity endpoint: every actor × every endpoint, with zero unexpected allows.

Each case starts from the same world, calls one endpoint as one actor, and checks the exact
status. A refused call must leave every identity row as it was.
"""
import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models.identity import Invitation, Organization, OrgMember, User, Workspace, WorkspaceMember
from app.services import accounts, orgs, workspaces
from app.services.access import org_access, workspace_access
from tests.api.shapes import assert_error

PASSWORD = "correct-horse-battery"
ACTORS = ("anonymous", "outsider", "org_member", "member", "ws_admin", "org_admin", "owner")
W = "/orgs/acme/workspaces/eng"


def build_world() -> dict:
    """`acme` (owner, org admin, members) with workspace `eng`; `beta`, another tenant."""
    people = {name: accounts.register(f"{name}@example.com", PASSWORD) for name in (
        "outsider", "org_member", "member", "ws_admin", "org_admin", "owner", "target", "candidate",
        "bob")}
    owner = people["owner"]
    orgs.create_org(owner, "Acme", "acme")
    acme = org_access(owner, "acme")
    orgs.add_member(acme, "org_admin@example.com", "admin")
    for name in ("org_member", "member", "ws_admin", "target"):
        orgs.add_member(acme, f"{name}@example.com", "member")
    workspaces.create_workspace(acme, "Engineering", "eng")
    eng = workspace_access(owner, "acme", "eng")
    for name, role in (("member", "member"), ("ws_admin", "admin"), ("target", "member")):
        db.session.add(WorkspaceMember(workspace_id=eng.workspace.id, user_id=people[name].id,
                                       role=role, pilotage_role="viewer"))
    invitation, token = workspaces.invite(eng, "pending@example.com")

    orgs.create_org(people["bob"], "Beta", "beta")
    workspaces.create_workspace(org_access(people["bob"], "beta"), "Beta WS", "beta-ws")
    foreign_invitation, _ = workspaces.invite(workspace_access(people["bob"], "beta", "beta-ws"),
                                              "someone@example.com")
    db.session.commit()
    return {
        "tokens": {name: accounts.issue_jwt(user) for name, user in people.items()},
        "ids": {name: user.id for name, user in people.items()},
        "invitation": invitation.id,
        "invite_token": token,
        "foreign_invitation": foreign_invitation.id,
    }


def snapshot() -> list:
    """Every identity row that a refused call must leave untouched."""
    db.session.expire_all()
    rows = []
    for model in (User, Organization, OrgMember, Workspace, WorkspaceMember, Invitation):
        table = model.__table__
        columns = [c for c in table.c if c.name not in ("created_at", "updated_at")]
        rows.append(sorted(tuple(r) for r in db.session.execute(sa.select(*columns))))
    return rows


@pytest.fixture()
def world():
    return build_world()


def call(client, world, actor, method, path, body=None):
    headers = {} if actor == "anonymous" else {"Authorization": f"Bearer {world['tokens'][actor]}"}
    path = path.format(target=world["ids"]["target"], invitation=world["invitation"],
                       token=world["invite_token"])
    return client.open(path, method=method, json=body, headers=headers)


# expected status per actor: anonymous, outsider, org_member, member, ws_admin, org_admin, owner
MATRIX = [
    ("GET", "/organizations", None, (401, 200, 200, 200, 200, 200, 200)),
    ("POST", "/organizations", {"name": "New", "slug": "new-org"}, (401, 201, 201, 201, 201, 201, 201)),
    ("GET", "/organizations/acme", None, (401, 404, 200, 200, 200, 200, 200)),
    ("PATCH", "/organizations/acme", {"name": "Renamed"}, (401, 404, 403, 403, 403, 200, 200)),
    ("DELETE", "/organizations/acme", None, (401, 404, 403, 403, 403, 403, 200)),
    ("GET", "/organizations/acme/members", None, (401, 404, 200, 200, 200, 200, 200)),
    ("POST", "/organizations/acme/members", {"email": "candidate@example.com", "role": "member"},
     (401, 404, 403, 403, 403, 201, 201)),
    ("PATCH", "/organizations/acme/members/{target}", {"role": "admin"}, (401, 404, 403, 403, 403, 200, 200)),
    ("DELETE", "/organizations/acme/members/{target}", None, (401, 404, 403, 403, 403, 200, 200)),
    ("POST", "/orgs/acme/workspaces", {"name": "Ops", "slug": "ops"}, (401, 404, 403, 403, 403, 201, 201)),
    ("GET", "/orgs/acme/workspaces", None, (401, 404, 200, 200, 200, 200, 200)),
    ("GET", W, None, (401, 404, 404, 200, 200, 200, 200)),
    ("PATCH", W, {"name": "Platform"}, (401, 404, 404, 403, 200, 200, 200)),
    ("DELETE", W, None, (401, 404, 404, 403, 200, 200, 200)),
    ("GET", W + "/members", None, (401, 404, 404, 200, 200, 200, 200)),
    ("PATCH", W + "/members/{target}", {"pilotageRole": "reviewer"}, (401, 404, 404, 403, 200, 200, 200)),
    ("DELETE", W + "/members/{target}", None, (401, 404, 404, 403, 200, 200, 200)),
    ("POST", W + "/members/invite", {"email": "fresh@example.com"}, (401, 404, 404, 403, 201, 201, 201)),
    ("GET", W + "/invitations", None, (401, 404, 404, 403, 200, 200, 200)),
    ("DELETE", W + "/invitations/{invitation}", None, (401, 404, 404, 403, 200, 200, 200)),
    # only the invited account may accept; nobody in this list is it
    ("POST", "/invitations/{token}/accept", None, (401, 403, 403, 403, 403, 403, 403)),
]

ENDPOINT_IDS = [f"{method} {path}" for method, path, _, _ in MATRIX]

# A change that an actor may make needs a world of its own; refusals and reads share one.
CHANGES = [
    pytest.param(method, path, body, actor, expected[i], id=f"{method} {path} as {actor}")
    for method, path, body, expected in MATRIX if method != "GET"
    for i, actor in enumerate(ACTORS) if expected[i] < 400
]


@pytest.mark.parametrize("method,path,body,expected", MATRIX, ids=ENDPOINT_IDS)
def test_refusals_and_reads(client, world, method, path, body, expected):
    problems = []
    for actor, status in zip(ACTORS, expected):
        if method != "GET" and status < 400:
            continue
        before = snapshot()
        response = call(client, world, actor, method, path, body)
        if response.status_code < 300 and status >= 400:
            problems.append(f"unexpected allow: {actor} got {response.status_code}")
        elif response.status_code != status:
            problems.append(f"{actor}: expected {status}, got {response.status_code}")
        elif status >= 400:
            assert_error(response, status)
            if snapshot() != before:
                problems.append(f"{actor}: a refused call changed data")
    assert problems == []


@pytest.mark.parametrize("method,path,body,actor,expected", CHANGES)
def test_allowed_changes(client, world, method, path, body, actor, expected):
    response = call(client, world, actor, method, path, body)
    assert response.status_code == expected, response.json


def test_the_matrix_covers_every_identity_endpoint(app):
    """A new organization/workspace/invitation endpoint must be added to the matrix above."""
    identity_rule = re.compile(
        r"^/organizations(/|$)"
        r"|^/orgs/<org_slug>/workspaces(/<ws_slug>(/members(/.*)?|/invitations(/.*)?)?)?$"
        r"|^/invitations/")
    covered = {(m, p) for m, p, _, _ in MATRIX}
    normalized = {
        (m, p.replace("{target}", "<user_id>").replace("{invitation}", "<invitation_id>")
         .replace("{token}", "<token>").replace("/orgs/acme", "/orgs/<org_slug>")
         .replace("/organizations/acme", "/organizations/<org_slug>")
         .replace("/workspaces/eng", "/workspaces/<ws_slug>"))
        for m, p in covered
    }
    served = {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.split(".")[0] == "api" and identity_rule.match(rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert served - normalized == set()
    assert normalized <= served


def test_the_invited_account_accepts(client, world):
    pending = accounts.register("pending@example.com", PASSWORD)
    db.session.commit()
    token = accounts.issue_jwt(pending)
    response = client.post(f"/invitations/{world['invite_token']}/accept",
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201


@pytest.mark.parametrize("method,path,body", [
    ("PATCH", "/organizations/acme/members/{bob}", {"role": "admin"}),
    ("DELETE", "/organizations/acme/members/{bob}", None),
    ("PATCH", W + "/members/{bob}", {"role": "admin"}),
    ("DELETE", W + "/members/{bob}", None),
    ("PATCH", W + "/members/{org_member}", {"role": "admin"}),
    ("DELETE", W + "/invitations/{foreign_invitation}", None),
    ("GET", "/orgs/acme/workspaces/beta-ws", None),
    ("GET", "/orgs/beta/workspaces/eng", None),
    ("GET", "/organizations/beta", None),
    ("GET", "/orgs/beta/workspaces", None),
    ("PATCH", "/orgs/beta/workspaces/beta-ws", {"name": "Mine"}),
    ("POST", "/orgs/beta/workspaces/beta-ws/members/invite", {"email": "x@example.com"}),
])
def test_cross_tenant_ids_are_not_found(client, world, method, path, body):
    before = snapshot()
    path = path.format(bob=world["ids"]["bob"], org_member=world["ids"]["org_member"],
                       foreign_invitation=world["foreign_invitation"])
    response = client.open(path, method=method, json=body,
                           headers={"Authorization": f"Bearer {world['tokens']['owner']}"})
    assert_error(response, 404)
    assert snapshot() == before
