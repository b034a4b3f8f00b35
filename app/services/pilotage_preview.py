"""What the cockpit's review panel shows: each proposed action as a sentence saying what
applying it will change, with names instead of ids ("Move card WEB-12 “Fix login” from To Do
to In Progress"), and each applied action's result told the same way.

A preview checks the payload's shape (the action type's whitelist) and resolves what it
names (cards, columns, projects, missions, priorities, people) with the same lookups as the
apply and with the reader's reach, so it never names anything the reader could not open.
Values themselves (a priority, a date) are shown as written and checked by the apply. A
payload the apply would refuse gives "invalid payload: <reason>" instead of an error. Nothing
here writes; each entry costs a few primary-key lookups, and the history is bounded.
"""
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

from app.errors import DomainError, Invalid, NotFound
from app.extensions import db
from app.ids import is_id
from app.models.board import Card, Column
from app.models.identity import User
from app.models.pilotage import ProposedAction
from app.services import pilotage_actions, pilotage_items
from app.services.access import WorkspaceAccess, workspace_access_by_id
from app.services.cards import card_key
from app.services.columns import list_columns, order_value
from app.services.pilotage_actions import ACTION_TYPES
from app.services.projects import ProjectAccess, is_member

HISTORY_SIZE = 20
CARD_FIELD_NAMES = {"title": "title", "description": "description", "priority": "priority",
                    "startDate": "start date", "dueDate": "due date", "assigneeId": "assignee",
                    "checklist": "checklist"}
MISSION_FIELD_NAMES = {"objective": "objective", "module": "module", "status": "status",
                       "blockedReason": "blocked reason"}


@dataclass(frozen=True)
class Preview:
    """`text` says what applying will change; `valid` is False when the payload cannot be
    applied as it is; `known` is False for an action type nothing can apply."""

    text: str
    valid: bool = True
    known: bool = True


@dataclass(frozen=True)
class Entry:
    """One action as the review panel shows it, with the names of the people involved."""

    action: ProposedAction
    preview: Preview | None  # for an action still to review or apply
    outcome: str | None  # for an applied action
    proposed_by: str | None
    reviewed_by: str | None
    applied_by: str | None


def review_queue(access: WorkspaceAccess) -> list[Entry]:
    """Actions waiting for a review (`suggested`) or for their apply (`approved`), oldest
    first, each with its preview. Raises Forbidden (no pilotage role)."""
    pending = [*pilotage_actions.list_actions(access, "suggested"),
               *pilotage_actions.list_actions(access, "approved")]
    pending.sort(key=lambda a: (a.created_at, a.id))
    return _entries(access, pending)


def recent_outcomes(access: WorkspaceAccess, limit: int = HISTORY_SIZE) -> list[Entry]:
    """The last `limit` actions applied or rejected, latest first, each applied one with its
    result. Raises Forbidden (no pilotage role)."""
    access.require_pilotage("viewer")
    done = list(db.session.scalars(
        sa.select(ProposedAction)
        .where(ProposedAction.workspace_id == access.workspace.id,
               ProposedAction.status.in_(("applied", "rejected")))
        .order_by(ProposedAction.updated_at.desc(), ProposedAction.id.desc()).limit(limit)))
    return _entries(access, done)


def describe_action(access: WorkspaceAccess, action: ProposedAction) -> Preview:
    """What applying `action` would change, in one sentence. Never raises for a bad payload."""
    handler = ACTION_TYPES.get(action.action_type)
    if handler is None:
        return Preview(f"Unknown action type “{action.action_type}”: it cannot be approved or applied "
                       f"(known types: {', '.join(sorted(ACTION_TYPES))})", valid=False, known=False)
    payload = action.payload
    if not isinstance(payload, dict):
        return Preview("invalid payload: payload must be an object", valid=False)
    describe = _DESCRIBE.get(action.action_type)
    try:
        handler.validate(payload)
        if describe is None:
            return Preview(f"{action.action_type.replace('_', ' ').capitalize()}: {_listing(payload)}")
        return Preview(describe(access, payload))
    except DomainError as error:
        return Preview(f"invalid payload: {error.message}", valid=False)


