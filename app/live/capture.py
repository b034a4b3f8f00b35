"""What changed on the boards, seen from the database session, published after the commit.

One central hook instead of a call in every service: SQLAlchemy session events note each
card, column and project row a flush adds, changes or deletes (and rows that hang off a card:
checklist items, comments, attachments, labels, ... anything with a `card_id`), and the commit
publishes one event per thing changed. A rollback publishes nothing: the notes of a rolled
back transaction, or of a rolled back savepoint, are dropped.

Events, one per card/column of a committed transaction (several changes of one card in a
transaction make one event; creating and deleting it in the same one makes none):

    {"type": "card.created" | "card.updated" | "card.moved" | "card.archived"
             | "card.unarchived" | "card.deleted",
     "projectId", "cardId", "columnIds": [columns the card left or entered], "version"}
    {"type": "column.created" | "column.updated" | "column.moved" | "column.deleted",
     "projectId", "columnId"}
    {"type": "board.changed", "projectId"}   (more than MAX_CARD_EVENTS cards at once)
    {"type": "project.deleted", "projectId"}
    {"type": "notifications.changed", "userId"}   (on that person's channel: notifications
             were created for them or marked read; noted by the notifications service,
             whose bulk statements a flush does not see, through `note_notified`)

each with `actorId` (the signed-in user or API token owner of the request; None for work
without a request) and `origin` (the `X-Live-Origin` header the page's scripts send, so a
tab can skip the echo of its own changes). Events carry ids only, never content: a page
fetches what changed with its own permissions.

A card that moves (to or from a done column, say) or is archived or unarchived can block or
unblock the cards it `blocks`: just before the commit, those cards are noted as updated too,
so their tiles' Blocked marker follows (`_note_blocked_cards`).

Bulk statements are invisible to a flush: the only one that changes what a board shows
without an ORM change beside it is the DELETE of a column (`columns.delete_column`), so bulk
DELETEs of columns and cards are looked at before they run (`do_orm_execute`).
"""
import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app, g, has_app_context, has_request_context, request
from sqlalchemy.orm import ORMExecuteState, Session, attributes

from app.models.board import Card, Column, Project
from app.models.card_depth import CardRelation

PENDING = "live_pending"
CARD_LINKS = ("card_id", "source_card_id", "target_card_id")
MAX_CARD_EVENTS = 50
ORIGIN_HEADER = "X-Live-Origin"
ORIGIN_RE = re.compile(r"^[0-9a-f]{16,64}$")


@dataclass
class Touch:
    """One row changed by one flush: `kind` card | column | project, or `user` (someone's
    notifications changed)."""

    kind: str
    id: str
    project_id: str | None
    created: bool = False
    deleted: bool = False
    moved: bool = False
    archived: bool | None = None  # the new value, when it changed
    column_ids: tuple[str, ...] = ()
    version: int | None = None


def install(session_factory) -> None:
    """Listen to the sessions `session_factory` (Flask-SQLAlchemy's `db.session`) makes."""
    if sa.event.contains(session_factory, "after_flush", _after_flush):
        return
    sa.event.listen(session_factory, "after_flush", _after_flush)
    sa.event.listen(session_factory, "do_orm_execute", _before_bulk_delete)
    sa.event.listen(session_factory, "before_commit", _note_blocked_cards)
    sa.event.listen(session_factory, "after_commit", _after_commit)
    sa.event.listen(session_factory, "after_soft_rollback", _after_soft_rollback)
    sa.event.listen(session_factory, "after_transaction_end", _after_transaction_end)


# Listeners -------------------------------------------------------------------------------

def _after_flush(session: Session, _context) -> None:
    touches = []
    for obj in session.new:
        touches.extend(_touches(session, obj, created=True))
    for obj in session.deleted:
        touches.extend(_touches(session, obj, deleted=True))
    for obj in session.dirty:
        if session.is_modified(obj, include_collections=False):
            touches.extend(_touches(session, obj))
    _note(session, touches)


