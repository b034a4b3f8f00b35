"""`W/documents*` (the knowledge base: documents, review, revisions, templates) and `W/search`.

Beyond the reference (decided in the README): `GET …/reviews` (review history),
`GET …/revisions`, `GET …/revisions/:revisionId`, `POST …/revisions/:revisionId/restore`,
`POST …/instantiate` (a template as a new document), `DELETE …?cascade=true` or
`?moveChildrenUp=true` for a document with children, and `GET W/search?q=`.
"""
from flask import g, jsonify, request

from app.api import bp, ok
from app.api.auth import authed
from app.api.body import json_body
from app.errors import Invalid
from app.presenters import knowledge as present
from app.services import document_review, document_revisions, documents, search
from app.services.access import workspace_access

W = "/orgs/<org_slug>/workspaces/<ws_slug>"
D = W + "/documents/<document_id>"
DOCUMENT_BODY = {"title": str, "docType": str, "content": (dict, None), "parentId": (str, None),
                 "projectId": (str, None), "cardId": (str, None)}
INSTANTIATE_BODY = {"title": str, "docType": str, "parentId": (str, None), "projectId": (str, None),
                    "cardId": (str, None)}


def _access(org_slug, ws_slug):
    return workspace_access(g.user, org_slug, ws_slug)


def _flag(name: str) -> bool:
    """A `true` / `false` query parameter (absent is false). Raises Invalid."""
    value = request.args.get(name, "false")
    if value not in ("true", "false"):
        raise Invalid(name, f"{name} must be true or false")
    return value == "true"


@bp.post(W + "/documents")
@authed("projects")
def create_document(org_slug, ws_slug):
    body = json_body(DOCUMENT_BODY, required=("title",))
    return jsonify(present.document_json(documents.create_document(_access(org_slug, ws_slug), body))), 201


@bp.get(W + "/documents")
@authed("projects")
def list_documents(org_slug, ws_slug):
    args = request.args
    rows = documents.list_documents(
        _access(org_slug, ws_slug), doc_type=args.get("docType"), parent_id=args.get("parentId"),
        project_id=args.get("projectId"), card_id=args.get("cardId"), status=args.get("status"),
        q=args.get("q"), limit=args.get("limit"), offset=args.get("offset"))
    return jsonify([present.document_summary_json(d) for d in rows])


@bp.get(D)
@authed("projects")
def get_document(org_slug, ws_slug, document_id):
    return jsonify(present.document_json(documents.get_document(_access(org_slug, ws_slug), document_id)))


@bp.patch(D)
@authed("projects")
def update_document(org_slug, ws_slug, document_id):
    body = json_body(DOCUMENT_BODY)
    update = documents.update_document(_access(org_slug, ws_slug), document_id, body)
    return jsonify(present.document_update_json(update))


@bp.delete(D)
@authed("projects")
def delete_document(org_slug, ws_slug, document_id):
    documents.delete_document(_access(org_slug, ws_slug), document_id, cascade=_flag("cascade"),
                              move_children_up=_flag("moveChildrenUp"))
    return ok()


@bp.post(D + "/instantiate")
@authed("projects")
def instantiate_template(org_slug, ws_slug, document_id):
    body = json_body(INSTANTIATE_BODY)
    document = documents.instantiate_template(_access(org_slug, ws_slug), document_id, body)
    return jsonify(present.document_json(document)), 201


# Review -----------------------------------------------------------------------------------

@bp.post(D + "/submit-review")
@authed("projects")
def submit_review(org_slug, ws_slug, document_id):
    json_body({})
    document = document_review.submit_review(_access(org_slug, ws_slug), document_id)
    return jsonify(present.document_json(document)), 201


@bp.post(D + "/review")
@authed("projects")
def review_document(org_slug, ws_slug, document_id):
    body = json_body({"status": str, "notes": (str, None)}, required=("status",))
    document = document_review.review_document(_access(org_slug, ws_slug), document_id, body["status"],
                                                body.get("notes"))
    return jsonify(present.document_json(document)), 201


@bp.get(D + "/reviews")
@authed("projects")
def review_history(org_slug, ws_slug, document_id):
    steps = document_review.review_history(_access(org_slug, ws_slug), document_id)
    return jsonify([present.review_json(s) for s in steps])


# Revisions --------------------------------------------------------------------------------

@bp.get(D + "/revisions")
@authed("projects")
def list_revisions(org_slug, ws_slug, document_id):
    rows = document_revisions.list_revisions(_access(org_slug, ws_slug), document_id,
                                             limit=request.args.get("limit"), offset=request.args.get("offset"))
    return jsonify([present.revision_summary_json(r) for r in rows])


@bp.get(D + "/revisions/<revision_id>")
@authed("projects")
def get_revision(org_slug, ws_slug, document_id, revision_id):
    revision = document_revisions.get_revision(_access(org_slug, ws_slug), document_id, revision_id)
    return jsonify(present.revision_json(revision))


@bp.post(D + "/revisions/<revision_id>/restore")
@authed("projects")
def restore_revision(org_slug, ws_slug, document_id, revision_id):
    json_body({})
    update = document_revisions.restore_revision(_access(org_slug, ws_slug), document_id, revision_id)
    return jsonify(present.document_update_json(update)), 201


# Search -----------------------------------------------------------------------------------

@bp.get(W + "/search")
@authed("projects")
def search_workspace(org_slug, ws_slug):
    args = request.args
    hits = search.search(_access(org_slug, ws_slug), args.get("q"), kinds=args.get("types"),
                         limit=args.get("limit", 20), offset=args.get("offset", 0))
    return jsonify([present.search_hit_json(h) for h in hits])
