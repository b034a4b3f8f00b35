"""Projects: who reaches them, their life cycle and their members.

Workspace admins (organization owners and admins included) see and change every project of
the workspace. Other workspace members see the projects they are members of; the creator is
a member (and the project's admin). Any project member may change columns and cards; project
details and members are managed by a workspace admin or a project admin; only workspace
admins delete a project.

Out of reach and absent look the same: NotFound.
"""
import re
import unicodedata
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager
from sqlalchemy.orm.attributes import set_committed_value

from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.extensions import db
from app.ids import is_id
from app.models.board import PROJECT_ROLES, Card, Column, Project, ProjectMember
from app.models.card_depth import Label
from app.models.identity import OrgMember, User, Workspace, WorkspaceMember
from app.services import activity, rules
from app.services.access import ORG_MANAGERS, WorkspaceAccess, workspace_access, workspace_access_by_id

DEFAULT_COLUMNS = (("To Do", "todo"), ("In Progress", "in_progress"), ("Done", "done"))
KEY_RE = re.compile(r"^[A-Z]{1,5}$")
FALLBACK_KEY = "PRJ"


@dataclass(frozen=True)
class ProjectAccess:
    """The caller's standing in one project.

    `role` is the caller's project membership role ('admin' | 'member'), or None for a
    workspace admin who is not a member (they still see and change everything).
    """

    project: Project
    workspace_access: WorkspaceAccess
    role: str | None

    @property
    def user(self) -> User:
        return self.workspace_access.user

    @property
    def can_admin(self) -> bool:
        """Workspace admin or project admin: may edit the project and manage its members."""
        return self.workspace_access.is_admin or self.role == "admin"

    @property
    def my_role(self) -> str:
        return "admin" if self.can_admin else "member"

    def require_admin(self) -> None:
        """Raises Forbidden unless the caller is a workspace admin or a project admin."""
        if not self.can_admin:
            raise Forbidden("Project admin role required")


def project_access(user: User, org_slug: str, ws_slug: str, project_id: str) -> ProjectAccess:
    """The caller's standing in project `project_id` of the workspace named by the URL.

    Raises NotFound if the workspace or the project (in that workspace) does not exist or is
    out of the caller's reach.
    """
    ws_access = workspace_access(user, org_slug, ws_slug)
    project = _load_project(project_id)
    if project is None or project.workspace_id != ws_access.workspace.id:
        raise NotFound("Project not found")
    return _standing(ws_access, project)


def project_access_by_id(user: User, project_id: str) -> ProjectAccess:
    """Same as `project_access`, from the project id alone (for callers without a URL:
    automations, agents, pilotage actions). Raises NotFound."""
    project = _load_project(project_id)
    if project is None:
        raise NotFound("Project not found")
    try:
        ws_access = workspace_access_by_id(user, project.workspace_id)
    except NotFound:
        raise NotFound("Project not found") from None
    return _standing(ws_access, project)


def lock_project(project_id: str, reserve_numbers: int = 0) -> int:
    """Serialize board changes of one project until the transaction ends; return the first of
    `reserve_numbers` freshly reserved card numbers (the next free one when 0).

    Every change to column or card orders, and every card number allocation, takes this lock
    first, so concurrent moves renumber one after the other. It is an UPDATE of the project
    row: a row lock on PostgreSQL, the database write lock on SQLite (where it must be the
    transaction's first write so the busy timeout, not an error, handles contention).
    Raises NotFound if the project no longer exists.
    """
    db.session.execute(
        sa.update(Project).where(Project.id == project_id)
        .values(next_card_number=Project.next_card_number + reserve_numbers,
                updated_at=Project.updated_at)
        .execution_options(synchronize_session=False)
    )
    after = db.session.scalar(sa.select(Project.next_card_number).where(Project.id == project_id))
    if after is None:
        raise NotFound("Project not found")  # deleted by someone else meanwhile
    project = db.session.identity_map.get(db.session.identity_key(Project, project_id))
    if project is not None:
        set_committed_value(project, "next_card_number", after)
    return after - reserve_numbers


