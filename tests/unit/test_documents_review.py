"""Review workflow and revisions: every transition, who may review, independent review,
history, editing an approved document, revisions and restore."""
import threading

import pytest
import sqlalchemy as sa

from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.extensions import db
from app.models.identity import WorkspaceMember
from app.models.knowledge import Document
from app.services import document_review, document_revisions, documents, workspaces
from tests.board_helpers import join, team_workspace, user, ws
from tests.unit.document_helpers import doc, make


@pytest.fixture()
def people():
    """owner (org owner, workspace admin), author and reader (members, pilotage viewer),
    reviewer (member, pilotage reviewer), lead (member, pilotage owner)."""
    owner = user("owner@acme.test")
    workspace = team_workspace(owner)
    people = {"owner": owner}
    for name, pilotage_role in (("author", "viewer"), ("reader", "viewer"), ("reviewer", "reviewer"),
                                ("lead", "owner")):
        people[name] = user(f"{name}@acme.test")
        join(people[name], workspace)
        db.session.scalar(sa.select(WorkspaceMember).where(
            WorkspaceMember.user_id == people[name].id, WorkspaceMember.workspace_id == workspace.id)) \
            .pilotage_role = pilotage_role
    db.session.commit()
    return people


def test_the_happy_path_and_its_history(people):
    author, reviewer = people["author"], people["reviewer"]
    document = make(author, "Spec", content=doc("v1"))
    assert document_review.submit_review(ws(author), document.id).status == "pending_review"
    assert document_review.can_review(ws(reviewer), document) and not document_review.can_review(ws(author), document)
    document_review.review_document(ws(reviewer), document.id, "changes_requested", "Add numbers")
    assert document.status == "changes_requested"
    documents.update_document(ws(author), document.id, {"content": doc("v2 with numbers")})
    assert document.status == "changes_requested"
    document_review.submit_review(ws(author), document.id)
    document_review.review_document(ws(reviewer), document.id, "approved", None)
    assert document.status == "approved"
    history = document_review.review_history(ws(people["reader"]), document.id)
    assert [(h.action, h.actor_id, h.notes, h.revision) for h in history] == [
        ("submitted", author.id, None, 1),
        ("changes_requested", reviewer.id, "Add numbers", 1),
        ("submitted", author.id, None, 2),
        ("approved", reviewer.id, None, 2),
    ]
    assert all(h.created_at is not None for h in history)


@pytest.mark.parametrize("status", ["pending_review", "approved"])
def test_submit_only_from_draft_or_changes_requested(people, status):
    author = people["author"]
    document = make(author, "Doc")
    document.status = status
    db.session.flush()
    with pytest.raises(Conflict):
        document_review.submit_review(ws(author), document.id)


@pytest.mark.parametrize("status", ["draft", "approved", "changes_requested"])
def test_review_only_when_pending(people, status):
    document = make(people["author"], "Doc")
    document.status = status
    db.session.flush()
    for decision in ("approved", "changes_requested"):
        with pytest.raises(Conflict):
            document_review.review_document(ws(people["reviewer"]), document.id, decision)


@pytest.mark.parametrize("who,allowed", [
    ("owner", True), ("lead", True), ("reviewer", True), ("reader", False), ("author", False)])
def test_who_may_review(people, who, allowed):
    document = make(people["author"], "Doc")
    document_review.submit_review(ws(people["author"]), document.id)
    if allowed:
        assert document_review.review_document(ws(people[who]), document.id, "approved").status == "approved"
    else:
        with pytest.raises(Forbidden):
            document_review.review_document(ws(people[who]), document.id, "approved")
        assert document.status == "pending_review"


def test_workspace_admin_without_pilotage_role_may_review(people):
    admin = user("admin@acme.test")
    join(admin, ws(people["owner"]).workspace, role="admin")
    document = make(people["author"], "Doc")
    document_review.submit_review(ws(people["author"]), document.id)
    assert document_review.review_document(ws(admin), document.id, "approved").status == "approved"


