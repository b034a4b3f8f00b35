"""`/api-tokens`: personal access tokens, reachable with a JWT only."""
from flask import g, jsonify

from app.api import bp, ok
from app.api.auth import authed
from app.api.body import json_body
from app.presenters.identity import token_json
from app.services import tokens


@bp.post("/api-tokens")
@authed(jwt_only=True)
def create_token():
    body = json_body({"name": str, "scopes": list, "expiresAt": (str, None)}, required=("name",))
    token, secret = tokens.create_token(g.user, body["name"], body.get("scopes"), body.get("expiresAt"))
    data = token_json(token)
    data.pop("lastUsedAt")
    return jsonify({"id": data.pop("id"), "token": secret, **data}), 201


@bp.get("/api-tokens")
@authed(jwt_only=True)
def list_tokens():
    return jsonify([token_json(t) for t in tokens.list_tokens(g.user)])


@bp.delete("/api-tokens/<token_id>")
@authed(jwt_only=True)
def revoke_token(token_id):
    tokens.revoke_token(g.user, token_id)
    return ok()
