"""The calendar view of a board: the board's cards on their due days (the scope's, not the
project board's), the tray of undated cards, month navigation and a bad month, dragging a
card to a day (time of day kept, refusals shown with the board as saved), reach, CSRF, the
remembered view, and a constant number of SQL statements whatever the card count."""
import re
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models.board import Card
from app.services import cards, scopes
from app.timeutil import utcnow
from tests.board_helpers import board, bulk_cards
from tests.web.board_support import HX, html, user_named, new_scope, world  # noqa: F401
from tests.web.identity_support import csrf_token
from tests.web.test_board_page import count_statements

UTC = timezone.utc


def day_cards(page: str) -> dict[str, list[str]]:
    """Card ids on each day of the grid shown, by ISO day, in page order."""
    parts = re.split(r'(?=<td id="day-)', page.split('class="calendar-tray"')[0])
    return {re.match(r'<td id="day-([0-9-]{10})"', p).group(1): re.findall(r'data-card-id="([0-9a-f]{24})"', p)
            for p in parts if p.startswith('<td id="day-')}


def tray_cards(page: str) -> list[str]:
    return re.findall(r'data-card-id="([0-9a-f]{24})"', page.split('class="calendar-tray"')[1])


def due_date(card_id: str) -> datetime | None:
    db.session.expire_all()
    return db.session.get(Card, card_id).due_date


def new_card(world, title: str, column: str | None = None, **fields) -> str:
    card = cards.create_card(user_named("ada@example.com"), column or world.column(0), title=title, **fields)
    db.session.commit()
    return card.id


def drop(client, world, card_id: str, day: str, month: str = "2026-12", headers=HX, **data):
    return client.post(f"{world.url}/calendar/cards/{card_id}/due", headers=headers,
                       data={"day": day, "month": month, **data})


# The page ------------------------------------------------------------------------------------

def test_cards_show_on_their_due_days_and_undated_ones_in_the_tray(world):
    late = new_card(world, "Ship <the> release", dueDate="2026-12-03T17:00:00Z", priority="high")
    early = new_card(world, "Write notes", column=world.column(2), dueDate="2026-12-03T08:00:00Z")
    spill = new_card(world, "Spill over", dueDate="2027-01-02")
    undated = new_card(world, "Someday")
    new_card(world, "Far away", dueDate="2027-03-01")
    archived = new_card(world, "Archived", dueDate="2026-12-04")
    cards.archive_card(user_named("ada@example.com"), archived)
    db.session.commit()

    response = world.bob.get(f"{world.url}/calendar?month=2026-12")
    page = html(response)
    assert response.status_code == 200
    days = day_cards(page)
    assert list(days)[0] == "2026-11-30" and list(days)[-1] == "2027-01-03" and len(days) == 35
    assert days["2026-12-03"] == [early, late]  # earliest due first
    assert days["2027-01-02"] == [spill]
    assert sum(len(ids) for ids in days.values()) == 3
    assert tray_cards(page) == [undated]
    assert "<h2 class=\"calendar-month\">December 2026</h2>" in page
    # Days of the neighbouring months are dimmed; the chip escapes its title, carries its key,
    # priority and the page of the card; the tab is the calendar's.
    assert 'id="day-2026-11-30" class="calendar-day outside"' in page
    assert 'id="day-2026-12-01" class="calendar-day"' in page
    assert "Ship &lt;the&gt; release" in page and "<the>" not in page
    chip = page[page.index(f'id="chip-{late}"'):]
    chip = chip[:chip.index("</li>")]
    assert "priority-high" in chip and "WEB-1" in chip and f'href="{world.url}/cards/{late}"' in chip
    assert f'href="{world.url}/calendar" aria-current="page" class="active">Calendar</a>' in page


