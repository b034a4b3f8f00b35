"""`GET W/pilotage/state`: what each profile, intent and detail level includes, as documented
in `app.services.pilotage.build_state` and the README."""
import pytest

from tests.api.pilotage_world import P, build_world
from tests.api.shapes import assert_error, detail_fields

BASE_KEYS = ["cycle", "contractVersion", "missions", "activePriorities", "todos", "decisions",
             "activeDocs"]


@pytest.fixture()
def cockpit(client):
    """The world's items (mission `Ship billing`, todo `Stripe tests`, decision `Use Stripe`,
    priority `Billing MVP`, one suggested and one approved action), plus: before the cycle
    `v2` starts, a mission `Old` done, an old decision and an inactive priority `Later`; after
    it, missions `Blocked`, `Running`, `Closed` (done), todos `Mine` (owner's), `Theirs`
    (reviewer's, in progress), `Finished` (owner's, done), a decision `New` and a rejected action."""
    world = build_world(client)
    owner = world.api["owner"]
    ids = {"Ship billing": world.mission, "Stripe tests": world.todo, "Use Stripe": world.decision,
           "Billing MVP": world.priority}

    def make(kind, label_field, label, **fields):
        response = owner.post(P + f"/{kind}", json={label_field: label, **fields})
        assert response.status_code == 201, response.json
        ids[label] = response.json["id"]

    make("missions", "objective", "Old", status="done")
    make("decisions", "title", "Old decision", date="2026-01-01")
    make("priorities", "label", "Later", active=False)
    owner.post(P + "/cycle/advance")
    make("missions", "objective", "Blocked", status="blocked", blockedReason="Waiting on API")
    make("missions", "objective", "Running", status="in_progress")
    make("missions", "objective", "Closed", status="done")
    make("todos", "label", "Mine", assigneeId=world.ids["owner"], priorityId=world.priority)
    make("todos", "label", "Theirs", assigneeId=world.ids["reviewer"], status="in_progress")
    make("todos", "label", "Finished", assigneeId=world.ids["owner"], missionId=ids["Running"], status="done")
    make("decisions", "title", "New")
    rejected = owner.post(P + "/actions/propose", json={"actionType": "create_todo", "explanation": "No"}).json
    owner.post(P + f"/actions/{rejected['id']}/review", json={"approved": False})
    world.ids.update(ids)
    world.names = {v: k for k, v in ids.items()}
    return world


