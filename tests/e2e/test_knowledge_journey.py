"""The knowledge base in a real browser, CSRF protection on as in production: Bob writes a
spec like a user would (a "/" command for the heading, the toolbar for a bullet list and a
link), the editor saves it by itself, a reload shows it intact; he submits it for review and
Ada, in her own browser, approves it; Bob finds it with the search box. Then two people edit
the same document: the one who saved on an older revision gets the conflict notice and
chooses to overwrite. And a document dragged into another one in the tree is filed there."""
import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.extensions import db
from app.models.identity import User
from app.models.knowledge import Document
from app.services import documents
from tests.board_helpers import join, team_workspace, user, ws
from tests.conftest import PASSWORD
from tests.unit.document_helpers import doc

pytestmark = pytest.mark.e2e

W = "/o/acme/w/eng"


@pytest.fixture()
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture()
def team():
    """acme/eng: Ada administers it (she may review), Bob is a member."""
    ada = user("ada@example.com")
    workspace = team_workspace(ada)
    join(user("bob@example.com"), workspace)
    db.session.commit()


def log_in(new_page, email: str):
    page = new_page()
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    return page


def person(email: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def saved_document(title: str) -> Document:
    db.session.expire_all()
    return db.session.scalar(sa.select(Document).where(Document.title == title))


def test_write_autosave_review_approve_and_find_a_spec(new_page, live_server, csrf_on, team):
    bob = log_in(new_page, "bob@example.com")
    bob.goto(W + "/")
    bob.locator(".wsnav").get_by_role("link", name="Knowledge").click()
    expect(bob).to_have_url(f"{live_server}{W}/knowledge")
    bob.get_by_role("link", name="New document", exact=True).click()
    bob.get_by_label("Title").fill("Login spec")
    bob.get_by_label("Type").select_option("spec")
    bob.get_by_role("button", name="Create and edit").click()

    # The editor: a heading through the "/" menu, a list from the toolbar, a link.
    text = bob.get_by_role("textbox", name="Document text")
    expect(text).to_be_visible()
    text.click()
    bob.keyboard.type("/head")
    menu = bob.locator(".se-slash")
    expect(menu.get_by_role("option")).to_have_text(["Heading 1", "Heading 2", "Heading 3"])
    bob.keyboard.press("Enter")
    bob.keyboard.type("Goals")
    bob.keyboard.press("Enter")
    bob.get_by_role("button", name="Bullet list").click()
    bob.keyboard.type("Single sign-on")
    bob.keyboard.press("Enter")
    bob.keyboard.type("Password reset")
    bob.keyboard.press("Enter")
    bob.keyboard.press("Enter")  # out of the list
    bob.keyboard.type("Details: ")
    bob.get_by_role("button", name="Link", exact=True).click()
    bob.get_by_label("Link address").fill("example.com/sso")
    bob.keyboard.press("Enter")
    expect(text.locator("a")).to_have_attribute("href", "https://example.com/sso")

    # It saves by itself once typing stops.
    status = bob.locator("[data-editor-status]")
    expect(status).to_have_text("All changes saved")
    expect(bob.locator("#doc-revision")).not_to_have_text("1")
    spec = saved_document("Login spec")
    assert spec.doc_type == "spec" and "Single sign-on" in spec.plain_text

    # A reload shows it intact, in the editor and as the page renders it.
    bob.reload()
    text = bob.get_by_role("textbox", name="Document text")
    expect(text.locator("h1")).to_have_text("Goals")
    expect(text.locator("ul li")).to_have_text(["Single sign-on", "Password reset"])
    expect(text.locator("a")).to_have_attribute("href", "https://example.com/sso")
    bob.get_by_role("link", name="Done").click()
    rendered = bob.locator(".doc-rendered")
    expect(rendered.locator("h1")).to_have_text("Goals")
    expect(rendered.locator("ul li")).to_have_text(["Single sign-on", "Password reset"])
    expect(rendered.get_by_role("link", name="example.com/sso")).to_have_attribute("href", "https://example.com/sso")
    expect(bob).to_have_url(f"{live_server}{W}/docs/{spec.id}")
    # Edit swaps the editor in again (mounted on the htmx-loaded part), Done takes it out.
    bob.get_by_role("link", name="Edit").click()
    expect(bob.get_by_role("textbox", name="Document text").locator("h1")).to_have_text("Goals")
    expect(bob.locator(".se-toolbar")).to_have_count(1)
    bob.evaluate("window.__editorElement = document.querySelector('[data-stellary-editor]')")
    assert bob.evaluate("StellaryEditor.get(window.__editorElement) !== undefined")
    bob.get_by_role("link", name="Done").click()
    expect(bob.locator(".se-toolbar")).to_have_count(0)
    assert bob.evaluate("StellaryEditor.get(window.__editorElement) === undefined")  # unmounted
    expect(bob.locator(".doc-rendered h1")).to_have_text("Goals")

    # Bob submits it; he may not review it himself.
    review = bob.locator("#doc-review")
    review.get_by_role("button", name="Submit for review").click()
    expect(bob.locator("#doc-status")).to_have_text("Pending review")
    expect(review).to_contain_text("waiting for a reviewer")
    expect(review.get_by_role("button", name="Approve")).to_have_count(0)

    # Ada approves it from her own browser.
    ada = log_in(new_page, "ada@example.com")
    ada.goto(f"{W}/docs/{spec.id}")
    ada.get_by_label("Notes").fill("Clear enough, ship it")
    ada.get_by_role("button", name="Approve").click()
    expect(ada.locator("#doc-status")).to_have_text("Approved")
    expect(ada.locator("#doc-review")).to_contain_text("Ada approved it")
    expect(ada.locator("#doc-review")).to_contain_text("Clear enough, ship it")
    assert saved_document("Login spec").status == "approved"

    # Bob finds it with the search box, the match highlighted.
    bob.goto(W + "/knowledge")
    bob.get_by_label("Search documents and cards").press_sequentially("sign", delay=30)
    hit = bob.locator("#search-results .hit-document")
    expect(hit.locator(".hit-title")).to_have_text("Login spec")
    expect(hit.locator(".snippet mark").first).to_have_text("Sign", ignore_case=True)
    hit.get_by_role("link", name="Login spec").click()
    expect(bob.locator("#doc-status")).to_have_text("Approved")


def test_a_save_on_an_older_revision_shows_the_conflict_notice(new_page, live_server, csrf_on, team):
    plan = documents.create_document(ws(person("ada@example.com")), {"title": "Plan", "content": doc("Ada's draft")})
    db.session.commit()
    ada = log_in(new_page, "ada@example.com")
    ada.goto(f"{W}/docs/{plan.id}/edit")
    expect(ada.get_by_role("textbox", name="Document text")).to_contain_text("Ada's draft")

    # Bob saves his version meanwhile.
    bob = log_in(new_page, "bob@example.com")
    bob.goto(f"{W}/docs/{plan.id}/edit")
    text = bob.get_by_role("textbox", name="Document text")
    text.click()
    bob.keyboard.press("End")
    bob.keyboard.type(" and Bob's part")
    expect(bob.locator("#doc-revision")).to_have_text("2")

    # Ada types: her save is refused, she is told and chooses.
    text = ada.get_by_role("textbox", name="Document text")
    text.click()
    ada.keyboard.press("End")
    ada.keyboard.type(", reworded")
    notice = ada.locator(".se-conflict")
    expect(notice).to_contain_text("Bob saved this document meanwhile (revision 2)")
    expect(ada.locator("[data-editor-status]")).to_have_text("Not saved: someone else saved meanwhile")
    assert saved_document("Plan").content == doc("Ada's draft and Bob's part")
    notice.get_by_role("button", name="Overwrite it with your version").click()
    expect(ada.locator("[data-editor-status]")).to_have_text("All changes saved")
    expect(notice).to_be_hidden()
    assert saved_document("Plan").content == doc("Ada's draft, reworded")


def test_a_document_dragged_into_another_is_filed_there(new_page, live_server, csrf_on, team):
    access = ws(person("ada@example.com"))
    guide = documents.create_document(access, {"title": "Guide"})
    setup = documents.create_document(access, {"title": "Setup"})
    db.session.commit()
    page = log_in(new_page, "ada@example.com")
    page.goto(W + "/knowledge")
    source = page.locator(f"#doc-node-{setup.id} > .doc-node-row")
    target = page.locator(f"#doc-node-{guide.id} > .doc-node-row")
    start, end = source.bounding_box(), target.bounding_box()
    page.mouse.move(start["x"] + 10, start["y"] + start["height"] / 2)  # on the handle, not the link
    page.mouse.down()
    page.mouse.move(start["x"] + 40, start["y"] + start["height"] / 2 - 5, steps=4)
    page.mouse.move(end["x"] + 60, end["y"] + end["height"] + 4, steps=15)
    page.mouse.up()
    expect(page.locator(".tree-message")).to_have_text("Moved “Setup” under “Guide”.")
    expect(page.locator(f"#doc-node-{guide.id} .doc-children #doc-node-{setup.id}")).to_be_visible()
    db.session.expire_all()
    assert db.session.get(Document, setup.id).parent_id == guide.id
