"""Project export and import.

`export_project` gives a complete JSON snapshot: the project, its members (by e-mail), its
scopes, its columns (each with the index of its scope in `scopes`, null for the project's own
board), labels and custom fields, all its cards (archived ones included) with their
checklists, labels (by name), custom field values (by field name) and comments (author by
e-mail), and the relations between its cards (by card position in `cards`). Attachments'
files are not part of it, nor relations to cards of other projects, nor the activity log and
notifications (the history of the source project; an import records no activity). `import_project`
takes such a snapshot, or the reference's short form
`{"project": {"name"}, "columns": [{"name"}], "cards": [{"title", "columnIndex", ...}]}`,
and creates a new project from it: export → import gives the same board.

Import is all or nothing: the whole document is validated before anything is written, and
the first problem is reported (Invalid, with the path of the offending field such as
`cards[3].title`). At most 50 columns and 500 cards. Cards keep their numbers (so their
keys) when the document gives them. People are matched by e-mail (or id) among the members
of the target workspace and become project members; anyone else is left out and their cards
are imported unassigned, and their comments keep their text and date without an author.
WIP limits are kept but not enforced on the imported cards: a
snapshot may hold more cards than a limit set later.
"""
from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa

from app.errors import Invalid
from app.extensions import db
from app.ids import is_id, new_id
from app.models.board import (
    COLUMN_CATEGORIES,
    PRIORITIES,
    SCOPE_VIEWS,
    PROJECT_ROLES,
    Card,
    ChecklistItem,
    Column,
    Project,
    ProjectMember,
    Scope,
)
from app.models.card_depth import FIELD_TYPES, CardLabel, CardRelation, Comment, CustomField, CustomFieldValue, Label
from app.models.identity import OrgMember, User, WorkspaceMember
from app.services import custom_fields, labels, relations, rules, scopes as scope_service
from app.services.access import ORG_MANAGERS, WorkspaceAccess
from app.services.cards import check_dates, checklist_values, description_value, list_cards
from app.services.columns import all_columns, wip_limit_value
from app.services.projects import DEFAULT_COLUMNS, KEY_RE, ProjectAccess, derive_key, list_members, new_project
from app.timeutil import iso, utcnow

FORMAT = "stellary.project"
FORMAT_VERSION = 1
MAX_COLUMNS = 50
MAX_SCOPES = 50
MAX_CARDS = 500
MAX_CARD_NUMBER = 1_000_000_000
MAX_LABELS = 200
MAX_FIELDS = 100
MAX_COMMENTS = 10_000
MAX_RELATIONS = 5_000
TOP_FIELDS = ("format", "version", "exportedAt", "project", "members", "scopes", "columns", "labels",
              "customFields", "cards", "relations")
PROJECT_FIELDS = ("name", "description", "key")
MEMBER_FIELDS = ("email", "name", "role")
SCOPE_FIELDS = ("name", "description", "startDate", "endDate", "activeView")
COLUMN_FIELDS = ("name", "order", "category", "wipLimit", "scopeIndex")
CARD_FIELDS = ("number", "key", "title", "description", "columnIndex", "order", "archived", "priority",
               "startDate", "dueDate", "assigneeId", "assigneeEmail", "checklist", "labels", "customFields",
               "comments")
LABEL_FIELDS = ("name", "color")
FIELD_FIELDS = ("name", "type", "options")
COMMENT_FIELDS = ("authorEmail", "authorName", "content", "createdAt")
RELATION_FIELDS = ("source", "target", "type")


def export_project(access: ProjectAccess) -> dict:
    """The project as a JSON-ready snapshot (any project member may export)."""
    project = access.project
    scope_rows = scope_service.list_scopes(access)
    scope_index = {s.id: i for i, s in enumerate(scope_rows)}
    columns = all_columns(access)
    index = {c.id: i for i, c in enumerate(columns)}
    cards = list_cards(access, archived="all")
    members = list_members(access)
    emails = {m.user_id: m.user.email for m in members}
    missing = {c.assignee_id for c in cards if c.assignee_id and c.assignee_id not in emails}
    if missing:
        emails.update(db.session.execute(sa.select(User.id, User.email).where(User.id.in_(missing))).all())
    depth = _export_depth(access, cards)
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exportedAt": iso(utcnow()),
        "project": {"name": project.name, "description": project.description, "key": project.key},
        "members": [{"email": m.user.email, "name": m.user.name, "role": m.role} for m in members],
        "scopes": [{"name": s.name, "description": s.description, "startDate": iso(s.start_date),
                    "endDate": iso(s.end_date), "activeView": s.active_view} for s in scope_rows],
        "columns": [{"name": c.name, "order": c.order, "category": c.category, "wipLimit": c.wip_limit,
                     "scopeIndex": scope_index[c.scope_id] if c.scope_id else None}
                    for c in columns],
        "labels": [{"name": lb.name, "color": lb.color} for lb in depth.labels],
        "customFields": [{"name": f.name, "type": f.type, "options": list(f.options or [])} for f in depth.fields],
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
            "labels": depth.card_labels.get(c.id, []),
            "customFields": depth.card_values.get(c.id, {}),
            "comments": depth.comments.get(c.id, []),
        } for c in cards],
        "relations": depth.relations,
    }


