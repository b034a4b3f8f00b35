"""Missions, priorities, todos, decisions and active docs of a workspace's cockpit.

Every function takes the caller's `WorkspaceAccess` and a `fields` mapping keyed by the wire
names (`objective`, `blockedReason`, `missionId`, ...). Unknown keys are refused, so a
proposed action's payload can be handed over as is.

Roles: reading needs pilotage `viewer`; changing a todo's `status` alone needs `reviewer`;
every other write needs `owner`. The `add_*` / `edit_*` functions do the same work without
the role check: they serve approved actions (`pilotage_actions`), whose authority is the
review that approved them. Every item is looked up inside the caller's workspace; an id from
another workspace is `NotFound` (in a path) or `Invalid` (in a body).
"""
from collections.abc import Iterable, Mapping

import sqlalchemy as sa

from app.errors import Conflict, Invalid, NotFound
from app.extensions import db
from app.ids import is_id
from app.models.board import Card
from app.models.identity import User, Workspace
from app.models.knowledge import Document
from app.models.pilotage import (
    DOC_SOURCE_TYPES,
    MAX_ACTIVE_PRIORITIES,
    MISSION_STATUSES,
    TODO_STATUSES,
    ActiveDoc,
    Decision,
    DecisionDocument,
    DecisionMission,
    Mission,
    Priority,
    Todo,
)
from app.services import cards, rules
from app.services.access import WorkspaceAccess, workspace_access_by_id
from app.services.projects import ProjectAccess
from app.timeutil import utcnow

MISSION_FIELDS = ("objective", "module", "status", "blockedReason")
PRIORITY_FIELDS = ("label", "module", "active", "rank")
TODO_FIELDS = ("label", "missionId", "priorityId", "status", "assigneeId", "cardId")
DECISION_FIELDS = ("title", "impact", "date", "missionIds", "documentIds")
DOC_FIELDS = ("title", "owner", "sourceType", "documentId")


# Missions -----------------------------------------------------------------------------------

def list_missions(access: WorkspaceAccess) -> list[Mission]:
    """Missions of the workspace, oldest first. Raises Forbidden (no pilotage role)."""
    access.require_pilotage("viewer")
    return _all(Mission, access, Mission.created_at, Mission.id)


def create_mission(access: WorkspaceAccess, fields: Mapping[str, object]) -> Mission:
    """Create a mission (`objective` required; `module`, `status`, `blockedReason`).

    Raises Forbidden (pilotage owner required), Invalid.
    """
    access.require_pilotage("owner")
    return add_mission(access, fields)


def add_mission(access: WorkspaceAccess, fields: Mapping[str, object]) -> Mission:
    """`create_mission` without the role check. Raises Invalid."""
    _known(fields, MISSION_FIELDS)
    if "objective" not in fields:
        raise Invalid("objective", "objective is required")
    mission = Mission(workspace_id=access.workspace.id, created_by_id=access.user.id, status="to_launch")
    _set_mission(mission, fields)
    db.session.add(mission)
    db.session.flush()
    return mission


def update_mission(access: WorkspaceAccess, mission_id: str, fields: Mapping[str, object]) -> Mission:
    """Change a mission. Leaving `blocked` clears `blockedReason`; `done` stamps `completedAt`.

    Raises Forbidden (pilotage owner required), NotFound, Invalid.
    """
    access.require_pilotage("owner")
    return edit_mission(access, get_mission(access, mission_id), fields)


def edit_mission(access: WorkspaceAccess, mission: Mission, fields: Mapping[str, object]) -> Mission:
    """`update_mission` without the role check, on a mission of `access`'s workspace. Raises Invalid."""
    _known(fields, MISSION_FIELDS)
    if mission.workspace_id != access.workspace.id:
        raise NotFound("Mission not found")
    _set_mission(mission, fields)
    db.session.flush()
    return mission


def delete_mission(access: WorkspaceAccess, mission_id: str) -> None:
    """Delete a mission; its todos stay, unlinked. Raises Forbidden, NotFound."""
    access.require_pilotage("owner")
    db.session.delete(get_mission(access, mission_id))
    db.session.flush()


def get_mission(access: WorkspaceAccess, mission_id: str) -> Mission:
    """Raises NotFound unless the mission belongs to the caller's workspace."""
    return _one(Mission, access, mission_id, "Mission not found")


