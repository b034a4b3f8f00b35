"""`W/pilotage/*` over HTTP: cycle, missions, priorities, todos, decisions, docs, and the
proposed actions' lifecycle (the apply of each action type is in test_pilotage_actions_api)."""
import re

import pytest

from app.ids import is_id
from tests.api.pilotage_world import P, build_world
from tests.api.shapes import assert_error, detail_fields

ISO_RE = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"


@pytest.fixture()
def world(client):
    return build_world(client)


@pytest.fixture()
def owner(world):
    return world.api["owner"]


# Cycle --------------------------------------------------------------------------------------

def test_cycle_starts_as_v1_and_owner_renames_or_advances_it(world, owner):
    first = owner.get(P + "/cycle")
    assert first.status_code == 200 and first.json["cycle"] == "v1"
    assert re.match(ISO_RE, first.json["startedAt"])
    renamed = owner.patch(P + "/cycle", json={"cycle": "v8"})
    assert renamed.json == {"cycle": "v8", "startedAt": first.json["startedAt"]}
    advanced = owner.post(P + "/cycle/advance")
    assert advanced.status_code == 201 and advanced.json["cycle"] == "v9"
    assert advanced.json["startedAt"] > first.json["startedAt"]
    assert owner.post(P + "/cycle/advance", json={"cycle": "Sprint 12"}).json["cycle"] == "Sprint 12"
    assert owner.post(P + "/cycle/advance").json["cycle"] == "Sprint 13"
    assert owner.get(P + "/state").json["cycle"] == "Sprint 13"


def test_cycle_errors(owner):
    assert_error(owner.patch(P + "/cycle", json={}), 400)
    assert_error(owner.patch(P + "/cycle", json={"cycle": " "}), 400)
    assert_error(owner.patch(P + "/cycle", json={"cycle": "x" * 51}), 400)
    assert_error(owner.post(P + "/cycle/advance", json={"cycle": 9}), 400)
    assert_error(owner.post(P + "/cycle/advance", json={"label": "v2"}), 400)


def test_advance_without_a_number_appends_two(owner):
    owner.patch(P + "/cycle", json={"cycle": "Alpha"})
    assert owner.post(P + "/cycle/advance").json["cycle"] == "Alpha 2"
    owner.patch(P + "/cycle", json={"cycle": "2026-Q1"})
    assert owner.post(P + "/cycle/advance").json["cycle"] == "2026-Q2"


# Missions -----------------------------------------------------------------------------------

def test_mission_lifecycle(world, owner):
    created = owner.post(P + "/missions", json={"objective": "Implement billing module", "module": "billing"})
    assert created.status_code == 201
    body = created.json
    assert set(body) == {"id", "objective", "module", "status", "blockedReason", "completedAt",
                         "createdAt", "updatedAt"}
    assert is_id(body["id"])
    assert (body["objective"], body["module"], body["status"], body["blockedReason"]) == (
        "Implement billing module", "billing", "to_launch", None)
    mid = body["id"]
    blocked = owner.patch(P + f"/missions/{mid}", json={"status": "blocked", "blockedReason": "Waiting on API"})
    assert (blocked.json["status"], blocked.json["blockedReason"]) == ("blocked", "Waiting on API")
    cleared = owner.patch(P + f"/missions/{mid}", json={"blockedReason": None})
    assert (cleared.json["status"], cleared.json["blockedReason"]) == ("blocked", None)
    owner.patch(P + f"/missions/{mid}", json={"blockedReason": "Again"})
    moving = owner.patch(P + f"/missions/{mid}", json={"status": "in_progress"})
    assert moving.json["blockedReason"] is None
    done = owner.patch(P + f"/missions/{mid}", json={"status": "done"})
    assert re.match(ISO_RE, done.json["completedAt"])
    assert owner.patch(P + f"/missions/{mid}", json={"status": "in_progress"}).json["completedAt"] is None
    listed = owner.get(P + "/missions").json
    assert [m["id"] for m in listed] == [world.mission, mid]
    assert owner.delete(P + f"/missions/{mid}").json == {"ok": True}
    assert [m["id"] for m in owner.get(P + "/missions").json] == [world.mission]


