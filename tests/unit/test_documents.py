"""Documents service: create, read, list filters, change, tree rules, context, delete
policies, templates, content shapes."""
import pytest
import sqlalchemy as sa

from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.extensions import db
from app.models.knowledge import Document, DocumentRevision
from app.services import cards, documents, orgs, projects, workspaces
from app.services.access import org_access, workspace_access
from tests.board_helpers import board, join, team_workspace, user, ws
from tests.unit.document_helpers import doc, make


@pytest.fixture()
def people():
    owner = user("owner@acme.test")
    workspace = team_workspace(owner)
    member = user("member@acme.test")
    other = user("other@acme.test")
    join(member, workspace)
    join(other, workspace)
    db.session.commit()
    return owner, member, other


def test_create_keeps_content_exactly_and_starts_a_draft(people):
    owner, member, _ = people
    content = {"type": "doc", "content": [
        {"type": "heading", "attrs": {"level": 2, "id": None}, "content": [{"type": "text", "text": "Plan"}]},
        {"type": "customWidget", "attrs": {"x": [1, 2.5, True, None, {"deep": "é"}]}},
        {"type": "paragraph", "content": [{"type": "text", "text": "Ship it", "marks": [{"type": "bold"}]}]},
    ]}
    document = documents.create_document(ws(member), {"title": "  Release plan ", "docType": "spec",
                                                      "content": content})
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(Document, document.id)
    assert stored.content == content
    assert list(stored.content["content"][1]["attrs"]) == ["x"]
    assert (stored.title, stored.doc_type, stored.status, stored.revision) == ("Release plan", "spec", "draft", 1)
    assert stored.plain_text == "Plan\nShip it"
    assert (stored.created_by_id, stored.updated_by_id) == (member.id, member.id)
    revision = db.session.scalar(sa.select(DocumentRevision).where(DocumentRevision.document_id == document.id))
    assert (revision.number, revision.author_id, revision.content) == (1, member.id, content)


def test_create_defaults(people):
    owner, _, _ = people
    note = documents.create_document(ws(owner), {"title": "Empty"})
    sheet = documents.create_document(ws(owner), {"title": "Grid", "docType": "spreadsheet"})
    assert (note.doc_type, note.content) == ("document", {"type": "doc", "content": []})
    assert sheet.content == {"type": "spreadsheet", "rows": []}


@pytest.mark.parametrize("fields,field", [
    ({}, "title"),
    ({"title": " "}, "title"),
    ({"title": "x" * 301}, "title"),
    ({"title": "T", "docType": "wiki"}, "docType"),
    ({"title": "T", "content": "text"}, "content"),
    ({"title": "T", "content": {"type": "paragraph"}}, "content"),
    ({"title": "T", "content": {"type": "doc", "content": {"type": "text"}}}, "content"),
    ({"title": "T", "content": {"type": "doc", "content": [{"text": "no type"}]}}, "content"),
    ({"title": "T", "content": {"type": "doc", "content": [{"type": "text", "text": 5}]}}, "content"),
    ({"title": "T", "content": {"type": "doc", "content": [{"type": "p", "marks": "bold"}]}}, "content"),
    ({"title": "T", "content": {"type": "doc", "content": [{"type": "p", "style": "x"}]}}, "content"),
    ({"title": "T", "content": {"type": "doc", "content": [{"type": "p", "attrs": {"n": float("nan")}}]}}, "content"),
    ({"title": "T", "docType": "spreadsheet", "content": {"type": "doc", "content": []}}, "content"),
    ({"title": "T", "docType": "spreadsheet", "content": {"type": "spreadsheet", "rows": [[{"f": 1}]]}}, "content"),
    ({"title": "T", "docType": "spreadsheet", "content": {"type": "spreadsheet", "rows": [1]}}, "content"),
    ({"title": "T", "docType": "spreadsheet", "content": {"type": "spreadsheet", "rows": [], "css": "x"}}, "content"),
    ({"title": "T", "docType": "spreadsheet", "content": {"type": "spreadsheet", "rows": [[None] * 101]}}, "content"),
    ({"title": "T", "color": "red"}, "color"),
    ({"title": "T", "parentId": "nope"}, "parentId"),
])
def test_create_refuses_bad_values_and_writes_nothing(people, fields, field):
    owner, _, _ = people
    with pytest.raises(Invalid) as error:
        documents.create_document(ws(owner), fields)
    assert error.value.field == field
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Document)) == 0


