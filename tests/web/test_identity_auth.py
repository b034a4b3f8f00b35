"""Register, log in, log out, the landing page and the layout (switcher, escaping, CSRF)."""
import sqlalchemy as sa

from app.extensions import db
from app.models.identity import ApiToken, User
from tests.web.identity_support import HX, PASSWORD, csrf_token, field_error, html, signup


def user_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(User))


def test_register_signs_in_and_lands_in_the_personal_workspace(app):
    client = app.test_client()
    assert client.get("/register").status_code == 200
    response = client.post("/register", data={"name": "Ada", "email": "Ada@Example.com",
                                              "password": PASSWORD})
    assert response.status_code == 302
    landing = client.get("/")
    assert landing.status_code == 302 and landing.location == "/o/ada/w/personal/"
    page = html(client.get(landing.location))
    assert "Welcome to Stellary" in page and "Personal" in page


def test_register_with_a_taken_email_shows_the_error_under_the_field(app):
    signup(app, "ada@example.com")
    response = app.test_client().post("/register", data={"name": "Other", "email": "ADA@example.com",
                                                         "password": PASSWORD})
    assert response.status_code == 400
    assert "already exists" in field_error(html(response), "email")
    assert user_count() == 1


def test_register_with_a_short_password_saves_nothing(app):
    response = app.test_client().post("/register", data={"email": "ada@example.com", "password": "short"})
    assert response.status_code == 400
    assert "8 to 128" in field_error(html(response), "password")
    assert user_count() == 0


def test_register_prefills_the_email_from_an_invitation_link(app):
    page = html(app.test_client().get("/register?email=bob@example.com"))
    assert 'value="bob@example.com"' in page


def test_login_checks_credentials_and_follows_only_local_next(app):
    signup(app, "ada@example.com")
    client = app.test_client()
    bad = client.post("/login", data={"email": "ada@example.com", "password": "wrong-password"})
    assert bad.status_code == 400 and "Invalid e-mail or password" in html(bad)
    assert client.get("/account").status_code == 302
    good = client.post("/login?next=/account/tokens", data={"email": "ada@example.com", "password": PASSWORD})
    assert good.location == "/account/tokens"
    client.post("/logout")
    evil = client.post("/login?next=//evil.example/x", data={"email": "ada@example.com", "password": PASSWORD})
    assert evil.location == "/"


def test_pages_send_anonymous_visitors_to_login_and_back(app):
    client = app.test_client()
    response = client.get("/account/tokens")
    assert response.status_code == 302 and response.location == "/login?next=/account/tokens"
    assert client.get("/").location == "/login"


def test_a_form_posted_after_the_session_ended_returns_to_its_page_after_login(app):
    client = signup(app, "ada@example.com")
    client.post("/logout")
    response = client.post("/orgs/new", data={"name": "Acme"},
                           headers={"Referer": "http://localhost/orgs/new"})
    assert response.status_code == 302 and response.location == "/login?next=/orgs/new"
    again = client.post("/login?next=/orgs/new", data={"email": "ada@example.com", "password": PASSWORD})
    assert again.location == "/orgs/new"
    assert client.get(again.location).status_code == 200
    # Without a page to return to, the home page rather than a POST-only URL.
    client.post("/logout")
    assert client.post("/account/tokens").location == "/login?next=/"


def test_htmx_request_without_session_asks_for_a_full_page_login(app):
    response = app.test_client().post("/account/tokens", headers={**HX, "HX-Current-URL": "http://x/account/tokens"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == "/login?next=/account/tokens"


def test_logout_ends_the_session(app):
    client = signup(app, "ada@example.com")
    assert client.get("/account").status_code == 200
    assert client.get("/logout").status_code == 405  # never by a plain link
    response = client.post("/logout")
    assert response.status_code == 302
    assert client.get("/account").status_code == 302


def test_home_goes_to_the_last_workspace_visited(app):
    client = signup(app, "ada@example.com", name="Ada")
    client.post("/orgs/new", data={"name": "Acme", "slug": "acme"})
    client.post("/o/acme/workspaces/new", data={"name": "Eng", "slug": "eng"})
    client.get("/o/ada/w/personal/")
    assert client.get("/").location == "/o/ada/w/personal/"
    client.get("/o/acme/w/eng/settings")
    assert client.get("/").location == "/o/acme/w/eng/"


def test_switcher_lists_reachable_workspaces_by_organization_and_escapes_names(app):
    client = signup(app, "ada@example.com", name="<script>alert(1)</script>")
    client.post("/orgs/new", data={"name": "Acme & <Co>", "slug": "acme"})
    client.post("/o/acme/workspaces/new", data={"name": "Eng", "slug": "eng"})
    page = html(client.get("/o/acme/w/eng/"))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    switcher = page[page.index('class="switcher-menu"'):page.index("</details>")]
    assert switcher.index("Personal") < switcher.index("Acme &amp; &lt;Co&gt;") < switcher.index('href="/o/acme/w/eng/"')
    nav = page[page.index('class="wsnav"'):]
    assert 'href="/o/acme/w/eng/"' in nav and 'href="/o/acme/w/eng/settings"' in nav


def test_csrf_is_enforced_on_forms_and_htmx_when_enabled(app):
    client = signup(app, "ada@example.com")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        forged = client.post("/account/tokens", data={"name": "ci", "scopes": "projects:read"})
        assert forged.status_code == 400 and "CSRF" in html(forged)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0
        token = csrf_token(html(client.get("/account/tokens")))
        by_header = client.post("/account/tokens", data={"name": "ci", "scopes": "projects:read"},
                                headers={**HX, "X-CSRFToken": token})
        assert by_header.status_code == 201
        by_field = client.post("/account/tokens", data={"name": "cd", "scopes": "projects:read",
                                                        "csrf_token": token})
        assert by_field.status_code == 201
        assert client.post("/logout").status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 2
