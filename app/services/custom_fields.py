"""Custom fields of a project and their values on cards.

A field is `{name, type, options}`: name 1–100 characters, unique in the project whatever
its case; type one of text, number, select, multi-select, date, boolean; `options` (1–50
distinct strings of 1–100 characters) for select and multi-select only. Any project member
manages fields and sets values.

Values, by type: text 1–1000 characters (blank clears); number a finite JSON number;
boolean true/false; date an ISO date or timestamp (stored as ISO UTC with `Z`); select one
of the options; multi-select an array of options (duplicates dropped, empty clears).
`null` clears a value. Setting values validates all of them before changing anything.

Changing a field never leaves an invalid value behind. A new type CONVERTS each value when
it reads as the new type, otherwise CLEARS it: to text, every value becomes its text (a
multi-select value its options joined by ", "); from text or select, the text is read as a
number, a boolean (`true`/`false`), a date or an option; select ↔ multi-select keep the
options still offered (a multi-select becomes a select only with exactly one). Changing the
options of a select or multi-select drops the values no longer offered. Deleting a field
removes its values from every card.
"""
import json
import math
from collections.abc import Callable

import sqlalchemy as sa

from app.errors import Conflict, Invalid, NotFound
from app.extensions import db
from app.ids import is_id
from app.models.board import Card
from app.models.card_depth import FIELD_TYPES, CustomField, CustomFieldValue
from app.models.identity import User
from app.services import activity, card_extras, rules
from app.services.cards import card_access
from app.services.projects import ProjectAccess
from app.timeutil import iso, parse_datetime

FIELD_KEYS = ("name", "type", "options")
CHOICE_TYPES = ("select", "multi-select")
MAX_OPTIONS = 50
MAX_TEXT = 1000


def list_fields(access: ProjectAccess) -> list[CustomField]:
    """The project's fields, oldest first."""
    return list(db.session.scalars(sa.select(CustomField).where(CustomField.project_id == access.project.id)
                                   .order_by(CustomField.created_at, CustomField.id)))


def create_field(access: ProjectAccess, name: object, type_: object, options: object = None) -> CustomField:
    """Raises Invalid (name, type, options), Conflict (name taken in the project)."""
    name = rules.text("name", name, max_len=100)
    type_ = rules.choice("type", type_, FIELD_TYPES)
    options = options_value(type_, options)
    _ensure_free(access.project.id, name)
    field = CustomField(project_id=access.project.id, name=name, type=type_, options=options)
    db.session.add(field)
    db.session.flush()
    return field


def update_field(access: ProjectAccess, field_id: str, changes: dict) -> CustomField:
    """Change `name`, `type` and/or `options`; the values on cards are converted or cleared
    to fit (see the module doc). Raises NotFound, Invalid, Conflict (name taken)."""
    field = get_field(access, field_id)
    for key in changes:
        if key not in FIELD_KEYS:
            raise Invalid(key, f"property {key} should not exist")
    name = rules.text("name", changes["name"], max_len=100) if "name" in changes else field.name
    new_type = rules.choice("type", changes["type"], FIELD_TYPES) if "type" in changes else field.type
    if "options" in changes:
        options = options_value(new_type, changes["options"])
    elif new_type in CHOICE_TYPES:
        options = options_value(new_type, field.options if field.type in CHOICE_TYPES else None)
    else:
        options = []
    if name != field.name:
        _ensure_free(access.project.id, name, except_id=field.id)
    old_type = field.type
    field.name, field.type, field.options = name, new_type, options
    if new_type != old_type or new_type in CHOICE_TYPES:
        _refit_values(field, old_type)
    db.session.flush()
    return field


def delete_field(access: ProjectAccess, field_id: str) -> None:
    """Delete a field; the database removes its values from every card. Raises NotFound."""
    db.session.delete(get_field(access, field_id))
    db.session.flush()


def set_values(user: User, card_id: str, values: object, *, expected_project_id: str | None = None) -> Card:
    """Set (or with `null` clear) values of the card's custom fields: `values` maps field ids
    of the card's project to values; return the card. Records `card_updated` (field
    `customFields`) when something changed.

    Raises NotFound (card out of reach), Invalid (`values.<fieldId>`: not a field of the
    project, or a value that does not fit its type), nothing being changed then.
    """
    card, _ = card_access(user, card_id, expected_project_id)
    if not isinstance(values, dict):
        raise Invalid("values", "values must be an object mapping field ids to values")
    fields = {f.id: f for f in db.session.scalars(sa.select(CustomField).where(
        CustomField.project_id == card.project_id, CustomField.id.in_([k for k in values if is_id(k)])))}
    planned = {}
    for field_id, raw in values.items():
        where = f"values.{field_id}"
        field = fields.get(field_id)
        if field is None:
            raise Invalid(where, f"{where} is not a custom field of this project")
        planned[field] = None if raw is None else value_for(field, raw, where)
    current = {v.field_id: v for v in db.session.scalars(sa.select(CustomFieldValue).where(
        CustomFieldValue.card_id == card.id, CustomFieldValue.field_id.in_([f.id for f in planned])))}
    changed = []
    for field, value in planned.items():
        row = current.get(field.id)
        if value is None and row is not None:
            db.session.delete(row)
        elif value is not None and row is None:
            db.session.add(CustomFieldValue(card_id=card.id, field_id=field.id, value=value))
        elif value is not None and row.value != value:
            row.value = value
        else:
            continue
        changed.append(field.name)
    if changed:
        card.version += 1
        db.session.flush()
        activity.record(user, "card_updated", card.project_id, card=card,
                        meta={"fields": ["customFields"], "customFields": sorted(changed)})
        card_extras.forget(card)
    return card


