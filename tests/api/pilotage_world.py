"""A workspace cockpit with one person per pilotage standing, shared by the pilotage API tests."""
from types import SimpleNamespace

from app.extensions import db
from app.models.board import Card, Column, Project, ProjectMember
from app.models.identity import WorkspaceMember
from app.services import accounts, orgs, pilotage_actions, pilotage_items, workspaces
from app.services.access import org_access, workspace_access
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
    `eng` holds one item of each kind and a project `Web` (members: owner, pilot, reviewer)
    with a card; `other` holds one mission and one card of its own."""
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
    project, column, card = make_board(ws.id, "Web", [people[n] for n in ("owner", "pilot", "reviewer")])
    mission = pilotage_items.create_mission(eng, {"objective": "Ship billing", "module": "billing"})
    priority = pilotage_items.create_priority(eng, {"label": "Billing MVP"})
    todo = pilotage_items.create_todo(eng, {"label": "Stripe tests", "missionId": mission.id})
    decision = pilotage_items.create_decision(eng, {"title": "Use Stripe", "missionIds": [mission.id]})
    doc = pilotage_items.create_doc(eng, {"title": "Billing spec", "sourceType": "tech"})
    suggested = pilotage_actions.propose_action(eng, "create_todo", "Follow-up", {"label": "Suggested"})
    approved = pilotage_actions.propose_action(eng, "create_todo", "Follow-up", {"label": "Approved"})
    pilotage_actions.review_action(eng, approved.id, True)

    orgs.create_org(people["stranger"], "Beta", "beta")
    other_ws = workspaces.create_workspace(org_access(people["stranger"], "beta"), "Other", "other")
    other = workspace_access(people["stranger"], "beta", "other")
    other_mission = pilotage_items.create_mission(other, {"objective": "Elsewhere"})
    _, _, other_card = make_board(other_ws.id, "Theirs", [people["stranger"]])
    db.session.commit()
    return SimpleNamespace(
        api={name: Api(client, accounts.issue_jwt(user)) for name, user in people.items()},
        ids={name: user.id for name, user in people.items()},
        workspace_id=ws.id, project=project.id, column=column.id, card=card.id,
        mission=mission.id, priority=priority.id, todo=todo.id, decision=decision.id, doc=doc.id,
        suggested=suggested.id, approved=approved.id,
        other_mission=other_mission.id, other_card=other_card.id,
    )


def make_board(workspace_id: str, name: str, members) -> tuple[Project, Column, Card]:
    """A project with columns To Do / In Progress / Done and one card in To Do."""
    project = Project(workspace_id=workspace_id, name=name, key=name[:3].upper(), next_card_number=2)
    db.session.add(project)
    db.session.flush()
    for user in members:
        db.session.add(ProjectMember(project_id=project.id, user_id=user.id, role="member"))
    columns = [Column(project_id=project.id, name=n, order=i, category=c) for i, (n, c) in enumerate(
        (("To Do", "todo"), ("In Progress", "in_progress"), ("Done", "done")))]
    db.session.add_all(columns)
    db.session.flush()
    card = Card(project_id=project.id, column_id=columns[0].id, number=1, title="Login page", order=0)
    db.session.add(card)
    db.session.flush()
    return project, columns[0], card
