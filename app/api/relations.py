"""`P/cards/:cardId/relations` and `P/relations/:relationId`: typed links between cards."""
from flask import g, jsonify

from app.api import bp, ok
from app.api.auth import authed
from app.api.body import json_body
from app.presenters.card_depth import relation_json
from app.services import relations
from app.services.projects import project_access

P = "/orgs/<org_slug>/workspaces/<ws_slug>/projects/<project_id>"


@bp.post(P + "/cards/<card_id>/relations")
@authed("projects")
def create_relation(org_slug, ws_slug, project_id, card_id):
    body = json_body({"targetCardId": str, "type": str}, required=("targetCardId", "type"))
    access = project_access(g.user, org_slug, ws_slug, project_id)
    view = relations.create_relation(g.user, card_id, body["targetCardId"], body["type"],
                                     expected_project_id=access.project.id)
    return jsonify(relation_json(view)), 201


@bp.get(P + "/cards/<card_id>/relations")
@authed("projects")
def list_relations(org_slug, ws_slug, project_id, card_id):
    access = project_access(g.user, org_slug, ws_slug, project_id)
    views = relations.list_relations(g.user, card_id, expected_project_id=access.project.id)
    return jsonify([relation_json(v) for v in views])


@bp.delete(P + "/relations/<relation_id>")
@authed("projects")
def delete_relation(org_slug, ws_slug, project_id, relation_id):
    relations.delete_relation(project_access(g.user, org_slug, ws_slug, project_id), relation_id)
    return ok()
