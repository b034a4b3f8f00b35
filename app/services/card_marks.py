"""What a board tile shows of a card's classification: its labels and whether it is blocked,
loaded for many cards at once in two queries whatever their number.

A card is *blocked* while a card that blocks it (a `blocks` relation to it, which the card
shows as `blocked_by`) is still open: not archived and in a column whose category is not
`done`. Finishing the blocker (moving it to a done column), archiving it, or removing the
relation unblocks the card. Blockers in other projects of the workspace count too; the tile
only says "Blocked", never which card, so nothing leaks from a project the viewer cannot see.

`preload(cards)` fills the cache of each card; `marks_of(card)` answers from that cache or
loads the one card. A change of labels or relations answers with freshly loaded cards, so
a rendered tile is never stale within a request.
"""
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models.board import Card, Column
from app.models.card_depth import CardLabel, CardRelation, Label
from app.services.card_extras import cached_on

_CACHE = "_stellary_marks"
# Past this many cards the queries select by project rather than by a list of ids.
MAX_IDS = 1000


@dataclass(frozen=True)
class CardMarks:
    labels: tuple[Label, ...] = ()
    open_blockers: int = 0

    @property
    def blocked(self) -> bool:
        return self.open_blockers > 0


def preload(cards: list[Card]) -> None:
    """Load the labels (by name) and the open blockers of `cards` in two queries."""
    if not cards:
        return
    ids = {c.id for c in cards}
    labels: dict[str, list[Label]] = {}
    label_rows = sa.select(CardLabel.card_id, Label).join(Label, Label.id == CardLabel.label_id)
    blocker, column = aliased(Card), aliased(Column)
    blocker_rows = (sa.select(CardRelation.target_card_id, sa.func.count())
                    .join(blocker, blocker.id == CardRelation.source_card_id)
                    .join(column, column.id == blocker.column_id)
                    .where(CardRelation.type == "blocks", blocker.archived.is_(False),
                           column.category != "done")
                    .group_by(CardRelation.target_card_id))
    if len(ids) <= MAX_IDS:
        label_rows = label_rows.where(CardLabel.card_id.in_(ids))
        blocker_rows = blocker_rows.where(CardRelation.target_card_id.in_(ids))
    else:
        projects = {c.project_id for c in cards}
        label_rows = label_rows.where(Label.project_id.in_(projects))
        target = aliased(Card)
        blocker_rows = blocker_rows.join(target, target.id == CardRelation.target_card_id).where(
            target.project_id.in_(projects))
    for card_id, label in db.session.execute(label_rows.order_by(sa.func.lower(Label.name), Label.id)):
        labels.setdefault(card_id, []).append(label)
    blockers = dict(db.session.execute(blocker_rows).all())
    for card in cards:
        setattr(card, _CACHE, CardMarks(tuple(labels.get(card.id, ())), blockers.get(card.id, 0)))


def marks_of(card: Card) -> CardMarks:
    """The card's marks, from the `preload` cache or freshly loaded."""
    return cached_on(card, _CACHE, preload)


def forget(card: Card) -> None:
    """Drop the cached marks of a card whose labels or blockers changed."""
    if hasattr(card, _CACHE):
        delattr(card, _CACHE)