def test_review_values_are_checked(people):
    document = make(people["author"], "Doc")
    document_review.submit_review(ws(people["author"]), document.id)
    for status in ("draft", "pending_review", "rejected", None, True):
        with pytest.raises(Invalid) as error:
            document_review.review_document(ws(people["reviewer"]), document.id, status)
        assert error.value.field == "status"
    with pytest.raises(Invalid) as error:
        document_review.review_document(ws(people["reviewer"]), document.id, "approved", "x" * 2001)
    assert error.value.field == "notes"
    with pytest.raises(NotFound):
        document_review.review_document(ws(people["reviewer"]), "0" * 24, "approved")
    assert document.status == "pending_review"


def test_independent_review_setting(people):
    owner, reviewer = people["owner"], people["reviewer"]
    workspaces.update_workspace(ws(owner), require_independent_review=True)
    by_reviewer = make(reviewer, "Reviewer's own")
    document_review.submit_review(ws(reviewer), by_reviewer.id)
    with pytest.raises(Forbidden, match="other than"):
        document_review.review_document(ws(reviewer), by_reviewer.id, "approved")
    assert not document_review.can_review(ws(reviewer), by_reviewer)
    assert document_review.review_document(ws(people["lead"]), by_reviewer.id, "approved").status == "approved"

    submitted_by_owner = make(people["author"], "Author's")
    document_review.submit_review(ws(owner), submitted_by_owner.id)
    with pytest.raises(Forbidden):
        document_review.review_document(ws(owner), submitted_by_owner.id, "approved")
    with pytest.raises(Forbidden):
        document_review.review_document(ws(people["author"]), submitted_by_owner.id, "approved")
    document_review.review_document(ws(reviewer), submitted_by_owner.id, "changes_requested", "Why?")

    workspaces.update_workspace(ws(owner), require_independent_review=False)
    mine = make(reviewer, "Allowed again")
    document_review.submit_review(ws(reviewer), mine.id)
    assert document_review.review_document(ws(reviewer), mine.id, "approved").status == "approved"
    with pytest.raises(Invalid):
        workspaces.update_workspace(ws(owner), require_independent_review="yes")
    with pytest.raises(Forbidden):
        workspaces.update_workspace(ws(reviewer), require_independent_review=True)


def test_editing_an_approved_document_returns_it_to_draft(people):
    author, reviewer = people["author"], people["reviewer"]
    document = make(author, "Spec", content=doc("v1"))
    document_review.submit_review(ws(author), document.id)
    document_review.review_document(ws(reviewer), document.id, "approved")
    moved = documents.update_document(ws(author), document.id, {"parentId": make(author, "Folder").id})
    assert moved.status_change is None and document.status == "approved"
    edited = documents.update_document(ws(people["reader"]), document.id, {"content": doc("v2")})
    assert document.status == "draft"
    assert (edited.status_change.before, edited.status_change.after) == ("approved", "draft")
    assert "draft" in edited.status_change.message
    last = document_review.review_history(ws(author), document.id)[-1]
    assert (last.action, last.actor_id, last.revision) == ("reverted_to_draft", people["reader"].id, 2)
    again = documents.update_document(ws(author), document.id, {"content": doc("v3")})
    assert again.status_change is None


