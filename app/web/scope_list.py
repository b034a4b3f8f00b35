"""The list view of a board, `<project>/list` (`?scope=` for a scope's board): the board's
active cards as a table, sorted by a header click (`?sort=due&dir=asc`), grouped by column,
assignee or priority (`?group=`), with inline edits of a row's priority, assignee, due date
and column, and bulk actions on the checked rows. Sorting and grouping rules live in
`app/services/list_view.py`; bulk changes in `app/services/bulk_cards.py`.

Every change goes through the card services. A refused inline edit is rolled back and
answers its row as saved, with the reason under the field; a refused bulk action (one card
at a WIP limit, say) is rolled back as a whole and answers the table with the reason and
the rows still checked. Card ids from a form are checked against the project in the path:
another project's card refuses the whole action (404). Without JavaScript the forms post
and come back to the list.
"""
from flask import Blueprint, flash, redirect, request
from flask_login import current_user, login_required

from app.errors import DomainError, Invalid
from app.extensions import db
from app.models.board import Scope
from app.services import bulk_cards, cards, columns, labels, list_view, projects
from app.services.list_view import ListQuery
from app.services.projects import ProjectAccess, project_access
from app.web import views
from app.web.helpers import FORM_ERRORS, is_htmx, render
from app.web.views import P

bp = Blueprint("scope_list", __name__)
# Row field → the card service's wire name (the column is a move).
FIELDS = {"column": "columnId", "priority": "priority", "assignee": "assigneeId", "due_date": "dueDate"}
# Wire names in the card service's refusals → the row field to show them under.
ERROR_FIELDS = {"columnId": "column", "column": "column", "priority": "priority", "assigneeId": "assignee",
                "dueDate": "due_date", "startDate": "due_date"}
# Bulk action → the form field holding its value.
BULK_VALUES = {"move": "to_column", "assign": "to_assignee", "label": "label"}
# Row field → the sort and grouping it decides: a change of it moves the row in the table.
ORDERS = {"column": "column", "priority": "priority", "assignee": "assignee", "due_date": "due"}


@bp.before_request
@login_required
def _signed_in():
    """The list view needs a signed-in user."""


def _access(org_slug: str, ws_slug: str, project_id: str) -> ProjectAccess:
    return project_access(current_user, org_slug, ws_slug, project_id)


@bp.get(P + "/list")
def show(org_slug, ws_slug, project_id):
    """The list page; for htmx (a header click, the grouping) only the table, and the
    address bar shows the sort and grouping."""
    access = _access(org_slug, ws_slug, project_id)
    scope = views.board_scope(access)
    query, error = _query_or_error(request.args)
    context = {**views.view_page(access, scope, "list"),
               **_table_context(access, scope, query, message=error, category="error")}
    response = render("views/list.html", "views/_list_table.html", **context)
    if is_htmx():
        response.headers["HX-Push-Url"] = views.view_url(access, "list", scope, **query.args())
    return response, 400 if error else 200


@bp.post(P + "/list/cards/<card_id>")
def save_row(org_slug, ws_slug, project_id, card_id):
    """Save what changed in a row: its fields `column`, `priority`, `assignee`, `due_date`
    (those posted; an empty one clears all but the column), against the card `version` the
    row showed (a card changed meanwhile is refused and shown as saved). A new column moves
    the card to the end of that column of its board. Answers the row, or the whole table
    when the change moves the row under the list's `sort` or `group` (the bulk form's
    fields, sent along); the cards in `card` stay checked. Raises NotFound (a card of
    another project)."""
    access = _access(org_slug, ws_slug, project_id)
    card = cards.get_card(current_user, card_id, expected_project_id=access.project.id)
    board_columns = columns.list_columns(access, card.column.scope_id)
    changed = [f for f in FIELDS if f in request.form and request.form[f].strip() != _shown(card, f)]
    try:
        if "column" in changed:
            list_view.board_column(board_columns, request.form["column"].strip())
        cards.update_card(current_user, card.id, {FIELDS[f]: request.form[f].strip() or None for f in changed},
                          expected_project_id=access.project.id, expected_version=_version(request.form))
    except FORM_ERRORS as error:
        return _row_answer(access, card.id, board_columns, _failed(error, changed), error)
    query, _ = _query_or_error(request.form)
    if is_htmx() and {ORDERS[f] for f in changed} & {query.sort, query.group}:
        # The row belongs elsewhere now (another group, another place in the sort).
        scope = views.board_scope(access, {"scope": card.column.scope_id})
        response = _table_answer(access, scope, query, checked=request.form.getlist("card"))
        response.headers.update({"HX-Retarget": "#list-table", "HX-Reswap": "outerHTML"})
        return response
    return _row_answer(access, card.id, board_columns)


