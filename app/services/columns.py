"""Columns of a project board: create, list, rename, reorder, categorize, limit, delete.

A project has its own board and one per scope (`Column.scope_id`; None for the project's).
Column orders are 0-based and dense inside one board. Every change of orders takes the
project lock (`projects.lock_project`) and renumbers with set-based UPDATEs, so it costs the
same number of queries whatever the number of columns or cards.
"""
import sqlalchemy as sa

from app.errors import Conflict, Invalid, NotFound
from app.extensions import db
from app.ids import is_id
from app.models.board import COLUMN_CATEGORIES, Card, Column
from app.services import activity, rules
from app.services.projects import ProjectAccess, lock_project

DEFAULT_CATEGORY = "in_progress"
MAX_WIP_LIMIT = 10_000


def list_columns(access: ProjectAccess, scope_id: str | None = None) -> list[Column]:
    """The columns of the project's board (or of its scope `scope_id`), by order."""
    return list(db.session.scalars(
        sa.select(Column).where(*_board(access.project.id, scope_id)).order_by(Column.order, Column.id)))


def all_columns(access: ProjectAccess) -> list[Column]:
    """Every column of the project, its own board's first, then each scope's, by order."""
    return list(db.session.scalars(
        sa.select(Column).where(Column.project_id == access.project.id)
        .order_by(Column.scope_id.is_not(None), Column.scope_id, Column.order, Column.id)))


def get_column(access: ProjectAccess, column_id: object, field: str | None = None) -> Column:
    """A column of this project. Raises NotFound (or Invalid on `field` when the id comes
    from a request body rather than the path) if it is absent or belongs to another project."""
    column = db.session.get(Column, column_id) if is_id(column_id) else None
    if column is None or column.project_id != access.project.id:
        if field:
            raise Invalid(field, f"{field} is not a column of this project")
        raise NotFound("Column not found")
    return column


def create_column(access: ProjectAccess, name: object, category: object = None,
                  wip_limit: object = None, order: object = None, scope_id: object = None) -> Column:
    """Add a column to the project's board, or to the board of its scope `scope_id`, at the
    end by default or at `order` (the columns after it shift right).

    `category` is todo | in_progress | done (in_progress by default: a column added to a
    board is most often an intermediate stage). `wip_limit` is a positive integer or None.
    Raises Invalid (a bad value, or `scopeId` not a scope of this project).
    """
    from app.services.scopes import board_scope  # scopes builds on columns

    scope = board_scope(access, scope_id)
    scope_id = scope.id if scope else None
    name = rules.text("name", name, max_len=100)
    category = rules.choice("category", category if category is not None else DEFAULT_CATEGORY,
                            COLUMN_CATEGORIES)
    wip_limit = wip_limit_value(wip_limit)
    if order is not None:
        order = order_value("order", order)
    lock_project(access.project.id)
    count = _column_count(access.project.id, scope_id)
    position = count if order is None else min(order, count)
    if position < count:
        _shift(access.project.id, scope_id, position, count, +1)
    column = Column(project_id=access.project.id, scope_id=scope_id, name=name, category=category,
                    wip_limit=wip_limit, order=position)
    db.session.add(column)
    db.session.flush()
    return column


def update_column(access: ProjectAccess, column_id: str, changes: dict) -> Column:
    """Change `name`, `order` (the others shift; beyond the end means last), `category`
    and/or `wipLimit` (null removes the limit; a limit below the current card count only
    refuses further cards). Raises NotFound, Invalid (unknown field or bad value).
    """
    for field in changes:
        if field not in ("name", "order", "category", "wipLimit"):
            raise Invalid(field, f"property {field} should not exist")
    column = get_column(access, column_id)
    values = {}
    if "name" in changes:
        values["name"] = rules.text("name", changes["name"], max_len=100)
    if "category" in changes:
        values["category"] = rules.choice("category", changes["category"], COLUMN_CATEGORIES)
    if "wipLimit" in changes:
        values["wip_limit"] = wip_limit_value(changes["wipLimit"])
    if "order" in changes:
        target = order_value("order", changes["order"])
        lock_project(access.project.id)
        db.session.refresh(column)
        last = _column_count(access.project.id, column.scope_id) - 1
        target = min(target, last)
        if target < column.order:
            _shift(access.project.id, column.scope_id, target, column.order, +1)
        elif target > column.order:
            _shift(access.project.id, column.scope_id, column.order + 1, target + 1, -1)
        column.order = target
    for attribute, value in values.items():
        setattr(column, attribute, value)
    db.session.flush()
    return column