def describe_outcome(access: WorkspaceAccess, action: ProposedAction) -> str | None:
    """What an applied action did, from its `result`, in one sentence (None if not applied)."""
    if action.status != "applied":
        return None
    result = action.result if isinstance(action.result, dict) else {}
    describe = _OUTCOME.get(action.action_type)
    try:
        if describe is not None:
            return describe(access, result)
    except DomainError:
        pass  # the thing it made or changed is gone or out of reach: say what is known
    return f"Applied: {_listing(result)}" if result else "Applied."


# Previews, one per action type ---------------------------------------------------------------

def _move_card(access, payload) -> str:
    card, project = pilotage_items.reachable_card(access, "cardId", payload["cardId"])
    column = pilotage_actions._column(project, "targetColumn", payload["targetColumn"])
    position = ""
    if payload.get("order") is not None:
        position = f", at position {order_value('order', payload['order']) + 1}"
    if column.id == card.column_id:
        return f"Move card {_card(card)} within {column.name}{position}"
    return f"Move card {_card(card)} from {card.column.name} to {column.name}{position}"


def _create_card(access, payload) -> str:
    project = pilotage_actions._project(access, payload["projectId"])
    if payload.get("column") is None:
        columns = list_columns(project)
        if not columns:
            raise Invalid("projectId", "The project has no column to put the card in")
        column = columns[0]
    else:
        column = pilotage_actions._column(project, "column", payload["column"])
    details = _card_details(access, project, payload)
    return (f"Create card {_quoted(payload['title'])} in {project.project.name} › {column.name}"
            + (f" ({', '.join(details)})" if details else ""))


def _update_card(access, payload) -> str:
    card, project = pilotage_items.reachable_card(access, "cardId", payload["cardId"])
    changes = _card_details(access, project, {k: v for k, v in payload.items() if k != "cardId"},
                            current=card)
    if not changes:
        raise Invalid("cardId", "update_card needs at least one field to change")
    return f"Update card {_card(card)}: {'; '.join(changes)}"


def _archive_card(access, payload) -> str:
    card, _ = pilotage_items.reachable_card(access, "cardId", payload["cardId"])
    if card.archived:
        return f"Archive card {_card(card)} (already archived: nothing changes)"
    return f"Archive card {_card(card)} (now in {card.column.name})"


def _add_comment(access, payload) -> str:
    card, _ = pilotage_items.reachable_card(access, "cardId", payload["cardId"])
    return f"Comment on card {_card(card)}: {_quoted(payload['content'])}"


def _assign_card(access, payload) -> str:
    card, project = pilotage_items.reachable_card(access, "cardId", payload["cardId"])
    was = f" (now {card.assignee.name})" if card.assignee else " (now unassigned)"
    if payload["assigneeId"] is None:
        return f"Unassign card {_card(card)}{was}"
    person = _project_member(project, "assigneeId", payload["assigneeId"])
    return f"Assign card {_card(card)} to {person.name}{was}"


def _create_todo(access, payload) -> str:
    parts = [f"Add todo {_quoted(payload['label'])}"]
    if payload.get("missionId") is not None:
        parts.append(f"to mission {_quoted(_mission(access, 'missionId', payload['missionId']).objective)}")
    if payload.get("priorityId") is not None:
        parts.append(f"under priority {_quoted(_priority(access, payload['priorityId']).label)}")
    if payload.get("assigneeId") is not None:
        parts.append(f"assigned to {_workspace_member(access, payload['assigneeId']).name}")
    if payload.get("cardId") is not None:
        card, _ = pilotage_items.reachable_card(access, "cardId", payload["cardId"])
        parts.append(f"linked to card {_card(card)}")
    if payload.get("status") is not None:
        parts.append(f"with status {_status(payload['status'])}")
    return " ".join(parts)


