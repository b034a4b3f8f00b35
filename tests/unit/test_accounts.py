"""Account rules: registration, credentials, profile, JWT lifetime across password changes."""
import pytest
import sqlalchemy as sa

from app.errors import Conflict, Invalid, Unauthorized
from app.extensions import db
from app.models.identity import Organization, OrgMember, User, Workspace, WorkspaceMember
from app.services import accounts

PASSWORD = "correct-horse-battery"


def test_register_stores_lowercased_email_and_hashed_password():
    user = accounts.register("Jane.Doe@Example.COM", PASSWORD, "Jane Doe")
    db.session.commit()
    stored = db.session.scalar(sa.select(User).where(User.id == user.id))
    assert stored.email == "jane.doe@example.com"
    assert stored.name == "Jane Doe"
    assert PASSWORD not in stored.password_hash
    assert stored.password_hash.startswith("pbkdf2:")


def test_register_without_name_uses_the_local_part_of_the_email():
    user = accounts.register("solo@example.com", PASSWORD)
    assert user.name == "solo"


def test_register_creates_personal_organization_and_workspace():
    user = accounts.register("jane@example.com", PASSWORD, "Jane Doe")
    db.session.commit()
    org = db.session.scalar(sa.select(Organization).where(Organization.owner_id == user.id))
    assert org.is_personal is True
    assert org.slug == "jane-doe"
    assert db.session.scalar(sa.select(OrgMember.role).where(
        OrgMember.organization_id == org.id, OrgMember.user_id == user.id)) == "owner"
    workspace = db.session.scalar(sa.select(Workspace).where(Workspace.organization_id == org.id))
    assert workspace.is_personal is True
    assert workspace.owner_id == user.id
    member = db.session.scalar(sa.select(WorkspaceMember).where(WorkspaceMember.workspace_id == workspace.id))
    assert (member.user_id, member.role, member.pilotage_role) == (user.id, "admin", "owner")


def test_personal_org_slugs_stay_unique_for_equal_names():
    first = accounts.register("a@example.com", PASSWORD, "Same Name")
    second = accounts.register("b@example.com", PASSWORD, "Same Name")
    slugs = {db.session.scalar(sa.select(Organization.slug).where(Organization.owner_id == u.id))
             for u in (first, second)}
    assert slugs == {"same-name", "same-name-2"}


def test_personal_org_slug_for_a_name_without_letters_is_still_valid():
    user = accounts.register("x@example.com", PASSWORD, "日本")
    slug = db.session.scalar(sa.select(Organization.slug).where(Organization.owner_id == user.id))
    assert len(slug) >= 2


@pytest.mark.parametrize("email", ["JANE@example.com", "jane@EXAMPLE.com", " jane@example.com "])
def test_duplicate_email_is_a_conflict_whatever_the_case(email):
    accounts.register("jane@example.com", PASSWORD)
    with pytest.raises(Conflict):
        accounts.register(email, PASSWORD)


@pytest.mark.parametrize("email", ["", "not-an-email", "a@b", "two@@example.com", "a\x00@example.com", None, 42])
def test_register_refuses_bad_emails(email):
    with pytest.raises(Invalid) as caught:
        accounts.register(email, PASSWORD)
    assert caught.value.field == "email"


@pytest.mark.parametrize("password,ok", [("x" * 7, False), ("x" * 8, True), ("x" * 128, True), ("x" * 129, False)])
def test_password_length_bounds(password, ok):
    if ok:
        assert accounts.register("p@example.com", password).id
    else:
        with pytest.raises(Invalid) as caught:
            accounts.register("p@example.com", password)
        assert caught.value.field == "password"


@pytest.mark.parametrize("name", ["", "   ", "n" * 101, "a\x00b"])
def test_register_refuses_bad_names(name):
    with pytest.raises(Invalid) as caught:
        accounts.register("n@example.com", PASSWORD, name)
    assert caught.value.field == "name"


def test_authenticate_is_case_insensitive_on_email():
    user = accounts.register("jane@example.com", PASSWORD)
    assert accounts.authenticate("JANE@Example.com", PASSWORD).id == user.id


def test_authenticate_refuses_an_email_with_a_nul_character():
    accounts.register("jane@example.com", PASSWORD)
    with pytest.raises(Unauthorized):
        accounts.authenticate("jane\x00@example.com", PASSWORD)


def test_authenticate_gives_the_same_error_for_unknown_email_and_wrong_password():
    accounts.register("jane@example.com", PASSWORD)
    with pytest.raises(Unauthorized) as wrong_password:
        accounts.authenticate("jane@example.com", "wrong-password")
    with pytest.raises(Unauthorized) as unknown:
        accounts.authenticate("nobody@example.com", PASSWORD)
    assert wrong_password.value.message == unknown.value.message


def test_update_profile_rules():
    user = accounts.register("jane@example.com", PASSWORD)
    assert accounts.update_profile(user, "  Jane Smith ").name == "Jane Smith"
    for bad in ("", "n" * 101, 5):
        with pytest.raises(Invalid):
            accounts.update_profile(user, bad)


def test_change_password_checks_current_and_new_password():
    user = accounts.register("jane@example.com", PASSWORD)
    with pytest.raises(Invalid) as wrong:
        accounts.change_password(user, "not-the-password", "new-password-1")
    assert wrong.value.field == "currentPassword"
    with pytest.raises(Invalid) as short:
        accounts.change_password(user, PASSWORD, "short")
    assert short.value.field == "newPassword"
    with pytest.raises(Invalid):
        accounts.change_password(user, PASSWORD, "x" * 129)


def test_change_password_replaces_the_hash_and_ends_older_jwts():
    user = accounts.register("jane@example.com", PASSWORD)
    db.session.commit()
    old_token = accounts.issue_jwt(user)
    assert accounts.user_from_jwt(old_token).id == user.id
    old_hash = user.password_hash

    accounts.change_password(user, PASSWORD, "brand-new-password")
    db.session.commit()

    assert user.password_hash != old_hash
    assert "brand-new-password" not in user.password_hash
    with pytest.raises(Unauthorized):
        accounts.user_from_jwt(old_token)
    assert accounts.user_from_jwt(accounts.issue_jwt(user)).id == user.id
    assert accounts.authenticate("jane@example.com", "brand-new-password").id == user.id
    with pytest.raises(Unauthorized):
        accounts.authenticate("jane@example.com", PASSWORD)


def test_jwt_lifetime_follows_configuration(app):
    from joserfc import jwt
    from joserfc.jwk import OctKey

    user = accounts.register("jane@example.com", PASSWORD)
    token = accounts.issue_jwt(user)
    claims = jwt.decode(token, OctKey.import_key(app.config["SECRET_KEY"].encode()), algorithms=["HS256"]).claims
    assert claims["exp"] - claims["iat"] == 7 * 24 * 3600
    assert claims["sub"] == user.id


def test_personal_pilotage_role_is_the_one_of_the_personal_workspace():
    user = accounts.register("jane@example.com", PASSWORD)
    assert accounts.personal_pilotage_role(user) == "owner"