def test_content_nested_too_deeply_or_too_large_is_refused(people):
    owner, _, _ = people
    node = {"type": "paragraph"}
    for _ in range(70):
        node = {"type": "blockquote", "content": [node]}
    with pytest.raises(Invalid, match="nested too deeply"):
        documents.create_document(ws(owner), {"title": "Deep", "content": {"type": "doc", "content": [node]}})
    huge = doc("x" * 1_000_001)
    with pytest.raises(Invalid, match="at most"):
        documents.create_document(ws(owner), {"title": "Huge", "content": huge})


def test_spreadsheet_grid_is_kept_and_its_text_indexed(people):
    owner, _, _ = people
    grid = {"type": "spreadsheet", "header": True, "rows": [["Item", "Qty"], ["Apples", 3], ["Pears", 2.5, None, True]]}
    sheet = documents.create_document(ws(owner), {"title": "Stock", "docType": "spreadsheet", "content": grid})
    assert sheet.content == grid
    assert sheet.plain_text == "Item\tQty\nApples\t3\nPears\t2.5\t\ttrue"


def test_get_is_scoped_to_the_workspace(people):
    owner, member, _ = people
    document = make(owner, "Mine")
    assert documents.get_document(ws(member), document.id) is document
    stranger = user("stranger@else.test")
    orgs.create_org(stranger, "Else", "else")
    workspaces.create_workspace(org_access(stranger, "else"), "Other", "other")
    theirs = workspace_access(stranger, "else", "other")
    with pytest.raises(NotFound):
        documents.get_document(theirs, document.id)
    for bad in ("0" * 24, "nope", None, 5):
        with pytest.raises(NotFound):
            documents.get_document(ws(owner), bad)


def test_list_filters(people):
    owner, member, _ = people
    access, columns = board(owner)
    card = cards.create_card(owner, columns[0].id, title="Card")
    root = make(owner, "b root", docType="spec")
    child = make(owner, "A child", parentId=root.id, docType="note")
    in_project = make(owner, "C project", projectId=access.project.id)
    on_card = make(owner, "D card", cardId=card.id)
    everything = [d.title for d in documents.list_documents(ws(member))]
    assert everything == ["A child", "b root", "C project", "D card"]
    titles = lambda **kw: [d.title for d in documents.list_documents(ws(member), **kw)]  # noqa: E731
    assert titles(doc_type="spec") == ["b root"]
    assert titles(parent_id=root.id) == ["A child"]
    assert titles(parent_id="null") == ["b root", "C project", "D card"]
    assert titles(project_id=access.project.id) == ["C project", "D card"]
    assert titles(card_id=card.id) == ["D card"]
    assert titles(status="draft") == everything
    assert titles(status="approved") == []
    assert titles(limit="2", offset="1") == ["b root", "C project"]
    assert child.parent_id == root.id and on_card.project_id == access.project.id
    for kwargs, field in (({"doc_type": "wiki"}, "docType"), ({"parent_id": "x"}, "parentId"),
                          ({"project_id": "x"}, "projectId"), ({"card_id": "x"}, "cardId"),
                          ({"status": "done"}, "status"), ({"limit": "0"}, "limit"),
                          ({"limit": "1001"}, "limit"), ({"offset": "-1"}, "offset")):
        with pytest.raises(Invalid) as error:
            documents.list_documents(ws(member), **kwargs)
        assert error.value.field == field
    assert in_project.card_id is None


def test_list_text_query_uses_the_search_index(people):
    owner, _, _ = people
    make(owner, "Onboarding", content=doc("Welcome aboard, here is the deployment checklist"))
    make(owner, "Deployment runbook")
    make(owner, "Unrelated", content=doc("Nothing to see"))
    db.session.commit()
    assert [d.title for d in documents.list_documents(ws(owner), q="deploy")] == ["Deployment runbook", "Onboarding"]
    assert [d.title for d in documents.list_documents(ws(owner), q="?!")] == []
    assert len(documents.list_documents(ws(owner), q="  ")) == 3


