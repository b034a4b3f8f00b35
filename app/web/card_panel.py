"""The card panel, `<board>/cards/<card_id>`: a card's fields, checklist and actions beside
the board (an HTMX fragment loaded into `#card-panel`), or the board with the panel open
(a plain GET: a reload, a shared link). Also the project's archived cards,
`<board>/archived`, with restore and delete.

Every change goes through the card services (`cards`, `checklists`). A refused change
(Invalid, Conflict) is rolled back and answers the part of the panel it came from with the
reason next to what was typed. A saved change answers that part and, out of band, what
the board shows of the card: its tile, or the columns it left and entered. Archiving or
deleting closes the panel (event `card-panel-close`, static/js/card_panel.js).
"""
from dataclasses import replace

from flask import Blueprint, flash, redirect, request
from flask_login import current_user, login_required

from app.errors import DomainError, Invalid, NotFound
from app.extensions import db
from app.services import board_page, cards, checklists, columns, projects, scopes
from app.services.board_page import BoardFilter
from app.services.projects import ProjectAccess, project_access
from app.web import views as board_views
from app.web.board import P, board_link, board_url, card_url
from app.web.helpers import FORM_ERRORS, is_htmx, render

bp = Blueprint("card_panel", __name__)
CARD = P + "/cards/<card_id>"
# Panel field name → the card service's wire name. Empty clears the optional ones.
FIELDS = {"title": "title", "description": "description", "priority": "priority",
          "assignee": "assigneeId", "start_date": "startDate", "due_date": "dueDate",
          "column": "columnId"}
OPTIONAL = {"priority", "assignee", "start_date", "due_date"}


@bp.before_request
@login_required
def _signed_in():
    """Every card page needs a signed-in user."""


def _card(org_slug: str, ws_slug: str, project_id: str, card_id: str):
    """The card and the viewer's access to its project. Raises NotFound (an outsider, or a
    card of another project than the one in the path)."""
    access = project_access(current_user, org_slug, ws_slug, project_id)
    return cards.get_card(current_user, card_id, expected_project_id=access.project.id), access


@bp.get(CARD)
def show(org_slug, ws_slug, project_id, card_id):
    """The panel for htmx; otherwise the board page with the panel open."""
    card, access = _card(org_slug, ws_slug, project_id, card_id)
    context = _panel_context(access, card)
    if not is_htmx() or request.headers.get("HX-History-Restore-Request") == "true":  # a whole page
        # Behind the panel: the kanban of the board the card is on, whatever the address said.
        flt = replace(context["flt"], scope=card.column.scope_id or "")
        scope = board_views.board_scope(access, {"scope": flt.scope})
        context.update(board_views.nav_context(access, scope, "kanban"), flt=flt,
                       views=board_page.board(access, flt), has_archived=True)
    return render("cards/page.html", "cards/_panel.html", **context)


@bp.post(CARD + "/fields/<field>")
def save_field(org_slug, ws_slug, project_id, card_id, field):
    """Save one field from form field `value`; the column field moves the card to the end
    of that column. Raises NotFound (an unknown field)."""
    card, access = _card(org_slug, ws_slug, project_id, card_id)
    if field not in FIELDS:
        raise NotFound("No such card field")
    value = request.form.get("value", "")
    source = card.column_id
    try:
        if field == "column":
            if value != card.column_id:
                card = cards.move_card(current_user, card.id, value, expected_project_id=access.project.id)
        else:
            card = cards.update_card(current_user, card.id, {FIELDS[field]: _field_value(field, value)},
                                     expected_project_id=access.project.id)
    except FORM_ERRORS as error:
        return _answer("cards/_field_answer.html", access, card, error, field=field, failed=field, typed=value)
    moved = {source, card.column_id} if card.column_id != source else None
    return _answer("cards/_field_answer.html", access, card, field=field, column_ids=moved)


@bp.post(CARD + "/checklist")
def add_item(org_slug, ws_slug, project_id, card_id):
    """Append an item to the checklist; the new-item field keeps the focus."""
    card, access = _card(org_slug, ws_slug, project_id, card_id)
    title = request.form.get("title", "")
    try:
        card = checklists.add_item(current_user, card.id, title, expected_project_id=access.project.id)
    except FORM_ERRORS as error:
        return _answer("cards/_checklist_answer.html", access, card, error, failed="new", typed=title)
    return _answer("cards/_checklist_answer.html", access, card, adding=True)


