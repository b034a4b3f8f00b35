"""`/notifications*`: the caller's notifications; and `P/cards/:cardId/activity` (ours), the
card's activity log."""
from flask import g, jsonify, request

from app.api import bp
from app.api.auth import authed
from app.presenters.card_depth import activity_json, notification_json
from app.services import activity, cards, notifications
from app.services.projects import project_access

P = "/orgs/<org_slug>/workspaces/<ws_slug>/projects/<project_id>"


@bp.get("/notifications")
@authed("notifications")
def list_notifications():
    views = notifications.list_notifications(g.user, request.args.get("limit"), request.args.get("unreadOnly"),
                                             request.args.get("offset"))
    return jsonify([notification_json(v) for v in views])


@bp.get("/notifications/count")
@authed("notifications")
def count_notifications():
    return jsonify({"count": notifications.unread_count(g.user)})


@bp.patch("/notifications/read-all")
@authed("notifications")
def read_all_notifications():
    return jsonify({"ok": True, "count": notifications.mark_all_read(g.user)})


@bp.patch("/notifications/<notification_id>/read")
@authed("notifications")
def read_notification(notification_id):
    return jsonify(notification_json(notifications.mark_read(g.user, notification_id)))


@bp.get(P + "/cards/<card_id>/activity")
@authed("projects")
def card_activity(org_slug, ws_slug, project_id, card_id):
    access = project_access(g.user, org_slug, ws_slug, project_id)
    card = cards.get_card(g.user, card_id, expected_project_id=access.project.id)
    return jsonify([activity_json(a, name) for a, name in activity.list_card_activity(card)])
