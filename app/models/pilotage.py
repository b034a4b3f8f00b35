"""The cockpit ("pilotage") of a workspace: its current cycle, missions, ranked priorities,
todos, decisions, active documents and the actions proposed for human review."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import Timestamps, fk, id_column
from app.timeutil import UTCDateTime

MISSION_STATUSES = ("to_launch", "in_progress", "blocked", "done")
TODO_STATUSES = ("todo", "in_progress", "blocked", "done")
DOC_SOURCE_TYPES = ("product", "tech", "sprint", "ops")
ACTION_STATUSES = ("suggested", "approved", "rejected", "applied")
MAX_ACTIVE_PRIORITIES = 4


class PilotageCycle(db.Model):
    """The workspace's current cycle. Absent until an owner first renames or advances it."""

    __tablename__ = "pilotage_cycles"

    id: Mapped[str] = id_column()
    workspace_id: Mapped[str] = fk("workspaces.id", index=False)
    label: Mapped[str] = mapped_column(sa.String(50), nullable=False)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)

    __table_args__ = (sa.UniqueConstraint("workspace_id", name="uq_pilotage_cycles_workspace"),)


class Mission(Timestamps, db.Model):
    __tablename__ = "pilotage_missions"

    id: Mapped[str] = id_column()
    workspace_id: Mapped[str] = fk("workspaces.id")
    objective: Mapped[str] = mapped_column(sa.String(500), nullable=False)
    module: Mapped[str | None] = mapped_column(sa.String(100), nullable=True)
    status: Mapped[str] = mapped_column(sa.String(16), default="to_launch", nullable=False)
    blocked_reason: Mapped[str | None] = mapped_column(sa.String(200), nullable=True)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_by_id: Mapped[str | None] = fk("users.id", nullable=True, ondelete="SET NULL")


class Priority(Timestamps, db.Model):
    """Active priorities are ranked 1..n (n ≤ 4, dense); inactive ones have no rank."""

    __tablename__ = "pilotage_priorities"

    id: Mapped[str] = id_column()
    workspace_id: Mapped[str] = fk("workspaces.id")
    label: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    module: Mapped[str | None] = mapped_column(sa.String(100), nullable=True)
    active: Mapped[bool] = mapped_column(sa.Boolean, default=True, nullable=False)
    rank: Mapped[int | None] = mapped_column(sa.Integer, nullable=True)
    created_by_id: Mapped[str | None] = fk("users.id", nullable=True, ondelete="SET NULL")


class Todo(Timestamps, db.Model):
    __tablename__ = "pilotage_todos"

    id: Mapped[str] = id_column()
    workspace_id: Mapped[str] = fk("workspaces.id")
    label: Mapped[str] = mapped_column(sa.String(500), nullable=False)
    mission_id: Mapped[str | None] = fk("pilotage_missions.id", nullable=True, ondelete="SET NULL")
    priority_id: Mapped[str | None] = fk("pilotage_priorities.id", nullable=True, ondelete="SET NULL")
    status: Mapped[str] = mapped_column(sa.String(16), default="todo", nullable=False)
    assignee_id: Mapped[str | None] = fk("users.id", nullable=True, ondelete="SET NULL")
    card_id: Mapped[str | None] = fk("cards.id", nullable=True, ondelete="SET NULL")
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_by_id: Mapped[str | None] = fk("users.id", nullable=True, ondelete="SET NULL")


class Decision(Timestamps, db.Model):
    __tablename__ = "pilotage_decisions"

    id: Mapped[str] = id_column()
    workspace_id: Mapped[str] = fk("workspaces.id")
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    impact: Mapped[str | None] = mapped_column(sa.Text, nullable=True)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    created_by_id: Mapped[str | None] = fk("users.id", nullable=True, ondelete="SET NULL")


class DecisionMission(db.Model):
    __tablename__ = "pilotage_decision_missions"

    decision_id: Mapped[str] = mapped_column(
        sa.String(24), sa.ForeignKey("pilotage_decisions.id", ondelete="CASCADE"), primary_key=True)
    mission_id: Mapped[str] = mapped_column(
        sa.String(24), sa.ForeignKey("pilotage_missions.id", ondelete="CASCADE"), primary_key=True,
        index=True)


class DecisionDocument(db.Model):
    """A knowledge-base document a decision refers to (same workspace)."""

    __tablename__ = "pilotage_decision_documents"

    decision_id: Mapped[str] = mapped_column(
        sa.String(24), sa.ForeignKey("pilotage_decisions.id", ondelete="CASCADE"), primary_key=True)
    document_id: Mapped[str] = mapped_column(
        sa.String(24), sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True, index=True)


class ActiveDoc(Timestamps, db.Model):
    __tablename__ = "pilotage_docs"

    id: Mapped[str] = id_column()
    workspace_id: Mapped[str] = fk("workspaces.id")
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    owner: Mapped[str | None] = mapped_column(sa.String(100), nullable=True)
    source_type: Mapped[str | None] = mapped_column(sa.String(16), nullable=True)
    # The knowledge-base document this active doc stands for, if any (same workspace).
    document_id: Mapped[str | None] = fk("documents.id", nullable=True, ondelete="SET NULL")
    created_by_id: Mapped[str | None] = fk("users.id", nullable=True, ondelete="SET NULL")


class ProposedAction(Timestamps, db.Model):
    """An action proposed for review: `suggested` → `approved` | `rejected` → `applied`.

    A failed apply leaves the action `approved` and records why in `last_error`.
    """

    __tablename__ = "pilotage_actions"
    __table_args__ = (sa.Index("ix_pilotage_actions_workspace_status", "workspace_id", "status"),)

    id: Mapped[str] = id_column()
    workspace_id: Mapped[str] = fk("workspaces.id", index=False)
    action_type: Mapped[str] = mapped_column(sa.String(100), nullable=False)
    explanation: Mapped[str] = mapped_column(sa.String(500), nullable=False)
    payload: Mapped[dict] = mapped_column(sa.JSON, nullable=False)
    status: Mapped[str] = mapped_column(sa.String(16), default="suggested", nullable=False)
    proposed_by_id: Mapped[str | None] = fk("users.id", nullable=True, ondelete="SET NULL")
    reviewed_by_id: Mapped[str | None] = fk("users.id", nullable=True, ondelete="SET NULL")
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    review_reason: Mapped[str | None] = mapped_column(sa.String(200), nullable=True)
    applied_by_id: Mapped[str | None] = fk("users.id", nullable=True, ondelete="SET NULL")
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    result: Mapped[dict | None] = mapped_column(sa.JSON, nullable=True)
    last_error: Mapped[str | None] = mapped_column(sa.String(500), nullable=True)