def _set_mission(mission: Mission, fields: Mapping[str, object]) -> None:
    if "objective" in fields:
        mission.objective = rules.text("objective", fields["objective"], max_len=500)
    if "module" in fields:
        mission.module = rules.optional_text("module", fields["module"], max_len=100)
    if "status" in fields:
        status = rules.choice("status", fields["status"], MISSION_STATUSES)
        if status != mission.status:
            mission.completed_at = utcnow() if status == "done" else None
        mission.status = status
    if "blockedReason" in fields:
        mission.blocked_reason = rules.optional_text("blockedReason", fields["blockedReason"], max_len=200)
    if mission.status != "blocked":
        if fields.get("blockedReason") is not None:
            raise Invalid("blockedReason", "blockedReason only applies to a blocked mission")
        mission.blocked_reason = None


# Priorities ---------------------------------------------------------------------------------

def list_priorities(access: WorkspaceAccess) -> list[Priority]:
    """Active priorities by rank, then inactive ones, oldest first. Raises Forbidden."""
    access.require_pilotage("viewer")
    return list(db.session.scalars(
        sa.select(Priority).where(Priority.workspace_id == access.workspace.id)
        .order_by(Priority.active.desc(), Priority.rank, Priority.created_at, Priority.id)))


def create_priority(access: WorkspaceAccess, fields: Mapping[str, object]) -> Priority:
    """Create a priority (`label` required; `module`; `active`, default true; `rank`).

    An active priority takes `rank` (1 = first; default last) and the ones from that rank on
    move down one. Raises Forbidden (pilotage owner), Invalid, Conflict when four priorities
    are already active.
    """
    access.require_pilotage("owner")
    _known(fields, PRIORITY_FIELDS)
    if "label" not in fields:
        raise Invalid("label", "label is required")
    ranked = _active_priorities(access.workspace)
    priority = Priority(workspace_id=access.workspace.id, created_by_id=access.user.id, active=False)
    _set_priority_text(priority, fields)
    active = _bool("active", fields.get("active", True))
    if active:
        _insert_ranked(ranked, priority, fields.get("rank"))
    elif fields.get("rank") is not None:
        raise Invalid("rank", "Only active priorities are ranked")
    db.session.add(priority)
    db.session.flush()
    return priority


def update_priority(access: WorkspaceAccess, priority_id: str, fields: Mapping[str, object]) -> Priority:
    """Change a priority. A new `rank` moves it and shifts the others (ranks stay 1..n);
    `active: false` drops its rank; `active: true` ranks it (last unless `rank` says).

    Raises Forbidden, NotFound, Invalid, Conflict when activating a fifth priority.
    """
    access.require_pilotage("owner")
    _known(fields, PRIORITY_FIELDS)
    priority = get_priority(access, priority_id)
    ranked = _active_priorities(access.workspace)
    _set_priority_text(priority, fields)
    active = _bool("active", fields.get("active", priority.active))
    if priority.active and not active:
        if fields.get("rank") is not None:
            raise Invalid("rank", "Only active priorities are ranked")
        ranked.remove(priority)
        priority.active, priority.rank = False, None
        _renumber(ranked)
    elif not priority.active and active:
        _insert_ranked(ranked, priority, fields.get("rank"))
    elif not active and fields.get("rank") is not None:
        raise Invalid("rank", "Only active priorities are ranked")
    elif active and fields.get("rank") is not None:
        rank = _rank(fields["rank"], len(ranked))
        ranked.remove(priority)
        ranked.insert(rank - 1, priority)
        _renumber(ranked)
    db.session.flush()
    return priority


def delete_priority(access: WorkspaceAccess, priority_id: str) -> None:
    """Delete a priority; the ranks below move up. Raises Forbidden, NotFound."""
    access.require_pilotage("owner")
    priority = get_priority(access, priority_id)
    ranked = _active_priorities(access.workspace)
    if priority in ranked:
        ranked.remove(priority)
    db.session.delete(priority)
    db.session.flush()
    _renumber(ranked)
    db.session.flush()


def get_priority(access: WorkspaceAccess, priority_id: str) -> Priority:
    """Raises NotFound unless the priority belongs to the caller's workspace."""
    return _one(Priority, access, priority_id, "Priority not found")


def _active_priorities(workspace: Workspace) -> list[Priority]:
    """Active priorities by rank. The workspace row is locked first, so two requests cannot
    both take the fourth place."""
    db.session.execute(sa.select(Workspace.id).where(Workspace.id == workspace.id).with_for_update())
    return list(db.session.scalars(
        sa.select(Priority).where(Priority.workspace_id == workspace.id, Priority.active.is_(True))
        .order_by(Priority.rank, Priority.created_at, Priority.id)))


