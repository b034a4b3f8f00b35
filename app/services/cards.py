"""Cards: list, create, change, move, archive, delete.

Every operation takes the acting user and ids, loads the card (or column), and checks the
user against the card's REAL project, so the API, the board pages, automations, agents and
pilotage actions all call these same functions. Callers that got a project from a URL pass
it as `expected_project_id`: a card or column of another project then looks absent
(NotFound), even when the user could reach that other project.

Orders: the active (non-archived) cards of a column have orders 0..n-1. Archiving takes a
card out of that sequence (the others close the gap); unarchiving puts it back at the end.
Every change of orders or card numbers runs under the project lock
(`projects.lock_project`) with set-based UPDATEs: a constant number of queries whatever the
card count, and concurrent moves renumber one after the other.

`move_card` is THE move. Moving into a column of another project is refused with Invalid
(400, field `columnId`). A move or a create that would exceed the target column's WIP limit
is refused with Conflict (409).

A caller that showed a card and acts on it later (a drag on the board) passes the `version`
it showed as `expected_version` to `move_card` or `update_card`: when the card changed
meanwhile, the change is refused with Conflict (409) and nothing is written.

Each change to a card bumps its `version` (cards shifted by someone else's move keep theirs:
their content did not change), and is recorded once in the activity log (`activity.record`):
card_created, card_updated (the fields that changed), card_moved (to another column),
card_archived, card_deleted, card_assigned.
"""
from collections import defaultdict
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from app.errors import Conflict, Invalid, NotFound
from app.extensions import db
from app.ids import is_id, new_id
from app.models.board import PRIORITIES, Card, ChecklistItem, Column
from app.models.identity import User
from app.services import activity, card_extras, rules
from app.services.columns import all_columns, check_wip, get_column, order_value
from app.services.projects import ProjectAccess, is_member, lock_project, project_access_by_id
from app.timeutil import utcnow

MAX_CHECKLIST_ITEMS = 100
STALE_MESSAGE = "This card changed meanwhile (someone else moved or edited it): it now shows as saved."
ARCHIVED_FILTERS = ("false", "true", "all")
# Fields a create takes and a PATCH may change (wire names). `columnId`, `order` and
# `archived` are handled by `move_card` and `archive_card`.
CONTENT_FIELDS = ("title", "description", "priority", "startDate", "dueDate", "assigneeId", "checklist")
CREATE_FIELDS = CONTENT_FIELDS + ("order",)
UPDATE_FIELDS = CONTENT_FIELDS + ("columnId", "order", "archived")
_ATTRIBUTES = {"title": "title", "description": "description", "priority": "priority",
               "startDate": "start_date", "dueDate": "due_date", "assigneeId": "assignee_id"}


def card_access(user: User, card_id: object, expected_project_id: str | None = None) -> tuple[Card, ProjectAccess]:
    """The card `card_id` and the caller's standing in its real project.

    Raises NotFound if the card does not exist, is out of reach, or is not in
    `expected_project_id` (when given).
    """
    card = db.session.get(Card, card_id) if is_id(card_id) else None
    if card is None or (expected_project_id is not None and card.project_id != expected_project_id):
        raise NotFound("Card not found")
    try:
        access = project_access_by_id(user, card.project_id)
    except NotFound:
        raise NotFound("Card not found") from None
    return card, access


def get_card(user: User, card_id: str, *, expected_project_id: str | None = None) -> Card:
    """One card the caller can reach. Raises NotFound."""
    return card_access(user, card_id, expected_project_id)[0]


