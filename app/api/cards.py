"""`P/cards*` and `P/columns/:columnId/cards`: cards and their checklist items.

Each view resolves the project from the URL, then calls the card service with
`expected_project_id`, so a card or column of another project is 404 here.
"""
from flask import g, jsonify, request

from app.api import bp, ok
from app.api.auth import authed
from app.api.body import json_body
from app.presenters.board import card_json
from app.services import cards, checklists
from app.services.projects import project_access

P = "/orgs/<org_slug>/workspaces/<ws_slug>/projects/<project_id>"
CONTENT = {"title": str, "description": (str, None), "priority": (str, None), "startDate": (str, None),
           "dueDate": (str, None), "assigneeId": (str, None), "checklist": (list, None)}
CREATE_BODY = {**CONTENT, "order": (int, None)}
UPDATE_BODY = {**CONTENT, "columnId": str, "order": int, "archived": bool}


def _project_id(org_slug, ws_slug, project_id) -> str:
    return project_access(g.user, org_slug, ws_slug, project_id).project.id


@bp.get(P + "/cards")
@authed("projects")
def list_cards(org_slug, ws_slug, project_id):
    access = project_access(g.user, org_slug, ws_slug, project_id)
    rows = cards.list_cards(access, request.args.get("archived", "false"))
    return jsonify([card_json(c) for c in rows])


@bp.post(P + "/columns/<column_id>/cards")
@authed("projects")
def create_card(org_slug, ws_slug, project_id, column_id):
    body = json_body(CREATE_BODY, required=("title",))
    card = cards.create_card(g.user, column_id, expected_project_id=_project_id(org_slug, ws_slug, project_id),
                             **body)
    return jsonify(card_json(card)), 201


@bp.get(P + "/cards/<card_id>")
@authed("projects")
def get_card(org_slug, ws_slug, project_id, card_id):
    card = cards.get_card(g.user, card_id, expected_project_id=_project_id(org_slug, ws_slug, project_id))
    return jsonify(card_json(card))


@bp.patch(P + "/cards/<card_id>")
@authed("projects")
def update_card(org_slug, ws_slug, project_id, card_id):
    body = json_body(UPDATE_BODY)
    card = cards.update_card(g.user, card_id, body,
                             expected_project_id=_project_id(org_slug, ws_slug, project_id))
    return jsonify(card_json(card))


@bp.delete(P + "/cards/<card_id>")
@authed("projects")
def delete_card(org_slug, ws_slug, project_id, card_id):
    cards.delete_card(g.user, card_id, expected_project_id=_project_id(org_slug, ws_slug, project_id))
    return ok()


@bp.post(P + "/cards/<card_id>/checklist")
@authed("projects")
def add_checklist_item(org_slug, ws_slug, project_id, card_id):
    body = json_body({"title": str, "done": bool}, required=("title",))
    card = checklists.add_item(g.user, card_id, body["title"], body.get("done", False),
                               expected_project_id=_project_id(org_slug, ws_slug, project_id))
    return jsonify(card_json(card)), 201


@bp.patch(P + "/cards/<card_id>/checklist/<item_id>")
@authed("projects")
def update_checklist_item(org_slug, ws_slug, project_id, card_id, item_id):
    body = json_body({"title": str, "done": bool, "order": int})
    card = checklists.update_item(g.user, card_id, item_id, body,
                                  expected_project_id=_project_id(org_slug, ws_slug, project_id))
    return jsonify(card_json(card))


@bp.delete(P + "/cards/<card_id>/checklist/<item_id>")
@authed("projects")
def delete_checklist_item(org_slug, ws_slug, project_id, card_id, item_id):
    checklists.delete_item(g.user, card_id, item_id,
                           expected_project_id=_project_id(org_slug, ws_slug, project_id))
    return ok()
