"""The calendar view in a real browser: drag a card chip to another day and find it there after
a reload (its time of day kept), drag one from the "No due date" tray onto a day, see a drop
before a card's start date snap back with the reason, and a drop of a card deleted meanwhile
answer the month without it. CSRF protection is on, as in production."""
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.extensions import db
from app.models.board import Card
from app.models.identity import User
from app.services import cards, columns, projects
from app.services.access import workspace_access
from tests.e2e.test_board_journey import csrf_on, drag, settled, sign_up  # noqa: F401

pytestmark = pytest.mark.e2e


def day(page, iso_day: str):
    return page.locator(f"#day-{iso_day} .calendar-cards")


def due_date(card_id: str) -> datetime | None:
    db.session.expire_all()
    return db.session.get(Card, card_id).due_date


def dropped_on(page, chip, target) -> None:
    """Drag `chip` onto the list `target` and wait for the month the server answers."""
    with page.expect_response(lambda r: "/calendar/cards/" in r.url):
        drag(page, chip, target)
    settled(page)


def test_cards_dragged_across_the_calendar(new_page, live_server, csrf_on):
    page = new_page()
    sign_up(page, "Katherine Johnson", "katherine@example.com")

    katherine = db.session.scalar(sa.select(User).where(User.email == "katherine@example.com"))
    project = projects.create_project(workspace_access(katherine, "katherine-johnson", "personal"), "Orbits")
    todo = columns.list_columns(projects.project_access(katherine, "katherine-johnson", "personal", project.id))[0]
    launch = cards.create_card(katherine, todo.id, title="Launch window", dueDate="2027-03-03T15:45:00Z").id
    splash = cards.create_card(katherine, todo.id, title="Splashdown", startDate="2027-03-10",
                               dueDate="2027-03-12").id
    reentry = cards.create_card(katherine, todo.id, title="Re-entry angle").id
    db.session.commit()

    url = f"/o/katherine-johnson/w/personal/p/{project.id}/calendar?month=2027-03"
    page.goto(url)
    expect(page.get_by_role("heading", name="March 2027")).to_be_visible()
    expect(day(page, "2027-03-03").locator(".calendar-chip")).to_have_text(["ORB-1 Launch window"])
    tray = page.locator(".calendar-tray .calendar-cards")
    expect(tray.locator(".calendar-chip")).to_have_count(1)

    dropped_on(page, page.locator(f"#chip-{launch}"), day(page, "2027-03-17"))
    expect(day(page, "2027-03-17").locator(f"#chip-{launch}")).to_be_visible()
    expect(day(page, "2027-03-03").locator(".calendar-chip")).to_have_count(0)

    dropped_on(page, page.locator(f"#chip-{reentry}"), day(page, "2027-03-24"))
    expect(day(page, "2027-03-24").locator(f"#chip-{reentry}")).to_be_visible()
    expect(tray.locator(".calendar-chip")).to_have_count(0)
    assert due_date(reentry) == datetime(2027, 3, 24, tzinfo=timezone.utc)

    # Before its start date: refused, the chip back on its day, and the reason on the page.
    dropped_on(page, page.locator(f"#chip-{splash}"), day(page, "2027-03-05"))
    expect(page.get_by_role("alert")).to_contain_text("keeps its due date: it starts on 10 Mar 2027")
    expect(day(page, "2027-03-12").locator(f"#chip-{splash}")).to_be_visible()
    expect(day(page, "2027-03-05").locator(".calendar-chip")).to_have_count(0)

    # A card deleted meanwhile: the month comes back without it, saying why.
    cards.delete_card(katherine, reentry)
    db.session.commit()
    dropped_on(page, page.locator(f"#chip-{reentry}"), day(page, "2027-03-01"))
    expect(page.get_by_role("alert")).to_contain_text("Card not found: it was deleted")
    expect(page.locator(".calendar-chip")).to_have_count(2)

    page.reload()
    expect(day(page, "2027-03-17").locator(f"#chip-{launch}")).to_be_visible()
    expect(day(page, "2027-03-24").locator(".calendar-chip")).to_have_count(0)
    expect(day(page, "2027-03-12").locator(f"#chip-{splash}")).to_be_visible()
    assert due_date(launch) == datetime(2027, 3, 17, 15, 45, tzinfo=timezone.utc)
    assert due_date(splash) == datetime(2027, 3, 12, tzinfo=timezone.utc)

    # Without dragging, the chip opens the card's page, where the due date is edited.
    page.locator(f"#chip-{launch} a").click()
    expect(page).to_have_url(f"{live_server}/o/katherine-johnson/w/personal/p/{project.id}/cards/{launch}")
