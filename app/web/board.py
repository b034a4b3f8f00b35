"""The project board page, `/o/<org>/w/<ws>/p/<project_id>`: columns side by side with
their cards; drag and drop, inline card creation, column add/rename/delete, filters and
lazy loading of long columns, all as HTMX fragments of the same templates.

Every change goes through the board services (`cards`, `columns`); a refused change
(Invalid, Conflict) answers the column(s) as the database has them, so the page snaps
back, with the reason as a message. Without JavaScript, the forms post and come back to
the board.
"""
from dataclasses import replace

from flask import Blueprint, current_app, flash, redirect, request, url_for
from flask_login import current_user, login_required

from app.errors import DomainError, Invalid, NotFound
from app.extensions import db
from app.services import board_page, cards, columns, projects
from app.services.board_page import BoardFilter
from app.services.projects import ProjectAccess, project_access
from app.timeutil import utcnow
from app.web import views as board_views
from app.web.helpers import FORM_ERRORS, is_htmx, render

bp = Blueprint("board", __name__)
P = "/o/<org_slug>/w/<ws_slug>/p/<project_id>"
ARCHIVED_ENDPOINT = "card_panel.archived"


@bp.before_request
@login_required
def _signed_in():
    """Every board page needs a signed-in user."""


# Template helpers, app-wide: the card tile (templates/board/_card.html) is also rendered
# by other pages (the card panel re-renders it after an edit).

@bp.app_template_global()
def board_link(endpoint: str, access: ProjectAccess, **args) -> str:
    """The URL of a board view `endpoint` for the project `access` is about."""
    workspace = access.workspace_access.workspace
    return url_for(endpoint, org_slug=workspace.organization.slug, ws_slug=workspace.slug,
                   project_id=access.project.id, **args)


@bp.app_template_global()
def board_url(access: ProjectAccess, **args) -> str:
    """The board page of the project `access` is about (query arguments from `args`)."""
    return board_link("board.show", access, **args)


@bp.app_template_global()
def card_url(access: ProjectAccess, card) -> str:
    """The card panel's address for `card`: `<board>/cards/<card id>`."""
    return f"{board_url(access)}/cards/{card.id}"


@bp.app_template_global()
def is_overdue(card) -> bool:
    """Due date passed and not in a done column (the board service's rule)."""
    return board_page.is_overdue(card)


@bp.app_template_global()
def checklist_progress(card) -> int:
    """Percent of the card's checklist done (the card service's rule)."""
    return cards.checklist_progress(card)


@bp.app_template_filter()
def initials(name: str) -> str:
    """Up to two initials of a person's name: "Ada Lovelace" → "AL", "ada" → "A"."""
    words = [w for w in (name or "").split() if w[:1].isalnum()]
    return "".join(w[0] for w in words[:2]).upper() or "?"


@bp.app_template_filter()
def short_date(value) -> str:
    """A due date as "12 Mar" (this year) or "12 Mar 2027"."""
    return value.strftime("%d %b" if value.year == utcnow().year else "%d %b %Y")


# Views

def _access(org_slug: str, ws_slug: str, project_id: str) -> ProjectAccess:
    return project_access(current_user, org_slug, ws_slug, project_id)


def _filter_or_error(args) -> tuple[BoardFilter, str | None]:
    """The filter from `args`; an invalid one gives the whole board and the reason."""
    try:
        return board_page.parse_filter(args), None
    except Invalid as error:
        return BoardFilter(), error.message


@bp.get(P)
def show(org_slug, ws_slug, project_id):
    """The board (the project's own, or the kanban view of the scope `?scope=` names); for
    htmx (the filter bar) only the columns, and the address bar shows the filter."""
    access = _access(org_slug, ws_slug, project_id)
    scope = board_views.board_scope(access)
    flt, filter_error = _filter_or_error(request.args)
    flt = replace(flt, scope=scope.id if scope else "")
    response = render("board/show.html", "board/_columns.html", **board_views.view_page(access, scope, "kanban"),
                      **_board_context(access, flt, message=filter_error))
    if is_htmx():
        response.headers["HX-Push-Url"] = board_url(access, **flt.args())
    return response, 400 if filter_error else 200


