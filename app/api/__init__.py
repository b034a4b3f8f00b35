"""The JSON REST API, at the paths of the published reference (no prefix).

Every view is wrapped by `authed(...)` or marked `public`; a test walks the URL map to keep
it that way. Views parse the body's shape, call one service, and present the result; the
request's single commit happens in `app.unit_of_work`.
"""
from flask import Blueprint, jsonify

bp = Blueprint("api", __name__)


def ok():
    """The contract's answer to a successful DELETE."""
    return jsonify({"ok": True})


from app.api import auth_routes, cards, columns, documents, health, orgs, pilotage, projects, tokens, workspaces  # noqa: E402,F401,E501
from app.api import attachments, comments, custom_fields, labels, notifications, relations, scopes  # noqa: E402,F401,E501