def test_mission_validation(world, owner):
    mid = world.mission
    assert detail_fields(owner.post(P + "/missions", json={})) == ["objective"]
    assert detail_fields(owner.post(P + "/missions", json={"objective": ""})) == ["objective"]
    assert detail_fields(owner.post(P + "/missions", json={"objective": "x" * 501})) == ["objective"]
    assert detail_fields(owner.post(P + "/missions", json={"objective": "x", "owner": "me"})) == ["owner"]
    assert detail_fields(owner.patch(P + f"/missions/{mid}", json={"status": "paused"})) == ["status"]
    too_long = owner.patch(P + f"/missions/{mid}", json={"status": "blocked", "blockedReason": "x" * 201})
    assert detail_fields(too_long) == ["blockedReason"]
    not_blocked = owner.patch(P + f"/missions/{mid}", json={"blockedReason": "Why"})
    assert detail_fields(not_blocked) == ["blockedReason"]
    assert owner.get(P + "/missions").json[0]["status"] == "to_launch"


def test_items_of_another_workspace_are_not_found(world, owner):
    for path in (f"/missions/{world.other_mission}", "/missions/not-an-id", "/todos/" + world.mission,
                 "/priorities/" + world.todo, "/decisions/" + world.doc, "/docs/" + world.decision):
        assert_error(owner.patch(P + path, json={}), 404)
        assert_error(owner.delete(P + path), 404)
    stranger_path = f"/orgs/beta/workspaces/other/pilotage/missions/{world.mission}"
    assert_error(world.api["stranger"].delete(stranger_path), 404)


# Priorities ---------------------------------------------------------------------------------

def ranks(owner) -> list[tuple[str, bool, int | None]]:
    return [(p["label"], p["active"], p["rank"]) for p in owner.get(P + "/priorities").json]


def test_priority_shape_and_default_rank(world, owner):
    created = owner.post(P + "/priorities", json={"label": "Ship billing MVP", "module": "billing"})
    assert created.status_code == 201
    assert set(created.json) == {"id", "label", "module", "active", "rank", "createdAt", "updatedAt"}
    assert (created.json["label"], created.json["module"], created.json["active"], created.json["rank"]) == (
        "Ship billing MVP", "billing", True, 2)


def test_at_most_four_active_priorities(world, owner):
    for label in ("B", "C", "D"):
        assert owner.post(P + "/priorities", json={"label": label}).status_code == 201
    assert_error(owner.post(P + "/priorities", json={"label": "E"}), 409)
    parked = owner.post(P + "/priorities", json={"label": "E", "active": False})
    assert parked.status_code == 201 and parked.json["rank"] is None
    assert_error(owner.patch(P + f"/priorities/{parked.json['id']}", json={"active": True}), 409)
    owner.patch(P + f"/priorities/{world.priority}", json={"active": False})
    assert ranks(owner) == [("B", True, 1), ("C", True, 2), ("D", True, 3),
                            ("Billing MVP", False, None), ("E", False, None)]
    back = owner.patch(P + f"/priorities/{parked.json['id']}", json={"active": True, "rank": 1})
    assert back.json["rank"] == 1
    assert ranks(owner)[:4] == [("E", True, 1), ("B", True, 2), ("C", True, 3), ("D", True, 4)]


def test_priority_rank_moves_shift_the_others(world, owner):
    ids = {"A": world.priority}
    owner.patch(P + f"/priorities/{world.priority}", json={"label": "A"})
    for label in ("B", "C"):
        ids[label] = owner.post(P + "/priorities", json={"label": label}).json["id"]
    first = owner.post(P + "/priorities", json={"label": "D", "rank": 1})
    assert first.json["rank"] == 1
    assert [r[0] for r in ranks(owner)] == ["D", "A", "B", "C"]
    owner.patch(P + f"/priorities/{first.json['id']}", json={"rank": 4})
    assert ranks(owner) == [("A", True, 1), ("B", True, 2), ("C", True, 3), ("D", True, 4)]
    owner.patch(P + f"/priorities/{ids['C']}", json={"rank": 2})
    assert [r[0] for r in ranks(owner)] == ["A", "C", "B", "D"]
    owner.delete(P + f"/priorities/{ids['A']}")
    assert ranks(owner) == [("C", True, 1), ("B", True, 2), ("D", True, 3)]


