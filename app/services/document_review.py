"""The review workflow of documents: `draft` → `pending_review` → `approved` |
`changes_requested`, with the history of every step.

    submit_review(access, document_id) -> Document
    review_document(access, document_id, status, notes=None) -> Document
    review_history(access, document_id) -> list[DocumentReview]
    can_review(access, document) -> bool

Submitting takes a `draft` or `changes_requested` document to `pending_review`; any member
of the workspace may submit. Reviewing (`status` `approved` or `changes_requested`, optional
`notes` up to 2,000 characters) takes a `pending_review` document to that status; only a
workspace admin or a member with pilotage role `reviewer` or `owner` may review. When the
workspace's `requireIndependentReview` setting is on, the reviewer may be neither the
document's creator nor the member who submitted it. Any other transition is a Conflict;
each transition is a conditional update, so two reviewers racing cannot both decide.

Editing an `approved` document takes it back to `draft` (see `documents.apply_edit`). The
history (`review_history`, oldest first) holds every `submitted`, `approved`,
`changes_requested` and `reverted_to_draft` step: who, when, notes, on which revision.
"""
import sqlalchemy as sa

from app.errors import Conflict, Forbidden
from app.extensions import db
from app.models.knowledge import Document, DocumentReview
from app.services import rules
from app.services.access import PILOTAGE_RANK, WorkspaceAccess
from app.services.documents import get_document

DECISIONS = ("approved", "changes_requested")
SUBMITTABLE = ("draft", "changes_requested")


def can_review(access: WorkspaceAccess, document: Document) -> bool:
    """Whether the caller may decide on `document` now (role, independence, status)."""
    try:
        _check_reviewer(access, document)
    except Forbidden:
        return False
    return document.status == "pending_review"


def submit_review(access: WorkspaceAccess, document_id: object) -> Document:
    """Ask for a review. Raises NotFound, Conflict (not `draft` nor `changes_requested`)."""
    document = get_document(access, document_id)
    if document.status not in SUBMITTABLE:
        raise Conflict(f"A {document.status} document cannot be submitted for review")
    _transition(document, SUBMITTABLE, "pending_review")
    _record(access, document, "submitted", None)
    return document


def review_document(access: WorkspaceAccess, document_id: object, status: object,
                    notes: object = None) -> Document:
    """Approve or request changes. Raises Invalid (status, notes), NotFound, Forbidden (not
    a reviewer; the author under `requireIndependentReview`), Conflict (not pending review).
    """
    status = rules.choice("status", status, DECISIONS)
    notes = rules.optional_text("notes", notes, max_len=2000)
    document = get_document(access, document_id)
    _check_reviewer(access, document)
    if document.status != "pending_review":
        raise Conflict(f"Only a document pending review can be reviewed; this one is {document.status}")
    _transition(document, ("pending_review",), status)
    _record(access, document, status, notes)
    return document


def review_history(access: WorkspaceAccess, document_id: object) -> list[DocumentReview]:
    """The document's review steps, oldest first. Raises NotFound."""
    document = get_document(access, document_id)
    return list(db.session.scalars(
        sa.select(DocumentReview).where(DocumentReview.document_id == document.id)
        .order_by(DocumentReview.created_at, DocumentReview.id)))


def _check_reviewer(access: WorkspaceAccess, document: Document) -> None:
    if not (access.is_admin or PILOTAGE_RANK[access.pilotage_role] >= PILOTAGE_RANK["reviewer"]):
        raise Forbidden("Reviewing documents needs a workspace admin or a pilotage reviewer or owner")
    if access.workspace.require_independent_review and access.user.id in _authors(document):
        raise Forbidden("This workspace requires a reviewer other than the document's author")


def _authors(document: Document) -> set[str]:
    """The creator and the member who last submitted the document."""
    submitter = db.session.scalar(
        sa.select(DocumentReview.actor_id).where(DocumentReview.document_id == document.id,
                                                 DocumentReview.action == "submitted")
        .order_by(DocumentReview.created_at.desc(), DocumentReview.id.desc()).limit(1))
    return {i for i in (document.created_by_id, submitter) if i is not None}


def _transition(document: Document, before: tuple[str, ...], after: str) -> None:
    """Move the status only if it is still one of `before`. Raises Conflict otherwise."""
    db.session.flush()
    done = db.session.execute(
        sa.update(Document).where(Document.id == document.id, Document.status.in_(before))
        .values(status=after, updated_at=Document.updated_at)
        .execution_options(synchronize_session=False))
    if done.rowcount != 1:
        db.session.refresh(document)
        raise Conflict(f"The document is now {document.status}: someone changed it meanwhile")
    db.session.refresh(document)


def _record(access: WorkspaceAccess, document: Document, action: str, notes: str | None) -> None:
    db.session.add(DocumentReview(document_id=document.id, action=action, notes=notes,
                                  revision=document.revision, actor_id=access.user.id))
    db.session.flush()
