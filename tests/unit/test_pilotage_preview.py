"""Previews of proposed actions: one readable sentence per action type, names instead of ids,
"invalid payload: …" instead of an error, nothing out of the reader's reach named; and the
outcomes of applied actions."""
import pytest

from app.extensions import db
from app.models.board import Card, Column
from app.models.identity import User
from app.models.pilotage import ProposedAction
from app.services import cards, pilotage_actions, pilotage_items, pilotage_preview
from app.services.access import workspace_access
from tests.api.pilotage_world import build_world


@pytest.fixture()
def world(client):
    return build_world(client)


def access_of(world, name: str):
    return workspace_access(db.session.get(User, world.ids[name]), "acme", "eng")


def preview(access, action_type: str, payload) -> pilotage_preview.Preview:
    """The preview of an action proposed (and flushed) with this payload."""
    action = pilotage_actions.propose_action(access, action_type, "Because", payload)
    return pilotage_preview.describe_action(access, action)


def columns_of(project_id: str) -> dict[str, str]:
    return {c.name: c.id for c in db.session.query(Column).filter_by(project_id=project_id)}


def test_move_card_names_the_card_and_both_columns(world):
    pilot = access_of(world, "pilot")
    columns = columns_of(world.project)
    assert preview(pilot, "move_card", {"cardId": world.card, "targetColumn": "in progress"}) == \
        pilotage_preview.Preview("Move card WEB-1 “Web card” from To Do to In Progress")
    assert preview(pilot, "move_card", {"cardId": world.card, "targetColumn": columns["Done"], "order": 0}).text == \
        "Move card WEB-1 “Web card” from To Do to Done, at position 1"
    assert preview(pilot, "move_card", {"cardId": world.card, "targetColumn": "To Do"}).text == \
        "Move card WEB-1 “Web card” within To Do"


def test_card_previews_resolve_projects_columns_and_people(world):
    pilot = access_of(world, "pilot")
    assert preview(pilot, "create_card", {"projectId": world.project, "title": "Audit"}).text == \
        "Create card “Audit” in Web › To Do"
    assert preview(pilot, "create_card", {
        "projectId": world.project, "title": "Audit", "column": "Done", "priority": "high",
        "dueDate": "2026-04-01", "assigneeId": world.ids["reviewer"], "checklist": [{"title": "a"}, {"title": "b"}],
    }).text == ("Create card “Audit” in Web › Done (priority “high”, due date “2026-04-01”, "
                "assignee → reviewer, checklist of 2 items)")
    assert preview(pilot, "update_card", {"cardId": world.card, "title": "Better", "priority": None,
                                          "description": "Details"}).text == \
        "Update card WEB-1 “Web card”: title “Web card” → “Better”; no priority; new description"
    assert preview(pilot, "archive_card", {"cardId": world.card}).text == \
        "Archive card WEB-1 “Web card” (now in To Do)"
    assert preview(pilot, "assign_card", {"cardId": world.card, "assigneeId": world.ids["pilot"]}).text == \
        "Assign card WEB-1 “Web card” to pilot (now unassigned)"
    cards.update_card(pilot.user, world.card, {"assigneeId": world.ids["pilot"]})
    assert preview(pilot, "assign_card", {"cardId": world.card, "assigneeId": None}).text == \
        "Unassign card WEB-1 “Web card” (now pilot)"


def test_add_comment_names_the_card_and_quotes_the_comment(world):
    pilot = access_of(world, "pilot")
    action = pilotage_actions.propose_action(pilot, "add_comment", "x",
                                             {"cardId": world.card, "content": "Blocked by the API @viewer"})
    assert pilotage_preview.describe_action(pilot, action).text == \
        "Comment on card WEB-1 “Web card”: “Blocked by the API @viewer”"
    pilotage_actions.review_action(pilot, action.id, True)
    applied = pilotage_actions.apply_action(pilot, action.id)
    assert pilotage_preview.describe_outcome(pilot, applied) == "Commented on card WEB-1 “Web card” (in To Do)"
    assert preview(pilot, "add_comment", {"cardId": world.card}).text.startswith("invalid payload: ")


