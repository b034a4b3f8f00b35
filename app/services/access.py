"""Who may reach what. Every domain service starts here: load the object, then check the
caller against the object's real organization and workspace, never against ids from the URL.

Absent and out of reach look the same (`NotFound`); a member whose role is too low gets
`Forbidden`.
"""
from dataclasses import dataclass

import sqlalchemy as sa

from app.errors import Forbidden, NotFound
from app.extensions import db
from app.models.identity import Organization, OrgMember, User, Workspace, WorkspaceMember

ORG_MANAGERS = ("owner", "admin")
PILOTAGE_RANK = {"viewer": 0, "reviewer": 1, "owner": 2}


@dataclass(frozen=True)
class OrgAccess:
    org: Organization
    user: User
    role: str

    @property
    def can_manage(self) -> bool:
        return self.role in ORG_MANAGERS

    def require_manager(self) -> None:
        """Raises Forbidden unless the caller is an owner or admin of the organization."""
        if not self.can_manage:
            raise Forbidden("Organization owner or admin role required")


@dataclass(frozen=True)
class WorkspaceAccess:
    """The caller's effective standing in a workspace.

    Organization owners and admins manage everything below their organization, so they
    count as workspace admins and pilotage owners even without a membership row.
    """

    workspace: Workspace
    user: User
    role: str
    pilotage_role: str
    org_role: str | None
    membership: WorkspaceMember | None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def require_admin(self) -> None:
        """Raises Forbidden unless the caller administers the workspace."""
        if not self.is_admin:
            raise Forbidden("Workspace admin role required")

    def require_pilotage(self, minimum: str) -> None:
        """Raises Forbidden unless the caller's pilotage role is at least `minimum`."""
        if PILOTAGE_RANK[self.pilotage_role] < PILOTAGE_RANK[minimum]:
            raise Forbidden(f"Pilotage role '{minimum}' required")


def org_access(user: User, org_slug: str) -> OrgAccess:
    """The caller's membership of the organization `org_slug`.

    Raises NotFound if it does not exist or the caller is not a member.
    """
    row = db.session.execute(
        sa.select(Organization, OrgMember.role)
        .join(OrgMember, OrgMember.organization_id == Organization.id)
        .where(Organization.slug == org_slug, OrgMember.user_id == user.id)
    ).first()
    if row is None:
        raise NotFound("Organization not found")
    return OrgAccess(org=row[0], user=user, role=row[1])


def workspace_access(user: User, org_slug: str, ws_slug: str) -> WorkspaceAccess:
    """The caller's effective standing in workspace `ws_slug` of organization `org_slug`.

    Raises NotFound if either does not exist or the caller cannot reach the workspace.
    """
    row = db.session.execute(
        sa.select(Workspace, WorkspaceMember, OrgMember.role)
        .join(Organization, Organization.id == Workspace.organization_id)
        .outerjoin(
            WorkspaceMember,
            sa.and_(WorkspaceMember.workspace_id == Workspace.id, WorkspaceMember.user_id == user.id),
        )
        .outerjoin(
            OrgMember,
            sa.and_(OrgMember.organization_id == Organization.id, OrgMember.user_id == user.id),
        )
        .where(Organization.slug == org_slug, Workspace.slug == ws_slug)
    ).first()
    if row is None:
        raise NotFound("Workspace not found")
    return _standing(user, row[0], row[1], row[2])


def workspace_access_by_id(user: User, workspace_id: str) -> WorkspaceAccess:
    """Same as `workspace_access`, from the workspace id (for objects that carry it).

    Raises NotFound.
    """
    row = db.session.execute(
        sa.select(Workspace, WorkspaceMember, OrgMember.role)
        .outerjoin(
            WorkspaceMember,
            sa.and_(WorkspaceMember.workspace_id == Workspace.id, WorkspaceMember.user_id == user.id),
        )
        .outerjoin(
            OrgMember,
            sa.and_(OrgMember.organization_id == Workspace.organization_id, OrgMember.user_id == user.id),
        )
        .where(Workspace.id == workspace_id)
    ).first()
    if row is None:
        raise NotFound("Workspace not found")
    return _standing(user, row[0], row[1], row[2])


def _standing(user: User, workspace: Workspace, member: WorkspaceMember | None,
              org_role: str | None) -> WorkspaceAccess:
    if org_role in ORG_MANAGERS:
        return WorkspaceAccess(workspace, user, "admin", "owner", org_role, member)
    if member is None or org_role is None:
        raise NotFound("Workspace not found")
    return WorkspaceAccess(workspace, user, member.role, member.pilotage_role, org_role, member)
