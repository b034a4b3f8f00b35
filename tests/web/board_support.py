"""Helpers for the board page tests: a team in acme/eng with a project, browser-like
clients signed up through the forms, and readers of the board's HTML."""
import re
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models.board import Card, Column, Scope
from app.models.identity import User
from app.services import projects, scopes
from tests.board_helpers import board, join, team_workspace
from tests.web.identity_support import HX, html, signup

__all__ = ["HX", "html", "World", "world", "column_cards", "column_ids", "card_titles", "new_scope", "user_named"]


def user_named(email: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


@dataclass
class World:
    """acme/eng: Ada owns it and created the project "Website" (To Do, In Progress, Done);
    Bob is a workspace and project member; Carl a workspace member outside the project;
    Eve an outsider. `url` is the board's address; `columns` its column ids in order."""

    ada: object
    bob: object
    carl: object
    eve: object
    project_id: str
    columns: list[str]

    @property
    def url(self) -> str:
        return f"/o/acme/w/eng/p/{self.project_id}"

    def column(self, index: int) -> str:
        return self.columns[index]


@pytest.fixture()
def world(app) -> World:
    clients = {name: signup(app, f"{name}@example.com", name.title() + " Example")
               for name in ("ada", "bob", "carl", "eve")}
    ada = user_named("ada@example.com")
    workspace = team_workspace(ada)
    join(user_named("bob@example.com"), workspace)
    join(user_named("carl@example.com"), workspace)
    access, columns = board(ada, "Website")
    projects.add_member(access, "bob@example.com")
    db.session.commit()
    return World(project_id=access.project.id, columns=[c.id for c in columns], **clients)


def new_scope(world: World, name: str = "Sprint 1", **fields) -> tuple[Scope, list[str]]:
    """A scope of the world's project made by Ada (wire-named `fields`), with its column ids."""
    access = projects.project_access(user_named("ada@example.com"), "acme", "eng", world.project_id)
    scope = scopes.create_scope(access, {"name": name, **fields})
    db.session.commit()
    return scope, list(db.session.scalars(sa.select(Column.id).where(Column.scope_id == scope.id)
                                          .order_by(Column.order)))


def column_sections(page: str) -> dict[str, str]:
    """The HTML of each column section on a page or fragment, by column id, in page order."""
    parts = re.split(r'(?=<section id="column-)', page)
    return {re.match(r'<section id="column-([0-9a-f]{24})"', p).group(1): p
            for p in parts if p.startswith('<section id="column-')}


def column_ids(page: str) -> list[str]:
    return list(column_sections(page))


def column_cards(page: str) -> dict[str, list[str]]:
    """Card ids shown in each column, in order."""
    return {cid: re.findall(r'<article id="card-[0-9a-f]{24}" class="card-tile[^"]*"\s+data-card-id="([0-9a-f]{24})"', part)
            for cid, part in column_sections(page).items()}


def card_titles(column_id: str) -> list[str]:
    """Titles of a column's active cards in board order, from the database."""
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Card.title).where(
        Card.column_id == column_id, Card.archived.is_(False)).order_by(Card.order)))


def column_names(project_id: str) -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Column.name).where(Column.project_id == project_id)
                                   .order_by(Column.order)))
