"""Project export and import: the reference's example, lossless round trip, limits, all or nothing."""
import pytest
import sqlalchemy as sa

from app.errors import Invalid
from app.extensions import db
from app.models.board import Card, Project
from app.services import cards, columns, project_transfer, projects
from tests.board_helpers import board, join, team_workspace, user, ws

EXAMPLE = {
    "project": {"name": "Imported"},
    "columns": [{"name": "To Do"}, {"name": "In Progress"}, {"name": "Done"}],
    "cards": [{"title": "First task", "columnIndex": 0, "priority": "medium"}],
}


@pytest.fixture()
def world():
    owner = user("owner@acme.test")
    workspace = team_workspace(owner)
    member = user("member@acme.test")
    join(member, workspace)
    return owner, member


def access_of(person, project):
    return projects.project_access(person, "acme", "eng", project.id)


def test_the_reference_example_imports(world):
    owner, _ = world
    project = project_transfer.import_project(ws(owner), EXAMPLE)
    access = access_of(owner, project)
    assert (project.name, project.key) == ("Imported", "IMP")
    assert [(c.name, c.category) for c in columns.list_columns(access)] == [
        ("To Do", "todo"), ("In Progress", "in_progress"), ("Done", "done")]
    [card] = cards.list_cards(access)
    assert (card.title, card.priority, card.order, cards.card_key(card)) == ("First task", "medium", 0, "IMP-1")
    assert access.role == "admin"


def test_export_then_import_gives_the_same_board(world):
    owner, member = world
    access, cols = board(owner, "Q1 Launch", template_id="scrum-sprint")
    projects.update_project(access, {"description": "Launch plan"})
    projects.add_member(access, "member@acme.test")
    columns.update_column(access, cols[2].id, {"wipLimit": 3})
    first = cards.create_card(owner, cols[0].id, title="Plan", description="Scope", priority="high",
                              startDate="2026-03-01", dueDate="2026-04-01", assigneeId=member.id,
                              checklist=[{"title": "Draft", "done": True}, {"title": "Review"}])
    for title in ("Build", "Test", "Old"):
        cards.create_card(owner, cols[2].id, title=title)
    cards.archive_card(owner, cards.list_cards(access)[-1].id)
    cards.delete_card(owner, first.id)
    cards.create_card(owner, cols[4].id, title="Shipped", assigneeId=member.id)
    snapshot = project_transfer.export_project(access)
    assert [c["key"] for c in snapshot["cards"]] == ["QL-2", "QL-3", "QL-4", "QL-5"]

    copy = project_transfer.import_project(ws(owner), snapshot)
    again = project_transfer.export_project(access_of(owner, copy))
    snapshot.pop("exportedAt"), again.pop("exportedAt")
    assert again == snapshot
    assert cards.create_card(owner, columns.list_columns(access_of(owner, copy))[0].id, title="Next").number == 6


def test_people_outside_the_workspace_are_left_out(world):
    owner, _ = world
    stranger = user("stranger@else.test")
    data = {**EXAMPLE, "members": [{"email": "stranger@else.test", "role": "admin"}, {"email": "member@acme.test"}],
            "cards": [{"title": "a", "columnIndex": 0, "assigneeEmail": "stranger@else.test"},
                      {"title": "b", "columnIndex": 1, "assigneeEmail": "member@acme.test"},
                      {"title": "c", "columnIndex": 1, "assigneeId": stranger.id}]}
    access = access_of(owner, project_transfer.import_project(ws(owner), data))
    assert sorted(m.user.email for m in projects.list_members(access)) == ["member@acme.test", "owner@acme.test"]
    assert [c.assignee_id is not None for c in cards.list_cards(access)] == [False, True, False]


@pytest.mark.parametrize("data, field", [
    ([], None),
    ({"columns": [{"name": "A"}]}, "project"),
    ({"project": {"name": ""}}, "project.name"),
    ({"project": {"name": "X", "owner": "me"}}, "project.owner"),
    ({"project": {"name": "X"}, "columns": []}, "columns"),
    ({"project": {"name": "X"}, "columns": [{"name": f"c{i}"} for i in range(51)]}, "columns"),
    ({"project": {"name": "X"}, "cards": [{"title": "t", "columnIndex": 0}] * 501}, "cards"),
    ({"project": {"name": "X"}, "cards": [{"title": "t", "columnIndex": 3}]}, "cards[0].columnIndex"),
    ({"project": {"name": "X"}, "cards": [{"title": "t"}]}, "cards[0].columnIndex"),
    ({"project": {"name": "X"}, "cards": [{"title": "ok", "columnIndex": 0},
                                         {"title": "", "columnIndex": 0}]}, "cards[1].title"),
    ({"project": {"name": "X"}, "cards": [{"title": "t", "columnIndex": 0, "priority": "urgent"}]},
     "cards[0].priority"),
    ({"project": {"name": "X"}, "cards": [{"title": "t", "columnIndex": 0, "number": 2},
                                         {"title": "u", "columnIndex": 0, "number": 2}]}, "cards[1].number"),
    ({"project": {"name": "X"}, "cards": [{"title": "t", "columnIndex": 0, "number": 2 ** 40}]}, "cards[0].number"),
    ({"project": {"name": "X"}, "cards": [{"title": "t", "columnIndex": 0, "checklist": [{"title": ""}]}]},
     "cards[0].checklist[0].title"),
    ({"project": {"name": "X"}, "columns": [{"name": "A", "wipLimit": 0}]}, "columns[0].wipLimit"),
    ({"project": {"name": "X"}, "format": "trello"}, "format"),
])
def test_a_bad_document_is_refused_whole(world, data, field):
    owner, _ = world
    with pytest.raises(Invalid) as error:
        project_transfer.import_project(ws(owner), data)
    assert error.value.field == field
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Project)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Card)) == 0


def test_limits_are_inclusive(world):
    owner, _ = world
    data = {"project": {"name": "Big"}, "columns": [{"name": f"c{i}"} for i in range(50)],
            "cards": [{"title": f"t{i}", "columnIndex": i % 50} for i in range(500)]}
    access = access_of(owner, project_transfer.import_project(ws(owner), data))
    assert len(cards.list_cards(access)) == 500
    assert access.project.next_card_number == 501
