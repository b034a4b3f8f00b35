"""One error shape for every failure, from every layer."""
import pytest
import sqlalchemy as sa

from app import create_app
from app.config import Config
from app.extensions import db
from app.models.identity import User
from tests.api.shapes import assert_error, detail_fields
from tests.conftest import PASSWORD


@pytest.mark.parametrize("path", ["/nope", "/auth/nope", "/organizations/acme/nothing-here", "/orgs/x"])
def test_unknown_route_is_json_404(anon, path):
    assert_error(anon.get(path), 404)


def test_api_paths_answer_json_even_to_browsers(anon):
    assert_error(anon.get("/auth/nope", headers={"Accept": "text/html"}), 404)
    assert_error(anon.get("/auth/me", headers={"Accept": "text/html"}), 401)


@pytest.mark.parametrize("method,path,allowed", [
    ("put", "/auth/me", {"GET", "PATCH"}),
    ("get", "/auth/login", {"POST"}),
    ("delete", "/organizations", {"GET", "POST"}),
    ("post", "/healthz", {"GET"}),
])
def test_wrong_method_is_json_405_with_allow(client, method, path, allowed):
    response = getattr(client, method)(path)
    assert_error(response, 405)
    assert allowed <= {m.strip() for m in response.headers["Allow"].split(",")}


def test_body_over_the_limit_is_json_413(app, anon):
    too_big = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = anon.post("/auth/register", data=too_big, content_type="application/json")
    assert_error(response, 413)


def test_body_over_the_limit_on_an_authenticated_endpoint(app, register):
    jane = register("jane@example.com")
    too_big = b"{" + b" " * app.config["MAX_CONTENT_LENGTH"] + b"}"
    assert_error(jane.patch("/auth/me", data=too_big, content_type="application/json"), 413)
    assert jane.get("/auth/me").json["user"]["name"] == "jane"


@pytest.mark.parametrize("raw", [b"{bad json", b'{"email": "a@b.co",}', b"\xff\xfe", b"email=a@b.co"])
def test_malformed_json_is_400(anon, raw):
    response = anon.post("/auth/register", data=raw, content_type="application/json")
    assert_error(response, 400, "Malformed JSON body")


@pytest.mark.parametrize("raw", [b"[1, 2]", b"null", b'"text"', b"42", b"true"])
def test_non_object_body_is_400(anon, raw):
    response = anon.post("/auth/register", data=raw, content_type="application/json")
    assert_error(response, 400, "The request body must be a JSON object")


def test_unknown_fields_are_400_with_details(anon):
    response = anon.post("/auth/register", json={"email": "a@example.com", "password": PASSWORD,
                                                 "isAdmin": True, "role": "owner"})
    body = assert_error(response, 400)
    assert sorted(detail_fields(response)) == ["isAdmin", "role"]
    assert all(d["message"] for d in body["details"])
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_wrong_types_are_400_with_details(anon):
    response = anon.post("/auth/register", json={"email": ["a@example.com"], "password": PASSWORD, "name": 7})
    assert_error(response, 400)
    assert sorted(detail_fields(response)) == ["email", "name"]


def test_service_validation_error_names_its_field(anon):
    response = anon.post("/auth/register", json={"email": "a@example.com", "password": "short"})
    body = assert_error(response, 400)
    assert body["details"] == [{"field": "password", "message": body["message"]}]


def test_json_nested_too_deeply_is_400(anon):
    response = anon.post("/auth/register", data=b"[" * 200_000 + b"]" * 200_000, content_type="application/json")
    assert_error(response, 400, "The JSON body is nested too deeply")


@pytest.mark.parametrize("body,field", [
    ({"email": "a@example.com", "password": PASSWORD, "name": "a\x00b"}, "name"),
    ({"email": "a\x00@example.com", "password": PASSWORD}, "email"),
    ({"email": "a@example.com", "password": PASSWORD, "nested": [{"x": ["\x00"]}]}, "nested"),
])
def test_nul_characters_in_a_body_are_400(anon, body, field):
    response = anon.post("/auth/register", json=body)
    assert_error(response, 400)
    assert field in detail_fields(response)


def test_nul_in_a_login_email_is_400(anon):
    response = anon.post("/auth/login", json={"email": "a\x00@example.com", "password": PASSWORD})
    assert_error(response, 400)
    assert detail_fields(response) == ["email"]


@pytest.mark.parametrize("method,path", [
    ("GET", "/organizations/a%00b"), ("GET", "/orgs/a%00b/workspaces"), ("DELETE", "/api-tokens/a%00b"),
    ("PATCH", "/organizations/a%00b/members/x%00y"), ("POST", "/invitations/a%00b/accept"),
])
def test_nul_characters_in_a_path_are_404(register, method, path):
    jane = register("jane@example.com")
    assert_error(jane.client.open(path, method=method, json={}, headers={"Authorization": f"Bearer {jane.token}"}),
                 404)


@pytest.fixture()
def failing_app(app):
    """A second application on the same database with routes that fail in the ways a view can."""
    second = create_app(Config())
    second.config.update(PROPAGATE_UNEXPECTED=False)

    @second.get("/auth/boom")
    def boom():
        db.session.add(User(email="half@example.com", name="Half", password_hash="x"))
        db.session.flush()
        raise RuntimeError("secret internals: /srv/stellary/db password=hunter2")

    @second.get("/auth/race")
    def race():
        db.session.add(User(email="twin@example.com", name="One", password_hash="x"))
        db.session.add(User(email="twin@example.com", name="Two", password_hash="x"))
        db.session.flush()

    @second.get("/auth/refused-value")
    def refused_value():
        db.session.add(User(email="half@example.com", name="Half", password_hash="x"))
        db.session.flush()
        raise sa.exc.DataError("INSERT ...", {}, ValueError("value refused by the database"))

    yield second
    with second.app_context():
        db.session.remove()
        db.engine.dispose()


def test_unexpected_error_is_json_500_without_internals_and_without_half_writes(failing_app, caplog):
    response = failing_app.test_client().get("/auth/boom")
    body = assert_error(response, 500)
    text = response.get_data(as_text=True)
    assert "secret internals" not in text and "RuntimeError" not in text and "hunter2" not in text
    assert body["message"] == "Internal server error"
    assert "secret internals" in caplog.text  # logged for the operator
    with failing_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_a_uniqueness_race_is_409_not_500(failing_app):
    response = failing_app.test_client().get("/auth/race")
    assert_error(response, 409, "Conflict with existing data")
    with failing_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_a_value_the_database_refuses_is_400_not_500(failing_app):
    response = failing_app.test_client().get("/auth/refused-value")
    assert_error(response, 400, "Invalid value")
    with failing_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
