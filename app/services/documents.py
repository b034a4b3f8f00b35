"""Documents of a workspace's knowledge base: create, list, read, change, delete; the tree
(`parentId`), the optional context (`projectId` / `cardId`) and templates.

    get_document(access, document_id) -> Document
    list_documents(access, *, doc_type=None, parent_id=None, project_id=None, card_id=None,
                   status=None, q=None, limit=None, offset=None) -> list[Document]
    create_document(access, fields) -> Document
    update_document(access, document_id, fields) -> DocumentUpdate
    delete_document(access, document_id, *, cascade=False, move_children_up=False) -> list[str]
    instantiate_template(access, template_id, fields=None) -> Document
    ancestors(access, document) -> list[Document]
    child_counts(access, document_ids) -> dict[str, int]
    can_delete(access, document) -> bool
    apply_edit(access, document, title=None, doc_type=None, content=None, restored_from=None)
        -> DocumentUpdate          (the one edit; `document_revisions.restore_revision` uses it)

`fields` are keyed by wire names: `title` (1–300 characters), `docType` (one of the eight
types), `content` (see `doc_content`; stored exactly as sent), `parentId`, `projectId`,
`cardId`. Unknown keys are refused.

Who: every member of the workspace reads, creates and edits documents. Deleting needs the
document's creator or a workspace admin; with `cascade`, a member who is not an admin must
have created every document of the subtree.

Tree: `parentId` is a document of the same workspace; a document cannot move under itself
or its descendants (Conflict). Deleting a document that has children is a Conflict unless
`cascade` (the whole subtree goes) or `move_children_up` (the children take the deleted
document's parent, or become top-level).

Context: `projectId` must be a project of this workspace the caller reaches, `cardId` a card
of such a project (else Invalid). Giving `cardId` alone sets `projectId` to the card's
project; the card must stay in the document's project.

Every save that changes the title, type or content records a revision (`revision` counts
them), and an `approved` document returns to `draft` (`DocumentUpdate.status_change` says
so, and the review history records it). Moving a document in the tree or changing its
context is not an edit of what was reviewed: no revision, the status stays.
"""
import copy
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import defer
from sqlalchemy.orm.attributes import set_committed_value

from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.extensions import db
from app.ids import is_id
from app.models.board import Card
from app.models.knowledge import DOC_TYPES, REVIEW_STATUSES, Document, DocumentReview, DocumentRevision
from app.services import cards, rules, search
from app.services.access import WorkspaceAccess
from app.services.doc_content import check_content, empty_content
from app.services.projects import project_access_by_id
from app.services.tiptap_render import plain_text

FIELDS = ("title", "docType", "content", "parentId", "projectId", "cardId")
TEMPLATE_FIELDS = ("title", "docType", "parentId", "projectId", "cardId")
MAX_LIST = 1000
EDIT_RESETS_APPROVAL = "This document was approved; editing it returned it to draft. Submit it for review again."


@dataclass(frozen=True)
class StatusChange:
    before: str
    after: str
    message: str


@dataclass(frozen=True)
class DocumentUpdate:
    document: Document
    revision: DocumentRevision | None  # None when nothing reviewed changed
    status_change: StatusChange | None


# Reading ----------------------------------------------------------------------------------

def get_document(access: WorkspaceAccess, document_id: object) -> Document:
    """Raises NotFound unless the document belongs to the caller's workspace."""
    document = db.session.get(Document, document_id) if is_id(document_id) else None
    if document is None or document.workspace_id != access.workspace.id:
        raise NotFound("Document not found")
    return document