def delete_column(access: ProjectAccess, column_id: str, move_cards_to: object = None) -> None:
    """Delete a column; the columns after it shift left.

    A column that still holds cards (archived ones included) is only deleted when
    `move_cards_to` names another column of the project: the cards are appended there,
    in their order, active cards first, each move recorded as `card_moved`. Raises NotFound, Invalid (bad `moveCardsTo`),
    Conflict (cards left and nowhere to go, or the target's WIP limit would be exceeded).
    """
    column = get_column(access, column_id)
    target = None
    if move_cards_to is not None:
        target = get_column(access, move_cards_to, field="moveCardsTo")
        if target.id == column.id:
            raise Invalid("moveCardsTo", "moveCardsTo must be another column")
    lock_project(access.project.id)
    db.session.refresh(column)
    active, archived = _card_counts(column.id)
    if active + archived:
        if target is None:
            raise Conflict(f"Column '{column.name}' still holds {active + archived} card(s): "
                           "move or delete them first, or pass moveCardsTo")
        _move_all_cards(access, column, target, active)
    db.session.execute(sa.delete(Column).where(Column.id == column.id)
                       .execution_options(synchronize_session=False))
    db.session.expunge(column)
    _shift(access.project.id, column.scope_id, column.order + 1, None, -1)
    db.session.flush()


def wip_limit_value(value: object) -> int | None:
    """None, or a whole number 1..10000. Raises Invalid (field `wipLimit`)."""
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_WIP_LIMIT:
        raise Invalid("wipLimit", f"wipLimit must be a whole number from 1 to {MAX_WIP_LIMIT}, or null")
    return value


def order_value(field: str, value: object) -> int:
    """A whole number ≥ 0. Raises Invalid."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise Invalid(field, f"{field} must be a whole number ≥ 0")
    return value


def check_wip(column: Column, incoming: int = 1) -> None:
    """Raises Conflict if `incoming` more active cards would exceed the column's WIP limit."""
    if column.wip_limit is None:
        return
    active, _ = _card_counts(column.id)
    if active + incoming > column.wip_limit:
        raise Conflict(f"Column '{column.name}' has a WIP limit of {column.wip_limit} "
                       f"and already holds {active} card(s)")


def _move_all_cards(access: ProjectAccess, source: Column, target: Column, active: int) -> None:
    check_wip(target, active)
    target_active, target_archived = _card_counts(target.id)
    moved = db.session.execute(sa.select(Card.id, Card.number, Card.title, Card.assignee_id)
                               .where(Card.column_id == source.id).order_by(Card.order, Card.id)).all()
    # Active cards keep their relative order after the target's active cards; archived cards
    # are outside the dense sequence and keep a position after it.
    db.session.execute(
        sa.update(Card).where(Card.column_id == source.id)
        .values(column_id=target.id,
                order=sa.case((Card.archived.is_(False), Card.order + target_active),
                              else_=Card.order + target_active + active),
                version=Card.version + 1)
        .execution_options(synchronize_session="fetch")
    )
    key = access.project.key
    activity.record_many(access.user, "card_moved", access.project.id, [
        (card_id, {"cardKey": f"{key}-{number}", "cardTitle": title, "fromColumn": source.name,
                   "toColumn": target.name}, assignee_id)
        for card_id, number, title, assignee_id in moved])


def _card_counts(column_id: str) -> tuple[int, int]:
    row = db.session.execute(
        sa.select(sa.func.count().filter(Card.archived.is_(False)),
                  sa.func.count().filter(Card.archived.is_(True)))
        .where(Card.column_id == column_id)
    ).one()
    return int(row[0]), int(row[1])


def _board(project_id: str, scope_id: str | None) -> list:
    """The conditions selecting the columns of one board of the project."""
    return [Column.project_id == project_id,
            Column.scope_id.is_(None) if scope_id is None else Column.scope_id == scope_id]


def _column_count(project_id: str, scope_id: str | None) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Column)
                             .where(*_board(project_id, scope_id)))


def _shift(project_id: str, scope_id: str | None, start: int, stop: int | None, delta: int) -> None:
    """Add `delta` to the order of the board's columns with start ≤ order < stop."""
    condition = [*_board(project_id, scope_id), Column.order >= start]
    if stop is not None:
        condition.append(Column.order < stop)
    db.session.execute(
        sa.update(Column).where(*condition)
        .values(order=Column.order + delta, updated_at=Column.updated_at)
        .execution_options(synchronize_session="evaluate")
    )
