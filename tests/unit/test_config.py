"""Configuration comes from the environment only; production refuses the development secret."""
from datetime import timedelta

import pytest

from app import create_app
from app.config import DEV_SECRET_KEY, Config, parse_duration


@pytest.fixture()
def env(monkeypatch):
    """Set environment variables for one test; the session's values come back afterwards."""

    def _set(**values):
        for key, value in values.items():
            if value is None:
                monkeypatch.delenv(key, raising=False)
            else:
                monkeypatch.setenv(key, value)

    return _set


def test_production_with_the_development_secret_refuses_to_start(env):
    env(STELLARY_ENV="production", SECRET_KEY=None)
    config = Config()
    assert config.SECRET_KEY == DEV_SECRET_KEY
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(config)


def test_production_with_a_short_secret_refuses_to_start(env):
    env(STELLARY_ENV="production", SECRET_KEY="too-short")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        Config().check()


def test_production_with_a_real_secret_starts(env):
    env(STELLARY_ENV="production", SECRET_KEY="s" * 40)
    config = Config()
    config.check()
    assert config.SESSION_COOKIE_SECURE is True
    assert config.TESTING is False


def test_development_tolerates_the_development_secret(env):
    env(STELLARY_ENV=None, SECRET_KEY=None)
    Config().check()


@pytest.mark.parametrize("text,expected", [
    ("7d", timedelta(days=7)), ("12h", timedelta(hours=12)), ("30m", timedelta(minutes=30)),
    ("45s", timedelta(seconds=45)), ("3600", timedelta(hours=1)), (" 2D ", timedelta(days=2)),
])
def test_duration_parsing(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "d", "7w", "-1d", "0", "abc", "1.5h"])
def test_bad_durations_are_refused(text):
    with pytest.raises(ValueError):
        parse_duration(text)


def test_jwt_expiry_defaults_to_seven_days_and_follows_the_environment(env):
    env(JWT_EXPIRES_IN=None)
    assert Config().JWT_EXPIRES_IN == timedelta(days=7)
    env(JWT_EXPIRES_IN="15m")
    assert Config().JWT_EXPIRES_IN == timedelta(minutes=15)
    env(JWT_EXPIRES_IN="soon")
    with pytest.raises(ValueError):
        Config()


@pytest.mark.parametrize("url,expected", [
    ("postgres://u:p@db:5432/app", "postgresql+psycopg://u:p@db:5432/app"),
    ("postgresql://u:p@db/app", "postgresql+psycopg://u:p@db/app"),
    ("postgresql+psycopg://u@db/app", "postgresql+psycopg://u@db/app"),
    ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
])
def test_database_url_normalisation(env, url, expected):
    env(DATABASE_URL=url)
    assert Config().SQLALCHEMY_DATABASE_URI == expected


def test_smtp_and_base_url_come_from_the_environment(env):
    env(SMTP_HOST="mail.example.com", SMTP_PORT="2525", SMTP_STARTTLS="yes", BASE_URL="https://s.example.com/")
    config = Config()
    assert (config.SMTP_HOST, config.SMTP_PORT, config.SMTP_STARTTLS) == ("mail.example.com", 2525, True)
    assert config.BASE_URL == "https://s.example.com"