@dataclass
class _Depth:
    labels: list
    fields: list
    card_labels: dict
    card_values: dict
    comments: dict
    relations: list


def _export_depth(access: ProjectAccess, cards: list[Card]) -> _Depth:
    """Labels, fields, values, comments and internal relations of the project (six queries)."""
    project_id = access.project.id
    label_rows = labels.list_labels(access)
    field_rows = custom_fields.list_fields(access)
    label_names = {lb.id: lb.name for lb in label_rows}
    field_names = {f.id: f.name for f in field_rows}
    card_labels, card_values, comments = defaultdict(list), defaultdict(dict), defaultdict(list)
    in_project = sa.select(Card.id).where(Card.project_id == project_id)
    for card_id, label_id in db.session.execute(sa.select(CardLabel.card_id, CardLabel.label_id)
                                                .where(CardLabel.card_id.in_(in_project))):
        card_labels[card_id].append(label_names[label_id])
    for card_id, field_id, value in db.session.execute(
            sa.select(CustomFieldValue.card_id, CustomFieldValue.field_id, CustomFieldValue.value)
            .where(CustomFieldValue.card_id.in_(in_project))):
        card_values[card_id][field_names[field_id]] = value
    for comment, email, name in db.session.execute(
            sa.select(Comment, User.email, User.name).outerjoin(User, User.id == Comment.author_id)
            .where(Comment.card_id.in_(in_project)).order_by(Comment.created_at, Comment.id)):
        comments[comment.card_id].append({"authorEmail": email, "authorName": name, "content": comment.content,
                                          "createdAt": iso(comment.created_at)})
    position = {c.id: i for i, c in enumerate(cards)}
    links = [{"source": position[r.source_card_id], "target": position[r.target_card_id], "type": r.type}
             for r in db.session.scalars(
                 sa.select(CardRelation).where(CardRelation.source_card_id.in_(in_project),
                                               CardRelation.target_card_id.in_(in_project))
                 .order_by(CardRelation.created_at, CardRelation.id))]
    for names in card_labels.values():
        names.sort(key=str.lower)
    return _Depth(label_rows, field_rows, card_labels, card_values, comments, links)


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
    labels: list = field(default_factory=list)
    field_values: dict = field(default_factory=dict)
    comments: list = field(default_factory=list)


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
    scope_plans = _scope_values(data.get("scopes"))
    columns = _column_values(data.get("columns"), len(scope_plans))
    members = _member_values(data.get("members"))
    label_plans = _label_values(data.get("labels"))
    field_plans = _field_values(data.get("customFields"))
    cards = _card_values(data.get("cards"), len(columns))
    _card_depth_values(data.get("cards"), cards, label_plans, field_plans)
    links = _relation_values(data.get("relations"), len(cards))

    authors = {c["author"] for card in cards for c in card.comments if c["author"]}
    people = _workspace_people(ws_access, {m[0] for m in members} | {c.assignee for c in cards if c.assignee}
                               | authors)
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
    scope_rows = [Scope(id=new_id(), project_id=project.id, created_by_id=ws_access.user.id, **values)
                  for values in scope_plans]
    db.session.add_all(scope_rows)
    db.session.flush()
    column_rows, next_order = [], defaultdict(int)
    for name, category, wip, scope in columns:
        column_rows.append(Column(id=new_id(), project_id=project.id, name=name, category=category,
                                  wip_limit=wip, order=next_order[scope],
                                  scope_id=scope_rows[scope].id if scope is not None else None))
        next_order[scope] += 1
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
    _write_depth(project, card_rows, cards, label_plans, field_plans, links, people)
    db.session.flush()
    return project


