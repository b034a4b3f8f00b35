"""What the board page shows: the columns with the first cards of each (filtered by text,
assignee and priority), the next cards of one column on demand, and where a card dropped
between two others lands.

Reads cost a constant number of queries whatever the number of cards: one for the columns,
one for the card counts, one for the window of cards (a window function numbers the
matching cards of each column), one each for their assignees and checklists, and two for
their labels and open blockers (`card_marks`). Callers
pass a `ProjectAccess`, so reach is already checked; the moves themselves go through
`cards.move_card`.
"""
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlencode

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from app.errors import Invalid
from app.extensions import db
from app.ids import is_id
from app.models.board import PRIORITIES, Card, Column
from app.services import card_extras, card_marks, rules
from app.services.columns import all_columns, get_column, list_columns
from app.services.projects import ProjectAccess
from app.timeutil import utcnow

PAGE_SIZE = 50
NONE = "none"  # the filter value for "no assignee" / "no priority"
MAX_TEXT = 200
KEY_RE = re.compile(r"^([A-Za-z]{1,5})-(\d{1,9})$")


@dataclass(frozen=True)
class BoardFilter:
    """What the board shows: the columns of the project's own board, or of its scope
    `scope` (an id); cards whose title, description or key contains `text`, assigned to
    `assignee` (a user id, or "none" for unassigned), with `priority` (or "none"). Empty
    values do not filter."""

    text: str = ""
    assignee: str = ""
    priority: str = ""
    scope: str = ""

    @property
    def active(self) -> bool:
        return bool(self.text or self.assignee or self.priority)

    def args(self) -> dict[str, str]:
        """The filter as URL query arguments (only those set)."""
        values = {"scope": self.scope, "q": self.text, "assignee": self.assignee, "priority": self.priority}
        return {name: value for name, value in values.items() if value}

    def query_string(self) -> str:
        return urlencode(self.args())


def parse_filter(args: Mapping[str, str]) -> BoardFilter:
    """The filter from query arguments `scope`, `q`, `assignee`, `priority`.

    Raises Invalid (field `q`: longer than 200 characters or with a NUL character;
    `assignee`: not an id nor "none"; `priority`: not low | medium | high | none; `scope`:
    not an id). Whether `scope` is a scope of the project is for the caller to check.
    """
    scope = args.get("scope", "").strip()
    if scope and not is_id(scope):
        raise Invalid("scope", "scope must be a scope of the project")
    text = args.get("q", "").strip()
    if text:
        text = rules.text("q", text, max_len=MAX_TEXT)
    assignee = args.get("assignee", "").strip()
    if assignee and assignee != NONE and not is_id(assignee):
        raise Invalid("assignee", "assignee must be a member of the project or \"none\"")
    priority = args.get("priority", "").strip()
    if priority:
        rules.choice("priority", priority, (*PRIORITIES, NONE))
    return BoardFilter(text=text, assignee=assignee, priority=priority, scope=scope)


@dataclass
class ColumnView:
    """One column as the page shows it: `cards` are the matching cards from position
    `offset` on; `matching` counts every matching card of the column; `active` and
    `archived` count all its cards, filter aside (for the WIP limit and deletion)."""

    column: Column
    cards: list[Card] = field(default_factory=list)
    offset: int = 0
    matching: int = 0
    active: int = 0
    archived: int = 0

    @property
    def next_offset(self) -> int | None:
        """Where the next batch starts, or None when every matching card is shown."""
        end = self.offset + len(self.cards)
        return end if end < self.matching else None

    @property
    def at_wip_limit(self) -> bool:
        return self.column.wip_limit is not None and self.active >= self.column.wip_limit


def board(access: ProjectAccess, flt: BoardFilter = BoardFilter(), limit: int = PAGE_SIZE,
          column_ids: set | None = None) -> list[ColumnView]:
    """Every column of the board `flt.scope` names (or the project's columns in `column_ids`,
    whichever board they are on), by order, each with its first `limit` matching cards."""
    shown = list_columns(access, flt.scope or None) if column_ids is None else all_columns(access)
    views = {c.id: ColumnView(column=c) for c in shown if column_ids is None or c.id in column_ids}
    _fill(access, views, flt, 0, limit)
    return list(views.values())


