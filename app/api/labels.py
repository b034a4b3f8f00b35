"""`P/labels*` and `P/cards/:cardId/labels/:labelId`: project labels and their cards."""
from flask import g, jsonify

from app.api import bp, ok
from app.api.auth import authed
from app.api.body import json_body
from app.presenters.board import card_json
from app.presenters.card_depth import label_json
from app.services import labels
from app.services.projects import project_access

P = "/orgs/<org_slug>/workspaces/<ws_slug>/projects/<project_id>"
LABEL_BODY = {"name": str, "color": str}


@bp.post(P + "/labels")
@authed("projects")
def create_label(org_slug, ws_slug, project_id):
    body = json_body(LABEL_BODY, required=("name", "color"))
    label = labels.create_label(project_access(g.user, org_slug, ws_slug, project_id), body["name"], body["color"])
    return jsonify(label_json(label)), 201


@bp.get(P + "/labels")
@authed("projects")
def list_labels(org_slug, ws_slug, project_id):
    return jsonify([label_json(lb) for lb in labels.list_labels(project_access(g.user, org_slug, ws_slug, project_id))])


@bp.patch(P + "/labels/<label_id>")
@authed("projects")
def update_label(org_slug, ws_slug, project_id, label_id):
    body = json_body(LABEL_BODY)
    label = labels.update_label(project_access(g.user, org_slug, ws_slug, project_id), label_id, body)
    return jsonify(label_json(label))


@bp.delete(P + "/labels/<label_id>")
@authed("projects")
def delete_label(org_slug, ws_slug, project_id, label_id):
    labels.delete_label(project_access(g.user, org_slug, ws_slug, project_id), label_id)
    return ok()


@bp.post(P + "/cards/<card_id>/labels/<label_id>")
@authed("projects")
def assign_label(org_slug, ws_slug, project_id, card_id, label_id):
    json_body({})
    access = project_access(g.user, org_slug, ws_slug, project_id)
    card = labels.assign_label(g.user, card_id, label_id, expected_project_id=access.project.id)
    return jsonify(card_json(card)), 201


@bp.delete(P + "/cards/<card_id>/labels/<label_id>")
@authed("projects")
def unassign_label(org_slug, ws_slug, project_id, card_id, label_id):
    access = project_access(g.user, org_slug, ws_slug, project_id)
    labels.unassign_label(g.user, card_id, label_id, expected_project_id=access.project.id)
    return ok()
