"""The stats of a board: its active cards counted by status (column category and column),
priority and assignee, and two series over a range of days, a cumulative flow (cards in each
column category at the end of each day) and a burndown (cards still open, i.e. not archived and
not in a done column, at the end of each day, against an ideal line falling to zero).

The range: a scope with both a start and an end date covers those days (at most `MAX_DAYS`
from its start); the project's own board, or a scope missing either date, covers the
`DEFAULT_DAYS` days ending today. Days after today have no value; the ideal line starts from
the open cards of the first day (today's, when the range starts later).

History is rebuilt from the activity log, not stored: for each card now on the board
(active or archived), its creation (`card_created`, or the card's own `created_at` when the
log has none), its moves (`card_moved`, whose `fromColumn`/`toColumn` are column names as they
were then), its archiving (`card_archived`, or the card's `archived_at`) and unarchiving
(`card_updated` listing `archived`) give where it was at the end of each day; the card's
current column and archived flag always stand for its state after its last logged change, so
today's numbers are exact. The approximations, honestly:
- a name from the log is matched to the board's columns by name *today*: a column renamed or
  deleted since no longer matches, and a stay in it counts as To do (a column's name shared by
  two columns of the board counts as the first one's category);
- a card's whole history is counted on the board it is on now (one moved here from another
  scope counts here from its creation), and deleted cards leave the history altogether (the
  log does not say which board they were on);
- a day is cut at midnight UTC.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

import sqlalchemy as sa

from app.extensions import db
from app.models.board import COLUMN_CATEGORIES, PRIORITIES, Card, Column, Scope
from app.models.card_depth import Activity
from app.models.identity import User
from app.services.columns import list_columns
from app.services.projects import ProjectAccess

DEFAULT_DAYS = 30
MAX_DAYS = 366
CATEGORY_LABELS = {"todo": "To do", "in_progress": "In progress", "done": "Done"}
HISTORY_TYPES = ("card_created", "card_moved", "card_archived", "card_updated")
NOW = object()  # in a card's history: its current column


@dataclass(frozen=True)
class Count:
    """One bar of a chart: `key` names it for styling (a category, a priority), `label` for people."""

    key: str
    label: str
    value: int


@dataclass(frozen=True)
class CardState:
    """What the history needs of a card now on the board."""

    id: str
    column_id: str
    archived: bool
    created_at: datetime
    archived_at: datetime | None = None


@dataclass(frozen=True)
class Change:
    """One logged change of a card: an `Activity` reduced to what the history reads."""

    card_id: str
    at: datetime
    type: str
    meta: dict = field(default_factory=dict)


@dataclass
class Series:
    """Per day of `days`: `flow` the cards of each category (None after today), `remaining`
    the open cards (None after today), `ideal` the burndown's straight line."""

    days: list[date]
    flow: list[dict[str, int] | None]
    remaining: list[int | None]
    ideal: list[float]
    from_scope_dates: bool


@dataclass
class BoardStats:
    total: int
    by_category: list[Count]
    by_column: list[Count]
    by_priority: list[Count]
    by_assignee: list[Count]
    series: Series


def stats_range(scope: Scope | None, today: date) -> tuple[date, date, bool]:
    """First and last day of the series, and whether they are the scope's dates."""
    if scope is not None and scope.start_date is not None and scope.end_date is not None:
        first, last = sorted((scope.start_date.date(), scope.end_date.date()))
        return first, first + timedelta(days=MAX_DAYS - 1) if (last - first).days >= MAX_DAYS else last, True
    return today - timedelta(days=DEFAULT_DAYS - 1), today, False


def board_stats(access: ProjectAccess, scope: Scope | None, now: datetime) -> BoardStats:
    """The board's counts and series (see the module's docstring), in three queries whatever
    the number of cards: columns, cards with their assignee's name, their logged changes."""
    columns = list_columns(access, scope.id if scope is not None else None)
    rows = list(db.session.execute(
        sa.select(Card.id, Card.column_id, Card.priority, Card.assignee_id, User.name, Card.archived,
                  Card.archived_at, Card.created_at)
        .outerjoin(User, User.id == Card.assignee_id)
        .where(Card.project_id == access.project.id, Card.column_id.in_([c.id for c in columns]))))
    changes = _changes(access, columns)
    active = [r for r in rows if not r.archived]
    first, last, from_scope = stats_range(scope, now.date())
    states = [CardState(r.id, r.column_id, r.archived, r.created_at, r.archived_at) for r in rows]
    return BoardStats(
        total=len(active),
        by_category=count_by_category(columns, [r.column_id for r in active]),
        by_column=count_by_column(columns, [r.column_id for r in active]),
        by_priority=count_by_priority([r.priority for r in active]),
        by_assignee=count_by_assignee([(r.assignee_id, r.name) for r in active]),
        series=series(columns, states, changes, first, last, now, from_scope))


def count_by_category(columns: list[Column], column_ids: list[str]) -> list[Count]:
    category = {c.id: c.category for c in columns}
    found = [category[i] for i in column_ids]
    return [Count(c, CATEGORY_LABELS[c], found.count(c)) for c in COLUMN_CATEGORIES]


def count_by_column(columns: list[Column], column_ids: list[str]) -> list[Count]:
    """Every column of the board in board order, empty ones included."""
    return [Count(c.category, c.name, column_ids.count(c.id)) for c in columns]


