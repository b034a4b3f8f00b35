"""`P/cards/:cardId/attachments*`: upload (multipart field `file`), list, download, preview
(ours: an image shown inline), delete.

An upload is refused with 413 before its body is read when its Content-Length announces
more than 10 MB plus a little multipart framing; without a Content-Length the stream is cut
at that size. The parser spools the file to disk, and the service refuses a file over
10 MB exactly.
"""
from flask import g, jsonify, request, send_file

from app.api import bp, ok
from app.api.auth import authed
from app.errors import Invalid, TooLarge
from app.presenters.card_depth import attachment_json
from app.services import attachments
from app.services.projects import project_access

P = "/orgs/<org_slug>/workspaces/<ws_slug>/projects/<project_id>"
A = P + "/cards/<card_id>/attachments"
MULTIPART_ALLOWANCE = 64 * 1024
TOO_LARGE = f"A file may hold at most {attachments.MAX_BYTES // (1024 * 1024)} MB"


def _project_id(org_slug, ws_slug, project_id) -> str:
    return project_access(g.user, org_slug, ws_slug, project_id).project.id


@bp.get(A)
@authed("projects")
def list_attachments(org_slug, ws_slug, project_id, card_id):
    rows = attachments.list_attachments(g.user, card_id,
                                        expected_project_id=_project_id(org_slug, ws_slug, project_id))
    return jsonify([attachment_json(a) for a in rows])


@bp.post(A)
@authed("projects")
def upload_attachment(org_slug, ws_slug, project_id, card_id):
    limit = attachments.MAX_BYTES + MULTIPART_ALLOWANCE
    if request.content_length is not None and request.content_length > limit:
        raise TooLarge(TOO_LARGE)
    request.max_content_length = limit
    expected = _project_id(org_slug, ws_slug, project_id)
    upload = request.files.get("file")
    if upload is None:
        raise Invalid("file", "file is required: send multipart/form-data with the field 'file'")
    attachment = attachments.add_attachment(g.user, card_id, upload.stream, upload.filename, upload.mimetype,
                                            expected_project_id=expected)
    return jsonify(attachment_json(attachment)), 201


@bp.get(A + "/<attachment_id>")
@authed("projects")
def download_attachment(org_slug, ws_slug, project_id, card_id, attachment_id):
    attachment, path = attachments.get_attachment(g.user, card_id, attachment_id,
                                                  expected_project_id=_project_id(org_slug, ws_slug, project_id))
    response = send_file(path, mimetype=attachment.mime_type, as_attachment=True,
                         download_name=attachment.original_name, conditional=False, etag=False)
    return _inert(response)


@bp.get(A + "/<attachment_id>/preview")
@authed("projects")
def preview_attachment(org_slug, ws_slug, project_id, card_id, attachment_id):
    attachment, path, mime = attachments.get_preview(g.user, card_id, attachment_id,
                                                     expected_project_id=_project_id(org_slug, ws_slug, project_id))
    response = send_file(path, mimetype=mime, as_attachment=False, download_name=attachment.original_name,
                         conditional=False, etag=False)
    return _inert(response)


@bp.delete(A + "/<attachment_id>")
@authed("projects")
def delete_attachment(org_slug, ws_slug, project_id, card_id, attachment_id):
    attachments.delete_attachment(g.user, card_id, attachment_id,
                                  expected_project_id=_project_id(org_slug, ws_slug, project_id))
    return ok()


def _inert(response):
    """Stored bytes are never sniffed into something a browser would run."""
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response
