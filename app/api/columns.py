"""`P/columns*`: the columns of a project board."""
from flask import g, jsonify, request

from app.api import bp, ok
from app.api.auth import authed
from app.api.body import json_body
from app.presenters.board import column_json
from app.services import columns, scopes
from app.services.projects import project_access

P = "/orgs/<org_slug>/workspaces/<ws_slug>/projects/<project_id>"
COLUMN_BODY = {"name": str, "order": int, "category": str, "wipLimit": (int, None)}
NEW_COLUMN_BODY = {**COLUMN_BODY, "scopeId": (str, None)}


@bp.post(P + "/columns")
@authed("projects")
def create_column(org_slug, ws_slug, project_id):
    body = json_body(NEW_COLUMN_BODY, required=("name",))
    column = columns.create_column(project_access(g.user, org_slug, ws_slug, project_id), body["name"],
                                   body.get("category"), body.get("wipLimit"), body.get("order"),
                                   body.get("scopeId"))
    return jsonify(column_json(column)), 201


@bp.get(P + "/columns")
@authed("projects")
def list_columns(org_slug, ws_slug, project_id):
    access = project_access(g.user, org_slug, ws_slug, project_id)
    scope = scopes.board_scope(access, request.args.get("scopeId"))
    rows = columns.list_columns(access, scope.id if scope else None)
    return jsonify([column_json(c) for c in rows])


@bp.patch(P + "/columns/<column_id>")
@authed("projects")
def update_column(org_slug, ws_slug, project_id, column_id):
    body = json_body(COLUMN_BODY)
    column = columns.update_column(project_access(g.user, org_slug, ws_slug, project_id), column_id, body)
    return jsonify(column_json(column))


@bp.delete(P + "/columns/<column_id>")
@authed("projects")
def delete_column(org_slug, ws_slug, project_id, column_id):
    columns.delete_column(project_access(g.user, org_slug, ws_slug, project_id), column_id,
                          request.args.get("moveCardsTo"))
    return ok()