def test_pilotage_previews_resolve_missions_priorities_people_and_cards(world):
    pilot = access_of(world, "pilot")
    assert preview(pilot, "create_todo", {
        "label": "Check webhooks", "missionId": world.mission, "priorityId": world.priority,
        "assigneeId": world.ids["viewer"], "cardId": world.card, "status": "in_progress",
    }).text == ("Add todo “Check webhooks” to mission “Ship billing” under priority “Billing MVP” "
                "assigned to viewer linked to card WEB-1 “Web card” with status in progress")
    assert preview(pilot, "update_mission", {"missionId": world.mission, "status": "blocked",
                                             "blockedReason": "Waiting on API"}).text == \
        "Mission “Ship billing”: status to launch → blocked; blocked reason → “Waiting on API”"
    assert preview(pilot, "update_mission", {"missionId": world.mission, "module": None}).text == \
        "Mission “Ship billing”: clear the module"
    assert preview(pilot, "create_decision", {"title": "Go EU", "date": "2026-05-01", "missionIds": [world.mission],
                                              "impact": "Latency"}).text == \
        "Record decision “Go EU” dated 2026-05-01 for mission “Ship billing” — impact: “Latency”"


@pytest.mark.parametrize("action_type, payload, message", [
    ("move_card", {"cardId": "CARD"}, "invalid payload: targetColumn is required for move_card"),
    ("move_card", {"cardId": "CARD", "targetColumn": "Later"},
     "invalid payload: targetColumn 'Later' is not a column of the project (columns: To Do, In Progress, Done)"),
    ("move_card", {"cardId": "CARD", "targetColumn": "Done", "order": -1},
     "invalid payload: order must be a whole number ≥ 0"),
    ("move_card", {"cardId": "CARD", "targetColumn": "Done", "colour": "red"},
     "invalid payload: colour is not part of a move_card payload (expected: cardId, targetColumn, order)"),
    ("move_card", {"cardId": "nope", "targetColumn": "Done"},
     "invalid payload: cardId does not match a card you can reach in this workspace"),
    ("create_card", {"projectId": "OTHER_PROJECT", "title": "x"},
     "invalid payload: projectId does not match a project you can reach in this workspace"),
    ("assign_card", {"cardId": "CARD"}, "invalid payload: assigneeId is required for assign_card (null unassigns)"),
    ("assign_card", {"cardId": "CARD", "assigneeId": "VIEWER"}, "invalid payload: assigneeId must be a member of the project"),
    ("update_card", {"cardId": "CARD"}, "invalid payload: update_card needs at least one field to change"),
    ("create_todo", {"label": "x", "missionId": "OTHER_MISSION"},
     "invalid payload: missionId does not match a mission of this workspace"),
    ("create_todo", {"label": "x", "assigneeId": "STRANGER"},
     "invalid payload: assigneeId must be a member of this workspace"),
    ("update_mission", {"missionId": "MISSION"}, "invalid payload: update_mission needs at least one field to change"),
    ("create_decision", {"title": "x", "missionIds": "MISSION"}, "invalid payload: missionIds must be an array of ids"),
    ("create_decision", {"impact": "x"}, "invalid payload: title is required for create_decision"),
])
def test_an_invalid_payload_is_said_not_raised(world, action_type, payload, message):
    ids = {"CARD": world.card, "OTHER_PROJECT": world.other_project, "VIEWER": world.ids["viewer"],
           "OTHER_MISSION": world.other_mission, "STRANGER": world.ids["stranger"], "MISSION": world.mission}
    payload = {k: ids.get(v, v) if isinstance(v, str) else v for k, v in payload.items()}
    result = preview(access_of(world, "pilot"), action_type, payload)
    assert result == pilotage_preview.Preview(message, valid=False)


def test_a_preview_names_nothing_out_of_the_readers_reach(world):
    """`pilot` is not a member of the project Secret; the owner is."""
    payload = {"cardId": world.secret_card, "targetColumn": "Done"}
    owner, pilot = access_of(world, "owner"), access_of(world, "pilot")
    assert preview(owner, "move_card", payload).text == "Move card SEC-1 “Secret card” from To Do to Done"
    seen_by_pilot = preview(pilot, "move_card", payload)
    assert not seen_by_pilot.valid and "Secret" not in seen_by_pilot.text
    other = preview(pilot, "move_card", {"cardId": world.other_card, "targetColumn": "Done"})
    assert not other.valid and "Theirs" not in other.text


def test_unknown_types_and_payloads_that_are_not_objects(world):
    pilot = access_of(world, "pilot")
    unknown = preview(pilot, "send_rocket", {"to": "moon"})
    assert (unknown.valid, unknown.known) == (False, False)
    assert unknown.text.startswith("Unknown action type “send_rocket”: it cannot be approved or applied")
    stored_list = ProposedAction(workspace_id=world.workspace_id, action_type="create_todo", explanation="x",
                                 payload=["label"], status="suggested")
    assert pilotage_preview.describe_action(pilot, stored_list) == \
        pilotage_preview.Preview("invalid payload: payload must be an object", valid=False)


