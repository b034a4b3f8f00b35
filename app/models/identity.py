"""Users, organizations, workspaces, memberships, invitations and personal access tokens."""
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import Timestamps, fk, id_column
from app.timeutil import UTCDateTime

ORG_ROLES = ("owner", "admin", "member")
WORKSPACE_ROLES = ("admin", "member")
PILOTAGE_ROLES = ("viewer", "reviewer", "owner")


class User(UserMixin, Timestamps, db.Model):
    __tablename__ = "users"

    id: Mapped[str] = id_column()
    email: Mapped[str] = mapped_column(sa.String(254), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(sa.String(100), nullable=False)
    password_hash: Mapped[str] = mapped_column(sa.String(255), nullable=False)
    # Bumped when the password changes: older JWTs and browser sessions stop working.
    auth_epoch: Mapped[int] = mapped_column(sa.Integer, default=0, nullable=False)

    def get_id(self) -> str:
        return f"{self.id}.{self.auth_epoch}"


class Organization(Timestamps, db.Model):
    __tablename__ = "organizations"

    id: Mapped[str] = id_column()
    name: Mapped[str] = mapped_column(sa.String(100), nullable=False)
    slug: Mapped[str] = mapped_column(sa.String(60), unique=True, nullable=False)
    owner_id: Mapped[str] = fk("users.id", ondelete="RESTRICT")
    is_personal: Mapped[bool] = mapped_column(sa.Boolean, default=False, nullable=False)

    owner: Mapped[User] = relationship(foreign_keys=[owner_id])


class OrgMember(Timestamps, db.Model):
    __tablename__ = "org_members"
    __table_args__ = (sa.UniqueConstraint("organization_id", "user_id", name="uq_org_members_org_user"),)

    id: Mapped[str] = id_column()
    organization_id: Mapped[str] = fk("organizations.id")
    user_id: Mapped[str] = fk("users.id")
    role: Mapped[str] = mapped_column(sa.String(16), nullable=False)

    user: Mapped[User] = relationship()
    organization: Mapped[Organization] = relationship()


class Workspace(Timestamps, db.Model):
    __tablename__ = "workspaces"
    __table_args__ = (sa.UniqueConstraint("organization_id", "slug", name="uq_workspaces_org_slug"),)

    id: Mapped[str] = id_column()
    organization_id: Mapped[str] = fk("organizations.id")
    name: Mapped[str] = mapped_column(sa.String(100), nullable=False)
    slug: Mapped[str] = mapped_column(sa.String(60), nullable=False)
    owner_id: Mapped[str] = fk("users.id", ondelete="RESTRICT")
    is_personal: Mapped[bool] = mapped_column(sa.Boolean, default=False, nullable=False)
    # Documents must be reviewed by someone other than their creator and their submitter.
    require_independent_review: Mapped[bool] = mapped_column(
        sa.Boolean, default=False, server_default=sa.false(), nullable=False)

    organization: Mapped[Organization] = relationship()


class WorkspaceMember(Timestamps, db.Model):
    __tablename__ = "workspace_members"
    __table_args__ = (
        sa.UniqueConstraint("workspace_id", "user_id", name="uq_workspace_members_ws_user"),
    )

    id: Mapped[str] = id_column()
    workspace_id: Mapped[str] = fk("workspaces.id")
    user_id: Mapped[str] = fk("users.id")
    role: Mapped[str] = mapped_column(sa.String(16), nullable=False)
    pilotage_role: Mapped[str] = mapped_column(sa.String(16), nullable=False)

    user: Mapped[User] = relationship()
    workspace: Mapped[Workspace] = relationship()


class Invitation(Timestamps, db.Model):
    __tablename__ = "invitations"

    id: Mapped[str] = id_column()
    workspace_id: Mapped[str] = fk("workspaces.id")
    email: Mapped[str] = mapped_column(sa.String(254), nullable=False, index=True)
    role: Mapped[str] = mapped_column(sa.String(16), nullable=False)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True, nullable=False)
    invited_by_id: Mapped[str | None] = fk("users.id", nullable=True, ondelete="SET NULL")
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    accepted_by_id: Mapped[str | None] = fk("users.id", nullable=True, ondelete="SET NULL")

    workspace: Mapped[Workspace] = relationship()
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])


class ApiToken(Timestamps, db.Model):
    __tablename__ = "api_tokens"

    id: Mapped[str] = id_column()
    user_id: Mapped[str] = fk("users.id")
    name: Mapped[str] = mapped_column(sa.String(100), nullable=False)
    prefix: Mapped[str] = mapped_column(sa.String(10), nullable=False)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True, nullable=False)
    scopes: Mapped[list] = mapped_column(sa.JSON, nullable=False)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    user: Mapped[User] = relationship()