def list_documents(access: WorkspaceAccess, *, doc_type: object = None, parent_id: object = None,
                   project_id: object = None, card_id: object = None, status: object = None,
                   q: object = None, limit: object = None, offset: object = None) -> list[Document]:
    """Documents of the workspace by title (case-insensitive), then id.

    Filters: `doc_type`; `parent_id` (an id, or `null` for top-level documents); `project_id`
    and `card_id` (the context); `status`; `q` (title or text matches, as in search).
    `limit` 1–1000 (default 1000), `offset` ≥ 0. `content` and `plain_text` are not loaded
    until read (a list shows neither). Raises Invalid for a bad filter value.
    """
    query = sa.select(Document).where(Document.workspace_id == access.workspace.id)
    if doc_type is not None:
        query = query.where(Document.doc_type == rules.choice("docType", doc_type, DOC_TYPES))
    if status is not None:
        query = query.where(Document.status == rules.choice("status", status, REVIEW_STATUSES))
    if parent_id is not None:
        query = query.where(Document.parent_id.is_(None) if parent_id == "null"
                            else Document.parent_id == _id_filter("parentId", parent_id))
    if project_id is not None:
        query = query.where(Document.project_id == _id_filter("projectId", project_id))
    if card_id is not None:
        query = query.where(Document.card_id == _id_filter("cardId", card_id))
    if q is not None and (not isinstance(q, str) or q.strip()):
        query = query.where(search.document_match(access, q))
    limit = MAX_LIST if limit is None else search.whole_number("limit", limit, 1, MAX_LIST)
    offset = 0 if offset is None else search.whole_number("offset", offset, 0, 10_000_000)
    query = (query.order_by(sa.func.lower(Document.title), Document.id).limit(limit).offset(offset)
             .options(defer(Document.content), defer(Document.plain_text)))
    return list(db.session.scalars(query))


def ancestors(access: WorkspaceAccess, document: Document) -> list[Document]:
    """The document's parents, from the top of the tree down to its own parent."""
    chain = []
    seen = {document.id}
    parent_id = document.parent_id
    while parent_id is not None and parent_id not in seen:
        parent = get_document(access, parent_id)
        seen.add(parent.id)
        chain.append(parent)
        parent_id = parent.parent_id
    return list(reversed(chain))


def child_counts(access: WorkspaceAccess, document_ids: Iterable[str]) -> dict[str, int]:
    """`{documentId: number of direct children}` in one query (0 for a leaf)."""
    ids = list(document_ids)
    counts = dict.fromkeys(ids, 0)
    if ids:
        for parent_id, count in db.session.execute(
                sa.select(Document.parent_id, sa.func.count()).where(
                    Document.workspace_id == access.workspace.id, Document.parent_id.in_(ids))
                .group_by(Document.parent_id)):
            counts[parent_id] = count
    return counts


def can_delete(access: WorkspaceAccess, document: Document) -> bool:
    """Whether the caller may delete `document` itself (its creator or a workspace admin)."""
    try:
        _require_deleter(access, [document])
    except Forbidden:
        return False
    return True


# Writing ----------------------------------------------------------------------------------

def create_document(access: WorkspaceAccess, fields: Mapping[str, object]) -> Document:
    """Create a document (`title` required; `docType`, default `document`; `content`, default
    empty; `parentId`, `projectId`, `cardId`) as a `draft`, with its revision 1.

    Raises Invalid.
    """
    _known(fields, FIELDS)
    if "title" not in fields:
        raise Invalid("title", "title is required")
    title = rules.text("title", fields["title"], max_len=300)
    doc_type = rules.choice("docType", fields.get("docType", "document"), DOC_TYPES)
    content = fields.get("content")
    content = empty_content(doc_type) if content is None else check_content(doc_type, content)
    parent_id = _parent(access, fields.get("parentId"), None)
    project_id, card_id = _context(access, fields, None, None)
    document = Document(workspace_id=access.workspace.id, title=title, doc_type=doc_type, content=content,
                        plain_text=plain_text(content, doc_type), parent_id=parent_id, project_id=project_id,
                        card_id=card_id, status="draft", revision=0, created_by_id=access.user.id,
                        updated_by_id=access.user.id)
    db.session.add(document)
    db.session.flush()
    _record_revision(document, access.user.id, None)
    return document


def update_document(access: WorkspaceAccess, document_id: object, fields: Mapping[str, object]) -> DocumentUpdate:
    """Change any of the `fields`; everything is checked before anything changes.

    `content: null` empties the document. Changing `docType` to or from `spreadsheet` needs
    new `content` of the new shape. Raises NotFound, Invalid, Conflict (a cycle in the tree).
    """
    _known(fields, FIELDS)
    document = get_document(access, document_id)
    title = rules.text("title", fields["title"], max_len=300) if "title" in fields else None
    doc_type = rules.choice("docType", fields["docType"], DOC_TYPES) if "docType" in fields else None
    new_type = doc_type or document.doc_type
    content = None
    if "content" in fields:
        content = fields["content"]
        content = empty_content(new_type) if content is None else check_content(new_type, content)
    elif (new_type == "spreadsheet") != (document.doc_type == "spreadsheet"):
        raise Invalid("docType", "Changing docType to or from spreadsheet needs content of the new shape")
    parent_id = _parent(access, fields["parentId"], document) if "parentId" in fields else document.parent_id
    project_id, card_id = _context(access, fields, document.project_id, document.card_id)

    document.parent_id, document.project_id, document.card_id = parent_id, project_id, card_id
    result = apply_edit(access, document, title=title, doc_type=doc_type, content=content)
    if result.revision is None:
        document.updated_by_id = access.user.id
        db.session.flush()
    return result


