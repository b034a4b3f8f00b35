"""Who reaches the knowledge base: outsiders and other workspaces see 404 on every endpoint,
roles too low get 403, ids from another workspace are refused, PAT scopes are enforced."""
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models.knowledge import Document, DocumentReview, DocumentRevision
from app.services.tokens import SCOPES
from tests.api.shapes import assert_error, detail_fields
from tests.board_helpers import W, team  # noqa: F401
from tests.conftest import Api

D = W + "/documents"


@pytest.fixture()
def world(team):
    """`team` plus a document (by `member`) with a child and a revision, a template, and a
    second workspace `ops` of the same organization that only the owner belongs to."""
    document = team.member.post(D, json={"title": "Doc"}).json
    child = team.member.post(D, json={"title": "Child", "parentId": document["id"]}).json
    template = team.member.post(D, json={"title": "Tpl", "docType": "template"}).json
    revision = team.member.get(f"{D}/{document['id']}/revisions").json[0]
    assert team.owner.post("/orgs/acme/workspaces", json={"name": "Ops", "slug": "ops"}).status_code == 201
    foreign = team.owner.post("/orgs/acme/workspaces/ops/documents", json={"title": "Ops doc"}).json
    return {"team": team, "doc": document["id"], "child": child["id"], "template": template["id"],
            "revision": revision["id"], "foreign": foreign["id"]}


def endpoints(world):
    doc, rev, tpl = world["doc"], world["revision"], world["template"]
    return [
        ("POST", D, {"title": "New"}, 201),
        ("GET", D, None, 200),
        ("GET", f"{D}/{doc}", None, 200),
        ("PATCH", f"{D}/{doc}", {"title": "Renamed"}, 200),
        ("POST", f"{D}/{doc}/submit-review", None, 201),
        ("POST", f"{D}/{doc}/review", {"status": "approved"}, None),
        ("GET", f"{D}/{doc}/reviews", None, 200),
        ("GET", f"{D}/{doc}/revisions", None, 200),
        ("GET", f"{D}/{doc}/revisions/{rev}", None, 200),
        ("POST", f"{D}/{doc}/revisions/{rev}/restore", None, 201),
        ("POST", f"{D}/{tpl}/instantiate", {}, 201),
        ("GET", W + "/search?q=doc", None, 200),
        ("DELETE", f"{D}/{doc}?cascade=true", None, 200),
    ]


def snapshot():
    db.session.expire_all()
    rows = []
    for model in (Document, DocumentRevision, DocumentReview):
        columns = [c for c in model.__table__.c if c.name not in ("created_at", "updated_at")]
        rows.append(sorted(tuple(map(str, r)) for r in db.session.execute(sa.select(*columns))))
    return rows


def test_outsiders_get_404_everywhere_and_change_nothing(world):
    team = world["team"]
    before = snapshot()
    for method, path, body, _ in endpoints(world):
        response = team.outsider.client.open(path, method=method, json=body,
                                             headers={"Authorization": f"Bearer {team.outsider.token}"})
        assert_error(response, 404)
    assert snapshot() == before


def test_a_member_of_another_workspace_gets_404(world):
    team = world["team"]
    ops = "/orgs/acme/workspaces/ops"
    for method, path, body, _ in endpoints(world):
        path = path.replace(W, ops)
        response = team.member.client.open(path, method=method, json=body,
                                           headers={"Authorization": f"Bearer {team.member.token}"})
        assert_error(response, 404)


@pytest.mark.parametrize("suffix", ["", "/reviews", "/revisions", "/submit-review", "/instantiate"])
def test_ids_of_another_workspace_are_404_under_this_one(world, suffix):
    team = world["team"]
    method = "POST" if suffix in ("/submit-review", "/instantiate") else "GET"
    response = team.owner.client.open(f"{D}/{world['foreign']}{suffix}", method=method,
                                      headers={"Authorization": f"Bearer {team.owner.token}"})
    assert_error(response, 404)


def test_ids_of_another_workspace_are_refused_in_bodies(world):
    team = world["team"]
    assert detail_fields(team.owner.post(D, json={"title": "x", "parentId": world["foreign"]})) == ["parentId"]
    assert detail_fields(team.owner.patch(f"{D}/{world['doc']}", json={"parentId": world["foreign"]})) == ["parentId"]
    ops_project = team.owner.post("/orgs/acme/workspaces/ops/projects", json={"name": "Ops board"}).json
    assert detail_fields(team.owner.post(D, json={"title": "x", "projectId": ops_project["id"]})) == ["projectId"]
    revision_elsewhere = team.owner.get(f"/orgs/acme/workspaces/ops/documents/{world['foreign']}/revisions").json[0]
    assert_error(team.owner.get(f"{D}/{world['doc']}/revisions/{revision_elsewhere['id']}"), 404)


def test_roles_too_low_get_403(world):
    team = world["team"]
    doc = world["doc"]
    team.member.post(f"{D}/{doc}/submit-review")
    before = snapshot()
    assert_error(team.member.post(f"{D}/{doc}/review", json={"status": "approved"}), 403)
    assert_error(team.other.post(f"{D}/{doc}/review", json={"status": "approved"}), 403)
    assert_error(team.other.delete(f"{D}/{doc}?cascade=true"), 403)
    assert_error(team.other.delete(f"{D}/{world['child']}"), 403)
    assert_error(team.other.patch(W, json={"requireIndependentReview": True}), 403)
    assert snapshot() == before
    assert team.admin.post(f"{D}/{doc}/review", json={"status": "approved"}).status_code == 201
    assert team.admin.delete(f"{D}/{doc}?cascade=true").json == {"ok": True}


def test_members_read_and_write_documents(world):
    team = world["team"]
    for api in (team.other, team.admin, team.owner):
        assert api.get(f"{D}/{world['doc']}").status_code == 200
        assert api.patch(f"{D}/{world['doc']}", json={"title": f"By {api.user['id']}"}).status_code == 200


def pat(api, scopes):
    secret = api.post("/api-tokens", json={"name": "t", "scopes": list(scopes)}).json["token"]
    return Api(api.client, secret)


@pytest.mark.parametrize("scope", SCOPES)
def test_pat_scopes(world, scope):
    team = world["team"]
    token = pat(team.owner, [scope])
    for method, path, body, success in endpoints(world):
        needed = "projects:read" if method == "GET" else "projects:write"
        response = token.client.open(path, method=method, json=body, headers={"Authorization": f"Bearer {token.token}"})
        if scope == needed:
            assert response.status_code < 400 and (success is None or response.status_code == success), (
                method, path, response.json)
        else:
            assert_error(response, 403)