def _insert_ranked(ranked: list[Priority], priority: Priority, rank: object) -> None:
    if len(ranked) >= MAX_ACTIVE_PRIORITIES:
        raise Conflict(f"At most {MAX_ACTIVE_PRIORITIES} priorities can be active: deactivate one first")
    position = len(ranked) + 1 if rank is None else _rank(rank, len(ranked) + 1)
    priority.active = True
    ranked.insert(position - 1, priority)
    _renumber(ranked)


def _renumber(ranked: list[Priority]) -> None:
    for index, item in enumerate(ranked, start=1):
        item.rank = index


def _rank(value: object, highest: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= highest:
        raise Invalid("rank", f"rank must be a whole number from 1 to {highest}")
    return value


def _set_priority_text(priority: Priority, fields: Mapping[str, object]) -> None:
    if "label" in fields:
        priority.label = rules.text("label", fields["label"], max_len=200)
    if "module" in fields:
        priority.module = rules.optional_text("module", fields["module"], max_len=100)


# Todos --------------------------------------------------------------------------------------

def list_todos(access: WorkspaceAccess) -> list[Todo]:
    """Todos of the workspace, oldest first. Raises Forbidden."""
    access.require_pilotage("viewer")
    return _all(Todo, access, Todo.created_at, Todo.id)


def create_todo(access: WorkspaceAccess, fields: Mapping[str, object]) -> Todo:
    """Create a todo (`label` required; `missionId`, `priorityId`, `status`, `assigneeId`
    (a workspace member), `cardId` (a card of this workspace the caller can reach)).

    Raises Forbidden (pilotage owner), Invalid.
    """
    access.require_pilotage("owner")
    return add_todo(access, fields)


def add_todo(access: WorkspaceAccess, fields: Mapping[str, object]) -> Todo:
    """`create_todo` without the role check. Raises Invalid."""
    _known(fields, TODO_FIELDS)
    if "label" not in fields:
        raise Invalid("label", "label is required")
    todo = Todo(workspace_id=access.workspace.id, created_by_id=access.user.id, status="todo")
    _set_todo(access, todo, fields)
    db.session.add(todo)
    db.session.flush()
    return todo


def update_todo(access: WorkspaceAccess, todo_id: str, fields: Mapping[str, object]) -> Todo:
    """Change a todo. A change of `status` alone needs pilotage `reviewer`, anything else
    `owner`; `done` stamps `completedAt`.

    Raises Forbidden, NotFound, Invalid.
    """
    access.require_pilotage("reviewer" if set(fields) <= {"status"} else "owner")
    _known(fields, TODO_FIELDS)
    todo = get_todo(access, todo_id)
    _set_todo(access, todo, fields)
    db.session.flush()
    return todo


def delete_todo(access: WorkspaceAccess, todo_id: str) -> None:
    """Raises Forbidden (pilotage owner), NotFound."""
    access.require_pilotage("owner")
    db.session.delete(get_todo(access, todo_id))
    db.session.flush()


def get_todo(access: WorkspaceAccess, todo_id: str) -> Todo:
    """Raises NotFound unless the todo belongs to the caller's workspace."""
    return _one(Todo, access, todo_id, "Todo not found")


def _set_todo(access: WorkspaceAccess, todo: Todo, fields: Mapping[str, object]) -> None:
    if "label" in fields:
        todo.label = rules.text("label", fields["label"], max_len=500)
    if "status" in fields:
        status = rules.choice("status", fields["status"], TODO_STATUSES)
        if status != todo.status:
            todo.completed_at = utcnow() if status == "done" else None
        todo.status = status
    if "missionId" in fields:
        todo.mission_id = _ref(access, Mission, "missionId", fields["missionId"], "mission")
    if "priorityId" in fields:
        todo.priority_id = _ref(access, Priority, "priorityId", fields["priorityId"], "priority")
    if "assigneeId" in fields:
        todo.assignee_id = _assignee(access, fields["assigneeId"])
    if "cardId" in fields:
        card_id = fields["cardId"]
        todo.card_id = None if card_id is None else reachable_card(access, "cardId", card_id)[0].id


def _assignee(access: WorkspaceAccess, user_id: object) -> str | None:
    if user_id is None:
        return None
    user = db.session.get(User, user_id) if is_id(user_id) else None
    if user is not None:
        try:
            workspace_access_by_id(user, access.workspace.id)
            return user.id
        except NotFound:
            pass
    raise Invalid("assigneeId", "assigneeId must be a member of this workspace")


def reachable_card(access: WorkspaceAccess, field: str, card_id: object) -> tuple[Card, ProjectAccess]:
    """The card `card_id` and the caller's standing in its project, if that project is in the
    caller's workspace and the caller reaches it (the board services' rule: workspace admins
    reach every project, members the ones they belong to).

    Raises Invalid (field `field`) otherwise: out of reach looks like absent.
    """
    try:
        card, project = cards.card_access(access.user, card_id)
    except NotFound:
        project = None
    if project is None or project.project.workspace_id != access.workspace.id:
        raise Invalid(field, f"{field} does not match a card you can reach in this workspace")
    return card, project


# Decisions ----------------------------------------------------------------------------------

def list_decisions(access: WorkspaceAccess) -> list[Decision]:
    """Decisions, latest `date` first. Raises Forbidden."""
    access.require_pilotage("viewer")
    return _all(Decision, access, Decision.decided_at.desc(), Decision.id.desc())


def create_decision(access: WorkspaceAccess, fields: Mapping[str, object]) -> Decision:
    """Record a decision (`title` required; `impact`; `date`, default now; `missionIds` and
    `documentIds` (knowledge-base documents), of this workspace).

    Raises Forbidden (pilotage owner), Invalid.
    """
    access.require_pilotage("owner")
    return add_decision(access, fields)


def add_decision(access: WorkspaceAccess, fields: Mapping[str, object]) -> Decision:
    """`create_decision` without the role check. Raises Invalid."""
    _known(fields, DECISION_FIELDS)
    if "title" not in fields:
        raise Invalid("title", "title is required")
    decision = Decision(workspace_id=access.workspace.id, created_by_id=access.user.id)
    _set_decision(access, decision, {"date": None, **fields})
    return decision


def update_decision(access: WorkspaceAccess, decision_id: str, fields: Mapping[str, object]) -> Decision:
    """Change a decision; `missionIds` and `documentIds` replace the links.

    Raises Forbidden (pilotage owner), NotFound, Invalid.
    """
    access.require_pilotage("owner")
    _known(fields, DECISION_FIELDS)
    decision = get_decision(access, decision_id)
    _set_decision(access, decision, fields)
    return decision


def delete_decision(access: WorkspaceAccess, decision_id: str) -> None:
    """Raises Forbidden (pilotage owner), NotFound."""
    access.require_pilotage("owner")
    db.session.delete(get_decision(access, decision_id))
    db.session.flush()


def get_decision(access: WorkspaceAccess, decision_id: str) -> Decision:
    """Raises NotFound unless the decision belongs to the caller's workspace."""
    return _one(Decision, access, decision_id, "Decision not found")


def decision_links(decision_ids: Iterable[str]) -> dict[str, tuple[list[str], list[str]]]:
    """`{decisionId: (missionIds, documentIds)}` for many decisions in one query."""
    ids = list(decision_ids)
    links: dict[str, tuple[list[str], list[str]]] = {i: ([], []) for i in ids}
    if not ids:
        return links
    for decision_id, mission_id in db.session.execute(
            sa.select(DecisionMission.decision_id, DecisionMission.mission_id)
            .where(DecisionMission.decision_id.in_(ids)).order_by(DecisionMission.mission_id)):
        links[decision_id][0].append(mission_id)
    for decision_id, document_id in db.session.execute(
            sa.select(DecisionDocument.decision_id, DecisionDocument.document_id)
            .where(DecisionDocument.decision_id.in_(ids)).order_by(DecisionDocument.document_id)):
        links[decision_id][1].append(document_id)
    return links


def _set_decision(access: WorkspaceAccess, decision: Decision, fields: Mapping[str, object]) -> None:
    if "title" in fields:
        decision.title = rules.text("title", fields["title"], max_len=200)
    if "impact" in fields:
        decision.impact = rules.optional_text("impact", fields["impact"], max_len=2000)
    if "date" in fields:
        decision.decided_at = rules.optional_datetime("date", fields["date"]) or utcnow()
    mission_ids = document_ids = None
    if "missionIds" in fields:
        mission_ids = _id_list(access, Mission, "missionIds", fields["missionIds"], "mission")
    if "documentIds" in fields:
        document_ids = _id_list(access, Document, "documentIds", fields["documentIds"], "document")
    db.session.add(decision)
    db.session.flush()
    if mission_ids is not None:
        db.session.execute(sa.delete(DecisionMission).where(DecisionMission.decision_id == decision.id))
        db.session.add_all(DecisionMission(decision_id=decision.id, mission_id=i) for i in mission_ids)
    if document_ids is not None:
        db.session.execute(sa.delete(DecisionDocument).where(DecisionDocument.decision_id == decision.id))
        db.session.add_all(DecisionDocument(decision_id=decision.id, document_id=i) for i in document_ids)
    db.session.flush()


# Active docs --------------------------------------------------------------------------------

def list_docs(access: WorkspaceAccess) -> list[ActiveDoc]:
    """Active docs, oldest first. Raises Forbidden."""
    access.require_pilotage("viewer")
    return _all(ActiveDoc, access, ActiveDoc.created_at, ActiveDoc.id)


def create_doc(access: WorkspaceAccess, fields: Mapping[str, object]) -> ActiveDoc:
    """Register an active doc (`title` required; `owner`; `sourceType` product | tech |
    sprint | ops; `documentId`, a knowledge-base document of this workspace, or null).

    Raises Forbidden (pilotage owner), Invalid.
    """
    access.require_pilotage("owner")
    _known(fields, DOC_FIELDS)
    if "title" not in fields:
        raise Invalid("title", "title is required")
    doc = ActiveDoc(workspace_id=access.workspace.id, created_by_id=access.user.id)
    _set_doc(access, doc, fields)
    db.session.add(doc)
    db.session.flush()
    return doc


def update_doc(access: WorkspaceAccess, doc_id: str, fields: Mapping[str, object]) -> ActiveDoc:
    """Raises Forbidden (pilotage owner), NotFound, Invalid."""
    access.require_pilotage("owner")
    _known(fields, DOC_FIELDS)
    doc = get_doc(access, doc_id)
    _set_doc(access, doc, fields)
    db.session.flush()
    return doc


def delete_doc(access: WorkspaceAccess, doc_id: str) -> None:
    """Raises Forbidden (pilotage owner), NotFound."""
    access.require_pilotage("owner")
    db.session.delete(get_doc(access, doc_id))
    db.session.flush()


def get_doc(access: WorkspaceAccess, doc_id: str) -> ActiveDoc:
    """Raises NotFound unless the doc belongs to the caller's workspace."""
    return _one(ActiveDoc, access, doc_id, "Doc not found")


def _set_doc(access: WorkspaceAccess, doc: ActiveDoc, fields: Mapping[str, object]) -> None:
    if "title" in fields:
        doc.title = rules.text("title", fields["title"], max_len=200)
    if "owner" in fields:
        doc.owner = rules.optional_text("owner", fields["owner"], max_len=100)
    if "sourceType" in fields:
        source = fields["sourceType"]
        doc.source_type = None if source is None else rules.choice("sourceType", source, DOC_SOURCE_TYPES)
    if "documentId" in fields:
        doc.document_id = _ref(access, Document, "documentId", fields["documentId"], "document")


# Shared -------------------------------------------------------------------------------------

def _known(fields: Mapping[str, object], allowed: tuple[str, ...]) -> None:
    for field in fields:
        if field not in allowed:
            raise Invalid(field, f"{field} is not a known field (expected: {', '.join(allowed)})")


def _bool(field: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise Invalid(field, f"{field} must be a boolean")
    return value


def _all(model, access: WorkspaceAccess, *order) -> list:
    return list(db.session.scalars(
        sa.select(model).where(model.workspace_id == access.workspace.id).order_by(*order)))


def _one(model, access: WorkspaceAccess, item_id: str, message: str):
    item = db.session.get(model, item_id) if is_id(item_id) else None
    if item is None or item.workspace_id != access.workspace.id:
        raise NotFound(message)
    return item


def _ref(access: WorkspaceAccess, model, field: str, value: object, noun: str) -> str | None:
    """`None`, or the id of a `model` row of the caller's workspace. Raises Invalid."""
    if value is None:
        return None
    item = db.session.get(model, value) if is_id(value) else None
    if item is None or item.workspace_id != access.workspace.id:
        raise Invalid(field, f"{field} does not match a {noun} of this workspace")
    return item.id


def _id_list(access: WorkspaceAccess, model, field: str, value: object, noun: str) -> list[str]:
    if not isinstance(value, list):
        raise Invalid(field, f"{field} must be an array of ids")
    ids = list(dict.fromkeys(value)) if all(isinstance(v, str) for v in value) else None
    if ids is None or not all(is_id(i) for i in ids):
        raise Invalid(field, f"{field} must be an array of ids")
    found = set(db.session.scalars(sa.select(model.id).where(
        model.id.in_(ids), model.workspace_id == access.workspace.id))) if ids else set()
    if len(found) != len(ids):
        raise Invalid(field, f"{field} must only name {noun}s of this workspace")
    return ids
