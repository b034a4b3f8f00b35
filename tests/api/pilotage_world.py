"""A workspace cockpit with one person per pilotage standing, shared by the pilotage API tests."""
from types import SimpleNamespace

from app.extensions import db
from app.models.board import Card, Column, Project
from app.models.identity import WorkspaceMember
from app.services import accounts, cards, columns, orgs, pilotage_actions, pilotage_items, projects, workspaces
from app.services.access import WorkspaceAccess, org_access, workspace_access
from tests.conftest import Api

PASSWORD = "correct-horse-battery"
W = "/orgs/acme/workspaces/eng"
P = W + "/pilotage"
# name → (workspace role, pilotage role); None = not a member of `eng`
MEMBERS = {
    "pilot": ("member", "owner"),
    "reviewer": ("member", "reviewer"),
    "viewer": ("member", "viewer"),
    "ws_admin": ("admin", "viewer"),
}


def build_world(client) -> SimpleNamespace:
    """`acme`/`eng`: its creator `owner`, an org admin `org_admin` (no membership), the members
    of MEMBERS, `outsider` (in `acme`, not in `eng`) and `stranger` (owner of `beta`/`other`).
    `eng` holds one item of each kind, a project `Web` (members: owner, pilot, reviewer) with
    a card, and a project `Secret` (owner only) with a card; `other` holds one mission and one
    card of its own."""
    people = {name: accounts.register(f"{name}@example.com", PASSWORD) for name in (
        "owner", "org_admin", *MEMBERS, "outsider", "stranger")}
    orgs.create_org(people["owner"], "Acme", "acme")
    acme = org_access(people["owner"], "acme")
    orgs.add_member(acme, "org_admin@example.com", "admin")
    for name in (*MEMBERS, "outsider"):
        orgs.add_member(acme, f"{name}@example.com", "member")
    ws = workspaces.create_workspace(acme, "Engineering", "eng")
    for name, (role, prole) in MEMBERS.items():
        db.session.add(WorkspaceMember(workspace_id=ws.id, user_id=people[name].id, role=role,
                                       pilotage_role=prole))
    db.session.flush()
    eng = workspace_access(people["owner"], "acme", "eng")
    project, column, card = make_board(eng, "Web", ("pilot", "reviewer"))
    secret, _, secret_card = make_board(eng, "Secret", ())
    mission = pilotage_items.create_mission(eng, {"objective": "Ship billing", "module": "billing"})
    priority = pilotage_items.create_priority(eng, {"label": "Billing MVP"})
    todo = pilotage_items.create_todo(eng, {"label": "Stripe tests", "missionId": mission.id})
    decision = pilotage_items.create_decision(eng, {"title": "Use Stripe", "missionIds": [mission.id]})
    doc = pilotage_items.create_doc(eng, {"title": "Billing spec", "sourceType": "tech"})
    suggested = pilotage_actions.propose_action(eng, "create_todo", "Follow-up", {"label": "Suggested"})
    approved = pilotage_actions.propose_action(eng, "create_todo", "Follow-up", {"label": "Approved"})
    pilotage_actions.review_action(eng, approved.id, True)

    orgs.create_org(people["stranger"], "Beta", "beta")
    workspaces.create_workspace(org_access(people["stranger"], "beta"), "Other", "other")
    other = workspace_access(people["stranger"], "beta", "other")
    other_mission = pilotage_items.create_mission(other, {"objective": "Elsewhere"})
    other_project, _, other_card = make_board(other, "Theirs", ())
    db.session.commit()
    return SimpleNamespace(
        api={name: Api(client, accounts.issue_jwt(user)) for name, user in people.items()},
        ids={name: user.id for name, user in people.items()},
        workspace_id=ws.id, project=project.id, column=column.id, card=card.id,
        secret=secret.id, secret_card=secret_card.id, other_project=other_project.id,
        mission=mission.id, priority=priority.id, todo=todo.id, decision=decision.id, doc=doc.id,
        suggested=suggested.id, approved=approved.id,
        other_mission=other_mission.id, other_card=other_card.id,
    )


def make_board(access: WorkspaceAccess, name: str, members: tuple[str, ...]) -> tuple[Project, Column, Card]:
    """A project of the caller's (columns To Do / In Progress / Done) with `members`
    (e-mail names) and one card in To Do."""
    project = projects.create_project(access, name)
    standing = projects.project_access_by_id(access.user, project.id)
    for member in members:
        projects.add_member(standing, f"{member}@example.com")
    first = columns.list_columns(standing)[0]
    card = cards.create_card(access.user, first.id, title=f"{name} card")
    return project, first, card
