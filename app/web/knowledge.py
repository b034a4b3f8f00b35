"""The knowledge base pages of a workspace.

- `/o/<org>/w/<ws>/knowledge`: the document tree (drag a document into another one to move
  it there; a refused move, such as under its own descendant, snaps back with the reason),
  filters by type and status (a flat list), live search over documents and cards, and the
  new document form (`/knowledge/new`, also reached from a card or a parent document).
- `/o/<org>/w/<ws>/docs/<doc_id>`: a document as the server renders it (allow-listed HTML),
  its type and status, the review panel (submit; approve or request changes for reviewers;
  the history), its revisions (view, restore), its context (project and card), children,
  and tree, template and delete actions. `/edit` is the same page with the editor: the
  rich-text editor (static/vendor/tiptap-*.min.js, autosaving), or a grid of inputs for a
  spreadsheet. The view and the editor swap in place with htmx.

Every change goes through the knowledge services (`documents`, `document_review`,
`document_revisions`, `search`), which hold the rules; pages only hide what the caller
cannot use. Editors send the revision they started from: a save made on an older one is
refused with a conflict notice (see `knowledge_forms.save_checked`). Without JavaScript the
forms post and come back to the page (the rich-text editor itself needs JavaScript).
"""
from types import SimpleNamespace

from flask import Blueprint, flash, jsonify, redirect, request, url_for
from flask_login import login_required

from app.errors import DomainError, Forbidden, Invalid, NotFound
from app.extensions import db
from app.http_errors import error_json
from app.models.knowledge import DOC_TYPES, REVIEW_STATUSES, Document
from app.services import (cards, document_review, document_revisions, documents, projects, search,
                          workspaces)
from app.services.access import WorkspaceAccess
from app.services.tiptap_render import render_html
from app.timeutil import iso
from app.web.context import current_workspace
from app.web.helpers import FORM_ERRORS, go, is_htmx, render
from app.web.knowledge_forms import StaleRevision, content_value, grid_value, revision_value, save_checked

bp = Blueprint("knowledge", __name__)
W = "/o/<org_slug>/w/<ws_slug>"
D = W + "/docs/<document_id>"
REVISIONS_SHOWN = 10
STATUS_LABELS = {"draft": "Draft", "pending_review": "Pending review", "approved": "Approved",
                 "changes_requested": "Changes requested"}
REVIEW_ACTION_LABELS = {"submitted": "submitted it for review", "approved": "approved it",
                        "changes_requested": "requested changes", "reverted_to_draft": "edited it after approval"}
# Errors the review panel shows next to its buttons.
REVIEW_ERRORS = (*FORM_ERRORS, Forbidden)


@bp.before_request
@login_required
def _signed_in():
    """Every knowledge page needs a signed-in user."""


@bp.app_template_filter()
def doc_type_label(doc_type: str) -> str:
    return "ADR" if doc_type == "adr" else doc_type.capitalize()


@bp.app_template_filter()
def doc_status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


@bp.app_template_filter()
def review_action_label(action: str) -> str:
    return REVIEW_ACTION_LABELS.get(action, action)


@bp.app_template_filter()
def column_label(index: int) -> str:
    """A spreadsheet column's letters: 0 → A, 25 → Z, 26 → AA."""
    label = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        label = chr(65 + rest) + label
    return label


@bp.app_template_filter()
def cell_text(cell) -> str:
    """A spreadsheet cell as its input shows it (null: empty)."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    return str(cell)


@bp.app_template_global()
def card_documents(access: WorkspaceAccess, card) -> list[Document]:
    """The documents of `card` (its context), for the card panel's Documents section."""
    return documents.list_documents(access, card_id=card.id)


# The knowledge page ---------------------------------------------------------------------------

@bp.get(W + "/knowledge")
def index(org_slug, ws_slug):
    """The tree, or with `type` / `status` the matching documents as a list; for htmx (the
    filters) only that part, and the address bar shows the filter."""
    access = current_workspace()
    context = _tree_context(access, request.args)
    response = render("knowledge/index.html", "knowledge/_tree.html", **context)
    if is_htmx():
        response.headers["HX-Push-Url"] = url_for("knowledge.index", **_ws_args(access), **context["flt"])
    return response, 400 if context["message"] else 200


