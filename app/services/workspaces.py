"""Workspaces, their members and roles, and invitations to join them."""
import hashlib
import secrets
from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.extensions import db
from app.models.identity import (
    PILOTAGE_ROLES,
    WORKSPACE_ROLES,
    Invitation,
    Organization,
    OrgMember,
    User,
    Workspace,
    WorkspaceMember,
)
from app.services import rules
from app.services.access import ORG_MANAGERS, OrgAccess, WorkspaceAccess
from app.timeutil import utcnow


def create_workspace(access: OrgAccess, name: object, slug: object) -> Workspace:
    """Create a workspace in the organization; the creator becomes its admin and pilotage owner.

    Raises Forbidden unless the caller is an organization owner or admin; Invalid; Conflict if
    the slug is taken in this organization.
    """
    if not access.can_manage:
        raise Forbidden("Organization owner or admin role required to create a workspace")
    name = rules.text("name", name, max_len=100)
    slug = rules.slug("slug", slug)
    _ensure_free_slug(access.org.id, slug)
    workspace = Workspace(organization_id=access.org.id, name=name, slug=slug, owner_id=access.user.id)
    db.session.add(workspace)
    db.session.flush()
    db.session.add(WorkspaceMember(workspace_id=workspace.id, user_id=access.user.id,
                                   role="admin", pilotage_role="owner"))
    db.session.flush()
    return workspace


def list_workspaces(access: OrgAccess) -> list[tuple[Workspace, str, str]]:
    """Workspaces of the organization the caller can reach, with their role and pilotage role."""
    if access.can_manage:
        rows = db.session.execute(
            sa.select(Workspace).where(Workspace.organization_id == access.org.id)
            .order_by(Workspace.created_at, Workspace.id)
        ).scalars()
        return [(ws, "admin", "owner") for ws in rows]
    rows = db.session.execute(
        sa.select(Workspace, WorkspaceMember.role, WorkspaceMember.pilotage_role)
        .join(WorkspaceMember, WorkspaceMember.workspace_id == Workspace.id)
        .where(Workspace.organization_id == access.org.id, WorkspaceMember.user_id == access.user.id)
        .order_by(Workspace.created_at, Workspace.id)
    ).all()
    return [(ws, role, prole) for ws, role, prole in rows]


def reachable_workspaces(user: User) -> list[tuple[Organization, Workspace]]:
    """Every workspace `user` can reach, across organizations (for the switcher)."""
    managed = sa.select(OrgMember.organization_id).where(
        OrgMember.user_id == user.id, OrgMember.role.in_(ORG_MANAGERS))
    member_of = sa.select(WorkspaceMember.workspace_id).where(WorkspaceMember.user_id == user.id)
    rows = db.session.execute(
        sa.select(Organization, Workspace)
        .join(Workspace, Workspace.organization_id == Organization.id)
        .where(sa.or_(Workspace.organization_id.in_(managed), Workspace.id.in_(member_of)))
        .order_by(Organization.created_at, Organization.id, Workspace.created_at, Workspace.id)
    ).all()
    return [(org, ws) for org, ws in rows]


def memberships(user: User) -> list[tuple[Organization, Workspace, str]]:
    """The workspaces `user` is a member of (those they can leave), with their role."""
    rows = db.session.execute(
        sa.select(Organization, Workspace, WorkspaceMember.role)
        .join(Workspace, Workspace.organization_id == Organization.id)
        .join(WorkspaceMember, WorkspaceMember.workspace_id == Workspace.id)
        .where(WorkspaceMember.user_id == user.id)
        .order_by(Organization.created_at, Organization.id, Workspace.created_at, Workspace.id)
    ).all()
    return [(org, ws, role) for org, ws, role in rows]


def update_workspace(access: WorkspaceAccess, name: object = None, slug: object = None,
                     require_independent_review: object = None) -> Workspace:
    """Rename, re-slug, or turn `requireIndependentReview` on or off (documents must then be
    reviewed by someone other than their author). Raises Forbidden (not admin), Invalid,
    Conflict (slug taken)."""
    access.require_admin()
    workspace = access.workspace
    if require_independent_review is not None and not isinstance(require_independent_review, bool):
        raise Invalid("requireIndependentReview", "requireIndependentReview must be a boolean")
    if name is not None:
        workspace.name = rules.text("name", name, max_len=100)
    if slug is not None:
        slug = rules.slug("slug", slug)
        if slug != workspace.slug:
            _ensure_free_slug(workspace.organization_id, slug)
        workspace.slug = slug
    if require_independent_review is not None:
        workspace.require_independent_review = require_independent_review
    db.session.flush()
    return workspace


def delete_workspace(access: WorkspaceAccess) -> None:
    """Delete a workspace and everything in it. Raises Forbidden unless admin."""
    access.require_admin()
    db.session.delete(access.workspace)
    db.session.flush()


def list_members(access: WorkspaceAccess) -> list[WorkspaceMember]:
    return list(db.session.scalars(
        sa.select(WorkspaceMember).join(User, User.id == WorkspaceMember.user_id)
        .where(WorkspaceMember.workspace_id == access.workspace.id)
        .order_by(WorkspaceMember.created_at, WorkspaceMember.id)
        .options(sa.orm.contains_eager(WorkspaceMember.user))
    ))