def column_page(access: ProjectAccess, column_id: object, flt: BoardFilter = BoardFilter(),
                offset: int = 0, limit: int = PAGE_SIZE) -> ColumnView:
    """One column with its matching cards from position `offset` (0-based), at most `limit`.

    Raises NotFound (not a column of this project).
    """
    column = get_column(access, column_id)
    views = {column.id: ColumnView(column=column, offset=offset)}
    _fill(access, views, flt, offset, limit)
    return views[column.id]


def offset_value(value: object) -> int:
    """A page offset from a query string: a whole number ≥ 0. Raises Invalid."""
    if not isinstance(value, str) or not value.isdigit() or len(value) > 9:
        raise Invalid("offset", "offset must be a whole number ≥ 0")
    return int(value)


def drop_order(card: Card, column: Column, after_id: str | None, before_id: str | None) -> int | None:
    """The `order` for `cards.move_card` that puts `card` in `column` just after the card
    `after_id`, or else just before `before_id`, as the page showed them (the page may show
    a filtered or partial list, so neighbours, not indexes, say where the card was dropped).
    A neighbour that is not an active card of that column is ignored; with none left, the
    card goes last (None)."""
    after = _neighbour(after_id, card, column)
    if after is not None:
        if column.id == card.column_id and card.order < after.order:
            return after.order
        return after.order + 1
    before = _neighbour(before_id, card, column)
    if before is not None:
        if column.id == card.column_id and card.order < before.order:
            return before.order - 1
        return before.order
    return None


def is_overdue(card: Card, now: datetime | None = None) -> bool:
    """The portfolio's rule for one card: due date passed, and not in a `done` column."""
    return (card.due_date is not None and card.due_date < (now or utcnow())
            and card.column.category != "done")


def _neighbour(card_id: str | None, card: Card, column: Column) -> Card | None:
    if not is_id(card_id) or card_id == card.id:
        return None
    neighbour = db.session.get(Card, card_id)
    if neighbour is None or neighbour.column_id != column.id or neighbour.archived:
        return None
    return neighbour


def _fill(access: ProjectAccess, views: dict[str, ColumnView], flt: BoardFilter, offset: int,
          limit: int) -> None:
    """Counts and the window [offset, offset + limit) of matching cards for each column."""
    project_id = access.project.id
    column_ids = list(views)
    if not column_ids:
        return
    counts = db.session.execute(
        sa.select(Card.column_id, sa.func.count().filter(Card.archived.is_(False)),
                  sa.func.count().filter(Card.archived.is_(True)))
        .where(Card.project_id == project_id, Card.column_id.in_(column_ids))
        .group_by(Card.column_id)
    ).all()
    for column_id, active, archived in counts:
        views[column_id].active, views[column_id].archived = active, archived

    ranked = (
        sa.select(Card.id.label("card_id"),
                  sa.func.row_number().over(partition_by=Card.column_id,
                                            order_by=(Card.order, Card.id)).label("position"),
                  sa.func.count().over(partition_by=Card.column_id).label("matching"))
        .where(Card.project_id == project_id, Card.column_id.in_(column_ids),
               Card.archived.is_(False), *_conditions(access, flt))
        .subquery()
    )
    rows = db.session.execute(
        sa.select(Card, ranked.c.matching).join(ranked, ranked.c.card_id == Card.id)
        .where(ranked.c.position > offset, ranked.c.position <= offset + limit)
        .order_by(Card.column_id, Card.order, Card.id)
        .options(selectinload(Card.assignee), selectinload(Card.checklist_items))
    ).all()
    for card, matching in rows:
        view = views[card.column_id]
        view.matching = matching
        set_committed_value(card, "column", view.column)
        set_committed_value(card, "project", access.project)
        view.cards.append(card)
    card_marks.preload([card for card, _ in rows])
    card_extras.preload_counts([card for card, _ in rows])


def _conditions(access: ProjectAccess, flt: BoardFilter) -> list:
    conditions = []
    if flt.text:
        matches = [Card.title.icontains(flt.text, autoescape=True),
                   Card.description.icontains(flt.text, autoescape=True)]
        key = KEY_RE.match(flt.text)
        if key and key.group(1).upper() == access.project.key:
            matches.append(Card.number == int(key.group(2)))
        conditions.append(sa.or_(*matches))
    if flt.assignee == NONE:
        conditions.append(Card.assignee_id.is_(None))
    elif flt.assignee:
        conditions.append(Card.assignee_id == flt.assignee)
    if flt.priority == NONE:
        conditions.append(Card.priority.is_(None))
    elif flt.priority:
        conditions.append(Card.priority == flt.priority)
    return conditions