@bp.get(W + "/knowledge/search")
def search_page(org_slug, ws_slug):
    """Documents and cards matching `q`, best first, with highlighted snippets; for htmx
    (the live search box) only the results."""
    access = current_workspace()
    q = request.args.get("q", "")
    hits, message = [], None
    if q.strip():
        try:
            hits = search.search(access, q)
        except Invalid as error:
            message = error.message
    return render("knowledge/search.html", "knowledge/_search_results.html", access=access,
                  workspace=access.workspace, ws_args=_ws_args(access), q=q, hits=hits, message=message,
                  card_href=lambda card: _card_href(access, card), card_key=cards.card_key)


@bp.post(W + "/knowledge/tree/move")
def move_in_tree(org_slug, ws_slug):
    """A drop in the tree: document `document_id` goes under `parent_id` (empty: top level).
    Answers the tree as saved, so a refused move snaps back, with the reason."""
    access = current_workspace()
    document_id, parent_id = request.form.get("document_id"), request.form.get("parent_id") or None
    try:
        moved = documents.update_document(access, document_id, {"parentId": parent_id}).document
    except (*FORM_ERRORS, NotFound) as error:
        _refused()
        return _tree_answer(access, error.message, error.status, "error")
    parent = documents.get_document(access, parent_id) if parent_id else None
    where = f"under “{parent.title}”" if parent else "to the top level"
    return _tree_answer(access, f"Moved “{moved.title}” {where}.", 200, "success")


# New documents ----------------------------------------------------------------------------------

@bp.get(W + "/knowledge/new")
def new_document(org_slug, ws_slug):
    """The new document form; `type`, `parent_id`, `template_id`, `project_id` and `card_id`
    in the address preset it (the card panel links here with its card)."""
    access = current_workspace()
    values = {name: request.args.get(name, "") for name in ("title", "type", "parent_id", "template_id",
                                                               "project_id", "card_id")}
    return render("knowledge/new.html", **_new_context(access, values))


@bp.post(W + "/knowledge/new")
def create_document(org_slug, ws_slug):
    """Create the document (from a template when `template_id` names one) and open it in
    the editor. A refusal shows the form again with the reason."""
    access = current_workspace()
    values = {name: request.form.get(name, "") for name in ("title", "type", "parent_id", "template_id",
                                                               "project_id", "card_id")}
    fields = {"title": values["title"], "docType": values["type"] or "document",
              "parentId": values["parent_id"] or None}
    if values["card_id"]:
        fields["cardId"] = values["card_id"]
    elif values["project_id"]:
        fields["projectId"] = values["project_id"]
    try:
        if values["template_id"]:
            document = documents.instantiate_template(access, values["template_id"], fields)
        else:
            document = documents.create_document(access, fields)
    except (*FORM_ERRORS, NotFound) as error:
        _refused()
        field = error.field if isinstance(error, Invalid) else ("template_id" if isinstance(error, NotFound) else None)
        return render("knowledge/new.html", **_new_context(access, values, errors={field or "_": error.message})), \
            error.status
    return go(_doc_url(access, document, "knowledge.edit"))


# A document ----------------------------------------------------------------------------------------

@bp.get(D)
def document(org_slug, ws_slug, document_id):
    """The document as rendered by the server; for htmx ("Done" in the editor) only its
    main part."""
    return _document_page(document_id, "view")


@bp.get(D + "/edit")
def edit(org_slug, ws_slug, document_id):
    """The document in the editor; for htmx ("Edit") only its main part."""
    return _document_page(document_id, "edit")


