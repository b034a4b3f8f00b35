"""The boards of a project and their views: the project's own board or one of its scopes,
seen as kanban, list, calendar, roadmap or stats; the scope switcher; creating, editing and
deleting scopes.

Every view of a board lives at `<project>/<view>`, with `?scope=<scope id>` naming the scope
(none: the project's own board); the kanban view is the board page itself (`board.show`).
Opening a view of a scope makes it the scope's active view (`scopes.set_active_view`), so the
switcher brings people back to the view they last used there. Each view is a blueprint of
its own (`VIEW_ENDPOINTS`); the tabs show those that are registered.
"""
from flask import Blueprint, current_app, flash, redirect, request, url_for
from flask_login import current_user, login_required

from app.errors import Invalid, NotFound
from app.extensions import db
from app.models.board import SCOPE_VIEWS, Scope
from app.services import scopes
from app.services.projects import ProjectAccess, project_access
from app.web.helpers import FORM_ERRORS, go, is_htmx, render

bp = Blueprint("views", __name__)
P = "/o/<org_slug>/w/<ws_slug>/p/<project_id>"
VIEW_ENDPOINTS = {"kanban": "board.show", "list": "scope_list.show", "calendar": "scope_calendar.show",
                  "roadmap": "scope_roadmap.show", "stats": "scope_stats.show"}
VIEW_LABELS = {"kanban": "Kanban", "list": "List", "calendar": "Calendar", "roadmap": "Roadmap", "stats": "Stats"}
SCOPE_FORM_FIELDS = {"name": "name", "description": "description", "start_date": "startDate",
                     "end_date": "endDate"}


@bp.before_request
@login_required
def _signed_in():
    """Scope pages need a signed-in user."""


@bp.app_template_global()
def view_url(access: ProjectAccess, view: str, scope: Scope | None = None, **args) -> str:
    """The address of `view` of the project's own board, or of `scope`'s board."""
    workspace = access.workspace_access.workspace
    if scope is not None:
        args["scope"] = scope.id
    return url_for(VIEW_ENDPOINTS[view], org_slug=workspace.organization.slug, ws_slug=workspace.slug,
                   project_id=access.project.id, **args)


def board_scope(access: ProjectAccess, source=None) -> Scope | None:
    """The scope named by `scope` in `source` (the query string by default), or None for the
    project's own board. Raises NotFound for anything but a scope of this project."""
    source = request.args if source is None else source
    try:
        return scopes.board_scope(access, source.get("scope") or None)
    except Invalid:
        raise NotFound("Scope not found") from None


def enter_view(access: ProjectAccess, scope: Scope | None, view: str) -> None:
    """Remember `view` as the scope's active view (the project's own board keeps none)."""
    if scope is not None and scope.active_view != view:
        scopes.set_active_view(access, scope.id, view)


def nav_context(access: ProjectAccess, scope: Scope | None, view: str) -> dict:
    """What `views/_nav.html` needs besides `access` and `project`: the boards to switch to
    and the views of this one."""
    return dict(scope=scope, view=view, scopes=scopes.list_scopes(access), view_labels=VIEW_LABELS,
                view_names=[v for v in SCOPE_VIEWS if VIEW_ENDPOINTS[v] in current_app.view_functions])


def view_page(access: ProjectAccess, scope: Scope | None, view: str) -> dict:
    """Open `view` of a board: remember it, and give the nav's context for the page.
    Raises Invalid only for a view that does not exist (a programming error)."""
    enter_view(access, scope, view)
    return nav_context(access, scope, view)


def _access(org_slug: str, ws_slug: str, project_id: str) -> ProjectAccess:
    return project_access(current_user, org_slug, ws_slug, project_id)


@bp.get(P + "/scopes/<scope_id>")
def open_scope(org_slug, ws_slug, project_id, scope_id):
    """A scope's board, in the view last used there."""
    access = _access(org_slug, ws_slug, project_id)
    scope = scopes.get_scope(access, scope_id)
    view = scope.active_view if VIEW_ENDPOINTS[scope.active_view] in current_app.view_functions else "kanban"
    return redirect(view_url(access, view, scope))


@bp.post(P + "/scopes")
def create_scope(org_slug, ws_slug, project_id):
    """A new scope (with the three default columns), opened on its kanban."""
    access = _access(org_slug, ws_slug, project_id)
    values = _scope_form(request.form)
    try:
        scope = scopes.create_scope(access, values)
    except FORM_ERRORS as error:
        return _refused(access, None, error, "new-scope", values)
    return go(view_url(access, "kanban", scope))


@bp.post(P + "/scopes/<scope_id>/edit")
def edit_scope(org_slug, ws_slug, project_id, scope_id):
    """Rename a scope, change its description or dates."""
    access = _access(org_slug, ws_slug, project_id)
    scope = scopes.get_scope(access, scope_id)
    values = _scope_form(request.form)
    try:
        scopes.update_scope(access, scope.id, values)
    except FORM_ERRORS as error:
        return _refused(access, scope, error, "edit-scope", values)
    return go(_scope_link(access, scope))


@bp.post(P + "/scopes/<scope_id>/delete")
def delete_scope(org_slug, ws_slug, project_id, scope_id):
    """Delete a scope with its columns and cards; back to the project's own board."""
    access = _access(org_slug, ws_slug, project_id)
    scope = scopes.get_scope(access, scope_id)
    name = scope.name
    scopes.delete_scope(access, scope.id)
    flash(f"Scope “{name}” deleted with its columns and cards.", "success")
    return go(view_url(access, "kanban"))


def _scope_form(form) -> dict:
    """The scope fields a form posted, by their wire names (blank dates and description clear)."""
    values = {}
    for name, wire in SCOPE_FORM_FIELDS.items():
        if name in form:
            value = form.get(name, "").strip()
            values[wire] = value if value or wire == "name" else None
    return values


def _refused(access: ProjectAccess, scope: Scope | None, error, form_name: str, values: dict):
    """The scope form again with the reason, nothing saved."""
    db.session.rollback()
    if not is_htmx():
        flash(error.message, "error")
        return redirect(view_url(access, "kanban", scope))
    response = render("views/_scope_form.html", "views/_scope_form.html", access=access, scope=scope,
                      form_name=form_name, values=values, error=error.message)
    response.status_code = error.status
    response.headers["X-Fragment"] = "1"
    return response


def _scope_link(access: ProjectAccess, scope: Scope) -> str:
    workspace = access.workspace_access.workspace
    return url_for("views.open_scope", org_slug=workspace.organization.slug, ws_slug=workspace.slug,
                   project_id=access.project.id, scope_id=scope.id)
