"""The activity log: every change of the reference's activity types, recorded once, by the
service that makes the change, through `record` (or `record_many` for a set-based change).

Types and their `meta` (every card activity also carries `cardKey` and `cardTitle`):

- `card_created`: `column` (name).
- `card_updated`: `fields`, the wire names of what changed (`title`, `description`,
  `priority`, `startDate`, `dueDate`, `checklist`, `labels`, `customFields`, `attachments`,
  `relations`, `archived` when a card is unarchived).
- `card_moved`: `fromColumn`, `toColumn` (names); only when the card changes column (a
  reorder inside a column is not a move).
- `card_archived`: nothing more.
- `card_deleted`: nothing more (the activity keeps the id of the deleted card).
- `card_assigned`: `fromAssigneeId`, `toAssigneeId` (either may be null).
- `comment_added`: `commentId`, `excerpt` (the first 140 characters).
- `member_added` / `member_removed`: `userId`, `name`, `role` (and `unassignedCards` on
  removal: the cards of the project that person was assigned).

Each activity is fanned out to notifications (see `notifications.fan_out`): one statement
for the activity rows, one for the recipients, one for the notification rows.
"""
from collections.abc import Iterable

import sqlalchemy as sa

from app.extensions import db
from app.ids import new_id
from app.models.board import Card
from app.models.card_depth import ACTIVITY_TYPES, Activity
from app.models.identity import User
from app.services import notifications
from app.timeutil import utcnow

EXCERPT_CHARS = 140


def card_meta(card: Card, **meta) -> dict:
    """`meta` with the card's key and title, as every card activity carries them."""
    return {"cardKey": f"{card.project.key}-{card.number}", "cardTitle": card.title, **meta}


def record(actor: User | None, type_: str, project_id: str, *, card: Card | None = None,
           meta: dict | None = None, concerned: dict[str, str] | None = None) -> str:
    """Record one activity of `type_` in the project and notify the people concerned;
    return its id.

    `card` adds the card's id and the key/title meta and makes its assignee concerned;
    `concerned` maps more user ids to the reason they are told (e.g. `mention`).
    """
    entry = (card.id if card is not None else None,
             card_meta(card, **(meta or {})) if card is not None else dict(meta or {}),
             card.assignee_id if card is not None else None)
    return record_many(actor, type_, project_id, [entry], concerned)[0]


def record_many(actor: User | None, type_: str, project_id: str,
                entries: Iterable[tuple[str | None, dict, str | None]],
                concerned: dict[str, str] | None = None) -> list[str]:
    """Record one activity per `(card id, meta, assignee id)` entry, in a constant number of
    statements; return their ids. Raises ValueError for a type the reference does not list
    (a programming error, never user input)."""
    if type_ not in ACTIVITY_TYPES:
        raise ValueError(f"unknown activity type {type_!r}")
    now = utcnow()
    rows = [{"id": new_id(), "project_id": project_id, "card_id": card_id,
             "actor_id": actor.id if actor is not None else None, "type": type_, "meta": meta,
             "created_at": now} for card_id, meta, _ in entries]
    if not rows:
        return []
    db.session.execute(sa.insert(Activity), rows)
    assignees = [assignee for _, _, assignee in entries]
    notifications.fan_out(project_id, actor.id if actor is not None else None,
                          [(row["id"], assignee) for row, assignee in zip(rows, assignees)],
                          concerned or {})
    return [row["id"] for row in rows]


def excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS - 1] + "…"


def list_card_activity(card: Card, limit: int = 100) -> list[tuple[Activity, str | None]]:
    """The card's latest activities, newest first, with the actor's name (the caller has
    checked access to the card, e.g. with `cards.get_card`)."""
    return [(a, name) for a, name in db.session.execute(
        sa.select(Activity, User.name).outerjoin(User, User.id == Activity.actor_id)
        .where(Activity.card_id == card.id, Activity.project_id == card.project_id)
        .order_by(Activity.created_at.desc(), Activity.id.desc()).limit(limit))]
