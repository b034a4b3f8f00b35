"""Export → import carries labels, custom fields and values, comments and relations; a bad
document of any of them creates nothing."""
import pytest
import sqlalchemy as sa

from app.errors import Invalid
from app.extensions import db
from app.models.board import Project
from app.presenters.board import card_json
from app.services import cards, comments, custom_fields, labels, project_transfer, relations
from app.services.access import workspace_access
from app.services.projects import project_access
from tests.board_helpers import board
from tests.card_depth_helpers import crew  # noqa: F401


@pytest.fixture()
def rich(crew):
    """Jane's project with two labels, three fields, values, comments and relations, plus a
    relation to a card of another project (not exported)."""
    second = cards.create_card(crew.jane, crew.columns[1].id, title="Second")
    third = cards.create_card(crew.jane, crew.columns[2].id, title="Third")
    bug = labels.create_label(crew.access, "Bug", "#ff0000")
    labels.create_label(crew.access, "Api", "#00ff00")
    points = custom_fields.create_field(crew.access, "Points", "number")
    size = custom_fields.create_field(crew.access, "Size", "select", ["S", "M"])
    due = custom_fields.create_field(crew.access, "Review", "date")
    labels.assign_label(crew.jane, crew.card.id, bug.id)
    custom_fields.set_values(crew.jane, crew.card.id, {points.id: 3, size.id: "M", due.id: "2026-04-01"})
    comments.add_comment(crew.bob, crew.card.id, "First")
    comments.add_comment(crew.jane, second.id, "Second's note")
    relations.create_relation(crew.jane, crew.card.id, second.id, "blocks")
    relations.create_relation(crew.jane, third.id, crew.card.id, "child_of")
    relations.create_relation(crew.jane, second.id, third.id, "related_to")
    _, other_columns = board(crew.jane, "Other")
    elsewhere = cards.create_card(crew.jane, other_columns[0].id, title="Elsewhere")
    relations.create_relation(crew.jane, crew.card.id, elsewhere.id, "duplicates")
    db.session.commit()
    return crew


def test_export_then_import_is_lossless(rich):
    snapshot = project_transfer.export_project(rich.access)
    assert snapshot["labels"] == [{"name": "Api", "color": "#00ff00"}, {"name": "Bug", "color": "#ff0000"}]
    assert [f["name"] for f in snapshot["customFields"]] == ["Points", "Size", "Review"]
    first = snapshot["cards"][0]
    assert first["labels"] == ["Bug"]
    assert first["customFields"] == {"Points": 3, "Size": "M", "Review": "2026-04-01T00:00:00.000Z"}
    assert [(c["authorEmail"], c["content"]) for c in first["comments"]] == [("bob@acme.test", "First")]
    assert sorted((r["source"], r["target"], r["type"]) for r in snapshot["relations"]) == [
        (0, 1, "blocks"), (0, 2, "parent_of"), (1, 2, "related_to")]

    copy = project_transfer.import_project(workspace_access(rich.jane, "acme", "eng"), snapshot)
    db.session.commit()
    again = project_transfer.export_project(project_access(rich.jane, "acme", "eng", copy.id))
    assert {**again, "exportedAt": None} == {**snapshot, "exportedAt": None}
    copied = cards.list_cards(project_access(rich.jane, "acme", "eng", copy.id))
    shown = card_json(copied[0])
    assert (shown["commentCount"], len(shown["labels"]), len(shown["customFields"])) == (1, 1, 3)
    assert [(v.type, v.other.title) for v in relations.list_relations(rich.jane, copied[0].id)] == [
        ("blocks", "Second"), ("parent_of", "Third")]


def test_a_comment_author_outside_the_workspace_is_dropped_but_the_text_kept(rich):
    snapshot = project_transfer.export_project(rich.access)
    snapshot["cards"][0]["comments"][0]["authorEmail"] = "stranger@else.test"
    copy = project_transfer.import_project(workspace_access(rich.jane, "acme", "eng"), snapshot)
    first = cards.list_cards(project_access(rich.jane, "acme", "eng", copy.id))[0]
    [comment] = comments.list_comments(rich.jane, first.id)
    assert (comment.author_id, comment.content) == (None, "First")


BASE = {"project": {"name": "Imported"}, "columns": [{"name": "Only"}],
        "labels": [{"name": "Bug", "color": "#ff0000"}],
        "customFields": [{"name": "Size", "type": "select", "options": ["S"]}],
        "cards": [{"title": "A", "columnIndex": 0}, {"title": "B", "columnIndex": 0}]}


@pytest.mark.parametrize("change, field", [
    ({"labels": [{"name": "Bug", "color": "#ff0000"}, {"name": "bug", "color": "#00ff00"}]}, "labels[1].name"),
    ({"labels": [{"name": "Bug", "color": "red"}]}, "labels[0].color"),
    ({"customFields": [{"name": "Size", "type": "select"}]}, "customFields[0].options"),
    ({"customFields": [{"name": "Size", "type": "colour"}]}, "customFields[0].type"),
    ({"cards": [{"title": "A", "columnIndex": 0, "labels": ["Nope"]}]}, "cards[0].labels[0]"),
    ({"cards": [{"title": "A", "columnIndex": 0, "customFields": {"Size": "XL"}}]}, "cards[0].customFields.Size"),
    ({"cards": [{"title": "A", "columnIndex": 0, "customFields": {"Nope": 1}}]}, "cards[0].customFields.Nope"),
    ({"cards": [{"title": "A", "columnIndex": 0, "comments": [{"content": ""}]}]}, "cards[0].comments[0].content"),
    ({"cards": [{"title": "A", "columnIndex": 0, "comments": [{"content": "x", "mood": 1}]}]},
     "cards[0].comments[0].mood"),
    ({"relations": [{"source": 0, "target": 0, "type": "blocks"}]}, "relations[0]"),
    ({"relations": [{"source": 0, "target": 5, "type": "blocks"}]}, "relations[0].target"),
    ({"relations": [{"source": 0, "target": 1, "type": "blocks"}, {"source": 1, "target": 0, "type": "blocked_by"}]},
     "relations[1]"),
    ({"relations": [{"source": 0, "target": 1, "type": "parent_of"}, {"source": 0, "target": 1, "type": "child_of"}]},
     "relations[1]"),
    ({"relations": [{"source": 0, "target": 1, "type": "friends"}]}, "relations[0].type"),
])
def test_a_bad_part_creates_nothing(crew, change, field):
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Project))
    with pytest.raises(Invalid) as error:
        project_transfer.import_project(workspace_access(crew.jane, "acme", "eng"), {**BASE, **change})
    assert error.value.field == field
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Project)) == before
