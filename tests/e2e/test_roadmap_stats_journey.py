"""The roadmap and stats views in a real browser: a card's bar on the timeline is a link named
for screen readers that opens the card's page; the stats tab draws its charts as images named
with their numbers."""
import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.extensions import db
from app.models.identity import User
from app.services import cards, columns, projects, relations
from app.services.access import workspace_access
from tests.e2e.test_board_journey import sign_up

pytestmark = pytest.mark.e2e


def test_a_bar_on_the_roadmap_opens_its_card_and_the_stats_name_their_numbers(new_page, live_server):
    page = new_page()
    sign_up(page, "Grace Hopper", "grace@example.com")

    grace = db.session.scalar(sa.select(User).where(User.email == "grace@example.com"))
    project = projects.create_project(workspace_access(grace, "grace-hopper", "personal"), "Compiler")
    todo, doing, _ = columns.list_columns(projects.project_access(grace, "grace-hopper", "personal", project.id))
    parser = cards.create_card(grace, doing.id, title="Parser", startDate="2027-03-01", dueDate="2027-03-10").id
    linker = cards.create_card(grace, todo.id, title="Linker", dueDate="2027-03-20", priority="high").id
    cards.create_card(grace, todo.id, title="Manual")
    relations.create_relation(grace, parser, linker, "blocks")
    db.session.commit()

    page.goto(f"/o/grace-hopper/w/personal/p/{project.id}/roadmap")
    expect(page.get_by_role("link", name="COM-2 Linker: 20 Mar 2027, To Do, high priority")).to_be_visible()
    expect(page.locator(".roadmap-arrow")).to_have_count(1)
    expect(page.locator(".roadmap-unscheduled li")).to_have_text(["COM-3 Manual To Do"])
    page.get_by_role("link", name="COM-1 Parser: 01 Mar 2027 – 10 Mar 2027, In Progress").click()
    expect(page).to_have_url(f"{live_server}/o/grace-hopper/w/personal/p/{project.id}/cards/{parser}")
    expect(page.get_by_text("Parser").first).to_be_visible()

    page.goto(f"/o/grace-hopper/w/personal/p/{project.id}/roadmap")
    page.get_by_role("link", name="Stats").click()
    expect(page).to_have_url(f"{live_server}/o/grace-hopper/w/personal/p/{project.id}/stats")
    expect(page.get_by_role("img", name="By status, Compiler (project board) To do: 2; In progress: 1; Done: 0."))\
        .to_be_visible()
    expect(page.get_by_role("img", name="By priority, Compiler (project board) High: 1; Medium: 0; Low: 0; "
                                        "No priority: 2.")).to_be_visible()