@bp.post(P + "/list/bulk")
def bulk(org_slug, ws_slug, project_id):
    """Apply `action` (move | assign | label | archive) to the checked cards (`card`, one
    per row) with the value of its field (`to_column`, `to_assignee`, `label`), all or nothing.
    Answers the table with what was done, or the reason nothing was."""
    access = _access(org_slug, ws_slug, project_id)
    scope = views.board_scope(access, request.form)
    query, _ = _query_or_error(request.form)
    action = request.form.get("action", "")
    value = request.form.get(BULK_VALUES[action], "") if action in BULK_VALUES else None
    card_ids = request.form.getlist("card")
    board_columns = columns.list_columns(access, scope.id if scope else None)
    try:
        if action == "move" and value:
            list_view.board_column(board_columns, value)
        changed = bulk_cards.apply_to_cards(current_user, card_ids, action, value,
                                            expected_project_id=access.project.id)
    except FORM_ERRORS as error:
        return _table_answer(access, scope, query, error.message, "error", error.status, checked=card_ids)
    return _table_answer(access, scope, query, _done(access, action, value, len(changed), board_columns))


# Answers

def _query_or_error(args) -> tuple[ListQuery, str | None]:
    """The list query from `args`; an invalid one gives the board order and the reason."""
    try:
        return list_view.parse_query(args), None
    except Invalid as error:
        return ListQuery(), error.message


def _version(form) -> int | None:
    """The card version a row showed (None when the form sends none). Raises Invalid."""
    value = form.get("version", "").strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > 9:
        raise Invalid("version", "version must be a whole number ≥ 1")
    return int(value)


def _shown(card, field: str) -> str:
    """What the row shows of `field`, as its form posts it back unchanged."""
    if field == "column":
        return card.column_id
    if field == "due_date":
        return card.due_date.strftime("%Y-%m-%d") if card.due_date else ""
    return (card.priority if field == "priority" else card.assignee_id) or ""


def _failed(error: DomainError, changed: list[str]) -> str | None:
    """The row field to show a refusal under: the one it names, else the column for a WIP
    limit, else the first field changed."""
    named = ERROR_FIELDS.get(getattr(error, "field", None) or "")
    if named in changed:
        return named
    if "column" in changed and not isinstance(error, Invalid):
        return "column"
    return changed[0] if changed else None


def _table_context(access: ProjectAccess, scope: Scope | None, query: ListQuery, **extra) -> dict:
    """What templates/views/_list_table.html needs. `extra`: a `message` with its
    `category`, the `checked` card ids."""
    board = list_view.load_board(access, scope)
    context = dict(access=access, project=access.project, scope=scope, query=query,
                   groups=list_view.arrange(board, query), card_count=len(board.cards),
                   columns=board.columns, members=projects.list_members(access),
                   labels=labels.list_labels(access), checked=set(), message=None, category=None)
    context.update({name: value for name, value in extra.items() if value is not None})
    return context


def _table_answer(access: ProjectAccess, scope: Scope | None, query: ListQuery, message: str | None = None,
                  category: str = "success", status: int = 200, checked: list[str] | None = None):
    """The table after a change, with `message` (a refusal rolled back first: a redirect or
    a re-rendered table would otherwise show or keep half of it)."""
    if category == "error":
        db.session.rollback()
    if not is_htmx():
        if message:
            flash(message, category)
        return redirect(views.view_url(access, "list", scope, **query.args()))
    response = render("views/_list_table.html", "views/_list_table.html",
                      **_table_context(access, scope, query, message=message, category=category,
                                       checked=set(checked or ())))
    response.status_code = status
    response.headers["X-Fragment"] = "1"
    return response


def _row_answer(access: ProjectAccess, card_id: str, board_columns: list, failed: str | None = None,
                error: DomainError | None = None):
    """The row of the card as saved; after a refusal (rolled back) with the reason under
    the field that `failed`."""
    if error is not None:
        db.session.rollback()
    card = cards.get_card(current_user, card_id, expected_project_id=access.project.id)
    if not is_htmx():
        if error is not None:
            flash(error.message, "error")
        scope = views.board_scope(access, {"scope": card.column.scope_id})
        return redirect(views.view_url(access, "list", scope))
    list_view.prepare_rows([card])
    response = render("views/_list_row.html", "views/_list_row.html", access=access, project=access.project,
                      card=card, columns=board_columns, members=projects.list_members(access),
                      checked=set(request.form.getlist("card")), failed=failed,
                      error=error.message if error else None)
    if error is not None:
        response.status_code = error.status
        response.headers["X-Fragment"] = "1"
    return response


def _done(access: ProjectAccess, action: str, value: str | None, count: int, board_columns: list) -> str:
    """What a bulk action did, in a sentence."""
    if count == 0:
        return "Nothing changed: the checked cards already were that way."
    cards_text = f"{count} card{'s' if count != 1 else ''}"
    if action == "move":
        return f"Moved {cards_text} to {list_view.board_column(board_columns, value).name}."
    if action == "assign":
        if not value:
            return f"Unassigned {cards_text}."
        person = next(m.user for m in projects.list_members(access) if m.user_id == value)
        return f"Assigned {cards_text} to {person.name}."
    if action == "label":
        return f"Added the label {labels.get_label(access, value).name} to {cards_text}."
    return f"Archived {cards_text}."

