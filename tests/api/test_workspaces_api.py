"""`/orgs/:orgSlug/workspaces*` and `/invitations/:token/accept` over HTTP."""
import re
from datetime import timedelta

import pytest

from app.extensions import db
from app.ids import is_id
from app.models.identity import Invitation
from app.timeutil import utcnow
from tests.api.shapes import assert_error, detail_fields

W = "/orgs/acme/workspaces/eng"
ISO_RE = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"


@pytest.fixture()
def eng(register):
    """`acme` with workspace `eng` (created by the owner); `dev` is a member of both."""
    owner, dev = register("owner@acme.test"), register("dev@acme.test")
    owner.post("/organizations", json={"name": "Acme", "slug": "acme"})
    assert owner.post("/orgs/acme/workspaces", json={"name": "Engineering", "slug": "eng"}).status_code == 201
    token = owner.post(W + "/members/invite", json={"email": "dev@acme.test"}).json["token"]
    assert dev.post(f"/invitations/{token}/accept").status_code == 201
    return owner, dev


def test_create_workspace_shape(register):
    owner = register("owner@acme.test")
    owner.post("/organizations", json={"name": "Acme", "slug": "acme"})
    response = owner.post("/orgs/acme/workspaces", json={"name": "Engineering", "slug": "engineering"})
    assert response.status_code == 201
    body = response.json
    assert set(body) == {"id", "name", "slug", "organizationId", "ownerId", "isPersonal", "myRole",
                         "myPilotageRole", "requireIndependentReview", "createdAt", "updatedAt"}
    assert is_id(body["id"])
    org_id = owner.get("/organizations/acme").json["id"]
    assert (body["name"], body["slug"], body["organizationId"], body["ownerId"], body["isPersonal"],
            body["myRole"], body["myPilotageRole"]) == (
        "Engineering", "engineering", org_id, owner.user["id"], False, "admin", "owner")
    assert re.match(ISO_RE, body["createdAt"]) and re.match(ISO_RE, body["updatedAt"])


def test_create_workspace_errors(eng, register):
    owner, dev = eng
    assert_error(owner.post("/orgs/acme/workspaces", json={"name": "Again", "slug": "eng"}), 409)
    bad = owner.post("/orgs/acme/workspaces", json={"name": "X", "slug": "Bad!"})
    assert_error(bad, 400)
    assert detail_fields(bad) == ["slug"]
    assert_error(owner.post("/orgs/acme/workspaces", json={"name": "X"}), 400)
    assert_error(owner.post("/orgs/acme/workspaces", json={"name": "X", "slug": "xx", "isPersonal": True}), 400)
    assert_error(dev.post("/orgs/acme/workspaces", json={"name": "Mine", "slug": "mine"}), 403)
    assert_error(register("x@example.com").post("/orgs/acme/workspaces", json={"name": "X", "slug": "xx"}), 404)
    assert_error(owner.post("/orgs/nope/workspaces", json={"name": "X", "slug": "xx"}), 404)


def test_list_workspaces_shows_what_i_can_reach(eng):
    owner, dev = eng
    owner.post("/orgs/acme/workspaces", json={"name": "Secret", "slug": "secret"})
    mine = dev.get("/orgs/acme/workspaces")
    assert mine.status_code == 200
    assert [(w["slug"], w["myRole"], w["myPilotageRole"]) for w in mine.json] == [("eng", "member", "viewer")]
    assert [w["slug"] for w in owner.get("/orgs/acme/workspaces").json] == ["eng", "secret"]
    assert_error(dev.get("/orgs/acme/workspaces/secret"), 404)


def test_get_workspace_with_my_roles(eng):
    owner, dev = eng
    body = dev.get(W).json
    assert set(body) == {"id", "name", "slug", "organizationId", "ownerId", "isPersonal", "myRole",
                         "myPilotageRole", "requireIndependentReview", "createdAt", "updatedAt"}
    assert (body["myRole"], body["myPilotageRole"], body["ownerId"]) == ("member", "viewer", owner.user["id"])
    assert_error(dev.get("/orgs/acme/workspaces/nope"), 404)


def test_patch_workspace(eng):
    owner, dev = eng
    assert_error(dev.patch(W, json={"name": "Mine"}), 403)
    response = owner.patch(W, json={"name": "Platform"})
    assert response.status_code == 200 and response.json["name"] == "Platform"
    assert_error(owner.patch(W, json={"slug": "NO"}), 400)
    assert_error(owner.patch(W, json={"organizationId": "x"}), 400)
    owner.post("/orgs/acme/workspaces", json={"name": "Ops", "slug": "ops"})
    assert_error(owner.patch(W, json={"slug": "ops"}), 409)
    assert owner.patch(W, json={"slug": "platform"}).json["slug"] == "platform"
    assert owner.get("/orgs/acme/workspaces/platform").status_code == 200


def test_delete_workspace(eng):
    owner, dev = eng
    assert_error(dev.delete(W), 403)
    response = owner.delete(W)
    assert response.status_code == 200 and response.json == {"ok": True}
    assert_error(owner.get(W), 404)
    assert_error(dev.get(W), 404)


