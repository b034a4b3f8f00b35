"""The conversation around a card, in the card panel (`<board>/cards/<card_id>/…`): its
comments (post, edit and delete, `@` mentions suggested from the people reaching the project
and highlighted), its attachments (upload by dropping a file on the panel or choosing one,
download, image previews, delete) and its history (the last HISTORY_SIZE activities, newest
first, as sentences).

Every change goes through the services (`comments`, `attachments`), which hold the rules:
who edits and deletes, the 1–2000 characters of a comment, the 10 MB of a file. A refused
change is rolled back and answers its section with the reason next to what was typed; a
saved one answers its section and, out of band, the history and the board's tile (which
counts comments and attachments). Without JavaScript, the forms post and come back to the
card's address (a refusal as a message). Changes reach other open panels through the live
stream (app/live notes any row with a `card_id`).

An upload announcing more than 10 MB is refused before its body is read, so its CSRF token
(read from the body by the global check) is checked here, after that size check.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Blueprint, current_app, flash, jsonify, redirect, request, send_file
from flask_login import current_user, login_required
from markupsafe import Markup, escape

from app.errors import DomainError, Invalid, TooLarge
from app.extensions import csrf, db
from app.models.card_depth import Attachment, Comment
from app.models.identity import User
from app.presenters import activity_text
from app.services import activity, attachments, card_extras, cards, comments
from app.services.projects import ProjectAccess, project_access
from app.web.board import P, card_url
from app.web.helpers import FORM_ERRORS, is_htmx, render

bp = Blueprint("card_conversation", __name__)
CARD = P + "/cards/<card_id>"
HISTORY_SIZE = 50
# A new comment's two timestamps are taken a moment apart: only a later change is an edit.
EDIT_MARGIN = timedelta(seconds=1)
MAX_SUGGESTIONS = 8
# Multipart framing around the file: the same allowance as the API's.
MULTIPART_ALLOWANCE = 64 * 1024
SECTION_IDS = {"cards/_comments.html": "panel-comments", "cards/_attachments.html": "panel-attachments"}
TOO_LARGE = f"This file is too large: a file may hold at most {attachments.MAX_BYTES // (1024 * 1024)} MB."


@bp.before_request
@login_required
def _signed_in():
    """Every card page needs a signed-in user."""


@dataclass(frozen=True)
class CommentEntry:
    comment: Comment
    author: str
    text: Markup  # escaped, mentions highlighted
    edited: bool
    can_edit: bool
    can_delete: bool


@dataclass(frozen=True)
class AttachmentEntry:
    attachment: Attachment
    uploader: str
    preview: bool
    can_delete: bool


@dataclass(frozen=True)
class HistoryEntry:
    actor: str
    sentence: str
    at: datetime


# Template helpers: the card panel's sections call them when they are rendered.

@bp.app_context_processor
def _upload_limit():
    return {"attachment_max_bytes": attachments.MAX_BYTES, "attachment_too_large": TOO_LARGE}


@bp.app_template_global()
def card_counts(card) -> card_extras.CardCounts:
    """The comments and attachments a board tile counts (batched on the board page)."""
    return card_extras.counts_of(card)


@bp.app_template_global()
def comment_thread(access: ProjectAccess, card) -> list[CommentEntry]:
    """The card's comments by date, each with what the viewer may do with it."""
    rows = comments.list_comments(access.user, card.id, expected_project_id=access.project.id)
    handles = set()
    if any("@" in c.content for c in rows):
        handles = set().union(*(p.handles for p in comments.mentionable_people(access)))
    return [CommentEntry(c, c.author.name if c.author else "Former member", _highlighted(c.content, handles),
                         c.updated_at - c.created_at > EDIT_MARGIN, c.author_id == access.user.id,
                         c.author_id == access.user.id or access.can_admin) for c in rows]


@bp.app_template_global()
def attachment_list(access: ProjectAccess, card) -> list[AttachmentEntry]:
    """The card's attachments, oldest first, with their uploaders."""
    rows = attachments.list_attachments(access.user, card.id, expected_project_id=access.project.id)
    names = _names({a.uploaded_by_id for a in rows})
    return [AttachmentEntry(a, names.get(a.uploaded_by_id, "Former member"), attachments.has_preview(a),
                            a.uploaded_by_id == access.user.id or access.can_admin) for a in rows]


