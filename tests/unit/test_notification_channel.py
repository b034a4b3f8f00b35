"""Each person's live notification channel (`user:<id>`): creating notifications, or marking
them read, publishes one content-free event on the channel of each person concerned once the
transaction has committed (never for the actor, never on a rollback); with the real Redis
(where every process reads) and with the in-process broker; the SSE endpoint serves only the
signed-in person's own channel."""
import pytest
import redis

from app import live
from app.extensions import db
from app.live.brokers import RedisBroker, stream_key
from app.services import cards, comments, notifications
from tests.unit.test_live_events import REDIS_TEST_URL, read_all, sse_events, web, with_redis, world  # noqa: F401


def channel(person) -> str:
    return live.user_channel(person.id)


@pytest.fixture()
def user_streams(app, with_redis, world):  # noqa: F811
    """Real Redis for this test; the people's channels deleted after it."""
    keys = [stream_key(channel(world[name])) for name in ("ada", "bob", "carl")]
    yield with_redis
    with_redis.delete(*keys)


def test_the_channel_has_its_own_stream_key_beside_the_projects():
    assert stream_key("user:6b0ba7c22c00fcaf351dcff9") == "stellary:user:6b0ba7c22c00fcaf351dcff9:events"
    assert stream_key("6b0ba7c22c00fcaf351dcff9") == "stellary:project:6b0ba7c22c00fcaf351dcff9:events"


def test_a_comment_tells_each_notified_person_on_their_channel_after_the_commit(app, world):  # noqa: F811
    broker = live.local_broker()
    cursor = broker.page_cursor()
    comments.add_comment(world["ada"], world["card_id"], "@bob and @carl, look")
    db.session.flush()
    assert read_all(broker, channel(world["bob"]), cursor) == []  # not committed yet
    db.session.commit()
    [(_, event)] = read_all(broker, channel(world["bob"]), cursor)
    assert event == {"type": "notifications.changed", "userId": world["bob"].id,
                     "actorId": None, "origin": None}
    assert read_all(broker, channel(world["ada"]), cursor) == []  # the actor is never told
    assert read_all(broker, channel(world["carl"]), cursor) == []  # cannot reach the project


def test_a_rollback_tells_nobody(app, world):  # noqa: F811
    broker = live.local_broker()
    cursor = broker.page_cursor()
    cards.update_card(world["ada"], world["card_id"], {"title": "Never saved"})
    db.session.rollback()
    db.session.commit()
    assert read_all(broker, channel(world["bob"]), cursor) == []


def test_marking_read_tells_the_reader_only_when_something_changed(app, world):  # noqa: F811
    notifications.mark_all_read(world["bob"])
    cards.update_card(world["ada"], world["card_id"], {"title": "Renamed"})
    db.session.commit()
    broker = live.local_broker()
    view = notifications.list_notifications(world["bob"])[0]
    cursor = broker.page_cursor()
    notifications.mark_read(world["bob"], view.notification.id)
    db.session.commit()
    assert len(read_all(broker, channel(world["bob"]), cursor)) == 1
    cursor = broker.page_cursor()
    notifications.mark_read(world["bob"], view.notification.id)
    assert notifications.mark_all_read(world["bob"]) == 0
    db.session.commit()
    assert read_all(broker, channel(world["bob"]), cursor) == []


def test_with_redis_another_process_reads_the_channel(app, world, user_streams):  # noqa: F811
    other_process = RedisBroker(redis.Redis.from_url(REDIS_TEST_URL, socket_timeout=5))
    cursor, complete = other_process.start(channel(world["bob"]), live.page_cursor())
    assert complete
    cards.update_card(world["ada"], world["card_id"], {"assigneeId": world["bob"].id})
    db.session.commit()
    events = read_all(other_process, channel(world["bob"]), cursor, timeout=1.0)
    assert [e["type"] for _, e in events] == ["notifications.changed"]
    assert len(user_streams.xrange(stream_key(channel(world["bob"])))) == 1
    assert user_streams.ttl(stream_key(channel(world["bob"]))) > 0
    other_process.client.close()


@pytest.mark.parametrize("events_via", ["embedded", "redis"])
def test_the_stream_serves_the_signed_in_persons_own_channel(app, world, web, events_via, request):  # noqa: F811
    if events_via == "redis":
        request.getfixturevalue("user_streams")
    cursor = live.page_cursor()
    comments.add_comment(world["ada"], world["card_id"], "@bob, see this")
    db.session.commit()
    response = web["bob"].get("/account/notifications/events", query_string={"since": cursor})
    assert response.status_code == 200 and response.mimetype == "text/event-stream"
    frames = sse_events(response.get_data(as_text=True))
    assert [f["event"] for f in frames if "event" in f] == ["notifications.changed"]
    carl = web["carl"].get("/account/notifications/events", query_string={"since": cursor})
    assert [f for f in sse_events(carl.get_data(as_text=True)) if "event" in f] == []


def test_an_unknown_last_event_id_tells_the_bell_to_refetch(app, world, web):  # noqa: F811
    body = web["bob"].get("/account/notifications/events", headers={"Last-Event-ID": "nope"}).get_data(as_text=True)
    reset = sse_events(body)[0]
    assert reset["event"] == "reset" and reset["data"] == '{"type":"reset"}'