def count_by_priority(priorities: list[str | None]) -> list[Count]:
    """High to low, then the cards without a priority."""
    return [Count(p, p.capitalize(), priorities.count(p)) for p in reversed(PRIORITIES)] + \
        [Count("none", "No priority", priorities.count(None))]


def count_by_assignee(assignees: list[tuple[str | None, str | None]]) -> list[Count]:
    """People by number of cards (most first, then by name), then the unassigned cards when
    there are any."""
    counts: dict[str, list] = {}
    for person_id, name in assignees:
        if person_id is not None:
            counts.setdefault(person_id, [name or "Someone", 0])[1] += 1
    people = sorted(counts.values(), key=lambda pair: (-pair[1], pair[0].casefold()))
    unassigned = sum(1 for person_id, _ in assignees if person_id is None)
    return [Count("person", name, n) for name, n in people] + \
        ([Count("none", "Unassigned", unassigned)] if unassigned else [])


def series(columns: list[Column], cards: list[CardState], changes: list[Change], first: date, last: date,
           now: datetime, from_scope_dates: bool = False) -> Series:
    """The cumulative flow and burndown over `first`..`last` (see the module's docstring)."""
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    by_card: dict[str, list[Change]] = {}
    for change in sorted(changes, key=lambda c: c.at):
        by_card.setdefault(change.card_id, []).append(change)
    by_id = {c.id: c for c in columns}
    categories: dict[str, str] = {}
    for column in columns:
        categories.setdefault(column.name, column.category)
    timelines = [_timeline(card, by_card.get(card.id, []), by_id[card.column_id], categories) for card in cards]
    flow: list[dict[str, int] | None] = []
    for day in days:
        if day > now.date():
            flow.append(None)
            continue
        end = min(_midnight(day + timedelta(days=1)), now)
        counts = dict.fromkeys(COLUMN_CATEGORIES, 0)
        for timeline in timelines:
            category = _state_at(timeline, end)
            if category is not None:
                counts[category] += 1
        flow.append(counts)
    remaining = [None if c is None else c["todo"] + c["in_progress"] for c in flow]
    start = remaining[0] if remaining[0] is not None else _open_now(columns, cards)
    steps = len(days) - 1
    ideal = [start * (steps - n) / steps if steps else float(start) for n in range(len(days))]
    return Series(days=days, flow=flow, remaining=remaining, ideal=ideal, from_scope_dates=from_scope_dates)


def _changes(access: ProjectAccess, columns: list[Column]) -> list[Change]:
    """The logged changes the history reads, of the cards now on these columns."""
    on_board = sa.select(Card.id).where(Card.project_id == access.project.id,
                                        Card.column_id.in_([c.id for c in columns]))
    return [Change(card_id, at, type_, meta or {}) for card_id, at, type_, meta in db.session.execute(
        sa.select(Activity.card_id, Activity.created_at, Activity.type, Activity.meta)
        .where(Activity.project_id == access.project.id, Activity.type.in_(HISTORY_TYPES),
               Activity.card_id.in_(on_board),
               # Of the edits, only unarchiving matters: leave the others in the database.
               sa.or_(Activity.type != "card_updated", sa.cast(Activity.meta, sa.Text).contains('"archived"')))
        .order_by(Activity.created_at, Activity.id))]


def _timeline(card: CardState, changes: list[Change], current: Column,
              categories: dict[str, str]) -> list[tuple[datetime, str | None]]:
    """(from when, category, or None when archived) for one card, oldest first, from its
    logged changes; its last entry is the card's current state. `categories` maps the board's
    column names to their category."""
    created = next((c for c in changes if c.type == "card_created"), None)
    first_move = next((c for c in changes if c.type == "card_moved"), None)
    if created is not None:
        name = created.meta.get("column")
    elif first_move is not None:
        name = first_move.meta.get("fromColumn")
    else:
        name = NOW
    born = created.at if created is not None else card.created_at
    archived = False
    steps = [(born, name, archived)]
    for change in changes:
        if change.type == "card_moved":
            name = change.meta.get("toColumn")
        elif change.type == "card_archived":
            archived = True
        elif change.type == "card_updated" and "archived" in change.meta.get("fields", ()):
            archived = False
        else:
            continue
        steps.append((max(change.at, born), name, archived))
    # After its last logged change the card is in its current column (this follows renames).
    at, _, archived = steps[-1]
    if card.archived and not archived:  # archived with no log entry: since `archived_at`
        steps[-1] = (at, NOW, False)
        steps.append((max(card.archived_at or at, at), NOW, True))
    else:
        steps[-1] = (at, NOW, card.archived)
    return [(at, None if off else current.category if name is NOW else categories.get(name, "todo"))
            for at, name, off in steps]


def _state_at(timeline: list[tuple[datetime, str | None]], moment: datetime) -> str | None:
    """The category a card was in at `moment` (None: not yet created, or archived)."""
    state = None
    for at, category in timeline:
        if at > moment:
            break
        state = category
    return state


def _open_now(columns: list[Column], cards: list[CardState]) -> int:
    done = {c.id for c in columns if c.category == "done"}
    return sum(1 for c in cards if not c.archived and c.column_id not in done)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(tzinfo=timezone.utc))
