"""`/auth/*` over HTTP: shapes and error cases."""
import pytest

from app.ids import is_id
from tests.api.shapes import assert_error, detail_fields
from tests.conftest import PASSWORD, Api


def test_register_answers_201_with_token_and_user(anon):
    response = anon.post("/auth/register", json={"email": "Jane@Example.com", "password": PASSWORD,
                                                  "name": "Jane Doe"})
    assert response.status_code == 201
    body = response.json
    assert set(body) == {"access_token", "user"}
    assert body["access_token"].count(".") == 2
    assert {"id", "email", "name"} <= set(body["user"])
    assert is_id(body["user"]["id"])
    assert body["user"]["email"] == "jane@example.com"
    assert body["user"]["name"] == "Jane Doe"


def test_register_creates_personal_org_and_workspace(register):
    jane = register("jane@example.com", "Jane Doe")
    orgs = jane.get("/organizations").json
    assert len(orgs) == 1 and orgs[0]["myRole"] == "owner" and orgs[0]["isPersonal"] is True
    workspaces = jane.get(f"/orgs/{orgs[0]['slug']}/workspaces").json
    assert len(workspaces) == 1
    assert workspaces[0]["isPersonal"] is True
    assert (workspaces[0]["myRole"], workspaces[0]["myPilotageRole"]) == ("admin", "owner")


def test_register_duplicate_email_is_409_whatever_the_case(register, anon):
    register("jane@example.com")
    response = anon.post("/auth/register", json={"email": "JANE@example.com", "password": PASSWORD})
    assert_error(response, 409)


@pytest.mark.parametrize("body,field", [
    ({"email": "not-an-email", "password": PASSWORD}, "email"),
    ({"email": "j@example.com", "password": "short"}, "password"),
    ({"email": "j@example.com", "password": "x" * 129}, "password"),
    ({"email": "j@example.com", "password": PASSWORD, "name": "n" * 101}, "name"),
    ({"email": "j@example.com", "password": PASSWORD, "name": ""}, "name"),
    ({"password": PASSWORD}, "email"),
    ({"email": "j@example.com"}, "password"),
    ({"email": "j@example.com", "password": 12345678}, "password"),
    ({"email": "j@example.com", "password": PASSWORD, "role": "admin"}, "role"),
])
def test_register_validation_errors(anon, body, field):
    response = anon.post("/auth/register", json=body)
    assert_error(response, 400)
    assert field in detail_fields(response)


def test_register_accepts_the_password_bounds(anon):
    assert anon.post("/auth/register", json={"email": "a@example.com", "password": "x" * 8}).status_code == 201
    assert anon.post("/auth/register", json={"email": "b@example.com", "password": "x" * 128}).status_code == 201


def test_login_answers_201_with_token_and_user_with_pilotage_role(register, anon):
    jane = register("jane@example.com", "Jane Doe")
    response = anon.post("/auth/login", json={"email": "JANE@example.com", "password": PASSWORD})
    assert response.status_code == 201
    assert set(response.json) == {"access_token", "user"}
    assert response.json["user"] == {"id": jane.user["id"], "email": "jane@example.com",
                                     "name": "Jane Doe", "pilotageRole": "owner"}
    me = Api(anon.client, response.json["access_token"]).get("/auth/me")
    assert me.status_code == 200


def test_login_failures_look_the_same(register, anon):
    register("jane@example.com")
    wrong = anon.post("/auth/login", json={"email": "jane@example.com", "password": "wrong-password"})
    unknown = anon.post("/auth/login", json={"email": "nobody@example.com", "password": PASSWORD})
    assert_error(wrong, 401)
    assert_error(unknown, 401, wrong.json["message"])


def test_login_body_errors(anon):
    assert_error(anon.post("/auth/login", json={"email": "jane@example.com"}), 400)
    assert_error(anon.post("/auth/login", json={"email": 1, "password": PASSWORD}), 400)
    assert_error(anon.post("/auth/login", json={"email": "a@b.co", "password": PASSWORD, "x": 1}), 400)