def _update_mission(access, payload) -> str:
    mission = _mission(access, "missionId", payload["missionId"])
    changes = []
    for field, value in payload.items():
        if field == "missionId":
            continue
        if field == "status":
            changes.append(f"status {_status(mission.status)} → {_status(value)}")
        elif value is None:
            changes.append(f"clear the {MISSION_FIELD_NAMES[field]}")
        else:
            changes.append(f"{MISSION_FIELD_NAMES[field]} → {_quoted(value)}")
    if not changes:
        raise Invalid("missionId", "update_mission needs at least one field to change")
    return f"Mission {_quoted(mission.objective)}: {'; '.join(changes)}"


def _create_decision(access, payload) -> str:
    parts = [f"Record decision {_quoted(payload['title'])}"]
    if payload.get("date") is not None:
        parts.append(f"dated {payload['date']}")
    mission_ids = payload.get("missionIds")
    if mission_ids is not None:
        if not isinstance(mission_ids, list):
            raise Invalid("missionIds", "missionIds must be an array of ids")
        names = [_quoted(_mission(access, "missionIds", i).objective) for i in mission_ids]
        if names:
            parts.append(f"for mission{'s' if len(names) > 1 else ''} {', '.join(names)}")
    if payload.get("impact") is not None:
        parts.append(f"— impact: {_quoted(payload['impact'])}")
    return " ".join(parts)


_DESCRIBE: dict[str, Callable[[WorkspaceAccess, dict], str]] = {
    "move_card": _move_card, "create_card": _create_card, "update_card": _update_card,
    "archive_card": _archive_card, "assign_card": _assign_card, "add_comment": _add_comment,
    "create_todo": _create_todo, "update_mission": _update_mission, "create_decision": _create_decision,
}


# Outcomes of applied actions ------------------------------------------------------------------

def _card_outcome(verb: str):
    def describe(access, result) -> str:
        card, _ = pilotage_items.reachable_card(access, "cardId", result.get("cardId"))
        return f"{verb} card {_card(card)}" + _card_where(card)
    return describe


def _moved_outcome(access, result) -> str:
    card, _ = pilotage_items.reachable_card(access, "cardId", result.get("cardId"))
    column = db.session.get(Column, result["columnId"]) if is_id(result.get("columnId")) else None
    target = column.name if column is not None and column.project_id == card.project_id else "another column"
    return f"Moved card {_card(card)} to {target}" + (" (it has moved since)" if column is None or
                                                      column.id != card.column_id else "")


def _updated_outcome(access, result) -> str:
    card, _ = pilotage_items.reachable_card(access, "cardId", result.get("cardId"))
    changed = [CARD_FIELD_NAMES.get(f, str(f)) for f in result.get("changed") or ()]
    return f"Updated card {_card(card)}" + (f": {', '.join(changed)}" if changed else "")


def _assigned_outcome(access, result) -> str:
    card, _ = pilotage_items.reachable_card(access, "cardId", result.get("cardId"))
    person = db.session.get(User, result["assigneeId"]) if is_id(result.get("assigneeId")) else None
    return f"Assigned card {_card(card)} to {person.name}" if person else f"Unassigned card {_card(card)}"


def _todo_outcome(access, result) -> str:
    return f"Added todo {_quoted(pilotage_items.get_todo(access, result.get('todoId')).label)}"


def _mission_outcome(access, result) -> str:
    mission = pilotage_items.get_mission(access, result.get("missionId"))
    return f"Mission {_quoted(mission.objective)} set to {_status(result.get('status', mission.status))}"


def _decision_outcome(access, result) -> str:
    return f"Recorded decision {_quoted(pilotage_items.get_decision(access, result.get('decisionId')).title)}"