def list_cards(access: ProjectAccess, archived: object = "false",
               columns: list[Column] | None = None) -> list[Card]:
    """The project's cards (or those of `columns`, e.g. one scope's board), by column then
    card order, with their column and checklist loaded (three queries whatever the number of
    cards; a scope's columns come from the caller).

    `archived`: "false" (default, active cards only), "true" (only archived), "all".
    Raises Invalid for another value.
    """
    if isinstance(archived, bool):
        archived = str(archived).lower()
    archived = rules.choice("archived", archived, ARCHIVED_FILTERS)
    where = [Card.project_id == access.project.id]
    if columns is None:
        columns = all_columns(access)
    else:
        where.append(Card.column_id.in_([c.id for c in columns]))
    position = {c.id: i for i, c in enumerate(columns)}
    query = sa.select(Card).where(*where)
    if archived != "all":
        query = query.where(Card.archived.is_(archived == "true"))
    cards = list(db.session.scalars(query.order_by(Card.order, Card.id)))
    cards.sort(key=lambda c: (position[c.column_id], c.archived, c.order))
    columns = {c.id: c for c in columns}
    items = defaultdict(list)
    item_query = (sa.select(ChecklistItem).join(Card, Card.id == ChecklistItem.card_id).where(*where))
    if archived != "all":
        item_query = item_query.where(Card.archived.is_(archived == "true"))
    for item in db.session.scalars(item_query.order_by(ChecklistItem.order, ChecklistItem.id)):
        items[item.card_id].append(item)
    for card in cards:
        set_committed_value(card, "column", columns[card.column_id])
        set_committed_value(card, "project", access.project)
        set_committed_value(card, "checklist_items", items.get(card.id, []))
    card_extras.preload(cards)
    return cards


def create_card(user: User, column_id: str, *, expected_project_id: str | None = None,
                **fields) -> Card:
    """Create a card in column `column_id`, at the end or at `order` (the cards from that
    position shift down). Fields, by their wire names:

    title (required, 1–500), description (≤ 5000), priority (low | medium | high),
    startDate / dueDate (ISO dates; the start not after the due date), assigneeId (a project
    member), checklist (≤ 100 items `{title, done?, order?}`), order (whole number ≥ 0).

    Raises NotFound (column out of reach or not in `expected_project_id`), Invalid,
    Conflict (the column's WIP limit is reached).
    """
    column, access = _reachable_column(user, column_id, expected_project_id)
    _reject_unknown(fields, CREATE_FIELDS)
    if "title" not in fields:
        raise Invalid("title", "title is required")
    values = _content_values(access, fields)
    items = checklist_values("checklist", fields["checklist"]) if fields.get("checklist") is not None else []
    order = order_value("order", fields["order"]) if fields.get("order") is not None else None
    check_dates(values.get("start_date"), values.get("due_date"))

    number = lock_project(access.project.id, reserve_numbers=1)
    db.session.refresh(column)
    check_wip(column)
    count = _active_count(column.id)
    position = count if order is None else min(order, count)
    if position < count:
        _shift(column.id, position, None, +1)
    card = Card(id=new_id(), project_id=access.project.id, column_id=column.id, number=number,
                order=position, created_by_id=user.id, **values)
    db.session.add(card)
    db.session.flush()
    replace_checklist(card, items)
    activity.record(user, "card_created", card.project_id, card=card, meta={"column": column.name})
    return card


def update_card(user: User, card_id: str, changes: dict, *, expected_project_id: str | None = None,
                expected_version: int | None = None) -> Card:
    """Change any field of a card; `null` clears a nullable field. Fields, by wire names:
    those of `create_card`, `checklist` (replaces the whole list), `columnId` and/or `order`
    (a move, see `move_card`), `archived` (see `archive_card`).

    Everything is validated before anything changes. Raises NotFound, Invalid, Conflict
    (WIP limit, moving an archived card, the card changed since `expected_version`).
    """
    card, access = card_access(user, card_id, expected_project_id)
    _reject_unknown(changes, UPDATE_FIELDS)
    expected_version = version_value(expected_version)
    if not changes:
        return card
    values = _content_values(access, changes)
    items = None
    if "checklist" in changes:
        items = checklist_values("checklist", changes["checklist"]) if changes["checklist"] is not None else []
    target_column = None
    if "columnId" in changes:
        target_column = get_column(access, changes["columnId"], field="columnId")
    order = None
    if changes.get("order") is not None:
        order = order_value("order", changes["order"])
    elif "order" in changes:
        raise Invalid("order", "order must be a whole number ≥ 0")
    archived = changes.get("archived")
    if "archived" in changes and not isinstance(archived, bool):
        raise Invalid("archived", "archived must be a boolean")
    check_dates(values.get("start_date", card.start_date), values.get("due_date", card.due_date))

    lock_project(access.project.id)
    db.session.refresh(card)
    check_version(card, expected_version)
    if set(changes) == {"archived"} and archived == card.archived:
        return card  # nothing to do: the version stays
    before = _snapshot(card, with_checklist=items is not None)
    if archived is False and card.archived:
        _set_archived(card, False)
    if target_column is not None or order is not None:
        _move(card, target_column or card.column, order)
    for attribute, value in values.items():
        setattr(card, attribute, value)
    if items is not None:
        replace_checklist(card, items)
    if archived is True and not card.archived:
        _set_archived(card, True)
    card.version += 1
    db.session.flush()
    _record_changes(user, card, before)
    return card


