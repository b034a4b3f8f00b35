"""Projects, their members, columns, cards and checklist items."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import Timestamps, fk, id_column
from app.models.identity import User, Workspace
from app.timeutil import UTCDateTime

COLUMN_CATEGORIES = ("todo", "in_progress", "done")
PRIORITIES = ("low", "medium", "high")
PROJECT_ROLES = ("admin", "member")
SCOPE_VIEWS = ("kanban", "list", "calendar", "roadmap", "stats")


class Project(Timestamps, db.Model):
    __tablename__ = "projects"

    id: Mapped[str] = id_column()
    workspace_id: Mapped[str] = fk("workspaces.id")
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    description: Mapped[str | None] = mapped_column(sa.Text, nullable=True)
    # Card keys read `<key>-<number>`; the counter only grows, so keys are never reused.
    key: Mapped[str] = mapped_column(sa.String(10), nullable=False)
    next_card_number: Mapped[int] = mapped_column(sa.Integer, default=1, nullable=False)
    created_by_id: Mapped[str | None] = fk("users.id", nullable=True, ondelete="SET NULL")

    workspace: Mapped[Workspace] = relationship()


class ProjectMember(Timestamps, db.Model):
    __tablename__ = "project_members"
    __table_args__ = (sa.UniqueConstraint("project_id", "user_id", name="uq_project_members_project_user"),)

    id: Mapped[str] = id_column()
    project_id: Mapped[str] = fk("projects.id")
    user_id: Mapped[str] = fk("users.id")
    role: Mapped[str] = mapped_column(sa.String(16), default="member", nullable=False)

    user: Mapped[User] = relationship()


class Scope(Timestamps, db.Model):
    """A sub-board of a project: its own columns (and so its own cards), dates, and the view
    its people last chose."""

    __tablename__ = "scopes"

    id: Mapped[str] = id_column()
    project_id: Mapped[str] = fk("projects.id")
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    description: Mapped[str | None] = mapped_column(sa.Text, nullable=True)
    start_date: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    end_date: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    active_view: Mapped[str] = mapped_column(sa.String(16), default="kanban", nullable=False)
    created_by_id: Mapped[str | None] = fk("users.id", nullable=True, ondelete="SET NULL")


class Column(Timestamps, db.Model):
    """A column of the project's board (`scope_id` None) or of one of its scopes. Orders are
    dense within one board; a card belongs to the scope of its column."""

    __tablename__ = "board_columns"
    __table_args__ = (sa.Index("ix_board_columns_project_order", "project_id", "order"),)

    id: Mapped[str] = id_column()
    project_id: Mapped[str] = fk("projects.id", index=False)
    scope_id: Mapped[str | None] = fk("scopes.id", nullable=True)
    name: Mapped[str] = mapped_column(sa.String(100), nullable=False)
    order: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    category: Mapped[str] = mapped_column(sa.String(16), default="todo", nullable=False)
    wip_limit: Mapped[int | None] = mapped_column(sa.Integer, nullable=True)


class Card(Timestamps, db.Model):
    __tablename__ = "cards"
    __table_args__ = (
        sa.Index("ix_cards_column_order", "column_id", "order"),
        sa.Index("ix_cards_project_archived", "project_id", "archived"),
        sa.UniqueConstraint("project_id", "number", name="uq_cards_project_number"),
    )

    id: Mapped[str] = id_column()
    project_id: Mapped[str] = fk("projects.id", index=False)
    column_id: Mapped[str] = fk("board_columns.id", index=False)
    number: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    title: Mapped[str] = mapped_column(sa.String(500), nullable=False)
    description: Mapped[str | None] = mapped_column(sa.Text, nullable=True)
    priority: Mapped[str | None] = mapped_column(sa.String(8), nullable=True)
    start_date: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    due_date: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    assignee_id: Mapped[str | None] = fk("users.id", nullable=True, ondelete="SET NULL")
    order: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    archived: Mapped[bool] = mapped_column(sa.Boolean, default=False, nullable=False)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Bumped on every change, so an edit made on a stale view can be refused.
    version: Mapped[int] = mapped_column(sa.Integer, default=1, nullable=False)
    created_by_id: Mapped[str | None] = fk("users.id", nullable=True, ondelete="SET NULL")

    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    project: Mapped[Project] = relationship()
    column: Mapped[Column] = relationship()
    # The database cascades deletes; `passive_deletes` keeps the ORM from loading items first.
    checklist_items: Mapped[list["ChecklistItem"]] = relationship(
        order_by="ChecklistItem.order", passive_deletes=True)


class ChecklistItem(db.Model):
    __tablename__ = "checklist_items"
    __table_args__ = (sa.Index("ix_checklist_items_card_order", "card_id", "order"),)

    id: Mapped[str] = id_column()
    card_id: Mapped[str] = fk("cards.id", index=False)
    title: Mapped[str] = mapped_column(sa.String(500), nullable=False)
    done: Mapped[bool] = mapped_column(sa.Boolean, default=False, nullable=False)
    order: Mapped[int] = mapped_column(sa.Integer, nullable=False)