@bp.post(CARD + "/checklist/<item_id>")
def update_item(org_slug, ws_slug, project_id, card_id, item_id):
    """One change of an item, named by `change`: `done` (ticked when the form sends `done`),
    `title`, or `order` (its new 0-based position). Raises NotFound (an item of another
    card)."""
    card, access = _card(org_slug, ws_slug, project_id, card_id)
    change = request.form.get("change")
    typed = None
    try:
        if change == "done":
            changes = {"done": "done" in request.form}
        elif change == "title":
            typed = request.form.get("title", "")
            changes = {"title": typed}
        elif change == "order":
            changes = {"order": _whole(request.form.get("order", ""), "order")}
        else:
            raise Invalid("change", "change must be done, title or order")
        card = checklists.update_item(current_user, card.id, item_id, changes,
                                      expected_project_id=access.project.id)
    except FORM_ERRORS as error:
        return _answer("cards/_checklist_answer.html", access, card, error, failed=item_id, typed=typed)
    return _answer("cards/_checklist_answer.html", access, card)


@bp.post(CARD + "/checklist/<item_id>/delete")
def delete_item(org_slug, ws_slug, project_id, card_id, item_id):
    """Remove an item. Raises NotFound (an item of another card)."""
    card, access = _card(org_slug, ws_slug, project_id, card_id)
    card = checklists.delete_item(current_user, card.id, item_id, expected_project_id=access.project.id)
    return _answer("cards/_checklist_answer.html", access, card)


@bp.post(CARD + "/archive")
def archive(org_slug, ws_slug, project_id, card_id):
    """Archive the card: it leaves the board and the panel closes."""
    card, access = _card(org_slug, ws_slug, project_id, card_id)
    card = cards.archive_card(current_user, card.id, True, expected_project_id=access.project.id)
    return _closed(access, card.column_id, f"{cards.card_key(card)} archived.", archived_link=True)


@bp.post(CARD + "/restore")
def restore(org_slug, ws_slug, project_id, card_id):
    """Put an archived card back at the end of its column; the panel stays open."""
    card, access = _card(org_slug, ws_slug, project_id, card_id)
    try:
        card = cards.archive_card(current_user, card.id, False, expected_project_id=access.project.id)
    except FORM_ERRORS as error:
        return _answer("cards/_panel_answer.html", access, card, error, failed="actions")
    return _answer("cards/_panel_answer.html", access, card, column_ids={card.column_id})


@bp.post(CARD + "/delete")
def delete(org_slug, ws_slug, project_id, card_id):
    """Delete the card for good: it leaves the board and the panel closes."""
    card, access = _card(org_slug, ws_slug, project_id, card_id)
    column_id, key = card.column_id, cards.card_key(card)
    cards.delete_card(current_user, card.id, expected_project_id=access.project.id)
    return _closed(access, column_id, f"{key} deleted.")


@bp.get(P + "/archived")
def archived(org_slug, ws_slug, project_id):
    """The project's archived cards, most recently archived first."""
    access = project_access(current_user, org_slug, ws_slug, project_id)
    return render("cards/archived.html", "cards/_archived_list.html", **_archived_context(access))


@bp.post(P + "/archived/<card_id>/restore")
def archived_restore(org_slug, ws_slug, project_id, card_id):
    """Restore a card from the archived list; the list comes back without it."""
    card, access = _card(org_slug, ws_slug, project_id, card_id)
    try:
        cards.archive_card(current_user, card.id, False, expected_project_id=access.project.id)
    except FORM_ERRORS as error:
        db.session.rollback()
        return _archived_answer(access, error.message, "error", error.status)
    return _archived_answer(access, f"{cards.card_key(card)} restored to {card.column.name}.")


