"""The calendar view of a board: a month of weeks (Monday to Sunday) with the board's active
cards on the day they are due (UTC dates), and a tray of the cards with no due date.

Which month opens by default: the current one; on a scope with dates, when today is outside
them, the month the scope starts (or, with only an end date passed, the month it ended), so a
future or finished sprint opens on its own weeks. Dragging a card to a day keeps the time of
day of its due date (a card due at 17:00 stays due at 17:00); a card that had none becomes
due at 00:00 UTC that day, as a date typed without a time does.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from app.errors import Invalid
from app.extensions import db
from app.models.board import Card, Scope
from app.services.columns import list_columns
from app.services.projects import ProjectAccess

# Months a page can show; beyond them the grid's edges would leave the calendar's range.
FIRST_MONTH = date(1900, 1, 1)
LAST_MONTH = date(2999, 12, 1)


@dataclass
class CalendarDay:
    day: date
    in_month: bool
    is_today: bool
    cards: list[Card] = field(default_factory=list)


@dataclass
class CalendarMonth:
    """One month of a board: `weeks` of seven days (each with its cards, earliest due first),
    `undated` the cards without a due date; `previous` and `next` are None at the range's ends."""

    month: date
    weeks: list[list[CalendarDay]]
    undated: list[Card]
    previous: date | None
    next: date | None


def month_value(text: object) -> date:
    """The first day of the month `YYYY-MM` names. Raises Invalid (field `month`)."""
    message = f"month must be a month written YYYY-MM between {FIRST_MONTH:%Y-%m} and {LAST_MONTH:%Y-%m}"
    if not isinstance(text, str) or len(text) != 7 or text[4] != "-" or not text.isascii() \
            or not (text[:4] + text[5:]).isdigit():
        raise Invalid("month", message)
    year, month = int(text[:4]), int(text[5:])
    if not 1 <= month <= 12 or not (FIRST_MONTH.year, FIRST_MONTH.month) <= (year, month) \
            <= (LAST_MONTH.year, LAST_MONTH.month):
        raise Invalid("month", message)
    return date(year, month, 1)


def day_value(text: object) -> date:
    """The day `YYYY-MM-DD` names, within the months a page can show. Raises Invalid (field `day`)."""
    try:
        day = date.fromisoformat(text) if isinstance(text, str) and len(text) == 10 and text.isascii() else None
    except ValueError:
        day = None
    if day is None or not FIRST_MONTH <= day.replace(day=1) <= LAST_MONTH:
        raise Invalid("day", "day must be a date written YYYY-MM-DD")
    return day


def default_month(scope: Scope | None, today: date) -> date:
    """The month a board's calendar opens on (see the module's docstring)."""
    start = scope.start_date.date() if scope is not None and scope.start_date else None
    end = scope.end_date.date() if scope is not None and scope.end_date else None
    if start is not None and today < start:
        shown = start
    elif end is not None and today > end:
        shown = start or end
    else:
        shown = today
    return min(max(shown.replace(day=1), FIRST_MONTH), LAST_MONTH)


def shift_month(month: date, step: int) -> date | None:
    """The month `step` months after `month` (before, when negative), or None out of range."""
    index = month.year * 12 + month.month - 1 + step
    shifted = date(index // 12, index % 12 + 1, 1) if index >= 12 else None
    return shifted if shifted is not None and FIRST_MONTH <= shifted <= LAST_MONTH else None


def grid_days(month: date) -> list[date]:
    """The days of the weeks (Monday to Sunday) that hold some day of `month`."""
    first = month - timedelta(days=month.weekday())
    following = shift_month(month, 1) or date(month.year, 12, 31) + timedelta(days=1)
    last = following - timedelta(days=1)
    last += timedelta(days=6 - last.weekday())
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def calendar(access: ProjectAccess, scope: Scope | None, month: date, today: date) -> CalendarMonth:
    """The board's active cards due in the weeks shown, and those without a due date (two
    queries whatever the number of cards)."""
    days = grid_days(month)
    by_day = {d: CalendarDay(d, d.month == month.month, d == today) for d in days}
    start = _midnight(days[0])
    end = _midnight(days[-1] + timedelta(days=1))
    undated = []
    for card in _board_cards(access, scope, start, end):
        if card.due_date is None:
            undated.append(card)
        else:
            by_day[card.due_date.date()].cards.append(card)
    weeks = [[by_day[d] for d in days[i:i + 7]] for i in range(0, len(days), 7)]
    return CalendarMonth(month=month, weeks=weeks, undated=undated,
                         previous=shift_month(month, -1), next=shift_month(month, 1))


def moved_due_date(due: datetime | None, day: date) -> datetime:
    """The due date of a card dropped on `day`: its time of day kept, or 00:00 UTC."""
    return datetime.combine(day, due.timetz() if due is not None else time(tzinfo=timezone.utc))


def on_board(card: Card, scope: Scope | None) -> bool:
    """Whether `card` is on the board the calendar shows (the project's own, or `scope`'s)."""
    return card.column.scope_id == (scope.id if scope is not None else None)


def _board_cards(access: ProjectAccess, scope: Scope | None, start: datetime, end: datetime) -> list[Card]:
    """The board's active cards due in [start, end) or not due at all, by due date then key,
    with their column and project set (so "overdue" and the key cost no query)."""
    columns = {c.id: c for c in list_columns(access, scope.id if scope is not None else None)}
    found = list(db.session.scalars(
        sa.select(Card).where(
            Card.project_id == access.project.id, Card.column_id.in_(list(columns)), Card.archived.is_(False),
            sa.or_(Card.due_date.is_(None), sa.and_(Card.due_date >= start, Card.due_date < end)))
        .order_by(Card.due_date, Card.number)))
    for card in found:
        set_committed_value(card, "column", columns[card.column_id])
        set_committed_value(card, "project", access.project)
    return found


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(tzinfo=timezone.utc))