def move_card(user: User, card_id: str, column_id: str, order: int | None = None, *,
              expected_project_id: str | None = None, expected_version: int | None = None) -> Card:
    """Move a card to position `order` (0-based; None or beyond the end means last) of column
    `column_id`, inside its column or to another column of the same project. The other cards
    shift so orders stay dense in both columns.

    Raises NotFound (card out of reach or not in `expected_project_id`), Invalid (column not
    in the card's project, bad order, bad `expected_version`), Conflict (archived card; target
    column's WIP limit; the card changed since `expected_version`).
    """
    card, access = card_access(user, card_id, expected_project_id)
    column = get_column(access, column_id, field="columnId")
    if order is not None:
        order = order_value("order", order)
    expected_version = version_value(expected_version)
    lock_project(access.project.id)
    db.session.refresh(card)
    check_version(card, expected_version)
    before = _snapshot(card)
    _move(card, column, order)
    card.version += 1
    db.session.flush()
    _record_changes(user, card, before)
    return card


def archive_card(user: User, card_id: str, archived: bool = True, *,
                 expected_project_id: str | None = None) -> Card:
    """Archive a card (it leaves its column's order, the others close the gap) or unarchive
    it (back at the end of its column). Doing what is already done changes nothing.

    Raises NotFound, Conflict (unarchiving into a column at its WIP limit).
    """
    card, access = card_access(user, card_id, expected_project_id)
    if card.archived == archived:
        return card
    lock_project(access.project.id)
    db.session.refresh(card)
    if card.archived != archived:
        before = _snapshot(card)
        _set_archived(card, archived)
        card.version += 1
        db.session.flush()
        _record_changes(user, card, before)
    return card


def delete_card(user: User, card_id: str, *, expected_project_id: str | None = None) -> None:
    """Delete a card for good, with its checklist; the cards after it close the gap.

    Raises NotFound.
    """
    card, access = card_access(user, card_id, expected_project_id)
    lock_project(access.project.id)
    db.session.refresh(card)
    if not card.archived:
        _shift(card.column_id, card.order + 1, None, -1)
    activity.record(user, "card_deleted", card.project_id, card=card)
    db.session.delete(card)
    db.session.flush()


def checklist_progress(card: Card) -> int:
    """Percent of checklist items done, 0–100, rounded down (100 only when all are done;
    0 for an empty checklist)."""
    items = card.checklist_items
    if not items:
        return 0
    return sum(1 for i in items if i.done) * 100 // len(items)


def card_key(card: Card) -> str:
    """The card's human key, `<project key>-<number>`, e.g. `QL-12`."""
    return f"{card.project.key}-{card.number}"


