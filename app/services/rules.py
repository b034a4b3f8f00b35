"""Value rules shared by every service. Each raises `Invalid(field, message)`."""
import re
from datetime import datetime

from app.errors import Invalid
from app.timeutil import parse_datetime

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def text(field: str, value: object, *, max_len: int, min_len: int = 1, strip: bool = True) -> str:
    """A string of `min_len`..`max_len` characters (after stripping surrounding blanks), without NUL."""
    if not isinstance(value, str):
        raise Invalid(field, f"{field} must be a string")
    if "\x00" in value:
        raise Invalid(field, f"{field} must not contain NUL characters")
    if strip:
        value = value.strip()
    if len(value) < min_len:
        raise Invalid(field, f"{field} must not be empty" if min_len == 1 else
                      f"{field} must be at least {min_len} characters")
    if len(value) > max_len:
        raise Invalid(field, f"{field} must be at most {max_len} characters")
    return value


def optional_text(field: str, value: object, *, max_len: int) -> str | None:
    """Like `text`, but `None` or blank gives `None`."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return text(field, value, max_len=max_len)


def email(field: str, value: object) -> str:
    """A plausible e-mail address, lower-cased (addresses compare case-insensitively)."""
    value = text(field, value, max_len=254)
    if not EMAIL_RE.match(value):
        raise Invalid(field, f"{field} must be a valid e-mail address")
    return value.lower()


def slug(field: str, value: object) -> str:
    """2 to 60 characters: lowercase letters, digits and single hyphens."""
    value = text(field, value, max_len=60)
    if len(value) < 2 or not SLUG_RE.match(value):
        raise Invalid(field, f"{field} must be 2 to 60 characters: lowercase letters, digits and hyphens")
    return value


def password(field: str, value: object) -> str:
    if not isinstance(value, str):
        raise Invalid(field, f"{field} must be a string")
    if not 8 <= len(value) <= 128:
        raise Invalid(field, f"{field} must be 8 to 128 characters")
    return value


def choice(field: str, value: object, options: tuple[str, ...]) -> str:
    if value not in options:
        raise Invalid(field, f"{field} must be one of: {', '.join(options)}")
    return value  # type: ignore[return-value]


def optional_datetime(field: str, value: object) -> datetime | None:
    """`None`, or an ISO date (`2026-04-01`) or timestamp, as an aware UTC datetime."""
    if value is None:
        return None
    try:
        return parse_datetime(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise Invalid(field, f"{field} must be an ISO 8601 date") from None


def slugify(value: str) -> str:
    """Turn a name into a slug candidate (may be shorter than 2 characters)."""
    value = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    return value[:60].strip("-")