def test_members_list_shape(eng):
    owner, dev = eng
    response = dev.get(W + "/members")
    assert response.status_code == 200
    assert [(m["userId"], m["email"], m["role"], m["pilotageRole"]) for m in response.json] == [
        (owner.user["id"], "owner@acme.test", "admin", "owner"),
        (dev.user["id"], "dev@acme.test", "member", "viewer"),
    ]


def test_invite_returns_token_and_accept_link(eng):
    owner, _ = eng
    response = owner.post(W + "/members/invite", json={"email": "New@Example.com", "role": "admin"})
    assert response.status_code == 201
    body = response.json
    assert (body["email"], body["role"], body["emailSent"]) == ("new@example.com", "admin", False)
    assert body["acceptUrl"] == f"http://stellary.test/invite/{body['token']}"
    assert is_id(body["id"]) and re.match(ISO_RE, body["expiresAt"]) and body["acceptedAt"] is None


def test_invite_errors(eng):
    owner, dev = eng
    assert_error(dev.post(W + "/members/invite", json={"email": "x@example.com"}), 403)
    assert_error(owner.post(W + "/members/invite", json={"email": "dev@acme.test"}), 409)
    assert_error(owner.post(W + "/members/invite", json={"email": "x"}), 400)
    assert_error(owner.post(W + "/members/invite", json={"email": "x@example.com", "role": "owner"}), 400)
    assert_error(owner.post(W + "/members/invite", json={}), 400)


def test_invitations_list_and_revoke(eng):
    owner, dev = eng
    invitation = owner.post(W + "/members/invite", json={"email": "x@example.com"}).json
    listed = owner.get(W + "/invitations")
    assert listed.status_code == 200
    assert [i["id"] for i in listed.json] == [invitation["id"]]
    assert "token" not in listed.json[0]
    assert_error(dev.get(W + "/invitations"), 403)
    assert_error(dev.delete(W + f"/invitations/{invitation['id']}"), 403)
    response = owner.delete(W + f"/invitations/{invitation['id']}")
    assert response.status_code == 200 and response.json == {"ok": True}
    assert owner.get(W + "/invitations").json == []
    assert_error(owner.delete(W + f"/invitations/{invitation['id']}"), 404)


def test_accept_invitation(eng, register):
    owner, _ = eng
    token = owner.post(W + "/members/invite", json={"email": "new@example.com", "role": "admin"}).json["token"]
    intruder = register("intruder@example.com")
    assert_error(intruder.post(f"/invitations/{token}/accept"), 403)
    newcomer = register("NEW@example.com")
    response = newcomer.post(f"/invitations/{token}/accept")
    assert response.status_code == 201
    assert (response.json["slug"], response.json["myRole"], response.json["myPilotageRole"]) == ("eng", "admin", "viewer")
    assert newcomer.get("/organizations/acme").json["myRole"] == "member"
    assert_error(newcomer.post(f"/invitations/{token}/accept"), 409)
    assert_error(newcomer.post("/invitations/unknown-token/accept"), 404)


def test_accept_expired_invitation_is_refused(eng, register):
    owner, _ = eng
    token = owner.post(W + "/members/invite", json={"email": "new@example.com"}).json["token"]
    db.session.execute(Invitation.__table__.update().values(expires_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    newcomer = register("new@example.com")
    assert_error(newcomer.post(f"/invitations/{token}/accept"), 409)
    assert_error(newcomer.get(W), 404)


def test_change_member_roles(eng):
    owner, dev = eng
    path = W + f"/members/{dev.user['id']}"
    response = owner.patch(path, json={"role": "admin", "pilotageRole": "reviewer"})
    assert response.status_code == 200
    assert (response.json["userId"], response.json["role"], response.json["pilotageRole"]) == (
        dev.user["id"], "admin", "reviewer")
    assert dev.get(W).json["myPilotageRole"] == "reviewer"
    assert_error(owner.patch(path, json={"pilotageRole": "boss"}), 400)
    assert_error(owner.patch(path, json={"role": "owner"}), 400)
    assert_error(owner.patch(path, json={"rank": 1}), 400)
    assert_error(owner.patch(W + f"/members/{'0' * 24}", json={"role": "admin"}), 404)


def test_member_cannot_change_roles(eng):
    owner, dev = eng
    assert_error(dev.patch(W + f"/members/{dev.user['id']}", json={"role": "admin"}), 403)


def test_last_admin_cannot_be_demoted_or_removed(eng):
    owner, _ = eng
    me = W + f"/members/{owner.user['id']}"
    assert_error(owner.patch(me, json={"role": "member"}), 409)
    assert_error(owner.delete(me), 409)
    assert owner.get(W).json["myRole"] == "admin"


def test_remove_member_and_leave(eng, register):
    owner, dev = eng
    assert_error(dev.delete(W + f"/members/{owner.user['id']}"), 403)
    response = dev.delete(W + f"/members/{dev.user['id']}")
    assert response.status_code == 200 and response.json == {"ok": True}
    assert_error(dev.get(W), 404)
    assert_error(owner.delete(W + f"/members/{dev.user['id']}"), 404)