def apply_edit(access: WorkspaceAccess, document: Document, *, title: str | None = None,
               doc_type: str | None = None, content: dict | None = None,
               restored_from: int | None = None) -> DocumentUpdate:
    """Save already-checked title / type / content on `document`. When something differs,
    record a revision and return an approved document to draft. Raises nothing."""
    changed = False
    if title is not None and title != document.title:
        document.title, changed = title, True
    if doc_type is not None and doc_type != document.doc_type:
        document.doc_type, changed = doc_type, True
    if content is not None and _serialized(content) != _serialized(document.content):
        document.content, changed = content, True
    if not changed and restored_from is None:
        return DocumentUpdate(document, None, None)
    document.plain_text = plain_text(document.content, document.doc_type)
    document.updated_by_id = access.user.id
    status_change = None
    if document.status == "approved":
        document.status = "draft"
        status_change = StatusChange("approved", "draft", EDIT_RESETS_APPROVAL)
    db.session.flush()
    revision = _record_revision(document, access.user.id, restored_from)
    if status_change is not None:
        db.session.add(DocumentReview(document_id=document.id, action="reverted_to_draft",
                                      revision=revision.number, actor_id=access.user.id))
        db.session.flush()
    return DocumentUpdate(document, revision, status_change)


def delete_document(access: WorkspaceAccess, document_id: object, *, cascade: bool = False,
                    move_children_up: bool = False) -> list[str]:
    """Delete a document with its revisions and review history; return the ids deleted.

    With children: Conflict unless `cascade` (delete the whole subtree) or
    `move_children_up` (they take this document's parent). Raises NotFound, Invalid (both
    options), Forbidden (neither creator nor workspace admin, for every deleted document),
    Conflict.
    """
    if cascade and move_children_up:
        raise Invalid("cascade", "Choose either cascade or moveChildrenUp")
    document = get_document(access, document_id)
    _require_deleter(access, [document])
    subtree = _descendants(document)
    if subtree and not (cascade or move_children_up):
        children = sum(1 for d in subtree if d.parent_id == document.id)
        raise Conflict(f"This document has {children} child document{'s' if children != 1 else ''}: "
                       "delete them too with ?cascade=true, or move them up with ?moveChildrenUp=true")
    if move_children_up:
        db.session.execute(sa.update(Document).where(Document.parent_id == document.id)
                           .values(parent_id=document.parent_id).execution_options(synchronize_session="fetch"))
        subtree = []
    else:
        _require_deleter(access, subtree)
    ids = [document.id] + [d.id for d in subtree]
    db.session.execute(sa.delete(Document).where(Document.id.in_(ids)).execution_options(synchronize_session=False))
    for item in [document, *subtree]:
        if item in db.session:
            db.session.expunge(item)
    db.session.flush()
    return ids


def instantiate_template(access: WorkspaceAccess, template_id: object,
                         fields: Mapping[str, object] | None = None) -> Document:
    """A new draft document holding a copy of the template's content.

    `fields`: `title` (default the template's), `docType` (default `document`; not
    `spreadsheet`: a template holds TipTap content), `parentId`, `projectId`, `cardId`.
    Raises NotFound, Conflict (the source is not a `template`), Invalid.
    """
    fields = dict(fields or {})
    _known(fields, TEMPLATE_FIELDS)
    template = get_document(access, template_id)
    if template.doc_type != "template":
        raise Conflict("Only a document of type template can be instantiated")
    if fields.get("docType") == "spreadsheet":
        raise Invalid("docType", "A template holds rich text: it cannot become a spreadsheet")
    return create_document(access, {"title": template.title, "docType": "document", **fields,
                                    "content": copy.deepcopy(template.content)})