def state(world, actor="owner", **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    response = world.api[actor].get(P + "/state" + (f"?{query}" if query else ""))
    assert response.status_code == 200, response.json
    return response.json


def names(world, items) -> list[str]:
    return [world.names[item["id"] if isinstance(item, dict) else item] for item in items]


def test_default_is_pilotage_standard_without_intent(cockpit):
    body = state(cockpit)
    assert list(body) == BASE_KEYS + ["usageContext"]
    assert (body["cycle"], body["contractVersion"]) == ("v2", 7)
    assert body["usageContext"] == {"profile": "pilotage", "role": "owner", "intent": None}
    assert names(cockpit, body["missions"]) == ["Ship billing", "Old", "Blocked", "Running", "Closed"]
    assert names(cockpit, body["activePriorities"]) == ["Billing MVP"]
    assert names(cockpit, body["todos"]) == ["Stripe tests", "Mine", "Theirs", "Finished"]
    assert names(cockpit, body["decisions"]) == ["New", "Use Stripe", "Old decision"]
    assert [d["title"] for d in body["activeDocs"]] == ["Billing spec"]


def test_standard_items_are_the_endpoints_own_shapes(cockpit):
    body = state(cockpit, detailLevel="standard")
    owner = cockpit.api["owner"]
    assert body["missions"] == owner.get(P + "/missions").json
    assert body["todos"] == owner.get(P + "/todos").json
    assert body["decisions"] == owner.get(P + "/decisions").json
    assert body["activeDocs"] == owner.get(P + "/docs").json
    assert body["activePriorities"] == [p for p in owner.get(P + "/priorities").json if p["active"]]


def test_execution_profile_keeps_open_work_and_this_cycles_decisions(cockpit):
    body = state(cockpit, profile="execution")
    assert names(cockpit, body["missions"]) == ["Ship billing", "Blocked", "Running"]
    assert names(cockpit, body["todos"]) == ["Stripe tests", "Mine", "Theirs"]
    assert names(cockpit, body["decisions"]) == ["New"]
    assert body["usageContext"]["profile"] == "execution"
    assert "pendingActions" not in body


def test_revue_profile_adds_actions_waiting_for_review_or_apply(cockpit):
    body = state(cockpit, profile="revue")
    assert [a["id"] for a in body["pendingActions"]] == [cockpit.suggested, cockpit.approved]
    assert body["pendingActions"][0] == cockpit.api["owner"].get(P + f"/actions/{cockpit.suggested}").json
    assert names(cockpit, body["missions"]) == ["Ship billing", "Old", "Blocked", "Running", "Closed"]


def test_daily_execution_puts_my_open_todos_and_blocked_missions_first(cockpit):
    body = state(cockpit, intent="daily_execution")
    assert names(cockpit, body["todos"]) == ["Mine", "Stripe tests", "Theirs", "Finished"]
    assert names(cockpit, body["missions"]) == ["Blocked", "Running", "Ship billing", "Old", "Closed"]
    assert names(cockpit, body["focus"]["myOpenTodoIds"]) == ["Mine"]
    assert names(cockpit, body["focus"]["blockedMissionIds"]) == ["Blocked"]
    theirs = state(cockpit, "reviewer", intent="daily_execution")
    assert names(cockpit, theirs["todos"]) == ["Theirs", "Stripe tests", "Mine", "Finished"]
    assert names(cockpit, theirs["focus"]["myOpenTodoIds"]) == ["Theirs"]
    assert theirs["usageContext"] == {"profile": "pilotage", "role": "reviewer", "intent": "daily_execution"}


def test_execution_with_daily_execution_combines_filter_and_order(cockpit):
    body = state(cockpit, profile="execution", intent="daily_execution")
    assert names(cockpit, body["todos"]) == ["Mine", "Stripe tests", "Theirs"]
    assert names(cockpit, body["missions"]) == ["Blocked", "Running", "Ship billing"]


def test_weekly_review_reports_the_cycle(cockpit):
    body = state(cockpit, intent="weekly_review")
    review = body["cycleReview"]
    assert review["cycle"] == "v2"
    assert review["since"] == cockpit.api["owner"].get(P + "/cycle").json["startedAt"]
    assert names(cockpit, review["changedMissionIds"]) == ["Blocked", "Running", "Closed"]
    assert names(cockpit, review["changedTodoIds"]) == ["Mine", "Theirs", "Finished"]
    assert names(cockpit, review["decisionIds"]) == ["New"]
    assert review["done"] == {"missions": 1, "todos": 1}
    assert review["planned"] == {"missions": 4, "todos": 4}
    assert "focus" not in body and "inactivePriorities" not in body


def test_weekly_review_counts_what_gets_done_later_in_the_cycle(cockpit):
    owner = cockpit.api["owner"]
    owner.patch(P + f"/todos/{cockpit.ids['Mine']}", json={"status": "done"})
    owner.patch(P + f"/missions/{cockpit.ids['Ship billing']}", json={"status": "done"})
    review = state(cockpit, intent="weekly_review")["cycleReview"]
    assert review["done"] == {"missions": 2, "todos": 2}
    assert review["planned"] == {"missions": 4, "todos": 4}
    assert "Ship billing" in names(cockpit, review["changedMissionIds"])


def test_sprint_planning_shows_what_to_launch_and_take(cockpit):
    body = state(cockpit, intent="sprint_planning")
    assert names(cockpit, body["missions"]) == ["Ship billing", "Running", "Blocked", "Old", "Closed"]
    assert names(cockpit, body["inactivePriorities"]) == ["Later"]
    assert body["inactivePriorities"][0]["active"] is False
    assert names(cockpit, body["unassignedTodoIds"]) == ["Stripe tests"]


def test_context_only_leaves_out_the_work_queue(cockpit):
    body = state(cockpit, profile="revue", intent="context_only")
    assert body["todos"] == []
    assert "pendingActions" not in body
    assert names(cockpit, body["missions"]) == ["Ship billing", "Old", "Blocked", "Running", "Closed"]
    assert names(cockpit, body["decisions"]) == ["New", "Use Stripe", "Old decision"]
    assert body["usageContext"] == {"profile": "revue", "role": "owner", "intent": "context_only"}


def test_minimal_keeps_ids_titles_and_statuses_only(cockpit):
    body = state(cockpit, profile="revue", detailLevel="minimal", intent="sprint_planning")
    assert body["missions"][0] == {"id": cockpit.mission, "objective": "Ship billing", "status": "to_launch"}
    assert body["activePriorities"] == [{"id": cockpit.priority, "label": "Billing MVP", "rank": 1}]
    assert body["todos"][0] == {"id": cockpit.todo, "label": "Stripe tests", "status": "todo"}
    assert body["decisions"][-1] == {"id": cockpit.ids["Old decision"], "title": "Old decision"}
    assert body["activeDocs"] == [{"id": cockpit.doc, "title": "Billing spec"}]
    assert body["pendingActions"][0] == {"id": cockpit.suggested, "actionType": "create_todo",
                                         "status": "suggested"}
    assert body["inactivePriorities"] == [{"id": cockpit.ids["Later"], "label": "Later", "rank": None}]
    assert "counts" not in body


def test_detailed_adds_todo_counts_and_workspace_counts(cockpit):
    body = state(cockpit, profile="execution", detailLevel="detailed")
    counts = {cockpit.names[m["id"]]: m["todoCounts"] for m in body["missions"]}
    assert counts == {"Ship billing": {"total": 1, "done": 0}, "Blocked": {"total": 0, "done": 0},
                      "Running": {"total": 1, "done": 1}}
    assert body["activePriorities"][0]["todoCounts"] == {"total": 1, "done": 0}
    assert body["missions"][0]["blockedReason"] is None and "createdAt" in body["missions"][0]
    assert body["counts"] == {
        "missions": {"to_launch": 1, "in_progress": 1, "blocked": 1, "done": 2},
        "todos": {"todo": 2, "in_progress": 1, "blocked": 0, "done": 1},
        "pendingActions": 2,
    }
    assert "todoCounts" not in state(cockpit)["missions"][0]


@pytest.mark.parametrize("param,value", [("profile", "manager"), ("intent", "monthly"),
                                         ("detailLevel", "full"), ("profile", "")])
def test_invalid_values_are_refused(cockpit, param, value):
    response = cockpit.api["viewer"].get(P + f"/state?{param}={value}")
    assert_error(response, 400)
    assert detail_fields(response) == [param]
