"""Typed relations between cards of one workspace.

Types as a client writes them: `blocks`, `blocked_by`, `related_to`, `duplicates`,
`parent_of` (and `child_of`, the inverse of `parent_of`). A relation is stored once, in the
canonical direction (`A blocked_by B` is stored as `B blocks A`), and each card shows it from
its own side: the source sees the stored type, the target its inverse (`blocks` ↔
`blocked_by`, `parent_of` ↔ `child_of`; `related_to` and `duplicates` read the same from
both sides).

Rules: no relation of a card to itself (Invalid); the same relation twice, from either side,
is a Conflict; a relation that would close a cycle of `blocks` or of `parent_of` is a
Conflict; both cards must be in the same workspace and reachable by the caller (Invalid on
`targetCardId` otherwise, as for an absent card). A card may have several parents: only
cycles are refused. Creating or deleting a relation records `card_updated` (field
`relations`) on the card it was created from / on the stored source. `find_targets` offers
the cards a card may be related to (the card panel's search by key or title).
"""
import re
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from app.errors import Conflict, Invalid, NotFound
from app.extensions import db
from app.ids import is_id
from app.models.board import Card, Column, Project, ProjectMember
from app.models.card_depth import CardRelation
from app.models.identity import User
from app.services import activity, rules
from app.services.cards import card_access
from app.services.projects import ProjectAccess, list_projects

CLIENT_TYPES = ("blocks", "blocked_by", "related_to", "duplicates", "parent_of", "child_of")
# client type → (stored type, whether the client's card is the stored target)
CANONICAL = {"blocks": ("blocks", False), "blocked_by": ("blocks", True),
             "related_to": ("related_to", False), "duplicates": ("duplicates", False),
             "parent_of": ("parent_of", False), "child_of": ("parent_of", True)}
INVERSE = {"blocks": "blocked_by", "parent_of": "child_of", "related_to": "related_to",
           "duplicates": "duplicates"}
SYMMETRIC = ("related_to", "duplicates")
ACYCLIC = ("blocks", "parent_of")
KEY_RE = re.compile(r"^\s*([A-Za-z]{1,5})-(\d{1,9})\s*$")
MAX_QUERY = 200


@dataclass(frozen=True)
class RelatedCard:
    id: str
    key: str
    title: str
    project_id: str
    status: str


@dataclass(frozen=True)
class RelationView:
    """A relation as `card_id` sees it: `type` from that card's side, `other` summarized
    when the viewer reaches its project (None otherwise: only its id is shown)."""

    relation: CardRelation
    card_id: str
    other_card_id: str
    type: str
    other: RelatedCard | None


def list_relations(user: User, card_id: str, *, expected_project_id: str | None = None) -> list[RelationView]:
    """The card's relations, oldest first, from its side. Raises NotFound."""
    card, access = card_access(user, card_id, expected_project_id)
    return _views(access, card, sa.or_(CardRelation.source_card_id == card.id,
                                       CardRelation.target_card_id == card.id))


def create_relation(user: User, card_id: str, target_card_id: object, type_: object, *,
                    expected_project_id: str | None = None) -> RelationView:
    """Relate the card to `target_card_id` with `type_` (a client type); return it as the
    card sees it. Raises NotFound (card out of reach), Invalid (type, self, target out of
    reach or of another workspace), Conflict (duplicate, cycle)."""
    card, access = card_access(user, card_id, expected_project_id)
    type_ = rules.choice("type", type_, CLIENT_TYPES)
    target = _target(user, access, target_card_id)
    if target.id == card.id:
        raise Invalid("targetCardId", "A card cannot be related to itself")
    stored, reversed_ = CANONICAL[type_]
    source_id, target_id = (target.id, card.id) if reversed_ else (card.id, target.id)
    pairs = [(source_id, target_id)] + ([(target_id, source_id)] if stored in SYMMETRIC else [])
    existing = db.session.scalar(sa.select(CardRelation.id).where(
        CardRelation.type == stored,
        sa.or_(*[sa.and_(CardRelation.source_card_id == s, CardRelation.target_card_id == t) for s, t in pairs])))
    if existing is not None:
        raise Conflict("These cards are already related this way")
    if stored in ACYCLIC and _reaches(stored, target_id, source_id):
        raise Conflict(f"This {type_} relation would close a cycle")
    relation = CardRelation(source_card_id=source_id, target_card_id=target_id, type=stored,
                            created_by_id=user.id)
    db.session.add(relation)
    db.session.flush()
    activity.record(user, "card_updated", card.project_id, card=card,
                    meta={"fields": ["relations"], "added": type_, "otherCardId": target.id})
    return _views(access, card, CardRelation.id == relation.id)[0]


