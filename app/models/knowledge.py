"""The knowledge base of a workspace: documents in a tree, their revisions and review history.

Search is kept by the database itself (migration 0005): on PostgreSQL a generated
`search_vector` tsvector column on `documents` and `cards` with a GIN index; on SQLite an FTS5
table fed by triggers. Those columns and tables are not mapped here: only `app.services.search`
reads them.
"""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import Timestamps, fk, id_column
from app.timeutil import UTCDateTime, utcnow

DOC_TYPES = ("document", "spec", "brief", "adr", "note", "reference", "template", "spreadsheet")
REVIEW_STATUSES = ("draft", "pending_review", "approved", "changes_requested")
# What a row of the review history records.
REVIEW_ACTIONS = ("submitted", "approved", "changes_requested", "reverted_to_draft")


class Document(Timestamps, db.Model):
    """A document. `content` is kept exactly as the client sent it (TipTap JSON, or the grid
    of a spreadsheet); `plain_text` is the text extracted from it, for search and snippets.
    `revision` is the number of the latest revision."""

    __tablename__ = "documents"

    id: Mapped[str] = id_column()
    workspace_id: Mapped[str] = fk("workspaces.id")
    # No cascade: a document with children is only deleted with them, by an explicit choice,
    # so a child added meanwhile makes the delete fail instead of vanishing with it.
    parent_id: Mapped[str | None] = fk("documents.id", nullable=True, ondelete=None)
    title: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    doc_type: Mapped[str] = mapped_column(sa.String(16), nullable=False)
    content: Mapped[dict] = mapped_column(sa.JSON, nullable=False)
    plain_text: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    status: Mapped[str] = mapped_column(sa.String(24), default="draft", nullable=False)
    project_id: Mapped[str | None] = fk("projects.id", nullable=True, ondelete="SET NULL")
    card_id: Mapped[str | None] = fk("cards.id", nullable=True, ondelete="SET NULL")
    revision: Mapped[int] = mapped_column(sa.Integer, default=1, nullable=False)
    created_by_id: Mapped[str | None] = fk("users.id", nullable=True, ondelete="SET NULL")
    updated_by_id: Mapped[str | None] = fk("users.id", nullable=True, ondelete="SET NULL")


class DocumentRevision(db.Model):
    """One saved state of a document (title, type, content), numbered 1, 2, … per document.
    `restored_from` is the number of the revision a restore copied."""

    __tablename__ = "document_revisions"
    __table_args__ = (sa.UniqueConstraint("document_id", "number", name="uq_document_revisions_document_number"),)

    id: Mapped[str] = id_column()
    document_id: Mapped[str] = fk("documents.id", index=False)
    number: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    title: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    doc_type: Mapped[str] = mapped_column(sa.String(16), nullable=False)
    content: Mapped[dict] = mapped_column(sa.JSON, nullable=False)
    author_id: Mapped[str | None] = fk("users.id", nullable=True, ondelete="SET NULL")
    restored_from: Mapped[int | None] = mapped_column(sa.Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


class DocumentReview(db.Model):
    """One step of a document's review history: who, when, what (`action`), on which revision."""

    __tablename__ = "document_reviews"
    __table_args__ = (sa.Index("ix_document_reviews_document_created", "document_id", "created_at"),)

    id: Mapped[str] = id_column()
    document_id: Mapped[str] = fk("documents.id", index=False)
    action: Mapped[str] = mapped_column(sa.String(24), nullable=False)
    notes: Mapped[str | None] = mapped_column(sa.Text, nullable=True)
    revision: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    actor_id: Mapped[str | None] = fk("users.id", nullable=True, ondelete="SET NULL")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
