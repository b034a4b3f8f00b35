"""`P/scopes*`: sub-boards of a project, and the view each one shows."""
from flask import g, jsonify

from app.api import bp, ok
from app.api.auth import authed
from app.api.body import json_body
from app.presenters.board import card_json, column_json, scope_json, scope_views_json
from app.services import cards, columns, scopes
from app.services.projects import project_access

P = "/orgs/<org_slug>/workspaces/<ws_slug>/projects/<project_id>"
SCOPE_BODY = {"name": str, "description": (str, None), "startDate": (str, None), "endDate": (str, None)}


@bp.post(P + "/scopes")
@authed("projects")
def create_scope(org_slug, ws_slug, project_id):
    body = json_body(SCOPE_BODY, required=("name",))
    scope = scopes.create_scope(project_access(g.user, org_slug, ws_slug, project_id), body)
    return jsonify(scope_json(scope)), 201


@bp.get(P + "/scopes")
@authed("projects")
def list_scopes(org_slug, ws_slug, project_id):
    return jsonify([scope_json(s) for s in scopes.list_scopes(project_access(g.user, org_slug, ws_slug, project_id))])


@bp.get(P + "/scopes/<scope_id>")
@authed("projects")
def get_scope(org_slug, ws_slug, project_id, scope_id):
    access = project_access(g.user, org_slug, ws_slug, project_id)
    scope = scopes.get_scope(access, scope_id)
    board = columns.list_columns(access, scope.id)
    return jsonify({**scope_json(scope), "columns": [column_json(c) for c in board],
                    "cards": [card_json(c) for c in cards.list_cards(access, columns=board)]})


@bp.patch(P + "/scopes/<scope_id>")
@authed("projects")
def update_scope(org_slug, ws_slug, project_id, scope_id):
    body = json_body(SCOPE_BODY)
    scope = scopes.update_scope(project_access(g.user, org_slug, ws_slug, project_id), scope_id, body)
    return jsonify(scope_json(scope))


@bp.delete(P + "/scopes/<scope_id>")
@authed("projects")
def delete_scope(org_slug, ws_slug, project_id, scope_id):
    scopes.delete_scope(project_access(g.user, org_slug, ws_slug, project_id), scope_id)
    return ok()


@bp.get(P + "/scopes/<scope_id>/views")
@authed("projects")
def get_views(org_slug, ws_slug, project_id, scope_id):
    scope = scopes.get_scope(project_access(g.user, org_slug, ws_slug, project_id), scope_id)
    return jsonify(scope_views_json(scope))


@bp.patch(P + "/scopes/<scope_id>/views")
@authed("projects")
def set_view(org_slug, ws_slug, project_id, scope_id):
    body = json_body({"activeView": str}, required=("activeView",))
    scope = scopes.set_active_view(project_access(g.user, org_slug, ws_slug, project_id), scope_id,
                                   body["activeView"])
    return jsonify(scope_views_json(scope))
