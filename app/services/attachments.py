"""Attachments of cards: list, upload, download, image preview, delete.

Files are at most 10 MB (MAX_BYTES), stored under UPLOAD_DIR by a generated name (see
`stored_files`; the client's file name is only kept as `originalName`), and removed when
the deletion of their attachment, card, project, workspace or organization is committed.

The stored MIME type is the one the client declared when it is a well-formed `type/subtype`
(otherwise `application/octet-stream`); downloads always answer as attachments with
`nosniff`, so a declared type never makes a browser run the file. A preview is offered for
PNG, JPEG, GIF and WebP images recognized by their first bytes (never SVG, which can hold
script) up to PREVIEW_MAX_BYTES: the image itself, served inline.

Anyone who reaches the card's project lists, uploads and downloads; the uploader or a
project admin (workspace admins included) deletes, others get Forbidden.
"""
import re
import unicodedata
from pathlib import Path
from typing import BinaryIO

import sqlalchemy as sa

from app.errors import Forbidden, NotFound
from app.extensions import db
from app.ids import is_id
from app.models.board import Card
from app.models.card_depth import Attachment
from app.models.identity import User
from app.services import activity, card_extras, stored_files
from app.services.cards import card_access
from app.services.projects import ProjectAccess

MAX_BYTES = 10 * 1024 * 1024
PREVIEW_MAX_BYTES = 2 * 1024 * 1024
DEFAULT_MIME = "application/octet-stream"
MIME_RE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$")
IMAGE_MIME = {"png": "image/png", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}


def list_attachments(user: User, card_id: str, *, expected_project_id: str | None = None) -> list[Attachment]:
    """The card's attachments, oldest first. Raises NotFound."""
    card, _ = card_access(user, card_id, expected_project_id)
    return list(db.session.scalars(sa.select(Attachment).where(Attachment.card_id == card.id)
                                   .order_by(Attachment.created_at, Attachment.id)))


def add_attachment(user: User, card_id: str, stream: BinaryIO, filename: object, mime_type: object, *,
                   expected_project_id: str | None = None) -> Attachment:
    """Store the uploaded `stream` as an attachment of the card; record `card_updated`.

    Raises NotFound (card out of reach), TooLarge (413, over 10 MB; nothing is kept).
    """
    card, _ = card_access(user, card_id, expected_project_id)
    storage_name, size, head = stored_files.save(stream, MAX_BYTES)
    attachment = Attachment(card_id=card.id, uploaded_by_id=user.id, original_name=clean_name(filename),
                            mime_type=clean_mime(mime_type), size=size, storage_name=storage_name,
                            image_type=image_type(head))
    db.session.add(attachment)
    db.session.flush()
    activity.record(user, "card_updated", card.project_id, card=card,
                    meta={"fields": ["attachments"], "added": attachment.original_name})
    card_extras.forget(card)
    return attachment


def get_attachment(user: User, card_id: str, attachment_id: str, *,
                   expected_project_id: str | None = None) -> tuple[Attachment, Path]:
    """An attachment of the card and the path of its file. Raises NotFound."""
    _, _, attachment = _attachment(user, card_id, attachment_id, expected_project_id)
    return attachment, stored_files.path_of(attachment.storage_name)


def get_preview(user: User, card_id: str, attachment_id: str, *,
                expected_project_id: str | None = None) -> tuple[Attachment, Path, str]:
    """The image to show inline for an attachment: (attachment, path, MIME type from its bytes).

    Raises NotFound (absent, or no preview: not a recognized image, or over 2 MB).
    """
    attachment, path = get_attachment(user, card_id, attachment_id, expected_project_id=expected_project_id)
    if not has_preview(attachment):
        raise NotFound("This attachment has no preview")
    return attachment, path, IMAGE_MIME[attachment.image_type]


def delete_attachment(user: User, card_id: str, attachment_id: str, *,
                      expected_project_id: str | None = None) -> None:
    """Delete an attachment; its file goes once the deletion is committed; record
    `card_updated`. Raises NotFound, Forbidden (neither the uploader nor a project admin)."""
    card, access, attachment = _attachment(user, card_id, attachment_id, expected_project_id)
    if attachment.uploaded_by_id != user.id and not access.can_admin:
        raise Forbidden("Only the uploader or a project admin can delete an attachment")
    db.session.delete(attachment)
    db.session.flush()
    stored_files.remove_after_commit([attachment.storage_name])
    activity.record(user, "card_updated", card.project_id, card=card,
                    meta={"fields": ["attachments"], "removed": attachment.original_name})
    card_extras.forget(card)


def has_preview(attachment: Attachment) -> bool:
    return attachment.image_type in IMAGE_MIME and attachment.size <= PREVIEW_MAX_BYTES


def clean_name(filename: object) -> str:
    """The client's file name as shown: its last path part, without control characters,
    at most 255 characters (keeping the extension); `file` when nothing is left."""
    name = filename if isinstance(filename, str) else ""
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if name in ("", ".", ".."):
        return "file"
    if len(name) > 255:
        stem, dot, ext = name.rpartition(".")
        name = (stem[:254 - len(ext)] + dot + ext) if dot and len(ext) <= 20 else name[:255]
    return name


def clean_mime(mime_type: object) -> str:
    """A well-formed `type/subtype` (parameters dropped), lower-cased; otherwise the
    generic binary type."""
    if not isinstance(mime_type, str):
        return DEFAULT_MIME
    value = mime_type.split(";", 1)[0].strip().lower()
    return value if MIME_RE.match(value) else DEFAULT_MIME


def image_type(head: bytes) -> str | None:
    """png | jpeg | gif | webp when the first bytes are such an image's signature."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def _attachment(user: User, card_id: str, attachment_id: object,
                expected_project_id: str | None) -> tuple[Card, ProjectAccess, Attachment]:
    card, access = card_access(user, card_id, expected_project_id)
    attachment = db.session.get(Attachment, attachment_id) if is_id(attachment_id) else None
    if attachment is None or attachment.card_id != card.id:
        raise NotFound("Attachment not found")
    return card, access, attachment
