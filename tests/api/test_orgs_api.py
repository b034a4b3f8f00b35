"""`/organizations*` over HTTP: shapes and error cases."""
import re

import pytest

from app.ids import is_id
from tests.api.shapes import assert_error, detail_fields

ISO_RE = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"


@pytest.fixture()
def acme(register):
    """`acme` owned by `owner`, with `admin` and `member` added."""
    owner, admin, member = register("owner@acme.test"), register("admin@acme.test"), register("member@acme.test")
    assert owner.post("/organizations", json={"name": "Acme Corp", "slug": "acme"}).status_code == 201
    assert owner.post("/organizations/acme/members", json={"email": "admin@acme.test", "role": "admin"}).status_code == 201
    assert owner.post("/organizations/acme/members", json={"email": "member@acme.test", "role": "member"}).status_code == 201
    return owner, admin, member


def test_create_org_shape(register):
    owner = register("owner@acme.test")
    response = owner.post("/organizations", json={"name": "Acme Corp", "slug": "acme-corp"})
    assert response.status_code == 201
    body = response.json
    assert {"id", "name", "slug", "ownerId", "createdAt"} <= set(body)
    assert is_id(body["id"])
    assert (body["name"], body["slug"], body["ownerId"], body["myRole"]) == ("Acme Corp", "acme-corp", owner.user["id"], "owner")
    assert re.match(ISO_RE, body["createdAt"])


@pytest.mark.parametrize("body,field", [
    ({"name": "Acme"}, "slug"),
    ({"slug": "acme"}, "name"),
    ({"name": "Acme", "slug": "Acme Corp"}, "slug"),
    ({"name": "Acme", "slug": "a"}, "slug"),
    ({"name": "", "slug": "acme"}, "name"),
    ({"name": "Acme", "slug": "acme", "ownerId": "x"}, "ownerId"),
    ({"name": 3, "slug": "acme"}, "name"),
])
def test_create_org_validation(register, body, field):
    response = register("o@acme.test").post("/organizations", json=body)
    assert_error(response, 400)
    assert field in detail_fields(response)


def test_create_org_slug_taken_is_409(acme, register):
    assert_error(register("x@example.com").post("/organizations", json={"name": "A", "slug": "acme"}), 409)


def test_list_orgs_items_carry_my_role(acme):
    _, admin, _ = acme
    response = admin.get("/organizations")
    assert response.status_code == 200
    items = {o["slug"]: o for o in response.json}
    assert set(items["acme"]) >= {"id", "name", "slug", "myRole"}
    assert items["acme"]["myRole"] == "admin"
    assert len(items) == 2  # personal + acme


def test_get_org_shape(acme):
    owner, _, member = acme
    body = member.get("/organizations/acme").json
    assert {"id", "name", "slug", "ownerId", "myRole"} <= set(body)
    assert (body["ownerId"], body["myRole"]) == (owner.user["id"], "member")


def test_get_unknown_or_foreign_org_is_404(acme, register):
    assert_error(register("x@example.com").get("/organizations/acme"), 404)
    assert_error(acme[0].get("/organizations/nope"), 404)


def test_patch_org(acme):
    _, admin, member = acme
    response = admin.patch("/organizations/acme", json={"name": "Acme Corporation"})
    assert response.status_code == 200
    assert response.json["name"] == "Acme Corporation" and response.json["myRole"] == "admin"
    assert_error(member.patch("/organizations/acme", json={"name": "Mine"}), 403)
    assert_error(admin.patch("/organizations/acme", json={"slug": "Bad Slug"}), 400)
    assert_error(admin.patch("/organizations/acme", json={"ownerId": "x"}), 400)
    moved = admin.patch("/organizations/acme", json={"slug": "acme-inc"})
    assert moved.status_code == 200 and moved.json["slug"] == "acme-inc"
    assert_error(admin.get("/organizations/acme"), 404)
    assert admin.get("/organizations/acme-inc").json["name"] == "Acme Corporation"


def test_patch_org_slug_taken_is_409(acme):
    owner, _, _ = acme
    owner.post("/organizations", json={"name": "B", "slug": "beta"})
    assert_error(owner.patch("/organizations/acme", json={"slug": "beta"}), 409)


