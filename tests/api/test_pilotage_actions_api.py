"""Applying each proposed action type over HTTP: a success changes the target for real
through the same services as the API; an invalid payload changes nothing and leaves the
action `approved` with `lastError`; a second apply is refused."""
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models.board import Card, ChecklistItem, Column, Project
from tests.api.pilotage_world import P, W, build_world
from tests.api.shapes import assert_error, detail_fields


@pytest.fixture()
def world(client):
    return build_world(client)


def approved(world, action_type: str, payload: dict) -> str:
    """An action proposed by the viewer and approved by the reviewer; returns its id."""
    proposed = world.api["viewer"].post(P + "/actions/propose", json={
        "actionType": action_type, "explanation": "Proposed in a test", "payload": payload})
    assert proposed.status_code == 201, proposed.json
    review = world.api["reviewer"].post(P + f"/actions/{proposed.json['id']}/review", json={"approved": True})
    assert review.status_code == 201, review.json
    return proposed.json["id"]


def apply(world, action_id):
    return world.api["reviewer"].post(P + f"/actions/{action_id}/apply")


def applied_once(world, action_id) -> dict:
    """Apply succeeds, a second apply is 409, and the action records the first."""
    response = apply(world, action_id)
    assert response.status_code == 201, response.json
    assert (response.json["status"], response.json["lastError"]) == ("applied", None)
    assert_error(apply(world, action_id), 409)
    assert world.api["viewer"].get(P + f"/actions/{action_id}").json == response.json
    return response.json["result"]


def failed(world, action_id, field: str | None, status: int = 400) -> str:
    """Apply fails with a clear reason; the action stays approved and records it."""
    response = apply(world, action_id)
    body = assert_error(response, status)
    assert body["message"].startswith("The action could not be applied: ")
    if field is not None:
        assert detail_fields(response) == [f"payload.{field}"]
    action = world.api["viewer"].get(P + f"/actions/{action_id}").json
    assert (action["status"], action["appliedBy"], action["appliedAt"], action["result"]) == (
        "approved", None, None, None)
    assert action["lastError"] == body["message"].removeprefix("The action could not be applied: ")
    return action["lastError"]


def snapshot(world) -> dict:
    """The cockpit's items and every board row (card numbers reserved included)."""
    viewer = world.api["viewer"]
    state = {kind: viewer.get(P + f"/{kind}").json for kind in ("missions", "todos", "decisions")}
    db.session.expire_all()
    for model in (Project, Column, Card, ChecklistItem):
        state[model.__tablename__] = sorted(map(tuple, db.session.execute(sa.select(*model.__table__.c)).all()),
                                            key=repr)
    return state


def board(world, project=None) -> dict[str, list[str]]:
    """`{column name: [card titles in order]}` of a project (the world's `Web` by default)."""
    db.session.expire_all()
    rows = db.session.execute(
        sa.select(Column.name, Card.title).join(Card, sa.and_(Card.column_id == Column.id, Card.archived.is_(False)),
                                                isouter=True)
        .where(Column.project_id == (project or world.project)).order_by(Column.order, Card.order)).all()
    layout: dict[str, list[str]] = {}
    for column, title in rows:
        layout.setdefault(column, [])
        if title is not None:
            layout[column].append(title)
    return layout


def card(world, card_id) -> dict:
    response = world.api["owner"].get(W + f"/projects/{world.project}/cards/{card_id}")
    assert response.status_code == 200, response.json
    return response.json


def column_id(world, name) -> str:
    db.session.expire_all()
    return db.session.scalar(sa.select(Column.id).where(Column.project_id == world.project, Column.name == name))


# create_todo --------------------------------------------------------------------------------

