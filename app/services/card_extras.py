"""What a card's JSON shows of its comments, attachments, labels and custom field values,
loaded for many cards at once in a constant number of queries.

`preload(cards)` fills the cache of each card (three queries whatever the number of cards);
`extras_of(card)` answers from that cache or loads the one card. Board tiles only show the
counts: `preload_counts(cards)` (one query) and `counts_of(card)`. Services that change one
of these call `forget(card)` so a card presented afterwards in the same session is fresh.
"""
from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa

from app.extensions import db
from app.models.board import Card
from app.models.card_depth import Attachment, CardLabel, Comment, CustomFieldValue, Label

_CACHE = "_stellary_extras"
_COUNTS = "_stellary_counts"


@dataclass(frozen=True)
class CardCounts:
    comments: int = 0
    attachments: int = 0


@dataclass
class CardExtras:
    comment_count: int = 0
    attachment_count: int = 0
    label_ids: list[str] = field(default_factory=list)
    custom_fields: dict[str, object] = field(default_factory=dict)


def preload(cards: list[Card]) -> None:
    """Load the extras of `cards` in three queries, whatever their number (past 1000 cards
    the queries select by project rather than by a list of ids)."""
    if not cards:
        return
    found: dict[str, CardExtras] = defaultdict(CardExtras)
    wanted = _wanted(cards)
    for card_id, n_comments, n_attachments in _count_rows(wanted):
        found[card_id].comment_count = n_comments
        found[card_id].attachment_count = n_attachments
    for card_id, label_id in db.session.execute(
            sa.select(CardLabel.card_id, CardLabel.label_id)
            .join(Label, Label.id == CardLabel.label_id).join(Card, Card.id == CardLabel.card_id)
            .where(wanted).order_by(sa.func.lower(Label.name), Label.id)):
        found[card_id].label_ids.append(label_id)
    for card_id, field_id, value in db.session.execute(
            sa.select(CustomFieldValue.card_id, CustomFieldValue.field_id, CustomFieldValue.value)
            .join(Card, Card.id == CustomFieldValue.card_id)
            .where(wanted).order_by(CustomFieldValue.field_id)):
        found[card_id].custom_fields[field_id] = value
    for card in cards:
        setattr(card, _CACHE, found[card.id])


def preload_counts(cards: list[Card]) -> None:
    """Load the comment and attachment counts of `cards` in one query."""
    if not cards:
        return
    found = {card_id: CardCounts(n_comments, n_attachments)
             for card_id, n_comments, n_attachments in _count_rows(_wanted(cards))}
    for card in cards:
        setattr(card, _COUNTS, found.get(card.id, CardCounts()))


def counts_of(card: Card) -> CardCounts:
    """The card's comment and attachment counts, from the `preload_counts` cache or freshly
    loaded."""
    return cached_on(card, _COUNTS, preload_counts)


def extras_of(card: Card) -> CardExtras:
    """The card's extras, from the `preload` cache or freshly loaded."""
    return cached_on(card, _CACHE, preload)


def cached_on(card: Card, attribute: str, load) -> object:
    """What `load([card])` leaves on the card as `attribute`, loaded only when it is not there
    yet (a batch `load` of the whole board put it there already)."""
    if getattr(card, attribute, None) is None:
        load([card])
    return getattr(card, attribute)


def forget(card: Card) -> None:
    """Drop the cached extras of a card whose comments, attachments, labels or values changed."""
    for cache in (_CACHE, _COUNTS):
        if hasattr(card, cache):
            delattr(card, cache)


def _wanted(cards: list[Card]):
    """The condition selecting `cards` (past 1000 cards, by project rather than by ids)."""
    if len(cards) <= 1000:
        return Card.id.in_([c.id for c in cards])
    return Card.project_id.in_({c.project_id for c in cards})


def _count_rows(wanted):
    comments = (sa.select(sa.func.count()).select_from(Comment)
                .where(Comment.card_id == Card.id).scalar_subquery())
    attachments = (sa.select(sa.func.count()).select_from(Attachment)
                   .where(Attachment.card_id == Card.id).scalar_subquery())
    return db.session.execute(sa.select(Card.id, comments, attachments).where(wanted))
