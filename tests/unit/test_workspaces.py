"""Workspace rules: creation, reach, roles, the last admin, invitations."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.extensions import db
from app.models.identity import Invitation, OrgMember, WorkspaceMember
from app.services import accounts, orgs, workspaces
from app.services.access import org_access, workspace_access, workspace_access_by_id
from app.timeutil import utcnow

PASSWORD = "correct-horse-battery"


def user(email):
    return accounts.register(email, PASSWORD)


@pytest.fixture()
def team():
    """Org `acme` (owner, org member `dev`), workspace `eng` created by the owner, `dev` a member of it."""
    owner, dev = user("owner@acme.test"), user("dev@acme.test")
    orgs.create_org(owner, "Acme", "acme")
    orgs.add_member(org_access(owner, "acme"), "dev@acme.test", "member")
    ws = workspaces.create_workspace(org_access(owner, "acme"), "Engineering", "eng")
    db.session.add(WorkspaceMember(workspace_id=ws.id, user_id=dev.id, role="member", pilotage_role="viewer"))
    db.session.commit()
    return ws, owner, dev


def join(email, team, role="member"):
    """A new account that joins `eng` through an invitation."""
    ws, owner, _ = team
    person = user(email)
    _, token = workspaces.invite(workspace_access(owner, "acme", "eng"), email, role)
    workspaces.accept_invitation(person, token)
    db.session.commit()
    return person


def test_creator_is_admin_and_pilotage_owner(team):
    ws, owner, _ = team
    access = workspace_access(owner, "acme", "eng")
    assert (ws.name, ws.slug, ws.owner_id, ws.is_personal) == ("Engineering", "eng", owner.id, False)
    assert (access.membership.role, access.membership.pilotage_role) == ("admin", "owner")


def test_only_org_managers_create_workspaces(team):
    _, _, dev = team
    with pytest.raises(Forbidden):
        workspaces.create_workspace(org_access(dev, "acme"), "Mine", "mine")


def test_workspace_slug_rules_and_uniqueness_per_org(team):
    _, owner, _ = team
    access = org_access(owner, "acme")
    with pytest.raises(Conflict):
        workspaces.create_workspace(access, "Again", "eng")
    with pytest.raises(Invalid) as bad:
        workspaces.create_workspace(access, "Bad", "Bad Slug")
    assert bad.value.field == "slug"
    orgs.create_org(owner, "Other", "other")
    assert workspaces.create_workspace(org_access(owner, "other"), "Eng", "eng").slug == "eng"


def test_list_shows_members_only_their_workspaces_and_managers_all(team):
    _, owner, dev = team
    workspaces.create_workspace(org_access(owner, "acme"), "Secret", "secret")
    assert [(w.slug, r, p) for w, r, p in workspaces.list_workspaces(org_access(dev, "acme"))] == [
        ("eng", "member", "viewer")]
    assert [w.slug for w, _, _ in workspaces.list_workspaces(org_access(owner, "acme"))] == ["eng", "secret"]
    with pytest.raises(NotFound):
        workspace_access(dev, "acme", "secret")


def test_org_admin_manages_a_workspace_without_membership(team):
    ws, owner, _ = team
    boss = user("boss@acme.test")
    orgs.add_member(org_access(owner, "acme"), "boss@acme.test", "admin")
    access = workspace_access(boss, "acme", "eng")
    assert (access.role, access.pilotage_role, access.membership) == ("admin", "owner", None)
    assert workspace_access_by_id(boss, ws.id).is_admin


def test_outsiders_and_wrong_parents_get_not_found(team):
    ws, _, _ = team
    stranger = user("stranger@example.com")
    for call in (lambda: workspace_access(stranger, "acme", "eng"),
                 lambda: workspace_access_by_id(stranger, ws.id),
                 lambda: workspace_access(stranger, "acme", "nope")):
        with pytest.raises(NotFound):
            call()
    # a workspace under another organization's slug does not exist
    with pytest.raises(NotFound):
        workspace_access(stranger, "stranger", "eng")


def test_a_workspace_member_who_left_the_org_loses_access(team):
    ws, _, dev = team
    db.session.execute(sa.delete(OrgMember).where(OrgMember.user_id == dev.id,
                                                  OrgMember.organization_id == ws.organization_id))
    with pytest.raises(NotFound):
        workspace_access(dev, "acme", "eng")


def test_update_and_delete_need_workspace_admin(team):
    _, owner, dev = team
    with pytest.raises(Forbidden):
        workspaces.update_workspace(workspace_access(dev, "acme", "eng"), name="Mine")
    with pytest.raises(Forbidden):
        workspaces.delete_workspace(workspace_access(dev, "acme", "eng"))
    workspaces.create_workspace(org_access(owner, "acme"), "Ops", "ops")
    with pytest.raises(Conflict):
        workspaces.update_workspace(workspace_access(owner, "acme", "eng"), slug="ops")
    ws = workspaces.update_workspace(workspace_access(owner, "acme", "eng"), name="Platform", slug="platform")
    assert (ws.name, ws.slug) == ("Platform", "platform")
    workspaces.delete_workspace(workspace_access(owner, "acme", "platform"))
    with pytest.raises(NotFound):
        workspace_access(owner, "acme", "platform")


def test_change_member_roles(team):
    _, owner, dev = team
    access = workspace_access(owner, "acme", "eng")
    member = workspaces.change_member(access, dev.id, role="admin", pilotage_role="reviewer")
    assert (member.role, member.pilotage_role) == ("admin", "reviewer")
    with pytest.raises(Invalid) as bad_role:
        workspaces.change_member(access, dev.id, role="owner")
    assert bad_role.value.field == "role"
    with pytest.raises(Invalid) as bad_pilotage:
        workspaces.change_member(access, dev.id, pilotage_role="boss")
    assert bad_pilotage.value.field == "pilotageRole"
    with pytest.raises(NotFound):
        workspaces.change_member(access, "0" * 24, role="member")


def test_members_cannot_change_roles(team):
    _, owner, dev = team
    with pytest.raises(Forbidden):
        workspaces.change_member(workspace_access(dev, "acme", "eng"), dev.id, role="admin")
    with pytest.raises(Forbidden):
        workspaces.remove_member(workspace_access(dev, "acme", "eng"), owner.id)


def test_last_admin_cannot_be_demoted_or_removed(team):
    _, owner, dev = team
    admin_access = workspace_access(owner, "acme", "eng")
    with pytest.raises(Conflict):
        workspaces.change_member(admin_access, owner.id, role="member")
    with pytest.raises(Conflict):
        workspaces.remove_member(admin_access, owner.id)
    workspaces.change_member(admin_access, dev.id, role="admin")
    workspaces.change_member(admin_access, owner.id, role="member")
    assert workspace_access(dev, "acme", "eng").is_admin
    with pytest.raises(Conflict):
        workspaces.remove_member(workspace_access(dev, "acme", "eng"), dev.id)


def test_a_member_may_leave_and_an_admin_may_remove(team):
    _, owner, dev = team
    workspaces.remove_member(workspace_access(dev, "acme", "eng"), dev.id)
    with pytest.raises(NotFound):
        workspace_access(dev, "acme", "eng")
    other = join("other@acme.test", team)
    workspaces.remove_member(workspace_access(owner, "acme", "eng"), other.id)
    with pytest.raises(NotFound):
        workspace_access(other, "acme", "eng")


def test_invitation_token_is_stored_only_as_a_hash(team):
    _, owner, _ = team
    invitation, token = workspaces.invite(workspace_access(owner, "acme", "eng"), "New@Example.com", "admin")
    db.session.commit()
    assert len(token) >= 32
    assert invitation.email == "new@example.com"
    assert invitation.role == "admin"
    row = db.session.execute(sa.select(Invitation.__table__)).mappings().one()
    assert token not in [str(v) for v in row.values()]
    assert row["token_hash"] != token
    assert invitation.expires_at > utcnow() + timedelta(days=6)


def test_invite_rules(team):
    _, owner, dev = team
    access = workspace_access(owner, "acme", "eng")
    with pytest.raises(Conflict):
        workspaces.invite(access, "DEV@acme.test")
    with pytest.raises(Invalid) as bad_role:
        workspaces.invite(access, "x@example.com", "owner")
    assert bad_role.value.field == "role"
    with pytest.raises(Invalid) as bad_email:
        workspaces.invite(access, "nope")
    assert bad_email.value.field == "email"
    with pytest.raises(Forbidden):
        workspaces.invite(workspace_access(dev, "acme", "eng"), "x@example.com")
    assert workspaces.invite(access, "x@example.com")[0].role == "member"


def test_a_new_invitation_replaces_the_pending_one(team):
    _, owner, _ = team
    access = workspace_access(owner, "acme", "eng")
    _, first = workspaces.invite(access, "x@example.com")
    _, second = workspaces.invite(access, "x@example.com")
    assert len(workspaces.pending_invitations(access)) == 1
    with pytest.raises(NotFound):
        workspaces.invitation_by_token(first)
    assert workspaces.invitation_by_token(second).email == "x@example.com"


def test_accepting_joins_org_as_member_and_workspace_as_pilotage_viewer(team):
    ws, owner, _ = team
    newcomer = user("new@example.com")
    _, token = workspaces.invite(workspace_access(owner, "acme", "eng"), "new@example.com", "admin")
    joined = workspaces.accept_invitation(newcomer, token)
    db.session.commit()
    assert joined.id == ws.id
    assert org_access(newcomer, "acme").role == "member"
    access = workspace_access(newcomer, "acme", "eng")
    assert (access.role, access.pilotage_role) == ("admin", "viewer")
    assert workspaces.pending_invitations(workspace_access(owner, "acme", "eng")) == []


def test_invitation_is_single_use(team):
    _, owner, _ = team
    newcomer = user("new@example.com")
    _, token = workspaces.invite(workspace_access(owner, "acme", "eng"), "new@example.com")
    workspaces.accept_invitation(newcomer, token)
    with pytest.raises(Conflict):
        workspaces.accept_invitation(newcomer, token)


def test_expired_invitation_is_refused(team):
    _, owner, _ = team
    newcomer = user("new@example.com")
    invitation, token = workspaces.invite(workspace_access(owner, "acme", "eng"), "new@example.com")
    invitation.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert workspaces.invitation_expired(invitation)
    with pytest.raises(Conflict):
        workspaces.accept_invitation(newcomer, token)
    with pytest.raises(NotFound):
        workspace_access(newcomer, "acme", "eng")


def test_invitation_needs_the_invited_account(team):
    _, owner, _ = team
    intruder = user("intruder@example.com")
    _, token = workspaces.invite(workspace_access(owner, "acme", "eng"), "new@example.com")
    with pytest.raises(Forbidden):
        workspaces.accept_invitation(intruder, token)
    with pytest.raises(NotFound):
        workspaces.accept_invitation(intruder, "not-a-token")
    # the e-mail compares case-insensitively
    invited = user("NEW@example.com")
    assert workspaces.accept_invitation(invited, token).slug == "eng"


def test_revoke_invitation_checks_its_workspace(team):
    _, owner, dev = team
    invitation, token = workspaces.invite(workspace_access(owner, "acme", "eng"), "new@example.com")
    workspaces.create_workspace(org_access(owner, "acme"), "Ops", "ops")
    with pytest.raises(NotFound):
        workspaces.revoke_invitation(workspace_access(owner, "acme", "ops"), invitation.id)
    with pytest.raises(Forbidden):
        workspaces.revoke_invitation(workspace_access(dev, "acme", "eng"), invitation.id)
    with pytest.raises(Forbidden):
        workspaces.pending_invitations(workspace_access(dev, "acme", "eng"))
    workspaces.revoke_invitation(workspace_access(owner, "acme", "eng"), invitation.id)
    with pytest.raises(NotFound):
        workspaces.invitation_by_token(token)


def test_reachable_workspaces_across_organizations(team):
    _, owner, dev = team
    slugs = [(o.slug, w.slug) for o, w in workspaces.reachable_workspaces(dev)]
    assert ("acme", "eng") in slugs and len(slugs) == 2  # personal + eng
    workspaces.create_workspace(org_access(owner, "acme"), "Secret", "secret")
    assert ("acme", "secret") not in [(o.slug, w.slug) for o, w in workspaces.reachable_workspaces(dev)]
    assert ("acme", "secret") in [(o.slug, w.slug) for o, w in workspaces.reachable_workspaces(owner)]