def test_overdue_cards_are_marked_unless_done_and_today_is_highlighted(world):
    today = utcnow()
    past = (today - timedelta(days=1)).replace(hour=12, minute=0)
    late = new_card(world, "Late", dueDate=past.isoformat())
    done = new_card(world, "Done late", column=world.column(2), dueDate=past.isoformat())
    page = html(world.bob.get(f"{world.url}/calendar?month={past:%Y-%m}"))
    assert 'class="calendar-chip overdue"' in page[page.index(f'id="chip-{late}"') - 10:][:80]
    assert "overdue" not in page[page.index(f'id="chip-{done}"'):][:80]
    current = html(world.bob.get(f"{world.url}/calendar"))
    assert re.search(rf'id="day-{today:%Y-%m-%d}" class="calendar-day( outside)? today" aria-current="date"', current)
    assert current.count('aria-current="date"') == 1


def test_a_scope_shows_its_own_cards(world):
    scope, scope_columns = new_scope(world)
    ours = new_card(world, "In the sprint", column=scope_columns[1], dueDate="2026-12-10")
    loose = new_card(world, "Sprint, undated", column=scope_columns[0])
    theirs = new_card(world, "On the project board", dueDate="2026-12-10")
    page = html(world.bob.get(f"{world.url}/calendar?scope={scope.id}&month=2026-12"))
    assert day_cards(page)["2026-12-10"] == [ours] and tray_cards(page) == [loose]
    assert f'data-scope="{scope.id}"' in page
    assert f"/calendar?month=2027-01&amp;scope={scope.id}" in page  # navigation keeps the board
    own = html(world.bob.get(f"{world.url}/calendar?month=2026-12"))
    assert day_cards(own)["2026-12-10"] == [theirs] and tray_cards(own) == []


# Months --------------------------------------------------------------------------------------

def test_month_navigation(world):
    page = html(world.bob.get(f"{world.url}/calendar?month=2027-01"))
    assert "<h2 class=\"calendar-month\">January 2027</h2>" in page
    assert f'rel="prev" href="{world.url}/calendar?month=2026-12"' in page
    assert f'rel="next" href="{world.url}/calendar?month=2027-02"' in page
    assert f'href="{world.url}/calendar?month={utcnow():%Y-%m}">Today</a>' in page
    default = html(world.bob.get(f"{world.url}/calendar"))
    assert f"<h2 class=\"calendar-month\">{utcnow():%B %Y}</h2>" in default
    assert 'rel="prev"' not in html(world.bob.get(f"{world.url}/calendar?month=1900-01"))


def test_a_scope_outside_its_dates_opens_on_the_month_it_starts(world):
    start = (utcnow() + timedelta(days=70)).date()
    scope, _ = new_scope(world, startDate=start.isoformat(), endDate=(start + timedelta(days=14)).isoformat())
    page = html(world.bob.get(f"{world.url}/calendar?scope={scope.id}"))
    assert f"<h2 class=\"calendar-month\">{start:%B %Y}</h2>" in page


@pytest.mark.parametrize("month", ["2026-13", "december", "2026-1", "0000-01", "9999-99", "2026-12-01"])
def test_a_bad_month_shows_the_default_month_with_the_reason(world, month):
    response = world.bob.get(f"{world.url}/calendar", query_string={"month": month})
    page = html(response)
    assert response.status_code == 400
    assert "month must be a month written YYYY-MM" in page and 'role="alert"' in page
    assert f"<h2 class=\"calendar-month\">{utcnow():%B %Y}</h2>" in page


# Dropping a card on a day --------------------------------------------------------------------

def test_a_drop_saves_the_due_date_keeping_its_time_of_day(world):
    card = new_card(world, "Release", dueDate="2026-12-03T17:30:00Z")
    response = drop(world.bob, world, card, "2026-12-10", version="1")
    assert response.status_code == 200 and response.headers["X-Fragment"] == "1"
    assert due_date(card) == datetime(2026, 12, 10, 17, 30, tzinfo=UTC)
    fragment = html(response)
    assert fragment.startswith('<div id="calendar-board"') and "<html" not in fragment
    assert day_cards(fragment)["2026-12-10"] == [card] and day_cards(fragment)["2026-12-03"] == []
    assert 'data-version="2"' in fragment


