"""`P/cards/:cardId/comments*`: comments on a card (PATCH is ours: the author edits)."""
from flask import g, jsonify

from app.api import bp, ok
from app.api.auth import authed
from app.api.body import json_body
from app.presenters.card_depth import comment_json
from app.services import comments
from app.services.projects import project_access

P = "/orgs/<org_slug>/workspaces/<ws_slug>/projects/<project_id>"
C = P + "/cards/<card_id>/comments"


def _project_id(org_slug, ws_slug, project_id) -> str:
    return project_access(g.user, org_slug, ws_slug, project_id).project.id


@bp.get(C)
@authed("projects")
def list_comments(org_slug, ws_slug, project_id, card_id):
    rows = comments.list_comments(g.user, card_id, expected_project_id=_project_id(org_slug, ws_slug, project_id))
    return jsonify([comment_json(c) for c in rows])


@bp.post(C)
@authed("projects")
def add_comment(org_slug, ws_slug, project_id, card_id):
    body = json_body({"content": str}, required=("content",))
    comment = comments.add_comment(g.user, card_id, body["content"],
                                   expected_project_id=_project_id(org_slug, ws_slug, project_id))
    return jsonify(comment_json(comment)), 201


@bp.patch(C + "/<comment_id>")
@authed("projects")
def edit_comment(org_slug, ws_slug, project_id, card_id, comment_id):
    body = json_body({"content": str}, required=("content",))
    comment = comments.edit_comment(g.user, card_id, comment_id, body["content"],
                                    expected_project_id=_project_id(org_slug, ws_slug, project_id))
    return jsonify(comment_json(comment))


@bp.delete(C + "/<comment_id>")
@authed("projects")
def delete_comment(org_slug, ws_slug, project_id, card_id, comment_id):
    comments.delete_comment(g.user, card_id, comment_id,
                            expected_project_id=_project_id(org_slug, ws_slug, project_id))
    return ok()
