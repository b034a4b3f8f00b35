"""The calendar view of a board, `<project>/calendar?scope=<id>&month=YYYY-MM`: a month of
weeks with the board's cards on their due dates and a tray of the undated ones. Dragging a
card to a day (static/js/calendar_view.js) posts its new due date; the answer is the month
as saved, so a refused drop snaps back with the reason. Without JavaScript, a card's chip
opens its page, where the due date is edited.
"""
from datetime import date

from flask import Blueprint, flash, redirect, request
from flask_login import current_user, login_required

from app.errors import DomainError, Invalid, NotFound
from app.extensions import db
from app.models.board import Card, Scope
from app.services import calendar_view, cards
from app.services.projects import ProjectAccess, project_access
from app.timeutil import iso, utcnow
from app.web import views
from app.web.helpers import FORM_ERRORS, is_htmx, render
from app.web.views import P

bp = Blueprint("scope_calendar", __name__)


@bp.before_request
@login_required
def _signed_in():
    """Calendar pages need a signed-in user."""


@bp.get(P + "/calendar")
def show(org_slug, ws_slug, project_id):
    """The month `?month=` names (default: see `calendar_view.default_month`); a bad one shows
    the default month with the reason."""
    access = project_access(current_user, org_slug, ws_slug, project_id)
    scope = views.board_scope(access)
    month, message = _month_or_default(request.args.get("month"), scope)
    context = {**views.view_page(access, scope, "calendar"), **_calendar_context(access, scope, month, message)}
    response = render("views/calendar.html", "views/_calendar_board.html", **context)
    return response, 400 if message else 200


@bp.post(P + "/calendar/cards/<card_id>/due")
def move_due_date(org_slug, ws_slug, project_id, card_id):
    """Give a card of this board the due date `day` (YYYY-MM-DD; empty clears it), keeping its
    time of day. Answers the month `month` as saved; `version`, the card version the chip
    showed, refuses a drop made on a stale chip."""
    access = project_access(current_user, org_slug, ws_slug, project_id)
    scope = views.board_scope(access, request.form)
    month, _ = _month_or_default(request.form.get("month"), scope)
    try:
        card = cards.get_card(current_user, card_id, expected_project_id=access.project.id)
        if not calendar_view.on_board(card, scope):
            raise NotFound("Card not found")
    except NotFound as error:
        if not is_htmx():
            raise
        # Deleted or moved meanwhile: the month as it is now, without it.
        return _answer(access, scope, month, error, f"{error.message}: it was deleted or left this board.")
    key = f"{access.project.key}-{card.number}"
    day = None
    try:
        if request.form.get("day"):
            day = calendar_view.day_value(request.form["day"])
        due = calendar_view.moved_due_date(card.due_date, day) if day else None
        cards.update_card(current_user, card.id, {"dueDate": iso(due)}, expected_project_id=access.project.id,
                          expected_version=_version(request.form.get("version")))
    except FORM_ERRORS as error:
        return _answer(access, scope, month, error, _refusal(key, card, error, day))
    return _answer(access, scope, month)


def _month_or_default(text: str | None, scope: Scope | None) -> tuple[date, str | None]:
    """The month `text` names, or the board's default month and why `text` was not used."""
    if text:
        try:
            return calendar_view.month_value(text), None
        except Invalid as error:
            return calendar_view.default_month(scope, utcnow().date()), error.message
    return calendar_view.default_month(scope, utcnow().date()), None


def _version(value: str | None) -> int | None:
    """The card version a chip showed (none: no check). Raises Invalid."""
    if not value:
        return None
    if not value.isdigit() or len(value) > 9:
        raise Invalid("version", "version must be a whole number ≥ 1")
    return int(value)


def _refusal(key: str, card: Card, error: DomainError, day: date | None) -> str:
    """Why the card keeps its due date, in the words of the calendar."""
    if isinstance(error, Invalid) and error.field == "dueDate" and card.start_date and day:
        return (f"{key} keeps its due date: it starts on {card.start_date:%d %b %Y}, "
                f"after {day:%d %b %Y}.")
    return f"{key} keeps its due date: {error.message}"


def _calendar_context(access: ProjectAccess, scope: Scope | None, month: date,
                      message: str | None = None) -> dict:
    today = utcnow().date()
    return dict(access=access, project=access.project, scope=scope, today=today, message=message,
                calendar=calendar_view.calendar(access, scope, month, today))


def _answer(access: ProjectAccess, scope: Scope | None, month: date, error: DomainError | None = None,
            message: str | None = None):
    """The month as saved (a refused change rolled back first), with the reason of a refusal;
    without JavaScript, back to the calendar page."""
    if error is not None:
        db.session.rollback()
    if not is_htmx():
        if message:
            flash(message, "error")
        return redirect(views.view_url(access, "calendar", scope, month=f"{month:%Y-%m}"))
    response = render("views/_calendar_board.html", "views/_calendar_board.html",
                      **_calendar_context(access, scope, month, message))
    response.status_code = error.status if error else 200
    response.headers["X-Fragment"] = "1"
    return response