def delete_relation(access: ProjectAccess, relation_id: str) -> None:
    """Delete a relation that involves a card of this project. Raises NotFound."""
    relation = db.session.get(CardRelation, relation_id) if is_id(relation_id) else None
    if relation is None:
        raise NotFound("Relation not found")
    cards = {c.id: c for c in db.session.scalars(sa.select(Card).where(
        Card.id.in_((relation.source_card_id, relation.target_card_id))))}
    mine = [c for c in cards.values() if c.project_id == access.project.id]
    if not mine:
        raise NotFound("Relation not found")
    card = cards.get(relation.source_card_id) if relation.source_card_id in {c.id for c in mine} else mine[0]
    other_id = relation.target_card_id if card.id == relation.source_card_id else relation.source_card_id
    db.session.delete(relation)
    db.session.flush()
    activity.record(access.user, "card_updated", card.project_id, card=card,
                    meta={"fields": ["relations"], "removed": relation.type, "otherCardId": other_id})


def find_targets(user: User, card_id: str, q: object, *, expected_project_id: str | None = None,
                 limit: int = 10) -> list[RelatedCard]:
    """Cards the card could be related to, for a picker: active cards of the card's
    workspace, in projects the caller reaches, other than the card itself, whose key is `q`
    (`WEB-12`, any case) or whose title contains `q`. The card with that key comes first,
    then cards of the card's own project, by project and number; at most `limit`. A blank
    `q` finds nothing. Raises NotFound (card out of reach), Invalid (`q` over 200
    characters or with a NUL character)."""
    card, access = card_access(user, card_id, expected_project_id)
    text = rules.optional_text("q", q, max_len=MAX_QUERY)
    if text is None:
        return []
    keys = {p.id: p.key for p, _ in list_projects(access.workspace_access)}
    matches = [Card.title.icontains(text, autoescape=True)]
    key = KEY_RE.match(text)
    exact = sa.false()
    if key:
        exact = sa.and_(Project.key == key.group(1).upper(), Card.number == int(key.group(2)))
        matches.append(exact)
    rows = db.session.execute(
        sa.select(Card, Project.key, Column.category)
        .join(Project, Project.id == Card.project_id).join(Column, Column.id == Card.column_id)
        .where(Card.project_id.in_(keys), Card.id != card.id, Card.archived.is_(False), sa.or_(*matches))
        .order_by(sa.case((exact, 0), else_=1), sa.case((Card.project_id == card.project_id, 0), else_=1),
                  Project.key, Card.number)
        .limit(limit)).all()
    return [RelatedCard(c.id, f"{project_key}-{c.number}", c.title, c.project_id, category)
            for c, project_key, category in rows]


def _target(user: User, access: ProjectAccess, target_card_id: object) -> Card:
    """The other card: reachable by the caller and in the same workspace. Raises Invalid."""
    try:
        target, target_access = card_access(user, target_card_id)
    except NotFound:
        target = None
    if target is None or target_access.project.workspace_id != access.project.workspace_id:
        raise Invalid("targetCardId", "targetCardId does not match a card you can reach in this workspace")
    return target


def _reaches(type_: str, start: str, goal: str) -> bool:
    """Whether `goal` is reachable from `start` along stored relations of `type_` (one
    recursive query)."""
    walk = sa.select(CardRelation.target_card_id.label("card_id")).where(
        CardRelation.type == type_, CardRelation.source_card_id == start).cte("walk", recursive=True)
    walk = walk.union(sa.select(CardRelation.target_card_id).join(
        walk, CardRelation.source_card_id == walk.c.card_id).where(CardRelation.type == type_))
    return db.session.scalar(sa.select(sa.literal(1)).select_from(walk).where(walk.c.card_id == goal)) is not None


def _views(access: ProjectAccess, card: Card, condition) -> list[RelationView]:
    other = aliased(Card)
    rows = db.session.execute(
        sa.select(CardRelation, other, Project.key, Column.category)
        .join(other, other.id == sa.case((CardRelation.source_card_id == card.id, CardRelation.target_card_id),
                                         else_=CardRelation.source_card_id))
        .join(Project, Project.id == other.project_id)
        .join(Column, Column.id == other.column_id)
        .where(condition).order_by(CardRelation.created_at, CardRelation.id)).all()
    reachable = _reachable_projects(access, {o.project_id for _, o, _, _ in rows})
    views = []
    for relation, other_card, key, category in rows:
        from_source = relation.source_card_id == card.id
        summary = RelatedCard(other_card.id, f"{key}-{other_card.number}", other_card.title,
                              other_card.project_id, category) if other_card.project_id in reachable else None
        views.append(RelationView(relation, card.id, other_card.id,
                                  relation.type if from_source else INVERSE[relation.type], summary))
    return views


def _reachable_projects(access: ProjectAccess, project_ids: set[str]) -> set[str]:
    """Which of `project_ids` the caller reaches (all of them for a workspace admin)."""
    if access.workspace_access.is_admin:
        return project_ids
    found = set(db.session.scalars(sa.select(ProjectMember.project_id).where(
        ProjectMember.user_id == access.user.id, ProjectMember.project_id.in_(project_ids))))
    return found | {access.project.id} & project_ids
