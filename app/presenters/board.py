"""JSON shapes of board resources: projects, their members, columns, cards, the portfolio."""
from app.models.board import SCOPE_VIEWS, Card, ChecklistItem, Column, Project, ProjectMember, Scope
from app.services.card_extras import extras_of
from app.services.cards import card_key, checklist_progress
from app.services.portfolio import ProjectSummary
from app.timeutil import iso


def project_json(project: Project, my_role: str | None = None) -> dict:
    data = {
        "id": project.id, "name": project.name, "description": project.description,
        "key": project.key, "workspaceId": project.workspace_id,
    }
    if my_role is not None:
        data["myRole"] = my_role
    data["createdAt"] = iso(project.created_at)
    data["updatedAt"] = iso(project.updated_at)
    return data


def project_member_json(member: ProjectMember) -> dict:
    return {"userId": member.user_id, "email": member.user.email, "name": member.user.name,
            "role": member.role, "joinedAt": iso(member.created_at)}


def column_json(column: Column) -> dict:
    return {"id": column.id, "name": column.name, "projectId": column.project_id,
            "scopeId": column.scope_id, "order": column.order,
            "category": column.category, "wipLimit": column.wip_limit, "createdAt": iso(column.created_at)}


def scope_json(scope: Scope) -> dict:
    return {"id": scope.id, "projectId": scope.project_id, "name": scope.name,
            "description": scope.description, "startDate": iso(scope.start_date),
            "endDate": iso(scope.end_date), "activeView": scope.active_view,
            "createdAt": iso(scope.created_at), "updatedAt": iso(scope.updated_at)}


def scope_views_json(scope: Scope) -> dict:
    return {"views": list(SCOPE_VIEWS), "activeView": scope.active_view}


def checklist_item_json(item: ChecklistItem) -> dict:
    return {"_id": item.id, "title": item.title, "done": item.done, "order": item.order}


def card_json(card: Card) -> dict:
    """A card as the contract shows it. Expects `card.column`, `card.project`,
    `card.checklist_items` and the card's extras loaded (as `cards.list_cards` does) or loads
    them lazily."""
    extras = extras_of(card)
    return {
        "id": card.id,
        "key": card_key(card),
        "title": card.title,
        "description": card.description,
        "columnId": card.column_id,
        "order": card.order,
        "archived": card.archived,
        "priority": card.priority,
        "startDate": iso(card.start_date),
        "dueDate": iso(card.due_date),
        "assigneeId": card.assignee_id,
        "checklist": [checklist_item_json(i) for i in card.checklist_items],
        "commentCount": extras.comment_count,
        "attachmentCount": extras.attachment_count,
        "labels": list(extras.label_ids),
        "customFields": dict(extras.custom_fields),
        "checklistProgress": checklist_progress(card),
        "scopeId": card.column.scope_id,
        "status": card.column.category,
        "createdAt": iso(card.created_at),
        "updatedAt": iso(card.updated_at),
        "version": card.version,
    }


def portfolio_json(summary: ProjectSummary) -> dict:
    return {
        "projectId": summary.project.id,
        "name": summary.project.name,
        "key": summary.project.key,
        "myRole": summary.role,
        "totalCards": summary.total,
        "cardsByStatus": summary.by_status,
        "cardsByPriority": summary.by_priority,
        "overdue": summary.overdue,
        "archivedCards": summary.archived,
        "completion": summary.completion,
        "lastActivity": iso(summary.last_activity),
    }
