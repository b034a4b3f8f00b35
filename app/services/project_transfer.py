"""Project export and import.

`export_project` gives a complete JSON snapshot: the project, its members (by e-mail), its
columns and all its cards (archived ones included) with their checklists. `import_project`
takes such a snapshot, or the reference's short form
`{"project": {"name"}, "columns": [{"name"}], "cards": [{"title", "columnIndex", ...}]}`,
and creates a new project from it: export → import gives the same board.

Import is all or nothing: the whole document is validated before anything is written, and
the first problem is reported (Invalid, with the path of the offending field such as
`cards[3].title`). At most 50 columns and 500 cards. Cards keep their numbers (so their
keys) when the document gives them. People are matched by e-mail (or id) among the members
of the target workspace and become project members; anyone else is left out and their cards
are imported unassigned. WIP limits are kept but not enforced on the imported cards: a
snapshot may hold more cards than a limit set later.
"""
from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa

from app.errors import Invalid
from app.extensions import db
from app.ids import is_id, new_id
from app.models.board import (
    COLUMN_CATEGORIES,
    PRIORITIES,
    PROJECT_ROLES,
    Card,
    ChecklistItem,
    Column,
    Project,
    ProjectMember,
)
from app.models.identity import OrgMember, User, WorkspaceMember
from app.services import rules
from app.services.access import ORG_MANAGERS, WorkspaceAccess
from app.services.cards import check_dates, checklist_values, description_value, list_cards
from app.services.columns import list_columns, wip_limit_value
from app.services.projects import DEFAULT_COLUMNS, KEY_RE, ProjectAccess, derive_key, list_members, new_project
from app.timeutil import iso, utcnow

FORMAT = "stellary.project"
FORMAT_VERSION = 1
MAX_COLUMNS = 50
MAX_CARDS = 500
MAX_CARD_NUMBER = 1_000_000_000
TOP_FIELDS = ("format", "version", "exportedAt", "project", "members", "columns", "cards")
PROJECT_FIELDS = ("name", "description", "key")
MEMBER_FIELDS = ("email", "name", "role")
COLUMN_FIELDS = ("name", "order", "category", "wipLimit")
CARD_FIELDS = ("number", "key", "title", "description", "columnIndex", "order", "archived", "priority",
               "startDate", "dueDate", "assigneeId", "assigneeEmail", "checklist")


def export_project(access: ProjectAccess) -> dict:
    """The project as a JSON-ready snapshot (any project member may export)."""
    project = access.project
    columns = list_columns(access)
    index = {c.id: i for i, c in enumerate(columns)}
    cards = list_cards(access, archived="all")
    members = list_members(access)
    emails = {m.user_id: m.user.email for m in members}
    missing = {c.assignee_id for c in cards if c.assignee_id and c.assignee_id not in emails}
    if missing:
        emails.update(db.session.execute(sa.select(User.id, User.email).where(User.id.in_(missing))).all())
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exportedAt": iso(utcnow()),
        "project": {"name": project.name, "description": project.description, "key": project.key},
        "members": [{"email": m.user.email, "name": m.user.name, "role": m.role} for m in members],
        "columns": [{"name": c.name, "order": c.order, "category": c.category, "wipLimit": c.wip_limit}
                    for c in columns],
        "cards": [{
            "number": c.number,
            "key": f"{project.key}-{c.number}",
            "title": c.title,
            "description": c.description,
            "columnIndex": index[c.column_id],
            "order": c.order,
            "archived": c.archived,
            "priority": c.priority,
            "startDate": iso(c.start_date),
            "dueDate": iso(c.due_date),
            "assigneeEmail": emails.get(c.assignee_id) if c.assignee_id else None,
            "checklist": [{"title": i.title, "done": i.done, "order": i.order} for i in c.checklist_items],
        } for c in cards],
    }


@dataclass
class _CardPlan:
    position: int
    number: int | None
    column_index: int
    order: int
    archived: bool
    values: dict
    assignee: str | None
    checklist: list