def test_a_card_from_the_tray_gets_a_day_and_back_in_the_tray_loses_it(world):
    card = new_card(world, "Someday")
    fragment = html(drop(world.bob, world, card, "2027-01-02"))
    assert due_date(card) == datetime(2027, 1, 2, tzinfo=UTC)
    assert day_cards(fragment)["2027-01-02"] == [card] and tray_cards(fragment) == []
    cleared = drop(world.bob, world, card, "")
    assert cleared.status_code == 200 and due_date(card) is None
    assert tray_cards(html(cleared)) == [card]


def test_a_drop_before_the_start_date_is_refused_and_says_why(world):
    card = new_card(world, "Migration", startDate="2026-12-08", dueDate="2026-12-15T09:00:00Z")
    response = drop(world.bob, world, card, "2026-12-05")
    fragment = html(response)
    assert response.status_code == 400 and response.headers["X-Fragment"] == "1"
    assert due_date(card) == datetime(2026, 12, 15, 9, tzinfo=UTC)
    assert "WEB-1 keeps its due date: it starts on 08 Dec 2026, after 05 Dec 2026" in fragment
    assert 'role="alert"' in fragment
    # The grid comes back as saved: the card snaps back to its day.
    assert day_cards(fragment)["2026-12-15"] == [card] and day_cards(fragment)["2026-12-05"] == []


def test_a_stale_chip_or_a_bad_day_is_refused(world):
    card = new_card(world, "Edited meanwhile", dueDate="2026-12-03")
    cards.update_card(user_named("ada@example.com"), card, {"title": "Renamed"})
    db.session.commit()
    stale = drop(world.bob, world, card, "2026-12-10", version="1")
    assert stale.status_code == 409 and "changed meanwhile" in html(stale)
    for day in ("2026-12-32", "soon"):
        bad = drop(world.bob, world, card, day)
        assert bad.status_code == 400 and "day must be a date written YYYY-MM-DD" in html(bad)
    assert due_date(card) == datetime(2026, 12, 3, tzinfo=UTC)


def test_without_javascript_a_drop_comes_back_to_the_calendar(world):
    card = new_card(world, "Plain", startDate="2026-12-08")
    saved = drop(world.bob, world, card, "2026-12-09", headers={})
    assert saved.status_code == 302 and saved.headers["Location"].endswith("/calendar?month=2026-12")
    refused = drop(world.bob, world, card, "2026-12-01", headers={}, month="2027-01")
    assert refused.status_code == 302 and refused.headers["Location"].endswith("/calendar?month=2027-01")
    assert due_date(card) == datetime(2026, 12, 9, tzinfo=UTC)
    assert "keeps its due date" in html(world.bob.get(refused.headers["Location"]))


# Reach ---------------------------------------------------------------------------------------