def test_me_returns_the_user(register):
    jane = register("jane@example.com", "Jane Doe")
    response = jane.get("/auth/me")
    assert response.status_code == 200
    assert response.json == {"user": {"id": jane.user["id"], "email": "jane@example.com",
                                      "name": "Jane Doe", "pilotageRole": "owner"}}


def test_me_needs_a_token(anon):
    assert_error(anon.get("/auth/me"), 401)
    assert_error(anon.get("/auth/me", headers={"Authorization": "Basic abc"}), 401)
    assert_error(anon.get("/auth/me", headers={"Authorization": "Bearer "}), 401)
    assert_error(anon.get("/auth/me", headers={"Authorization": "Bearer synth_unknown"}), 401)
    assert_error(anon.get("/auth/me", headers={"Authorization": "Bearer nonsense"}), 401)


def test_patch_me_changes_the_name(register):
    jane = register("jane@example.com", "Jane Doe")
    response = jane.patch("/auth/me", json={"name": "Jane Smith"})
    assert response.status_code == 200
    assert response.json["user"]["name"] == "Jane Smith"
    assert jane.get("/auth/me").json["user"]["name"] == "Jane Smith"


@pytest.mark.parametrize("body", [{"name": ""}, {"name": "n" * 101}, {"name": None}, {"email": "x@y.co"}])
def test_patch_me_errors_leave_the_profile_unchanged(register, body):
    jane = register("jane@example.com", "Jane Doe")
    assert_error(jane.patch("/auth/me", json=body), 400)
    assert jane.get("/auth/me").json["user"] == {"id": jane.user["id"], "email": "jane@example.com",
                                                 "name": "Jane Doe", "pilotageRole": "owner"}


def test_patch_me_needs_a_token(anon):
    assert_error(anon.patch("/auth/me", json={"name": "X"}), 401)


def test_change_password_ends_the_old_token_and_gives_a_new_one(register, anon):
    jane = register("jane@example.com")
    old_token = jane.token
    response = jane.post("/auth/change-password",
                         json={"currentPassword": PASSWORD, "newPassword": "a-new-password"})
    assert response.status_code == 201
    assert response.json["ok"] is True
    assert_error(jane.get("/auth/me"), 401)
    assert Api(anon.client, response.json["access_token"]).get("/auth/me").status_code == 200
    assert_error(anon.post("/auth/login", json={"email": "jane@example.com", "password": PASSWORD}), 401)
    assert anon.post("/auth/login", json={"email": "jane@example.com", "password": "a-new-password"}).status_code == 201
    assert old_token != response.json["access_token"]


@pytest.mark.parametrize("body,field", [
    ({"currentPassword": "not-my-password", "newPassword": "a-new-password"}, "currentPassword"),
    ({"currentPassword": PASSWORD, "newPassword": "short"}, "newPassword"),
    ({"currentPassword": PASSWORD, "newPassword": "x" * 129}, "newPassword"),
    ({"currentPassword": PASSWORD}, "newPassword"),
    ({"newPassword": "a-new-password"}, "currentPassword"),
    ({"currentPassword": PASSWORD, "newPassword": "a-new-password", "again": True}, "again"),
])
def test_change_password_errors_keep_the_old_password(register, anon, body, field):
    jane = register("jane@example.com")
    response = jane.post("/auth/change-password", json=body)
    assert_error(response, 400)
    assert field in detail_fields(response)
    assert jane.get("/auth/me").status_code == 200
    assert anon.post("/auth/login", json={"email": "jane@example.com", "password": PASSWORD}).status_code == 201


def test_change_password_needs_a_token(anon):
    assert_error(anon.post("/auth/change-password",
                           json={"currentPassword": PASSWORD, "newPassword": "a-new-password"}), 401)
