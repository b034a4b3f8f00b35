"""The portfolio: one summary per project the caller can reach, computed with two queries
whatever the number of projects and cards."""
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from app.extensions import db
from app.models.board import COLUMN_CATEGORIES, PRIORITIES, Card, Column, Project
from app.services.access import WorkspaceAccess
from app.services.projects import list_projects
from app.timeutil import utcnow

NO_PRIORITY = "none"


@dataclass
class ProjectSummary:
    """Active (non-archived) cards of one project by status and priority, how many are
    overdue (due date passed, not in a `done` column), the completion percentage (done
    cards over active cards, rounded down) and the last change to the project or a card."""

    project: Project
    role: str
    by_status: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COLUMN_CATEGORIES, 0))
    by_priority: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys((*reversed(PRIORITIES), NO_PRIORITY), 0))
    overdue: int = 0
    archived: int = 0
    last_activity: datetime | None = None

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def completion(self) -> int:
        return self.by_status["done"] * 100 // self.total if self.total else 0


def portfolio(ws_access: WorkspaceAccess, now: datetime | None = None) -> list[ProjectSummary]:
    """Summaries of the projects of the workspace the caller can reach, oldest project first."""
    now = now or utcnow()
    summaries = {p.id: ProjectSummary(project=p, role=role, last_activity=p.updated_at)
                 for p, role in list_projects(ws_access)}
    if not summaries:
        return []
    overdue = sa.and_(Card.archived.is_(False), Card.due_date < now, Column.category != "done")
    rows = db.session.execute(
        sa.select(Card.project_id, Card.archived, Column.category, Card.priority,
                  sa.func.count(), sa.func.count().filter(overdue), sa.func.max(Card.updated_at))
        .join(Column, Column.id == Card.column_id)
        .where(Card.project_id.in_(list(summaries)))
        .group_by(Card.project_id, Card.archived, Column.category, Card.priority)
    ).all()
    for project_id, archived, category, priority, count, late, last in rows:
        summary = summaries[project_id]
        if last is not None and (summary.last_activity is None or last > summary.last_activity):
            summary.last_activity = last
        if archived:
            summary.archived += count
            continue
        summary.by_status[category] = summary.by_status.get(category, 0) + count
        key = priority or NO_PRIORITY
        summary.by_priority[key] = summary.by_priority.get(key, 0) + count
        summary.overdue += late
    return list(summaries.values())
