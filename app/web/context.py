"""The organization and workspace a page is about, resolved once per request from its URL.

Any web view whose rule has `org_slug` and `ws_slug` arguments gets the workspace nav in the
layout; views call `current_workspace()` instead of resolving the workspace themselves.
"""
from flask import g, request, session
from flask_login import current_user

from app.errors import DomainError
from app.services.access import OrgAccess, WorkspaceAccess, org_access, workspace_access
from app.services.workspaces import reachable_workspaces

LAST_WORKSPACE = "last_workspace_id"


def current_workspace() -> WorkspaceAccess | None:
    """The caller's standing in the workspace the URL names, or None when it names none.

    Raises NotFound when the workspace does not exist or the caller cannot reach it.
    """
    if "ws_access" not in g:
        args = request.view_args or {}
        g.ws_access = None
        if "org_slug" in args and "ws_slug" in args and current_user.is_authenticated:
            g.ws_access = workspace_access(current_user, args["org_slug"], args["ws_slug"])
            session[LAST_WORKSPACE] = g.ws_access.workspace.id
    return g.ws_access


def current_org() -> OrgAccess | None:
    """The caller's membership of the organization the URL names, or None when it names none.

    Raises NotFound when it does not exist or the caller is not a member.
    """
    if "org_access" not in g:
        args = request.view_args or {}
        g.org_access = None
        if "org_slug" in args and current_user.is_authenticated:
            g.org_access = org_access(current_user, args["org_slug"])
    return g.org_access


def nav_workspace() -> WorkspaceAccess | None:
    """`current_workspace()` for the layout: None instead of an error (error pages use it too)."""
    try:
        return current_workspace()
    except DomainError:
        g.ws_access = None
        return None


def switcher_entries() -> list[tuple]:
    """Reachable workspaces grouped by organization: [(org, [workspace, ...]), ...]."""
    groups: list[tuple] = []
    for org, workspace in reachable_workspaces(current_user):
        if not groups or groups[-1][0].id != org.id:
            groups.append((org, []))
        groups[-1][1].append(workspace)
    return groups


def landing_workspace():
    """Where `/` sends a logged-in user: the last workspace visited if still reachable, else
    the first one; None when the user reaches none."""
    pairs = reachable_workspaces(current_user)
    last = session.get(LAST_WORKSPACE)
    for pair in pairs:
        if pair[1].id == last:
            return pair
    return pairs[0] if pairs else None
