"""JSON shapes of the cockpit's resources."""
from app.models.pilotage import ActiveDoc, Decision, Mission, Priority, ProposedAction, Todo
from app.timeutil import iso


def mission_json(mission: Mission) -> dict:
    return {
        "id": mission.id, "objective": mission.objective, "module": mission.module,
        "status": mission.status, "blockedReason": mission.blocked_reason,
        "completedAt": iso(mission.completed_at),
        "createdAt": iso(mission.created_at), "updatedAt": iso(mission.updated_at),
    }


def priority_json(priority: Priority) -> dict:
    return {
        "id": priority.id, "label": priority.label, "module": priority.module,
        "active": priority.active, "rank": priority.rank,
        "createdAt": iso(priority.created_at), "updatedAt": iso(priority.updated_at),
    }


def todo_json(todo: Todo) -> dict:
    return {
        "id": todo.id, "label": todo.label, "missionId": todo.mission_id,
        "priorityId": todo.priority_id, "status": todo.status, "assigneeId": todo.assignee_id,
        "cardId": todo.card_id, "completedAt": iso(todo.completed_at),
        "createdAt": iso(todo.created_at), "updatedAt": iso(todo.updated_at),
    }


def decision_json(decision: Decision, mission_ids: list[str], document_ids: list[str]) -> dict:
    return {
        "id": decision.id, "title": decision.title, "impact": decision.impact,
        "date": iso(decision.decided_at), "missionIds": mission_ids, "documentIds": document_ids,
        "createdAt": iso(decision.created_at), "updatedAt": iso(decision.updated_at),
    }


def doc_json(doc: ActiveDoc) -> dict:
    return {
        "id": doc.id, "title": doc.title, "owner": doc.owner, "sourceType": doc.source_type,
        "documentId": doc.document_id,
        "createdAt": iso(doc.created_at), "updatedAt": iso(doc.updated_at),
    }


def action_json(action: ProposedAction) -> dict:
    return {
        "id": action.id, "actionType": action.action_type, "explanation": action.explanation,
        "status": action.status, "payload": action.payload,
        "proposedBy": action.proposed_by_id,
        "reviewedBy": action.reviewed_by_id, "reviewedAt": iso(action.reviewed_at),
        "reason": action.review_reason,
        "appliedBy": action.applied_by_id, "appliedAt": iso(action.applied_at),
        "result": action.result, "lastError": action.last_error,
        "createdAt": iso(action.created_at), "updatedAt": iso(action.updated_at),
    }


def cycle_json(label: str, started_at) -> dict:
    return {"cycle": label, "startedAt": iso(started_at)}


# The `minimal` detail level of the state: ids, titles and statuses only.

def mission_brief(mission: Mission) -> dict:
    return {"id": mission.id, "objective": mission.objective, "status": mission.status}


def priority_brief(priority: Priority) -> dict:
    return {"id": priority.id, "label": priority.label, "rank": priority.rank}


def todo_brief(todo: Todo) -> dict:
    return {"id": todo.id, "label": todo.label, "status": todo.status}


def decision_brief(decision: Decision) -> dict:
    return {"id": decision.id, "title": decision.title}


def doc_brief(doc: ActiveDoc) -> dict:
    return {"id": doc.id, "title": doc.title}


def action_brief(action: ProposedAction) -> dict:
    return {"id": action.id, "actionType": action.action_type, "status": action.status}
