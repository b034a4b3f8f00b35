"""Accounts: registration, credentials, profile, and the JWTs that carry a login."""
import sqlalchemy as sa
from flask import current_app
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey
from werkzeug.security import check_password_hash, generate_password_hash

from app.errors import Conflict, Invalid, Unauthorized
from app.extensions import db
from app.models.identity import Organization, OrgMember, User, Workspace, WorkspaceMember
from app.services import rules
from app.timeutil import utcnow

JWT_ALGORITHMS = ["HS256"]
BAD_LOGIN = "Invalid e-mail or password"
# Compared against when the e-mail is unknown, so both failures cost the same time.
_DUMMY_HASH: dict[str, str] = {}


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def find_user_by_email(email: str) -> User | None:
    if "\x00" in email:  # no stored address has one, and databases refuse it in a query
        return None
    return db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))


def register(email: str, password: str, name: str | None = None) -> User:
    """Create an account with its personal organization and workspace.

    Raises Invalid for a bad e-mail, password or name; Conflict if the e-mail is taken.
    """
    email = rules.email("email", email)
    password = rules.password("password", password)
    name = rules.text("name", name, max_len=100) if name is not None else email.split("@")[0][:100]
    if find_user_by_email(email) is not None:
        raise Conflict("An account with this e-mail already exists")
    user = User(email=email, name=name, password_hash=hash_password(password))
    db.session.add(user)
    db.session.flush()
    org = Organization(
        name=f"{name}'s organization"[:100], slug=unique_org_slug(name or email),
        owner_id=user.id, is_personal=True,
    )
    db.session.add(org)
    db.session.flush()
    db.session.add(OrgMember(organization_id=org.id, user_id=user.id, role="owner"))
    workspace = Workspace(organization_id=org.id, name="Personal", slug="personal",
                          owner_id=user.id, is_personal=True)
    db.session.add(workspace)
    db.session.flush()
    db.session.add(WorkspaceMember(workspace_id=workspace.id, user_id=user.id,
                                   role="admin", pilotage_role="owner"))
    db.session.flush()
    return user


def unique_org_slug(base: str) -> str:
    """A free organization slug derived from `base`."""
    stem = rules.slugify(base.split("@")[0]) or "org"
    stem = stem if len(stem) >= 2 else f"{stem}-org"
    stem = stem[:50].strip("-")
    taken = set(db.session.scalars(
        sa.select(Organization.slug).where(Organization.slug.like(f"{stem}%"))
    ))
    candidate, n = stem, 1
    while candidate in taken:
        n += 1
        candidate = f"{stem}-{n}"
    return candidate


def authenticate(email: object, password: object) -> User:
    """The user whose credentials these are.

    Raises Unauthorized with the same message whether the e-mail exists or not.
    """
    if not isinstance(email, str) or not isinstance(password, str):
        raise Unauthorized(BAD_LOGIN)
    user = find_user_by_email(email)
    if user is None:
        if "hash" not in _DUMMY_HASH:
            _DUMMY_HASH["hash"] = hash_password("not-a-real-password")
        check_password_hash(_DUMMY_HASH["hash"], password)
        raise Unauthorized(BAD_LOGIN)
    if not check_password_hash(user.password_hash, password):
        raise Unauthorized(BAD_LOGIN)
    return user


def update_profile(user: User, name: object) -> User:
    """Raises Invalid for a blank or too long name."""
    user.name = rules.text("name", name, max_len=100)
    db.session.flush()
    return user


def change_password(user: User, current: object, new: object) -> User:
    """Set a new password; every earlier JWT and browser session stops working.

    Raises Invalid if `current` is wrong or `new` breaks the length rule.
    """
    if not isinstance(current, str) or not check_password_hash(user.password_hash, current):
        raise Invalid("currentPassword", "Current password is incorrect")
    new = rules.password("newPassword", new)
    user.password_hash = hash_password(new)
    user.auth_epoch += 1
    db.session.flush()
    return user


def personal_pilotage_role(user: User) -> str:
    """The pilotage role shown on the user object: the one in the personal workspace."""
    role = db.session.scalar(
        sa.select(WorkspaceMember.pilotage_role)
        .join(Workspace, Workspace.id == WorkspaceMember.workspace_id)
        .where(WorkspaceMember.user_id == user.id, Workspace.is_personal.is_(True),
               Workspace.owner_id == user.id)
    )
    return role or "owner"


def _key() -> OctKey:
    return OctKey.import_key(current_app.config["SECRET_KEY"].encode())


def issue_jwt(user: User) -> str:
    now = int(utcnow().timestamp())
    lifetime = int(current_app.config["JWT_EXPIRES_IN"].total_seconds())
    claims = {"sub": user.id, "ep": user.auth_epoch, "iat": now, "exp": now + lifetime}
    return jwt.encode({"alg": "HS256", "typ": "JWT"}, claims, _key(), algorithms=JWT_ALGORITHMS)


def user_from_jwt(token: str) -> User:
    """The user a JWT speaks for.

    Raises Unauthorized if the token is malformed, not HS256, badly signed, expired, or
    older than the user's last password change.
    """
    try:
        decoded = jwt.decode(token, _key(), algorithms=JWT_ALGORITHMS)
        jwt.JWTClaimsRegistry(exp={"essential": True}, sub={"essential": True}).validate(decoded.claims)
    except (JoseError, ValueError, TypeError):
        raise Unauthorized("Invalid or expired token") from None
    claims = decoded.claims
    user = db.session.get(User, claims["sub"]) if isinstance(claims.get("sub"), str) else None
    if user is None or claims.get("ep") != user.auth_epoch:
        raise Unauthorized("Invalid or expired token")
    return user


def looks_like_jwt(token: str) -> bool:
    return token.count(".") == 2
