"""The list view of a board: its active cards as rows, sorted by one field and optionally
grouped by column, assignee or priority.

Sorting: `key`, `title`, `column` (the board's order: columns left to right, then card
order), `priority` (high → medium → low ascending), `assignee` (by name), `due` (earliest
first ascending), `progress` (checklist percent). Cards without a value (no priority, no
assignee, no due date) come last in both directions; ties keep the board's order.

Grouping: by `column` (the board's columns in order), `priority` (high → low, then "No
priority"), `assignee` (by name, then "Unassigned"); only groups holding cards are shown,
each sorted as chosen.

Loading costs a constant number of queries whatever the number of cards: the columns, the
cards with their checklists and extras (`cards.list_cards`), their assignees, their labels
and blockers (`card_marks`). Callers pass a `ProjectAccess`, so reach is already checked.
"""
from collections.abc import Mapping
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from app.errors import Invalid
from app.extensions import db
from app.models.board import PRIORITIES, Card, Column, Scope
from app.models.identity import User
from app.services import card_marks, cards, columns, rules
from app.services.projects import ProjectAccess

SORTS = ("key", "title", "column", "priority", "assignee", "due", "progress")
DIRECTIONS = ("asc", "desc")
GROUPS = ("column", "assignee", "priority")
DEFAULT_SORT = "column"
# Most important first: high has the lowest rank.
PRIORITY_RANK = {p: -i for i, p in enumerate(PRIORITIES)}


@dataclass(frozen=True)
class ListQuery:
    """How the list is shown: `sort` (one of SORTS), `direction` (asc | desc), `group`
    (one of GROUPS, or "" for one flat table)."""

    sort: str = DEFAULT_SORT
    direction: str = "asc"
    group: str = ""

    def args(self) -> dict[str, str]:
        """The query as URL arguments (only those that differ from the defaults)."""
        values = {"sort": self.sort if self.sort != DEFAULT_SORT else "",
                  "dir": self.direction if self.direction != "asc" else "", "group": self.group}
        return {name: value for name, value in values.items() if value}

    def toggled(self, sort: str) -> "ListQuery":
        """The query a click on the header of `sort` asks for: that field ascending, or the
        other direction when it is already the sort."""
        direction = "desc" if sort == self.sort and self.direction == "asc" else "asc"
        return ListQuery(sort, direction, self.group)


@dataclass
class CardGroup:
    """Cards under one heading (`title` None for the ungrouped list)."""

    key: str
    title: str | None
    cards: list[Card] = field(default_factory=list)


@dataclass
class ListBoard:
    columns: list[Column]
    cards: list[Card]


def parse_query(args: Mapping[str, str]) -> ListQuery:
    """The list query from URL or form arguments `sort`, `dir`, `group` (absent or empty:
    the defaults). Raises Invalid (field `sort`, `dir` or `group`) for anything else."""
    sort = rules.choice("sort", args.get("sort") or DEFAULT_SORT, SORTS)
    direction = rules.choice("dir", args.get("dir") or "asc", DIRECTIONS)
    group = args.get("group") or ""
    if group:
        group = rules.choice("group", group, GROUPS)
    return ListQuery(sort, direction, group)


def load_board(access: ProjectAccess, scope: Scope | None) -> ListBoard:
    """The columns of the project's own board (or of `scope`'s) and their active cards,
    with everything a row shows loaded."""
    board_columns = columns.list_columns(access, scope.id if scope else None)
    board_cards = cards.list_cards(access, columns=board_columns)
    prepare_rows(board_cards)
    return ListBoard(board_columns, board_cards)


def prepare_rows(row_cards: list[Card]) -> None:
    """Load what rows show of `row_cards` beyond `cards.list_cards`: assignees (one query),
    labels and blocked marks (`card_marks.preload`)."""
    assignee_ids = {c.assignee_id for c in row_cards if c.assignee_id}
    people = {}
    if assignee_ids:
        people = {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(assignee_ids)))}
    for card in row_cards:
        set_committed_value(card, "assignee", people.get(card.assignee_id))
    card_marks.preload(row_cards)


def arrange(board: ListBoard, query: ListQuery) -> list[CardGroup]:
    """The board's cards sorted as `query` says, in groups (one untitled group when the
    query does not group)."""
    ordered = sort_cards(board.cards, board.columns, query.sort, query.direction)
    if not query.group:
        return [CardGroup("all", None, ordered)]
    return group_cards(ordered, board.columns, query.group)


def sort_cards(row_cards: list[Card], board_columns: list[Column], sort: str, direction: str) -> list[Card]:
    """`row_cards` sorted by `sort` in `direction`; cards without a value last, ties in
    board order."""
    position = {c.id: i for i, c in enumerate(board_columns)}
    in_board_order = sorted(row_cards, key=lambda c: (position.get(c.column_id, len(position)), c.order))
    value = _sort_value(sort, position)
    present = [c for c in in_board_order if value(c) is not None]
    missing = [c for c in in_board_order if value(c) is None]
    # The sort is stable even reversed, so equal values keep the board order both ways.
    present.sort(key=value, reverse=direction == "desc")
    return present + missing


def group_cards(ordered: list[Card], board_columns: list[Column], group: str) -> list[CardGroup]:
    """`ordered` split into the groups of `group`, in the groups' order; each keeps the
    order it had in `ordered`. Only groups that hold cards."""
    if group == "column":
        groups = [CardGroup(c.id, c.name) for c in board_columns]
        key_of = lambda card: card.column_id  # noqa: E731
    elif group == "priority":
        groups = [CardGroup(p, p.capitalize()) for p in sorted(PRIORITIES, key=PRIORITY_RANK.get)]
        groups.append(CardGroup("none", "No priority"))
        key_of = lambda card: card.priority or "none"  # noqa: E731
    elif group == "assignee":
        people = {c.assignee.id: c.assignee for c in ordered if c.assignee is not None}
        groups = [CardGroup(p.id, p.name) for p in sorted(people.values(), key=lambda p: (p.name.casefold(), p.id))]
        groups.append(CardGroup("none", "Unassigned"))
        key_of = lambda card: card.assignee_id or "none"  # noqa: E731
    else:
        raise Invalid("group", f"group must be one of {', '.join(GROUPS)}")
    by_key = {g.key: g for g in groups}
    for card in ordered:
        by_key[key_of(card)].cards.append(card)
    return [g for g in groups if g.cards]


def board_column(board_columns: list[Column], column_id: object) -> Column:
    """The column `column_id` if it is one of this board's. Raises Invalid (field
    `column`): a card of the list only moves within its own board."""
    for column in board_columns:
        if column.id == column_id:
            return column
    raise Invalid("column", "Choose a column of this board")


def _sort_value(sort: str, position: dict[str, int]):
    """The function giving a card's sort value (None: the card has none)."""
    if sort == "key":
        return lambda c: c.number
    if sort == "title":
        return lambda c: (c.title.casefold(), c.title)
    if sort == "column":
        return lambda c: (position.get(c.column_id, len(position)), c.order)
    if sort == "priority":
        return lambda c: PRIORITY_RANK[c.priority] if c.priority else None
    if sort == "assignee":
        return lambda c: (c.assignee.name.casefold(), c.assignee.id) if c.assignee else None
    if sort == "due":
        return lambda c: c.due_date
    if sort == "progress":
        return cards.checklist_progress
    raise Invalid("sort", f"sort must be one of {', '.join(SORTS)}")