@bp.app_template_global()
def card_history(access: ProjectAccess, card) -> list[HistoryEntry]:
    """The card's latest activities, newest first, as sentences (access already checked by
    whoever loaded `card` for this viewer)."""
    rows = activity.list_card_activity(card, limit=HISTORY_SIZE)
    people = _names(set().union(*(activity_text.people_ids(a) for a, _ in rows)))
    return [HistoryEntry(actor or "Someone", activity_text.sentence(a, people), a.created_at) for a, actor in rows]


@bp.app_template_filter()
def file_size(size: int) -> str:
    """Bytes as people read them: 512 bytes, 3.4 KB, 9.8 MB."""
    if size < 1024:
        return f"{size} byte{'s' if size != 1 else ''}"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _highlighted(content: str, handles: set[str]) -> Markup:
    """`content` escaped, with each `@handle` that mentions someone in a <mark>."""
    parts, last = [], 0
    for match in comments.MENTION_RE.finditer(content):
        handle = match.group(1).rstrip(".-")
        if handle.casefold() not in handles:
            continue
        start = match.start()
        parts.append(escape(content[last:start]))
        parts.append(Markup('<mark class="mention">@{}</mark>').format(handle))
        last = start + 1 + len(handle)
    parts.append(escape(content[last:]))
    return Markup("").join(parts)


def _names(user_ids: set) -> dict[str, str]:
    """Names of people by id (the identity map answers those already loaded)."""
    return {i: user.name for i in user_ids if i and (user := db.session.get(User, i)) is not None}


def _card(org_slug: str, ws_slug: str, project_id: str, card_id: str):
    """The card and the viewer's access to its project. Raises NotFound (an outsider, or a
    card of another project than the one in the path)."""
    access = project_access(current_user, org_slug, ws_slug, project_id)
    return cards.get_card(current_user, card_id, expected_project_id=access.project.id), access


# Comments

@bp.post(CARD + "/comments")
def add_comment(org_slug, ws_slug, project_id, card_id):
    """Post a comment from form field `content`."""
    card, access = _card(org_slug, ws_slug, project_id, card_id)
    content = request.form.get("content", "")
    try:
        comments.add_comment(current_user, card.id, content, expected_project_id=access.project.id)
    except FORM_ERRORS as error:
        return _answer("cards/_comments.html", access, card, error, failed="new", typed=content)
    return _answer("cards/_comments.html", access, card, notice="Comment posted.")


@bp.post(CARD + "/comments/<comment_id>")
def edit_comment(org_slug, ws_slug, project_id, card_id, comment_id):
    """Change one's own comment to form field `content`. Raises NotFound (a comment of
    another card), Forbidden (someone else's)."""
    card, access = _card(org_slug, ws_slug, project_id, card_id)
    content = request.form.get("content", "")
    try:
        comments.edit_comment(current_user, card.id, comment_id, content, expected_project_id=access.project.id)
    except FORM_ERRORS as error:
        return _answer("cards/_comments.html", access, card, error, failed=comment_id, typed=content)
    return _answer("cards/_comments.html", access, card, notice="Comment saved.")


@bp.post(CARD + "/comments/<comment_id>/delete")
def delete_comment(org_slug, ws_slug, project_id, card_id, comment_id):
    """Delete a comment (its author, or a project admin). Raises NotFound, Forbidden."""
    card, access = _card(org_slug, ws_slug, project_id, card_id)
    comments.delete_comment(current_user, card.id, comment_id, expected_project_id=access.project.id)
    return _answer("cards/_comments.html", access, card, notice="Comment deleted.")


@bp.get(CARD + "/mentions")
def mention_suggestions(org_slug, ws_slug, project_id, card_id):
    """People a comment on the card can mention whose name or handle starts with `q`, as
    JSON `[{"handle", "name"}]` (static/js/card_conversation.js suggests them)."""
    _, access = _card(org_slug, ws_slug, project_id, card_id)
    typed = request.args.get("q", "")[:100].casefold()
    found = [p for p in comments.mentionable_people(access)
             if any(part.casefold().startswith(typed) for part in (p.handle, *p.name.split()))
             or any(h.startswith(typed) for h in p.handles)]
    return jsonify([{"handle": p.handle, "name": p.name} for p in found[:MAX_SUGGESTIONS]])