@bp.post(D + "/save")
def save(org_slug, ws_slug, document_id):
    """The rich-text editor's save (title and TipTap JSON), made on `expected_revision`.

    Answers JSON (the editor asks for it): `{revision, status, statusChange, title,
    updatedAt}`; 409 `{conflict: true, message, revision}` when someone saved meanwhile;
    the contract's error JSON for a refusal. A plain form post comes back to the page."""
    access = current_workspace()
    fields = {"title": request.form["title"]} if "title" in request.form else {}
    try:
        expected = revision_value(request.form.get("expected_revision"))
        content = content_value(request.form.get("content"))
        if content is not None:
            fields["content"] = content
        update = save_checked(access, document_id, fields, expected)
    except StaleRevision as stale:
        _refused()
        if not _wants_json():
            flash(_stale_message(access, stale), "error")
            return redirect(_doc_url(access, stale.document, "knowledge.edit"))
        response = jsonify(conflict=True, statusCode=409, message=_stale_message(access, stale),
                           revision=stale.revision)
        return response, 409
    except FORM_ERRORS as error:
        _refused()
        if not _wants_json():
            flash(error.message, "error")
            return redirect(url_for("knowledge.edit", document_id=document_id, **_ws_args(access)))
        return error_json(error.status, error.message, error.details)
    saved = update.document
    change = update.status_change
    if not _wants_json():
        flash(change.message if change else "Saved.", "success")
        return redirect(_doc_url(access, saved))
    return jsonify(revision=saved.revision, status=saved.status, title=saved.title,
                   statusLabel=doc_status_label(saved.status), updatedAt=iso(saved.updated_at),
                   statusChange=change.message if change else None)


@bp.post(D + "/grid")
def save_grid(org_slug, ws_slug, document_id):
    """A spreadsheet's save: the title and its cells, made on `expected_revision` (or on
    `overwrite`, the revision a conflict notice showed). Answers the grid as saved, or as
    typed with the reason (a conflict offers to reload or overwrite)."""
    access = current_workspace()
    document = documents.get_document(access, document_id)
    grid, fields = None, {}
    try:
        grid = grid_value(request.form, request.form.get("header") == "1")
        fields = {"title": request.form.get("title", ""), "content": grid}
        expected = revision_value(request.form.get("overwrite") or request.form.get("expected_revision"))
        update = save_checked(access, document.id, fields, expected)
    except StaleRevision as stale:
        _refused()
        return _grid_answer(access, stale.document, grid, 409, conflict=_stale_message(access, stale),
                            revision=stale.revision, title=fields.get("title"), expected=expected)
    except FORM_ERRORS as error:
        _refused()
        return _grid_answer(access, document, grid, error.status, error=error.message, title=fields.get("title"))
    change = update.status_change
    return _grid_answer(access, update.document, None, 200, saved=change.message if change else "Saved.")


@bp.get(D + "/review-panel")
def review_panel(org_slug, ws_slug, document_id):
    """The review panel as it is now (the page refreshes it when a save changed the status)."""
    access = current_workspace()
    return _review_answer(access, documents.get_document(access, document_id))


@bp.post(D + "/submit-review")
def submit_review(org_slug, ws_slug, document_id):
    access = current_workspace()
    try:
        document_review.submit_review(access, document_id)
    except REVIEW_ERRORS as error:
        _refused()
        return _review_answer(access, documents.get_document(access, document_id), error=error)
    return _review_answer(access, documents.get_document(access, document_id),
                          done="Submitted for review.")


@bp.post(D + "/review")
def review(org_slug, ws_slug, document_id):
    """Approve (`status=approved`) or request changes (`status=changes_requested`), with
    optional `notes`."""
    access = current_workspace()
    status, notes = request.form.get("status"), request.form.get("notes") or None
    try:
        document_review.review_document(access, document_id, status, notes)
    except REVIEW_ERRORS as error:
        _refused()
        return _review_answer(access, documents.get_document(access, document_id), error=error, notes=notes)
    done = "Approved." if status == "approved" else "Changes requested."
    return _review_answer(access, documents.get_document(access, document_id), done=done)