def test_a_known_type_without_its_own_sentence_lists_its_payload(world, monkeypatch):
    """A type added to ACTION_TYPES before it gets a sentence still previews, generically."""
    pilot = access_of(world, "pilot")
    action = pilotage_actions.propose_action(pilot, "create_todo", "x", {"label": "Ping"})
    monkeypatch.delitem(pilotage_preview._DESCRIBE, "create_todo")
    assert pilotage_preview.describe_action(pilot, action).text == "Create todo: label “Ping”"


def test_outcomes_of_applied_actions(world):
    pilot = access_of(world, "pilot")
    done = {}
    for action_type, payload in (
            ("move_card", {"cardId": world.card, "targetColumn": "Done"}),
            ("create_card", {"projectId": world.project, "title": "Audit"}),
            ("update_card", {"cardId": world.card, "title": "Web card v2", "priority": "low"}),
            ("assign_card", {"cardId": world.card, "assigneeId": world.ids["reviewer"]}),
            ("create_todo", {"label": "Ping"}),
            ("update_mission", {"missionId": world.mission, "status": "in_progress"}),
            ("create_decision", {"title": "Go EU"}),
            ("archive_card", {"cardId": world.card})):
        action = pilotage_actions.propose_action(pilot, action_type, "x", payload)
        pilotage_actions.review_action(pilot, action.id, True)
        done[action_type] = pilotage_actions.apply_action(pilot, action.id)
    said = {t: pilotage_preview.describe_outcome(pilot, a) for t, a in done.items()}
    assert said == {
        "move_card": "Moved card WEB-1 “Web card v2” to Done",
        "create_card": "Created card WEB-2 “Audit” (in To Do)",
        "update_card": "Updated card WEB-1 “Web card v2”: priority, title",
        "assign_card": "Assigned card WEB-1 “Web card v2” to reviewer",
        "create_todo": "Added todo “Ping”",
        "update_mission": "Mission “Ship billing” set to in progress",
        "create_decision": "Recorded decision “Go EU”",
        "archive_card": "Archived card WEB-1 “Web card v2” (archived)",
    }
    assert pilotage_preview.describe_outcome(pilot, pilotage_actions.get_action(pilot, world.suggested)) is None
    cards.archive_card(pilot.user, world.card, False)
    cards.move_card(pilot.user, world.card, columns_of(world.project)["To Do"])
    assert pilotage_preview.describe_outcome(pilot, done["move_card"]) == \
        "Moved card WEB-1 “Web card v2” to Done (it has moved since)"


def test_an_outcome_whose_subject_is_gone_says_what_is_known(world):
    pilot = access_of(world, "pilot")
    action = pilotage_actions.propose_action(pilot, "create_todo", "x", {"label": "Ping"})
    pilotage_actions.review_action(pilot, action.id, True)
    action = pilotage_actions.apply_action(pilot, action.id)
    pilotage_items.delete_todo(pilot, action.result["todoId"])
    assert pilotage_preview.describe_outcome(pilot, action) == f"Applied: todoId “{action.result['todoId']}”"


def test_queue_is_oldest_first_with_names_and_outcomes_are_bounded(world):
    owner = access_of(world, "owner")
    queue = pilotage_preview.review_queue(owner)
    assert [e.action.id for e in queue] == [world.suggested, world.approved]
    assert [e.preview.text for e in queue] == ["Add todo “Suggested”", "Add todo “Approved”"]
    assert (queue[1].proposed_by, queue[1].reviewed_by, queue[1].outcome) == ("owner", "owner", None)
    for n in range(4):
        action = pilotage_actions.propose_action(owner, "create_todo", "x", {"label": f"T{n}"})
        pilotage_actions.review_action(owner, action.id, n % 2 == 0, "no" if n % 2 else None)
        if n % 2 == 0:
            pilotage_actions.apply_action(owner, action.id)
    outcomes = pilotage_preview.recent_outcomes(owner, limit=3)
    assert [(e.action.status, e.preview) for e in outcomes] == [("rejected", None), ("applied", None), ("rejected", None)]
    assert outcomes[1].outcome == "Added todo “T2”" and outcomes[1].applied_by == "owner"


def test_previews_write_nothing(world):
    pilot = access_of(world, "pilot")
    before = db.session.get(Card, world.card).column_id
    preview(pilot, "move_card", {"cardId": world.card, "targetColumn": "Done"})
    db.session.expire_all()
    assert db.session.get(Card, world.card).column_id == before
