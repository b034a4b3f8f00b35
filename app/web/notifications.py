"""Notifications in the browser: the bell of every signed-in page (its unread count, a
dropdown of the latest ones) and the notifications page, under `/account/notifications`
(`/notifications` itself is the JSON API's).

- The count comes with each page (one COUNT query, `notification_count`) and follows the
  person's live channel (`/account/notifications/events`, Server-Sent Events, see app/live):
  static/js/notifications.js fetches the new count when an event arrives.
- Following a notification is a POST (it marks it read) that answers with a redirect to
  its card, checked against the reader's reach at that moment: a card deleted or out of
  reach since leads, with a message, to its project's board if that is still within reach,
  else back to the page; never to a card the reader cannot open.
"""
import sqlalchemy as sa
from flask import Blueprint, Response, current_app, flash, jsonify, redirect, request, url_for
from flask_login import current_user, login_required

from app import live
from app.errors import Invalid, NotFound
from app.extensions import db
from app.live import sse
from app.models.board import Project
from app.presenters.notification_text import sentence
from app.services import cards, notifications
from app.services.projects import project_access_by_id
from app.web.board import board_url, card_url
from app.web.helpers import is_htmx, render

bp = Blueprint("notifications", __name__)
BASE = "/account/notifications"
MENU_SIZE = 8
PAGE_SIZE = 30


@bp.app_template_global()
def notification_count() -> int:
    """The signed-in person's unread notifications, for the bell (one COUNT query)."""
    return notifications.unread_count(current_user)


@bp.get(BASE)
@login_required
def index():
    """All the caller's notifications, latest first, `PAGE_SIZE` at a time (`offset`);
    `unread=1` keeps the unread ones."""
    unread = request.args.get("unread") == "1"
    offset, error = request.args.get("offset") or "0", None
    try:
        views = notifications.list_notifications(current_user, PAGE_SIZE + 1, unread, offset)
        offset = int(offset)
    except Invalid as refused:  # a hand-made offset: the first page, and why
        offset, error = 0, refused.message
        views = notifications.list_notifications(current_user, PAGE_SIZE + 1, unread, offset)
    return render("notifications/index.html", entries=_entries(views[:PAGE_SIZE]), unread=unread,
                  offset=offset, more=len(views) > PAGE_SIZE, page_size=PAGE_SIZE, error=error)


@bp.get(BASE + "/menu")
@login_required
def menu():
    """The bell's dropdown: the latest notifications and, out of band, the count."""
    return _menu()


@bp.get(BASE + "/count")
@login_required
def count():
    return jsonify({"count": notifications.unread_count(current_user)})


@bp.get(BASE + "/events")
def events():
    """The caller's notification channel: a content-free `notifications.changed` event
    whenever their notifications change (see app/web/live.py for the board's stream)."""
    if not current_user.is_authenticated:
        return Response("Log in to follow your notifications.\n", 401, mimetype="text/plain")
    channel = live.user_channel(current_user.id)
    since = request.headers.get("Last-Event-ID") or request.args.get("since") or None
    broker, cursor, complete = live.open_stream(channel, since)
    config = current_app.config
    body = sse.stream(broker, channel, cursor, complete,
                      heartbeat=config.get("LIVE_HEARTBEAT_SECONDS", sse.HEARTBEAT_SECONDS),
                      lifetime=config.get("LIVE_STREAM_SECONDS", sse.STREAM_SECONDS),
                      retry_ms=config.get("LIVE_RETRY_MS", sse.RETRY_MS), reset={"type": "reset"})
    db.session.remove()  # the stream needs no database: give the connection back now
    return Response(body, mimetype="text/event-stream",
                    headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


@bp.post(BASE + "/<notification_id>/open")
@login_required
def open_one(notification_id):
    """Mark the notification read and go to its card (or project), if still within reach.
    Raises NotFound (someone else's notification)."""
    view = notifications.mark_read(current_user, notification_id)
    target, card_missing = _destination(view)
    if card_missing or target is None:
        flash(f"That {'card' if card_missing else 'project'} is no longer within your reach.", "error")
    return redirect(target or url_for("notifications.index"), 303)


@bp.post(BASE + "/<notification_id>/read")
@login_required
def read_one(notification_id):
    """Raises NotFound (someone else's notification)."""
    notifications.mark_read(current_user, notification_id)
    return redirect(_back(), 303)


@bp.post(BASE + "/read-all")
@login_required
def read_all():
    """From the bell (htmx): its refreshed dropdown; from the page: back to it."""
    notifications.mark_all_read(current_user)
    if is_htmx():
        return _menu()
    flash("All notifications marked read.", "success")
    return redirect(_back(), 303)


def _menu():
    views = notifications.list_notifications(current_user, MENU_SIZE)
    return render("notifications/_menu.html", entries=_entries(views),
                  count=notifications.unread_count(current_user))


def _entries(views: list[notifications.NotificationView]) -> list[dict]:
    """What the templates show of each notification, with the project names in one query."""
    project_ids = {view.activity.project_id for view in views}
    names = dict(db.session.execute(sa.select(Project.id, Project.name).where(Project.id.in_(project_ids))).all()) \
        if project_ids else {}
    entries = []
    for view in views:
        meta = view.activity.meta or {}
        entries.append({"id": view.notification.id, "actor": view.actor_name or "Someone",
                        "sentence": sentence(view, current_user.id), "card_key": meta.get("cardKey"),
                        "card_title": meta.get("cardTitle"), "project": names.get(view.activity.project_id),
                        "at": view.activity.created_at, "unread": view.notification.read_at is None})
    return entries


def _destination(view: notifications.NotificationView) -> tuple[str | None, bool]:
    """Where the notification leads as the caller can reach things now: its card, else its
    project's board, else nowhere (None); and whether it was about a card out of reach
    (deleted, moved away, or the caller left its project)."""
    activity = view.activity
    if activity.card_id:
        try:
            card, access = cards.card_access(current_user, activity.card_id)
            return card_url(access, card), False
        except NotFound:
            pass
    try:
        return board_url(project_access_by_id(current_user, activity.project_id)), bool(activity.card_id)
    except NotFound:
        return None, bool(activity.card_id)


def _back() -> str:
    """The notifications page the form was posted from (its filter and offset kept)."""
    back = request.form.get("back", "")
    return back if back.startswith(BASE) and not back.startswith(BASE + "/") else url_for("notifications.index")
