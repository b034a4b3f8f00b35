"""Revisions of documents: every save that changes the title, type or content keeps one
(author, time, number); see `documents.apply_edit`.

    list_revisions(access, document_id, *, limit=None, offset=None) -> list[DocumentRevision]
    get_revision(access, document_id, revision_id) -> DocumentRevision
    restore_revision(access, document_id, revision_id) -> documents.DocumentUpdate

Restoring copies a revision's title, type and content back into the document as a new
revision (`restoredFrom` names the one copied); like any edit, it returns an approved
document to draft. Every member of the workspace may list, read and restore.
"""
import copy

import sqlalchemy as sa

from app.errors import NotFound
from app.extensions import db
from app.ids import is_id
from app.models.knowledge import DocumentRevision
from app.services import documents, search
from app.services.access import WorkspaceAccess

MAX_LIST = 1000


def list_revisions(access: WorkspaceAccess, document_id: object, *, limit: object = None,
                   offset: object = None) -> list[DocumentRevision]:
    """The document's revisions, newest first. `limit` 1–1000 (default 1000), `offset`.
    Raises NotFound, Invalid."""
    document = documents.get_document(access, document_id)
    limit = MAX_LIST if limit is None else search.whole_number("limit", limit, 1, MAX_LIST)
    offset = 0 if offset is None else search.whole_number("offset", offset, 0, 10_000_000)
    return list(db.session.scalars(
        sa.select(DocumentRevision).where(DocumentRevision.document_id == document.id)
        .order_by(DocumentRevision.number.desc()).limit(limit).offset(offset)))


def get_revision(access: WorkspaceAccess, document_id: object, revision_id: object) -> DocumentRevision:
    """One revision of the document. Raises NotFound (also for a revision of another document)."""
    document = documents.get_document(access, document_id)
    revision = db.session.get(DocumentRevision, revision_id) if is_id(revision_id) else None
    if revision is None or revision.document_id != document.id:
        raise NotFound("Revision not found")
    return revision


def restore_revision(access: WorkspaceAccess, document_id: object, revision_id: object) -> documents.DocumentUpdate:
    """Make the revision's title, type and content current again, as a new revision.
    Raises NotFound."""
    revision = get_revision(access, document_id, revision_id)
    document = documents.get_document(access, document_id)
    return documents.apply_edit(access, document, title=revision.title, doc_type=revision.doc_type,
                                content=copy.deepcopy(revision.content), restored_from=revision.number)