@bp.get(D + "/revisions")
def revisions(org_slug, ws_slug, document_id):
    """Every revision, newest first; for htmx (refreshed after each save) the side list."""
    access = current_workspace()
    document = documents.get_document(access, document_id)
    rows = document_revisions.list_revisions(access, document.id, limit=None if not is_htmx() else REVISIONS_SHOWN)
    return render("knowledge/revisions.html", "knowledge/_revisions.html", access=access,
                  workspace=access.workspace, ws_args=_ws_args(access), document=document, revisions=rows,
                  people=_people(access), all_shown=not is_htmx())


@bp.get(D + "/revisions/<revision_id>")
def revision(org_slug, ws_slug, document_id, revision_id):
    """One revision as it read then, with the button that restores it."""
    access = current_workspace()
    document = documents.get_document(access, document_id)
    row = document_revisions.get_revision(access, document.id, revision_id)
    return render("knowledge/revision.html", access=access, workspace=access.workspace,
                  ws_args=_ws_args(access), document=document, revision=row, people=_people(access),
                  html=render_html(row.content, row.doc_type))


@bp.post(D + "/revisions/<revision_id>/restore")
def restore(org_slug, ws_slug, document_id, revision_id):
    access = current_workspace()
    update = document_revisions.restore_revision(access, document_id, revision_id)
    flash(f"Restored revision {update.revision.restored_from} as revision {update.revision.number}."
          + (f" {update.status_change.message}" if update.status_change else ""), "success")
    return go(_doc_url(access, update.document))


@bp.post(D + "/move")
def move(org_slug, ws_slug, document_id):
    """Put the document under `parent_id` (empty: top level)."""
    access = current_workspace()
    return _change(access, document_id, {"parentId": request.form.get("parent_id") or None}, "Moved.")


@bp.post(D + "/context")
def change_context(org_slug, ws_slug, document_id):
    """Link the document to the project `project_id` (empty: none, which unlinks its card
    too), or unlink only its card (`unlink_card`)."""
    access = current_workspace()
    if request.form.get("unlink_card"):
        fields = {"cardId": None}
    else:
        fields = {"projectId": request.form.get("project_id") or None, "cardId": None}
    return _change(access, document_id, fields, "Context saved.")


@bp.post(D + "/instantiate")
def instantiate(org_slug, ws_slug, document_id):
    """A new document from this template (its content copied), opened in the editor."""
    access = current_workspace()
    fields = {"title": request.form.get("title", ""), "docType": request.form.get("type") or "document"}
    try:
        document = documents.instantiate_template(access, document_id, fields)
    except FORM_ERRORS as error:
        _refused()
        flash(error.message, "error")
        return go(url_for("knowledge.document", document_id=document_id, **_ws_args(access)))
    return go(_doc_url(access, document, "knowledge.edit"))


@bp.post(D + "/delete")
def delete(org_slug, ws_slug, document_id):
    """Delete the document; its children go with it (`children=delete`) or up a level
    (`children=up`)."""
    access = current_workspace()
    children = request.form.get("children")
    try:
        document = documents.get_document(access, document_id)
        title = document.title
        documents.delete_document(access, document.id, cascade=children == "delete",
                                  move_children_up=children == "up")
    except (*FORM_ERRORS, Forbidden) as error:
        _refused()
        flash(error.message, "error")
        return go(url_for("knowledge.document", document_id=document_id, **_ws_args(access)))
    flash(f"Deleted “{title}”.", "success")
    return go(url_for("knowledge.index", **_ws_args(access)))


# Answers --------------------------------------------------------------------------------------------

def _refused() -> None:
    """Drop what a refused change left in the session: a redirect or a re-rendered form is a
    success to the commit hook, and the page must show what is saved."""
    db.session.rollback()


def _ws_args(access: WorkspaceAccess) -> dict:
    return dict(org_slug=access.workspace.organization.slug, ws_slug=access.workspace.slug)


def _doc_url(access: WorkspaceAccess, document: Document, endpoint: str = "knowledge.document") -> str:
    return url_for(endpoint, document_id=document.id, **_ws_args(access))


def _card_href(access: WorkspaceAccess, card) -> str:
    """The card panel of `card` on its board (the board's `<board>/cards/<id>` address)."""
    return url_for("board.show", project_id=card.project_id, **_ws_args(access)) + f"/cards/{card.id}"


