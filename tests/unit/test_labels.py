"""Labels: values, names unique per project, assignment, deletion everywhere, reach."""
import pytest
import sqlalchemy as sa

from app.errors import Conflict, Invalid, NotFound
from app.extensions import db
from app.models.card_depth import CardLabel
from app.presenters.board import card_json
from app.services import cards, labels
from tests.board_helpers import board
from tests.card_depth_helpers import activities, crew  # noqa: F401


def test_create_list_update(crew):
    bug = labels.create_label(crew.access, " Bug ", "#FF0000")
    labels.create_label(crew.access, "api", "#00ff00")
    assert (bug.name, bug.color) == ("Bug", "#ff0000")
    assert [lb.name for lb in labels.list_labels(crew.access)] == ["api", "Bug"]
    labels.update_label(crew.access, bug.id, {"name": "Defect", "color": "#0000aa"})
    assert (bug.name, bug.color) == ("Defect", "#0000aa")


@pytest.mark.parametrize("name, color, field", [
    ("", "#ffffff", "name"), ("x" * 51, "#ffffff", "name"), ("Ok", "red", "color"), ("Ok", "#fff", "color"),
    ("Ok", "#gggggg", "color"), ("Ok", None, "color"), (None, "#ffffff", "name"),
])
def test_bad_values(crew, name, color, field):
    with pytest.raises(Invalid) as error:
        labels.create_label(crew.access, name, color)
    assert error.value.field == field


def test_names_are_unique_per_project_whatever_the_case(crew):
    first = labels.create_label(crew.access, "Bug", "#ff0000")
    with pytest.raises(Conflict):
        labels.create_label(crew.access, "BUG", "#00ff00")
    second = labels.create_label(crew.access, "Feature", "#00ff00")
    with pytest.raises(Conflict):
        labels.update_label(crew.access, second.id, {"name": "bug"})
    labels.update_label(crew.access, first.id, {"name": "bug"})  # its own name, other case
    other, _ = board(crew.jane, "Other")
    labels.create_label(other, "Bug", "#ff0000")  # another project


def test_unknown_fields_are_refused(crew):
    label = labels.create_label(crew.access, "Bug", "#ff0000")
    with pytest.raises(Invalid):
        labels.update_label(crew.access, label.id, {"projectId": "x"})


def test_assign_is_idempotent_and_shows_on_the_card_and_records_once(crew):
    bug = labels.create_label(crew.access, "Bug", "#ff0000")
    api = labels.create_label(crew.access, "Api", "#00ff00")
    labels.assign_label(crew.bob, crew.card.id, bug.id)
    labels.assign_label(crew.bob, crew.card.id, bug.id)
    labels.assign_label(crew.bob, crew.card.id, api.id)
    db.session.commit()
    assert card_json(crew.card)["labels"] == [api.id, bug.id]
    updates = [a for a in activities("card_updated") if a.meta["fields"] == ["labels"]]
    assert [a.meta.get("added") for a in updates] == ["Bug", "Api"]
    labels.unassign_label(crew.bob, crew.card.id, bug.id)
    labels.unassign_label(crew.bob, crew.card.id, bug.id)
    assert card_json(crew.card)["labels"] == [api.id]
    assert len([a for a in activities("card_updated") if a.meta["fields"] == ["labels"]]) == 3


def test_deleting_a_label_takes_it_off_every_card(crew):
    bug = labels.create_label(crew.access, "Bug", "#ff0000")
    second = cards.create_card(crew.jane, crew.columns[1].id, title="Second")
    for card in (crew.card, second):
        labels.assign_label(crew.jane, card.id, bug.id)
    db.session.commit()
    labels.delete_label(crew.access, bug.id)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CardLabel)) == 0
    assert [c["labels"] for c in map(card_json, cards.list_cards(crew.access))] == [[], []]


def test_a_label_of_another_project_is_not_found(crew):
    other, _ = board(crew.jane, "Other")
    foreign = labels.create_label(other, "Bug", "#ff0000")
    with pytest.raises(NotFound):
        labels.assign_label(crew.jane, crew.card.id, foreign.id)
    with pytest.raises(NotFound):
        labels.update_label(crew.access, foreign.id, {"name": "Mine"})
    with pytest.raises(NotFound):
        labels.delete_label(crew.access, "not-an-id")


def test_people_outside_the_project_cannot_assign(crew):
    bug = labels.create_label(crew.access, "Bug", "#ff0000")
    for outsider in (crew.eve, crew.otto):
        with pytest.raises(NotFound):
            labels.assign_label(outsider, crew.card.id, bug.id)
