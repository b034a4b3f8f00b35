"""Scopes: sub-boards of a project, each with its own columns (and so its own cards), dates
and the view its people last chose (kanban | list | calendar | roadmap | stats).

Any project member may create a scope and change it; deleting one removes its columns and
their cards, so only a project or workspace admin may. The project's own board is the board
without a scope (`scope_id` None): every board function takes a scope or None for it.
"""
import sqlalchemy as sa

from app.errors import Invalid, NotFound
from app.extensions import db
from app.ids import is_id
from app.models.board import SCOPE_VIEWS, Card, Column, Scope
from app.services import cards, rules
from app.services.projects import DEFAULT_COLUMNS, ProjectAccess, lock_project

SCOPE_FIELDS = ("name", "description", "startDate", "endDate")
MAX_DESCRIPTION = 5000


def list_scopes(access: ProjectAccess) -> list[Scope]:
    """The project's scopes, oldest first."""
    return list(db.session.scalars(sa.select(Scope).where(Scope.project_id == access.project.id)
                                   .order_by(Scope.created_at, Scope.id)))


def get_scope(access: ProjectAccess, scope_id: object, field: str | None = None) -> Scope:
    """A scope of this project. Raises NotFound (or Invalid on `field` when the id comes from a
    request body or query) if it is absent or belongs to another project."""
    scope = db.session.get(Scope, scope_id) if is_id(scope_id) else None
    if scope is None or scope.project_id != access.project.id:
        if field:
            raise Invalid(field, f"{field} is not a scope of this project")
        raise NotFound("Scope not found")
    return scope


def create_scope(access: ProjectAccess, fields: dict) -> Scope:
    """A new scope with the three default columns. Fields by wire name: name (required,
    1–200), description (≤ 5000), startDate / endDate (ISO dates, start not after end).
    Raises Invalid."""
    _reject_unknown(fields)
    if "name" not in fields:
        raise Invalid("name", "name is required")
    values = _values(fields)
    cards.check_dates(values.get("start_date"), values.get("end_date"), field="endDate")
    scope = Scope(project_id=access.project.id, created_by_id=access.user.id, **values)
    db.session.add(scope)
    db.session.flush()
    db.session.add_all([Column(project_id=access.project.id, scope_id=scope.id, name=name,
                               category=category, order=i)
                        for i, (name, category) in enumerate(DEFAULT_COLUMNS)])
    db.session.flush()
    return scope


def update_scope(access: ProjectAccess, scope_id: str, changes: dict) -> Scope:
    """Change name, description, startDate, endDate (null clears all but the name).
    Raises NotFound, Invalid."""
    _reject_unknown(changes)
    scope = get_scope(access, scope_id)
    values = _values(changes)
    start = values.get("start_date", scope.start_date)
    end = values.get("end_date", scope.end_date)
    cards.check_dates(start, end, field="endDate")
    for attribute, value in values.items():
        setattr(scope, attribute, value)
    db.session.flush()
    return scope


def delete_scope(access: ProjectAccess, scope_id: str) -> None:
    """Delete the scope with its columns and their cards (their files go after the commit).
    Raises NotFound, Forbidden (neither a project nor a workspace admin)."""
    scope = get_scope(access, scope_id)
    access.require_admin()
    lock_project(access.project.id)
    # Deleted through the session so the attachment files of these cards are scheduled for
    # removal (see `stored_files`); the database cascades the rest below each card.
    for card in db.session.scalars(sa.select(Card).join(Column, Column.id == Card.column_id)
                                   .where(Column.scope_id == scope.id)):
        db.session.delete(card)
    db.session.flush()
    db.session.execute(sa.delete(Column).where(Column.scope_id == scope.id)
                       .execution_options(synchronize_session=False))
    db.session.delete(scope)
    db.session.flush()


def set_active_view(access: ProjectAccess, scope_id: str, view: object) -> Scope:
    """Make `view` the scope's active view. Raises NotFound, Invalid (field `activeView`)."""
    scope = get_scope(access, scope_id)
    scope.active_view = rules.choice("activeView", view, SCOPE_VIEWS)
    db.session.flush()
    return scope


def board_scope(access: ProjectAccess, scope_id: object) -> Scope | None:
    """The scope a board request names, or None for the project's own board (no id given).
    Raises Invalid (field `scopeId`) for an id that is not a scope of this project."""
    if scope_id is None or scope_id == "":
        return None
    return get_scope(access, scope_id, field="scopeId")


def _values(fields: dict) -> dict:
    values = {}
    if "name" in fields:
        values["name"] = rules.text("name", fields["name"], max_len=200)
    if "description" in fields:
        values["description"] = rules.optional_text("description", fields["description"],
                                                    max_len=MAX_DESCRIPTION)
    if "startDate" in fields:
        values["start_date"] = rules.optional_datetime("startDate", fields["startDate"])
    if "endDate" in fields:
        values["end_date"] = rules.optional_datetime("endDate", fields["endDate"])
    return values


def _reject_unknown(fields: dict) -> None:
    for field in fields:
        if field not in SCOPE_FIELDS:
            raise Invalid(field, f"property {field} should not exist")
