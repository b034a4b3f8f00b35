"""Notifications: what each person is told of the activity in their projects.

Who is told of an activity: the members of the project, the card's assignee and anyone the
recording service names as concerned (people `@mentioned` in a comment, who may be
workspace admins outside the project's members), never the actor. Each notification keeps
the strongest `reason`: `mention`, then `assignee`, then `member`.

A person only ever sees and marks their own notifications; another person's id is NotFound.

Whoever gets a notification, or marks some read, hears of it live once the transaction has
committed (an event on their own channel, see app/live: the bell of their open pages).
"""
from dataclasses import dataclass

import sqlalchemy as sa

from app.errors import Invalid, NotFound
from app.extensions import db
from app.ids import is_id, new_id
from app.live import capture
from app.models.board import ProjectMember
from app.models.card_depth import Activity, Notification
from app.models.identity import User
from app.timeutil import utcnow

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000
REASON_RANK = {"member": 0, "assignee": 1, "mention": 2}


@dataclass(frozen=True)
class NotificationView:
    notification: Notification
    activity: Activity
    actor_name: str | None


def fan_out(project_id: str, actor_id: str | None, activities: list[tuple[str, str | None]],
            concerned: dict[str, str]) -> None:
    """Create the notifications of freshly recorded activities `(activity id, assignee id)`:
    two statements whatever their number."""
    members = list(db.session.scalars(
        sa.select(ProjectMember.user_id).where(ProjectMember.project_id == project_id)))
    now = utcnow()
    rows = []
    for activity_id, assignee_id in activities:
        reasons = dict.fromkeys(members, "member")
        for user_id, reason in ((assignee_id, "assignee"), *concerned.items()):
            if user_id and REASON_RANK[reason] >= REASON_RANK.get(reasons.get(user_id), -1):
                reasons[user_id] = reason
        reasons.pop(actor_id, None)
        rows.extend({"id": new_id(), "user_id": user_id, "activity_id": activity_id, "reason": reason,
                     "read_at": None, "created_at": now} for user_id, reason in reasons.items())
    if rows:
        db.session.execute(sa.insert(Notification), rows)
        capture.note_notified(db.session(), (row["user_id"] for row in rows))


def list_notifications(user: User, limit: object = None, unread_only: object = None,
                       offset: object = None) -> list[NotificationView]:
    """The caller's notifications, latest first: at most `limit` (1–1000, 50 by default)
    after skipping `offset`; only unread ones when `unread_only` is "true" or "1".

    Raises Invalid for a `limit`, `offset` or `unreadOnly` that is not one of those.
    """
    limit = _whole("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT)
    offset = _whole("offset", offset, 0, 0, None)
    query = (sa.select(Notification, Activity, User.name)
             .join(Activity, Activity.id == Notification.activity_id)
             .outerjoin(User, User.id == Activity.actor_id)
             .where(Notification.user_id == user.id))
    if _flag("unreadOnly", unread_only):
        query = query.where(Notification.read_at.is_(None))
    rows = db.session.execute(query.order_by(Activity.created_at.desc(), Notification.id.desc())
                              .limit(limit).offset(offset)).all()
    return [NotificationView(n, a, name) for n, a, name in rows]


def unread_count(user: User) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)))


def mark_read(user: User, notification_id: str) -> NotificationView:
    """Mark one of the caller's notifications read (a read one keeps its first `readAt`).

    Raises NotFound when it is absent or someone else's.
    """
    row = db.session.execute(
        sa.select(Notification, Activity, User.name)
        .join(Activity, Activity.id == Notification.activity_id)
        .outerjoin(User, User.id == Activity.actor_id)
        .where(Notification.id == notification_id, Notification.user_id == user.id)
    ).first() if is_id(notification_id) else None
    if row is None:
        raise NotFound("Notification not found")
    notification, activity, actor_name = row
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.flush()
        capture.note_notified(db.session(), [user.id])
    return NotificationView(notification, activity, actor_name)


def mark_all_read(user: User) -> int:
    """Mark every unread notification of the caller read; return how many were marked."""
    marked = db.session.execute(
        sa.update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    if marked:
        capture.note_notified(db.session(), [user.id])
    return marked


def _whole(field: str, value: object, default: int, low: int, high: int | None) -> int:
    if value is None:
        return default
    text = value.strip() if isinstance(value, str) else value
    if isinstance(text, str) and text.isascii() and text.isdigit() and len(text) <= 9:
        text = int(text)
    if not isinstance(text, int) or isinstance(text, bool) or text < low or (high is not None and text > high):
        bound = f"from {low} to {high}" if high is not None else f"≥ {low}"
        raise Invalid(field, f"{field} must be a whole number {bound}")
    return text


def _flag(field: str, value: object) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if value in ("true", "1"):
        return True
    if value in ("false", "0", ""):
        return False
    raise Invalid(field, f"{field} must be \"true\", \"1\", \"false\" or \"0\"")