@bp.get(P + "/board/columns/<column_id>/cards")
def more_cards(org_slug, ws_slug, project_id, column_id):
    """The next batch of a long column (lazy loading), ending with the next loader."""
    access = _access(org_slug, ws_slug, project_id)
    flt = board_page.parse_filter(request.args)
    offset = board_page.offset_value(request.args.get("offset", "0"))
    view = board_page.column_page(access, column_id, flt, offset)
    return render("board/_card_batch.html", "board/_card_batch.html", access=access,
                  project=access.project, view=view, flt=flt)


@bp.post(P + "/board/cards/<card_id>/move")
def move_card(org_slug, ws_slug, project_id, card_id):
    """Drop a card in column `column_id`, after the card `after_id` (or before `before_id`)
    it was dropped next to. Answers the source and target columns out of band; a refused
    move answers them as they are, so the card snaps back. `version`, the card version the
    tile showed, refuses a move made on a stale tile (the card changed meanwhile)."""
    access = _access(org_slug, ws_slug, project_id)
    flt, _ = _filter_or_error(request.form)
    target_id = request.form.get("column_id")
    try:
        card = cards.get_card(current_user, card_id, expected_project_id=access.project.id)
    except NotFound as error:
        return _board_answer(access, flt, message=error)
    source_id = card.column_id
    try:
        column = columns.get_column(access, target_id, field="columnId")
        order = board_page.drop_order(card, column, request.form.get("after_id"),
                                      request.form.get("before_id"))
        version = request.form.get("version")
        cards.move_card(current_user, card.id, column.id, order, expected_project_id=access.project.id,
                        expected_version=_whole(version, "version") if version else None)
    except FORM_ERRORS as error:
        return _columns_answer(access, flt, {source_id, target_id}, error)
    return _columns_answer(access, flt, {source_id, column.id})


@bp.post(P + "/board/columns/<column_id>/move")
def move_column(org_slug, ws_slug, project_id, column_id):
    """Put a column at position `order` (0-based); the others shift. The page already
    shows the new order, so success answers nothing; a refusal answers the board."""
    access = _access(org_slug, ws_slug, project_id)
    flt, _ = _filter_or_error(request.form)
    try:
        columns.update_column(access, column_id, {"order": _whole(request.form.get("order"), "order")})
    except (*FORM_ERRORS, NotFound) as error:
        return _board_answer(access, flt, message=error)
    if is_htmx():
        return "", 204
    return redirect(board_url(access, **flt.args()))


@bp.post(P + "/board/columns/<column_id>/cards")
def add_card(org_slug, ws_slug, project_id, column_id):
    """Add a card at the bottom of a column; the column comes back with the form open for
    the next card (or with the reason this one was refused)."""
    access = _access(org_slug, ws_slug, project_id)
    flt, _ = _filter_or_error(request.form)
    title = request.form.get("title", "")
    try:
        cards.create_card(current_user, column_id, expected_project_id=access.project.id, title=title)
    except FORM_ERRORS as error:
        return _column_answer(access, flt, column_id, "add", error, value=title)
    return _column_answer(access, flt, column_id, "add", status=201)


@bp.post(P + "/board/columns")
def add_column(org_slug, ws_slug, project_id):
    """Add a column at the right end of the board (the project's own, or the scope's)."""
    access = _access(org_slug, ws_slug, project_id)
    flt, _ = _filter_or_error(request.form)
    name = request.form.get("name", "")
    try:
        columns.create_column(access, name, scope_id=flt.scope or None)
    except FORM_ERRORS as error:
        return _board_answer(access, flt, error, open_form="new-column", form_value=name)
    return _board_answer(access, flt, status=201, open_form="new-column")


@bp.post(P + "/board/columns/<column_id>/rename")
def rename_column(org_slug, ws_slug, project_id, column_id):
    access = _access(org_slug, ws_slug, project_id)
    flt, _ = _filter_or_error(request.form)
    name = request.form.get("name", "")
    try:
        columns.update_column(access, column_id, {"name": name})
    except FORM_ERRORS as error:
        return _column_answer(access, flt, column_id, "menu", error, value=name)
    return _column_answer(access, flt, column_id)


