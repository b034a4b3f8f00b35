"""Proposed actions: propose, review, apply.

An action goes `suggested` → `approved` | `rejected` (review, pilotage `reviewer`) →
`applied` (apply, `reviewer`). Only an `approved` action can be applied, and only once: the
apply first claims the row with `UPDATE … WHERE status = 'approved'`, so of two concurrent
applies exactly one proceeds and the other gets Conflict.

Apply runs the action through the same services as the API, inside a savepoint: it is all
or nothing. When it fails (a payload that does not validate, a card out of reach, a rule of
the target service), nothing it did is kept, the action stays `approved` with the reason in
`lastError`, and `ApplyFailed` is raised; the caller commits that record before answering.
It can be applied again later (e.g. once the missing column exists). A success stores
`result`, `appliedBy` and `appliedAt` and clears `lastError`.

Each action type is a small class in `ACTION_TYPES` with `fields`/`required` (the payload's
whitelist) and `run(access, payload) → result dict`. The review that approved an action is
its authority: `run` uses the role-free `add_*`/`edit_*` pilotage services, while card
actions still go through the board services as the applying user, who must reach the card's
project in this workspace.
"""
import json
from collections.abc import Mapping

import sqlalchemy as sa

from app.errors import Conflict, DomainError, Invalid, NotFound
from app.extensions import db
from app.ids import is_id
from app.models.board import Column
from app.models.pilotage import ACTION_STATUSES, ProposedAction
from app.services import cards, comments, pilotage_items, rules
from app.services.access import WorkspaceAccess
from app.services.columns import all_columns, list_columns
from app.services.projects import ProjectAccess, project_access_by_id
from app.timeutil import utcnow

MAX_PAYLOAD_CHARS = 20_000


class ApplyFailed(DomainError):
    """An approved action could not be applied; nothing changed but `action.last_error`."""

    def __init__(self, action: ProposedAction, cause: DomainError):
        field = getattr(cause, "field", None)
        details = [{"field": f"payload.{field}", "message": cause.message}] if field else None
        super().__init__(f"The action could not be applied: {cause.message}", details)
        self.status = 409 if isinstance(cause, Conflict) else 400
        self.action = action


class ActionType:
    """One kind of action. `fields` is the payload's whitelist, `required` its musts."""

    name = ""
    fields: tuple[str, ...] = ()
    required: tuple[str, ...] = ()

    def validate(self, payload: Mapping[str, object]) -> None:
        """Raises Invalid (field = the payload key) for unknown or missing keys."""
        for key in payload:
            if key not in self.fields:
                raise Invalid(key, f"{key} is not part of a {self.name} payload "
                                   f"(expected: {', '.join(self.fields)})")
        for key in self.required:
            if payload.get(key) is None:
                raise Invalid(key, f"{key} is required for {self.name}")

    def run(self, access: WorkspaceAccess, payload: dict) -> dict:
        raise NotImplementedError


class MoveCard(ActionType):
    """`{cardId, targetColumn, order?}`: `targetColumn` is a column id or a column name
    (case-insensitive) of the card's project; `order` is 0-based, last by default."""

    name = "move_card"
    fields = ("cardId", "targetColumn", "order")
    required = ("cardId", "targetColumn")

    def run(self, access, payload):
        card, project = pilotage_items.reachable_card(access, "cardId", payload["cardId"])
        column = _column(project, "targetColumn", payload["targetColumn"])
        card = cards.move_card(access.user, card.id, column.id, payload.get("order"))
        return {"cardId": card.id, "columnId": card.column_id, "order": card.order}


class CreateCard(ActionType):
    """`{projectId, title, column?, description?, priority?, startDate?, dueDate?,
    assigneeId?, checklist?}`: `column` is a column id or name, the first column by default."""

    name = "create_card"
    fields = ("projectId", "column", *cards.CONTENT_FIELDS)
    required = ("projectId", "title")

    def run(self, access, payload):
        project = _project(access, payload["projectId"])
        if payload.get("column") is None:
            columns = list_columns(project)
            if not columns:
                raise Invalid("projectId", "The project has no column to put the card in")
            column = columns[0]
        else:
            column = _column(project, "column", payload["column"])
        content = {k: v for k, v in payload.items() if k in cards.CONTENT_FIELDS}
        card = cards.create_card(access.user, column.id, expected_project_id=project.project.id, **content)
        return {"cardId": card.id, "projectId": card.project_id, "columnId": card.column_id}


class UpdateCard(ActionType):
    """`{cardId, title?, description?, priority?, startDate?, dueDate?, assigneeId?,
    checklist?}`: at least one field to change; `null` clears a nullable field."""

    name = "update_card"
    fields = ("cardId", *cards.CONTENT_FIELDS)
    required = ("cardId",)

    def run(self, access, payload):
        card, _ = pilotage_items.reachable_card(access, "cardId", payload["cardId"])
        changes = {k: v for k, v in payload.items() if k != "cardId"}
        if not changes:
            raise Invalid("cardId", "update_card needs at least one field to change")
        card = cards.update_card(access.user, card.id, changes)
        return {"cardId": card.id, "changed": sorted(changes)}


