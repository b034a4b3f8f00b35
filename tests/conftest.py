"""Shared fixtures. The suite runs against SQLite by default and against PostgreSQL when
`TEST_DATABASE_URL` points at a server (a fresh database is created for the run and dropped
after it, so concurrent runs never collide). The schema comes from the real migrations."""
import os
import tempfile
import uuid

import psycopg
import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

TEST_DB = os.environ.get("TEST_DATABASE_URL", "sqlite")
PASSWORD = "correct-horse-battery"


def _postgres_database(base_url: str):
    """Create a throwaway database on the server of `base_url`; yield its URL; drop it."""
    admin = sa.make_url(base_url.replace("postgresql+psycopg://", "postgresql://"))
    name = f"stellary_test_{uuid.uuid4().hex[:12]}"
    conninfo = admin.set(database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def database_url():
    if TEST_DB.startswith("postgres"):
        yield from _postgres_database(TEST_DB)
    else:
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/test.db"


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    from app import create_app
    from app.config import Config

    os.environ.update({
        "STELLARY_ENV": "testing",
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key-" + "x" * 32,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "UPLOAD_DIR": str(tmp_path_factory.mktemp("uploads")),
        "BASE_URL": "http://stellary.test",
    })
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("SMTP_HOST", None)
    application = create_app(Config())
    application.config.update(WTF_CSRF_ENABLED=False, PROPAGATE_UNEXPECTED=True)
    with application.app_context():
        upgrade()
    yield application
    with application.app_context():
        from app.extensions import db
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_tables(app):
    """Every test starts from empty tables and an app context."""
    from app.extensions import db

    with app.app_context():
        yield
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture()
def client(app):
    return app.test_client()


class Api:
    """A JSON client speaking for one bearer token."""

    def __init__(self, client, token: str | None = None):
        self.client = client
        self.token = token

    def _headers(self, headers):
        merged = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        merged.update(headers or {})
        return merged

    def get(self, path, headers=None, **kwargs):
        return self.client.get(path, headers=self._headers(headers), **kwargs)

    def delete(self, path, headers=None, **kwargs):
        return self.client.delete(path, headers=self._headers(headers), **kwargs)

    def post(self, path, json=None, headers=None, **kwargs):
        return self.client.post(path, json=json, headers=self._headers(headers), **kwargs)

    def patch(self, path, json=None, headers=None, **kwargs):
        return self.client.patch(path, json=json, headers=self._headers(headers), **kwargs)


@pytest.fixture()
def register(client):
    """`register(email, name=None)` → an `Api` logged in as a new account (with `.user`)."""

    def _register(email: str, name: str | None = None, password: str = PASSWORD) -> Api:
        body = {"email": email, "password": password}
        if name:
            body["name"] = name
        response = client.post("/auth/register", json=body)
        assert response.status_code == 201, response.json
        api = Api(client, response.json["access_token"])
        api.user = response.json["user"]
        return api

    return _register


@pytest.fixture()
def anon(client):
    return Api(client)