def test_create_todo(world):
    action = approved(world, "create_todo", {"label": "Write the runbook", "missionId": world.mission,
                                             "assigneeId": world.ids["pilot"]})
    result = applied_once(world, action)
    todo = next(t for t in world.api["viewer"].get(P + "/todos").json if t["id"] == result["todoId"])
    assert (todo["label"], todo["missionId"], todo["assigneeId"], todo["status"]) == (
        "Write the runbook", world.mission, world.ids["pilot"], "todo")


@pytest.mark.parametrize("payload,field", [
    ({}, "label"),
    ({"label": ""}, "label"),
    ({"label": "X", "due": "tomorrow"}, "due"),
    ({"label": "X", "missionId": "not-an-id"}, "missionId"),
    ({"label": "X", "status": "someday"}, "status"),
])
def test_create_todo_invalid_payloads_change_nothing(world, payload, field):
    before = snapshot(world)
    action = approved(world, "create_todo", payload)
    failed(world, action, field)
    assert snapshot(world) == before


def test_create_todo_refuses_references_out_of_reach(world):
    before = snapshot(world)
    for payload, field in (({"label": "X", "missionId": world.other_mission}, "missionId"),
                           ({"label": "X", "assigneeId": world.ids["outsider"]}, "assigneeId"),
                           ({"label": "X", "cardId": world.other_card}, "cardId")):
        assert "this workspace" in failed(world, approved(world, "create_todo", payload), field)
    assert snapshot(world) == before


# update_mission -----------------------------------------------------------------------------

def test_update_mission(world):
    action = approved(world, "update_mission", {"missionId": world.mission, "status": "blocked",
                                                "blockedReason": "Waiting on legal"})
    assert applied_once(world, action) == {"missionId": world.mission, "status": "blocked"}
    mission = world.api["viewer"].get(P + "/missions").json[0]
    assert (mission["status"], mission["blockedReason"]) == ("blocked", "Waiting on legal")


@pytest.mark.parametrize("payload,field", [
    ({"status": "done"}, "missionId"),
    ({"missionId": "0" * 24, "status": "done"}, "missionId"),
    ({"missionId": "{mission}"}, "missionId"),
    ({"missionId": "{other_mission}", "status": "done"}, "missionId"),
    ({"missionId": "{mission}", "objective": "Half-written", "status": "finished"}, "status"),
    ({"missionId": "{mission}", "blockedReason": "x" * 201, "status": "blocked"}, "blockedReason"),
    ({"missionId": "{mission}", "owner": "me"}, "owner"),
])
def test_update_mission_invalid_payloads_change_nothing(world, payload, field):
    payload = {k: v.format(**vars(world)) if isinstance(v, str) else v for k, v in payload.items()}
    before = snapshot(world)
    failed(world, approved(world, "update_mission", payload), field)
    assert snapshot(world) == before


# create_decision ----------------------------------------------------------------------------

def test_create_decision(world):
    action = approved(world, "create_decision", {"title": "Freeze the API", "impact": "No breaking change",
                                                 "date": "2026-03-01", "missionIds": [world.mission]})
    result = applied_once(world, action)
    decision = next(d for d in world.api["viewer"].get(P + "/decisions").json if d["id"] == result["decisionId"])
    assert (decision["title"], decision["impact"], decision["date"], decision["missionIds"]) == (
        "Freeze the API", "No breaking change", "2026-03-01T00:00:00.000Z", [world.mission])


@pytest.mark.parametrize("payload,field", [
    ({"impact": "Big"}, "title"),
    ({"title": "X", "date": "next week"}, "date"),
    ({"title": "X", "missionIds": "{other_mission}"}, "missionIds"),
    ({"title": "X", "missionIds": ["{other_mission}"]}, "missionIds"),
])
def test_create_decision_invalid_payloads_change_nothing(world, payload, field):
    payload = {k: ([i.format(**vars(world)) for i in v] if isinstance(v, list) else v.format(**vars(world)))
               for k, v in payload.items()}
    before = snapshot(world)
    failed(world, approved(world, "create_decision", payload), field)
    assert snapshot(world) == before


