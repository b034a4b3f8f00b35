"""Settings, read from the environment only. See the configuration table in README.md."""
import os
from datetime import timedelta
from pathlib import Path

DEV_SECRET_KEY = "dev-secret-change-me"
ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"


def parse_duration(text: str) -> timedelta:
    """Parse `JWT_EXPIRES_IN` values such as `7d`, `12h`, `30m`, `45s` or plain seconds.

    Raises ValueError on anything else.
    """
    text = text.strip().lower()
    units = {"d": "days", "h": "hours", "m": "minutes", "s": "seconds"}
    if text and text[-1] in units:
        amount = int(text[:-1])
        unit = units[text[-1]]
    else:
        amount, unit = int(text), "seconds"
    if amount <= 0:
        raise ValueError("duration must be positive")
    return timedelta(**{unit: amount})


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Built from `os.environ` when instantiated, so tests can set variables first."""

    def __init__(self) -> None:
        env = os.environ
        self.ENV_NAME = env.get("STELLARY_ENV", "development")
        self.SECRET_KEY = env.get("SECRET_KEY", DEV_SECRET_KEY)
        self.SQLALCHEMY_DATABASE_URI = _normalize_db_url(
            env.get("DATABASE_URL", f"sqlite:///{INSTANCE / 'stellary.db'}")
        )
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        self.REDIS_URL = env.get("REDIS_URL", "")
        self.JWT_EXPIRES_IN = parse_duration(env.get("JWT_EXPIRES_IN", "7d"))
        self.BASE_URL = env.get("BASE_URL", "http://127.0.0.1:" + env.get("PORT", "3001")).rstrip("/")
        self.INVITATION_TTL = parse_duration(env.get("INVITATION_TTL", "7d"))
        self.SMTP_HOST = env.get("SMTP_HOST", "")
        self.SMTP_PORT = int(env.get("SMTP_PORT", "25"))
        self.SMTP_USER = env.get("SMTP_USER", "")
        self.SMTP_PASSWORD = env.get("SMTP_PASSWORD", "")
        self.SMTP_STARTTLS = _bool("SMTP_STARTTLS")
        self.MAIL_FROM = env.get("MAIL_FROM", "Stellary <no-reply@localhost>")
        self.UPLOAD_DIR = env.get("UPLOAD_DIR", str(INSTANCE / "uploads"))
        # Slow hash for passwords; tests may choose a cheaper one through the environment.
        self.PASSWORD_HASH_METHOD = env.get("PASSWORD_HASH_METHOD", "scrypt")
        self.MAX_CONTENT_LENGTH = 11 * 1024 * 1024
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", self.ENV_NAME == "production")
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.WTF_CSRF_TIME_LIMIT = None
        self.JSON_SORT_KEYS = False
        self.TESTING = self.ENV_NAME == "testing"

    def check(self) -> None:
        """Refuse to start in production with the development secret.

        Raises RuntimeError.
        """
        if self.ENV_NAME == "production" and (self.SECRET_KEY == DEV_SECRET_KEY or len(self.SECRET_KEY) < 32):
            raise RuntimeError(
                "Refusing to start: STELLARY_ENV=production needs SECRET_KEY set to a random "
                "value of at least 32 characters (the development secret is public)."
            )


def _normalize_db_url(url: str) -> str:
    """Accept `postgres://` and `postgresql://` and use the psycopg 3 driver for both."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url
