"""The board journey in a real browser: create a project from a template, add cards from
the keyboard, drag a card to another column and a column to a new place with the mouse,
and find both saved after a reload; a refused move snaps back; filter the board and keep the
filter in the address. A long column loads its cards as it scrolls into view. CSRF protection
is on, as in production."""
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.extensions import db
from app.models.identity import User
from app.services import columns, projects
from app.services.access import workspace_access
from tests.board_helpers import bulk_cards

pytestmark = pytest.mark.e2e

PASSWORD = "correct-horse-battery"


def drag(page, source, target, x_offset: float = 0.5, y_offset: float = 0.5) -> None:
    """A real mouse drag with intermediate moves (SortableJS follows pointer moves)."""
    start = source.bounding_box()
    end = target.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(start["x"] + start["width"] / 2 + 5, start["y"] + start["height"] / 2 + 5, steps=5)
    page.mouse.move(end["x"] + end["width"] * x_offset, end["y"] + end["height"] * y_offset, steps=20)
    page.wait_for_timeout(200)
    page.mouse.move(end["x"] + end["width"] * x_offset + 2, end["y"] + end["height"] * y_offset + 2, steps=3)
    page.mouse.up()


def sign_up(page, name: str, email: str) -> None:
    """Register through the form; the new account lands on its workspace's projects page."""
    page.goto("/register")
    page.get_by_label("Name").fill(name)
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="New project")).to_be_visible()


@pytest.fixture()
def csrf_on(app):
    """Forms, htmx requests and drags must carry the CSRF token, as in production."""
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def settled(page) -> None:
    """Wait until htmx has swapped and processed what it received (new forms get their
    handlers and new lists become sortable only then)."""
    page.wait_for_function(
        "!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')")


def add_cards(page, name: str, *titles: str) -> None:
    """Type cards into the open new-card form of column `name`, which keeps the focus."""
    for text in titles:
        field = column(page, name).get_by_label(f"Title of a new card in {name}")
        expect(field).to_be_focused()
        settled(page)  # the browser may focus a new `autofocus` field before htmx binds its form
        field.fill(text)
        field.press("Enter")
        expect(column(page, name).locator(".card-title", has_text=text)).to_be_visible()
    expect(column(page, name).get_by_label(f"Title of a new card in {name}")).to_be_focused()


def column(page, name: str):
    return page.locator(".board-column", has=page.locator(".column-name", has_text=re.compile(f"^{name}$")))


def column_names(page) -> list[str]:
    return [n.strip() for n in page.locator(".board-column .column-name").all_text_contents()]


def titles(page, name: str) -> list[str]:
    return [t.strip() for t in column(page, name).locator(".card-title").all_text_contents()]


