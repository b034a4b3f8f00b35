"""How a card is classified, in the card panel (`<board>/cards/<card_id>/…`): its labels
(toggled, or created on the fly and put on the card at once), its custom field values (one
input per field by type, each saved on its own; empty clears) with a way to add a field to
the project, and its relations to other cards (grouped by type, found by key or title, with
the service's refusals shown inline). The board tile shows the card's labels and a "Blocked"
marker (the rule is in `app/services/card_marks.py`).

Every change goes through the services (`labels`, `custom_fields`, `relations`). A refused
change is rolled back and answers its section with the reason; a saved one answers its
section and, out of band, the tiles it changed. Without JavaScript, the forms post and come
back to the card's address (a refusal as a message).
"""
import math
import re

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user, login_required

from app.errors import DomainError, Invalid, NotFound
from app.extensions import db
from app.models.board import Card
from app.models.card_depth import CustomField
from app.services import card_extras, card_marks, cards, custom_fields, labels, relations
from app.services.projects import ProjectAccess, project_access
from app.web.board import P, card_url
from app.web.helpers import FORM_ERRORS, is_htmx, render

bp = Blueprint("card_classification", __name__)
CARD = P + "/cards/<card_id>"
RELATION_GROUPS = (("blocks", "Blocks"), ("blocked_by", "Blocked by"), ("related_to", "Related to"),
                   ("duplicates", "Duplicates"), ("parent_of", "Parent of"), ("child_of", "Child of"))
NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
MAX_NUMBER_CHARS = 40


@bp.before_request
@login_required
def _signed_in():
    """Every card page needs a signed-in user."""


# Template helpers, app-wide: the board's tiles and the card panel's sections use them.

@bp.app_template_global("card_marks")
def card_marks_of(card) -> card_marks.CardMarks:
    """The labels and blocked state a tile shows (batched on the board page)."""
    return card_marks.marks_of(card)


@bp.app_template_global()
def label_choices(access: ProjectAccess, card) -> list[tuple[object, bool]]:
    """The project's labels by name, each with whether the card has it."""
    assigned = {label.id for label in card_marks.marks_of(card).labels}
    return [(label, label.id in assigned) for label in labels.list_labels(access)]


@bp.app_template_global()
def field_entries(access: ProjectAccess, card) -> list[tuple[CustomField, object]]:
    """The project's custom fields, oldest first, each with the card's value (or None)."""
    values = card_extras.extras_of(card).custom_fields
    return [(field, values.get(field.id)) for field in custom_fields.list_fields(access)]


@bp.app_template_global()
def relation_groups(access: ProjectAccess, card) -> list[tuple[str, str, list]]:
    """The card's relations as it sees them, grouped by type in a fixed order (empty groups
    left out): (type, heading, relation views)."""
    views = relations.list_relations(access.user, card.id, expected_project_id=access.project.id)
    return [(kind, heading, [v for v in views if v.type == kind]) for kind, heading in RELATION_GROUPS
            if any(v.type == kind for v in views)]


@bp.app_template_global()
def related_card_url(access: ProjectAccess, other) -> str:
    """The card panel address of a related card, in whichever project of the workspace."""
    workspace = access.workspace_access.workspace
    return url_for("card_panel.show", org_slug=workspace.organization.slug, ws_slug=workspace.slug,
                   project_id=other.project_id, card_id=other.id)


def _card(org_slug: str, ws_slug: str, project_id: str, card_id: str):
    """The card and the viewer's access to its project. Raises NotFound (an outsider, or a
    card of another project than the one in the path)."""
    access = project_access(current_user, org_slug, ws_slug, project_id)
    return cards.get_card(current_user, card_id, expected_project_id=access.project.id), access


# Labels

@bp.post(CARD + "/labels/<label_id>")
def toggle_label(org_slug, ws_slug, project_id, card_id, label_id):
    """Put a label on the card (`assigned` = 1) or take it off (0). Raises NotFound (a
    label of another project)."""
    card, access = _card(org_slug, ws_slug, project_id, card_id)
    change = labels.assign_label if request.form.get("assigned") == "1" else labels.unassign_label
    change(current_user, card.id, label_id, expected_project_id=access.project.id)
    return _answer("cards/_labels.html", access, card)


@bp.post(CARD + "/labels")
def create_label(org_slug, ws_slug, project_id, card_id):
    """Create a project label from `name` and `color` (#rrggbb) and put it on the card."""
    card, access = _card(org_slug, ws_slug, project_id, card_id)
    typed = {"name": request.form.get("name", ""), "color": request.form.get("color", "")}
    try:
        label = labels.create_label(access, typed["name"], typed["color"])
        labels.assign_label(current_user, card.id, label.id, expected_project_id=access.project.id)
    except FORM_ERRORS as error:
        return _answer("cards/_labels.html", access, card, error, typed=typed)
    return _answer("cards/_labels.html", access, card)


# Custom fields

@bp.post(CARD + "/custom-fields/<field_id>")
def save_field_value(org_slug, ws_slug, project_id, card_id, field_id):
    """Save the card's value of one custom field from form field `value` (every checked
    `value` for a multi-select); empty clears. Raises NotFound (a field of another project)."""
    card, access = _card(org_slug, ws_slug, project_id, card_id)
    field = custom_fields.get_field(access, field_id)
    typed = request.form.getlist("value") if field.type == "multi-select" else request.form.get("value", "")
    try:
        value = _field_value(field, typed)
        if value is not None:
            custom_fields.value_for(field, value, field.name)  # a refusal that names the field, not its id
        custom_fields.set_values(current_user, card.id, {field.id: value}, expected_project_id=access.project.id)
    except FORM_ERRORS as error:
        return _answer("cards/_custom_field_answer.html", access, card, error, field=field, typed=typed)
    return _answer("cards/_custom_field_answer.html", access, card, field=field)


