"""Organization pages: create, settings, members, deletion; who may see them."""
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models.identity import Organization, OrgMember, User, Workspace, WorkspaceMember
from tests.web.identity_support import HX, field_error, html, signup


def org_role(email: str, slug: str = "acme") -> str | None:
    return db.session.scalar(
        sa.select(OrgMember.role).join(User, User.id == OrgMember.user_id)
        .join(Organization, Organization.id == OrgMember.organization_id)
        .where(User.email == email, Organization.slug == slug))


def user_id(email: str) -> str:
    return db.session.scalar(sa.select(User.id).where(User.email == email))


@pytest.fixture()
def acme(app):
    """Ada owns Acme (with workspace Eng); Bob is a plain member; Carol an admin; Dan an outsider."""
    ada = signup(app, "ada@example.com", "Ada")
    assert ada.post("/orgs/new", data={"name": "Acme", "slug": "acme"}).location == "/o/acme/workspaces/new"
    ada.post("/o/acme/workspaces/new", data={"name": "Eng", "slug": "eng"})
    people = {"ada": ada}
    for name, role in (("bob", "member"), ("carol", "admin"), ("dan", None)):
        people[name] = signup(app, f"{name}@example.com", name.title())
        if role:
            assert ada.post("/o/acme/members", data={"email": f"{name}@example.com", "role": role}).status_code == 302
    return people


def test_new_organization_form_refuses_bad_and_taken_slugs(app):
    client = signup(app, "ada@example.com")
    bad = client.post("/orgs/new", data={"name": "Acme", "slug": "Not A Slug"})
    assert bad.status_code == 400 and "lowercase letters" in field_error(html(bad), "slug")
    assert client.post("/orgs/new", data={"name": "Acme", "slug": "acme"}).status_code == 302
    taken = client.post("/orgs/new", data={"name": "Again", "slug": "acme"})
    assert taken.status_code == 400 and "already taken" in field_error(html(taken), "slug")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organization).where(
        Organization.is_personal.is_(False))) == 1


def test_settings_page_is_for_owners_and_admins(acme):
    assert acme["ada"].get("/o/acme/settings").status_code == 200
    assert acme["carol"].get("/o/acme/settings").status_code == 200
    assert acme["bob"].get("/o/acme/settings").status_code == 403
    assert acme["dan"].get("/o/acme/settings").status_code == 404
    assert acme["dan"].get("/o/nowhere/settings").status_code == 404
    page = html(acme["ada"].get("/o/acme/settings"))
    assert "bob@example.com" in page and 'href="/o/acme/w/eng/"' in page and "Delete organization" in page
    assert "Delete organization" not in html(acme["carol"].get("/o/acme/settings"))


def test_rename_and_reslug_redirects_to_the_new_address(acme):
    response = acme["carol"].post("/o/acme/settings", data={"name": "Acme Corp", "slug": "acme-corp"})
    assert response.location == "/o/acme-corp/settings"
    bad = acme["ada"].post("/o/acme-corp/settings", data={"name": "", "slug": "acme-corp"})
    assert bad.status_code == 400 and "must not be empty" in field_error(html(bad), "name")
    assert acme["bob"].post("/o/acme-corp/settings", data={"name": "Mine", "slug": "mine"}).status_code == 403
    assert db.session.scalar(sa.select(Organization.name).where(Organization.slug == "acme-corp")) == "Acme Corp"


def test_adding_a_member_with_htmx_appends_their_row(acme, app):
    signup(app, "eve@example.com", "Eve")
    response = acme["ada"].post("/o/acme/members", headers=HX, data={"email": "eve@example.com", "role": "member"})
    assert response.status_code == 201
    fragment = html(response)
    assert 'hx-swap-oob="beforeend:#org-members"' in fragment and "eve@example.com" in fragment
    assert org_role("eve@example.com") == "member"


def test_adding_a_member_errors_come_back_in_the_form(acme):
    unknown = acme["ada"].post("/o/acme/members", headers=HX, data={"email": "nobody@example.com", "role": "member"})
    assert unknown.status_code == 400 and unknown.headers["X-Fragment"] == "1"
    assert "No account with this e-mail" in field_error(html(unknown), "email")
    twice = acme["ada"].post("/o/acme/members", data={"email": "bob@example.com", "role": "admin"})
    assert twice.status_code == 400 and "Already a member" in field_error(html(twice), "email")
    assert org_role("bob@example.com") == "member"
    assert acme["bob"].post("/o/acme/members", data={"email": "dan@example.com", "role": "member"}).status_code == 403
    assert org_role("dan@example.com") is None


def test_role_change_swaps_the_row_and_protects_the_owner(acme):
    response = acme["ada"].post(f"/o/acme/members/{user_id('bob@example.com')}", headers=HX, data={"role": "admin"})
    assert response.status_code == 200
    assert f'id="org-member-{user_id("bob@example.com")}"' in html(response)
    assert org_role("bob@example.com") == "admin"
    owner = acme["carol"].post(f"/o/acme/members/{user_id('ada@example.com')}", headers=HX, data={"role": "member"})
    assert owner.status_code == 403
    assert org_role("ada@example.com") == "owner"


def test_removing_a_member_drops_their_workspace_memberships(acme):
    invited = acme["ada"].post("/o/acme/w/eng/invitations", data={"email": "bob@example.com", "role": "member"})
    token = html(invited).split("/invite/")[1].split('"')[0]
    assert acme["bob"].post(f"/invite/{token}").location == "/o/acme/w/eng/"
    assert acme["bob"].get("/o/acme/w/eng/").status_code == 200

    bob = user_id("bob@example.com")
    response = acme["carol"].post(f"/o/acme/members/{bob}/remove", headers=HX)
    assert response.status_code == 200 and html(response) == ""
    assert org_role("bob@example.com") is None
    assert db.session.scalar(sa.select(WorkspaceMember.id).join(Workspace).where(
        WorkspaceMember.user_id == bob, Workspace.slug == "eng")) is None
    assert acme["bob"].get("/o/acme/w/eng/").status_code == 404
    assert acme["carol"].post(f"/o/acme/members/{user_id('ada@example.com')}/remove", headers=HX).status_code == 403


def test_deleting_needs_the_typed_slug_and_the_owner(acme):
    wrong = acme["ada"].post("/o/acme/delete", data={"confirm": "acm"})
    assert wrong.status_code == 400 and "exactly" in field_error(html(wrong), "confirm")
    assert acme["carol"].post("/o/acme/delete", data={"confirm": "acme"}).status_code == 403
    assert acme["bob"].post("/o/acme/delete", data={"confirm": "acme"}).status_code == 403
    assert acme["dan"].post("/o/acme/delete", data={"confirm": "acme"}).status_code == 404
    assert org_role("ada@example.com") == "owner"
    assert acme["ada"].post("/o/acme/delete", data={"confirm": "acme"}).location == "/"
    assert db.session.scalar(sa.select(Organization.id).where(Organization.slug == "acme")) is None