def test_priority_validation(world, owner):
    pid = world.priority
    assert detail_fields(owner.post(P + "/priorities", json={"label": "X", "rank": 3})) == ["rank"]
    assert detail_fields(owner.post(P + "/priorities", json={"label": "X", "rank": 0})) == ["rank"]
    assert detail_fields(owner.post(P + "/priorities", json={"label": "X", "active": False, "rank": 1})) == ["rank"]
    assert detail_fields(owner.post(P + "/priorities", json={"label": ""})) == ["label"]
    assert detail_fields(owner.patch(P + f"/priorities/{pid}", json={"rank": 2})) == ["rank"]
    assert detail_fields(owner.patch(P + f"/priorities/{pid}", json={"rank": True})) == ["rank"]
    assert detail_fields(owner.patch(P + f"/priorities/{pid}", json={"active": "yes"})) == ["active"]
    assert detail_fields(owner.patch(P + f"/priorities/{pid}", json={"active": False, "rank": 1})) == ["rank"]
    assert ranks(owner) == [("Billing MVP", True, 1)]


# Todos --------------------------------------------------------------------------------------

def test_todo_lifecycle_and_links(world, owner):
    created = owner.post(P + "/todos", json={
        "label": "Write Stripe integration tests", "missionId": world.mission,
        "priorityId": world.priority, "assigneeId": world.ids["reviewer"], "cardId": world.card})
    assert created.status_code == 201
    body = created.json
    assert set(body) == {"id", "label", "missionId", "priorityId", "status", "assigneeId", "cardId",
                         "completedAt", "createdAt", "updatedAt"}
    assert (body["missionId"], body["priorityId"], body["assigneeId"], body["cardId"], body["status"]) == (
        world.mission, world.priority, world.ids["reviewer"], world.card, "todo")
    done = world.api["reviewer"].patch(P + f"/todos/{body['id']}", json={"status": "done"})
    assert done.json["status"] == "done" and re.match(ISO_RE, done.json["completedAt"])
    cleared = owner.patch(P + f"/todos/{body['id']}", json={"missionId": None, "cardId": None, "assigneeId": None})
    assert (cleared.json["missionId"], cleared.json["cardId"], cleared.json["assigneeId"]) == (None, None, None)
    owner.delete(P + f"/missions/{world.mission}")
    owner.delete(P + f"/priorities/{world.priority}")
    remaining = {t["id"]: t for t in owner.get(P + "/todos").json}
    assert remaining[world.todo]["missionId"] is None
    assert remaining[body["id"]]["priorityId"] is None
    assert owner.delete(P + f"/todos/{body['id']}").json == {"ok": True}
    assert list(t["id"] for t in owner.get(P + "/todos").json) == [world.todo]


def test_todo_references_must_be_in_reach(world, owner):
    def refused(body):
        response = owner.post(P + "/todos", json={"label": "X", **body})
        assert_error(response, 400)
        return detail_fields(response)

    assert refused({"missionId": world.other_mission}) == ["missionId"]
    assert refused({"priorityId": world.mission}) == ["priorityId"]
    assert refused({"assigneeId": world.ids["outsider"]}) == ["assigneeId"]
    assert refused({"assigneeId": world.ids["stranger"]}) == ["assigneeId"]
    assert refused({"cardId": world.other_card}) == ["cardId"]
    assert refused({"status": "waiting"}) == ["status"]
    assigned_to_org_admin = owner.post(P + "/todos", json={"label": "X", "assigneeId": world.ids["org_admin"]})
    assert assigned_to_org_admin.status_code == 201
    assert len(owner.get(P + "/todos").json) == 2


def test_todo_card_must_be_in_a_project_the_caller_reaches(world, owner):
    """Workspace admins reach every project; other members only the projects they belong to."""
    assert world.api["pilot"].post(P + "/todos", json={"label": "X", "cardId": world.card}).status_code == 201
    assert world.api["org_admin"].post(P + "/todos", json={"label": "Y", "cardId": world.card}).status_code == 201
    owner.patch(f"/orgs/acme/workspaces/eng/members/{world.ids['viewer']}", json={"pilotageRole": "owner"})
    not_in_project = world.api["viewer"].post(P + "/todos", json={"label": "Z", "cardId": world.card})
    assert_error(not_in_project, 400)
    assert detail_fields(not_in_project) == ["cardId"]
    assert world.api["viewer"].post(P + "/todos", json={"label": "Z"}).status_code == 201


