"""`P/custom-fields*` and `P/cards/:cardId/custom-fields`: field definitions and card values."""
from flask import g, jsonify

from app.api import bp, ok
from app.api.auth import authed
from app.api.body import json_body
from app.presenters.board import card_json
from app.presenters.card_depth import custom_field_json
from app.services import custom_fields
from app.services.projects import project_access

P = "/orgs/<org_slug>/workspaces/<ws_slug>/projects/<project_id>"
FIELD_BODY = {"name": str, "type": str, "options": (list, None)}


@bp.post(P + "/custom-fields")
@authed("projects")
def create_custom_field(org_slug, ws_slug, project_id):
    body = json_body(FIELD_BODY, required=("name", "type"))
    field = custom_fields.create_field(project_access(g.user, org_slug, ws_slug, project_id),
                                       body["name"], body["type"], body.get("options"))
    return jsonify(custom_field_json(field)), 201


@bp.get(P + "/custom-fields")
@authed("projects")
def list_custom_fields(org_slug, ws_slug, project_id):
    rows = custom_fields.list_fields(project_access(g.user, org_slug, ws_slug, project_id))
    return jsonify([custom_field_json(f) for f in rows])


@bp.patch(P + "/custom-fields/<field_id>")
@authed("projects")
def update_custom_field(org_slug, ws_slug, project_id, field_id):
    body = json_body(FIELD_BODY)
    field = custom_fields.update_field(project_access(g.user, org_slug, ws_slug, project_id), field_id, body)
    return jsonify(custom_field_json(field))


@bp.delete(P + "/custom-fields/<field_id>")
@authed("projects")
def delete_custom_field(org_slug, ws_slug, project_id, field_id):
    custom_fields.delete_field(project_access(g.user, org_slug, ws_slug, project_id), field_id)
    return ok()


@bp.patch(P + "/cards/<card_id>/custom-fields")
@authed("projects")
def set_custom_field_values(org_slug, ws_slug, project_id, card_id):
    body = json_body({"values": dict}, required=("values",))
    access = project_access(g.user, org_slug, ws_slug, project_id)
    card = custom_fields.set_values(g.user, card_id, body["values"], expected_project_id=access.project.id)
    return jsonify(card_json(card))