def _write_depth(project: Project, card_rows: list[Card], cards: list[_CardPlan], label_plans: list,
                 field_plans: list, links: list, people: dict) -> None:
    label_rows = {name.lower(): Label(id=new_id(), project_id=project.id, name=name, color=color)
                  for name, color in label_plans}
    field_rows = {f.name.lower(): CustomField(id=new_id(), project_id=project.id, name=f.name, type=f.type,
                                              options=f.options) for f in field_plans}
    db.session.add_all([*label_rows.values(), *field_rows.values()])
    db.session.flush()
    rows = []
    for row, card in zip(card_rows, cards):
        rows.extend(CardLabel(card_id=row.id, label_id=label_rows[name.lower()].id) for name in card.labels)
        rows.extend(CustomFieldValue(card_id=row.id, field_id=field_rows[name.lower()].id, value=value)
                    for name, value in card.field_values.items())
        rows.extend(Comment(id=new_id(), card_id=row.id, author_id=people.get(c["author"]) if c["author"] else None,
                            content=c["content"], **({"created_at": c["createdAt"], "updated_at": c["createdAt"]}
                                                     if c["createdAt"] else {}))
                    for c in card.comments)
    rows.extend(CardRelation(id=new_id(), source_card_id=card_rows[s].id, target_card_id=card_rows[t].id, type=k)
                for s, t, k in links)
    db.session.add_all(rows)


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


def _scope_values(raw: object) -> list[dict]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise Invalid("scopes", "scopes must be an array")
    if len(raw) > MAX_SCOPES:
        raise Invalid("scopes", f"An import holds at most {MAX_SCOPES} scopes ({len(raw)} given)")
    plans = []
    for i, scope in enumerate(raw):
        where = f"scopes[{i}]"
        if not isinstance(scope, dict):
            raise Invalid(where, f"{where} must be an object")
        _only(scope, SCOPE_FIELDS, where + ".")
        values = {
            "name": rules.text(f"{where}.name", scope.get("name"), max_len=200),
            "description": rules.optional_text(f"{where}.description", scope.get("description"),
                                               max_len=scope_service.MAX_DESCRIPTION),
            "start_date": rules.optional_datetime(f"{where}.startDate", scope.get("startDate")),
            "end_date": rules.optional_datetime(f"{where}.endDate", scope.get("endDate")),
            "active_view": rules.choice(f"{where}.activeView", scope.get("activeView", "kanban"), SCOPE_VIEWS),
        }
        check_dates(values["start_date"], values["end_date"], field=f"{where}.endDate")
        plans.append(values)
    return plans


def _column_values(raw: object, scope_count: int) -> list[tuple[str, str, int | None, int | None]]:
    if raw is None:
        return [(n, c, None, None) for n, c in DEFAULT_COLUMNS]
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
        scope = column.get("scopeIndex")
        if scope is not None and (not _whole(scope) or scope >= scope_count):
            raise Invalid(f"{where}.scopeIndex", f"{where}.scopeIndex must be the index of one of the scopes, or null")
        columns.append((name, category, wip, scope))
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


def _label_values(raw: object) -> list[tuple[str, str]]:
    """`[{name, color}]`: names unique whatever their case. Raises Invalid."""
    plans = []
    for i, label in enumerate(_array("labels", raw, MAX_LABELS)):
        where = f"labels[{i}]"
        _only(label, LABEL_FIELDS, where + ".")
        name = rules.text(f"{where}.name", label.get("name"), max_len=50)
        color = _at(f"{where}.", labels.color_value, label.get("color"))
        if name.lower() in {n.lower() for n, _ in plans}:
            raise Invalid(f"{where}.name", f"The label name '{name}' is used twice")
        plans.append((name, color))
    return plans


def _field_values(raw: object) -> list[CustomField]:
    """`[{name, type, options}]` as unsaved fields: names unique whatever their case.
    Raises Invalid."""
    plans = []
    for i, spec in enumerate(_array("customFields", raw, MAX_FIELDS)):
        where = f"customFields[{i}]"
        _only(spec, FIELD_FIELDS, where + ".")
        name = rules.text(f"{where}.name", spec.get("name"), max_len=100)
        type_ = rules.choice(f"{where}.type", spec.get("type"), FIELD_TYPES)
        options = _at(f"{where}.", lambda v: custom_fields.options_value(type_, v), spec.get("options"))
        if name.lower() in {f.name.lower() for f in plans}:
            raise Invalid(f"{where}.name", f"The custom field name '{name}' is used twice")
        plans.append(CustomField(name=name, type=type_, options=options))
    return plans


