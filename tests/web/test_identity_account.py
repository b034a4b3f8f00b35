"""Profile, password and personal access token pages."""
import sqlalchemy as sa

from app.extensions import db
from app.models.identity import ApiToken, User
from tests.web.identity_support import HX, PASSWORD, field_error, html, signup


def tokens_of(email: str) -> list[ApiToken]:
    return list(db.session.scalars(sa.select(ApiToken).join(User).where(User.email == email)))


def test_profile_name_is_saved_and_a_blank_one_refused(app):
    client = signup(app, "ada@example.com", name="Ada")
    assert client.post("/account", data={"name": "Ada Lovelace"}).status_code == 302
    assert "Ada Lovelace" in html(client.get("/account"))
    blank = client.post("/account", data={"name": "   "})
    assert blank.status_code == 400 and "must not be empty" in field_error(html(blank), "name")
    db.session.expire_all()
    assert db.session.scalar(sa.select(User.name)) == "Ada Lovelace"


def test_password_change_keeps_this_session_and_ends_the_others(app):
    client = signup(app, "ada@example.com")
    other = app.test_client()
    other.post("/login", data={"email": "ada@example.com", "password": PASSWORD})
    assert other.get("/account").status_code == 200

    response = client.post("/account/password", data={"current_password": PASSWORD,
                                                      "new_password": "a-new-long-password"})
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    assert other.get("/account").status_code == 302
    relogin = other.post("/login", data={"email": "ada@example.com", "password": "a-new-long-password"})
    assert relogin.status_code == 302


def test_password_change_errors_show_under_their_fields(app):
    client = signup(app, "ada@example.com")
    wrong = client.post("/account/password", data={"current_password": "nope-nope-nope",
                                                   "new_password": "a-new-long-password"})
    assert wrong.status_code == 400
    assert "incorrect" in field_error(html(wrong), "current_password")
    short = client.post("/account/password", data={"current_password": PASSWORD, "new_password": "short"})
    assert short.status_code == 400
    assert "8 to 128" in field_error(html(short), "new_password")
    assert client.post("/login", data={"email": "ada@example.com", "password": PASSWORD}).status_code == 302


def test_token_created_with_htmx_is_shown_once_and_listed(app):
    client = signup(app, "ada@example.com")
    response = client.post("/account/tokens", headers=HX, data={
        "name": "CI", "scopes": ["projects:read", "projects:write"], "expires": "2999-01-31"})
    assert response.status_code == 201
    fragment = html(response)
    assert "<html" not in fragment and "HX-Request" in response.headers["Vary"]
    [token] = tokens_of("ada@example.com")
    assert token.scopes == ["projects:read", "projects:write"]
    assert token.expires_at.date().isoformat() == "2999-01-31"
    secret = fragment.split('id="new-token" class="mono" value="')[1].split('"')[0]
    assert secret.startswith("synth_") and secret[:10] == token.prefix
    assert 'data-copy="new-token"' in fragment
    assert 'id="token-list" hx-swap-oob="true"' in fragment and "CI" in fragment

    page = html(client.get("/account/tokens"))
    assert token.prefix in page and secret not in page and "never" in page


def test_token_form_errors_are_inline_and_save_nothing(app):
    client = signup(app, "ada@example.com")
    no_scope = client.post("/account/tokens", headers=HX, data={"name": "CI"})
    assert no_scope.status_code == 400 and no_scope.headers["X-Fragment"] == "1"
    fieldset = html(no_scope).split('<fieldset class="scopes has-error">')[1].split("</fieldset>")[0]
    assert "scopes must be a non-empty array" in fieldset
    past = client.post("/account/tokens", data={"name": "CI", "scopes": "projects:read",
                                               "expires": "2000-01-01"})
    assert past.status_code == 400 and "in the future" in field_error(html(past), "expires")
    unnamed = client.post("/account/tokens", data={"name": "", "scopes": "projects:read"})
    assert unnamed.status_code == 400 and "must not be empty" in field_error(html(unnamed), "name")
    assert tokens_of("ada@example.com") == []


def test_revoking_a_token_removes_it_and_only_the_owner_can(app):
    ada = signup(app, "ada@example.com")
    bob = signup(app, "bob@example.com")
    ada.post("/account/tokens", data={"name": "CI", "scopes": "projects:read"})
    [token] = tokens_of("ada@example.com")
    assert bob.post(f"/account/tokens/{token.id}/revoke", headers=HX).status_code == 404
    assert len(tokens_of("ada@example.com")) == 1
    response = ada.post(f"/account/tokens/{token.id}/revoke", headers=HX)
    assert response.status_code == 200 and html(response) == ""
    assert tokens_of("ada@example.com") == []
