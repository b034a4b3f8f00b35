"""The state builder as a service (what the MCP tool will call): its cost does not grow with
the number of items, and roles are checked."""
import pytest
import sqlalchemy as sa

from app.errors import Forbidden, Invalid
from app.extensions import db
from app.services import accounts, orgs, pilotage, pilotage_actions, pilotage_items, workspaces
from app.services.access import org_access, workspace_access

PASSWORD = "correct-horse-battery"


@pytest.fixture()
def eng():
    owner = accounts.register("owner@acme.test", PASSWORD)
    orgs.create_org(owner, "Acme", "acme")
    workspaces.create_workspace(org_access(owner, "acme"), "Engineering", "eng")
    db.session.commit()
    return workspace_access(owner, "acme", "eng")


def fill(access, count: int) -> None:
    for n in range(count):
        mission = pilotage_items.create_mission(access, {"objective": f"M{n}", "status": "blocked"})
        pilotage_items.create_todo(access, {"label": f"T{n}", "missionId": mission.id,
                                            "assigneeId": access.user.id})
        pilotage_items.create_decision(access, {"title": f"D{n}", "missionIds": [mission.id]})
        pilotage_items.create_doc(access, {"title": f"Doc{n}"})
        pilotage_actions.propose_action(access, "create_todo", "why", {"label": f"A{n}"})
    db.session.commit()


def statements(work) -> int:
    count = 0

    def on_execute(*_args):
        nonlocal count
        count += 1

    sa.event.listen(db.engine, "before_cursor_execute", on_execute)
    try:
        work()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", on_execute)
    return count


@pytest.mark.parametrize("profile,intent", [("revue", "weekly_review"), ("pilotage", "daily_execution"),
                                            ("execution", "sprint_planning")])
def test_queries_do_not_grow_with_items(eng, profile, intent):
    def build():
        db.session.expire_all()
        return pilotage.build_state(eng, profile, intent, "detailed")

    fill(eng, 2)
    few = statements(build)
    fill(eng, 20)
    assert len(build()["missions"]) == 22
    assert statements(build) == few


def test_service_checks_values_and_role(eng):
    with pytest.raises(Invalid):
        pilotage.build_state(eng, "pilotage", "weekly", None)
    viewer = accounts.register("viewer@acme.test", PASSWORD)
    _, token = workspaces.invite(eng, "viewer@acme.test")
    workspaces.accept_invitation(viewer, token)
    db.session.commit()
    reader = workspace_access(viewer, "acme", "eng")
    assert pilotage.build_state(reader)["usageContext"] == {"profile": "pilotage", "role": "viewer", "intent": None}
    with pytest.raises(Forbidden):
        pilotage.rename_cycle(reader, "v2")
    with pytest.raises(Forbidden):
        pilotage.advance_cycle(reader)
