"""The card panel in a real browser, reached by its own address (a shared link, a reload):
add checklist items, tick one and see the progress reach 50% on the panel and on the tile,
drag an item to the top, rename the card (a refused title says why), press Esc to close the
panel back to the board's address; then archive the card and restore it from the archived
cards page. CSRF protection is on, as in production."""
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.extensions import db
from app.models.identity import User
from app.services import cards, columns, projects
from app.services.access import workspace_access
from tests.e2e.test_board_journey import csrf_on, settled, sign_up  # noqa: F401

pytestmark = pytest.mark.e2e


def drag(page, source, target) -> None:
    """A real mouse drag to the upper part of `target` (SortableJS follows pointer moves)."""
    start, end = source.bounding_box(), target.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2 - 5, steps=5)
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] * 0.2, steps=20)
    page.wait_for_timeout(200)
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] * 0.2 - 2, steps=3)
    page.mouse.up()


def test_a_card_opened_by_its_address(new_page, live_server, csrf_on):
    page = new_page()
    sign_up(page, "Katherine Johnson", "katherine@example.com")

    katherine = db.session.scalar(sa.select(User).where(User.email == "katherine@example.com"))
    project = projects.create_project(workspace_access(katherine, "katherine-johnson", "personal"), "Orbit")
    access = projects.project_access(katherine, "katherine-johnson", "personal", project.id)
    todo = columns.list_columns(access)[0]
    card = cards.create_card(katherine, todo.id, title="Compute the trajectory")
    db.session.commit()
    board_url = f"/o/katherine-johnson/w/personal/p/{project.id}"

    page.goto(f"{board_url}/cards/{card.id}")
    panel = page.locator("#card-panel .card-detail")
    tile = page.locator(f"#card-{card.id}")
    expect(panel.get_by_label("Title")).to_have_value("Compute the trajectory")
    expect(tile).to_be_visible()  # the board is behind the panel
    expect(page).to_have_title(re.compile("^Compute the trajectory · Orbit"))

    for item in ("Check the equations", "Run the numbers"):
        field = panel.get_by_label("New checklist item")
        field.fill(item)
        field.press("Enter")
        expect(panel.locator(".checklist-item")).to_have_count(1 if item.startswith("Check") else 2)
        settled(page)
    expect(panel.get_by_label("New checklist item")).to_be_focused()  # ready for the next one
    expect(panel.locator("#panel-checklist-progress")).to_have_text("0/2 · 0%")
    panel.get_by_label("Done: Check the equations").check()
    expect(panel.locator("#panel-checklist-progress")).to_have_text("1/2 · 50%")
    expect(tile.locator(".card-checklist")).to_have_text("☑ 1/2")
    settled(page)

    # Drag the second item to the top by its handle.
    items = panel.locator(".checklist-item")
    with page.expect_response(lambda r: "/checklist/" in r.url and r.request.method == "POST") as moved:
        drag(page, items.nth(1).locator(".checklist-handle"), items.nth(0))
    assert moved.value.status == 200
    expect(items.nth(0).locator(".checklist-rename input[name=title]")).to_have_value("Run the numbers")
    expect(items.nth(1).locator(".checklist-rename input[name=title]")).to_have_value("Check the equations")
    settled(page)

    # The title saves on Enter and the tile follows; an empty one is refused with the reason.
    title = panel.get_by_label("Title")
    title.fill("Compute the return trajectory")
    title.press("Enter")
    expect(tile.locator(".card-title")).to_have_text("Compute the return trajectory")
    settled(page)
    title = panel.get_by_label("Title")
    title.fill("   ")
    title.press("Enter")
    expect(panel.locator("#panel-field-title .field-error")).to_have_text("title must not be empty")
    expect(tile.locator(".card-title")).to_have_text("Compute the return trajectory")
    settled(page)

    # Esc: first it undoes what was typed in the field, then it closes the panel.
    title = panel.get_by_label("Title")
    title.fill("Half typed")
    title.press("Escape")
    expect(title).to_have_value("   ")  # the refused value shown, never saved
    title.press("Escape")
    expect(page.locator("#card-panel .card-detail")).to_have_count(0)
    expect(page).to_have_url(re.compile(re.escape(board_url) + "$"))
    expect(tile.locator(".card-title")).to_have_text("Compute the return trajectory")

    # Archived from the panel, restored from the archived cards page.
    tile.locator(".card-title").click()
    expect(page).to_have_url(re.compile(f"/cards/{card.id}$"))
    expect(panel.get_by_label("Title")).to_have_value("Compute the return trajectory")
    settled(page)
    panel.get_by_role("button", name="Archive").click()
    expect(page.locator("#card-panel .card-detail")).to_have_count(0)
    expect(tile).to_have_count(0)
    page.locator("#flashes").get_by_role("link", name="Archived cards").click()
    expect(page.get_by_role("heading", name=re.compile("^Archived cards of Orbit"))).to_be_visible()
    page.get_by_role("button", name="Restore ORB-1").click()
    expect(page.locator("#flashes")).to_contain_text("ORB-1")
    expect(page.get_by_text("No archived cards.")).to_be_visible()
    page.get_by_role("link", name="← Back to the board").click()
    expect(tile.locator(".card-checklist")).to_have_text("☑ 1/2")
