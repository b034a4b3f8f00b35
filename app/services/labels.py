"""Labels of a project: `{name, color}`, assigned to any of its cards.

Names are 1–50 characters, unique in the project whatever their case (Conflict otherwise);
colors are `#rrggbb` (stored lower-case). Any member of the project manages labels and
assigns them; deleting a label takes it off every card. Assigning a label a card already
has, or removing one it does not have, changes nothing. A label of another project is
NotFound. Assigning or removing records `card_updated` (field `labels`).
"""
import re

import sqlalchemy as sa

from app.errors import Conflict, Invalid, NotFound
from app.extensions import db
from app.ids import is_id
from app.models.board import Card
from app.models.card_depth import CardLabel, Label
from app.models.identity import User
from app.services import activity, card_extras, rules
from app.services.cards import card_access
from app.services.projects import ProjectAccess

COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
LABEL_FIELDS = ("name", "color")


def list_labels(access: ProjectAccess) -> list[Label]:
    """The project's labels by name."""
    return list(db.session.scalars(sa.select(Label).where(Label.project_id == access.project.id)
                                   .order_by(sa.func.lower(Label.name), Label.id)))


def create_label(access: ProjectAccess, name: object, color: object) -> Label:
    """Raises Invalid (name 1–50, color #rrggbb), Conflict (name taken in the project)."""
    name = rules.text("name", name, max_len=50)
    color = color_value(color)
    _ensure_free(access.project.id, name)
    label = Label(project_id=access.project.id, name=name, color=color)
    db.session.add(label)
    db.session.flush()
    return label


def update_label(access: ProjectAccess, label_id: str, changes: dict) -> Label:
    """Change `name` and/or `color`. Raises NotFound, Invalid, Conflict (name taken)."""
    label = get_label(access, label_id)
    for field in changes:
        if field not in LABEL_FIELDS:
            raise Invalid(field, f"property {field} should not exist")
    name = rules.text("name", changes["name"], max_len=50) if "name" in changes else None
    color = color_value(changes["color"]) if "color" in changes else None
    if name is not None:
        _ensure_free(access.project.id, name, except_id=label.id)
        label.name = name
    if color is not None:
        label.color = color
    db.session.flush()
    return label


def delete_label(access: ProjectAccess, label_id: str) -> None:
    """Delete a label; the database takes it off every card. Raises NotFound."""
    label = get_label(access, label_id)
    db.session.delete(label)
    db.session.flush()


def assign_label(user: User, card_id: str, label_id: str, *, expected_project_id: str | None = None) -> Card:
    """Put a label of the card's project on the card; return the card.
    Raises NotFound (card out of reach, label not of the card's project)."""
    card, access = card_access(user, card_id, expected_project_id)
    label = get_label(access, label_id)
    present = db.session.get(CardLabel, (card.id, label.id))
    if present is None:
        db.session.add(CardLabel(card_id=card.id, label_id=label.id))
        _touched(user, card, {"added": label.name})
    return card


def unassign_label(user: User, card_id: str, label_id: str, *, expected_project_id: str | None = None) -> Card:
    """Take a label off the card; return the card. Raises NotFound (card out of reach, label
    not of the card's project)."""
    card, access = card_access(user, card_id, expected_project_id)
    label = get_label(access, label_id)
    present = db.session.get(CardLabel, (card.id, label.id))
    if present is not None:
        db.session.delete(present)
        _touched(user, card, {"removed": label.name})
    return card


def get_label(access: ProjectAccess, label_id: object) -> Label:
    """A label of this project. Raises NotFound."""
    label = db.session.get(Label, label_id) if is_id(label_id) else None
    if label is None or label.project_id != access.project.id:
        raise NotFound("Label not found")
    return label


def color_value(value: object) -> str:
    """`#rrggbb`, lower-cased. Raises Invalid (field `color`)."""
    if not isinstance(value, str) or not COLOR_RE.match(value):
        raise Invalid("color", "color must be a hex color #rrggbb")
    return value.lower()


def _touched(user: User, card: Card, meta: dict) -> None:
    card.version += 1
    db.session.flush()
    activity.record(user, "card_updated", card.project_id, card=card, meta={"fields": ["labels"], **meta})
    card_extras.forget(card)


def _ensure_free(project_id: str, name: str, except_id: str | None = None) -> None:
    query = sa.select(Label.id).where(Label.project_id == project_id,
                                      sa.func.lower(Label.name) == name.lower())
    if except_id is not None:
        query = query.where(Label.id != except_id)
    if db.session.scalar(query) is not None:
        raise Conflict(f"A label named '{name}' already exists in this project")
