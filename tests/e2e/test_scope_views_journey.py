"""A scope through its five views in a real browser: create a scope from the switcher, then
Kanban, List, Calendar, Roadmap and Stats each show the scope's cards (and none of the
project board's); the switcher brings the scope back in the view last used. CSRF is on."""
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.extensions import db
from app.models.board import Column, Scope
from app.models.identity import User
from app.services import cards, columns, projects
from app.services.access import workspace_access
from app.timeutil import utcnow
from tests.e2e.test_board_journey import csrf_on, sign_up  # noqa: F401

pytestmark = pytest.mark.e2e

SCOPE_CARDS = ("Design the form", "Write the copy", "Ship the page")


def test_a_scope_shows_the_same_cards_in_each_of_its_views(new_page, live_server, csrf_on):
    page = new_page()
    sign_up(page, "Mary Jackson", "mary@example.com")

    mary = db.session.scalar(sa.select(User).where(User.email == "mary@example.com"))
    project = projects.create_project(workspace_access(mary, "mary-jackson", "personal"), "Website")
    board_todo = columns.list_columns(projects.project_access(mary, "mary-jackson", "personal", project.id))[0]
    cards.create_card(mary, board_todo.id, title="Not in the sprint", dueDate=utcnow().isoformat())
    db.session.commit()
    board = f"/o/mary-jackson/w/personal/p/{project.id}"

    # Create the scope from the switcher, with dates around today.
    page.goto(board)
    page.get_by_label("Switch board").click()
    form = page.locator("#new-scope")
    form.get_by_label("Name").fill("Sprint 1")
    form.get_by_label("Start").fill((utcnow() - timedelta(days=3)).strftime("%Y-%m-%d"))
    form.get_by_label("End").fill((utcnow() + timedelta(days=10)).strftime("%Y-%m-%d"))
    form.get_by_role("button", name="Create scope").click()
    expect(page.get_by_label("Switch board")).to_have_text("Sprint 1")
    scope = db.session.scalar(sa.select(Scope))
    expect(page).to_have_url(f"{live_server}{board}?scope={scope.id}")

    todo, doing, _ = db.session.scalars(sa.select(Column).where(Column.scope_id == scope.id)
                                        .order_by(Column.order)).all()
    cards.create_card(mary, todo.id, title=SCOPE_CARDS[0], startDate=utcnow().isoformat(),
                      dueDate=(utcnow() + timedelta(days=2)).isoformat(), priority="high")
    cards.create_card(mary, doing.id, title=SCOPE_CARDS[1], dueDate=(utcnow() + timedelta(days=1)).isoformat())
    cards.create_card(mary, todo.id, title=SCOPE_CARDS[2])
    db.session.commit()

    page.reload()
    expect(page.locator("#board-columns .card-title")).to_have_text(
        [SCOPE_CARDS[0], SCOPE_CARDS[2], SCOPE_CARDS[1]])

    page.get_by_role("link", name="List", exact=True).click()
    expect(page).to_have_url(f"{live_server}{board}/list?scope={scope.id}")
    expect(page.locator(".list-title a")).to_have_text([SCOPE_CARDS[0], SCOPE_CARDS[2], SCOPE_CARDS[1]])

    page.get_by_role("link", name="Calendar", exact=True).click()
    expect(page).to_have_url(f"{live_server}{board}/calendar?scope={scope.id}")
    chips = page.locator(".calendar-chip")
    expect(chips).to_have_count(3)
    for title in SCOPE_CARDS:
        expect(chips.filter(has_text=title)).to_have_count(1)
    expect(page.locator(".calendar-tray .calendar-chip")).to_have_text([f"WEB-4 {SCOPE_CARDS[2]}"])

    page.get_by_role("link", name="Roadmap", exact=True).click()
    expect(page).to_have_url(f"{live_server}{board}/roadmap?scope={scope.id}")
    expect(page.get_by_role("link", name=f"WEB-2 {SCOPE_CARDS[0]}:", exact=False)).to_be_visible()
    expect(page.get_by_role("link", name=f"WEB-3 {SCOPE_CARDS[1]}:", exact=False)).to_be_visible()
    expect(page.locator(".roadmap-unscheduled li")).to_have_text([f"WEB-4 {SCOPE_CARDS[2]} To Do"])
    expect(page.get_by_text("Not in the sprint")).to_have_count(0)

    page.get_by_role("link", name="Stats", exact=True).click()
    expect(page).to_have_url(f"{live_server}{board}/stats?scope={scope.id}")
    expect(page.get_by_role("img", name="By status, Sprint 1 To do: 2; In progress: 1; Done: 0.")).to_be_visible()

    # Back on the project board, the switcher opens the scope where it was left: Stats.
    page.goto(board)
    expect(page.locator("#board-columns .card-title")).to_have_text(["Not in the sprint"])
    page.get_by_label("Switch board").click()
    page.get_by_role("link", name="Sprint 1").click()
    expect(page).to_have_url(f"{live_server}{board}/stats?scope={scope.id}")
