"""Organizations and their members."""
import sqlalchemy as sa

from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.extensions import db
from app.models.identity import Organization, OrgMember, User, Workspace, WorkspaceMember
from app.services import rules
from app.services.access import OrgAccess, org_access
from app.services.accounts import find_user_by_email

MEMBER_ROLES = ("admin", "member")


def create_org(user: User, name: object, slug: object) -> Organization:
    """Create an organization owned by `user`.

    Raises Invalid for a bad name or slug; Conflict if the slug is taken.
    """
    name = rules.text("name", name, max_len=100)
    slug = rules.slug("slug", slug)
    if db.session.scalar(sa.select(Organization.id).where(Organization.slug == slug)):
        raise Conflict("Organization slug already taken")
    org = Organization(name=name, slug=slug, owner_id=user.id)
    db.session.add(org)
    db.session.flush()
    db.session.add(OrgMember(organization_id=org.id, user_id=user.id, role="owner"))
    db.session.flush()
    return org


def list_orgs(user: User) -> list[tuple[Organization, str]]:
    """Organizations `user` belongs to, with the user's role in each, oldest first."""
    rows = db.session.execute(
        sa.select(Organization, OrgMember.role)
        .join(OrgMember, OrgMember.organization_id == Organization.id)
        .where(OrgMember.user_id == user.id)
        .order_by(Organization.created_at, Organization.id)
    ).all()
    return [(org, role) for org, role in rows]


def update_org(access: OrgAccess, name: object = None, slug: object = None) -> Organization:
    """Rename an organization or change its slug (owner or admin).

    Raises Forbidden, Invalid, or Conflict if the new slug is taken.
    """
    _require_manager(access)
    org = access.org
    if name is not None:
        org.name = rules.text("name", name, max_len=100)
    if slug is not None:
        slug = rules.slug("slug", slug)
        if slug != org.slug and db.session.scalar(sa.select(Organization.id).where(Organization.slug == slug)):
            raise Conflict("Organization slug already taken")
        org.slug = slug
    db.session.flush()
    return org


def delete_org(access: OrgAccess) -> None:
    """Delete an organization and everything below it (owner only).

    Raises Forbidden for anyone but the owner.
    """
    if access.role != "owner":
        raise Forbidden("Only the organization owner can delete it")
    db.session.delete(access.org)
    db.session.flush()


def list_members(access: OrgAccess) -> list[OrgMember]:
    return list(db.session.scalars(
        sa.select(OrgMember).join(User, User.id == OrgMember.user_id)
        .where(OrgMember.organization_id == access.org.id)
        .order_by(OrgMember.created_at, OrgMember.id)
        .options(sa.orm.contains_eager(OrgMember.user))
    ))


def add_member(access: OrgAccess, email: object, role: object) -> OrgMember:
    """Add an existing account to the organization by e-mail (owner or admin).

    Raises Forbidden, Invalid (bad role, or no account with that e-mail), Conflict if
    already a member.
    """
    _require_manager(access)
    email = rules.email("email", email)
    role = rules.choice("role", role, MEMBER_ROLES)
    user = find_user_by_email(email)
    if user is None:
        raise Invalid("email", "No account with this e-mail; invite them to a workspace instead")
    if _membership(access.org.id, user.id) is not None:
        raise Conflict("Already a member of this organization")
    member = OrgMember(organization_id=access.org.id, user_id=user.id, role=role)
    db.session.add(member)
    db.session.flush()
    return member


def change_member_role(access: OrgAccess, user_id: str, role: object) -> OrgMember:
    """Raises Forbidden (caller not a manager, or target is the owner), Invalid, NotFound."""
    _require_manager(access)
    role = rules.choice("role", role, MEMBER_ROLES)
    member = _membership(access.org.id, user_id)
    if member is None:
        raise NotFound("Member not found")
    if member.role == "owner":
        raise Forbidden("The owner's role cannot be changed")
    member.role = role
    db.session.flush()
    return member


def remove_member(access: OrgAccess, user_id: str) -> None:
    """Remove a member, and their memberships of the organization's workspaces.

    Managers may remove anyone but the owner; a member may remove themself (leave).
    Raises Forbidden or NotFound.
    """
    if user_id != access.user.id:
        _require_manager(access)
    member = _membership(access.org.id, user_id)
    if member is None:
        raise NotFound("Member not found")
    if member.role == "owner":
        raise Forbidden("The owner cannot be removed")
    workspace_ids = sa.select(Workspace.id).where(Workspace.organization_id == access.org.id)
    db.session.execute(
        sa.delete(WorkspaceMember)
        .where(WorkspaceMember.user_id == user_id, WorkspaceMember.workspace_id.in_(workspace_ids))
        .execution_options(synchronize_session=False)
    )
    db.session.delete(member)
    db.session.flush()


def _membership(org_id: str, user_id: str) -> OrgMember | None:
    return db.session.scalar(
        sa.select(OrgMember).where(OrgMember.organization_id == org_id, OrgMember.user_id == user_id)
    )


def _require_manager(access: OrgAccess) -> None:
    if not access.can_manage:
        raise Forbidden("Organization owner or admin role required")
