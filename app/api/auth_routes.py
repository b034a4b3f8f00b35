"""`/auth/*`: register, login, profile, password."""
from flask import g, jsonify

from app.api import bp
from app.api.auth import authed, public
from app.api.body import json_body
from app.presenters.identity import user_json
from app.services import accounts


def _session(user, status):
    return jsonify({
        "access_token": accounts.issue_jwt(user),
        "user": user_json(user, accounts.personal_pilotage_role(user)),
    }), status


@bp.post("/auth/register")
@public
def register():
    body = json_body({"email": str, "password": str, "name": str}, required=("email", "password"))
    user = accounts.register(body["email"], body["password"], body.get("name"))
    return _session(user, 201)


@bp.post("/auth/login")
@public
def login():
    body = json_body({"email": str, "password": str}, required=("email", "password"))
    user = accounts.authenticate(body["email"], body["password"])
    return _session(user, 201)


@bp.get("/auth/me")
@authed("account")
def me():
    return jsonify({"user": user_json(g.user, accounts.personal_pilotage_role(g.user))})


@bp.patch("/auth/me")
@authed("account")
def update_me():
    body = json_body({"name": str})
    if "name" in body:
        accounts.update_profile(g.user, body["name"])
    return jsonify({"user": user_json(g.user, accounts.personal_pilotage_role(g.user))})


@bp.post("/auth/change-password")
@authed("account")
def change_password():
    body = json_body({"currentPassword": str, "newPassword": str},
                     required=("currentPassword", "newPassword"))
    accounts.change_password(g.user, body["currentPassword"], body["newPassword"])
    # The old token no longer works; hand back one that does.
    return jsonify({"ok": True, "access_token": accounts.issue_jwt(g.user)}), 201
