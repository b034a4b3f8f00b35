"""The stats view of a board, `<project>/stats` (`?scope=` for a scope's board): counts of its
active cards by status, column, priority and assignee, a cumulative flow diagram and a
burndown, drawn as inline SVG on the server (no charting script), each with its numbers in
text for screen readers. The numbers and how the history is rebuilt from the activity log:
`app/services/board_stats.py`; the charts' geometry: `app/presenters/stats_charts.py`.
"""
from flask import Blueprint
from flask_login import current_user, login_required

from app.presenters import stats_charts
from app.services import board_stats
from app.services.projects import project_access
from app.timeutil import utcnow
from app.web import views
from app.web.helpers import render
from app.web.views import P

bp = Blueprint("scope_stats", __name__)


@bp.before_request
@login_required
def _signed_in():
    """The stats need a signed-in user."""


@bp.get(P + "/stats")
def show(org_slug, ws_slug, project_id):
    """The stats page; for htmx (a live refresh, static/js/view_live.js) only the charts."""
    access = project_access(current_user, org_slug, ws_slug, project_id)
    scope = views.board_scope(access)
    now = utcnow()
    stats = board_stats.board_stats(access, scope, now)
    charts = {name: stats_charts.bar_chart(getattr(stats, name))
              for name in ("by_category", "by_column", "by_priority", "by_assignee")}
    return render("views/stats.html", "views/_stats_charts.html", **views.view_page(access, scope, "stats"),
                  access=access, project=access.project, stats=stats, bars=charts, today=now.date(),
                  flow=stats_charts.flow_chart(stats.series, now.date()),
                  burndown=stats_charts.burndown_chart(stats.series, now.date()))