def _wants_json() -> bool:
    return request.accept_mimetypes.best_match(["application/json", "text/html"]) == "application/json"


def _people(access: WorkspaceAccess) -> dict[str, str]:
    """Names of the workspace's members by user id (others show as "someone")."""
    return {m.user_id: m.user.name for m in workspaces.list_members(access)}


def _stale_message(access: WorkspaceAccess, stale: StaleRevision) -> str:
    who = _people(access).get(stale.document.updated_by_id, "Someone")
    return (f"{who} saved this document meanwhile (revision {stale.revision}). "
            "Reload their version, or overwrite it with yours.")


def _tree_context(access: WorkspaceAccess, args, **extra) -> dict:
    """The tree (no filter) or the filtered list; an invalid filter shows the whole tree and why."""
    flt = {name: args[name] for name in ("type", "status") if args.get(name)}
    message = None
    try:
        rows = documents.list_documents(access, doc_type=flt.get("type"), status=flt.get("status"))
    except Invalid as error:
        flt, message = {}, error.message
        rows = documents.list_documents(access)
    context = dict(access=access, workspace=access.workspace, ws_args=_ws_args(access), flt=flt,
                   rows=rows, tree=None if flt else _tree(rows), types=DOC_TYPES, statuses=REVIEW_STATUSES,
                   message=message, message_kind="error")
    context.update(extra)
    return context


def _tree(rows: list[Document]) -> list[SimpleNamespace]:
    """The documents as nested nodes `{document, children}`, each level by title (as listed).
    A document whose parent is not in `rows` shows at the top."""
    nodes = {d.id: SimpleNamespace(document=d, children=[]) for d in rows}
    roots = []
    for row in rows:
        parent = nodes.get(row.parent_id) if row.parent_id else None
        (parent.children if parent else roots).append(nodes[row.id])
    return roots


def _tree_answer(access: WorkspaceAccess, message: str, status: int, kind: str):
    """The tree as saved, with `message`; without JavaScript, back to the page."""
    if not is_htmx():
        flash(message, kind)
        return redirect(url_for("knowledge.index", **_ws_args(access)))
    response = render("knowledge/_tree.html", "knowledge/_tree.html",
                      **_tree_context(access, {}, message=message, message_kind=kind))
    response.status_code = status
    response.headers["X-Fragment"] = "1"
    return response


def _new_context(access: WorkspaceAccess, values: dict, errors: dict | None = None) -> dict:
    """The new document form: every document (parents), the templates, and the card or
    project the document will belong to (ignored when out of the caller's reach)."""
    all_documents = documents.list_documents(access)
    card = project = None
    if values.get("card_id"):
        try:
            card, project_access = cards.card_access(access.user, values["card_id"])
            project = project_access.project if project_access.project.workspace_id == access.workspace.id else None
        except NotFound:
            card = None
        if project is None:
            card = None
            values["card_id"] = ""
    elif values.get("project_id"):
        project = next((p for p, _ in projects.list_projects(access) if p.id == values["project_id"]), None)
        if project is None:
            values["project_id"] = ""
    return dict(access=access, workspace=access.workspace, ws_args=_ws_args(access), values=values,
                errors=errors or {}, documents=all_documents,
                templates=[d for d in all_documents if d.doc_type == "template"], types=DOC_TYPES,
                projects=[p for p, _ in projects.list_projects(access)], card=card, project=project)


def _document_page(document_id: str, mode: str):
    access = current_workspace()
    document = documents.get_document(access, document_id)
    response = render("knowledge/document.html", "knowledge/_doc_main.html", **_doc_context(access, document, mode))
    if is_htmx():
        response.headers["HX-Push-Url"] = _doc_url(access, document, "knowledge.edit" if mode == "edit"
                                                   else "knowledge.document")
    return response


