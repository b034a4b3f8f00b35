"""What a card holds beyond its own fields: comments, attachments, labels, custom fields and
their values, relations to other cards; and the activity log with the notifications it
fans out to people."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import Timestamps, fk, id_column
from app.models.identity import User
from app.timeutil import UTCDateTime, utcnow

FIELD_TYPES = ("text", "number", "select", "multi-select", "date", "boolean")
# Stored relation types; `blocked_by` and `child_of` are how the other card sees them.
RELATION_TYPES = ("blocks", "related_to", "duplicates", "parent_of")
ACTIVITY_TYPES = ("card_created", "card_updated", "card_moved", "card_archived", "card_deleted",
                  "card_assigned", "comment_added", "member_added", "member_removed")


class Comment(Timestamps, db.Model):
    __tablename__ = "card_comments"
    __table_args__ = (sa.Index("ix_card_comments_card_created", "card_id", "created_at"),)

    id: Mapped[str] = id_column()
    card_id: Mapped[str] = fk("cards.id", index=False)
    author_id: Mapped[str | None] = fk("users.id", nullable=True, ondelete="SET NULL")
    content: Mapped[str] = mapped_column(sa.Text, nullable=False)

    author: Mapped[User | None] = relationship()


class Attachment(db.Model):
    __tablename__ = "card_attachments"

    id: Mapped[str] = id_column()
    card_id: Mapped[str] = fk("cards.id")
    uploaded_by_id: Mapped[str | None] = fk("users.id", nullable=True, ondelete="SET NULL")
    original_name: Mapped[str] = mapped_column(sa.String(255), nullable=False)
    mime_type: Mapped[str] = mapped_column(sa.String(255), nullable=False)
    size: Mapped[int] = mapped_column(sa.BigInteger, nullable=False)
    # The file's name under UPLOAD_DIR: generated, never the client's.
    storage_name: Mapped[str] = mapped_column(sa.String(64), unique=True, nullable=False)
    # png | jpeg | gif | webp when the bytes really are such an image (a preview is offered).
    image_type: Mapped[str | None] = mapped_column(sa.String(8), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


class Label(Timestamps, db.Model):
    __tablename__ = "labels"
    __table_args__ = (sa.UniqueConstraint("project_id", "name", name="uq_labels_project_name"),)

    id: Mapped[str] = id_column()
    project_id: Mapped[str] = fk("projects.id", index=False)
    name: Mapped[str] = mapped_column(sa.String(50), nullable=False)
    color: Mapped[str] = mapped_column(sa.String(7), nullable=False)


class CardLabel(db.Model):
    __tablename__ = "card_labels"

    card_id: Mapped[str] = mapped_column(sa.String(24), sa.ForeignKey("cards.id", ondelete="CASCADE"),
                                         primary_key=True)
    label_id: Mapped[str] = mapped_column(sa.String(24), sa.ForeignKey("labels.id", ondelete="CASCADE"),
                                          primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


class CustomField(Timestamps, db.Model):
    __tablename__ = "custom_fields"
    __table_args__ = (sa.UniqueConstraint("project_id", "name", name="uq_custom_fields_project_name"),)

    id: Mapped[str] = id_column()
    project_id: Mapped[str] = fk("projects.id", index=False)
    name: Mapped[str] = mapped_column(sa.String(100), nullable=False)
    type: Mapped[str] = mapped_column(sa.String(16), nullable=False)
    options: Mapped[list] = mapped_column(sa.JSON, nullable=False, default=list)


class CustomFieldValue(db.Model):
    __tablename__ = "custom_field_values"

    card_id: Mapped[str] = mapped_column(sa.String(24), sa.ForeignKey("cards.id", ondelete="CASCADE"),
                                         primary_key=True)
    field_id: Mapped[str] = mapped_column(sa.String(24), sa.ForeignKey("custom_fields.id", ondelete="CASCADE"),
                                          primary_key=True, index=True)
    value: Mapped[object] = mapped_column(sa.JSON, nullable=False)


class CardRelation(db.Model):
    """`source` <type> `target`, stored in the canonical direction (`blocks`, `parent_of`)."""

    __tablename__ = "card_relations"
    __table_args__ = (sa.UniqueConstraint("source_card_id", "target_card_id", "type",
                                          name="uq_card_relations_source_target_type"),)

    id: Mapped[str] = id_column()
    source_card_id: Mapped[str] = fk("cards.id", index=False)
    target_card_id: Mapped[str] = fk("cards.id")
    type: Mapped[str] = mapped_column(sa.String(16), nullable=False)
    created_by_id: Mapped[str | None] = fk("users.id", nullable=True, ondelete="SET NULL")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


class Activity(db.Model):
    """One change, recorded once. `card_id` is kept as written (no foreign key): the log of
    a deleted card still names it. The project's deletion removes its log."""

    __tablename__ = "activities"
    __table_args__ = (sa.Index("ix_activities_project_created", "project_id", "created_at"),)

    id: Mapped[str] = id_column()
    project_id: Mapped[str] = fk("projects.id", index=False)
    card_id: Mapped[str | None] = mapped_column(sa.String(24), nullable=True, index=True)
    actor_id: Mapped[str | None] = fk("users.id", nullable=True, ondelete="SET NULL")
    type: Mapped[str] = mapped_column(sa.String(32), nullable=False)
    meta: Mapped[dict] = mapped_column(sa.JSON, nullable=False, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "activity_id", name="uq_notifications_user_activity"),
        sa.Index("ix_notifications_user_read", "user_id", "read_at"),
    )

    id: Mapped[str] = id_column()
    user_id: Mapped[str] = fk("users.id", index=False)
    activity_id: Mapped[str] = fk("activities.id")
    # Why this person is told: member | assignee | mention.
    reason: Mapped[str] = mapped_column(sa.String(16), nullable=False)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    activity: Mapped[Activity] = relationship()