def test_delete_org_owner_only_and_everything_goes(acme):
    owner, admin, member = acme
    owner.post("/orgs/acme/workspaces", json={"name": "Eng", "slug": "eng"})
    assert_error(admin.delete("/organizations/acme"), 403)
    assert_error(member.delete("/organizations/acme"), 403)
    response = owner.delete("/organizations/acme")
    assert response.status_code == 200 and response.json == {"ok": True}
    assert_error(owner.get("/organizations/acme"), 404)
    assert_error(owner.get("/orgs/acme/workspaces/eng"), 404)
    assert_error(admin.get("/organizations/acme"), 404)
    assert "acme" not in [o["slug"] for o in member.get("/organizations").json]
    # the slug is free again
    assert owner.post("/organizations", json={"name": "Acme", "slug": "acme"}).status_code == 201


def test_list_members_shape(acme):
    owner, admin, member = acme
    response = member.get("/organizations/acme/members")
    assert response.status_code == 200
    assert [(m["userId"], m["role"], m["email"]) for m in response.json] == [
        (owner.user["id"], "owner", "owner@acme.test"),
        (admin.user["id"], "admin", "admin@acme.test"),
        (member.user["id"], "member", "member@acme.test"),
    ]


def test_add_member_shape_and_errors(acme, register):
    owner, admin, member = acme
    newcomer = register("new@acme.test")
    response = admin.post("/organizations/acme/members", json={"email": "NEW@acme.test", "role": "member"})
    assert response.status_code == 201
    assert (response.json["userId"], response.json["role"], response.json["email"]) == (
        newcomer.user["id"], "member", "new@acme.test")
    assert_error(owner.post("/organizations/acme/members", json={"email": "new@acme.test", "role": "member"}), 409)
    assert_error(owner.post("/organizations/acme/members", json={"email": "ghost@acme.test", "role": "member"}), 400)
    assert_error(owner.post("/organizations/acme/members", json={"email": "new@acme.test", "role": "owner"}), 400)
    assert_error(owner.post("/organizations/acme/members", json={"email": "new@acme.test"}), 400)
    register("late@acme.test")
    assert_error(member.post("/organizations/acme/members", json={"email": "late@acme.test", "role": "member"}), 403)


def test_change_member_role(acme):
    owner, admin, member = acme
    path = f"/organizations/acme/members/{member.user['id']}"
    response = admin.patch(path, json={"role": "admin"})
    assert response.status_code == 200 and response.json["role"] == "admin"
    assert_error(owner.patch(path, json={"role": "owner"}), 400)
    assert_error(owner.patch(path, json={}), 400)
    assert_error(owner.patch(f"/organizations/acme/members/{owner.user['id']}", json={"role": "member"}), 403)
    assert_error(owner.patch(f"/organizations/acme/members/{'0' * 24}", json={"role": "member"}), 404)


def test_remove_member(acme):
    owner, admin, member = acme
    assert_error(admin.delete(f"/organizations/acme/members/{owner.user['id']}"), 403)
    assert_error(member.delete(f"/organizations/acme/members/{admin.user['id']}"), 403)
    response = admin.delete(f"/organizations/acme/members/{member.user['id']}")
    assert response.status_code == 200 and response.json == {"ok": True}
    assert_error(member.get("/organizations/acme"), 404)
    assert_error(admin.delete(f"/organizations/acme/members/{member.user['id']}"), 404)


def test_a_member_may_leave(acme):
    _, _, member = acme
    assert member.delete(f"/organizations/acme/members/{member.user['id']}").status_code == 200
    assert_error(member.get("/organizations/acme"), 404)


def test_removing_a_member_removes_their_workspace_access(acme):
    owner, _, member = acme
    owner.post("/orgs/acme/workspaces", json={"name": "Eng", "slug": "eng"})
    token = owner.post("/orgs/acme/workspaces/eng/members/invite", json={"email": "member@acme.test"}).json["token"]
    assert member.post(f"/invitations/{token}/accept").status_code == 201
    assert member.get("/orgs/acme/workspaces/eng").status_code == 200
    owner.delete(f"/organizations/acme/members/{member.user['id']}")
    assert_error(member.get("/orgs/acme/workspaces/eng"), 404)
    assert [m["email"] for m in owner.get("/orgs/acme/workspaces/eng/members").json] == ["owner@acme.test"]