def _doc_context(access: WorkspaceAccess, document: Document, mode: str) -> dict:
    """What the document page and its parts need."""
    members = workspaces.list_members(access)
    people = {m.user_id: m.user.name for m in members}
    context = _review_context(access, document, people=people)
    context.update(
        workspace=access.workspace, mode=mode,
        html=render_html(document.content, document.doc_type),
        ancestors=documents.ancestors(access, document),
        children=documents.list_documents(access, parent_id=document.id),
        all_documents=[d for d in documents.list_documents(access) if d.id != document.id],
        revisions=document_revisions.list_revisions(access, document.id, limit=REVISIONS_SHOWN),
        mentions=[{"id": m.user_id, "label": m.user.name, "hint": m.user.email} for m in members],
        linked=_linked(access, document),
        projects=[p for p, _ in projects.list_projects(access)],
        can_delete=documents.can_delete(access, document),
        types=DOC_TYPES,
        grid=None, grid_title=None, grid_state=None,
    )
    return context


def _review_context(access: WorkspaceAccess, document: Document, error: DomainError | None = None,
                    done: str | None = None, notes: str | None = None,
                    people: dict[str, str] | None = None) -> dict:
    """The review panel: its history, what the caller may do, the outcome of a change."""
    return dict(
        document=document, history=document_review.review_history(access, document.id),
        can_review=document_review.can_review(access, document),
        can_submit=document.status in document_review.SUBMITTABLE,
        review_error=error.message if error else None, review_done=done, review_notes=notes,
        people=_people(access) if people is None else people, access=access, ws_args=_ws_args(access),
    )


def _review_answer(access: WorkspaceAccess, document: Document, error: DomainError | None = None,
                   done: str | None = None, notes: str | None = None):
    """The review panel (and the status badge, out of band); without JavaScript, the page."""
    if not is_htmx() and request.method == "POST":
        flash(error.message if error else done, "error" if error else "success")
        return redirect(_doc_url(access, document))
    response = render("knowledge/_review_answer.html", "knowledge/_review_answer.html",
                      **_review_context(access, document, error, done, notes))
    if error is not None:
        response.status_code = error.status
        response.headers["X-Fragment"] = "1"
    return response


def _grid_answer(access: WorkspaceAccess, document: Document, grid: dict | None, status: int, **state):
    """The spreadsheet editor: the grid as saved, or `grid` as typed when refused; `state`
    says what happened (saved / error / conflict with the `revision` to overwrite)."""
    if not is_htmx():
        flash(state.get("saved") or state.get("error") or state.get("conflict"),
              "success" if status < 400 else "error")
        return redirect(_doc_url(access, document, "knowledge.edit"))
    title = state.pop("title", None)
    response = render("knowledge/_grid.html", "knowledge/_grid.html", access=access, workspace=access.workspace,
                      ws_args=_ws_args(access), document=document, grid=grid, grid_title=title,
                      grid_state=SimpleNamespace(**{"saved": None, "error": None, "conflict": None,
                                                    "revision": None, "expected": None, **state}))
    response.status_code = status
    response.headers["X-Fragment"] = "1"
    return response


def _linked(access: WorkspaceAccess, document: Document) -> SimpleNamespace:
    """The document's project and card, with their pages, when the caller reaches them."""
    project = card = None
    if document.project_id:
        try:
            project = projects.project_access_by_id(access.user, document.project_id).project
        except NotFound:
            project = None
    if document.card_id:
        try:
            card, _ = cards.card_access(access.user, document.card_id)
        except NotFound:
            card = None
    return SimpleNamespace(
        project=project, card=card, card_key=cards.card_key(card) if card else None,
        board_url=url_for("board.show", project_id=project.id, **_ws_args(access)) if project else None,
        card_url=_card_href(access, card) if card else None,
        hidden=bool((document.project_id and project is None) or (document.card_id and card is None)))


def _change(access: WorkspaceAccess, document_id: str, fields: dict, done: str):
    """Save tree or context `fields` from the document page's side forms and come back."""
    try:
        documents.update_document(access, document_id, fields)
    except FORM_ERRORS as error:
        _refused()
        flash(error.message, "error")
    else:
        flash(done, "success")
    return go(url_for("knowledge.document", document_id=document_id, **_ws_args(access)))
