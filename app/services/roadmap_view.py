"""The roadmap view of a board: its active cards on a timeline from their start date to their
due date, the scopes' spans above them, a time axis and the `blocks` relations between the
cards drawn as arrows. Days are UTC dates.

A card with both dates is a bar covering its start day to its due day (both included); with
only one of them it is a milestone on that day; with neither it is listed apart, unscheduled.
On the project's own board every scope with a date is drawn (a scope with only one date as a
milestone); on a scope's board only that scope, on top. The timeline runs from the earliest to
the latest day drawn, padded by `PAD_DAYS` on each side; the today line shows when today falls
in it. At most `MAX_CARDS` cards are drawn (those that start first); the page says how many
more there are. An arrow joins two drawn cards only: a relation to a card of another board,
an unscheduled card or one left out by the cap draws nothing.

`layout` is pure (positions in SVG user units, from the data given); `roadmap` loads a board's
data in a constant number of queries and lays it out.
"""
from dataclasses import dataclass
from typing import ClassVar
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from app.extensions import db
from app.models.board import Card, Column, Scope
from app.models.card_depth import CardRelation
from app.services.columns import list_columns
from app.services.projects import ProjectAccess
from app.services.scopes import list_scopes

MAX_CARDS = 300
PAD_DAYS = 7
LABEL_WIDTH = 240  # the names column left of the time axis
AXIS_HEIGHT = 44
ROW_HEIGHT = 26
BAR_HEIGHT = 16
# Pixels per day: the whole range aims at about TARGET_WIDTH, within these bounds.
TARGET_WIDTH = 1000
MIN_DAY_WIDTH = 2.0
# Beyond this width (dates decades apart) days shrink below MIN_DAY_WIDTH, and months are
# marked only when they are MONTH_TICKS_FROM wide; otherwise each year's first day.
MAX_WIDTH = 12000
MONTH_TICKS_FROM = 40.0
MAX_DAY_WIDTH = 28.0
WEEK_TICKS_FROM = 5.0  # day width from which Monday ticks are drawn


@dataclass
class Span:
    """Something drawn on the timeline: `start` to `end` (both days included; equal for a
    milestone), on row `row`; `x`, `width`, `y` are its box in the SVG."""

    start: date
    end: date
    milestone: bool
    row: int
    x: float
    width: float
    y: float

    @property
    def middle_y(self) -> float:
        return self.y + BAR_HEIGHT / 2

    @property
    def row_top(self) -> float:
        return AXIS_HEIGHT + self.row * ROW_HEIGHT

    @property
    def left_end(self) -> float:
        """Where an arrow ends: a bar's left edge, a milestone's left point."""
        return self.x + self.width / 2 - BAR_HEIGHT / 2 if self.milestone else self.x

    @property
    def right_end(self) -> float:
        """Where an arrow starts: a bar's right edge, a milestone's right point."""
        return self.x + self.width / 2 + BAR_HEIGHT / 2 if self.milestone else self.x + self.width


@dataclass
class CardSpan(Span):
    card: Card = None


@dataclass
class ScopeSpan(Span):
    scope: Scope = None


@dataclass
class Arrow:
    """`blocker` blocks `blocked`: a path from the end of one to the start of the other."""

    blocker: CardSpan
    blocked: CardSpan
    path: str


@dataclass
class Tick:
    day: date
    x: float
    label: str
    month: bool  # a month's first day (else a Monday)


@dataclass
class Roadmap:
    """`first`/`last`: the days of the axis (None when nothing is dated); `today_x` None when
    today is outside them; `hidden` the scheduled cards beyond the cap."""

    label_width: ClassVar[int] = LABEL_WIDTH
    axis_height: ClassVar[int] = AXIS_HEIGHT
    row_height: ClassVar[int] = ROW_HEIGHT
    bar_height: ClassVar[int] = BAR_HEIGHT
    max_cards: ClassVar[int] = MAX_CARDS

    first: date | None
    last: date | None
    day_width: float
    width: float
    height: float
    scopes: list[ScopeSpan]
    cards: list[CardSpan]
    arrows: list[Arrow]
    ticks: list[Tick]
    today_x: float | None
    unscheduled: list[Card]
    undated_scopes: list[Scope]
    hidden: int


def card_days(card: Card) -> tuple[date, date] | None:
    """The days a card covers on the timeline, or None when it has neither date. A start
    after the due date (not allowed by the card rules, but old data may hold it) is swapped."""
    days = [d.date() for d in (card.start_date, card.due_date) if d is not None]
    return (min(days), max(days)) if days else None


def scope_days(scope: Scope) -> tuple[date, date] | None:
    days = [d.date() for d in (scope.start_date, scope.end_date) if d is not None]
    return (min(days), max(days)) if days else None