def test_cards_and_scopes_are_reached_only_through_their_board(world):
    ours = new_card(world, "Ours", dueDate="2026-12-03")
    scope, scope_columns = new_scope(world)
    scoped = new_card(world, "In the sprint", column=scope_columns[0], dueDate="2026-12-03")
    other, other_columns = board(user_named("ada@example.com"), "Elsewhere")
    theirs = cards.create_card(user_named("ada@example.com"), other_columns[0].id, title="Theirs").id
    other_scope = scopes.create_scope(other, {"name": "Their sprint"})
    db.session.commit()

    # Another project's card, through this project (Ada reaches both projects): htmx gets this
    # month with the reason, a plain post the error page.
    refused = drop(world.ada, world, theirs, "2026-12-10")
    assert refused.status_code == 404 and "Card not found" in html(refused) and "Theirs" not in html(refused)
    assert day_cards(html(refused))["2026-12-03"] == [ours]
    assert drop(world.ada, world, theirs, "2026-12-10", headers={}).status_code == 404
    # A card of the scope through the project board, and the other way round.
    assert drop(world.ada, world, scoped, "2026-12-10").status_code == 404
    assert drop(world.ada, world, ours, "2026-12-10", scope=scope.id).status_code == 404
    assert drop(world.ada, world, "nonsense", "2026-12-10").status_code == 404
    # Scopes: unknown, or another project's.
    assert world.ada.get(f"{world.url}/calendar?scope=nonsense").status_code == 404
    assert world.ada.get(f"{world.url}/calendar?scope={other_scope.id}").status_code == 404
    assert drop(world.ada, world, ours, "2026-12-10", scope=other_scope.id).status_code == 404
    # People outside the project.
    for outsider in (world.carl, world.eve):
        assert outsider.get(f"{world.url}/calendar").status_code == 404
        assert drop(outsider, world, ours, "2026-12-10").status_code == 404
    assert due_date(ours) == due_date(scoped) == datetime(2026, 12, 3, tzinfo=UTC)
    assert due_date(theirs) is None
    # The scope's own calendar moves its card.
    assert drop(world.ada, world, scoped, "2026-12-10", scope=scope.id).status_code == 200
    assert due_date(scoped) == datetime(2026, 12, 10, tzinfo=UTC)


def test_anonymous_visitors_go_to_login(client, world):
    response = client.get(f"{world.url}/calendar")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_drops_need_the_csrf_token_when_it_is_enforced(app, world):
    card = new_card(world, "Guarded", dueDate="2026-12-03")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert drop(world.bob, world, card, "2026-12-10").status_code == 400
        assert due_date(card) == datetime(2026, 12, 3, tzinfo=UTC)
        token = csrf_token(html(world.bob.get(f"{world.url}/calendar?month=2026-12")))
        signed = drop(world.bob, world, card, "2026-12-10", headers={**HX, "X-CSRFToken": token})
        assert signed.status_code == 200
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert due_date(card) == datetime(2026, 12, 10, tzinfo=UTC)


# Cost ----------------------------------------------------------------------------------------

def calendar_with(count: int, name: str) -> tuple[str, list[str]]:
    """A project of Ada's with `count` cards: a third due across December 2026 (some of them
    prioritized, some in Done), the rest undated."""
    ada = user_named("ada@example.com")
    access, cols = board(ada, name)
    ids = bulk_cards(access.project.id, cols[0].id, count, checklist=2)
    for n, card_id in enumerate(ids[::3]):
        db.session.execute(sa.update(Card).where(Card.id == card_id).values(
            due_date=datetime(2026, 12, 1 + n % 31, 9, tzinfo=UTC), priority="high" if n % 2 else None))
    bulk_cards(access.project.id, cols[2].id, 3)
    db.session.commit()
    return f"/o/acme/w/eng/p/{access.project.id}", ids


def test_the_calendar_costs_the_same_sql_at_10_and_1000_cards(world):
    small_url, small_ids = calendar_with(10, "Small")
    large_url, large_ids = calendar_with(1000, "Large")
    world.ada.get(small_url + "/calendar")  # first request of the connection pool out of the way

    small, small_count = count_statements(lambda: world.ada.get(small_url + "/calendar?month=2026-12"))
    large, large_count = count_statements(lambda: world.ada.get(large_url + "/calendar?month=2026-12"))
    assert small_count == large_count <= 20
    assert sum(len(ids) for ids in day_cards(html(large)).values()) == 334
    assert len(tray_cards(html(large))) == 1000 - 334 + 3

    move = lambda url, ids: world.ada.post(f"{url}/calendar/cards/{ids[0]}/due", headers=HX,  # noqa: E731
                                           data={"day": "2026-12-20", "month": "2026-12"})
    _, small_move = count_statements(lambda: move(small_url, small_ids))
    _, large_move = count_statements(lambda: move(large_url, large_ids))
    assert small_move == large_move
