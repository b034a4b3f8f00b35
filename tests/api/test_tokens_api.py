"""`/api-tokens` over HTTP: shown once, listed without the secret, revoked at once."""
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models.identity import ApiToken
from app.timeutil import iso, utcnow
from tests.api.shapes import assert_error, detail_fields
from tests.conftest import Api

ALL_SCOPES = ["projects:read", "projects:write", "pilotage:read", "pilotage:write",
              "notifications:read", "account:read", "account:write"]


def pat(api, secret):
    return Api(api.client, secret)


def test_create_returns_the_token_once(register):
    jane = register("jane@example.com")
    response = jane.post("/api-tokens", json={"name": "CI Pipeline", "scopes": ["projects:read", "projects:write"],
                                              "expiresAt": "2999-01-01T00:00:00Z"})
    assert response.status_code == 201
    body = response.json
    assert list(body) == ["id", "token", "name", "prefix", "scopes", "expiresAt", "createdAt"]
    assert re.fullmatch(r"synth_[0-9a-f]{32,}", body["token"])
    assert body["prefix"] == body["token"][:10]
    assert (body["name"], body["scopes"], body["expiresAt"]) == (
        "CI Pipeline", ["projects:read", "projects:write"], "2999-01-01T00:00:00.000Z")


def test_create_defaults_to_every_scope_and_no_expiry(register):
    body = register("jane@example.com").post("/api-tokens", json={"name": "All"}).json
    assert body["scopes"] == ALL_SCOPES
    assert body["expiresAt"] is None


def test_list_never_shows_the_token(register):
    jane = register("jane@example.com")
    secret = jane.post("/api-tokens", json={"name": "CI"}).json["token"]
    response = jane.get("/api-tokens")
    assert response.status_code == 200
    assert set(response.json[0]) == {"id", "name", "prefix", "scopes", "expiresAt", "lastUsedAt", "createdAt"}
    assert secret not in response.get_data(as_text=True)
    assert response.json[0]["lastUsedAt"] is None


def test_last_used_at_is_recorded(register):
    jane = register("jane@example.com")
    secret = jane.post("/api-tokens", json={"name": "CI"}).json["token"]
    assert pat(jane, secret).get("/auth/me").status_code == 200
    used = jane.get("/api-tokens").json[0]["lastUsedAt"]
    assert used is not None
    stored = db.session.scalar(sa.select(ApiToken))
    assert utcnow() - timedelta(seconds=10) <= stored.last_used_at <= utcnow()
    assert used == iso(stored.last_used_at)


def test_last_used_at_is_recorded_even_when_the_request_fails(register):
    jane = register("jane@example.com")
    secret = jane.post("/api-tokens", json={"name": "CI", "scopes": ["projects:read"]}).json["token"]
    assert_error(pat(jane, secret).get("/auth/me"), 403)
    assert jane.get("/api-tokens").json[0]["lastUsedAt"] is not None


@pytest.mark.parametrize("body,field", [
    ({}, "name"),
    ({"name": ""}, "name"),
    ({"name": "n" * 101}, "name"),
    ({"name": "CI", "scopes": ["projects:admin"]}, "scopes"),
    ({"name": "CI", "scopes": []}, "scopes"),
    ({"name": "CI", "scopes": "projects:read"}, "scopes"),
    ({"name": "CI", "expiresAt": "2020-01-01T00:00:00Z"}, "expiresAt"),
    ({"name": "CI", "expiresAt": "not a date"}, "expiresAt"),
    ({"name": "CI", "expiresAt": 1}, "expiresAt"),
    ({"name": "CI", "token": "synth_mine"}, "token"),
])
def test_create_errors(register, body, field):
    jane = register("jane@example.com")
    response = jane.post("/api-tokens", json=body)
    assert_error(response, 400)
    assert field in detail_fields(response)
    assert jane.get("/api-tokens").json == []


def test_expired_token_is_401(register):
    jane = register("jane@example.com")
    secret = jane.post("/api-tokens", json={"name": "CI", "expiresAt": iso(utcnow() + timedelta(hours=1))}).json["token"]
    assert pat(jane, secret).get("/auth/me").status_code == 200
    db.session.execute(ApiToken.__table__.update().values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert_error(pat(jane, secret).get("/auth/me"), 401)


def test_revocation_is_effective_on_the_next_request(register):
    jane = register("jane@example.com")
    created = jane.post("/api-tokens", json={"name": "CI"}).json
    token_client = pat(jane, created["token"])
    assert token_client.get("/auth/me").status_code == 200
    response = jane.delete(f"/api-tokens/{created['id']}")
    assert response.status_code == 200 and response.json == {"ok": True}
    assert_error(token_client.get("/auth/me"), 401)
    assert jane.get("/api-tokens").json == []
    assert_error(jane.delete(f"/api-tokens/{created['id']}"), 404)


def test_tokens_are_private_to_their_owner(register):
    jane, bob = register("jane@example.com"), register("bob@example.com")
    token_id = jane.post("/api-tokens", json={"name": "CI"}).json["id"]
    assert bob.get("/api-tokens").json == []
    assert_error(bob.delete(f"/api-tokens/{token_id}"), 404)
    assert len(jane.get("/api-tokens").json) == 1


def test_pat_acts_as_its_owner(register):
    jane = register("jane@example.com")
    secret = jane.post("/api-tokens", json={"name": "CI"}).json["token"]
    assert pat(jane, secret).get("/auth/me").json["user"]["id"] == jane.user["id"]


@pytest.mark.parametrize("method,path", [("get", "/api-tokens"), ("post", "/api-tokens"),
                                         ("delete", "/api-tokens/" + "0" * 24)])
def test_api_tokens_need_a_token(anon, method, path):
    assert_error(getattr(anon, method)(path), 401)
