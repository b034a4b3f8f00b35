"""Bearer authentication for the API (JWT first, then personal access token) and scopes."""
from functools import wraps

from flask import g, request

from app.errors import Forbidden, NotFound, Unauthorized
from app.extensions import db
from app.services import accounts, tokens

READ_METHODS = ("GET", "HEAD", "OPTIONS")


def authenticate() -> None:
    """Set `g.user` and `g.api_token` (None for a JWT) from the Authorization header.

    Raises Unauthorized when the header is missing or the token is not valid.
    """
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("Missing bearer token")
    if accounts.looks_like_jwt(token):
        g.user, g.api_token = accounts.user_from_jwt(token), None
        return
    if not token.startswith(tokens.TOKEN_PREFIX):
        raise Unauthorized("Invalid or expired token")
    api_token = tokens.resolve(token)
    if db.session.dirty:
        db.session.commit()  # lastUsedAt is recorded even if the request itself fails
    g.user, g.api_token = api_token.user, api_token


def authed(area: str | None = None, *, jwt_only: bool = False):
    """Require a bearer token; with a PAT, require the scope `area:read|write`.

    `area` is projects, pilotage, notifications or account. Reads need `:read`, other
    methods `:write`, except notifications, whose one scope covers marking read.
    `jwt_only` refuses personal access tokens (403), so a token cannot mint tokens.
    """

    def decorator(view):
        view.api_area = area if not jwt_only else "jwt-only"

        @wraps(view)
        def wrapper(*args, **kwargs):
            authenticate()
            if g.api_token is not None:
                if jwt_only:
                    raise Forbidden("This endpoint requires a JWT, not a personal access token")
                needed = required_scope(area, request.method)
                if needed not in g.api_token.scopes:
                    raise Forbidden(f"Token lacks the '{needed}' scope")
            if any(isinstance(value, str) and "\x00" in value for value in kwargs.values()):
                raise NotFound("Not found")  # no slug or id holds a NUL; databases refuse it
            return view(*args, **kwargs)

        return wrapper

    return decorator


def required_scope(area: str | None, method: str) -> str:
    if area == "notifications":
        return "notifications:read"
    return f"{area}:{'read' if method in READ_METHODS else 'write'}"


def public(view):
    """Mark a view as reachable without a token (register, login, health)."""
    view.api_area = "public"
    return view