def test_project_from_template_cards_drag_and_drop_and_reload(new_page, live_server, csrf_on):
    page = new_page()
    sign_up(page, "Grace Hopper", "grace@example.com")

    # The projects page is the workspace home: create a project from the bug-tracking template.
    page.get_by_label("Name", exact=True).fill("Compiler")
    page.locator("label", has_text="Bug tracking").click()
    page.get_by_role("button", name="Create project").click()
    expect(page.get_by_role("heading", name=re.compile("^Compiler"))).to_be_visible()
    assert column_names(page) == ["Reported", "Triaged", "Fixing", "Verifying", "Closed"]
    board_url = page.url

    # `n` opens the new-card form of the column under the pointer; it stays open for the next.
    column(page, "Reported").locator(".column-header").hover()
    page.keyboard.press("n")
    add_cards(page, "Reported", "Parser crash", "Wrong line numbers", "Slow linker")
    expect(column(page, "Reported").locator(".column-count")).to_have_text("3")
    assert titles(page, "Reported") == ["Parser crash", "Wrong line numbers", "Slow linker"]
    # Typing `n` in a field types an n.
    column(page, "Triaged").locator(".column-header").hover()
    page.keyboard.press("n")
    expect(column(page, "Reported").get_by_label("Title of a new card in Reported")).to_have_value("n")
    page.keyboard.press("Escape")
    expect(column(page, "Reported").get_by_label("Title of a new card in Reported")).to_be_hidden()
    settled(page)

    # Drag "Wrong line numbers" onto the empty Fixing column.
    card = column(page, "Reported").locator(".card-tile", has_text="Wrong line numbers")
    with page.expect_response(lambda r: "/move" in r.url and r.request.method == "POST") as moved:
        drag(page, card, column(page, "Fixing").locator(".card-list"))
    assert moved.value.status == 200
    expect(column(page, "Fixing").locator(".card-title")).to_have_text(["Wrong line numbers"])
    expect(column(page, "Fixing").locator(".column-count")).to_have_text("1 / 5")
    expect(column(page, "Reported").locator(".column-count")).to_have_text("2")
    settled(page)

    # Drag the Closed column to the far left, by its header.
    with page.expect_response(lambda r: "/move" in r.url and r.request.method == "POST") as moved:
        drag(page, column(page, "Closed").locator(".column-name"),
             column(page, "Reported").locator(".column-header"), x_offset=0.1)
    assert moved.value.status == 204
    assert column_names(page) == ["Closed", "Reported", "Triaged", "Fixing", "Verifying"]

    # Both are saved.
    page.reload()
    assert column_names(page) == ["Closed", "Reported", "Triaged", "Fixing", "Verifying"]
    assert titles(page, "Fixing") == ["Wrong line numbers"]
    assert titles(page, "Reported") == ["Parser crash", "Slow linker"]

    # A move over the WIP limit snaps back, with the reason.
    column(page, "Fixing").locator(".column-header").hover()
    page.keyboard.press("n")
    add_cards(page, "Fixing", "Fix 2", "Fix 3", "Fix 4", "Fix 5")
    expect(column(page, "Fixing").locator(".column-count")).to_have_text("5 / 5")
    settled(page)
    with page.expect_response(lambda r: "/move" in r.url and r.request.method == "POST") as refused:
        drag(page, column(page, "Reported").locator(".card-tile", has_text="Parser crash"),
             column(page, "Fixing").locator(".card-tile").last, y_offset=0.8)
    assert refused.value.status == 409
    expect(page.locator("#flashes")).to_contain_text("WIP limit of 5")
    expect(column(page, "Reported").locator(".card-title")).to_have_text(["Parser crash", "Slow linker"])
    expect(column(page, "Fixing").locator(".card-tile")).to_have_count(5)

    # The filter narrows the board on the server and the address keeps it.
    page.get_by_label("Filter cards by text").fill("slow")
    expect(page).to_have_url(re.compile(r"\?q=slow$"))
    expect(page.locator(".card-title")).to_have_text(["Slow linker"])
    page.reload()
    expect(page.locator(".card-title")).to_have_text(["Slow linker"])
    expect(page.get_by_label("Filter cards by text")).to_have_value("slow")
    page.goto(board_url)
    expect(page.locator(".card-title")).to_have_count(7)

    # A card opens in the panel beside the board; its checklist progress follows on the
    # panel and on the tile; Esc closes the panel and puts the board's address back.
    tile = column(page, "Reported").locator(".card-tile", has_text="Slow linker")
    tile.locator(".card-title").click()
    panel = page.locator("#card-panel .card-detail")
    expect(panel.get_by_label("Title")).to_have_value("Slow linker")
    expect(page).to_have_url(re.compile(r"/cards/[0-9a-f]{24}$"))
    settled(page)
    for item in ("Profile", "Fix"):
        field = panel.get_by_label("New checklist item")
        field.fill(item)
        field.press("Enter")
        expect(panel.locator(".checklist-item")).to_have_count(1 if item == "Profile" else 2)
        settled(page)
    expect(panel.locator("#panel-checklist-progress")).to_have_text("0/2 · 0%")
    expect(tile.locator(".card-checklist")).to_have_text("☑ 0/2")
    panel.get_by_label("Done: Profile").check()
    expect(panel.locator("#panel-checklist-progress")).to_have_text("1/2 · 50%")
    expect(tile.locator(".card-checklist")).to_have_text("☑ 1/2")
    settled(page)
    page.locator("body").press("Escape")
    expect(page.locator("#card-panel .card-detail")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/p/[0-9a-f]{24}$"))
    page.reload()
    expect(tile.locator(".card-checklist")).to_have_text("☑ 1/2")

    # Archiving closes the panel and takes the tile off; deleting asks first.
    tile.locator(".card-title").click()
    expect(panel.get_by_label("Title")).to_have_value("Slow linker")
    settled(page)
    panel.get_by_role("button", name="Archive").click()
    expect(page.locator("#card-panel .card-detail")).to_have_count(0)
    expect(tile).to_have_count(0)
    expect(page.locator("#flashes")).to_contain_text("archived")
    expect(page).to_have_url(re.compile(r"/p/[0-9a-f]{24}$"))
    crash = column(page, "Reported").locator(".card-tile", has_text="Parser crash")
    crash.locator(".card-title").click()
    expect(panel.get_by_label("Title")).to_have_value("Parser crash")
    settled(page)
    page.once("dialog", lambda dialog: dialog.accept())
    panel.get_by_text("Delete…").click()
    panel.get_by_role("button", name="Delete for good").click()
    expect(crash).to_have_count(0)
    expect(page.locator("#card-panel .card-detail")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/p/[0-9a-f]{24}$"))
    expect(column(page, "Reported").locator(".card-title")).to_have_count(0)


def test_a_long_column_loads_its_cards_as_they_scroll_into_view(new_page, live_server):
    page = new_page(viewport={"width": 1280, "height": 800})
    sign_up(page, "Alan Turing", "alan@example.com")

    alan = db.session.scalar(sa.select(User).where(User.email == "alan@example.com"))
    project = projects.create_project(workspace_access(alan, "alan-turing", "personal"), "Archive")
    todo = columns.list_columns(projects.project_access(alan, "alan-turing", "personal", project.id))[0]
    bulk_cards(project.id, todo.id, 120)
    db.session.commit()

    page.goto(f"/o/alan-turing/w/personal/p/{project.id}")
    tiles = column(page, "To Do").locator(".card-tile")
    expect(tiles).to_have_count(50)
    expect(column(page, "To Do").locator(".column-count")).to_have_text("120")
    to_bottom = "window.scrollTo(0, document.body.scrollHeight)"
    page.evaluate(to_bottom)
    expect(tiles).to_have_count(100)
    page.evaluate(to_bottom)
    expect(tiles).to_have_count(120)
    expect(column(page, "To Do").locator(".load-more")).to_have_count(0)
    assert titles(page, "To Do") == [f"Card {n}" for n in range(1, 121)]
