"""The roadmap view of a board, `<project>/roadmap` (`?scope=` for a scope's board): the
board's cards on a timeline drawn as inline SVG on the server (no charting script), the
scopes' spans, the `blocks` arrows, and a table of the same data for screen readers and
printing. The rules (what is drawn where) live in `app/services/roadmap_view.py`.
"""
from flask import Blueprint
from flask_login import current_user, login_required

from app.services import roadmap_view
from app.services.projects import project_access
from app.timeutil import utcnow
from app.web import views
from app.web.helpers import render
from app.web.views import P

bp = Blueprint("scope_roadmap", __name__)


@bp.before_request
@login_required
def _signed_in():
    """The roadmap needs a signed-in user."""


@bp.get(P + "/roadmap")
def show(org_slug, ws_slug, project_id):
    """The roadmap page; for htmx (a live refresh, static/js/view_live.js) only the chart."""
    access = project_access(current_user, org_slug, ws_slug, project_id)
    scope = views.board_scope(access)
    today = utcnow().date()
    return render("views/roadmap.html", "views/_roadmap_chart.html",
                  **views.view_page(access, scope, "roadmap"), access=access, project=access.project,
                  today=today, roadmap=roadmap_view.roadmap(access, scope, today))