def _card_depth_values(raw_cards: object, plans: list[_CardPlan], label_plans: list,
                       field_plans: list[CustomField]) -> None:
    """Each card's `labels` (names), `customFields` ({name: value}) and `comments`, checked
    against the document's labels and fields. Raises Invalid."""
    label_names = {name.lower() for name, _ in label_plans}
    fields = {f.name.lower(): f for f in field_plans}
    total_comments = 0
    for plan, card in zip(plans, raw_cards or []):
        where = f"cards[{plan.position}]"
        for j, name in enumerate(_array(f"{where}.labels", card.get("labels"), MAX_LABELS, objects=False)):
            if not isinstance(name, str) or name.lower() not in label_names:
                raise Invalid(f"{where}.labels[{j}]", f"{where}.labels[{j}] must name a label of the import")
            if name.lower() not in {n.lower() for n in plan.labels}:
                plan.labels.append(name)
        values = card.get("customFields")
        if values is not None and not isinstance(values, dict):
            raise Invalid(f"{where}.customFields", f"{where}.customFields must be an object")
        for name, value in (values or {}).items():
            field_plan = fields.get(name.lower())
            if field_plan is None:
                raise Invalid(f"{where}.customFields.{name}", f"'{name}' is not a custom field of the import")
            if value is not None:
                value = custom_fields.value_for(field_plan, value, f"{where}.customFields.{name}")
            if value is not None:
                plan.field_values[field_plan.name] = value
        comments = _array(f"{where}.comments", card.get("comments"), MAX_COMMENTS)
        total_comments += len(comments)
        if total_comments > MAX_COMMENTS:
            raise Invalid(f"{where}.comments", f"An import holds at most {MAX_COMMENTS} comments")
        for j, comment in enumerate(comments):
            at = f"{where}.comments[{j}]"
            _only(comment, COMMENT_FIELDS, at + ".")
            author = comment.get("authorEmail")
            plan.comments.append({
                "content": rules.text(f"{at}.content", comment.get("content"), max_len=2000),
                "author": rules.email(f"{at}.authorEmail", author) if author is not None else None,
                "createdAt": rules.optional_datetime(f"{at}.createdAt", comment.get("createdAt")),
            })


def _relation_values(raw: object, card_count: int) -> list[tuple[int, int, str]]:
    """`[{source, target, type}]` between card positions, in stored form: no self, no
    duplicate, no cycle of blocks or parent_of. Raises Invalid."""
    links: list[tuple[int, int, str]] = []
    for i, link in enumerate(_array("relations", raw, MAX_RELATIONS)):
        where = f"relations[{i}]"
        _only(link, RELATION_FIELDS, where + ".")
        ends = []
        for end in ("source", "target"):
            value = link.get(end)
            if not _whole(value) or value >= card_count:
                raise Invalid(f"{where}.{end}", f"{where}.{end} must be a card position from 0 to {card_count - 1}")
            ends.append(value)
        type_ = rules.choice(f"{where}.type", link.get("type"), relations.CLIENT_TYPES)
        stored, reverse = relations.CANONICAL[type_]
        source, target = reversed(ends) if reverse else ends
        if source == target:
            raise Invalid(where, f"{where} relates a card to itself")
        same = [(source, target, stored)]
        if stored in relations.SYMMETRIC:
            same.append((target, source, stored))
        if any(s in links for s in same):
            raise Invalid(where, f"{where} repeats a relation")
        if stored in relations.ACYCLIC and _path(links, stored, target, source):
            raise Invalid(where, f"{where} closes a cycle of {stored} relations")
        links.append((source, target, stored))
    return links


def _path(links: list[tuple[int, int, str]], type_: str, start: int, goal: int) -> bool:
    following = defaultdict(list)
    for source, target, kind in links:
        if kind == type_:
            following[source].append(target)
    seen, pending = set(), [start]
    while pending:
        node = pending.pop()
        if node == goal:
            return True
        if node not in seen:
            seen.add(node)
            pending.extend(following[node])
    return False


def _array(where: str, raw: object, limit: int, objects: bool = True) -> list:
    """None as an empty list, else an array of at most `limit` items (objects unless told).
    Raises Invalid."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise Invalid(where, f"{where} must be an array")
    if len(raw) > limit:
        raise Invalid(where, f"{where} must have at most {limit} items")
    if objects:
        for i, item in enumerate(raw):
            if not isinstance(item, dict):
                raise Invalid(f"{where}[{i}]", f"{where}[{i}] must be an object")
    return raw


def _at(prefix: str, check, value):
    """`check(value)`, with the field of an Invalid it raises prefixed by `prefix`."""
    try:
        return check(value)
    except Invalid as error:
        raise Invalid(f"{prefix}{error.field}", f"{prefix}{error.message}") from None


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
