"""Organization rules: slugs, roles, owner protection, cascading delete."""
import pytest
import sqlalchemy as sa

from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.extensions import db
from app.models.identity import Invitation, Organization, OrgMember, Workspace, WorkspaceMember
from app.services import accounts, orgs, workspaces
from app.services.access import org_access, workspace_access

PASSWORD = "correct-horse-battery"


def user(email):
    return accounts.register(email, PASSWORD)


@pytest.fixture()
def acme():
    """Organization `acme` with an owner, an admin and a member."""
    owner, admin, member = user("owner@acme.test"), user("admin@acme.test"), user("member@acme.test")
    org = orgs.create_org(owner, "Acme Corp", "acme")
    access = org_access(owner, "acme")
    orgs.add_member(access, "admin@acme.test", "admin")
    orgs.add_member(access, "member@acme.test", "member")
    db.session.commit()
    return org, owner, admin, member


def test_creator_becomes_owner():
    owner = user("o@example.com")
    org = orgs.create_org(owner, "  Acme Corp ", "acme-corp")
    assert (org.name, org.slug, org.owner_id, org.is_personal) == ("Acme Corp", "acme-corp", owner.id, False)
    assert org_access(owner, "acme-corp").role == "owner"


@pytest.mark.parametrize("slug", ["a", "x" * 61, "Acme", "acme_corp", "-acme", "acme-", "ac--me", "ac me", "", 7])
def test_slug_rules(slug):
    with pytest.raises(Invalid) as caught:
        orgs.create_org(user("o@example.com"), "Acme", slug)
    assert caught.value.field == "slug"


@pytest.mark.parametrize("slug", ["ab", "x" * 60, "acme-2", "a1-b2-c3"])
def test_valid_slugs(slug):
    assert orgs.create_org(user("o@example.com"), "Acme", slug).slug == slug


@pytest.mark.parametrize("name", ["", "  ", "n" * 101, None])
def test_name_rules(name):
    with pytest.raises(Invalid) as caught:
        orgs.create_org(user("o@example.com"), name, "acme")
    assert caught.value.field == "name"


def test_slug_is_unique_across_organizations(acme):
    with pytest.raises(Conflict):
        orgs.create_org(user("other@example.com"), "Other", "acme")


def test_list_orgs_gives_my_role_in_each(acme):
    _, owner, admin, _ = acme
    assert [(o.slug, role) for o, role in orgs.list_orgs(admin) if not o.is_personal] == [("acme", "admin")]
    assert ("acme", "owner") in [(o.slug, role) for o, role in orgs.list_orgs(owner)]


def test_update_by_admin_and_slug_conflict(acme):
    _, owner, admin, member = acme
    orgs.create_org(owner, "Taken", "taken")
    org = orgs.update_org(org_access(admin, "acme"), name="Acme Corporation", slug="acme-corp")
    assert (org.name, org.slug) == ("Acme Corporation", "acme-corp")
    with pytest.raises(Conflict):
        orgs.update_org(org_access(admin, "acme-corp"), slug="taken")
    with pytest.raises(Forbidden):
        orgs.update_org(org_access(member, "acme-corp"), name="Mine")


def test_non_members_do_not_see_the_organization(acme):
    stranger = user("stranger@example.com")
    with pytest.raises(NotFound):
        org_access(stranger, "acme")
    with pytest.raises(NotFound):
        org_access(stranger, "does-not-exist")


def test_add_member_rules(acme):
    _, owner, _, member = acme
    access = org_access(owner, "acme")
    with pytest.raises(Conflict):
        orgs.add_member(access, "MEMBER@acme.test", "member")
    with pytest.raises(Invalid) as no_account:
        orgs.add_member(access, "ghost@acme.test", "member")
    assert no_account.value.field == "email"
    user("new@acme.test")
    with pytest.raises(Invalid) as owner_role:
        orgs.add_member(access, "new@acme.test", "owner")
    assert owner_role.value.field == "role"
    with pytest.raises(Forbidden):
        orgs.add_member(org_access(member, "acme"), "new@acme.test", "member")
    added = orgs.add_member(access, "New@Acme.test", "admin")
    assert added.role == "admin"


def test_owner_role_cannot_change_and_owner_cannot_be_removed(acme):
    _, owner, admin, _ = acme
    for caller in (owner, admin):
        access = org_access(caller, "acme")
        with pytest.raises(Forbidden):
            orgs.change_member_role(access, owner.id, "member")
        with pytest.raises(Forbidden):
            orgs.remove_member(access, owner.id)
    assert org_access(owner, "acme").role == "owner"


def test_change_member_role(acme):
    _, owner, _, member = acme
    assert orgs.change_member_role(org_access(owner, "acme"), member.id, "admin").role == "admin"
    with pytest.raises(Invalid):
        orgs.change_member_role(org_access(owner, "acme"), member.id, "boss")
    with pytest.raises(NotFound):
        orgs.change_member_role(org_access(owner, "acme"), "0" * 24, "admin")


def test_members_cannot_manage_others_but_may_leave(acme):
    _, _, admin, member = acme
    with pytest.raises(Forbidden):
        orgs.change_member_role(org_access(member, "acme"), admin.id, "member")
    with pytest.raises(Forbidden):
        orgs.remove_member(org_access(member, "acme"), admin.id)
    orgs.remove_member(org_access(member, "acme"), member.id)
    with pytest.raises(NotFound):
        org_access(member, "acme")


def test_removing_a_member_removes_their_workspace_memberships(acme):
    org, owner, _, member = acme
    ws = workspaces.create_workspace(org_access(owner, "acme"), "Engineering", "eng")
    db.session.add(WorkspaceMember(workspace_id=ws.id, user_id=member.id, role="member", pilotage_role="viewer"))
    db.session.commit()
    assert workspace_access(member, "acme", "eng").role == "member"

    orgs.remove_member(org_access(owner, "acme"), member.id)
    db.session.commit()

    assert db.session.scalar(sa.select(sa.func.count()).select_from(WorkspaceMember).where(
        WorkspaceMember.user_id == member.id, WorkspaceMember.workspace_id == ws.id)) == 0
    with pytest.raises(NotFound):
        workspace_access(member, "acme", "eng")
    # their own personal workspace is untouched
    assert db.session.scalar(sa.select(sa.func.count()).select_from(WorkspaceMember).where(
        WorkspaceMember.user_id == member.id)) == 1


def test_only_the_owner_deletes_and_everything_below_goes(acme):
    org, owner, admin, member = acme
    ws = workspaces.create_workspace(org_access(owner, "acme"), "Engineering", "eng")
    workspaces.invite(workspace_access(owner, "acme", "eng"), "someone@example.com")
    db.session.commit()
    org_id, ws_id, owner_id = org.id, ws.id, owner.id
    with pytest.raises(Forbidden):
        orgs.delete_org(org_access(admin, "acme"))
    with pytest.raises(Forbidden):
        orgs.delete_org(org_access(member, "acme"))

    orgs.delete_org(org_access(owner, "acme"))
    db.session.commit()
    db.session.expire_all()

    def count(model, *where):
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))

    assert count(Organization, Organization.id == org_id) == 0
    assert count(OrgMember, OrgMember.organization_id == org_id) == 0
    assert count(Workspace, Workspace.organization_id == org_id) == 0
    assert count(WorkspaceMember, WorkspaceMember.workspace_id == ws_id) == 0
    assert count(Invitation, Invitation.workspace_id == ws_id) == 0
    # the people and their personal organizations stay
    assert count(Organization, Organization.owner_id == owner_id) == 1