def test_update_changes_fields_and_keeps_a_revision_per_save(people):
    owner, member, _ = people
    document = make(owner, "Draft", content=doc("one"))
    result = documents.update_document(ws(member), document.id, {"title": "Final", "content": doc("two")})
    assert result.revision.number == 2 and result.status_change is None
    assert (document.title, document.plain_text, document.updated_by_id, document.revision) == ("Final", "two", member.id, 2)
    same = documents.update_document(ws(member), document.id, {"title": "Final", "content": doc("two")})
    assert same.revision is None and document.revision == 2
    emptied = documents.update_document(ws(member), document.id, {"content": None})
    assert emptied.document.content == {"type": "doc", "content": []} and document.revision == 3


def test_update_validates_everything_before_changing_anything(people):
    owner, _, _ = people
    document = make(owner, "Keep", content=doc("kept"))
    db.session.commit()
    with pytest.raises(Invalid):
        documents.update_document(ws(owner), document.id, {"title": "Changed", "docType": "nope"})
    db.session.rollback()
    db.session.expire_all()
    kept = db.session.get(Document, document.id)
    assert (kept.title, kept.doc_type, kept.revision) == ("Keep", "document", 1)


def test_changing_to_or_from_spreadsheet_needs_matching_content(people):
    owner, _, _ = people
    document = make(owner, "Text", content=doc("text"))
    with pytest.raises(Invalid) as error:
        documents.update_document(ws(owner), document.id, {"docType": "spreadsheet"})
    assert error.value.field == "docType"
    grid = {"type": "spreadsheet", "rows": [["a"]]}
    changed = documents.update_document(ws(owner), document.id, {"docType": "spreadsheet", "content": grid})
    assert (changed.document.doc_type, changed.document.plain_text) == ("spreadsheet", "a")
    documents.update_document(ws(owner), document.id, {"docType": "spreadsheet"})  # unchanged type: fine
    documents.update_document(ws(owner), document.id, {"docType": "adr", "content": doc("back")})


def test_tree_refuses_cycles_and_foreign_parents(people):
    owner, _, _ = people
    top = make(owner, "Top")
    middle = make(owner, "Middle", parentId=top.id)
    leaf = make(owner, "Leaf", parentId=middle.id)
    for target in (top.id,):
        with pytest.raises(Conflict):
            documents.update_document(ws(owner), top.id, {"parentId": target})
    with pytest.raises(Conflict):
        documents.update_document(ws(owner), top.id, {"parentId": leaf.id})
    moved = documents.update_document(ws(owner), leaf.id, {"parentId": top.id})
    assert moved.document.parent_id == top.id and moved.revision is None
    assert documents.update_document(ws(owner), leaf.id, {"parentId": None}).document.parent_id is None
    assert [d.title for d in documents.ancestors(ws(owner), middle)] == ["Top"]
    assert documents.child_counts(ws(owner), [top.id, middle.id, leaf.id]) == {top.id: 1, middle.id: 0, leaf.id: 0}


def test_context_must_be_reachable_in_the_workspace(people):
    owner, member, _ = people
    mine, my_columns = board(member, "Mine")
    secret, secret_columns = board(owner, "Secret")
    my_card = cards.create_card(member, my_columns[0].id, title="Mine")
    secret_card = cards.create_card(owner, secret_columns[0].id, title="Secret")
    document = make(member, "Doc", cardId=my_card.id)
    db.session.commit()
    assert (document.project_id, document.card_id) == (mine.project.id, my_card.id)
    for fields, field in (({"projectId": secret.project.id}, "projectId"), ({"cardId": secret_card.id}, "cardId"),
                          ({"projectId": "0" * 24}, "projectId"), ({"cardId": "x"}, "cardId"),
                          ({"projectId": secret.project.id, "cardId": my_card.id}, "projectId"),
                          ({"projectId": None}, "projectId")):
        with pytest.raises(Invalid) as error:
            documents.update_document(ws(member), document.id, fields)
        assert error.value.field == field, fields
        db.session.rollback()
    owner_view = documents.update_document(ws(owner), document.id, {"projectId": secret.project.id, "cardId": None})
    assert (owner_view.document.project_id, owner_view.document.card_id) == (secret.project.id, None)
    with pytest.raises(Invalid) as error:
        documents.update_document(ws(owner), document.id, {"projectId": mine.project.id, "cardId": secret_card.id})
    assert error.value.field == "cardId"