class ArchiveCard(ActionType):
    """`{cardId}`: archive the card (an archived card stays archived)."""

    name = "archive_card"
    fields = ("cardId",)
    required = ("cardId",)

    def run(self, access, payload):
        card, _ = pilotage_items.reachable_card(access, "cardId", payload["cardId"])
        card = cards.archive_card(access.user, card.id, True)
        return {"cardId": card.id, "archived": card.archived}


class AssignCard(ActionType):
    """`{cardId, assigneeId}`: a member of the card's project, or `null` to unassign."""

    name = "assign_card"
    fields = ("cardId", "assigneeId")
    required = ("cardId",)

    def validate(self, payload):
        super().validate(payload)
        if "assigneeId" not in payload:
            raise Invalid("assigneeId", "assigneeId is required for assign_card (null unassigns)")

    def run(self, access, payload):
        card, _ = pilotage_items.reachable_card(access, "cardId", payload["cardId"])
        card = cards.update_card(access.user, card.id, {"assigneeId": payload["assigneeId"]})
        return {"cardId": card.id, "assigneeId": card.assignee_id}


class AddComment(ActionType):
    """`{cardId, content}`: post a comment (1–2000 characters) on the card as the applying
    user; its `@mentions` notify as any comment's do."""

    name = "add_comment"
    fields = ("cardId", "content")
    required = ("cardId", "content")

    def run(self, access, payload):
        card, _ = pilotage_items.reachable_card(access, "cardId", payload["cardId"])
        comment = comments.add_comment(access.user, card.id, payload["content"])
        return {"cardId": card.id, "commentId": comment.id}


class CreateTodo(ActionType):
    name = "create_todo"
    fields = pilotage_items.TODO_FIELDS
    required = ("label",)

    def run(self, access, payload):
        return {"todoId": pilotage_items.add_todo(access, payload).id}


class UpdateMission(ActionType):
    name = "update_mission"
    fields = ("missionId", *pilotage_items.MISSION_FIELDS)
    required = ("missionId",)

    def run(self, access, payload):
        changes = {k: v for k, v in payload.items() if k != "missionId"}
        if not changes:
            raise Invalid("missionId", "update_mission needs at least one field to change")
        try:
            mission = pilotage_items.get_mission(access, _id("missionId", payload["missionId"]))
        except NotFound:
            raise Invalid("missionId", "missionId does not match a mission of this workspace") from None
        mission = pilotage_items.edit_mission(access, mission, changes)
        return {"missionId": mission.id, "status": mission.status}


class CreateDecision(ActionType):
    name = "create_decision"
    fields = pilotage_items.DECISION_FIELDS
    required = ("title",)

    def run(self, access, payload):
        return {"decisionId": pilotage_items.add_decision(access, payload).id}


ACTION_TYPES: dict[str, ActionType] = {t.name: t for t in (
    MoveCard(), CreateCard(), UpdateCard(), ArchiveCard(), AssignCard(), AddComment(),
    CreateTodo(), UpdateMission(), CreateDecision(),
)}


# Propose, list, review ----------------------------------------------------------------------

def propose_action(access: WorkspaceAccess, action_type: object, explanation: object,
                   payload: object = None) -> ProposedAction:
    """Propose an action for review (any pilotage role, `viewer` included). The type and
    payload are only checked for shape here: an unknown type cannot be approved, and the
    payload is validated when the action is applied.

    Raises Forbidden, Invalid (type > 100 characters, explanation > 500, payload not an
    object or too large).
    """
    access.require_pilotage("viewer")
    action_type = rules.text("actionType", action_type, max_len=100)
    explanation = rules.text("explanation", explanation, max_len=500)
    if payload is None:
        payload = {}
    if not isinstance(payload, dict):
        raise Invalid("payload", "payload must be an object")
    if len(json.dumps(payload)) > MAX_PAYLOAD_CHARS:
        raise Invalid("payload", f"payload must be at most {MAX_PAYLOAD_CHARS} characters of JSON")
    action = ProposedAction(workspace_id=access.workspace.id, action_type=action_type,
                            explanation=explanation, payload=payload, status="suggested",
                            proposed_by_id=access.user.id)
    db.session.add(action)
    db.session.flush()
    return action


def list_actions(access: WorkspaceAccess, status: object = None) -> list[ProposedAction]:
    """Proposed actions, newest first, optionally of one status.

    Raises Forbidden, Invalid (unknown status).
    """
    access.require_pilotage("viewer")
    query = sa.select(ProposedAction).where(ProposedAction.workspace_id == access.workspace.id)
    if status is not None:
        query = query.where(ProposedAction.status == rules.choice("status", status, ACTION_STATUSES))
    return list(db.session.scalars(query.order_by(ProposedAction.created_at.desc(), ProposedAction.id.desc())))


