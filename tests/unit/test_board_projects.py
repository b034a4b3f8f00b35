"""Projects service: keys, creation (defaults and templates), reach, roles, members."""
import pytest
import sqlalchemy as sa

from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.extensions import db
from app.models.board import Card
from app.models.identity import Organization, Workspace
from app.services import cards, project_templates, projects
from tests.board_helpers import board, join, team_workspace, user, ws


@pytest.fixture()
def people():
    owner = user("owner@acme.test")
    workspace = team_workspace(owner)
    admin, member, other = user("admin@acme.test"), user("member@acme.test"), user("other@acme.test")
    join(admin, workspace, "admin")
    join(member, workspace)
    join(other, workspace)
    return {"owner": owner, "admin": admin, "member": member, "other": other,
            "outsider": user("outsider@else.test"), "workspace": workspace}


@pytest.mark.parametrize("name, key", [
    ("Q1 Launch", "QL"), ("Mobile App Redesign", "MAR"), ("Website", "WEB"), ("été 2026", "ETE"),
    ("a b c d e f g", "ABCDE"), ("2026", "PRJ"), ("X", "X"), ("billing-api v2", "BAV"),
])
def test_key_is_derived_from_the_name(name, key):
    assert projects.derive_key(name) == key


def test_create_gives_three_default_columns_and_makes_the_creator_admin(people):
    access, columns = board(people["member"], "Q1 Launch")
    assert [(c.name, c.category, c.order) for c in columns] == [
        ("To Do", "todo", 0), ("In Progress", "in_progress", 1), ("Done", "done", 2)]
    assert access.project.key == "QL"
    assert access.role == "admin" and access.can_admin
    assert [m.user_id for m in projects.list_members(access)] == [people["member"].id]


def test_create_from_each_template_copies_its_columns(people):
    for template in project_templates.list_templates():
        _, columns = board(people["member"], template["name"], template_id=template["id"])
        assert [(c.name, c.category, c.wip_limit) for c in columns] == [
            (c["name"], c["category"], c.get("wipLimit")) for c in template["columns"]]


def test_templates_cover_the_four_built_ins_with_labels():
    templates = {t["id"]: t for t in project_templates.list_templates()}
    assert {"basic-kanban", "scrum-sprint", "bug-tracking", "product-launch"} <= set(templates)
    for template in templates.values():
        assert {c["category"] for c in template["columns"]} == {"todo", "in_progress", "done"}
        assert template["labels"] and all(label["color"].startswith("#") for label in template["labels"])


@pytest.mark.parametrize("kwargs, field", [
    ({"name": ""}, "name"), ({"name": "x" * 201}, "name"), ({"name": "Ok", "key": "ab1"}, "key"),
    ({"name": "Ok", "template_id": "nope"}, "templateId"), ({"name": "Ok", "description": "x" * 5001}, "description"),
])
def test_create_refuses_bad_values(people, kwargs, field):
    with pytest.raises(Invalid) as error:
        projects.create_project(ws(people["member"]), **kwargs)
    assert error.value.field == field


def test_reach_follows_membership(people):
    access, _ = board(people["member"])
    project_id = access.project.id
    for name in ("owner", "admin", "member"):
        assert projects.project_access(people[name], "acme", "eng", project_id).project.id == project_id
    for name in ("other", "outsider"):
        with pytest.raises(NotFound):
            projects.project_access(people[name], "acme", "eng", project_id)
        with pytest.raises(NotFound):
            projects.project_access_by_id(people[name], project_id)
    with pytest.raises(NotFound):
        projects.project_access(people["owner"], "acme", "eng", "0" * 24)


def test_a_project_is_not_reachable_under_another_workspace(people):
    access, _ = board(people["owner"])
    personal = db.session.scalar(sa.select(Workspace).where(
        Workspace.owner_id == people["owner"].id, Workspace.is_personal.is_(True)))
    org_slug = db.session.get(Organization, personal.organization_id).slug
    with pytest.raises(NotFound):
        projects.project_access(people["owner"], org_slug, personal.slug, access.project.id)


def test_list_shows_admins_everything_and_members_their_projects(people):
    mine, _ = board(people["member"], "Mine")
    theirs, _ = board(people["other"], "Theirs")
    assert [(p.name, r) for p, r in projects.list_projects(ws(people["member"]))] == [("Mine", "admin")]
    assert [(p.name, r) for p, r in projects.list_projects(ws(people["admin"]))] == [
        ("Mine", "admin"), ("Theirs", "admin")]
    projects.add_member(mine, "other@acme.test")
    assert [(p.name, r) for p, r in projects.list_projects(ws(people["other"]))] == [
        ("Mine", "member"), ("Theirs", "admin")]


def test_update_needs_a_project_or_workspace_admin(people):
    access, _ = board(people["member"])
    projects.add_member(access, "other@acme.test")
    as_other = projects.project_access(people["other"], "acme", "eng", access.project.id)
    with pytest.raises(Forbidden):
        projects.update_project(as_other, {"name": "Nope"})
    as_admin = projects.project_access(people["admin"], "acme", "eng", access.project.id)
    project = projects.update_project(as_admin, {"name": "Renamed", "description": "Why", "key": "ren"})
    assert (project.name, project.description, project.key) == ("Renamed", "Why", "REN")
    assert projects.update_project(access, {"description": None}).description is None
    with pytest.raises(Invalid):
        projects.update_project(access, {"color": "red"})


def test_only_workspace_admins_delete(people):
    access, columns = board(people["member"])
    cards.create_card(people["member"], columns[0].id, title="Keep?")
    with pytest.raises(Forbidden):
        projects.delete_project(access)
    projects.delete_project(projects.project_access(people["admin"], "acme", "eng", access.project.id))
    with pytest.raises(NotFound):
        projects.project_access_by_id(people["owner"], access.project.id)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Card)) == 0


def test_members_are_added_by_email_among_workspace_members(people):
    access, _ = board(people["member"])
    member = projects.add_member(access, "OTHER@acme.test", "admin")
    assert (member.user_id, member.role) == (people["other"].id, "admin")
    with pytest.raises(Conflict):
        projects.add_member(access, "other@acme.test")
    with pytest.raises(Invalid) as error:
        projects.add_member(access, "outsider@else.test")
    assert error.value.field == "email"
    with pytest.raises(Invalid):
        projects.add_member(access, "nobody@acme.test")
    with pytest.raises(Invalid):
        projects.add_member(access, "admin@acme.test", "owner")


def test_plain_members_cannot_manage_members_but_may_leave(people):
    access, columns = board(people["member"])
    projects.add_member(access, "other@acme.test")
    as_other = projects.project_access(people["other"], "acme", "eng", access.project.id)
    with pytest.raises(Forbidden):
        projects.add_member(as_other, "admin@acme.test")
    with pytest.raises(Forbidden):
        projects.remove_member(as_other, people["member"].id)
    card = cards.create_card(people["member"], columns[0].id, title="Theirs", assigneeId=people["other"].id)
    projects.remove_member(as_other, people["other"].id)
    assert card.assignee_id is None and card.version == 2
    with pytest.raises(NotFound):
        projects.remove_member(access, people["other"].id)