# Lifecycle around apply ---------------------------------------------------------------------

def test_a_failed_apply_can_be_tried_again_and_still_changes_nothing(world):
    action = approved(world, "create_todo", {"label": "X", "priorityId": world.mission})
    first = failed(world, action, "priorityId")
    assert failed(world, action, "priorityId") == first


def test_a_failed_apply_succeeds_once_its_cause_is_gone_and_clears_the_error(world):
    action = approved(world, "create_todo", {"label": "Onboard", "assigneeId": world.ids["outsider"]})
    failed(world, action, "assigneeId")
    owner = world.api["owner"]
    token = owner.post("/orgs/acme/workspaces/eng/members/invite", json={"email": "outsider@example.com"}).json["token"]
    assert world.api["outsider"].post(f"/invitations/{token}/accept").status_code == 201
    result = applied_once(world, action)
    assert next(t for t in owner.get(P + "/todos").json if t["id"] == result["todoId"])["assigneeId"] == (
        world.ids["outsider"])


def test_rejected_and_suggested_actions_cannot_be_applied(world):
    reviewer = world.api["reviewer"]
    reviewer.post(P + f"/actions/{world.suggested}/review", json={"approved": False, "reason": "Nope"})
    assert "rejected" in assert_error(apply(world, world.suggested), 409)["message"]
    fresh = world.api["viewer"].post(P + "/actions/propose", json={
        "actionType": "create_todo", "explanation": "x", "payload": {"label": "Never"}}).json
    assert "suggested" in assert_error(apply(world, fresh["id"]), 409)["message"]
    assert [t["label"] for t in reviewer.get(P + "/todos").json] == ["Stripe tests"]


# move_card ----------------------------------------------------------------------------------

def test_move_card_by_column_name_case_insensitive(world):
    result = applied_once(world, approved(world, "move_card", {"cardId": world.card, "targetColumn": "done"}))
    assert result == {"cardId": world.card, "columnId": column_id(world, "Done"), "order": 0}
    assert board(world) == {"To Do": [], "In Progress": [], "Done": ["Web card"]}
    assert card(world, world.card)["status"] == "done"


def test_move_card_by_column_id_and_order(world):
    owner = world.api["owner"]
    progress = column_id(world, "In Progress")
    for title in ("First", "Second"):
        owner.post(W + f"/projects/{world.project}/columns/{progress}/cards", json={"title": title})
    action = approved(world, "move_card", {"cardId": world.card, "targetColumn": progress, "order": 1})
    assert applied_once(world, action)["order"] == 1
    assert board(world) == {"To Do": [], "In Progress": ["First", "Web card", "Second"], "Done": []}


@pytest.mark.parametrize("payload,field", [
    ({"targetColumn": "Done"}, "cardId"),
    ({"cardId": "{card}"}, "targetColumn"),
    ({"cardId": "{card}", "targetColumn": "Shipped"}, "targetColumn"),
    ({"cardId": "{card}", "targetColumn": "Done", "order": -1}, "order"),
    ({"cardId": "{card}", "targetColumn": "Done", "position": 0}, "position"),
    ({"cardId": "{other_card}", "targetColumn": "Done"}, "cardId"),
    ({"cardId": "{secret_card}", "targetColumn": "Done"}, "cardId"),
    ({"cardId": "{mission}", "targetColumn": "Done"}, "cardId"),
])
def test_move_card_invalid_payloads_change_nothing(world, payload, field):
    payload = {k: v.format(**vars(world)) if isinstance(v, str) else v for k, v in payload.items()}
    before = snapshot(world)
    failed(world, approved(world, "move_card", payload), field)
    assert snapshot(world) == before


def test_move_card_refuses_a_column_of_another_project(world):
    db.session.expire_all()
    secret_column = db.session.scalar(sa.select(Column.id).where(Column.project_id == world.secret))
    before = snapshot(world)
    reason = failed(world, approved(world, "move_card", {"cardId": world.card, "targetColumn": secret_column}),
                    "targetColumn")
    assert "To Do, In Progress, Done" in reason
    assert snapshot(world) == before


