"""The board page's side of live updates: it follows its project's event stream from the
cursor taken when it was requested, tiles carry their card version, and a drop made on a
stale tile is refused with the reason while the columns come back as saved."""
import re

from app import live
from app.live.brokers import parse_id
from app.extensions import db
from app.models.board import Card
from app.services import cards
from tests.web.board_support import HX, card_titles, column_cards, html, user_named, world  # noqa: F401


def test_the_board_follows_its_event_stream_from_the_cursor_of_its_request(world):
    before = live.page_cursor()
    page = html(world.bob.get(world.url))
    meta = re.search(r'<meta name="live-events" content="([^"]+)"\s+data-board-url="([^"]+)" '
                     r'data-since="([^"]+)">', page)
    assert meta.groups()[:2] == (f"{world.url}/events", world.url)
    assert meta.group(3) == before  # nothing was published meanwhile: the same cursor
    assert 'src="/static/js/live.js"' in page
    # A change published after the page was served is what its stream starts with.
    card = cards.create_card(user_named("ada@example.com"), world.column(0), title="Fresh")
    db.session.commit()
    [(event_id, event)] = live.local_broker().read(world.project_id, meta.group(3), 1)
    assert event["cardId"] == card.id and parse_id(event_id) > parse_id(meta.group(3))


def test_tiles_carry_the_version_a_drag_sends(world):
    card = cards.create_card(user_named("ada@example.com"), world.column(0), title="Versioned")
    db.session.commit()
    cards.update_card(user_named("ada@example.com"), card.id, {"title": "Versioned twice"})
    db.session.commit()
    page = html(world.bob.get(world.url))
    assert f'data-card-id="{card.id}" data-version="2"' in page


def test_a_drop_on_a_stale_tile_is_refused_and_the_columns_come_back_as_saved(world):
    ada = user_named("ada@example.com")
    card = cards.create_card(ada, world.column(0), title="Contested")
    db.session.commit()
    shown = card.version
    # Ada moves it to Done while Bob's board still shows it in To Do.
    cards.move_card(ada, card.id, world.column(2))
    db.session.commit()
    response = world.bob.post(f"{world.url}/board/cards/{card.id}/move", headers=HX,
                              data={"column_id": world.column(1), "version": str(shown)})
    assert response.status_code == 409 and response.headers["X-Fragment"] == "1"
    fragment = html(response)
    assert "This card changed meanwhile" in fragment and 'id="flashes"' in fragment
    assert column_cards(fragment) == {world.column(1): [], world.column(2): [card.id]}
    db.session.expire_all()
    assert (db.session.get(Card, card.id).column_id, db.session.get(Card, card.id).version) == (
        world.column(2), shown + 1)
    # With the version it now shows, the same drop goes through.
    response = world.bob.post(f"{world.url}/board/cards/{card.id}/move", headers=HX,
                              data={"column_id": world.column(1), "version": str(shown + 1)})
    assert response.status_code == 200 and card_titles(world.column(1)) == ["Contested"]


def test_a_malformed_version_is_refused_with_the_reason(world):
    card = cards.create_card(user_named("ada@example.com"), world.column(0), title="Odd")
    db.session.commit()
    response = world.bob.post(f"{world.url}/board/cards/{card.id}/move", headers=HX,
                              data={"column_id": world.column(1), "version": "two"})
    assert response.status_code == 400 and "version must be a whole number" in html(response)
    assert card_titles(world.column(0)) == ["Odd"]