def layout(cards: list[Card], scopes: list[Scope], blocks: list[tuple[str, str]], today: date,
           max_cards: int = MAX_CARDS) -> Roadmap:
    """Place `scopes` (in the order given) then `cards` (by first day, then key) on the
    timeline; `blocks` are (blocker id, blocked id) pairs."""
    dated = sorted(((days, c) for c in cards if (days := card_days(c)) is not None),
                   key=lambda pair: (pair[0], pair[1].number))
    unscheduled = sorted((c for c in cards if card_days(c) is None), key=lambda c: c.number)
    shown, hidden = dated[:max_cards], max(len(dated) - max_cards, 0)
    scope_spans = [(days, s) for s in scopes if (days := scope_days(s)) is not None]
    undated_scopes = [s for s in scopes if scope_days(s) is None]
    all_days = [d for days, _ in shown + scope_spans for d in days]
    if not all_days:
        return Roadmap(None, None, 0, 0, 0, [], [], [], [], None, unscheduled, undated_scopes, hidden)

    first = _shifted(min(all_days), -PAD_DAYS)
    last = _shifted(max(all_days), PAD_DAYS)
    count = (last - first).days + 1
    day_width = min(max(TARGET_WIDTH / count, MIN_DAY_WIDTH), MAX_DAY_WIDTH, MAX_WIDTH / count)

    def x_of(day: date) -> float:
        return LABEL_WIDTH + (day - first).days * day_width

    def place(row: int, days: tuple[date, date], milestone: bool, kind, **thing):
        start, end = days
        return kind(start=start, end=end, milestone=milestone, row=row, x=x_of(start),
                    width=(end - start).days * day_width + day_width, y=_row_y(row), **thing)

    placed_scopes = [place(i, days, _one_date(s.start_date, s.end_date), ScopeSpan, scope=s)
                     for i, (days, s) in enumerate(scope_spans)]
    offset = len(placed_scopes)
    placed_cards = [place(offset + i, days, _one_date(c.start_date, c.due_date), CardSpan, card=c)
                    for i, (days, c) in enumerate(shown)]
    by_id = {span.card.id: span for span in placed_cards}
    arrows = [Arrow(by_id[a], by_id[b], _arrow_path(by_id[a], by_id[b]))
              for a, b in sorted(set(blocks)) if a in by_id and b in by_id and a != b]
    rows = offset + len(placed_cards)
    return Roadmap(first=first, last=last, day_width=day_width, width=x_of(last) + day_width,
                   height=AXIS_HEIGHT + rows * ROW_HEIGHT + ROW_HEIGHT // 2,
                   scopes=placed_scopes, cards=placed_cards, arrows=arrows,
                   ticks=_ticks(first, last, day_width, x_of),
                   today_x=x_of(today) + day_width / 2 if first <= today <= last else None,
                   unscheduled=unscheduled, undated_scopes=undated_scopes, hidden=hidden)


def roadmap(access: ProjectAccess, scope: Scope | None, today: date) -> Roadmap:
    """The board's roadmap (see the module's docstring) in four queries whatever it holds:
    columns, active cards, scopes (the project's own board only), `blocks` relations."""
    columns = {c.id: c for c in list_columns(access, scope.id if scope is not None else None)}
    cards = list(db.session.scalars(
        sa.select(Card).where(Card.project_id == access.project.id, Card.column_id.in_(list(columns)),
                              Card.archived.is_(False))))
    for card in cards:
        set_committed_value(card, "column", columns[card.column_id])
        set_committed_value(card, "project", access.project)
    scopes = [scope] if scope is not None else list_scopes(access)
    return layout(cards, scopes, _blocks(columns), today)


def _blocks(columns: dict[str, Column]) -> list[tuple[str, str]]:
    """(blocker, blocked) ids of the `blocks` relations between active cards of these columns."""
    if not columns:
        return []
    on_board = sa.select(Card.id).where(Card.column_id.in_(list(columns)), Card.archived.is_(False))
    return [(a, b) for a, b in db.session.execute(
        sa.select(CardRelation.source_card_id, CardRelation.target_card_id).where(
            CardRelation.type == "blocks", CardRelation.source_card_id.in_(on_board),
            CardRelation.target_card_id.in_(on_board)))]


def _one_date(start, end) -> bool:
    """Only one of the two dates: a milestone (both on one day is a one-day bar)."""
    return (start is None) != (end is None)


def _shifted(day: date, days: int) -> date:
    """`day` moved by `days`, kept within the dates Python holds (a card may be due in 9999)."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.min if days < 0 else date.max


def _row_y(row: int) -> float:
    return AXIS_HEIGHT + row * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2


def _arrow_path(blocker: CardSpan, blocked: CardSpan) -> str:
    """A curve from the blocker's right end to the blocked card's left end."""
    x1, y1, x2, y2 = blocker.right_end, blocker.middle_y, blocked.left_end, blocked.middle_y
    bend = max(abs(x2 - x1) / 2, 12)
    return f"M{x1:.1f},{y1:.1f} C{x1 + bend:.1f},{y1:.1f} {x2 - bend:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"


def _ticks(first: date, last: date, day_width: float, x_of) -> list[Tick]:
    """Each month's first day (each year's, when months are too narrow to label), and each
    Monday when days are wide enough to tell them apart."""
    months = day_width * 30 >= MONTH_TICKS_FROM
    ticks = []
    month = date(first.year, first.month, 1)
    while month <= last:
        if month >= first and (months or month.month == 1):
            ticks.append(Tick(month, x_of(month), month.strftime("%b ") + str(month.year) if months else str(month.year), True))
        if month.year == date.max.year and month.month == 12:
            break
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    if day_width >= WEEK_TICKS_FROM:
        monday = _shifted(first, -first.weekday() % 7)
        ticks += [Tick(d, x_of(d), str(d.day), False)
                  for d in (monday + timedelta(weeks=n) for n in range((last - monday).days // 7 + 1))
                  if d.day != 1]
    return sorted(ticks, key=lambda tick: tick.day)
