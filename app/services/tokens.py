"""Personal access tokens: `synth_` + 192 random bits, stored only as a SHA-256 hash."""
import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa

from app.errors import Invalid, NotFound, Unauthorized
from app.extensions import db
from app.models.identity import ApiToken, User
from app.services import rules
from app.timeutil import utcnow

SCOPES = (
    "projects:read",
    "projects:write",
    "pilotage:read",
    "pilotage:write",
    "notifications:read",
    "account:read",
    "account:write",
)
TOKEN_PREFIX = "synth_"
LAST_USED_RESOLUTION = timedelta(seconds=60)


def create_token(user: User, name: object, scopes: object = None,
                 expires_at: object = None) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret value, which is never stored.

    Raises Invalid for a bad name, an unknown or empty scope list, or an expiry not in the future.
    """
    name = rules.text("name", name, max_len=100)
    if scopes is None:
        scopes = list(SCOPES)
    if not isinstance(scopes, list) or not scopes or not all(isinstance(s, str) for s in scopes):
        raise Invalid("scopes", "scopes must be a non-empty array of scope names")
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown:
        raise Invalid("scopes", f"Unknown scopes: {', '.join(unknown)}")
    expiry = rules.optional_datetime("expiresAt", expires_at)
    if expiry is not None and expiry <= utcnow():
        raise Invalid("expiresAt", "expiresAt must be in the future")
    secret = TOKEN_PREFIX + secrets.token_hex(24)
    token = ApiToken(
        user_id=user.id, name=name, prefix=secret[:10], token_hash=_hash(secret),
        scopes=[s for s in SCOPES if s in scopes], expires_at=expiry,
    )
    db.session.add(token)
    db.session.flush()
    return token, secret


def list_tokens(user: User) -> list[ApiToken]:
    return list(db.session.scalars(
        sa.select(ApiToken).where(ApiToken.user_id == user.id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    ))


def revoke_token(user: User, token_id: str) -> None:
    """Delete one of the caller's tokens; it stops working on the next request.

    Raises NotFound if it is not the caller's.
    """
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound("Token not found")
    db.session.delete(token)
    db.session.flush()


def resolve(secret: str) -> ApiToken:
    """The live token behind `secret`, its `lastUsedAt` refreshed (at most once a minute).

    Raises Unauthorized if it is unknown, revoked or expired.
    """
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == _hash(secret)))
    now = utcnow()
    if token is None or (token.expires_at is not None and token.expires_at <= now):
        raise Unauthorized("Invalid or expired token")
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        token.last_used_at = now
    return token


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
