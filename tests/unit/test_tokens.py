"""Personal access token rules: format, storage, scopes, expiry, use, revocation."""
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.errors import Invalid, NotFound, Unauthorized
from app.extensions import db
from app.models.identity import ApiToken
from app.services import accounts, tokens
from app.timeutil import iso, utcnow

PASSWORD = "correct-horse-battery"


@pytest.fixture()
def jane():
    return accounts.register("jane@example.com", PASSWORD)


def test_token_format_has_at_least_128_random_bits(jane):
    _, secret = tokens.create_token(jane, "CI")
    assert secret.startswith("synth_")
    body = secret[len("synth_"):]
    assert re.fullmatch(r"[0-9a-f]+", body)
    assert len(body) * 4 >= 128
    _, other = tokens.create_token(jane, "CI 2")
    assert other != secret


def test_only_a_hash_is_stored_and_prefix_is_the_first_ten_characters(jane):
    token, secret = tokens.create_token(jane, "CI")
    db.session.commit()
    row = db.session.execute(sa.select(ApiToken.__table__)).mappings().one()
    assert secret not in [str(v) for v in row.values()]
    assert secret[len("synth_"):] not in row["token_hash"]
    assert row["prefix"] == secret[:10] == token.prefix


def test_default_scopes_are_all_seven(jane):
    token, _ = tokens.create_token(jane, "CI")
    assert token.scopes == ["projects:read", "projects:write", "pilotage:read", "pilotage:write",
                            "notifications:read", "account:read", "account:write"]


def test_chosen_scopes_are_kept(jane):
    token, _ = tokens.create_token(jane, "CI", ["projects:write", "projects:read"])
    assert sorted(token.scopes) == ["projects:read", "projects:write"]


@pytest.mark.parametrize("scopes", [["projects:admin"], ["projects:read", "root"], [], "projects:read", [1]])
def test_unknown_or_malformed_scopes_are_refused(jane, scopes):
    with pytest.raises(Invalid) as caught:
        tokens.create_token(jane, "CI", scopes)
    assert caught.value.field == "scopes"


@pytest.mark.parametrize("name", ["", "n" * 101, None])
def test_name_rules(jane, name):
    with pytest.raises(Invalid) as caught:
        tokens.create_token(jane, name)
    assert caught.value.field == "name"


@pytest.mark.parametrize("expires_at", ["2020-01-01", iso(utcnow() - timedelta(minutes=1)), "tomorrow", 5])
def test_expiry_must_be_a_future_date(jane, expires_at):
    with pytest.raises(Invalid) as caught:
        tokens.create_token(jane, "CI", expires_at=expires_at)
    assert caught.value.field == "expiresAt"


def test_future_expiry_is_kept(jane):
    token, _ = tokens.create_token(jane, "CI", expires_at="2999-01-01T00:00:00Z")
    assert iso(token.expires_at) == "2999-01-01T00:00:00.000Z"


def test_resolve_returns_the_token_and_records_last_use(jane):
    token, secret = tokens.create_token(jane, "CI")
    db.session.commit()
    assert token.last_used_at is None
    resolved = tokens.resolve(secret)
    db.session.commit()
    assert resolved.id == token.id and resolved.user_id == jane.id
    assert resolved.last_used_at is not None
    assert utcnow() - resolved.last_used_at < timedelta(seconds=5)


def test_expired_token_is_refused(jane):
    token, secret = tokens.create_token(jane, "CI", expires_at=iso(utcnow() + timedelta(hours=1)))
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    with pytest.raises(Unauthorized):
        tokens.resolve(secret)


def test_unknown_secret_is_refused(jane):
    tokens.create_token(jane, "CI")
    with pytest.raises(Unauthorized):
        tokens.resolve("synth_" + "0" * 48)


def test_revoked_token_is_refused_at_once(jane):
    token, secret = tokens.create_token(jane, "CI")
    db.session.commit()
    tokens.resolve(secret)
    tokens.revoke_token(jane, token.id)
    db.session.commit()
    with pytest.raises(Unauthorized):
        tokens.resolve(secret)
    assert tokens.list_tokens(jane) == []


def test_only_the_owner_revokes_or_lists_a_token(jane):
    token, _ = tokens.create_token(jane, "CI")
    other = accounts.register("other@example.com", PASSWORD)
    with pytest.raises(NotFound):
        tokens.revoke_token(other, token.id)
    with pytest.raises(NotFound):
        tokens.revoke_token(jane, "0" * 24)
    assert tokens.list_tokens(other) == []
    assert [t.id for t in tokens.list_tokens(jane)] == [token.id]
