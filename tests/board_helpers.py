"""Builders for board tests: people in a shared workspace, projects, and many cards fast."""
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.ids import new_id
from app.models.board import Card, ChecklistItem, Column
from app.models.identity import Organization, OrgMember, User, Workspace, WorkspaceMember
from app.services import accounts, projects
from app.services.access import WorkspaceAccess, workspace_access
from app.services.projects import ProjectAccess, lock_project
from app.timeutil import utcnow
from tests.conftest import PASSWORD

W = "/orgs/acme/workspaces/eng"


def user(email: str) -> User:
    return accounts.register(email, PASSWORD, email.split("@")[0].title())


def team_workspace(owner: User) -> Workspace:
    """Organization `acme` owned by `owner`, with workspace `eng` (owner is its admin)."""
    org = Organization(name="Acme", slug="acme", owner_id=owner.id)
    db.session.add(org)
    db.session.flush()
    db.session.add(OrgMember(organization_id=org.id, user_id=owner.id, role="owner"))
    workspace = Workspace(organization_id=org.id, name="Engineering", slug="eng", owner_id=owner.id)
    db.session.add(workspace)
    db.session.flush()
    db.session.add(WorkspaceMember(workspace_id=workspace.id, user_id=owner.id, role="admin",
                                   pilotage_role="owner"))
    db.session.flush()
    return workspace


def join(person: User, workspace: Workspace, role: str = "member") -> WorkspaceAccess:
    """Make `person` an organization member and a workspace member with `role`."""
    db.session.add(OrgMember(organization_id=workspace.organization_id, user_id=person.id, role="member"))
    db.session.add(WorkspaceMember(workspace_id=workspace.id, user_id=person.id, role=role,
                                   pilotage_role="viewer"))
    db.session.flush()
    return ws(person)


def ws(person: User) -> WorkspaceAccess:
    return workspace_access(person, "acme", "eng")


def board(person: User, name: str = "Website", **kwargs) -> tuple[ProjectAccess, list[Column]]:
    """A project created by `person` in acme/eng, with its columns."""
    project = projects.create_project(ws(person), name, **kwargs)
    access = projects.project_access(person, "acme", "eng", project.id)
    columns = list(db.session.scalars(sa.select(Column).where(Column.project_id == project.id)
                                      .order_by(Column.order)))
    return access, columns


def bulk_cards(project_id: str, column_id: str, count: int, checklist: int = 0) -> list[str]:
    """Append `count` cards (each with `checklist` items) to a column in a few statements;
    numbers are reserved under the project lock as the service does. Returns their ids."""
    first = lock_project(project_id, reserve_numbers=count)
    start = db.session.scalar(sa.select(sa.func.count()).select_from(Card).where(
        Card.column_id == column_id, Card.archived.is_(False)))
    now = utcnow()
    ids = [new_id() for _ in range(count)]
    db.session.execute(sa.insert(Card), [
        {"id": card_id, "project_id": project_id, "column_id": column_id, "number": first + i,
         "title": f"Card {first + i}", "order": start + i, "archived": False, "version": 1,
         "created_at": now, "updated_at": now}
        for i, card_id in enumerate(ids)])
    if checklist:
        db.session.execute(sa.insert(ChecklistItem), [
            {"id": new_id(), "card_id": card_id, "title": f"Step {n}", "done": n % 2 == 0, "order": n}
            for card_id in ids for n in range(checklist)])
    db.session.flush()
    return ids


def active_orders(column_id: str) -> list[int]:
    """Orders of the column's active cards, sorted."""
    return sorted(db.session.scalars(sa.select(Card.order).where(
        Card.column_id == column_id, Card.archived.is_(False))))


def titles(column_id: str) -> list[str]:
    """Titles of the column's active cards, in board order."""
    return list(db.session.scalars(sa.select(Card.title).where(
        Card.column_id == column_id, Card.archived.is_(False)).order_by(Card.order)))


@dataclass
class Team:
    """Over HTTP: `owner` (organization owner), `admin` (workspace admin), `member` and
    `other` (workspace members), `outsider` (not in the organization)."""

    owner: object
    admin: object
    member: object
    other: object
    outsider: object


@pytest.fixture()
def team(register) -> Team:
    owner = register("owner@acme.test", "Olive")
    assert owner.post("/organizations", json={"name": "Acme", "slug": "acme"}).status_code == 201
    assert owner.post("/orgs/acme/workspaces", json={"name": "Engineering", "slug": "eng"}).status_code == 201
    people = {}
    for name, role in (("admin", "admin"), ("member", "member"), ("other", "member")):
        api = register(f"{name}@acme.test", name.title())
        token = owner.post(W + "/members/invite", json={"email": f"{name}@acme.test", "role": role}).json["token"]
        assert api.post(f"/invitations/{token}/accept").status_code == 201
        people[name] = api
    return Team(owner=owner, outsider=register("outsider@else.test", "Otto"), **people)


def new_project(api, name: str = "Website", **body) -> dict:
    response = api.post(W + "/projects", json={"name": name, **body})
    assert response.status_code == 201, response.json
    return response.json


def project_path(project: dict) -> str:
    return f"{W}/projects/{project['id']}"


def column_ids(api, project: dict) -> list[str]:
    return [c["id"] for c in api.get(project_path(project) + "/columns").json]


def add_member(api, project: dict, email: str, role: str = "member") -> None:
    response = api.post(project_path(project) + "/members", json={"email": email, "role": role})
    assert response.status_code == 201, response.json
