"""Notifications in real browsers: Bob has his board open in two tabs; Ada, through the API
with her own token, mentions him in a comment and assigns him the card. Bob's bell counts
them in both tabs without a reload, within about two seconds, while his browser holds one
notification stream for both tabs; the dropdown he opened meanwhile lists the newcomer; he
follows the mention to the card, and the count goes down. Run without Redis (one process) and with the real Redis."""
import pytest
from playwright.sync_api import expect

from app import live
from app.extensions import db
from app.live.brokers import stream_key
from app.services import cards, notifications, projects, tokens
from tests.board_helpers import board, join, team_workspace, user
from tests.e2e.test_board_journey import csrf_on  # noqa: F401
from tests.e2e.test_live_board_journey import LIVE_MS, PASSWORD, events_via  # noqa: F401

pytestmark = pytest.mark.e2e


@pytest.fixture()
def team(app, events_via):  # noqa: F811
    """Ada's project "Website" with Bob as a member, one card, Ada's API token; Bob has read
    what he was told so far. With Redis, Bob's channel is deleted after the test."""
    ada = user("ada@example.com")
    workspace = team_workspace(ada)
    bob = user("bob@example.com")
    join(bob, workspace)
    access, cols = board(ada, "Website")
    projects.add_member(access, "bob@example.com")
    card = cards.create_card(ada, cols[0].id, title="Ship it")
    notifications.mark_all_read(bob)
    _, secret = tokens.create_token(ada, "journey")
    db.session.commit()
    world = {"project": access.project.id, "card": card.id, "token": secret, "bob": bob.id,
             "url": f"/o/acme/w/eng/p/{access.project.id}"}
    yield world
    if events_via == "redis":
        app.extensions["redis"].delete(stream_key(live.user_channel(world["bob"])))


def log_in(context, email: str):
    page = context.new_page()
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".topbar")).to_contain_text("Log out")
    return page


def test_bobs_bell_hears_adas_mention_and_leads_to_the_card(app, new_context, live_server, team,
                                                            events_via, csrf_on):  # noqa: F811
    bob_context = new_context()
    streams = []
    bob_context.on("request", lambda r: streams.append(r.url) if "/account/notifications/events" in r.url else None)
    bob = log_in(bob_context, "bob@example.com")
    bob.goto(team["url"])
    expect(bob.locator("#notif-bell")).to_have_attribute("data-live", "open")
    streams.clear()  # the page Bob landed on after logging in had its own, now closed
    other_tab = bob_context.new_page()
    other_tab.goto("/account")
    expect(other_tab.locator("#notif-bell")).to_have_attribute("data-live", "shared")
    for page in (bob, other_tab):
        expect(page.locator("#notif-count")).to_be_hidden()
        page.evaluate("window.__sameDocument = true")  # gone if the page ever reloads

    # Ada, through the API with her token: a mention, then the card assigned to Bob.
    api = new_context().request
    auth = {"Authorization": f"Bearer {team['token']}"}
    card_path = f"/orgs/acme/workspaces/eng/projects/{team['project']}/cards/{team['card']}"
    assert api.post(f"{card_path}/comments", data={"content": "@bob can you check this?"}, headers=auth).ok
    for page in (bob, other_tab):
        expect(page.locator("#notif-count")).to_have_text("1 unread", timeout=LIVE_MS)
    # Bob opens the dropdown: the mention. The assignment comes in while it is open.
    bob.locator("#notif-bell summary").click()
    entries = bob.locator("#notif-menu .notif.unread")
    expect(entries).to_have_count(1)
    assert api.patch(card_path, data={"assigneeId": team["bob"]}, headers=auth).ok
    for page in (bob, other_tab):
        expect(page.locator("#notif-count")).to_have_text("2 unread", timeout=LIVE_MS)
        assert page.evaluate("window.__sameDocument")
    assert streams == []  # the board's tab follows the channel for both tabs
    expect(entries).to_have_count(2, timeout=LIVE_MS)
    expect(entries.first).to_contain_text("assigned a card to you")

    # The mention leads to the card, read at once.
    mention = entries.filter(has_text="mentioned you in a comment")
    expect(mention).to_contain_text("Ada")
    expect(mention).to_contain_text("Ship it")
    mention.locator("button.notif-link").click()
    expect(bob).to_have_url(f"{live_server}{team['url']}/cards/{team['card']}")
    expect(bob.locator("#notif-count")).to_have_text("1 unread")
    expect(other_tab.locator("#notif-count")).to_have_text("1 unread", timeout=LIVE_MS)
    if events_via == "redis":  # the events went through Redis
        assert app.extensions["redis"].xlen(stream_key(live.user_channel(team["bob"]))) >= 3
