"""`/orgs/:orgSlug/workspaces*` and `/invitations/:token/accept`."""
from flask import current_app, g, jsonify

from app.api import bp, ok
from app.api.auth import authed
from app.api.body import json_body
from app.jobs import enqueue
from app.presenters.identity import invitation_json, workspace_json, workspace_member_json
from app.services import workspaces
from app.services.access import org_access, workspace_access

W = "/orgs/<org_slug>/workspaces/<ws_slug>"


@bp.post("/orgs/<org_slug>/workspaces")
@authed("projects")
def create_workspace(org_slug):
    body = json_body({"name": str, "slug": str}, required=("name", "slug"))
    ws = workspaces.create_workspace(org_access(g.user, org_slug), body["name"], body["slug"])
    return jsonify(workspace_json(ws, "admin", "owner")), 201


@bp.get("/orgs/<org_slug>/workspaces")
@authed("projects")
def list_workspaces(org_slug):
    rows = workspaces.list_workspaces(org_access(g.user, org_slug))
    return jsonify([workspace_json(ws, role, prole) for ws, role, prole in rows])


@bp.get(W)
@authed("projects")
def get_workspace(org_slug, ws_slug):
    access = workspace_access(g.user, org_slug, ws_slug)
    return jsonify(workspace_json(access.workspace, access.role, access.pilotage_role))


@bp.patch(W)
@authed("projects")
def update_workspace(org_slug, ws_slug):
    body = json_body({"name": str, "slug": str, "requireIndependentReview": bool})
    access = workspace_access(g.user, org_slug, ws_slug)
    ws = workspaces.update_workspace(access, body.get("name"), body.get("slug"),
                                     body.get("requireIndependentReview"))
    return jsonify(workspace_json(ws, access.role, access.pilotage_role))


@bp.delete(W)
@authed("projects")
def delete_workspace(org_slug, ws_slug):
    workspaces.delete_workspace(workspace_access(g.user, org_slug, ws_slug))
    return ok()


@bp.get(W + "/members")
@authed("projects")
def list_workspace_members(org_slug, ws_slug):
    members = workspaces.list_members(workspace_access(g.user, org_slug, ws_slug))
    return jsonify([workspace_member_json(m) for m in members])


@bp.post(W + "/members/invite")
@authed("projects")
def invite(org_slug, ws_slug):
    body = json_body({"email": str, "role": str}, required=("email",))
    access = workspace_access(g.user, org_slug, ws_slug)
    invitation, token = workspaces.invite(access, body["email"], body.get("role"))
    accept_url = f"{current_app.config['BASE_URL']}/invite/{token}"
    email_sent = bool(current_app.config["SMTP_HOST"])
    if email_sent:
        enqueue("app.mail.send_invitation", invitation.id, accept_url)
    return jsonify({**invitation_json(invitation), "token": token, "acceptUrl": accept_url,
                    "emailSent": email_sent}), 201


@bp.get(W + "/invitations")
@authed("projects")
def list_invitations(org_slug, ws_slug):
    pending = workspaces.pending_invitations(workspace_access(g.user, org_slug, ws_slug))
    return jsonify([invitation_json(i) for i in pending])


@bp.delete(W + "/invitations/<invitation_id>")
@authed("projects")
def revoke_invitation(org_slug, ws_slug, invitation_id):
    workspaces.revoke_invitation(workspace_access(g.user, org_slug, ws_slug), invitation_id)
    return ok()


@bp.post("/invitations/<token>/accept")
@authed("projects")
def accept_invitation(token):
    ws = workspaces.accept_invitation(g.user, token)
    access = workspace_access(g.user, ws.organization.slug, ws.slug)
    return jsonify(workspace_json(ws, access.role, access.pilotage_role)), 201


@bp.patch(W + "/members/<user_id>")
@authed("projects")
def change_workspace_member(org_slug, ws_slug, user_id):
    body = json_body({"role": str, "pilotageRole": str})
    member = workspaces.change_member(workspace_access(g.user, org_slug, ws_slug), user_id,
                                      body.get("role"), body.get("pilotageRole"))
    return jsonify(workspace_member_json(member))


@bp.delete(W + "/members/<user_id>")
@authed("projects")
def remove_workspace_member(org_slug, ws_slug, user_id):
    workspaces.remove_member(workspace_access(g.user, org_slug, ws_slug), user_id)
    return ok()