def _before_bulk_delete(state: ORMExecuteState) -> None:
    """A bulk DELETE of columns or cards: note the rows it is about to remove."""
    if not state.is_delete or state.bind_mapper is None:
        return
    model = state.bind_mapper.class_
    where = state.statement.whereclause
    if model not in (Card, Column) or where is None:
        return
    rows = state.session.execute(sa.select(model).where(where)).scalars().all()
    _note(state.session, [t for row in rows for t in _touches(state.session, row, deleted=True)])


def _note_blocked_cards(session: Session) -> None:
    """Note the cards blocked by a card this transaction moved, archived or unarchived."""
    notes = session.info.get(PENDING)
    blockers = {t.id for _, t in notes or () if t.kind == "card" and (t.moved or t.archived is not None)}
    if not blockers:
        return
    rows = session.execute(
        sa.select(Card.id, Card.project_id, Card.column_id, Card.version)
        .join(CardRelation, CardRelation.target_card_id == Card.id)
        .where(CardRelation.source_card_id.in_(blockers), CardRelation.type == "blocks")).all()
    _note(session, [Touch("card", card_id, project_id, column_ids=(column_id,), version=version)
                    for card_id, project_id, column_id, version in rows])


def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint was released; the transaction goes on
    notes = session.info.pop(PENDING, None)
    if not notes or not has_app_context():
        return
    from app.live import publish

    actor, origin = _request_identity()
    try:
        for event in events_from([touch for _, touch in notes]):
            event.update(actorId=actor, origin=origin)
            publish(event)
    except Exception:  # the change is saved: a lost live update must not turn it into an error
        current_app.logger.exception("Live update not published after a commit")


def _after_soft_rollback(session: Session, previous_transaction) -> None:
    notes = session.info.get(PENDING)
    if notes:
        session.info[PENDING] = [(chain, t) for chain, t in notes if previous_transaction not in chain]


