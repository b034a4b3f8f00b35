"""Notifications in the browser: the bell's count on every signed-in page (hidden at 0), its
dropdown, following a notification to its card (read at once, never to a card out of reach),
marking read, the notifications page and its unread filter; each person sees and marks only
their own; CSRF on every POST; anonymous visitors are sent to log in."""
import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models.card_depth import Notification
from app.services import cards, comments, projects
from tests.web.board_support import HX, html, user_named, world  # noqa: F401
from tests.web.identity_support import csrf_token
from tests.web.test_board_page import count_statements

BASE = "/account/notifications"


def bell_count(page: str) -> int | None:
    """The bell's count, or None when it is hidden."""
    badge = re.search(r'<span class="notif-count" id="notif-count" data-count="(\d+)"([^>]*)>', page)
    assert badge, "no bell on the page"
    return None if "hidden" in badge.group(2) else int(badge.group(1))


def notification_ids(page: str) -> list[str]:
    return re.findall(r'<li class="notif[^"]*" id="notif-([0-9a-f]+)"', page)


def unread_ids(page: str) -> list[str]:
    return re.findall(r'<li class="notif unread" id="notif-([0-9a-f]+)"', page)


@pytest.fixture()
def talk(world):  # noqa: F811
    """Ada creates a card in Website, assigns it to Bob and mentions him in a comment: four
    notifications for Bob (with his joining the project), none for Ada (the actor)."""
    ada, bob = user_named("ada@example.com"), user_named("bob@example.com")
    card = cards.create_card(ada, world.column(0), title="Ship <b>it</b>")
    cards.update_card(ada, card.id, {"assigneeId": bob.id})
    comments.add_comment(ada, card.id, "@bob can you <script>look</script>?")
    db.session.commit()
    return {"card_id": card.id, "key": f"{card.project.key}-{card.number}", "card_url": f"{world.url}/cards/{card.id}"}


def test_the_bell_counts_unread_notifications_on_every_page_and_hides_at_zero(world, talk):  # noqa: F811
    for url in ("/", world.url, talk["card_url"], BASE, "/account", "/account/tokens"):
        assert bell_count(html(world.bob.get(url, follow_redirects=True))) == 4
    # What the bell's script fetches when the live channel says the count changed.
    assert world.bob.get(f"{BASE}/count").get_json() == {"count": 4}
    assert bell_count(html(world.ada.get("/account"))) is None  # the actor is never told
    assert bell_count(html(world.carl.get("/account"))) is None  # not in the project
    assert "notif-bell" not in html(world.bob.application.test_client().get("/login"))


def test_the_bell_costs_a_page_one_count_query(world, talk):  # noqa: F811
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert world.bob.get(world.url).status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    about_notifications = [s for s in statements if "notifications" in s]
    assert len(about_notifications) == 1 and "count(" in about_notifications[0].lower()


def test_the_dropdown_lists_the_latest_with_actor_sentence_card_and_unread_marks(world, talk):  # noqa: F811
    menu = html(world.bob.get(f"{BASE}/menu", headers=HX))
    assert len(unread_ids(menu)) == 4
    assert "Ada Example</strong> mentioned you in a comment: “@bob can you &lt;script&gt;look&lt;/script&gt;?”" in menu
    assert "Ada Example</strong> assigned a card to you" in menu
    assert "Ada Example</strong> created a card in To Do" in menu
    assert "Ada Example</strong> added you to the project" in menu
    assert f'<span class="notif-key">{talk["key"]}</span> Ship &lt;b&gt;it&lt;/b&gt;' in menu
    assert "<script>" not in menu and "<b>it" not in menu
    assert "Website" in menu and "Mark all read" in menu and f'href="{BASE}"' in menu
    # The count comes along, out of band, so the badge agrees with the list.
    assert re.search(r'id="notif-count" data-count="4" hx-swap-oob="true"', menu)


def test_following_a_notification_marks_it_read_and_opens_its_card(world, talk):  # noqa: F811
    first = notification_ids(html(world.bob.get(f"{BASE}/menu", headers=HX)))[0]
    response = world.bob.post(f"{BASE}/{first}/open")
    assert response.status_code == 303 and response.location == talk["card_url"]
    assert world.bob.get(response.location).status_code == 200
    page = html(world.bob.get(BASE))
    assert bell_count(page) == 3 and first not in unread_ids(page) and first in notification_ids(page)


def test_a_card_out_of_reach_is_never_opened(world, talk):  # noqa: F811
    ids = notification_ids(html(world.bob.get(BASE)))
    ada = user_named("ada@example.com")
    access = projects.project_access(ada, "acme", "eng", world.project_id)
    cards.delete_card(ada, talk["card_id"])
    db.session.commit()
    deleted = world.bob.post(f"{BASE}/{ids[0]}/open")
    assert deleted.status_code == 303 and deleted.location == world.url  # the board instead
    assert "That card is no longer within your reach." in html(world.bob.get(deleted.location))

    projects.remove_member(access, user_named("bob@example.com").id)
    db.session.commit()
    removed = world.bob.post(f"{BASE}/{ids[1]}/open")
    assert removed.status_code == 303 and removed.location == BASE
    page = html(world.bob.get(BASE))
    assert "That card is no longer within your reach." in page and world.url not in page


