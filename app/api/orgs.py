"""`/organizations*`: organizations and their members."""
from flask import g, jsonify

from app.api import bp, ok
from app.api.auth import authed
from app.api.body import json_body
from app.presenters.identity import org_json, org_member_json
from app.services import orgs
from app.services.access import org_access


@bp.post("/organizations")
@authed("projects")
def create_org():
    body = json_body({"name": str, "slug": str}, required=("name", "slug"))
    org = orgs.create_org(g.user, body["name"], body["slug"])
    return jsonify(org_json(org, "owner")), 201


@bp.get("/organizations")
@authed("projects")
def list_orgs():
    return jsonify([org_json(org, role) for org, role in orgs.list_orgs(g.user)])


@bp.get("/organizations/<org_slug>")
@authed("projects")
def get_org(org_slug):
    access = org_access(g.user, org_slug)
    return jsonify(org_json(access.org, access.role))


@bp.patch("/organizations/<org_slug>")
@authed("projects")
def update_org(org_slug):
    body = json_body({"name": str, "slug": str})
    access = org_access(g.user, org_slug)
    org = orgs.update_org(access, body.get("name"), body.get("slug"))
    return jsonify(org_json(org, access.role))


@bp.delete("/organizations/<org_slug>")
@authed("projects")
def delete_org(org_slug):
    orgs.delete_org(org_access(g.user, org_slug))
    return ok()


@bp.get("/organizations/<org_slug>/members")
@authed("projects")
def list_org_members(org_slug):
    return jsonify([org_member_json(m) for m in orgs.list_members(org_access(g.user, org_slug))])


@bp.post("/organizations/<org_slug>/members")
@authed("projects")
def add_org_member(org_slug):
    body = json_body({"email": str, "role": str}, required=("email", "role"))
    member = orgs.add_member(org_access(g.user, org_slug), body["email"], body["role"])
    return jsonify(org_member_json(member)), 201


@bp.patch("/organizations/<org_slug>/members/<user_id>")
@authed("projects")
def change_org_member(org_slug, user_id):
    body = json_body({"role": str}, required=("role",))
    member = orgs.change_member_role(org_access(g.user, org_slug), user_id, body["role"])
    return jsonify(org_member_json(member))


@bp.delete("/organizations/<org_slug>/members/<user_id>")
@authed("projects")
def remove_org_member(org_slug, user_id):
    orgs.remove_member(org_access(g.user, org_slug), user_id)
    return ok()