def checklist_values(field: str, value: object) -> list[tuple[str | None, str, bool]]:
    """Validate a checklist given as a list of `{title, done?, order?, _id?}`: at most 100
    items, title 1–500, done a boolean. Returns `(id or None, title, done)` in order
    (by `order` when given, then by position). Raises Invalid."""
    if not isinstance(value, list):
        raise Invalid(field, f"{field} must be an array")
    if len(value) > MAX_CHECKLIST_ITEMS:
        raise Invalid(field, f"{field} must have at most {MAX_CHECKLIST_ITEMS} items")
    parsed = []
    for index, raw in enumerate(value):
        where = f"{field}[{index}]"
        if not isinstance(raw, dict):
            raise Invalid(where, f"{where} must be an object")
        for key in raw:
            if key not in ("_id", "title", "done", "order"):
                raise Invalid(f"{where}.{key}", f"property {key} should not exist")
        title = rules.text(f"{where}.title", raw.get("title"), max_len=500)
        done = raw.get("done", False)
        if not isinstance(done, bool):
            raise Invalid(f"{where}.done", f"{where}.done must be a boolean")
        position = raw.get("order", index)
        if not isinstance(position, int) or isinstance(position, bool) or position < 0:
            raise Invalid(f"{where}.order", f"{where}.order must be a whole number ≥ 0")
        item_id = raw.get("_id") if is_id(raw.get("_id")) else None
        parsed.append((position, index, item_id, title, done))
    parsed.sort(key=lambda p: (p[0], p[1]))
    return [(item_id, title, done) for _, _, item_id, title, done in parsed]


def replace_checklist(card: Card, items: list[tuple[str | None, str, bool]]) -> None:
    """Make the card's checklist exactly `items` (from `checklist_values`), orders 0..n-1.
    An `_id` of one of the card's current items keeps that item (and its id)."""
    current = {i.id: i for i in card.checklist_items}
    rows = []
    for order, (item_id, title, done) in enumerate(items):
        item = current.pop(item_id, None) if item_id else None
        if item is None:
            item = ChecklistItem(id=new_id(), card_id=card.id)
            db.session.add(item)
        item.title, item.done, item.order = title, done, order
        rows.append(item)
    for leftover in current.values():
        db.session.delete(leftover)
    db.session.flush()
    set_committed_value(card, "checklist_items", rows)


def _snapshot(card: Card, with_checklist: bool = False) -> dict:
    """What `_record_changes` compares: the card's recorded fields, by wire name."""
    state = {wire: getattr(card, attribute) for wire, attribute in _ATTRIBUTES.items()}
    state.update(columnId=card.column_id, archived=card.archived)
    if with_checklist:
        state["checklist"] = [(i.title, i.done) for i in card.checklist_items]
    return state


def _record_changes(user: User, card: Card, before: dict) -> None:
    """Record each kind of change between `before` and the card now, once: a move to
    another column, a change of assignee, an archive, and the other fields that changed."""
    after = _snapshot(card, with_checklist="checklist" in before)
    if after["columnId"] != before["columnId"]:
        source = db.session.get(Column, before["columnId"])
        activity.record(user, "card_moved", card.project_id, card=card,
                        meta={"fromColumn": source.name if source else None, "toColumn": card.column.name})
    if after["assigneeId"] != before["assigneeId"]:
        activity.record(user, "card_assigned", card.project_id, card=card,
                        meta={"fromAssigneeId": before["assigneeId"], "toAssigneeId": after["assigneeId"]})
    if after["archived"] and not before["archived"]:
        activity.record(user, "card_archived", card.project_id, card=card)
    fields = [f for f in (*CONTENT_FIELDS, "archived")
              if f in before and f != "assigneeId" and after[f] != before[f]
              and not (f == "archived" and after[f])]
    if fields:
        activity.record(user, "card_updated", card.project_id, card=card, meta={"fields": fields})


def _move(card: Card, column: Column, order: int | None) -> None:
    """Move under the project lock; `card` is fresh. Raises Conflict."""
    if card.archived:
        raise Conflict("This card is archived: unarchive it before moving it")
    if column.id == card.column_id:
        last = _active_count(column.id) - 1
        target = last if order is None else min(order, last)
        if target < card.order:
            _shift(column.id, target, card.order, +1)
        elif target > card.order:
            _shift(column.id, card.order + 1, target + 1, -1)
        card.order = target
        return
    db.session.refresh(column)
    check_wip(column)
    count = _active_count(column.id)
    target = count if order is None else min(order, count)
    _shift(card.column_id, card.order + 1, None, -1, exclude=card.id)
    if target < count:
        _shift(column.id, target, None, +1)
    card.column_id = column.id
    card.column = column
    card.order = target