@bp.post(P + "/board/columns/<column_id>/delete")
def delete_column(org_slug, ws_slug, project_id, column_id):
    """Delete a column; the cards it holds go to the column `move_cards_to`."""
    access = _access(org_slug, ws_slug, project_id)
    flt, _ = _filter_or_error(request.form)
    try:
        columns.delete_column(access, column_id, request.form.get("move_cards_to") or None)
    except FORM_ERRORS as error:
        return _board_answer(access, flt, error, open_column=column_id, open_form="menu")
    return _board_answer(access, flt)


# Answers

def _board_context(access: ProjectAccess, flt: BoardFilter, column_ids: set | None = None,
                   **extra) -> dict:
    """What the board templates need: the column views (all, or those in `column_ids`),
    every column (for "move its cards to"), the members (for the assignee filter).
    `extra` may say which form is open: `open_column`, `open_form` ("add" | "menu" |
    "new-column"), `form_error`, `form_value`; and a `message` for the page."""
    views = board_page.board(access, flt, column_ids=column_ids)
    all_columns = [v.column for v in views] if column_ids is None else columns.list_columns(access, flt.scope or None)
    return dict(access=access, project=access.project, flt=flt, views=views,
                all_columns=all_columns, members=projects.list_members(access),
                has_archived=ARCHIVED_ENDPOINT in current_app.view_functions, **extra)


def _whole(value: str | None, field: str) -> int:
    """A whole number ≥ 0 from a form field. Raises Invalid."""
    if value is None or not value.isdigit() or len(value) > 9:
        raise Invalid(field, f"{field} must be a whole number ≥ 0")
    return int(value)


def _fragment(template: str, status: int, **context):
    """A fragment for htmx, marked so static/js/app.js swaps it even with an error status."""
    response = render(template, template, **context)
    response.status_code = status
    response.headers["X-Fragment"] = "1"
    return response


def _back_to_board(access: ProjectAccess, flt: BoardFilter, error: DomainError | None):
    """Without JavaScript: back to the board, with the reason of a refusal. A redirect is a
    success to the request's commit, so a refused change is rolled back here first."""
    if error is not None:
        db.session.rollback()
        flash(error.message, "error")
    return redirect(board_url(access, **flt.args()))


def _columns_answer(access: ProjectAccess, flt: BoardFilter, column_ids: set,
                    error: DomainError | None = None):
    """The given columns (those of this project), re-rendered out of band, and the reason
    of a refusal as a message."""
    if not is_htmx():
        return _back_to_board(access, flt, error)
    if error is not None:
        db.session.rollback()  # show the columns as saved, not as a refused change left them
    return _fragment("board/_columns_oob.html", error.status if error else 200,
                     message=error.message if error else None,
                     **_board_context(access, flt, column_ids=column_ids))


def _column_answer(access: ProjectAccess, flt: BoardFilter, column_id: str,
                   open_form: str | None = None, error: DomainError | None = None,
                   value: str = "", status: int = 200):
    """One column re-rendered, with its form `open_form` ("add" | "menu") open showing
    `error` and the `value` typed."""
    if not is_htmx():
        return _back_to_board(access, flt, error)
    if error is not None:
        db.session.rollback()
    context = _board_context(access, flt, column_ids={column_id}, open_column=column_id,
                             open_form=open_form, form_error=error.message if error else None,
                             form_value=value)
    if not context["views"]:  # deleted meanwhile
        return _board_answer(access, flt, message=error or NotFound("Column not found"))
    return _fragment("board/_column.html", error.status if error else status,
                     view=context["views"][0], **context)


def _board_answer(access: ProjectAccess, flt: BoardFilter, error: DomainError | None = None,
                  message: DomainError | None = None, status: int = 200, **forms):
    """Every column re-rendered: after a change of columns (`error` shows in the open form
    `forms` name), or to undo a refused drag (`message` shows on top)."""
    if not is_htmx():
        return _back_to_board(access, flt, error or message)
    failure = error or message
    if failure is not None:
        db.session.rollback()
    return _fragment("board/_columns.html", failure.status if failure else status,
                     **_board_context(access, flt, form_error=error.message if error else None,
                                      message=message.message if message else None, **forms))
