"""Only HS256 JWTs we signed, unexpired, for a live account with the current password, pass."""
import base64
import json
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa
from joserfc import jwt
from joserfc.jwk import OctKey, RSAKey

from app.extensions import db
from app.models.identity import Organization, User
from tests.api.shapes import assert_error


def b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def hs(app, claims: dict, alg: str = "HS256", secret: str | None = None) -> str:
    key = OctKey.import_key((secret or app.config["SECRET_KEY"]).encode())
    return jwt.encode({"alg": alg}, claims, key, algorithms=[alg])


def claims_for(user_id: str, **extra) -> dict:
    now = int(time.time())
    return {"sub": user_id, "ep": 0, "iat": now, "exp": now + 3600, **extra}


def me(anon, token):
    return anon.get("/auth/me", headers={"Authorization": f"Bearer {token}"})


def test_a_well_formed_token_passes(app, register, anon):
    jane = register("jane@example.com")
    assert me(anon, hs(app, claims_for(jane.user["id"]))).status_code == 200


def test_alg_none_is_refused(register, anon):
    jane = register("jane@example.com")
    token = f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims_for(jane.user['id']))}."
    assert_error(me(anon, token), 401)


@pytest.mark.parametrize("alg", ["HS384", "HS512"])
def test_other_hmac_algorithms_are_refused_even_with_the_right_key(app, register, anon, alg):
    jane = register("jane@example.com")
    assert_error(me(anon, hs(app, claims_for(jane.user["id"]), alg=alg)), 401)


def test_rs256_is_refused(register, anon):
    jane = register("jane@example.com")
    key = RSAKey.generate_key(2048)
    token = jwt.encode({"alg": "RS256"}, claims_for(jane.user["id"]), key, algorithms=["RS256"])
    assert_error(me(anon, token), 401)


def test_rs256_header_over_an_hmac_signature_is_refused(app, register, anon):
    jane = register("jane@example.com")
    good = hs(app, claims_for(jane.user["id"]))
    _, payload, signature = good.split(".")
    assert_error(me(anon, f"{b64({'alg': 'RS256', 'typ': 'JWT'})}.{payload}.{signature}"), 401)


def test_bad_signature_is_refused(app, register, anon):
    jane = register("jane@example.com")
    assert_error(me(anon, hs(app, claims_for(jane.user["id"]), secret="another-secret-" + "y" * 32)), 401)
    header, payload, signature = hs(app, claims_for(jane.user["id"])).split(".")
    tampered = b64({**claims_for(jane.user["id"]), "sub": "f" * 24})
    assert_error(me(anon, f"{header}.{tampered}.{signature}"), 401)


def test_expired_token_is_refused(app, register, anon):
    jane = register("jane@example.com")
    now = int(time.time())
    assert_error(me(anon, hs(app, claims_for(jane.user["id"], iat=now - 7200, exp=now - 60))), 401)


def test_login_tokens_follow_the_configured_lifetime(app, register, anon, monkeypatch):
    register("jane@example.com")
    monkeypatch.setitem(app.config, "JWT_EXPIRES_IN", timedelta(minutes=5))
    token = anon.post("/auth/login", json={"email": "jane@example.com",
                                           "password": "correct-horse-battery"}).json["access_token"]
    key = OctKey.import_key(app.config["SECRET_KEY"].encode())
    claims = jwt.decode(token, key, algorithms=["HS256"]).claims
    assert claims["exp"] - claims["iat"] == 300
    assert abs(claims["iat"] - time.time()) < 5


def test_missing_exp_is_refused(app, register, anon):
    jane = register("jane@example.com")
    claims = claims_for(jane.user["id"])
    del claims["exp"]
    assert_error(me(anon, hs(app, claims)), 401)


@pytest.mark.parametrize("claims", [{"exp": "tomorrow"}, {"sub": 12}, {"sub": None}, {"ep": 1}])
def test_wrong_claims_are_refused(app, register, anon, claims):
    jane = register("jane@example.com")
    assert_error(me(anon, hs(app, {**claims_for(jane.user["id"]), **claims})), 401)


def test_missing_sub_is_refused(app, register, anon):
    register("jane@example.com")
    claims = claims_for("x")
    del claims["sub"]
    assert_error(me(anon, hs(app, claims)), 401)


@pytest.mark.parametrize("token", ["garbage", "a.b.c", "..", "x" * 5000, "eyJ.eyJ.sig", "Bearer"])
def test_garbage_is_refused(anon, token):
    assert_error(me(anon, token), 401)


def test_token_of_a_deleted_user_is_refused(register, anon):
    jane = register("jane@example.com")
    assert me(anon, jane.token).status_code == 200
    db.session.execute(sa.delete(Organization).where(Organization.owner_id == jane.user["id"]))
    db.session.execute(sa.delete(User).where(User.id == jane.user["id"]))
    db.session.commit()
    assert_error(me(anon, jane.token), 401)
