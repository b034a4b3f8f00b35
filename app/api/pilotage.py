"""`W/pilotage/*`: the cockpit's state, cycle, items and proposed actions."""
from flask import g, jsonify, request

from app.api import bp, ok
from app.api.auth import authed
from app.api.body import json_body
from app.extensions import db
from app.presenters import pilotage as present
from app.services import pilotage, pilotage_actions, pilotage_items
from app.services.access import workspace_access

P = "/orgs/<org_slug>/workspaces/<ws_slug>/pilotage"

MISSION_BODY = {"objective": str, "module": (str, None), "status": str, "blockedReason": (str, None)}
PRIORITY_BODY = {"label": str, "module": (str, None), "active": bool, "rank": (int, None)}
TODO_BODY = {"label": str, "missionId": (str, None), "priorityId": (str, None), "status": str,
             "assigneeId": (str, None), "cardId": (str, None)}
DECISION_BODY = {"title": str, "impact": (str, None), "date": (str, None), "missionIds": list,
                 "documentIds": list}
DOC_BODY = {"title": str, "owner": (str, None), "sourceType": (str, None), "documentId": (str, None)}


def _access(org_slug, ws_slug):
    return workspace_access(g.user, org_slug, ws_slug)


def _decisions_json(decisions):
    links = pilotage_items.decision_links(d.id for d in decisions)
    return [present.decision_json(d, *links[d.id]) for d in decisions]


# State and cycle ----------------------------------------------------------------------------

@bp.get(P + "/state")
@authed("pilotage")
def pilotage_state(org_slug, ws_slug):
    args = request.args
    return jsonify(pilotage.build_state(_access(org_slug, ws_slug), args.get("profile"),
                                        args.get("intent"), args.get("detailLevel")))


@bp.get(P + "/cycle")
@authed("pilotage")
def get_cycle(org_slug, ws_slug):
    cycle = pilotage.current_cycle(_access(org_slug, ws_slug))
    return jsonify(present.cycle_json(cycle.label, cycle.started_at))


@bp.patch(P + "/cycle")
@authed("pilotage")
def rename_cycle(org_slug, ws_slug):
    body = json_body({"cycle": str}, required=("cycle",))
    cycle = pilotage.rename_cycle(_access(org_slug, ws_slug), body["cycle"])
    return jsonify(present.cycle_json(cycle.label, cycle.started_at))


@bp.post(P + "/cycle/advance")
@authed("pilotage")
def advance_cycle(org_slug, ws_slug):
    body = json_body({"cycle": str})
    cycle = pilotage.advance_cycle(_access(org_slug, ws_slug), body.get("cycle"))
    return jsonify(present.cycle_json(cycle.label, cycle.started_at)), 201


# Missions -----------------------------------------------------------------------------------

@bp.get(P + "/missions")
@authed("pilotage")
def list_missions(org_slug, ws_slug):
    return jsonify([present.mission_json(m) for m in pilotage_items.list_missions(_access(org_slug, ws_slug))])


@bp.post(P + "/missions")
@authed("pilotage")
def create_mission(org_slug, ws_slug):
    body = json_body(MISSION_BODY, required=("objective",))
    return jsonify(present.mission_json(pilotage_items.create_mission(_access(org_slug, ws_slug), body))), 201


@bp.patch(P + "/missions/<item_id>")
@authed("pilotage")
def update_mission(org_slug, ws_slug, item_id):
    body = json_body(MISSION_BODY)
    return jsonify(present.mission_json(pilotage_items.update_mission(_access(org_slug, ws_slug), item_id, body)))


@bp.delete(P + "/missions/<item_id>")
@authed("pilotage")
def delete_mission(org_slug, ws_slug, item_id):
    pilotage_items.delete_mission(_access(org_slug, ws_slug), item_id)
    return ok()


# Priorities ---------------------------------------------------------------------------------

@bp.get(P + "/priorities")
@authed("pilotage")
def list_priorities(org_slug, ws_slug):
    return jsonify([present.priority_json(p) for p in pilotage_items.list_priorities(_access(org_slug, ws_slug))])


@bp.post(P + "/priorities")
@authed("pilotage")
def create_priority(org_slug, ws_slug):
    body = json_body(PRIORITY_BODY, required=("label",))
    return jsonify(present.priority_json(pilotage_items.create_priority(_access(org_slug, ws_slug), body))), 201


@bp.patch(P + "/priorities/<item_id>")
@authed("pilotage")
def update_priority(org_slug, ws_slug, item_id):
    body = json_body(PRIORITY_BODY)
    priority = pilotage_items.update_priority(_access(org_slug, ws_slug), item_id, body)
    return jsonify(present.priority_json(priority))


@bp.delete(P + "/priorities/<item_id>")
@authed("pilotage")
def delete_priority(org_slug, ws_slug, item_id):
    pilotage_items.delete_priority(_access(org_slug, ws_slug), item_id)
    return ok()


# Todos --------------------------------------------------------------------------------------