def import_project(ws_access: WorkspaceAccess, data: object) -> Project:
    """Create a project in the workspace from `data` (see the module docstring); return it.

    Any workspace member may import; the caller becomes the project's admin.
    Raises Invalid, naming the first problem; nothing is written then.
    """
    if not isinstance(data, dict):
        raise Invalid(None, "The import must be a JSON object")
    _only(data, TOP_FIELDS, "")
    if "format" in data and data["format"] != FORMAT:
        raise Invalid("format", f"format must be '{FORMAT}'")
    if "version" in data and data["version"] != FORMAT_VERSION:
        raise Invalid("version", f"version must be {FORMAT_VERSION}")
    name, description, key = _project_values(data.get("project"))
    columns = _column_values(data.get("columns"))
    members = _member_values(data.get("members"))
    cards = _card_values(data.get("cards"), len(columns))

    people = _workspace_people(ws_access, {m[0] for m in members} | {c.assignee for c in cards if c.assignee})
    numbers = _numbers(cards)
    project = new_project(ws_access, name, description, key, next_card_number=max(numbers, default=0) + 1)
    roles = {ws_access.user.id: "admin"}
    for ref, role in members:
        user_id = people.get(ref)
        if user_id and user_id not in roles:
            roles[user_id] = role
    for card in cards:
        user_id = people.get(card.assignee) if card.assignee else None
        if user_id and user_id not in roles:
            roles[user_id] = "member"
    db.session.add_all([ProjectMember(project_id=project.id, user_id=u, role=r)
                        for u, r in roles.items() if u != ws_access.user.id])
    column_rows = [Column(id=new_id(), project_id=project.id, name=n, category=c, wip_limit=w, order=i)
                   for i, (n, c, w) in enumerate(columns)]
    db.session.add_all(column_rows)
    card_rows, item_rows = [], []
    for card, number in zip(cards, numbers):
        assignee_id = people.get(card.assignee) if card.assignee else None
        row = Card(id=new_id(), project_id=project.id, column_id=column_rows[card.column_index].id,
                   number=number, order=card.order, archived=card.archived,
                   archived_at=utcnow() if card.archived else None,
                   assignee_id=assignee_id, created_by_id=ws_access.user.id, **card.values)
        card_rows.append(row)
        item_rows.extend(ChecklistItem(id=new_id(), card_id=row.id, title=t, done=d, order=o)
                         for o, (_, t, d) in enumerate(card.checklist))
    db.session.add_all(card_rows)
    db.session.flush()
    db.session.add_all(item_rows)
    db.session.flush()
    return project


def _project_values(raw: object) -> tuple[str, str | None, str]:
    if not isinstance(raw, dict):
        raise Invalid("project", "project must be an object with a name")
    _only(raw, PROJECT_FIELDS, "project.")
    name = rules.text("project.name", raw.get("name"), max_len=200)
    description = rules.optional_text("project.description", raw.get("description"), max_len=5000)
    key = raw.get("key")
    if key is None:
        key = derive_key(name)
    elif not isinstance(key, str) or not KEY_RE.match(key):
        raise Invalid("project.key", "project.key must be 1 to 5 letters A–Z")
    return name, description, key


def _column_values(raw: object) -> list[tuple[str, str, int | None]]:
    if raw is None:
        return [(n, c, None) for n, c in DEFAULT_COLUMNS]
    if not isinstance(raw, list) or not raw:
        raise Invalid("columns", "columns must be a non-empty array")
    if len(raw) > MAX_COLUMNS:
        raise Invalid("columns", f"An import holds at most {MAX_COLUMNS} columns ({len(raw)} given)")
    columns = []
    for i, column in enumerate(raw):
        where = f"columns[{i}]"
        if not isinstance(column, dict):
            raise Invalid(where, f"{where} must be an object")
        _only(column, COLUMN_FIELDS, where + ".")
        name = rules.text(f"{where}.name", column.get("name"), max_len=100)
        category = column.get("category")
        if category is None:
            category = "todo" if i == 0 else "done" if i == len(raw) - 1 else "in_progress"
        category = rules.choice(f"{where}.category", category, COLUMN_CATEGORIES)
        try:
            wip = wip_limit_value(column.get("wipLimit"))
        except Invalid as error:
            raise Invalid(f"{where}.wipLimit", f"{where}.{error.message}") from None
        if column.get("order") is not None and not _whole(column["order"]):
            raise Invalid(f"{where}.order", f"{where}.order must be a whole number ≥ 0")
        columns.append((name, category, wip))
    return columns


def _member_values(raw: object) -> list[tuple[str, str]]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise Invalid("members", "members must be an array")
    members = []
    for i, member in enumerate(raw):
        where = f"members[{i}]"
        if not isinstance(member, dict):
            raise Invalid(where, f"{where} must be an object")
        _only(member, MEMBER_FIELDS, where + ".")
        email = rules.email(f"{where}.email", member.get("email"))
        role = rules.choice(f"{where}.role", member.get("role", "member"), PROJECT_ROLES)
        members.append((email, role))
    return members


