"""Relations: the five types and their inverses, no self, no duplicate from either side, no
cycle of blocks or parent_of, same workspace, and what each side sees."""
import pytest

from app.errors import Conflict, Invalid, NotFound
from app.extensions import db
from app.models.identity import Workspace, WorkspaceMember
from app.services import cards, projects, relations
from app.services.access import workspace_access
from app.services.columns import list_columns
from tests.board_helpers import board
from tests.card_depth_helpers import activities, crew  # noqa: F401


def make(crew, n):
    return [cards.create_card(crew.jane, crew.columns[0].id, title=f"Card {i}") for i in range(n)]


def seen(user, card):
    return [(v.other_card_id, v.type) for v in relations.list_relations(user, card.id)]


@pytest.mark.parametrize("type_, inverse", [
    ("blocks", "blocked_by"), ("blocked_by", "blocks"), ("parent_of", "child_of"), ("child_of", "parent_of"),
    ("related_to", "related_to"), ("duplicates", "duplicates"),
])
def test_each_side_sees_its_own_type(crew, type_, inverse):
    a, b = make(crew, 2)
    view = relations.create_relation(crew.jane, a.id, b.id, type_)
    assert (view.card_id, view.other_card_id, view.type) == (a.id, b.id, type_)
    assert view.other.key == f"WEB-{b.number}" and view.other.status == "todo"
    assert seen(crew.bob, a) == [(b.id, type_)]
    assert seen(crew.bob, b) == [(a.id, inverse)]


def test_no_self_relation_and_unknown_types(crew):
    with pytest.raises(Invalid) as error:
        relations.create_relation(crew.jane, crew.card.id, crew.card.id, "blocks")
    assert error.value.field == "targetCardId"
    with pytest.raises(Invalid) as error:
        relations.create_relation(crew.jane, crew.card.id, make(crew, 1)[0].id, "depends_on")
    assert error.value.field == "type"


@pytest.mark.parametrize("first, second, reverse", [
    ("blocks", "blocks", False), ("blocks", "blocked_by", True), ("related_to", "related_to", True),
    ("duplicates", "duplicates", True), ("parent_of", "child_of", True), ("related_to", "related_to", False),
])
def test_the_same_relation_twice_is_a_conflict(crew, first, second, reverse):
    a, b = make(crew, 2)
    relations.create_relation(crew.jane, a.id, b.id, first)
    source, target = (b, a) if reverse else (a, b)
    with pytest.raises(Conflict):
        relations.create_relation(crew.jane, source.id, target.id, second)


@pytest.mark.parametrize("type_", ["blocks", "parent_of"])
def test_cycles_are_refused(crew, type_):
    a, b, c = make(crew, 3)
    relations.create_relation(crew.jane, a.id, b.id, type_)
    relations.create_relation(crew.jane, b.id, c.id, type_)
    with pytest.raises(Conflict):
        relations.create_relation(crew.jane, c.id, a.id, type_)
    with pytest.raises(Conflict):
        relations.create_relation(crew.jane, b.id, a.id, type_)
    relations.create_relation(crew.jane, a.id, c.id, type_)  # a shortcut is no cycle


def test_inverse_types_count_in_cycles_and_other_types_do_not(crew):
    a, b = make(crew, 2)
    relations.create_relation(crew.jane, a.id, b.id, "blocked_by")  # b blocks a
    with pytest.raises(Conflict):
        relations.create_relation(crew.jane, a.id, b.id, "blocks")
    relations.create_relation(crew.jane, a.id, b.id, "parent_of")
    relations.create_relation(crew.jane, b.id, a.id, "related_to")
    with pytest.raises(Conflict):
        relations.create_relation(crew.jane, a.id, b.id, "child_of")


def test_cards_of_other_projects_in_the_workspace_can_be_related_and_show_only_if_reachable(crew):
    other_access, other_columns = board(crew.jane, "Other")
    elsewhere = cards.create_card(crew.jane, other_columns[0].id, title="Elsewhere")
    relations.create_relation(crew.jane, crew.card.id, elsewhere.id, "blocks")
    db.session.commit()
    [bob_view] = relations.list_relations(crew.bob, crew.card.id)  # Bob is not in "Other"
    assert bob_view.other is None and bob_view.other_card_id == elsewhere.id
    [jane_view] = relations.list_relations(crew.jane, crew.card.id)
    assert jane_view.other.key == "OTH-1"
    with pytest.raises(Invalid):  # Bob cannot reach the other card to relate it
        relations.create_relation(crew.bob, crew.card.id, elsewhere.id, "related_to")


def test_cards_of_another_workspace_cannot_be_related(crew):
    second = Workspace(organization_id=crew.access.project.workspace.organization_id, name="Ops", slug="ops",
                       owner_id=crew.owner.id)
    db.session.add(second)
    db.session.flush()
    db.session.add(WorkspaceMember(workspace_id=second.id, user_id=crew.jane.id, role="admin", pilotage_role="owner"))
    db.session.flush()
    project = projects.create_project(workspace_access(crew.jane, "acme", "ops"), "Ops board")
    column = projects.project_access(crew.jane, "acme", "ops", project.id)
    far = cards.create_card(crew.jane, list_columns(column)[0].id, title="Far")
    with pytest.raises(Invalid) as error:
        relations.create_relation(crew.jane, crew.card.id, far.id, "blocks")
    assert error.value.field == "targetCardId"


def test_delete_from_either_project_and_not_from_a_third(crew):
    other_access, other_columns = board(crew.jane, "Other")
    third, _ = board(crew.jane, "Third")
    elsewhere = cards.create_card(crew.jane, other_columns[0].id, title="Elsewhere")
    first = relations.create_relation(crew.jane, crew.card.id, elsewhere.id, "blocks")
    second = relations.create_relation(crew.jane, crew.card.id, elsewhere.id, "related_to")
    with pytest.raises(NotFound):
        relations.delete_relation(third, first.relation.id)
    relations.delete_relation(other_access, first.relation.id)
    relations.delete_relation(crew.access, second.relation.id)
    assert seen(crew.jane, crew.card) == []


def test_deleting_a_card_deletes_its_relations(crew):
    a, b = make(crew, 2)
    relations.create_relation(crew.jane, a.id, b.id, "blocks")
    cards.delete_card(crew.jane, b.id)
    assert seen(crew.jane, a) == []


def test_creating_and_deleting_record_card_updated(crew):
    a, b = make(crew, 2)
    view = relations.create_relation(crew.bob, a.id, b.id, "blocked_by")
    relations.delete_relation(crew.access, view.relation.id)
    db.session.commit()
    updates = [a_ for a_ in activities("card_updated") if a_.meta["fields"] == ["relations"]]
    assert [(u.card_id, u.meta.get("added"), u.meta.get("removed")) for u in updates] == [
        (a.id, "blocked_by", None), (b.id, None, "blocks")]