def test_two_reviewers_racing_decide_once(people, app):
    document = make(people["author"], "Raced")
    document_review.submit_review(ws(people["author"]), document.id)
    db.session.commit()
    document_id = document.id
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(name, decision):
        with app.app_context():
            try:
                access = ws(db.session.get(type(people[name]), people[name].id))
                documents.get_document(access, document_id)
                barrier.wait()
                document_review.review_document(access, document_id, decision)
                db.session.commit()
                outcomes.append(decision)
            except Conflict:
                db.session.rollback()
                outcomes.append("conflict")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=decide, args=("reviewer", "approved")),
               threading.Thread(target=decide, args=("lead", "changes_requested"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes, key=lambda o: o == "conflict")[-1] == "conflict"
    assert outcomes.count("conflict") == 1
    db.session.expire_all()
    decided = db.session.get(Document, document_id)
    assert decided.status == next(o for o in outcomes if o != "conflict")
    assert [h.action for h in document_review.review_history(ws(people["author"]), document_id)].count("submitted") == 1
    assert len(document_review.review_history(ws(people["author"]), document_id)) == 2


def test_revisions_list_view_and_restore(people):
    author, reader = people["author"], people["reader"]
    document = make(author, "v1 title", content=doc("first"))
    documents.update_document(ws(reader), document.id, {"content": doc("second")})
    documents.update_document(ws(author), document.id, {"title": "v3 title", "docType": "note"})
    revisions = document_revisions.list_revisions(ws(reader), document.id)
    assert [(r.number, r.title, r.doc_type, r.author_id) for r in revisions] == [
        (3, "v3 title", "note", author.id), (2, "v1 title", "document", reader.id), (1, "v1 title", "document", author.id)]
    first = document_revisions.get_revision(ws(reader), document.id, revisions[-1].id)
    assert first.content == doc("first")
    assert [r.number for r in document_revisions.list_revisions(ws(reader), document.id, limit=1, offset=1)] == [2]

    restored = document_revisions.restore_revision(ws(reader), document.id, first.id)
    assert (restored.revision.number, restored.revision.restored_from, restored.revision.author_id) == (4, 1, reader.id)
    assert (document.title, document.doc_type, document.content, document.plain_text) == (
        "v1 title", "document", doc("first"), "first")
    again = document_revisions.restore_revision(ws(reader), document.id, first.id)
    assert again.revision.number == 5  # a restore is a save, even of the current state


def test_restoring_an_approved_document_returns_it_to_draft(people):
    author = people["author"]
    document = make(author, "Doc", content=doc("one"))
    documents.update_document(ws(author), document.id, {"content": doc("two")})
    document_review.submit_review(ws(author), document.id)
    document_review.review_document(ws(people["reviewer"]), document.id, "approved")
    oldest = document_revisions.list_revisions(ws(author), document.id)[-1]
    result = document_revisions.restore_revision(ws(author), document.id, oldest.id)
    assert result.status_change is not None and document.status == "draft"


def test_a_revision_is_only_reached_through_its_document(people):
    author = people["author"]
    one = make(author, "One")
    two = make(author, "Two")
    revision_of_two = document_revisions.list_revisions(ws(author), two.id)[0]
    for bad in (revision_of_two.id, "0" * 24, "x"):
        with pytest.raises(NotFound):
            document_revisions.get_revision(ws(author), one.id, bad)
        with pytest.raises(NotFound):
            document_revisions.restore_revision(ws(author), one.id, bad)
    with pytest.raises(NotFound):
        document_revisions.list_revisions(ws(author), "0" * 24)


def test_two_saves_racing_keep_two_revisions(people, app):
    document = make(people["author"], "Raced", content=doc("v1"))
    db.session.commit()
    document_id = document.id
    barrier = threading.Barrier(2)
    errors = []

    def save(name, text):
        with app.app_context():
            try:
                access = ws(db.session.get(type(people[name]), people[name].id))
                documents.get_document(access, document_id)
                barrier.wait()
                documents.update_document(access, document_id, {"content": doc(text)})
                db.session.commit()
            except Exception as error:  # noqa: BLE001  (reported below)
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=save, args=(name, name)) for name in ("author", "reader")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    db.session.expire_all()
    revisions = document_revisions.list_revisions(ws(people["author"]), document_id)
    assert [r.number for r in revisions] == [3, 2, 1]
    assert {r.author_id for r in revisions[:2]} == {people["author"].id, people["reader"].id}
    assert db.session.get(Document, document_id).revision == 3
