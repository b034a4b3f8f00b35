"""Applying each proposed action type over HTTP: a success changes the target for real
through the same services as the API; an invalid payload changes nothing and leaves the
action `approved` with `lastError`; a second apply is refused."""
import pytest

from tests.api.pilotage_world import P, build_world
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
    viewer = world.api["viewer"]
    return {kind: viewer.get(P + f"/{kind}").json for kind in ("missions", "todos", "decisions")}


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
