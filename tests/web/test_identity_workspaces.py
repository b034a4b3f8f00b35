"""Workspace pages (new, home, settings, members, invitations, deletion) and the
invitation accept page."""
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models.identity import Invitation, User, Workspace, WorkspaceMember
from tests.web.identity_support import HX, field_error, html, signup


def member(email: str, slug: str = "eng") -> WorkspaceMember | None:
    db.session.expire_all()
    return db.session.scalar(
        sa.select(WorkspaceMember).join(User, User.id == WorkspaceMember.user_id)
        .join(Workspace, Workspace.id == WorkspaceMember.workspace_id)
        .where(User.email == email, Workspace.slug == slug))


def user_id(email: str) -> str:
    return db.session.scalar(sa.select(User.id).where(User.email == email))


def invite(client, email: str, role: str = "member") -> str:
    """Invite `email` to acme/eng through the page; the token from the link shown."""
    response = client.post("/o/acme/w/eng/invitations", headers=HX, data={"email": email, "role": role})
    assert response.status_code == 201, html(response)
    return html(response).split("http://stellary.test/invite/")[1].split('"')[0]


@pytest.fixture()
def eng(app):
    """Ada admins acme/eng; Bob joined it as a member; Dan is an outsider."""
    ada = signup(app, "ada@example.com", "Ada")
    ada.post("/orgs/new", data={"name": "Acme", "slug": "acme"})
    ada.post("/o/acme/workspaces/new", data={"name": "Eng", "slug": "eng"})
    bob = signup(app, "bob@example.com", "Bob")
    assert bob.post(f"/invite/{invite(ada, 'bob@example.com')}").location == "/o/acme/w/eng/"
    return {"ada": ada, "bob": bob, "dan": signup(app, "dan@example.com", "Dan")}


def test_new_workspace_needs_an_org_manager_and_a_good_slug(eng):
    assert eng["bob"].get("/o/acme/workspaces/new").status_code == 403
    assert eng["dan"].get("/o/acme/workspaces/new").status_code == 404
    bad = eng["ada"].post("/o/acme/workspaces/new", data={"name": "Ops", "slug": "-ops"})
    assert bad.status_code == 400 and "lowercase letters" in field_error(html(bad), "slug")
    taken = eng["ada"].post("/o/acme/workspaces/new", data={"name": "Eng 2", "slug": "eng"})
    assert taken.status_code == 400 and "already taken" in field_error(html(taken), "slug")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Workspace).where(
        Workspace.is_personal.is_(False))) == 1


def test_home_is_for_members_and_settings_for_admins(eng):
    home = eng["bob"].get("/o/acme/w/eng/")
    assert home.status_code == 200 and "2 members" in html(home)
    assert 'href="/o/acme/w/eng/settings"' not in html(home)
    assert eng["dan"].get("/o/acme/w/eng/").status_code == 404
    assert eng["ada"].get("/o/acme/w/eng/settings").status_code == 200
    assert eng["bob"].get("/o/acme/w/eng/settings").status_code == 403
    assert eng["dan"].get("/o/acme/w/eng/settings").status_code == 404
    assert eng["ada"].get("/o/acme/w/nowhere/settings").status_code == 404


def test_rename_and_reslug(eng):
    bad = eng["ada"].post("/o/acme/w/eng/settings", data={"name": "Engineering", "slug": "Eng!"})
    assert bad.status_code == 400 and "lowercase letters" in field_error(html(bad), "slug")
    assert eng["bob"].post("/o/acme/w/eng/settings", data={"name": "Mine", "slug": "mine"}).status_code == 403
    ok = eng["ada"].post("/o/acme/w/eng/settings", data={"name": "Engineering", "slug": "engineering"})
    assert ok.location == "/o/acme/w/engineering/settings"
    assert eng["bob"].get("/o/acme/w/engineering/").status_code == 200


def test_role_selects_change_the_member_in_place(eng):
    bob = user_id("bob@example.com")
    response = eng["ada"].post(f"/o/acme/w/eng/members/{bob}", headers=HX,
                               data={"role": "member", "pilotage_role": "reviewer"})
    assert response.status_code == 200
    fragment = html(response)
    assert fragment.lstrip().startswith('<form class="member-row" id="ws-member-' + bob)
    assert '<option value="reviewer" selected>' in fragment
    assert member("bob@example.com").pilotage_role == "reviewer"
    assert eng["bob"].post(f"/o/acme/w/eng/members/{bob}", headers=HX, data={"role": "admin"}).status_code == 403
    assert member("bob@example.com").role == "member"


def test_demoting_the_last_admin_is_refused_in_the_row(eng):
    ada = user_id("ada@example.com")
    response = eng["ada"].post(f"/o/acme/w/eng/members/{ada}", headers=HX,
                               data={"role": "member", "pilotage_role": "viewer"})
    assert response.status_code == 409 and response.headers["X-Fragment"] == "1"
    fragment = html(response)
    assert "at least one admin" in fragment and '<option value="admin" selected>' in fragment
    assert member("ada@example.com").role == "admin" and member("ada@example.com").pilotage_role == "owner"
    bad = eng["ada"].post(f"/o/acme/w/eng/members/{user_id('bob@example.com')}", headers=HX,
                          data={"pilotage_role": "boss"})
    assert bad.status_code == 400 and "pilotageRole must be one of" in html(bad)