def derive_key(name: str) -> str:
    """The card-key prefix for a project name.

    Letters only, A–Z after removing accents. Several words: the initials of the words that
    contain letters, at most five ("Q1 Launch" → "QL", "Mobile App Redesign" → "MAR"). One
    word: its first three letters ("Website" → "WEB"). No letter at all: "PRJ".
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().upper()
    words = [re.sub(r"[^A-Z]", "", w) for w in re.split(r"[^A-Z0-9]+", ascii_name)]
    words = [w for w in words if w]
    if not words:
        return FALLBACK_KEY
    if len(words) == 1:
        return words[0][:3]
    return "".join(w[0] for w in words[:5])


def create_project(ws_access: WorkspaceAccess, name: object, description: object = None,
                   key: object = None, template_id: object = None) -> Project:
    """Create a project in the workspace; the caller becomes its admin member.

    Columns and labels come from the template `template_id` (see `project_templates`), or
    the columns are the three defaults To Do / In Progress / Done and there are no labels.
    Any workspace member may create a project.
    Raises Invalid (name 1–200, description ≤ 5000, key 1–5 letters A–Z, unknown template).
    """
    from app.services import project_templates

    name = rules.text("name", name, max_len=200)
    description = rules.optional_text("description", description, max_len=5000)
    key = _key(key) if key is not None else derive_key(name)
    labels = []
    if template_id is not None:
        template = project_templates.get_template(template_id)
        columns = [(c["name"], c["category"], c.get("wipLimit")) for c in template["columns"]]
        labels = template.get("labels", [])
    else:
        columns = [(n, c, None) for n, c in DEFAULT_COLUMNS]
    project = new_project(ws_access, name, description, key)
    db.session.add_all([Column(project_id=project.id, name=n, category=c, wip_limit=w, order=i)
                        for i, (n, c, w) in enumerate(columns)])
    db.session.add_all([Label(project_id=project.id, name=label["name"], color=label["color"])
                        for label in labels])
    db.session.flush()
    return project


def new_project(ws_access: WorkspaceAccess, name: str, description: str | None, key: str,
                next_card_number: int = 1) -> Project:
    """Insert an empty project (no columns) with the caller as admin member. Values must be
    validated already; used by `create_project` and the importer."""
    project = Project(workspace_id=ws_access.workspace.id, name=name, description=description,
                      key=key, next_card_number=next_card_number, created_by_id=ws_access.user.id)
    db.session.add(project)
    db.session.flush()
    db.session.add(ProjectMember(project_id=project.id, user_id=ws_access.user.id, role="admin"))
    db.session.flush()
    return project


def list_projects(ws_access: WorkspaceAccess) -> list[tuple[Project, str]]:
    """Projects of the workspace the caller can reach, oldest first, with the caller's
    effective role in each ('admin' | 'member')."""
    if ws_access.is_admin:
        rows = db.session.scalars(
            sa.select(Project).where(Project.workspace_id == ws_access.workspace.id)
            .order_by(Project.created_at, Project.id))
        return [(p, "admin") for p in rows]
    rows = db.session.execute(
        sa.select(Project, ProjectMember.role)
        .join(ProjectMember, ProjectMember.project_id == Project.id)
        .where(Project.workspace_id == ws_access.workspace.id, ProjectMember.user_id == ws_access.user.id)
        .order_by(Project.created_at, Project.id)
    ).all()
    return [(p, role) for p, role in rows]


def update_project(access: ProjectAccess, changes: dict) -> Project:
    """Change `name`, `description` (null clears) and/or `key` of the project.

    Raises Forbidden (not workspace or project admin), Invalid (unknown field or bad value).
    """
    access.require_admin()
    for field in changes:
        if field not in ("name", "description", "key"):
            raise Invalid(field, f"property {field} should not exist")
    project = access.project
    if "name" in changes:
        name = rules.text("name", changes["name"], max_len=200)
    if "description" in changes:
        description = rules.optional_text("description", changes["description"], max_len=5000)
    if "key" in changes:
        key = _key(changes["key"])
    if "name" in changes:
        project.name = name
    if "description" in changes:
        project.description = description
    if "key" in changes:
        project.key = key
    db.session.flush()
    return project


def delete_project(access: ProjectAccess) -> None:
    """Delete the project with its columns, cards and members (their attachment files go
    once the deletion is committed: see `stored_files`).

    Raises Forbidden unless the caller administers the workspace.
    """
    access.workspace_access.require_admin()
    db.session.delete(access.project)
    db.session.flush()


def list_members(access: ProjectAccess) -> list[ProjectMember]:
    """The project's members (with their user), in order of joining."""
    return list(db.session.scalars(
        sa.select(ProjectMember).join(User, User.id == ProjectMember.user_id)
        .where(ProjectMember.project_id == access.project.id)
        .order_by(ProjectMember.created_at, ProjectMember.id)
        .options(contains_eager(ProjectMember.user))
    ))