# Rules ------------------------------------------------------------------------------------

def _known(fields: Mapping[str, object], allowed: tuple[str, ...]) -> None:
    for field in fields:
        if field not in allowed:
            raise Invalid(field, f"property {field} should not exist")


def _id_filter(field: str, value: object) -> str:
    if not is_id(value):
        raise Invalid(field, f"{field} must be a document id" if field == "parentId" else f"{field} must be an id")
    return value  # type: ignore[return-value]


def _serialized(content: object) -> str:
    return json.dumps(content, ensure_ascii=False)


def _record_revision(document: Document, author_id: str, restored_from: int | None) -> DocumentRevision:
    """Number the save in the database (`revision + 1` under the row lock), so two saves
    racing get two revisions, never the same number."""
    db.session.flush()
    number = db.session.execute(
        sa.update(Document).where(Document.id == document.id).values(revision=Document.revision + 1)
        .returning(Document.revision).execution_options(synchronize_session=False)).scalar_one()
    set_committed_value(document, "revision", number)
    revision = DocumentRevision(document_id=document.id, number=number, title=document.title,
                                doc_type=document.doc_type, content=document.content, author_id=author_id,
                                restored_from=restored_from)
    db.session.add(revision)
    db.session.flush()
    return revision


def _parent(access: WorkspaceAccess, parent_id: object, document: Document | None) -> str | None:
    """`None`, or the id of a document of the workspace that is not `document` nor under it.

    Raises Invalid, Conflict."""
    if parent_id is None:
        return None
    parent = db.session.get(Document, parent_id) if is_id(parent_id) else None
    if parent is None or parent.workspace_id != access.workspace.id:
        raise Invalid("parentId", "parentId does not match a document of this workspace")
    if document is not None:
        if parent.id == document.id or parent.id in {d.id for d in _descendants(document)}:
            raise Conflict("A document cannot be moved under itself or one of its descendants")
    return parent.id


def _descendants(document: Document) -> list[Document]:
    """Every document under `document`, in one recursive query."""
    tree = (sa.select(Document.id).where(Document.parent_id == document.id)
            .cte("subtree", recursive=True))
    tree = tree.union(sa.select(Document.id).join(tree, Document.parent_id == tree.c.id))
    return list(db.session.scalars(sa.select(Document).where(Document.id.in_(sa.select(tree.c.id)))))


def _require_deleter(access: WorkspaceAccess, documents: list[Document]) -> None:
    if access.is_admin:
        return
    if any(d.created_by_id != access.user.id for d in documents):
        raise Forbidden("Only a workspace admin or the document's creator may delete it"
                        if len(documents) == 1 else
                        "Only a workspace admin may delete documents created by others")


def _context(access: WorkspaceAccess, fields: Mapping[str, object], project_id: str | None,
             card_id: str | None) -> tuple[str | None, str | None]:
    """The (projectId, cardId) a document ends up with, from its current ones and `fields`.
    Raises Invalid."""
    if "projectId" in fields:
        value = fields["projectId"]
        project_id = None if value is None else _reachable_project(access, value)
    if "cardId" in fields:
        value = fields["cardId"]
        if value is None:
            return project_id, None
        card = _reachable_card(access, value)
        if "projectId" not in fields:
            project_id = card.project_id
        if card.project_id != project_id:
            raise Invalid("cardId", "cardId must be a card of the document's project")
        return project_id, card.id
    if card_id is not None and "projectId" in fields:
        card = db.session.get(Card, card_id)
        if card is None or card.project_id != project_id:
            raise Invalid("projectId", "The document's card is in another project: change or clear cardId too")
    return project_id, card_id


def _reachable_project(access: WorkspaceAccess, project_id: object) -> str:
    try:
        project = project_access_by_id(access.user, project_id).project
    except NotFound:
        project = None
    if project is None or project.workspace_id != access.workspace.id:
        raise Invalid("projectId", "projectId does not match a project you can reach in this workspace")
    return project.id


def _reachable_card(access: WorkspaceAccess, card_id: object):
    try:
        card, project = cards.card_access(access.user, card_id)
    except NotFound:
        card = project = None
    if card is None or project.project.workspace_id != access.workspace.id:
        raise Invalid("cardId", "cardId does not match a card you can reach in this workspace")
    return card
