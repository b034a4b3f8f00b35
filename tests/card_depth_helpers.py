"""A small team and board for the card-depth tests: comments, attachments, labels, custom
fields, relations, activity and notifications."""
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models.board import Card, Column
from app.models.card_depth import Activity, Notification
from app.models.identity import User
from app.services import cards, projects
from app.services.projects import ProjectAccess
from tests.board_helpers import board, join, team_workspace, user


@dataclass
class Crew:
    """`owner` (organization owner, so workspace admin, not a project member), `jane` (the
    project's creator and admin), `bob` (project member), `eve` (workspace member outside
    the project), `otto` (outside the organization); `access` is Jane's, `card` is in the
    first of `columns`."""

    owner: User
    jane: User
    bob: User
    eve: User
    otto: User
    access: ProjectAccess
    columns: list[Column]
    card: Card


@pytest.fixture()
def crew() -> Crew:
    owner = user("owner@acme.test")
    workspace = team_workspace(owner)
    jane, bob, eve = user("jane@acme.test"), user("bob@acme.test"), user("eve@acme.test")
    for person in (jane, bob, eve):
        join(person, workspace)
    otto = user("otto@else.test")
    access, columns = board(jane)
    projects.add_member(access, "bob@acme.test")
    card = cards.create_card(jane, columns[0].id, title="Fix login")
    db.session.commit()
    return Crew(owner, jane, bob, eve, otto, access, columns, card)


def activities(type_: str | None = None, card_id: str | None = None) -> list[Activity]:
    query = sa.select(Activity).order_by(Activity.created_at, Activity.id)
    if type_ is not None:
        query = query.where(Activity.type == type_)
    if card_id is not None:
        query = query.where(Activity.card_id == card_id)
    return list(db.session.scalars(query))


def told(activity_id: str) -> dict[str, str]:
    """user id → reason, for the notifications of one activity."""
    return dict(db.session.execute(sa.select(Notification.user_id, Notification.reason)
                                   .where(Notification.activity_id == activity_id)).all())