# Decisions ----------------------------------------------------------------------------------

def test_decision_lifecycle(world, owner):
    created = owner.post(P + "/decisions", json={
        "title": "Use Stripe over custom billing", "impact": "Reduces dev time by 3 weeks",
        "date": "2026-03-10", "missionIds": [world.mission]})
    assert created.status_code == 201
    body = created.json
    assert set(body) == {"id", "title", "impact", "date", "missionIds", "documentIds", "createdAt", "updatedAt"}
    assert (body["date"], body["missionIds"], body["documentIds"]) == (
        "2026-03-10T00:00:00.000Z", [world.mission], [])
    unlinked = owner.patch(P + f"/decisions/{body['id']}", json={"missionIds": [], "title": "Use Stripe"})
    assert (unlinked.json["title"], unlinked.json["missionIds"]) == ("Use Stripe", [])
    listed = owner.get(P + "/decisions").json
    assert [d["id"] for d in listed] == [world.decision, body["id"]]  # latest date first
    owner.delete(P + f"/missions/{world.mission}")
    assert owner.get(P + "/decisions").json[0]["missionIds"] == []
    assert owner.delete(P + f"/decisions/{body['id']}").json == {"ok": True}


def test_decision_validation(world, owner):
    assert detail_fields(owner.post(P + "/decisions", json={"impact": "x"})) == ["title"]
    assert detail_fields(owner.post(P + "/decisions", json={"title": "x", "date": "soon"})) == ["date"]
    assert detail_fields(owner.post(P + "/decisions", json={"title": "x", "missionIds": [world.other_mission]})) == [
        "missionIds"]
    assert detail_fields(owner.post(P + "/decisions", json={"title": "x", "missionIds": [1]})) == ["missionIds"]
    assert detail_fields(owner.post(P + "/decisions", json={"title": "x", "impact": "y" * 2001})) == ["impact"]
    assert len(owner.get(P + "/decisions").json) == 1


# Active docs --------------------------------------------------------------------------------

def test_doc_lifecycle(world, owner):
    created = owner.post(P + "/docs", json={"title": "Billing API Spec v2", "owner": "Jane Doe",
                                            "sourceType": "tech"})
    assert created.status_code == 201
    body = created.json
    assert {"id", "title", "owner", "sourceType", "createdAt", "updatedAt"} <= set(body)
    assert (body["title"], body["owner"], body["sourceType"]) == ("Billing API Spec v2", "Jane Doe", "tech")
    changed = owner.patch(P + f"/docs/{body['id']}", json={"sourceType": None, "owner": "Ops team"})
    assert (changed.json["sourceType"], changed.json["owner"]) == (None, "Ops team")
    assert detail_fields(owner.patch(P + f"/docs/{body['id']}", json={"sourceType": "legal"})) == ["sourceType"]
    assert detail_fields(owner.post(P + "/docs", json={"owner": "x"})) == ["title"]
    assert [d["id"] for d in owner.get(P + "/docs").json] == [world.doc, body["id"]]
    assert owner.delete(P + f"/docs/{body['id']}").json == {"ok": True}


# Proposed actions ---------------------------------------------------------------------------

def test_propose_shape(world):
    viewer = world.api["viewer"]
    response = viewer.post(P + "/actions/propose", json={
        "actionType": "move_card", "explanation": "All subtasks complete, move to Done",
        "payload": {"cardId": world.card, "targetColumn": "Done"}})
    assert response.status_code == 201
    body = response.json
    assert set(body) == {"id", "actionType", "explanation", "status", "payload", "proposedBy", "reviewedBy",
                         "reviewedAt", "reason", "appliedBy", "appliedAt", "result", "lastError",
                         "createdAt", "updatedAt"}
    assert (body["actionType"], body["status"], body["payload"], body["proposedBy"]) == (
        "move_card", "suggested", {"cardId": world.card, "targetColumn": "Done"}, world.ids["viewer"])
    assert viewer.post(P + "/actions/propose", json={"actionType": "x", "explanation": "y"}).json["payload"] == {}


