"""The list and calendar views follow the project's changes in a real browser: Bob has a view
of Ada's project open while Ada (in her own browser, or a change committed by another
process) edits cards, and Bob's view shows it without a reload, within about two seconds,
keeping his sort, his month and the rows he checked, and waiting while he types. Run
without Redis (the embedded default) and with the real Redis."""
import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.extensions import db
from app.models.board import Card, Project
from app.models.identity import User
from app.services import cards
from tests.e2e.test_board_journey import csrf_on, drag, settled  # noqa: F401
from tests.e2e.test_live_board_journey import LIVE_MS, events_via, open_board, shared_board  # noqa: F401

pytestmark = pytest.mark.e2e


def card_id(title: str) -> str:
    return db.session.scalar(sa.select(Card.id).where(Card.title == title))


def change_card(email: str, title: str, fields: dict) -> None:
    """`fields` saved on the card `title` by `email`, committed outside any page."""
    person = db.session.scalar(sa.select(User).where(User.email == email))
    cards.update_card(person, card_id(title), fields)
    db.session.commit()


def test_the_list_follows_changes_and_keeps_the_readers_sort_and_checked_rows(
        new_context, live_server, shared_board, events_via, csrf_on):
    key = db.session.scalar(sa.select(Project.key))
    list_url = shared_board["url"] + "/list?sort=title&dir=desc"
    ada = open_board(new_context(), "ada@example.com", list_url)
    bob = open_board(new_context(), "bob@example.com", list_url)
    bob_titles = bob.locator("tr.list-row .list-title a")
    expect(bob_titles).to_have_text(["Write docs", "Ship it"])
    bob.get_by_label(f"Check {key}-2").check()
    expect(bob.locator("[data-checked-count]")).to_have_text("1")

    # Ada raises a card's priority in her list: Bob's row shows it.
    with ada.expect_response(lambda r: "/list/cards/" in r.url) as saved:
        ada.get_by_label(f"Priority of {key}-1").select_option("high")
    assert saved.value.status == 200
    expect(bob.get_by_label(f"Priority of {key}-1")).to_have_value("high", timeout=LIVE_MS)

    # A rename committed elsewhere re-sorts Bob's list his way; his checked row stays checked.
    change_card("ada@example.com", "Ship it", {"title": "Zip it up"})
    expect(bob_titles).to_have_text(["Zip it up", "Write docs"], timeout=LIVE_MS)
    expect(bob.get_by_label(f"Check {key}-2")).to_be_checked()
    expect(bob.get_by_label(f"Check {key}-1")).not_to_be_checked()
    expect(bob.locator("[data-checked-count]")).to_have_text("1")
    assert bob.url.endswith("/list?sort=title&dir=desc")

    # While Bob is typing a due date, the list waits (Ada's shows the change already), and
    # what he typed is saved when he leaves the field; then his list catches up.
    due = bob.get_by_label(f"Due date of {key}-2")
    due.fill("2027-05-01")
    change_card("ada@example.com", "Zip it up", {"title": "Ship it now"})
    ada_titles = ada.locator("tr.list-row .list-title a")
    expect(ada_titles).to_have_text(["Write docs", "Ship it now"], timeout=LIVE_MS)
    expect(bob_titles).to_have_text(["Zip it up", "Write docs"])
    expect(due).to_be_focused()
    docs = card_id("Write docs")
    with bob.expect_response(lambda r: f"/list/cards/{docs}" in r.url) as saved:
        due.blur()
    assert saved.value.status == 200
    expect(bob_titles).to_have_text(["Write docs", "Ship it now"], timeout=LIVE_MS)
    expect(bob.get_by_label(f"Due date of {key}-2")).to_have_value("2027-05-01")
    expect(bob.get_by_label(f"Check {key}-2")).to_be_checked()
    assert bob.evaluate("window.__sameDocument")


def test_the_calendar_moves_a_chip_when_its_due_date_changes(new_context, live_server, shared_board,
                                                            events_via, csrf_on):
    bob = open_board(new_context(), "bob@example.com", shared_board["url"] + "/calendar?month=2027-03")
    expect(bob.get_by_role("heading", name="March 2027")).to_be_visible()
    ship = card_id("Ship it")
    chip = bob.locator(f"#chip-{ship}")
    expect(bob.locator(".calendar-tray").locator(chip)).to_be_visible()

    # Ada gives the card a due date, then another: Bob's chip follows, in the month he chose.
    change_card("ada@example.com", "Ship it", {"dueDate": "2027-03-03T15:00:00Z"})
    expect(bob.locator("#day-2027-03-03").locator(chip)).to_be_visible(timeout=LIVE_MS)
    change_card("ada@example.com", "Ship it", {"dueDate": "2027-03-18T15:00:00Z"})
    expect(bob.locator("#day-2027-03-18").locator(chip)).to_be_visible(timeout=LIVE_MS)
    expect(bob.locator("#day-2027-03-03 .calendar-chip")).to_have_count(0)
    expect(bob.get_by_role("heading", name="March 2027")).to_be_visible()

    # The refreshed month still takes drops.
    settled(bob)
    with bob.expect_response(lambda r: "/calendar/cards/" in r.url) as dropped:
        drag(bob, chip, bob.locator("#day-2027-03-24 .calendar-cards"))
    assert dropped.value.status == 200
    expect(bob.locator("#day-2027-03-24").locator(chip)).to_be_visible()
    db.session.expire_all()
    assert db.session.get(Card, ship).due_date.day == 24
    assert bob.evaluate("window.__sameDocument")
