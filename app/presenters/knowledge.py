"""JSON shapes of the knowledge base: documents, revisions, review steps, search hits."""
from app.models.knowledge import Document, DocumentReview, DocumentRevision
from app.services.cards import card_key
from app.services.documents import DocumentUpdate
from app.services.search import SearchHit
from app.services.tiptap_render import render_html
from app.timeutil import iso


def document_summary_json(document: Document) -> dict:
    """A document without its content (what lists show)."""
    return {
        "id": document.id, "workspaceId": document.workspace_id, "title": document.title,
        "docType": document.doc_type, "status": document.status, "parentId": document.parent_id,
        "projectId": document.project_id, "cardId": document.card_id, "revision": document.revision,
        "createdBy": document.created_by_id, "updatedBy": document.updated_by_id,
        "createdAt": iso(document.created_at), "updatedAt": iso(document.updated_at),
    }


def document_json(document: Document) -> dict:
    """The whole document: `content` exactly as stored, `html` its sanitized rendering."""
    return {**document_summary_json(document), "content": document.content,
            "html": render_html(document.content, document.doc_type)}


def document_update_json(update: DocumentUpdate) -> dict:
    """A saved document, with `statusChange` saying whether the save changed its status."""
    change = update.status_change
    return {**document_json(update.document),
            "statusChange": None if change is None else
            {"from": change.before, "to": change.after, "message": change.message}}


def revision_summary_json(revision: DocumentRevision) -> dict:
    return {
        "id": revision.id, "documentId": revision.document_id, "number": revision.number,
        "title": revision.title, "docType": revision.doc_type, "authorId": revision.author_id,
        "restoredFrom": revision.restored_from, "createdAt": iso(revision.created_at),
    }


def revision_json(revision: DocumentRevision) -> dict:
    return {**revision_summary_json(revision), "content": revision.content,
            "html": render_html(revision.content, revision.doc_type)}


def review_json(step: DocumentReview) -> dict:
    return {
        "id": step.id, "documentId": step.document_id, "action": step.action, "notes": step.notes,
        "revision": step.revision, "actorId": step.actor_id, "createdAt": iso(step.created_at),
    }


def search_hit_json(hit: SearchHit) -> dict:
    data = {"type": hit.kind, "id": hit.id, "title": hit.title, "snippet": hit.snippet}
    if hit.document is not None:
        data.update(docType=hit.document.doc_type, status=hit.document.status,
                    updatedAt=iso(hit.document.updated_at))
    if hit.card is not None:
        data.update(key=card_key(hit.card), projectId=hit.card.project_id, columnId=hit.card.column_id,
                    archived=hit.card.archived, updatedAt=iso(hit.card.updated_at))
    return data