def change_member(access: WorkspaceAccess, user_id: str, role: object = None,
                  pilotage_role: object = None) -> WorkspaceMember:
    """Change a member's workspace role and/or pilotage role (workspace admins only).

    Raises Forbidden, Invalid, NotFound, Conflict when it would leave no admin.
    """
    access.require_admin()
    member = _member(access.workspace.id, user_id)
    if role is not None:
        role = rules.choice("role", role, WORKSPACE_ROLES)
        if member.role == "admin" and role != "admin":
            _ensure_another_admin(access.workspace.id, user_id)
        member.role = role
    if pilotage_role is not None:
        member.pilotage_role = rules.choice("pilotageRole", pilotage_role, PILOTAGE_ROLES)
    db.session.flush()
    return member


def remove_member(access: WorkspaceAccess, user_id: str) -> None:
    """Remove a member: admins remove anyone, a member may leave.

    Raises Forbidden, NotFound, Conflict when it would leave no admin.
    """
    if user_id != access.user.id:
        access.require_admin()
    member = _member(access.workspace.id, user_id)
    if member.role == "admin":
        _ensure_another_admin(access.workspace.id, user_id)
    db.session.delete(member)
    db.session.flush()


def invite(access: WorkspaceAccess, email: object, role: object = None) -> tuple[Invitation, str]:
    """Create an invitation and return it with its secret token (only the hash is stored).

    An earlier pending invitation for the same e-mail is replaced.
    Raises Forbidden (not admin), Invalid, Conflict (already a member).
    """
    access.require_admin()
    email = rules.email("email", email)
    role = rules.choice("role", role if role is not None else "member", WORKSPACE_ROLES)
    already = db.session.scalar(
        sa.select(WorkspaceMember.id).join(User, User.id == WorkspaceMember.user_id)
        .where(WorkspaceMember.workspace_id == access.workspace.id, User.email == email)
    )
    if already:
        raise Conflict("This person is already a member of the workspace")
    db.session.execute(sa.delete(Invitation).where(
        Invitation.workspace_id == access.workspace.id, Invitation.email == email,
        Invitation.accepted_at.is_(None)))
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        workspace_id=access.workspace.id, email=email, role=role, token_hash=_hash(token),
        invited_by_id=access.user.id, expires_at=utcnow() + current_app.config["INVITATION_TTL"],
    )
    db.session.add(invitation)
    db.session.flush()
    return invitation, token


def pending_invitations(access: WorkspaceAccess) -> list[Invitation]:
    """Invitations not yet accepted (expired ones included, marked by their date)."""
    access.require_admin()
    return list(db.session.scalars(
        sa.select(Invitation).where(Invitation.workspace_id == access.workspace.id,
                                    Invitation.accepted_at.is_(None))
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    ))


def revoke_invitation(access: WorkspaceAccess, invitation_id: str) -> None:
    """Raises Forbidden (not admin), NotFound."""
    access.require_admin()
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.workspace_id != access.workspace.id or invitation.accepted_at:
        raise NotFound("Invitation not found")
    db.session.delete(invitation)
    db.session.flush()


def invitation_by_token(token: str) -> Invitation:
    """Raises NotFound for an unknown token."""
    invitation = db.session.scalar(sa.select(Invitation).where(Invitation.token_hash == _hash(token)))
    if invitation is None:
        raise NotFound("Invitation not found")
    return invitation


def accept_invitation(user: User, token: str) -> Workspace:
    """Join the invitation's workspace (and its organization, as a member).

    Raises NotFound (unknown token), Forbidden (signed in with another e-mail),
    Conflict (already used, or expired).
    """
    invitation = invitation_by_token(token)
    if invitation.email != user.email:
        raise Forbidden("This invitation was sent to another e-mail address")
    if invitation.accepted_at is not None:
        raise Conflict("This invitation has already been used")
    if invitation.expires_at <= utcnow():
        raise Conflict("This invitation has expired")
    workspace = invitation.workspace
    if db.session.scalar(sa.select(OrgMember.id).where(
            OrgMember.organization_id == workspace.organization_id, OrgMember.user_id == user.id)) is None:
        db.session.add(OrgMember(organization_id=workspace.organization_id, user_id=user.id, role="member"))
    if db.session.scalar(sa.select(WorkspaceMember.id).where(
            WorkspaceMember.workspace_id == workspace.id, WorkspaceMember.user_id == user.id)) is None:
        db.session.add(WorkspaceMember(workspace_id=workspace.id, user_id=user.id,
                                       role=invitation.role, pilotage_role="viewer"))
    invitation.accepted_at = utcnow()
    invitation.accepted_by_id = user.id
    db.session.flush()
    return workspace


def invitation_expired(invitation: Invitation, now: datetime | None = None) -> bool:
    return invitation.expires_at <= (now or utcnow())


def _member(workspace_id: str, user_id: str) -> WorkspaceMember:
    member = db.session.scalar(sa.select(WorkspaceMember).where(
        WorkspaceMember.workspace_id == workspace_id, WorkspaceMember.user_id == user_id))
    if member is None:
        raise NotFound("Member not found")
    return member


def _ensure_another_admin(workspace_id: str, leaving_user_id: str) -> None:
    others = db.session.scalar(sa.select(sa.func.count()).select_from(WorkspaceMember).where(
        WorkspaceMember.workspace_id == workspace_id, WorkspaceMember.role == "admin",
        WorkspaceMember.user_id != leaving_user_id))
    if not others:
        raise Conflict("A workspace needs at least one admin")


def _ensure_free_slug(org_id: str, slug: str) -> None:
    if db.session.scalar(sa.select(Workspace.id).where(
            Workspace.organization_id == org_id, Workspace.slug == slug)):
        raise Conflict("Workspace slug already taken in this organization")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
