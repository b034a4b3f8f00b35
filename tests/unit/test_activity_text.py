"""The card history's sentences, for every kind of activity a card records."""
import pytest

from app.models.card_depth import Activity
from app.presenters.activity_text import people_ids, sentence

PEOPLE = {"u1": "Bob Example"}


@pytest.mark.parametrize("kind, meta, expected", [
    ("card_created", {"column": "To Do"}, "created the card in To Do"),
    ("card_moved", {"fromColumn": "To Do", "toColumn": "Done"}, "moved the card from To Do to Done"),
    ("card_moved", {"fromColumn": None, "toColumn": "Done"}, "moved the card to Done"),
    ("card_assigned", {"fromAssigneeId": None, "toAssigneeId": "u1"}, "assigned the card to Bob Example"),
    ("card_assigned", {"fromAssigneeId": "u1", "toAssigneeId": None}, "unassigned the card"),
    ("card_assigned", {"toAssigneeId": "gone"}, "assigned the card to someone no longer here"),
    ("card_archived", {}, "archived the card"),
    ("card_deleted", {}, "deleted the card"),
    ("comment_added", {"commentId": "c", "excerpt": "Looks good"}, "commented: “Looks good”"),
    ("card_updated", {"fields": ["title"]}, "changed the title"),
    ("card_updated", {"fields": ["priority", "startDate", "dueDate"]},
     "changed the priority, the start date and the due date"),
    ("card_updated", {"fields": ["checklist"]}, "changed the checklist"),
    ("card_updated", {"fields": ["customFields"], "customFields": ["f1"]}, "changed custom fields"),
    ("card_updated", {"fields": ["attachments"], "added": "plan.pdf"}, "attached “plan.pdf”"),
    ("card_updated", {"fields": ["attachments"], "removed": "plan.pdf"}, "removed the attachment “plan.pdf”"),
    ("card_updated", {"fields": ["labels"], "added": "Bug"}, "added the label “Bug”"),
    ("card_updated", {"fields": ["labels"], "removed": "Bug"}, "removed the label “Bug”"),
    ("card_updated", {"fields": ["relations"], "added": "blocks", "otherCardId": "x"},
     "added a relation: this card blocks another"),
    ("card_updated", {"fields": ["relations"], "removed": "blocks", "otherCardId": "x"}, "removed a relation"),
    ("card_updated", {"fields": ["archived"]}, "restored the card from the archive"),
    ("card_updated", {"fields": ["title", "archived"]}, "changed the title and restored it from the archive"),
])
def test_each_activity_reads_as_a_sentence(kind, meta, expected):
    assert sentence(Activity(type=kind, meta=meta), PEOPLE) == expected


def test_only_assignments_name_other_people():
    assert people_ids(Activity(type="card_assigned", meta={"fromAssigneeId": "u1", "toAssigneeId": "u2"})) == {"u1", "u2"}
    assert people_ids(Activity(type="card_moved", meta={"fromColumn": "a", "toColumn": "b"})) == set()