@bp.get(P + "/todos")
@authed("pilotage")
def list_todos(org_slug, ws_slug):
    return jsonify([present.todo_json(t) for t in pilotage_items.list_todos(_access(org_slug, ws_slug))])


@bp.post(P + "/todos")
@authed("pilotage")
def create_todo(org_slug, ws_slug):
    body = json_body(TODO_BODY, required=("label",))
    return jsonify(present.todo_json(pilotage_items.create_todo(_access(org_slug, ws_slug), body))), 201


@bp.patch(P + "/todos/<item_id>")
@authed("pilotage")
def update_todo(org_slug, ws_slug, item_id):
    body = json_body(TODO_BODY)
    return jsonify(present.todo_json(pilotage_items.update_todo(_access(org_slug, ws_slug), item_id, body)))


@bp.delete(P + "/todos/<item_id>")
@authed("pilotage")
def delete_todo(org_slug, ws_slug, item_id):
    pilotage_items.delete_todo(_access(org_slug, ws_slug), item_id)
    return ok()


# Decisions ----------------------------------------------------------------------------------

@bp.get(P + "/decisions")
@authed("pilotage")
def list_decisions(org_slug, ws_slug):
    return jsonify(_decisions_json(pilotage_items.list_decisions(_access(org_slug, ws_slug))))


@bp.post(P + "/decisions")
@authed("pilotage")
def create_decision(org_slug, ws_slug):
    body = json_body(DECISION_BODY, required=("title",))
    decision = pilotage_items.create_decision(_access(org_slug, ws_slug), body)
    return jsonify(_decisions_json([decision])[0]), 201


@bp.patch(P + "/decisions/<item_id>")
@authed("pilotage")
def update_decision(org_slug, ws_slug, item_id):
    body = json_body(DECISION_BODY)
    decision = pilotage_items.update_decision(_access(org_slug, ws_slug), item_id, body)
    return jsonify(_decisions_json([decision])[0])


@bp.delete(P + "/decisions/<item_id>")
@authed("pilotage")
def delete_decision(org_slug, ws_slug, item_id):
    pilotage_items.delete_decision(_access(org_slug, ws_slug), item_id)
    return ok()


# Active docs --------------------------------------------------------------------------------

@bp.get(P + "/docs")
@authed("pilotage")
def list_docs(org_slug, ws_slug):
    return jsonify([present.doc_json(d) for d in pilotage_items.list_docs(_access(org_slug, ws_slug))])


@bp.post(P + "/docs")
@authed("pilotage")
def create_doc(org_slug, ws_slug):
    body = json_body(DOC_BODY, required=("title",))
    return jsonify(present.doc_json(pilotage_items.create_doc(_access(org_slug, ws_slug), body))), 201


@bp.patch(P + "/docs/<item_id>")
@authed("pilotage")
def update_doc(org_slug, ws_slug, item_id):
    body = json_body(DOC_BODY)
    return jsonify(present.doc_json(pilotage_items.update_doc(_access(org_slug, ws_slug), item_id, body)))


@bp.delete(P + "/docs/<item_id>")
@authed("pilotage")
def delete_doc(org_slug, ws_slug, item_id):
    pilotage_items.delete_doc(_access(org_slug, ws_slug), item_id)
    return ok()


# Proposed actions ---------------------------------------------------------------------------

@bp.get(P + "/actions")
@authed("pilotage")
def list_actions(org_slug, ws_slug):
    actions = pilotage_actions.list_actions(_access(org_slug, ws_slug), request.args.get("status"))
    return jsonify([present.action_json(a) for a in actions])


@bp.post(P + "/actions/propose")
@authed("pilotage")
def propose_action(org_slug, ws_slug):
    body = json_body({"actionType": str, "explanation": str, "payload": (dict, None)},
                     required=("actionType", "explanation"))
    action = pilotage_actions.propose_action(_access(org_slug, ws_slug), body["actionType"],
                                             body["explanation"], body.get("payload"))
    return jsonify(present.action_json(action)), 201


@bp.get(P + "/actions/<action_id>")
@authed("pilotage")
def get_action(org_slug, ws_slug, action_id):
    return jsonify(present.action_json(pilotage_actions.get_action(_access(org_slug, ws_slug), action_id)))


@bp.post(P + "/actions/<action_id>/review")
@authed("pilotage")
def review_action(org_slug, ws_slug, action_id):
    body = json_body({"approved": bool, "reason": (str, None)}, required=("approved",))
    action = pilotage_actions.review_action(_access(org_slug, ws_slug), action_id, body["approved"],
                                            body.get("reason"))
    return jsonify(present.action_json(action)), 201


@bp.post(P + "/actions/<action_id>/apply")
@authed("pilotage")
def apply_action(org_slug, ws_slug, action_id):
    try:
        action = pilotage_actions.apply_action(_access(org_slug, ws_slug), action_id)
    except pilotage_actions.ApplyFailed:
        db.session.commit()  # keep `lastError` on the action; the apply itself changed nothing
        raise
    return jsonify(present.action_json(action)), 201