def _card_values(raw: object, column_count: int) -> list[_CardPlan]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise Invalid("cards", "cards must be an array")
    if len(raw) > MAX_CARDS:
        raise Invalid("cards", f"An import holds at most {MAX_CARDS} cards ({len(raw)} given)")
    plans = []
    for i, card in enumerate(raw):
        where = f"cards[{i}]"
        if not isinstance(card, dict):
            raise Invalid(where, f"{where} must be an object")
        _only(card, CARD_FIELDS, where + ".")
        values = {"title": rules.text(f"{where}.title", card.get("title"), max_len=500)}
        values["description"] = description_value(f"{where}.description", card.get("description"))
        priority = card.get("priority")
        values["priority"] = None if priority is None else rules.choice(f"{where}.priority", priority, PRIORITIES)
        values["start_date"] = rules.optional_datetime(f"{where}.startDate", card.get("startDate"))
        values["due_date"] = rules.optional_datetime(f"{where}.dueDate", card.get("dueDate"))
        check_dates(values["start_date"], values["due_date"], f"{where}.dueDate")
        column_index = card.get("columnIndex")
        if not _whole(column_index) or column_index >= column_count:
            raise Invalid(f"{where}.columnIndex",
                          f"{where}.columnIndex must be a column position from 0 to {column_count - 1}")
        order = card.get("order", i)
        if not _whole(order):
            raise Invalid(f"{where}.order", f"{where}.order must be a whole number ≥ 0")
        number = card.get("number")
        if number is not None and (not _whole(number) or not 1 <= number <= MAX_CARD_NUMBER):
            raise Invalid(f"{where}.number", f"{where}.number must be a whole number from 1 to {MAX_CARD_NUMBER}")
        archived = card.get("archived", False)
        if not isinstance(archived, bool):
            raise Invalid(f"{where}.archived", f"{where}.archived must be a boolean")
        assignee = card.get("assigneeEmail")
        if assignee is not None:
            assignee = rules.email(f"{where}.assigneeEmail", assignee)
        elif card.get("assigneeId") is not None:
            if not is_id(card["assigneeId"]):
                raise Invalid(f"{where}.assigneeId", f"{where}.assigneeId must be a user id")
            assignee = card["assigneeId"]
        checklist = card.get("checklist")
        items = [] if checklist is None else checklist_values(f"{where}.checklist", checklist)
        plans.append(_CardPlan(i, number, column_index, order, archived, values, assignee, items))
    _dense_orders(plans)
    return plans


def _dense_orders(plans: list[_CardPlan]) -> None:
    """Active cards of each column get orders 0..n-1 (by given order, then position).
    Archived cards are outside that sequence and keep the order they were given."""
    by_column = defaultdict(list)
    for plan in plans:
        if not plan.archived:
            by_column[plan.column_index].append(plan)
    for group in by_column.values():
        group.sort(key=lambda p: (p.order, p.position))
        for index, plan in enumerate(group):
            plan.order = index


def _numbers(plans: list[_CardPlan]) -> list[int]:
    """Given numbers are kept (they must be unique); the others follow the highest."""
    seen = set()
    for plan in plans:
        if plan.number is not None:
            if plan.number in seen:
                raise Invalid(f"cards[{plan.position}].number", f"Card number {plan.number} is used twice")
            seen.add(plan.number)
    following = max(seen, default=0)
    numbers = []
    for plan in plans:
        if plan.number is None:
            following += 1
            numbers.append(following)
        else:
            numbers.append(plan.number)
    return numbers


def _workspace_people(ws_access: WorkspaceAccess, refs: set[str]) -> dict[str, str]:
    """Map each e-mail or user id in `refs` to the id of a member of the workspace (or an
    owner/admin of its organization) it designates; unknown references are left out."""
    refs = {r for r in refs if r}
    if not refs:
        return {}
    workspace = ws_access.workspace
    in_workspace = sa.select(WorkspaceMember.user_id).where(WorkspaceMember.workspace_id == workspace.id)
    managers = sa.select(OrgMember.user_id).where(OrgMember.organization_id == workspace.organization_id,
                                                  OrgMember.role.in_(ORG_MANAGERS))
    rows = db.session.execute(
        sa.select(User.id, User.email)
        .where(sa.or_(User.email.in_(refs), User.id.in_(refs)))
        .where(sa.or_(User.id.in_(in_workspace), User.id.in_(managers)))
    ).all()
    people = {}
    for user_id, email in rows:
        people[email] = user_id
        people[user_id] = user_id
    return people


def _only(raw: dict, allowed: tuple[str, ...], prefix: str) -> None:
    for key in raw:
        if key not in allowed:
            raise Invalid(f"{prefix}{key}", f"property {prefix}{key} should not exist")


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