def _set_archived(card: Card, archived: bool) -> None:
    """Under the project lock; `card` is fresh. Raises Conflict (WIP limit on unarchive)."""
    if archived:
        _shift(card.column_id, card.order + 1, None, -1)
        card.archived, card.archived_at = True, utcnow()
    else:
        check_wip(card.column)
        card.order = _active_count(card.column_id)
        card.archived, card.archived_at = False, None


def _shift(column_id: str, start: int, stop: int | None, delta: int, exclude: str | None = None) -> None:
    """Add `delta` to the order of the column's active cards with start ≤ order < stop."""
    condition = [Card.column_id == column_id, Card.archived.is_(False), Card.order >= start]
    if stop is not None:
        condition.append(Card.order < stop)
    if exclude is not None:
        condition.append(Card.id != exclude)
    db.session.execute(
        sa.update(Card).where(*condition)
        .values(order=Card.order + delta, updated_at=Card.updated_at)
        .execution_options(synchronize_session="evaluate")
    )


def _active_count(column_id: str) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Card)
                             .where(Card.column_id == column_id, Card.archived.is_(False)))


def _reachable_column(user: User, column_id: object,
                      expected_project_id: str | None) -> tuple[Column, ProjectAccess]:
    column = db.session.get(Column, column_id) if is_id(column_id) else None
    if column is None or (expected_project_id is not None and column.project_id != expected_project_id):
        raise NotFound("Column not found")
    try:
        return column, project_access_by_id(user, column.project_id)
    except NotFound:
        raise NotFound("Column not found") from None


def _reject_unknown(fields: dict, allowed: tuple[str, ...]) -> None:
    for field in fields:
        if field not in allowed:
            raise Invalid(field, f"property {field} should not exist")


def _content_values(access: ProjectAccess, fields: dict) -> dict:
    """Validated model attributes for the content fields present in `fields`."""
    values = {}
    if "title" in fields:
        values["title"] = rules.text("title", fields["title"], max_len=500)
    if "description" in fields:
        values["description"] = description_value("description", fields["description"])
    if "priority" in fields:
        priority = fields["priority"]
        values["priority"] = None if priority is None else rules.choice("priority", priority, PRIORITIES)
    for field in ("startDate", "dueDate"):
        if field in fields:
            values[_ATTRIBUTES[field]] = rules.optional_datetime(field, fields[field])
    if "assigneeId" in fields:
        values["assignee_id"] = _assignee(access, fields["assigneeId"])
    return values


def description_value(field: str, value: object) -> str | None:
    """None, or text of at most 5000 characters (kept as written; blank gives None).
    Raises Invalid."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise Invalid(field, f"{field} must be a string")
    if len(value) > 5000:
        raise Invalid(field, f"{field} must be at most 5000 characters")
    return value if value.strip() else None


def _assignee(access: ProjectAccess, value: object) -> str | None:
    if value is None:
        return None
    if not is_id(value) or not is_member(access.project.id, value):
        raise Invalid("assigneeId", "assigneeId must be a member of the project")
    return value


def check_dates(start: datetime | None, due: datetime | None, field: str = "dueDate") -> None:
    """Raises Invalid when both dates are set and the start is after the due date."""
    if start is not None and due is not None and start > due:
        raise Invalid(field, f"{field} must not be before startDate")


def version_value(value: object) -> int | None:
    """None, or a card version as shown to the caller: a whole number ≥ 1. Raises Invalid."""
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise Invalid("version", "version must be a whole number ≥ 1")
    return value


def check_version(card: Card, expected_version: int | None) -> None:
    """Raises Conflict when the caller acted on another version of `card` than the saved one
    (call it under the project lock, on a fresh card)."""
    if expected_version is not None and card.version != expected_version:
        raise Conflict(STALE_MESSAGE)