def test_mark_one_read_and_all_read_from_the_page_and_the_bell(world, talk):  # noqa: F811
    ids = notification_ids(html(world.bob.get(BASE)))
    back = f"{BASE}?unread=1"
    response = world.bob.post(f"{BASE}/{ids[1]}/read", data={"back": back})
    assert response.status_code == 303 and response.location == back
    unread_page = html(world.bob.get(back))
    assert notification_ids(unread_page) == [ids[0], ids[2], ids[3]] and bell_count(unread_page) == 3
    # A `back` that is not the notifications page is ignored.
    assert world.bob.post(f"{BASE}/{ids[0]}/read", data={"back": "https://evil.test/"}).location == BASE

    menu = html(world.bob.get(f"{BASE}/menu", headers=HX))
    answer = world.bob.post(f"{BASE}/read-all", headers=HX)
    assert answer.status_code == 200 and unread_ids(html(answer)) == [] and len(notification_ids(menu)) == 4
    assert re.search(r'id="notif-count" data-count="0" hx-swap-oob="true" hidden', html(answer))
    assert "No unread notifications." in html(world.bob.get(back))

    cards.update_card(user_named("ada@example.com"), talk["card_id"], {"title": "Shipped"})
    db.session.commit()
    plain = world.bob.post(f"{BASE}/read-all", data={"back": BASE})
    assert plain.status_code == 303 and plain.location == BASE
    page = html(world.bob.get(BASE))
    assert "All notifications marked read." in page and bell_count(page) is None


def test_each_person_sees_and_marks_only_their_own(world, talk):  # noqa: F811
    bob_ids = notification_ids(html(world.bob.get(BASE)))
    cards.update_card(user_named("bob@example.com"), talk["card_id"], {"title": "Bob's title"})
    db.session.commit()
    ada_page = html(world.ada.get(BASE))
    assert len(notification_ids(ada_page)) == 1 and not set(notification_ids(ada_page)) & set(bob_ids)
    assert "Bob Example</strong> changed the title of a card" in ada_page
    for client in (world.ada, world.carl):
        assert client.post(f"{BASE}/{bob_ids[0]}/read").status_code == 404
        assert client.post(f"{BASE}/{bob_ids[0]}/open").status_code == 404
    assert world.bob.post(f"{BASE}/not-an-id/open").status_code == 404
    assert db.session.get(Notification, bob_ids[0]).read_at is None
    assert world.ada.post(f"{BASE}/read-all", data={}).status_code == 303
    assert bell_count(html(world.bob.get(BASE))) == 4


def test_the_page_pages_through_older_notifications(world):  # noqa: F811
    ada = user_named("ada@example.com")
    card = cards.create_card(ada, world.column(0), title="Busy card")
    for n in range(34):
        cards.update_card(ada, card.id, {"title": f"Busy card {n}"})
    db.session.commit()
    first = html(world.bob.get(BASE))
    assert len(notification_ids(first)) == 30 and f'href="{BASE}?offset=30"' in first
    older = html(world.bob.get(f"{BASE}?offset=30"))
    assert len(notification_ids(older)) == 6 and "Newer" in older and "Older" not in older
    refused = world.bob.get(f"{BASE}?offset=-3")
    assert refused.status_code == 200 and "offset must be a whole number" in html(refused)
    assert notification_ids(html(refused)) == notification_ids(first)


def test_the_page_costs_the_same_statements_for_few_or_many_notifications(world):  # noqa: F811
    ada = user_named("ada@example.com")
    card = cards.create_card(ada, world.column(0), title="Busy card")
    db.session.commit()
    _, few = count_statements(lambda: world.bob.get(BASE))
    for n in range(60):
        cards.update_card(ada, card.id, {"title": f"Busy card {n}"})
    db.session.commit()
    _, many = count_statements(lambda: world.bob.get(BASE))
    _, menu = count_statements(lambda: world.bob.get(f"{BASE}/menu", headers=HX))
    assert few == many
    assert menu <= few


def test_every_post_needs_the_csrf_token(app, world, talk):  # noqa: F811
    page = html(world.bob.get(BASE))
    first = notification_ids(page)[0]
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        for path in (f"{BASE}/{first}/open", f"{BASE}/{first}/read", f"{BASE}/read-all"):
            assert world.bob.post(path).status_code == 400
        assert bell_count(html(world.bob.get(BASE))) == 4
        token = csrf_token(html(world.bob.get(BASE)))
        assert world.bob.post(f"{BASE}/read-all", headers={**HX, "X-CSRFToken": token}).status_code == 200
        assert world.bob.post(f"{BASE}/{first}/open", data={"csrf_token": token}).status_code == 303
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_anonymous_visitors_are_sent_to_log_in(app, world, talk):  # noqa: F811
    anonymous = app.test_client()
    page = anonymous.get(BASE)
    assert page.status_code == 302 and page.location.startswith("/login")
    assert anonymous.get(f"{BASE}/menu", headers=HX).status_code == 401
    assert anonymous.get(f"{BASE}/events").status_code == 401
    assert anonymous.get(f"{BASE}/count").status_code == 302
    assert anonymous.post(f"{BASE}/read-all").status_code == 302