_OUTCOME: dict[str, Callable[[WorkspaceAccess, dict], str]] = {
    "move_card": _moved_outcome, "create_card": _card_outcome("Created"),
    "update_card": _updated_outcome, "archive_card": _card_outcome("Archived"),
    "assign_card": _assigned_outcome, "add_comment": _card_outcome("Commented on"),
    "create_todo": _todo_outcome,
    "update_mission": _mission_outcome, "create_decision": _decision_outcome,
}


# Shared ---------------------------------------------------------------------------------------

def _entries(access: WorkspaceAccess, actions: list[ProposedAction]) -> list[Entry]:
    ids = {i for a in actions for i in (a.proposed_by_id, a.reviewed_by_id, a.applied_by_id) if i}
    rows = db.session.execute(sa.select(User.id, User.name).where(User.id.in_(ids))) if ids else ()
    names = {user_id: name for user_id, name in rows}
    return [Entry(a, describe_action(access, a) if a.status in ("suggested", "approved") else None,
                  describe_outcome(access, a), names.get(a.proposed_by_id), names.get(a.reviewed_by_id),
                  names.get(a.applied_by_id)) for a in actions]


def _card(card: Card) -> str:
    return f"{card_key(card)} {_quoted(card.title)}"


def _card_where(card: Card) -> str:
    return " (archived)" if card.archived else f" (in {card.column.name})"


def _quoted(value: object) -> str:
    text = value if isinstance(value, str) else repr(value)
    return f"“{text if len(text) <= 120 else text[:119] + '…'}”"


def _status(value: object) -> str:
    return str(value).replace("_", " ")


def _listing(values: dict) -> str:
    return ", ".join(f"{key} {_quoted(value)}" for key, value in values.items()) or "no payload"


def _card_details(access: WorkspaceAccess, project: ProjectAccess, fields: dict,
                  current: Card | None = None) -> list[str]:
    """`fields` (card content, wire names) as readable changes; `current` gives the old
    title and assignee for an update."""
    details = []
    for field, value in fields.items():
        if field in ("projectId", "column", "title") and current is None:
            continue
        name = CARD_FIELD_NAMES.get(field, field)
        if field == "assigneeId":
            details.append(f"{name} → {_project_member(project, field, value).name}" if value is not None
                           else f"no {name}")
        elif field == "checklist":
            count = len(value) if isinstance(value, list) else 0
            details.append(f"{name} of {count} item{'' if count == 1 else 's'}")
        elif field == "description":
            details.append("clear the description" if value is None else "new description")
        elif field == "title" and current is not None:
            details.append(f"title {_quoted(current.title)} → {_quoted(value)}")
        elif value is None:
            details.append(f"no {name}")
        else:
            details.append(f"{name} {_quoted(value)}" if current is None else f"{name} → {_quoted(value)}")
    return details


def _project_member(project: ProjectAccess, field: str, user_id: object) -> User:
    person = db.session.get(User, user_id) if is_id(user_id) else None
    if person is None or not is_member(project.project.id, person.id):
        raise Invalid(field, f"{field} must be a member of the project")
    return person


def _workspace_member(access: WorkspaceAccess, user_id: object) -> User:
    person = db.session.get(User, user_id) if is_id(user_id) else None
    try:
        if person is not None:
            workspace_access_by_id(person, access.workspace.id)
            return person
    except NotFound:
        pass
    raise Invalid("assigneeId", "assigneeId must be a member of this workspace")


def _mission(access: WorkspaceAccess, field: str, mission_id: object):
    try:
        return pilotage_items.get_mission(access, mission_id)
    except NotFound:
        raise Invalid(field, f"{field} does not match a mission of this workspace") from None


def _priority(access: WorkspaceAccess, priority_id: object):
    try:
        return pilotage_items.get_priority(access, priority_id)
    except NotFound:
        raise Invalid("priorityId", "priorityId does not match a priority of this workspace") from None