def test_move_card_into_a_full_column_is_a_conflict(world):
    owner = world.api["owner"]
    done = column_id(world, "Done")
    owner.post(W + f"/projects/{world.project}/columns/{done}/cards", json={"title": "Already done"})
    owner.patch(W + f"/projects/{world.project}/columns/{done}", json={"wipLimit": 1})
    before = snapshot(world)
    failed(world, approved(world, "move_card", {"cardId": world.card, "targetColumn": "Done"}), None, 409)
    assert snapshot(world) == before


# create_card --------------------------------------------------------------------------------

def test_create_card_in_a_named_column(world):
    action = approved(world, "create_card", {
        "projectId": world.project, "column": "in progress", "title": "Checkout page",
        "priority": "high", "dueDate": "2026-04-01", "assigneeId": world.ids["pilot"],
        "checklist": [{"title": "Design"}, {"title": "Build"}]})
    result = applied_once(world, action)
    assert result == {"cardId": result["cardId"], "projectId": world.project, "columnId": column_id(world, "In Progress")}
    created = card(world, result["cardId"])
    assert (created["title"], created["priority"], created["dueDate"], created["assigneeId"]) == (
        "Checkout page", "high", "2026-04-01T00:00:00.000Z", world.ids["pilot"])
    assert [i["title"] for i in created["checklist"]] == ["Design", "Build"]
    assert created["key"] == "WEB-2"


def test_create_card_defaults_to_the_first_column(world):
    result = applied_once(world, approved(world, "create_card", {"projectId": world.project, "title": "Later"}))
    assert result["columnId"] == world.column
    assert board(world)["To Do"] == ["Web card", "Later"]


@pytest.mark.parametrize("payload,field", [
    ({"title": "X"}, "projectId"),
    ({"projectId": "{project}"}, "title"),
    ({"projectId": "{project}", "title": ""}, "title"),
    ({"projectId": "{project}", "title": "X", "column": "Backlog"}, "column"),
    ({"projectId": "{project}", "title": "X", "priority": "urgent"}, "priority"),
    ({"projectId": "{project}", "title": "X", "assigneeId": "{viewer_id}"}, "assigneeId"),
    ({"projectId": "{project}", "title": "X", "startDate": "2026-05-01", "dueDate": "2026-04-01"}, "dueDate"),
    ({"projectId": "{project}", "title": "X", "columnId": "{column}"}, "columnId"),
    ({"projectId": "{other_project}", "title": "X"}, "projectId"),
    ({"projectId": "{secret}", "title": "X"}, "projectId"),
])
def test_create_card_invalid_payloads_change_nothing(world, payload, field):
    values = {**vars(world), "viewer_id": world.ids["viewer"]}
    payload = {k: v.format(**values) if isinstance(v, str) else v for k, v in payload.items()}
    before = snapshot(world)
    failed(world, approved(world, "create_card", payload), field)
    assert snapshot(world) == before


def test_create_card_in_a_full_column_is_a_conflict_and_reserves_no_number(world):
    world.api["owner"].patch(W + f"/projects/{world.project}/columns/{world.column}", json={"wipLimit": 1})
    before = snapshot(world)
    failed(world, approved(world, "create_card", {"projectId": world.project, "title": "X"}), None, 409)
    assert snapshot(world) == before


# update_card --------------------------------------------------------------------------------

def test_update_card(world):
    action = approved(world, "update_card", {"cardId": world.card, "title": "Login v2", "priority": "low",
                                             "description": "Use the new form"})
    assert applied_once(world, action) == {"cardId": world.card, "changed": ["description", "priority", "title"]}
    changed = card(world, world.card)
    assert (changed["title"], changed["priority"], changed["description"], changed["version"]) == (
        "Login v2", "low", "Use the new form", 2)


