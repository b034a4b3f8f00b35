"""Built-in project templates: the columns (with their category and an optional WIP limit)
and the labels a new project starts from.

Templates are data, not rows: they ship with the code, so every workspace has the same ones.
Creating a project from a template creates its columns; labels are part of the template's
description for the label feature to pick up.
"""
import copy

from app.errors import Invalid

TEMPLATES: tuple[dict, ...] = (
    {
        "id": "basic-kanban",
        "name": "Basic kanban",
        "description": "Three stages for any kind of work: to do, doing, done.",
        "columns": [
            {"name": "To Do", "category": "todo"},
            {"name": "In Progress", "category": "in_progress", "wipLimit": 5},
            {"name": "Done", "category": "done"},
        ],
        "labels": [
            {"name": "Urgent", "color": "#dc2626"},
            {"name": "Improvement", "color": "#2563eb"},
            {"name": "Question", "color": "#9333ea"},
        ],
    },
    {
        "id": "scrum-sprint",
        "name": "Scrum sprint",
        "description": "A sprint board from backlog to done, with review before release.",
        "columns": [
            {"name": "Backlog", "category": "todo"},
            {"name": "Sprint Backlog", "category": "todo"},
            {"name": "In Progress", "category": "in_progress", "wipLimit": 4},
            {"name": "In Review", "category": "in_progress", "wipLimit": 3},
            {"name": "Done", "category": "done"},
        ],
        "labels": [
            {"name": "Story", "color": "#16a34a"},
            {"name": "Bug", "color": "#dc2626"},
            {"name": "Task", "color": "#2563eb"},
            {"name": "Spike", "color": "#ca8a04"},
        ],
    },
    {
        "id": "bug-tracking",
        "name": "Bug tracking",
        "description": "Triage incoming bugs, fix them, verify the fix, close them.",
        "columns": [
            {"name": "Reported", "category": "todo"},
            {"name": "Triaged", "category": "todo"},
            {"name": "Fixing", "category": "in_progress", "wipLimit": 5},
            {"name": "Verifying", "category": "in_progress"},
            {"name": "Closed", "category": "done"},
        ],
        "labels": [
            {"name": "Critical", "color": "#b91c1c"},
            {"name": "Major", "color": "#ea580c"},
            {"name": "Minor", "color": "#ca8a04"},
            {"name": "Regression", "color": "#7c3aed"},
            {"name": "Cannot reproduce", "color": "#6b7280"},
        ],
    },
    {
        "id": "product-launch",
        "name": "Product launch",
        "description": "From plan to launch day: content, readiness checks and follow-up.",
        "columns": [
            {"name": "Ideas", "category": "todo"},
            {"name": "Planned", "category": "todo"},
            {"name": "In Production", "category": "in_progress"},
            {"name": "Ready to Launch", "category": "in_progress"},
            {"name": "Launched", "category": "done"},
        ],
        "labels": [
            {"name": "Marketing", "color": "#db2777"},
            {"name": "Engineering", "color": "#2563eb"},
            {"name": "Design", "color": "#9333ea"},
            {"name": "Sales", "color": "#16a34a"},
            {"name": "Support", "color": "#0891b2"},
        ],
    },
    {
        "id": "content-calendar",
        "name": "Content calendar",
        "description": "Articles and posts from idea to publication.",
        "columns": [
            {"name": "Ideas", "category": "todo"},
            {"name": "Writing", "category": "in_progress", "wipLimit": 3},
            {"name": "Editing", "category": "in_progress"},
            {"name": "Scheduled", "category": "in_progress"},
            {"name": "Published", "category": "done"},
        ],
        "labels": [
            {"name": "Blog", "color": "#2563eb"},
            {"name": "Newsletter", "color": "#16a34a"},
            {"name": "Social", "color": "#db2777"},
        ],
    },
)

_BY_ID = {t["id"]: t for t in TEMPLATES}


def list_templates() -> list[dict]:
    """Every built-in template, as the API shows it (a copy: callers may change it freely)."""
    return copy.deepcopy(list(TEMPLATES))


def get_template(template_id: object) -> dict:
    """One template by id. Raises Invalid (field `templateId`) when there is no such template."""
    if not isinstance(template_id, str) or template_id not in _BY_ID:
        raise Invalid("templateId", f"templateId must be one of: {', '.join(_BY_ID)}")
    return copy.deepcopy(_BY_ID[template_id])
