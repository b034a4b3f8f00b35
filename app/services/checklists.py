"""Checklist items of a card: add, change (tick, rename, reorder), delete.

Items are ordered 0..n-1 inside their card; each change bumps the card's version, is
recorded as `card_updated` (field `checklist`), and its progress
(`cards.checklist_progress`) follows. Access is checked against the card's real
project, as for every card operation.
"""
import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from app.errors import Invalid, NotFound
from app.extensions import db
from app.models.board import Card, ChecklistItem
from app.models.identity import User
from app.services import activity, rules
from app.services.cards import MAX_CHECKLIST_ITEMS, card_access
from app.services.columns import order_value
from app.services.projects import lock_project

ITEM_FIELDS = ("title", "done", "order")


def add_item(user: User, card_id: str, title: object, done: object = False, *,
             expected_project_id: str | None = None) -> Card:
    """Append an item to the card's checklist; return the card.

    Raises NotFound (card out of reach), Invalid (title 1–500, done a boolean, the
    checklist already has 100 items).
    """
    card, access = card_access(user, card_id, expected_project_id)
    title = rules.text("title", title, max_len=500)
    if not isinstance(done, bool):
        raise Invalid("done", "done must be a boolean")
    lock_project(access.project.id)
    db.session.refresh(card)
    items = card.checklist_items
    if len(items) >= MAX_CHECKLIST_ITEMS:
        raise Invalid("checklist", f"A checklist has at most {MAX_CHECKLIST_ITEMS} items")
    item = ChecklistItem(card_id=card.id, title=title, done=done, order=len(items))
    db.session.add(item)
    items.append(item)
    card.version += 1
    db.session.flush()
    _record(user, card)
    return card


def update_item(user: User, card_id: str, item_id: str, changes: dict, *,
                expected_project_id: str | None = None) -> Card:
    """Tick or untick (`done`), rename (`title`) or move (`order`, the others shift) one item;
    return the card.

    Raises NotFound (card out of reach, or the item is not on this card), Invalid.
    """
    card, access = card_access(user, card_id, expected_project_id)
    for field in changes:
        if field not in ITEM_FIELDS:
            raise Invalid(field, f"property {field} should not exist")
    title = rules.text("title", changes["title"], max_len=500) if "title" in changes else None
    if "done" in changes and not isinstance(changes["done"], bool):
        raise Invalid("done", "done must be a boolean")
    order = order_value("order", changes["order"]) if "order" in changes else None
    lock_project(access.project.id)
    db.session.refresh(card)
    items = list(card.checklist_items)
    item = next((i for i in items if i.id == item_id), None)
    if item is None:
        raise NotFound("Checklist item not found")
    if not changes:
        return card
    before = (item.title, item.done, item.order)
    if title is not None:
        item.title = title
    if "done" in changes:
        item.done = changes["done"]
    if order is not None:
        items.remove(item)
        items.insert(min(order, len(items)), item)
        _renumber(card, items)
    card.version += 1
    db.session.flush()
    if (item.title, item.done, item.order) != before:
        _record(user, card)
    return card


def delete_item(user: User, card_id: str, item_id: str, *,
                expected_project_id: str | None = None) -> Card:
    """Remove one item (the others close the gap); return the card.

    Raises NotFound (card out of reach, or the item is not on this card).
    """
    card, access = card_access(user, card_id, expected_project_id)
    lock_project(access.project.id)
    db.session.refresh(card)
    items = list(card.checklist_items)
    item = next((i for i in items if i.id == item_id), None)
    if item is None:
        raise NotFound("Checklist item not found")
    items.remove(item)
    db.session.execute(sa.delete(ChecklistItem).where(ChecklistItem.id == item.id)
                       .execution_options(synchronize_session=False))
    db.session.expunge(item)
    _renumber(card, items)
    card.version += 1
    db.session.flush()
    _record(user, card)
    return card


def _record(user: User, card: Card) -> None:
    activity.record(user, "card_updated", card.project_id, card=card, meta={"fields": ["checklist"]})


def _renumber(card: Card, items: list[ChecklistItem]) -> None:
    """A checklist holds at most 100 items, so renumbering them one by one stays bounded."""
    for order, item in enumerate(items):
        if item.order != order:
            item.order = order
    set_committed_value(card, "checklist_items", items)