def test_propose_validation(world):
    viewer = world.api["viewer"]

    def fields(body):
        response = viewer.post(P + "/actions/propose", json=body)
        assert_error(response, 400)
        return detail_fields(response)

    assert fields({"actionType": "x" * 101, "explanation": "y"}) == ["actionType"]
    assert fields({"actionType": "x", "explanation": "y" * 501}) == ["explanation"]
    assert fields({"actionType": "x"}) == ["explanation"]
    assert fields({"actionType": "x", "explanation": "y", "payload": [1]}) == ["payload"]
    assert fields({"actionType": "x", "explanation": "y", "payload": {"blob": "z" * 20_001}}) == ["payload"]
    assert len(viewer.get(P + "/actions").json) == 2


def test_list_actions_by_status(world):
    viewer = world.api["viewer"]
    assert [a["id"] for a in viewer.get(P + "/actions").json] == [world.approved, world.suggested]
    assert [a["id"] for a in viewer.get(P + "/actions?status=suggested").json] == [world.suggested]
    assert [a["id"] for a in viewer.get(P + "/actions?status=approved").json] == [world.approved]
    assert viewer.get(P + "/actions?status=applied").json == []
    assert_error(viewer.get(P + "/actions?status=done"), 400)


def test_review_records_who_when_and_why(world):
    reviewer = world.api["reviewer"]
    response = reviewer.post(P + f"/actions/{world.suggested}/review", json={"approved": False, "reason": "Not now"})
    assert response.status_code == 201
    body = response.json
    assert (body["status"], body["reviewedBy"], body["reason"]) == ("rejected", world.ids["reviewer"], "Not now")
    assert re.match(ISO_RE, body["reviewedAt"])
    assert_error(reviewer.post(P + f"/actions/{world.suggested}/review", json={"approved": True}), 409)
    assert_error(reviewer.post(P + f"/actions/{world.suggested}/apply"), 409)
    assert_error(reviewer.post(P + f"/actions/{world.approved}/review", json={"approved": False}), 409)


def test_review_validation(world):
    reviewer = world.api["reviewer"]
    url = P + f"/actions/{world.suggested}/review"
    assert detail_fields(reviewer.post(url, json={"approved": True, "reason": "x" * 201})) == ["reason"]
    assert detail_fields(reviewer.post(url, json={"approved": "yes"})) == ["approved"]
    assert detail_fields(reviewer.post(url, json={"reason": "ok"})) == ["approved"]
    assert_error(reviewer.post(P + f"/actions/{world.other_mission}/review", json={"approved": True}), 404)
    assert reviewer.get(P + f"/actions/{world.suggested}").json["status"] == "suggested"


def test_unknown_action_type_cannot_be_approved_but_can_be_rejected(world):
    viewer, reviewer = world.api["viewer"], world.api["reviewer"]
    unknown = viewer.post(P + "/actions/propose", json={"actionType": "launch_rocket", "explanation": "Why not"}).json
    refused = assert_error(reviewer.post(P + f"/actions/{unknown['id']}/review", json={"approved": True}), 409)
    assert "launch_rocket" in refused["message"] and "cannot be approved" in refused["message"]
    assert reviewer.get(P + f"/actions/{unknown['id']}").json["status"] == "suggested"
    rejected = reviewer.post(P + f"/actions/{unknown['id']}/review", json={"approved": False})
    assert rejected.json["status"] == "rejected"


def test_apply_only_approved_actions_exactly_once(world):
    reviewer = world.api["reviewer"]
    assert_error(reviewer.post(P + f"/actions/{world.suggested}/apply"), 409)
    applied = reviewer.post(P + f"/actions/{world.approved}/apply")
    assert applied.status_code == 201
    body = applied.json
    assert (body["status"], body["appliedBy"], body["lastError"]) == ("applied", world.ids["reviewer"], None)
    assert re.match(ISO_RE, body["appliedAt"])
    assert [t["label"] for t in reviewer.get(P + "/todos").json] == ["Stripe tests", "Approved"]
    assert body["result"] == {"todoId": reviewer.get(P + "/todos").json[1]["id"]}
    assert_error(reviewer.post(P + f"/actions/{world.approved}/apply"), 409)
    assert len(reviewer.get(P + "/todos").json) == 2