@bp.post(CARD + "/custom-fields")
def create_field(org_slug, ws_slug, project_id, card_id):
    """Add a custom field to the project: `name`, `type`, and for the select types
    `options`, one per line or separated by commas."""
    card, access = _card(org_slug, ws_slug, project_id, card_id)
    typed = {key: request.form.get(key, "") for key in ("name", "type", "options")}
    options = [o.strip() for o in re.split(r"[\n,]", typed["options"]) if o.strip()]
    try:
        custom_fields.create_field(access, typed["name"], typed["type"],
                                   options if typed["type"] in custom_fields.CHOICE_TYPES else None)
    except FORM_ERRORS as error:
        return _answer("cards/_custom_fields.html", access, card, error, typed=typed, tiles=False)
    return _answer("cards/_custom_fields.html", access, card, tiles=False)


# Relations

@bp.get(CARD + "/relations/candidates")
def relation_candidates(org_slug, ws_slug, project_id, card_id):
    """Cards of the workspace matching `q` (a key such as WEB-12, or part of a title), as
    buttons that relate the card to one of them."""
    card, access = _card(org_slug, ws_slug, project_id, card_id)
    q = request.args.get("q", "")
    try:
        found, error = relations.find_targets(current_user, card.id, q, expected_project_id=access.project.id), None
    except Invalid as refused:
        found, error = [], refused.message
    return render("cards/_relation_candidates.html", "cards/_relation_candidates.html", access=access,
                  card=card, candidates=found, q=q, error=error)


@bp.post(CARD + "/relations")
def add_relation(org_slug, ws_slug, project_id, card_id):
    """Relate the card to `target_id` (a card picked from the candidates) with `type`; with
    no `target_id`, to the card whose key is `q` (typed, then Enter)."""
    card, access = _card(org_slug, ws_slug, project_id, card_id)
    typed = {"type": request.form.get("type", ""), "q": request.form.get("q", "")}
    try:
        target_id = request.form.get("target_id") or _card_by_key(access, card, typed["q"])
        view = relations.create_relation(current_user, card.id, target_id, typed["type"],
                                         expected_project_id=access.project.id)
    except FORM_ERRORS as error:
        return _answer("cards/_relations.html", access, card, error, typed=typed)
    return _answer("cards/_relations.html", access, card, others=[view.other_card_id])


@bp.post(CARD + "/relations/<relation_id>/delete")
def remove_relation(org_slug, ws_slug, project_id, card_id, relation_id):
    """Remove one of the card's relations. Raises NotFound (a relation of another card)."""
    card, access = _card(org_slug, ws_slug, project_id, card_id)
    views = relations.list_relations(current_user, card.id, expected_project_id=access.project.id)
    view = next((v for v in views if v.relation.id == relation_id), None)
    if view is None:
        raise NotFound("Relation not found")
    relations.delete_relation(access, view.relation.id)
    return _answer("cards/_relations.html", access, card, others=[view.other_card_id])


# Answers

def _field_value(field: CustomField, typed):
    """The service value of a custom field's form input: None when empty (clears), a
    number, true/false, or the text as typed. Raises Invalid (not a number)."""
    if field.type == "multi-select":
        return [v for v in typed if v] or None
    if not typed.strip():
        return None
    if field.type == "number":
        text = typed.strip()
        if len(text) > MAX_NUMBER_CHARS or not NUMBER_RE.match(text) or not math.isfinite(float(text)):
            raise Invalid(field.id, f"{field.name} must be a number")
        number = float(text)
        return int(number) if number.is_integer() and abs(number) < 2 ** 53 else number
    if field.type == "boolean":
        if typed not in ("true", "false"):
            raise Invalid(field.id, f"{field.name} must be yes or no")
        return typed == "true"
    return typed


def _card_by_key(access: ProjectAccess, card, q: str) -> str:
    """The id of the card whose key is `q`. Raises Invalid (no such card within reach)."""
    found = relations.find_targets(current_user, card.id, q, expected_project_id=access.project.id, limit=1)
    if not found or found[0].key != q.strip().upper():
        raise Invalid("targetCardId", "Pick a card from the list, or type its key (such as "
                      f"{access.project.key}-1)")
    return found[0].id


def _answer(template: str, access: ProjectAccess, card, error: DomainError | None = None,
            others: list[str] = (), tiles: bool = True, **extra):
    """A section of the panel after a change (`error`: refused, rolled back and shown),
    with, after a save, the tiles of the card and of `others` (related cards of this
    project) out of band."""
    if error is not None:
        db.session.rollback()
    if not is_htmx():
        if error is not None:
            flash(error.message, "error")
        return redirect(card_url(access, card))
    card = cards.get_card(current_user, card.id, expected_project_id=access.project.id)
    shown = []
    if error is None and tiles:
        shown = [c for c in [card, *(db.session.get(Card, i) for i in others)]
                 if c is not None and c.project_id == access.project.id and not c.archived]
    for tile in shown:
        card_marks.forget(tile)
    response = render(template, template, access=access, project=access.project, card=card,
                      error=error.message if error else None, tiles=shown, typed=extra.pop("typed", None),
                      **extra)
    if error is not None:
        response.status_code = error.status
    return response
