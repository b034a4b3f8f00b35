"""Live board endpoints: the project's event stream, `GET <board>/events` (Server-Sent
Events, see app/live/), and the cursor a page starts its stream after.

The stream checks the caller like the board page does (signed in, project within reach:
otherwise 401, or 404 as for the page), then gives its database connection back before it
starts waiting: an open board costs a thread of the web server, never a pooled connection.
It honours `Last-Event-ID` (the browser sends it when it reconnects) or `?since=` (the
cursor the page was rendered with).
"""
from flask import Blueprint, Response, current_app, g, request
from flask_login import current_user

from app import live
from app.extensions import db
from app.live import sse
from app.services.projects import project_access

bp = Blueprint("live", __name__)
P = "/o/<org_slug>/w/<ws_slug>/p/<project_id>"


@bp.before_app_request
def _remember_page_cursor():
    """A page's stream starts after the events published before its request began, so no
    change committed after the page read the database can be missed."""
    if request.method == "GET":
        g.live_cursor = live.page_cursor()


@bp.app_template_global()
def live_since() -> str:
    """The cursor this page's live stream starts after."""
    return g.get("live_cursor") or live.page_cursor()


@bp.get(P + "/events")
def events(org_slug, ws_slug, project_id):
    if not current_user.is_authenticated:
        return Response("Log in to follow this board.\n", 401, mimetype="text/plain")
    access = project_access(current_user, org_slug, ws_slug, project_id)
    since = request.headers.get("Last-Event-ID") or request.args.get("since") or None
    broker, cursor, complete = live.open_stream(access.project.id, since)
    config = current_app.config
    body = sse.stream(broker, access.project.id, cursor, complete,
                      heartbeat=config.get("LIVE_HEARTBEAT_SECONDS", sse.HEARTBEAT_SECONDS),
                      lifetime=config.get("LIVE_STREAM_SECONDS", sse.STREAM_SECONDS),
                      retry_ms=config.get("LIVE_RETRY_MS", sse.RETRY_MS))
    db.session.remove()  # the stream needs no database: give the connection back now
    return Response(body, mimetype="text/event-stream",
                    headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