def add_member(access: ProjectAccess, email: object, role: object = None) -> ProjectMember:
    """Add a member of the workspace to the project by e-mail (role 'member' by default).

    Raises Forbidden (not workspace or project admin), Invalid (bad e-mail or role, or nobody
    with that e-mail belongs to the workspace), Conflict (already a project member).
    """
    access.require_admin()
    email = rules.email("email", email)
    role = rules.choice("role", role if role is not None else "member", PROJECT_ROLES)
    workspace = access.workspace_access.workspace
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if user is None or not _in_workspace(user.id, workspace):
        raise Invalid("email", "No member of this workspace has this e-mail address")
    if is_member(access.project.id, user.id):
        raise Conflict("This person is already a member of the project")
    member = ProjectMember(project_id=access.project.id, user_id=user.id, role=role)
    db.session.add(member)
    db.session.flush()
    activity.record(access.user, "member_added", access.project.id,
                    meta={"userId": user.id, "name": user.name, "role": role})
    return member


def remove_member(access: ProjectAccess, user_id: str) -> None:
    """Remove a member: workspace or project admins remove anyone, a member may leave.

    The cards the person was assigned in this project become unassigned (an assignee is
    always a project member). Raises Forbidden, NotFound.
    """
    if user_id != access.user.id:
        access.require_admin()
    member = db.session.scalar(sa.select(ProjectMember).where(
        ProjectMember.project_id == access.project.id, ProjectMember.user_id == user_id))
    if member is None:
        raise NotFound("Member not found")
    unassigned = db.session.execute(
        sa.update(Card).where(Card.project_id == access.project.id, Card.assignee_id == user_id)
        .values(assignee_id=None, version=Card.version + 1)
        .execution_options(synchronize_session="fetch")
    ).rowcount
    activity.record(access.user, "member_removed", access.project.id,
                    meta={"userId": user_id, "name": member.user.name, "role": member.role,
                          "unassignedCards": unassigned})
    db.session.delete(member)
    db.session.flush()


def is_member(project_id: str, user_id: str) -> bool:
    return db.session.scalar(sa.select(ProjectMember.id).where(
        ProjectMember.project_id == project_id, ProjectMember.user_id == user_id)) is not None


def _standing(ws_access: WorkspaceAccess, project: Project) -> ProjectAccess:
    role = db.session.scalar(sa.select(ProjectMember.role).where(
        ProjectMember.project_id == project.id, ProjectMember.user_id == ws_access.user.id))
    if role is None and not ws_access.is_admin:
        raise NotFound("Project not found")
    return ProjectAccess(project=project, workspace_access=ws_access, role=role)


def _load_project(project_id: object) -> Project | None:
    if not is_id(project_id):
        return None
    return db.session.get(Project, project_id)


def _in_workspace(user_id: str, workspace: Workspace) -> bool:
    """A workspace member, or an owner/admin of its organization (they reach every workspace)."""
    member = db.session.scalar(sa.select(WorkspaceMember.id).where(
        WorkspaceMember.workspace_id == workspace.id, WorkspaceMember.user_id == user_id))
    if member is not None:
        return True
    return db.session.scalar(sa.select(OrgMember.id).where(
        OrgMember.organization_id == workspace.organization_id, OrgMember.user_id == user_id,
        OrgMember.role.in_(ORG_MANAGERS))) is not None


def _key(value: object) -> str:
    if not isinstance(value, str) or not KEY_RE.match(value.strip().upper()):
        raise Invalid("key", "key must be 1 to 5 letters A–Z")
    return value.strip().upper()
