"""Apply is exactly once and all or nothing, at the service level and under concurrency."""
import threading

import pytest
import sqlalchemy as sa

from app.errors import Conflict, Forbidden
from app.extensions import db
from app.models.identity import User, WorkspaceMember
from app.models.pilotage import Mission, Todo
from app.services import accounts, orgs, pilotage_actions, pilotage_items, workspaces
from app.services.access import org_access, workspace_access

PASSWORD = "correct-horse-battery"


@pytest.fixture()
def eng():
    """Workspace `eng` of `acme`: its creator (pilotage owner) and a pilotage viewer."""
    owner = accounts.register("owner@acme.test", PASSWORD)
    viewer = accounts.register("viewer@acme.test", PASSWORD)
    orgs.create_org(owner, "Acme", "acme")
    orgs.add_member(org_access(owner, "acme"), "viewer@acme.test", "member")
    ws = workspaces.create_workspace(org_access(owner, "acme"), "Engineering", "eng")
    db.session.add(WorkspaceMember(workspace_id=ws.id, user_id=viewer.id, role="member", pilotage_role="viewer"))
    db.session.commit()
    return workspace_access(owner, "acme", "eng"), workspace_access(viewer, "acme", "eng")


def approved_action(access, action_type, payload):
    action = pilotage_actions.propose_action(access, action_type, "test", payload)
    pilotage_actions.review_action(access, action.id, True)
    db.session.commit()
    return action.id


def todo_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Todo))


def in_other_session(app, work):
    """Run `work(access)` as the owner in its own app context (its own session), committed."""
    errors = []

    def run():
        with app.app_context():
            try:
                work(workspace_access(db.session.scalar(sa.select(User).where(User.email == "owner@acme.test")),
                                      "acme", "eng"))
                db.session.commit()
            except Exception as error:  # reported to the test thread below
                db.session.rollback()
                errors.append(error)
            finally:
                db.session.remove()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return errors


def test_apply_refuses_an_action_applied_meanwhile_by_another_session(app, eng):
    owner, _ = eng
    action_id = approved_action(owner, "create_todo", {"label": "Once"})
    seen = pilotage_actions.get_action(owner, action_id)
    assert seen.status == "approved"  # this session now holds a stale copy
    assert in_other_session(app, lambda access: pilotage_actions.apply_action(access, action_id)) == []
    with pytest.raises(Conflict):
        pilotage_actions.apply_action(owner, action_id)
    db.session.rollback()
    assert todo_count() == 1


def test_concurrent_applies_perform_the_action_once(app, eng):
    owner, _ = eng
    action_id = approved_action(owner, "create_todo", {"label": "Once"})
    db.session.remove()
    barrier = threading.Barrier(4)
    outcomes = []

    def contender():
        with app.app_context():
            access = workspace_access(db.session.scalar(sa.select(User).where(User.email == "owner@acme.test")),
                                      "acme", "eng")
            barrier.wait()
            try:
                pilotage_actions.apply_action(access, action_id)
                db.session.commit()
                outcomes.append("applied")
            except Conflict:
                db.session.rollback()
                outcomes.append("conflict")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=contender) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["applied", "conflict", "conflict", "conflict"]
    assert todo_count() == 1


def test_a_failure_midway_keeps_none_of_the_changes(eng):
    owner, _ = eng
    mission = pilotage_items.create_mission(owner, {"objective": "Original"})
    action_id = approved_action(owner, "update_mission", {"missionId": mission.id, "objective": "Changed",
                                                          "status": "nonsense"})
    with pytest.raises(pilotage_actions.ApplyFailed) as failure:
        pilotage_actions.apply_action(owner, action_id)
    assert failure.value.status == 400
    db.session.commit()  # what the API does to keep lastError
    db.session.expire_all()
    assert db.session.get(Mission, mission.id).objective == "Original"
    action = pilotage_actions.get_action(owner, action_id)
    assert (action.status, action.last_error) == ("approved", "status must be one of: to_launch, in_progress, "
                                                              "blocked, done")


def test_viewers_propose_but_neither_review_nor_apply(eng):
    owner, viewer = eng
    action = pilotage_actions.propose_action(viewer, "create_todo", "Mine", {"label": "X"})
    with pytest.raises(Forbidden):
        pilotage_actions.review_action(viewer, action.id, True)
    pilotage_actions.review_action(owner, action.id, True)
    with pytest.raises(Forbidden):
        pilotage_actions.apply_action(viewer, action.id)
    assert pilotage_actions.apply_action(owner, action.id).status == "applied"