# Attachments

@bp.post(CARD + "/attachments")
@csrf.exempt
def upload(org_slug, ws_slug, project_id, card_id):
    """Attach the file of multipart field `file`. Over 10 MB: refused (413) with nothing
    kept, before the body is read when its announced length says so."""
    card, access = _card(org_slug, ws_slug, project_id, card_id)
    limit = attachments.MAX_BYTES + MULTIPART_ALLOWANCE
    if request.content_length is not None and request.content_length > limit:
        return _answer("cards/_attachments.html", access, card, TooLarge(TOO_LARGE), failed="upload")
    request.max_content_length = limit
    if current_app.config["WTF_CSRF_ENABLED"]:
        csrf.protect()
    upload_file = request.files.get("file")
    try:
        if upload_file is None or not upload_file.filename:
            raise Invalid("file", "Choose a file to attach.")
        attachments.add_attachment(current_user, card.id, upload_file.stream, upload_file.filename,
                                   upload_file.mimetype, expected_project_id=access.project.id)
    except TooLarge:
        return _answer("cards/_attachments.html", access, card, TooLarge(TOO_LARGE), failed="upload")
    except FORM_ERRORS as error:
        return _answer("cards/_attachments.html", access, card, error, failed="upload")
    return _answer("cards/_attachments.html", access, card, notice="File attached.")


@bp.get(CARD + "/attachments/<attachment_id>")
def download(org_slug, ws_slug, project_id, card_id, attachment_id):
    """The stored bytes, as a download with the stored type, never sniffed. Raises NotFound."""
    card, access = _card(org_slug, ws_slug, project_id, card_id)
    attachment, path = attachments.get_attachment(current_user, card.id, attachment_id,
                                                  expected_project_id=access.project.id)
    return _inert(send_file(path, mimetype=attachment.mime_type, as_attachment=True,
                            download_name=attachment.original_name, conditional=False, etag=False))


@bp.get(CARD + "/attachments/<attachment_id>/preview")
def preview(org_slug, ws_slug, project_id, card_id, attachment_id):
    """An image attachment shown inline (the type read from its bytes). Raises NotFound (no
    preview for it)."""
    card, access = _card(org_slug, ws_slug, project_id, card_id)
    attachment, path, mime = attachments.get_preview(current_user, card.id, attachment_id,
                                                     expected_project_id=access.project.id)
    return _inert(send_file(path, mimetype=mime, download_name=attachment.original_name,
                            conditional=False, etag=False))


@bp.post(CARD + "/attachments/<attachment_id>/delete")
def delete_attachment(org_slug, ws_slug, project_id, card_id, attachment_id):
    """Delete an attachment (its uploader, or a project admin). Raises NotFound, Forbidden."""
    card, access = _card(org_slug, ws_slug, project_id, card_id)
    attachments.delete_attachment(current_user, card.id, attachment_id, expected_project_id=access.project.id)
    return _answer("cards/_attachments.html", access, card, notice="Attachment deleted.")


# Answers

def _inert(response):
    """Stored bytes are never sniffed into something a browser would run, nor cached."""
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _answer(template: str, access: ProjectAccess, card, error: DomainError | None = None, *,
            failed: str | None = None, typed: str | None = None, notice: str | None = None):
    """A section of the panel after a change, with the history out of band; after a refusal
    (rolled back), the section with the reason by what `failed`."""
    if error is not None:
        db.session.rollback()
    if not is_htmx():
        flash(error.message if error else notice, "error" if error else "success")
        return redirect(card_url(access, card) + "#" + SECTION_IDS[template])
    if error is not None:
        card = cards.get_card(current_user, card.id, expected_project_id=access.project.id)
    response = render(template, template, access=access, project=access.project, card=card,
                      conversation_failed=failed, conversation_error=error.message if error else None,
                      conversation_typed=typed, conversation_notice=notice, history_oob=error is None)
    if error is not None:
        response.status_code = error.status
    return response