def test_deleting_the_context_keeps_the_document(people):
    owner, _, _ = people
    access, columns = board(owner)
    card = cards.create_card(owner, columns[0].id, title="Card")
    document = make(owner, "Doc", cardId=card.id)
    cards.delete_card(owner, card.id)
    db.session.expire_all()
    assert (document.project_id, document.card_id) == (access.project.id, None)
    projects.delete_project(access)
    db.session.expire_all()
    assert document.project_id is None and document.title == "Doc"


def test_delete_with_children_needs_a_choice(people):
    owner, _, _ = people
    top = make(owner, "Top")
    middle = make(owner, "Middle", parentId=top.id)
    make(owner, "Leaf", parentId=middle.id)
    with pytest.raises(Conflict, match="1 child document"):
        documents.delete_document(ws(owner), top.id)
    with pytest.raises(Invalid):
        documents.delete_document(ws(owner), top.id, cascade=True, move_children_up=True)
    assert documents.delete_document(ws(owner), middle.id, move_children_up=True) == [middle.id]
    assert [(d.title, d.parent_id) for d in documents.list_documents(ws(owner))] == [("Leaf", top.id), ("Top", None)]
    deleted = documents.delete_document(ws(owner), top.id, cascade=True)
    assert len(deleted) == 2 and documents.list_documents(ws(owner)) == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DocumentRevision)) == 0


def test_who_may_delete(people):
    owner, member, other = people
    theirs = make(other, "Theirs")
    mine = make(member, "Mine")
    make(other, "Their child", parentId=mine.id)
    assert not documents.can_delete(ws(member), theirs) and documents.can_delete(ws(member), mine)
    assert documents.can_delete(ws(owner), theirs)
    with pytest.raises(Forbidden):
        documents.delete_document(ws(member), theirs.id)
    with pytest.raises(Forbidden):
        documents.delete_document(ws(member), mine.id, cascade=True)
    assert documents.delete_document(ws(member), mine.id, move_children_up=True) == [mine.id]
    assert documents.delete_document(ws(owner), theirs.id) == [theirs.id]


def test_a_child_added_meanwhile_makes_the_delete_fail_not_vanish(people):
    owner, _, _ = people
    top = make(owner, "Top")
    db.session.commit()
    db.session.execute(sa.insert(Document).values(
        id="0" * 23 + "1", workspace_id=top.workspace_id, parent_id=top.id, title="Sneaky", doc_type="note",
        content={"type": "doc"}, plain_text="", status="draft", revision=1,
        created_at=top.created_at, updated_at=top.created_at))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(sa.delete(Document).where(Document.id == top.id))
        db.session.flush()
    db.session.rollback()


def test_templates_instantiate_as_new_drafts(people):
    owner, member, _ = people
    body = doc("## Context\nDecision\nConsequences")
    template = make(owner, "ADR template", docType="template", content=body)
    adr = documents.instantiate_template(ws(member), template.id, {"title": "ADR 7: queues", "docType": "adr"})
    assert (adr.title, adr.doc_type, adr.content, adr.status, adr.created_by_id) == (
        "ADR 7: queues", "adr", body, "draft", member.id)
    assert adr.content is not template.content
    plain = documents.instantiate_template(ws(member), template.id)
    assert (plain.title, plain.doc_type) == ("ADR template", "document")
    with pytest.raises(Invalid):
        documents.instantiate_template(ws(member), template.id, {"docType": "spreadsheet"})
    with pytest.raises(Conflict):
        documents.instantiate_template(ws(member), adr.id)
    with pytest.raises(Invalid):
        documents.instantiate_template(ws(member), template.id, {"content": body})


def test_deleting_the_workspace_deletes_its_document_tree(people):
    owner, _, _ = people
    top = make(owner, "Top")
    middle = make(owner, "Middle", parentId=top.id)
    make(owner, "Leaf", parentId=middle.id)
    documents.update_document(ws(owner), middle.id, {"title": "Middle v2"})
    db.session.commit()
    workspaces.delete_workspace(ws(owner))
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Document)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DocumentRevision)) == 0