def get_action(access: WorkspaceAccess, action_id: str) -> ProposedAction:
    """Raises Forbidden, NotFound (absent or of another workspace)."""
    access.require_pilotage("viewer")
    action = db.session.get(ProposedAction, action_id) if is_id(action_id) else None
    if action is None or action.workspace_id != access.workspace.id:
        raise NotFound("Action not found")
    return action


def review_action(access: WorkspaceAccess, action_id: str, approved: object,
                  reason: object = None) -> ProposedAction:
    """Approve or reject a `suggested` action, with an optional reason (≤ 200 characters).

    Raises Forbidden (pilotage reviewer), NotFound, Invalid, Conflict when the action was
    already reviewed or when approving a type that cannot be applied.
    """
    access.require_pilotage("reviewer")
    action = get_action(access, action_id)
    if not isinstance(approved, bool):
        raise Invalid("approved", "approved must be a boolean")
    reason = rules.optional_text("reason", reason, max_len=200)
    if action.status != "suggested":
        raise Conflict(f"This action was already reviewed (status '{action.status}')")
    if approved and action.action_type not in ACTION_TYPES:
        raise Conflict(f"Unknown action type '{action.action_type}': it cannot be approved for apply "
                       f"(known types: {', '.join(sorted(ACTION_TYPES))})")
    now = utcnow()
    _transition(action, "suggested", status="approved" if approved else "rejected",
                reviewed_by_id=access.user.id, reviewed_at=now, review_reason=reason, updated_at=now)
    return action


# Apply --------------------------------------------------------------------------------------

def apply_action(access: WorkspaceAccess, action_id: str) -> ProposedAction:
    """Perform an approved action, exactly once, all or nothing (see the module doc).

    Raises Forbidden (pilotage reviewer), NotFound, Conflict (not `approved`, or applied
    meanwhile), ApplyFailed (400, or 409 when a target rule conflicts).
    """
    access.require_pilotage("reviewer")
    action = get_action(access, action_id)
    if action.status != "approved":
        raise Conflict(f"Only an approved action can be applied (this one is '{action.status}')")
    handler = ACTION_TYPES.get(action.action_type)
    if handler is None:
        raise Conflict(f"Unknown action type '{action.action_type}': it cannot be applied")
    now = utcnow()
    _transition(action, "approved", status="applied", applied_by_id=access.user.id, applied_at=now,
                updated_at=now)
    payload = dict(action.payload or {})
    try:
        with db.session.begin_nested():
            handler.validate(payload)
            result = handler.run(access, payload)
    except DomainError as error:
        _transition(action, "applied", status="approved", applied_by_id=None, applied_at=None,
                    last_error=error.message[:500], updated_at=utcnow())
        raise ApplyFailed(action, error) from None
    action.result = result
    action.last_error = None
    db.session.flush()
    return action


def _transition(action: ProposedAction, expected: str, **values) -> None:
    """Move the action on from `expected` with a conditional UPDATE, the one guard against a
    concurrent review or apply. Raises Conflict when another request moved it first."""
    changed = db.session.execute(
        sa.update(ProposedAction)
        .where(ProposedAction.id == action.id, ProposedAction.status == expected)
        .values(**values).execution_options(synchronize_session=False)).rowcount
    if changed != 1:
        db.session.refresh(action)
        raise Conflict(f"This action changed meanwhile (status '{action.status}')")
    db.session.refresh(action)


def _project(access: WorkspaceAccess, project_id: object) -> ProjectAccess:
    """A project of this workspace that the applying user reaches. Raises Invalid."""
    try:
        project = project_access_by_id(access.user, project_id)
    except NotFound:
        project = None
    if project is None or project.project.workspace_id != access.workspace.id:
        raise Invalid("projectId", "projectId does not match a project you can reach in this workspace")
    return project


def _column(project: ProjectAccess, field: str, value: object) -> Column:
    """A column of the project (its own board's or a scope's), by id or by name
    (case-insensitive). Raises Invalid."""
    columns = all_columns(project)
    if not isinstance(value, str) or not value.strip():
        raise Invalid(field, f"{field} must be a column id or name")
    by_id = [c for c in columns if c.id == value]
    matches = by_id or [c for c in columns if c.name.strip().casefold() == value.strip().casefold()]
    if len(matches) == 1:
        return matches[0]
    names = ", ".join(c.name for c in columns)
    if matches:
        raise Invalid(field, f"Several columns are named '{value}': give the column id")
    raise Invalid(field, f"{field} '{value}' is not a column of the project (columns: {names})")


def _id(field: str, value: object) -> str:
    if not is_id(value):
        raise Invalid(field, f"{field} must be an id")
    return value  # type: ignore[return-value]
