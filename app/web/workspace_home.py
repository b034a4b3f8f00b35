"""The workspace home page, `/o/<org>/w/<ws>/`: for now an overview of the workspace.

Kept apart from the settings views so the page can be replaced on its own.
"""
from app.services import workspaces
from app.web.context import current_workspace
from app.web.helpers import render
from app.web.workspace import W, bp


@bp.get(W + "/")
def home(org_slug, ws_slug):
    access = current_workspace()
    return render("workspace/home.html", access=access, workspace=access.workspace,
                  org=access.workspace.organization, members=workspaces.list_members(access))