def get_field(access: ProjectAccess, field_id: object) -> CustomField:
    """A field of this project. Raises NotFound."""
    field = db.session.get(CustomField, field_id) if is_id(field_id) else None
    if field is None or field.project_id != access.project.id:
        raise NotFound("Custom field not found")
    return field


def options_value(type_: str, options: object) -> list[str]:
    """The options a field of `type_` keeps. Raises Invalid (field `options`)."""
    if type_ not in CHOICE_TYPES:
        if options not in (None, []):
            raise Invalid("options", f"options are only for select and multi-select fields, not {type_}")
        return []
    if not isinstance(options, list) or not options:
        raise Invalid("options", f"a {type_} field needs options: a non-empty array of strings")
    if len(options) > MAX_OPTIONS:
        raise Invalid("options", f"options must have at most {MAX_OPTIONS} items")
    cleaned = [rules.text(f"options[{i}]", option, max_len=100) for i, option in enumerate(options)]
    if len(set(cleaned)) != len(cleaned):
        raise Invalid("options", "options must be distinct")
    return cleaned


def value_for(field: CustomField, raw: object, where: str = "value") -> object:
    """`raw` checked against the field's type, in its stored form; None for a value that
    clears (blank text, empty multi-select). Raises Invalid (field `where`)."""
    kind = field.type
    if kind == "text":
        if not isinstance(raw, str):
            raise Invalid(where, f"{where} must be a string")
        return rules.optional_text(where, raw, max_len=MAX_TEXT)
    if kind == "number":
        if not isinstance(raw, (int, float)) or isinstance(raw, bool) or not math.isfinite(raw):
            raise Invalid(where, f"{where} must be a number")
        return raw
    if kind == "boolean":
        if not isinstance(raw, bool):
            raise Invalid(where, f"{where} must be a boolean")
        return raw
    if kind == "date":
        return iso(rules.optional_datetime(where, raw))
    if kind == "select":
        if not isinstance(raw, str) or raw not in field.options:
            raise Invalid(where, f"{where} must be one of: {', '.join(field.options)}")
        return raw
    if not isinstance(raw, list) or any(not isinstance(v, str) or v not in field.options for v in raw):
        raise Invalid(where, f"{where} must be an array of: {', '.join(field.options)}")
    return list(dict.fromkeys(raw)) or None


def convert(value: object, old_type: str, field: CustomField) -> object:
    """The value of a field whose type was `old_type`, refitted to `field` (its new type and
    options): converted when it reads as the new type, otherwise None (cleared)."""
    if field.type == "multi-select":
        candidates = value if isinstance(value, list) else [_as_text(value, old_type)]
        return [v for v in candidates if v in field.options] or None
    if isinstance(value, list):
        if field.type == "text":
            return _fit(field, ", ".join(value))
        if len(value) != 1:
            return None
        value, old_type = value[0], "select"
    return _fit(field, _as_text(value, old_type) if field.type != old_type else value)


def _fit(field: CustomField, candidate: object) -> object:
    """`candidate` (a value of the field's type, or text to read as one) if it fits."""
    readers: dict[str, Callable[[object], object]] = {
        "number": _read_number, "boolean": _read_boolean,
        "date": lambda v: iso(parse_datetime(v)) if isinstance(v, str) else None,
    }
    try:
        reader = readers.get(field.type)
        if reader is not None and isinstance(candidate, str):
            candidate = reader(candidate)
        return None if candidate is None else value_for(field, candidate)
    except (Invalid, ValueError, TypeError):
        return None


def _read_number(text: str) -> object:
    number = float(text.strip())
    return int(number) if number.is_integer() and abs(number) < 2 ** 53 else number


def _read_boolean(text: str) -> bool | None:
    return {"true": True, "false": False}.get(text.strip().lower())


def _as_text(value: object, old_type: str) -> str:
    if old_type == "boolean":
        return "true" if value else "false"
    if old_type == "number":
        return json.dumps(value)
    if old_type == "date" and isinstance(value, str):
        return value[:10] if value.endswith("T00:00:00.000Z") else value
    return str(value)


def _refit_values(field: CustomField, old_type: str) -> None:
    """Convert or clear every value of the field after a change of type or options (one
    pass over that field's values)."""
    for row in db.session.scalars(sa.select(CustomFieldValue).where(CustomFieldValue.field_id == field.id)):
        value = convert(row.value, old_type, field)
        if value is None:
            db.session.delete(row)
        elif value != row.value:
            row.value = value


def _ensure_free(project_id: str, name: str, except_id: str | None = None) -> None:
    query = sa.select(CustomField.id).where(CustomField.project_id == project_id,
                                            sa.func.lower(CustomField.name) == name.lower())
    if except_id is not None:
        query = query.where(CustomField.id != except_id)
    if db.session.scalar(query) is not None:
        raise Conflict(f"A custom field named '{name}' already exists in this project")