def _after_transaction_end(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(PENDING, None)  # closed without a commit: nothing to tell


def note_notified(session: Session, user_ids) -> None:
    """The notifications of `user_ids` changed in this transaction: each of them hears of it
    on their own channel once it has committed (nothing on a rollback)."""
    _note(session, [Touch("user", user_id, None) for user_id in dict.fromkeys(user_ids)])


# Helpers ---------------------------------------------------------------------------------

def _note(session: Session, touches: list[Touch]) -> None:
    """Keep `touches` with the transactions they happened in (innermost savepoint first), so
    rolling back a savepoint drops exactly its own."""
    if not touches:
        return
    chain = []
    transaction = session.get_nested_transaction() or session.get_transaction()
    while transaction is not None:
        chain.append(transaction)
        transaction = transaction.parent
    session.info.setdefault(PENDING, []).extend((tuple(chain), t) for t in touches)


def _touches(session: Session, obj, created: bool = False, deleted: bool = False) -> list[Touch]:
    """What one added, changed or deleted row means for the boards. Reads only loaded values
    (a flush must not load more)."""
    loaded = sa.inspect(obj).dict
    if isinstance(obj, Card):
        touch = Touch("card", obj.id, loaded.get("project_id"), created=created, deleted=deleted,
                      column_ids=(loaded.get("column_id"),), version=loaded.get("version"))
        if not created and not deleted:
            column = attributes.get_history(obj, "column_id", attributes.PASSIVE_NO_INITIALIZE)
            touch.column_ids = (*column.deleted, *column.unchanged, *column.added) or touch.column_ids
            order = attributes.get_history(obj, "order", attributes.PASSIVE_NO_INITIALIZE)
            touch.moved = column.has_changes() or order.has_changes()
            if attributes.get_history(obj, "archived", attributes.PASSIVE_NO_INITIALIZE).has_changes():
                touch.archived = loaded.get("archived")
        return [touch] if touch.project_id else []
    if isinstance(obj, Column):
        order = attributes.get_history(obj, "order", attributes.PASSIVE_NO_INITIALIZE)
        moved = not created and not deleted and order.has_changes()
        return [Touch("column", obj.id, loaded.get("project_id"), created=created, deleted=deleted,
                      moved=moved)]
    if isinstance(obj, Project):
        return [Touch("project", obj.id, obj.id, deleted=True)] if deleted else []
    parts = (_card_part(session, card_id) for card_id in _linked_cards(loaded))
    return [part for part in parts if part is not None]


def _linked_cards(loaded: dict) -> list[str]:
    """Ids of the cards a row hangs off (a comment's card; both cards of a relation)."""
    return [loaded[name] for name in CARD_LINKS if isinstance(loaded.get(name), str)]


def _card_part(session: Session, card_id: str) -> Touch | None:
    """A change to something a card shows; the card must be in the session (the service that
    changed the part loaded it to check access) for its project to be known."""
    card = session.identity_map.get(session.identity_key(Card, card_id))
    loaded = sa.inspect(card).dict if card is not None else {}
    if "project_id" not in loaded:
        return None
    return Touch("card", card_id, loaded["project_id"], column_ids=(loaded.get("column_id"),),
                 version=loaded.get("version"))


def events_from(touches: list[Touch]) -> list[dict]:
    """One event per card, column or project, in the order they were first touched."""
    merged: dict[tuple[str, str], list[Touch]] = {}
    for touch in touches:
        merged.setdefault((touch.kind, touch.id), []).append(touch)
    deleted_projects = {key[1] for key, group in merged.items() if key[0] == "project"}
    events, card_counts = [], {}
    for (kind, _), group in merged.items():
        event = _event(kind, group)
        if event is None:
            continue
        if event.get("projectId") in deleted_projects and kind != "project":
            continue
        if kind == "card":
            card_counts[event["projectId"]] = card_counts.get(event["projectId"], 0) + 1
        events.append(event)
    crowded = {project for project, count in card_counts.items() if count > MAX_CARD_EVENTS}
    if crowded:
        events = [e for e in events if not (e.get("projectId") in crowded and "cardId" in e)]
        events += [{"type": "board.changed", "projectId": project} for project in crowded]
    return events


def _event(kind: str, group: list[Touch]) -> dict | None:
    first, last = group[0], group[-1]
    created = any(t.created for t in group)
    deleted = any(t.deleted for t in group)
    if created and deleted:
        return None
    if kind == "project":
        return {"type": "project.deleted", "projectId": first.project_id}
    if kind == "user":
        return {"type": "notifications.changed", "userId": first.id}
    if kind == "column":
        action = ("deleted" if deleted else "created" if created
                  else "moved" if any(t.moved for t in group) else "updated")
        return {"type": f"column.{action}", "projectId": first.project_id, "columnId": first.id}
    toggles = [t.archived for t in group if t.archived is not None]
    if deleted:
        action = "deleted"
    elif created:
        action = "created"
    elif len(toggles) % 2:
        action = "archived" if toggles[-1] else "unarchived"
    elif any(t.moved for t in group):
        action = "moved"
    else:
        action = "updated"
    column_ids = list(dict.fromkeys(c for t in group for c in t.column_ids if c))
    version = next((t.version for t in reversed(group) if t.version is not None), None)
    return {"type": f"card.{action}", "projectId": last.project_id, "cardId": first.id,
            "columnIds": column_ids, "version": version}


def _request_identity() -> tuple[str | None, str | None]:
    """The acting user's id and the page's origin tag, when the work runs in a request.
    Reads what the request already loaded: no SQL may run after a commit."""
    if not has_request_context():
        return None, None
    user = g.get("user") or g.get("_login_user")
    state = sa.inspect(user, raiseerr=False) if user is not None else None
    actor = state.identity[0] if state is not None and state.identity else None
    origin = request.headers.get(ORIGIN_HEADER, "")
    return actor, origin if ORIGIN_RE.match(origin) else None