@pytest.mark.parametrize("payload,field", [
    ({"title": "X"}, "cardId"),
    ({"cardId": "{card}"}, "cardId"),
    ({"cardId": "{card}", "title": "Half", "priority": "urgent"}, "priority"),
    ({"cardId": "{card}", "columnId": "{column}"}, "columnId"),
    ({"cardId": "{card}", "archived": True}, "archived"),
    ({"cardId": "{secret_card}", "title": "Mine now"}, "cardId"),
    ({"cardId": "{other_card}", "title": "Mine now"}, "cardId"),
])
def test_update_card_invalid_payloads_change_nothing(world, payload, field):
    payload = {k: v.format(**vars(world)) if isinstance(v, str) else v for k, v in payload.items()}
    before = snapshot(world)
    failed(world, approved(world, "update_card", payload), field)
    assert snapshot(world) == before


# archive_card -------------------------------------------------------------------------------

def test_archive_card(world):
    world.api["owner"].post(W + f"/projects/{world.project}/columns/{world.column}/cards", json={"title": "Next"})
    assert applied_once(world, approved(world, "archive_card", {"cardId": world.card})) == {
        "cardId": world.card, "archived": True}
    assert card(world, world.card)["archived"] is True
    assert board(world)["To Do"] == ["Next"]
    assert card(world, next(c["id"] for c in world.api["owner"].get(
        W + f"/projects/{world.project}/cards").json))["order"] == 0


@pytest.mark.parametrize("payload,field", [
    ({}, "cardId"),
    ({"cardId": "{card}", "reason": "old"}, "reason"),
    ({"cardId": "{secret_card}"}, "cardId"),
    ({"cardId": "{other_card}"}, "cardId"),
])
def test_archive_card_invalid_payloads_change_nothing(world, payload, field):
    payload = {k: v.format(**vars(world)) for k, v in payload.items()}
    before = snapshot(world)
    failed(world, approved(world, "archive_card", payload), field)
    assert snapshot(world) == before


# assign_card --------------------------------------------------------------------------------

def test_assign_and_unassign_card(world):
    assign = approved(world, "assign_card", {"cardId": world.card, "assigneeId": world.ids["pilot"]})
    assert applied_once(world, assign) == {"cardId": world.card, "assigneeId": world.ids["pilot"]}
    assert card(world, world.card)["assigneeId"] == world.ids["pilot"]
    unassign = approved(world, "assign_card", {"cardId": world.card, "assigneeId": None})
    assert applied_once(world, unassign) == {"cardId": world.card, "assigneeId": None}
    assert card(world, world.card)["assigneeId"] is None


@pytest.mark.parametrize("payload,field", [
    ({"cardId": "{card}"}, "assigneeId"),
    ({"assigneeId": "{pilot}"}, "cardId"),
    ({"cardId": "{card}", "assigneeId": "{viewer}"}, "assigneeId"),
    ({"cardId": "{card}", "assigneeId": "{stranger}"}, "assigneeId"),
    ({"cardId": "{secret_card}", "assigneeId": "{owner}"}, "cardId"),
])
def test_assign_card_invalid_payloads_change_nothing(world, payload, field):
    values = {**vars(world), **world.ids}
    payload = {k: v.format(**values) for k, v in payload.items()}
    before = snapshot(world)
    failed(world, approved(world, "assign_card", payload), field)
    assert snapshot(world) == before


def test_card_actions_act_with_the_appliers_reach(world):
    """An org admin reaches every project, so the same action a reviewer cannot apply works for them."""
    action = approved(world, "archive_card", {"cardId": world.secret_card})
    failed(world, action, "cardId")
    applied = world.api["org_admin"].post(P + f"/actions/{action}/apply")
    assert applied.status_code == 201
    assert applied.json["appliedBy"] == world.ids["org_admin"]