def test_removing_a_member_with_htmx(eng):
    bob = user_id("bob@example.com")
    assert eng["dan"].post(f"/o/acme/w/eng/members/{bob}/remove", headers=HX).status_code == 404
    response = eng["ada"].post(f"/o/acme/w/eng/members/{bob}/remove", headers=HX)
    assert response.status_code == 200 and html(response) == ""
    assert member("bob@example.com") is None


def test_invite_shows_a_copyable_link_and_the_pending_list(eng):
    response = eng["ada"].post("/o/acme/w/eng/invitations", headers=HX,
                               data={"email": "Carol@Example.com", "role": "admin"})
    assert response.status_code == 201
    fragment = html(response)
    assert 'id="invite-link"' in fragment and 'data-copy="invite-link"' in fragment
    assert 'id="ws-invitations" hx-swap-oob="true"' in fragment and "carol@example.com" in fragment
    invitation = db.session.scalar(sa.select(Invitation).where(Invitation.email == "carol@example.com"))
    assert invitation.role == "admin" and invitation.accepted_at is None
    assert "carol@example.com" in html(eng["ada"].get("/o/acme/w/eng/settings"))


def test_invite_errors_stay_in_the_form(eng):
    member_already = eng["ada"].post("/o/acme/w/eng/invitations", headers=HX,
                                     data={"email": "bob@example.com", "role": "member"})
    assert member_already.status_code == 400 and member_already.headers["X-Fragment"] == "1"
    assert "already a member" in field_error(html(member_already), "email")
    bad = eng["ada"].post("/o/acme/w/eng/invitations", data={"email": "not-an-email", "role": "member"})
    assert bad.status_code == 400 and "valid e-mail" in field_error(html(bad), "email")
    assert eng["bob"].post("/o/acme/w/eng/invitations", data={"email": "x@example.com"}).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation).where(
        Invitation.accepted_at.is_(None))) == 0


def test_revoking_an_invitation_kills_its_link(eng, app):
    token = invite(eng["ada"], "carol@example.com")
    invitation_id = db.session.scalar(sa.select(Invitation.id).where(Invitation.email == "carol@example.com"))
    assert eng["bob"].post(f"/o/acme/w/eng/invitations/{invitation_id}/revoke", headers=HX).status_code == 403
    response = eng["ada"].post(f"/o/acme/w/eng/invitations/{invitation_id}/revoke", headers=HX)
    assert response.status_code == 200 and html(response) == ""
    assert app.test_client().get(f"/invite/{token}").status_code == 404


def test_accept_page_for_visitors_strangers_and_the_invitee(eng, app):
    token = invite(eng["ada"], "carol@example.com")
    visitor = html(app.test_client().get(f"/invite/{token}"))
    assert "Ada invited" in visitor and "Eng" in visitor and "Acme" in visitor
    assert f"/register?next=/invite/{token}&amp;email=carol@example.com" in visitor
    assert f"/login?next=/invite/{token}" in visitor

    stranger = html(eng["dan"].get(f"/invite/{token}"))
    assert "logged in as dan@example.com" in stranger and "Accept and join" not in stranger
    refused = eng["dan"].post(f"/invite/{token}")
    assert refused.status_code == 403 and "another e-mail" in html(refused)
    assert member("dan@example.com") is None

    carol = signup(app, "carol@example.com", "Carol")
    assert "Accept and join Eng" in html(carol.get(f"/invite/{token}"))
    assert carol.post(f"/invite/{token}").location == "/o/acme/w/eng/"
    assert member("carol@example.com").role == "member"
    used = html(carol.get(f"/invite/{token}"))
    assert "already been used" in used and "Accept and join" not in used
    assert app.test_client().get("/invite/not-a-token").status_code == 404


def test_deleting_a_workspace_needs_its_slug_and_an_admin(eng):
    wrong = eng["ada"].post("/o/acme/w/eng/delete", data={"confirm": "nope"})
    assert wrong.status_code == 400 and "exactly" in field_error(html(wrong), "confirm")
    assert eng["bob"].post("/o/acme/w/eng/delete", data={"confirm": "eng"}).status_code == 403
    assert eng["ada"].post("/o/acme/w/eng/delete", data={"confirm": "eng"}).location == "/"
    assert db.session.scalar(sa.select(Workspace.id).where(Workspace.slug == "eng")) is None
    assert eng["bob"].get("/").location == "/o/bob/w/personal/"


def test_a_member_leaves_a_workspace_from_the_account_page(eng):
    bob = eng["bob"]
    page = html(bob.get("/account"))
    leave = f"/o/acme/w/eng/members/{user_id('bob@example.com')}/remove"
    assert f'hx-post="{leave}"' in page and "Eng" in page
    response = bob.post(leave, headers=HX)
    assert response.status_code == 200 and response.headers["HX-Redirect"] == "/"
    assert member("bob@example.com") is None
    assert bob.get("/o/acme/w/eng/").status_code == 404
    assert leave not in html(bob.get("/account"))


def test_the_last_admin_cannot_leave(eng):
    ada = eng["ada"]
    response = ada.post(f"/o/acme/w/eng/members/{user_id('ada@example.com')}/remove", headers=HX)
    assert response.status_code == 409
    assert member("ada@example.com").role == "admin"
