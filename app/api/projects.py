"""`W/projects*`: projects, the portfolio, templates, import/export and project members.

The literal segments `portfolio`, `templates` and `import` win over `:projectId` (Werkzeug
ranks static path parts before variables).
"""
from flask import g, jsonify

from app.api import bp, ok
from app.api.auth import authed
from app.api.body import json_body
from app.presenters.board import portfolio_json, project_json, project_member_json
from app.services import portfolio, project_templates, project_transfer, projects
from app.services.access import workspace_access
from app.services.projects import project_access

W = "/orgs/<org_slug>/workspaces/<ws_slug>"
P = W + "/projects/<project_id>"


@bp.post(W + "/projects")
@authed("projects")
def create_project(org_slug, ws_slug):
    body = json_body({"name": str, "description": (str, None), "key": str, "templateId": str},
                     required=("name",))
    project = projects.create_project(workspace_access(g.user, org_slug, ws_slug), body["name"],
                                      body.get("description"), body.get("key"), body.get("templateId"))
    return jsonify(project_json(project, "admin")), 201


@bp.get(W + "/projects")
@authed("projects")
def list_projects(org_slug, ws_slug):
    rows = projects.list_projects(workspace_access(g.user, org_slug, ws_slug))
    return jsonify([project_json(p, role) for p, role in rows])


@bp.get(W + "/projects/portfolio")
@authed("projects")
def project_portfolio(org_slug, ws_slug):
    summaries = portfolio.portfolio(workspace_access(g.user, org_slug, ws_slug))
    return jsonify([portfolio_json(s) for s in summaries])


@bp.get(W + "/projects/templates")
@authed("projects")
def project_templates_list(org_slug, ws_slug):
    workspace_access(g.user, org_slug, ws_slug)
    return jsonify(project_templates.list_templates())


@bp.post(W + "/projects/import")
@authed("projects")
def import_project(org_slug, ws_slug):
    body = json_body({"format": str, "version": int, "exportedAt": (str, None), "project": dict,
                      "members": list, "scopes": list, "columns": list, "labels": list, "customFields": list, "cards": list,
                      "relations": list}, required=("project",))
    project = project_transfer.import_project(workspace_access(g.user, org_slug, ws_slug), body)
    return jsonify(project_json(project, "admin")), 201


@bp.get(P)
@authed("projects")
def get_project(org_slug, ws_slug, project_id):
    access = project_access(g.user, org_slug, ws_slug, project_id)
    return jsonify(project_json(access.project, access.my_role))


@bp.patch(P)
@authed("projects")
def update_project(org_slug, ws_slug, project_id):
    body = json_body({"name": str, "description": (str, None), "key": str})
    access = project_access(g.user, org_slug, ws_slug, project_id)
    project = projects.update_project(access, body)
    return jsonify(project_json(project, access.my_role))


@bp.delete(P)
@authed("projects")
def delete_project(org_slug, ws_slug, project_id):
    projects.delete_project(project_access(g.user, org_slug, ws_slug, project_id))
    return ok()


@bp.get(P + "/export")
@authed("projects")
def export_project(org_slug, ws_slug, project_id):
    return jsonify(project_transfer.export_project(project_access(g.user, org_slug, ws_slug, project_id)))


@bp.get(P + "/members")
@authed("projects")
def list_project_members(org_slug, ws_slug, project_id):
    members = projects.list_members(project_access(g.user, org_slug, ws_slug, project_id))
    return jsonify([project_member_json(m) for m in members])


@bp.post(P + "/members")
@authed("projects")
def add_project_member(org_slug, ws_slug, project_id):
    body = json_body({"email": str, "role": str}, required=("email",))
    access = project_access(g.user, org_slug, ws_slug, project_id)
    member = projects.add_member(access, body["email"], body.get("role"))
    return jsonify(project_member_json(member)), 201


@bp.delete(P + "/members/<user_id>")
@authed("projects")
def remove_project_member(org_slug, ws_slug, project_id, user_id):
    projects.remove_member(project_access(g.user, org_slug, ws_slug, project_id), user_id)
    return ok()