@bp.post(P + "/archived/<card_id>/delete")
def archived_delete(org_slug, ws_slug, project_id, card_id):
    """Delete an archived card for good; the list comes back without it."""
    card, access = _card(org_slug, ws_slug, project_id, card_id)
    key = cards.card_key(card)
    cards.delete_card(current_user, card.id, expected_project_id=access.project.id)
    return _archived_answer(access, f"{key} deleted.")


# Answers

def _field_value(field: str, value: str):
    """The service value of a panel field: None for an emptied optional field."""
    return None if field in OPTIONAL and not value.strip() else value


def _whole(value: str, field: str) -> int:
    """A whole number ≥ 0 from a form field. Raises Invalid."""
    if not value.isdigit() or len(value) > 9:
        raise Invalid(field, f"{field} must be a whole number ≥ 0")
    return int(value)


def _board_filter(args) -> BoardFilter:
    """The board's filter the panel's request carries (none when it is invalid)."""
    try:
        return board_page.parse_filter(args)
    except Invalid:
        return BoardFilter()


def _panel_context(access: ProjectAccess, card, **extra) -> dict:
    source = request.args if request.method == "GET" else request.form
    context = dict(access=access, project=access.project, card=card, flt=_board_filter(source),
                   all_columns=columns.list_columns(access, card.column.scope_id),
                   column_choices=_column_choices(access), members=projects.list_members(access),
                   failed=None, error=None, typed=None)
    context.update(extra)
    return context


def _column_choices(access: ProjectAccess) -> list[tuple[str, list]]:
    """Where the panel can move a card: the columns of each board of the project, the
    project's own first, as (board name, columns)."""
    by_board: dict[str | None, list] = {}
    for column in columns.all_columns(access):
        by_board.setdefault(column.scope_id, []).append(column)
    boards = [("Project board", by_board.get(None, []))]
    boards += [(scope.name, by_board.get(scope.id, [])) for scope in scopes.list_scopes(access)]
    return [(name, board) for name, board in boards if board]


def _answer(template: str, access: ProjectAccess, card, error: DomainError | None = None,
            column_ids: set | None = None, **extra):
    """A part of the panel after a change (`error`: refused, rolled back, shown by what
    `failed`), with the board's tile or `column_ids` out of band after a save."""
    if error is not None:
        # A redirect counts as a success to the request's commit: keep nothing of a refusal.
        db.session.rollback()
    if not is_htmx():
        if error is not None:
            flash(error.message, "error")
        return redirect(card_url(access, card))
    if error is not None:
        card = cards.get_card(current_user, card.id, expected_project_id=access.project.id)
    context = _panel_context(access, card, **extra)
    context.update(error=error.message if error else None, columns_oob=bool(column_ids))
    if column_ids:
        # Only the columns of the board shown: a card moved to another board leaves this one.
        context["views"] = [view for view in board_page.board(access, context["flt"], column_ids=column_ids)
                            if (view.column.scope_id or "") == context["flt"].scope]
    response = render(template, template, **context)
    if error is not None:
        response.status_code = error.status
    return response


def _closed(access: ProjectAccess, column_id: str, notice: str, archived_link: bool = False):
    """After an archive or a delete: the card's column out of band, the notice, and the
    panel closed (the address bar shows the board)."""
    if not is_htmx():
        flash(notice, "success")
        return redirect(board_url(access))
    flt = _board_filter(request.form)
    response = render("cards/_closed.html", "cards/_closed.html", access=access, project=access.project,
                      flt=flt, all_columns=columns.list_columns(access, flt.scope or None), notice=notice,
                      archived_link=archived_link,
                      views=board_page.board(access, flt, column_ids={column_id}))
    response.headers["HX-Trigger"] = "card-panel-close"
    return response


def _archived_context(access: ProjectAccess, **extra) -> dict:
    archived_cards = sorted(cards.list_cards(access, archived="true"),
                            key=lambda c: c.archived_at, reverse=True)
    return dict(access=access, project=access.project, cards=archived_cards, **extra)


def _archived_answer(access: ProjectAccess, message: str, category: str = "success", status: int = 200):
    if not is_htmx():
        flash(message, category)
        return redirect(board_link("card_panel.archived", access))
    response = render("cards/_archived_list.html", "cards/_archived_list.html",
                      **_archived_context(access, message=message, category=category))
    response.status_code = status
    return response
