"""Live board events: published only after a commit (never for a rollback), one per thing
changed; two subscribers see the same events in order and a reconnecting reader resumes
exactly after its last id, with real Redis (several processes) and with the in-process
broker (the embedded default); the SSE endpoint's reach, format and replay; stale moves."""
import threading
import time

import pytest
import redis
import sqlalchemy as sa

from app import live
from app.errors import Conflict, Invalid
from app.extensions import db
from app.live import capture
from app.live.brokers import LocalBroker, RedisBroker, format_id, parse_id, stream_key
from app.models.board import Card, Project
from app.models.identity import User
from app.services import cards, checklists, columns, projects, relations
from tests.board_helpers import board, join, team_workspace, user

REDIS_TEST_URL = "redis://127.0.0.1:6379/15"
WAIT = 5.0


@pytest.fixture()
def world():
    """Ada's project "Website" (To Do, In Progress, Done) with Bob as a member and one card
    in To Do; Carl is in the workspace but not the project."""
    ada = user("ada@acme.test")
    workspace = team_workspace(ada)
    bob, carl = user("bob@acme.test"), user("carl@acme.test")
    join(bob, workspace)
    join(carl, workspace)
    access, cols = board(ada, "Website")
    projects.add_member(access, "bob@acme.test")
    card = cards.create_card(ada, cols[0].id, title="First")
    db.session.commit()
    return {"ada": ada, "bob": bob, "carl": carl, "project_id": access.project.id,
            "columns": [c.id for c in cols], "card_id": card.id}


@pytest.fixture()
def with_redis(app):
    """The app publishes and streams through the real Redis (database 15) for this test;
    the streams of the test's projects are deleted after it."""
    client = redis.Redis.from_url(REDIS_TEST_URL)
    client.ping()
    app.config["REDIS_URL"] = REDIS_TEST_URL
    app.extensions.pop("redis", None)
    yield client
    for project_id in db.session.scalars(sa.select(Project.id)):
        client.delete(stream_key(project_id))
    app.config["REDIS_URL"] = ""
    app.extensions.pop("redis", None)
    client.close()


def read_all(broker, project_id, after, timeout=0.2):
    """Every event after `after` that arrives within `timeout`, as (id, event)."""
    found, deadline = [], time.monotonic() + timeout
    while (remaining := deadline - time.monotonic()) > 0:
        batch = broker.read(project_id, after, remaining)
        if batch:
            found += batch
            after = batch[-1][0]
    return found


def types(events):
    return [e["type"] for _, e in events]


# Published after the commit, and only then ---------------------------------------------

def test_a_move_is_published_after_the_commit_with_both_columns_and_the_new_version(app, world):
    broker = live.local_broker()
    cursor = broker.page_cursor()
    cards.move_card(world["bob"], world["card_id"], world["columns"][1])
    db.session.flush()
    assert broker.read(world["project_id"], cursor, 0) == []  # flushed is not committed
    db.session.commit()
    [(event_id, event)] = read_all(broker, world["project_id"], cursor)
    assert parse_id(event_id) > parse_id(cursor)
    assert event == {"type": "card.moved", "projectId": world["project_id"], "cardId": world["card_id"],
                     "columnIds": [world["columns"][0], world["columns"][1]], "version": 2,
                     "actorId": None, "origin": None}


def test_finishing_or_archiving_a_blocker_updates_the_cards_it_blocks(app, world):
    ada = world["ada"]
    blocked = cards.create_card(ada, world["columns"][1], title="Waits")
    relations.create_relation(ada, world["card_id"], blocked.id, "blocks")
    db.session.commit()
    broker = live.local_broker()
    cursor = broker.page_cursor()
    cards.move_card(ada, world["card_id"], world["columns"][2])
    db.session.commit()
    events = {e["cardId"]: e for _, e in read_all(broker, world["project_id"], cursor)}
    assert events[world["card_id"]]["type"] == "card.moved"
    assert (events[blocked.id]["type"], events[blocked.id]["columnIds"], events[blocked.id]["version"]) == (
        "card.updated", [world["columns"][1]], blocked.version)
    cursor = broker.page_cursor()
    cards.archive_card(ada, world["card_id"])
    cards.update_card(ada, blocked.id, {"title": "Renamed"})  # the blocked card's own change: one event
    db.session.commit()
    assert sorted(types(read_all(broker, world["project_id"], cursor))) == ["card.archived", "card.updated"]
    # A change that cannot unblock anything (a new title) tells nothing about the cards it blocks.
    cursor = broker.page_cursor()
    cards.update_card(ada, world["card_id"], {"title": "Renamed blocker"})
    db.session.commit()
    assert [e["cardId"] for _, e in read_all(broker, world["project_id"], cursor)] == [world["card_id"]]


def test_a_rollback_publishes_nothing_and_is_not_sent_with_the_next_commit(app, world):
    broker = live.local_broker()
    cursor = broker.page_cursor()
    cards.update_card(world["ada"], world["card_id"], {"title": "Never saved"})
    db.session.rollback()
    assert read_all(broker, world["project_id"], cursor) == []
    cards.archive_card(world["ada"], world["card_id"])
    db.session.commit()
    assert types(read_all(broker, world["project_id"], cursor)) == ["card.archived"]


def test_a_session_closed_without_commit_publishes_nothing_later(app, world):
    broker = live.local_broker()
    cursor = broker.page_cursor()
    cards.update_card(world["ada"], world["card_id"], {"title": "Abandoned"})
    db.session.close()
    db.session.commit()
    assert read_all(broker, world["project_id"], cursor) == []


def test_a_rolled_back_savepoint_drops_only_its_own_changes(app, world):
    broker = live.local_broker()
    cursor = broker.page_cursor()
    other = cards.create_card(world["ada"], world["columns"][2], title="Kept")
    with pytest.raises(Conflict):
        with db.session.begin_nested():
            cards.move_card(world["ada"], world["card_id"], world["columns"][1])
            raise Conflict("refused")
    with db.session.begin_nested():
        cards.update_card(world["ada"], world["card_id"], {"priority": "high"})
    assert broker.read(world["project_id"], cursor, 0) == []  # a released savepoint is no commit
    db.session.commit()
    events = read_all(broker, world["project_id"], cursor)
    assert [(e["type"], e["cardId"]) for _, e in events] == [
        ("card.created", other.id), ("card.updated", world["card_id"])]


def test_each_kind_of_change_gives_its_event(app, world):
    broker = live.local_broker()
    ada, project_id, (todo, doing, done) = world["ada"], world["project_id"], world["columns"]
    access = projects.project_access(ada, "acme", "eng", project_id)

    def published(change):
        cursor = broker.page_cursor()
        change()
        db.session.commit()
        return [(e["type"], e.get("cardId") or e.get("columnId"), e.get("columnIds"))
                for _, e in read_all(broker, project_id, cursor)]

    card_id = world["card_id"]
    second = []
    assert published(lambda: second.append(cards.create_card(ada, todo, title="Second"))) == [
        ("card.created", second[0].id, [todo])]
    assert published(lambda: cards.move_card(ada, second[0].id, todo, 0)) == [
        ("card.moved", second[0].id, [todo])]
    assert published(lambda: cards.update_card(ada, card_id, {"title": "Renamed"})) == [
        ("card.updated", card_id, [todo])]
    assert published(lambda: checklists.add_item(ada, card_id, "Step")) == [("card.updated", card_id, [todo])]
    assert published(lambda: cards.archive_card(ada, card_id)) == [("card.archived", card_id, [todo])]
    assert published(lambda: cards.archive_card(ada, card_id, False)) == [("card.unarchived", card_id, [todo])]
    assert published(lambda: cards.update_card(ada, card_id, {"columnId": done, "title": "Shipped"})) == [
        ("card.moved", card_id, [todo, done])]
    assert published(lambda: cards.delete_card(ada, second[0].id)) == [("card.deleted", second[0].id, [todo])]

    def create_and_delete():
        temporary = cards.create_card(ada, todo, title="Gone at once")
        cards.delete_card(ada, temporary.id)
    assert published(create_and_delete) == []

    new_column = []
    assert published(lambda: new_column.append(columns.create_column(access, "Review"))) == [
        ("column.created", new_column[0].id, None)]
    assert published(lambda: columns.update_column(access, new_column[0].id, {"name": "QA"})) == [
        ("column.updated", new_column[0].id, None)]
    assert published(lambda: columns.update_column(access, new_column[0].id, {"order": 0})) == [
        ("column.moved", new_column[0].id, None)]
    # Deleting a column is a bulk DELETE (its cards move in bulk too): still published.
    assert published(lambda: columns.delete_column(access, done, move_cards_to=doing)) == [
        ("column.deleted", done, None)]


def test_a_change_to_many_cards_at_once_is_one_board_event(app, world):
    broker = live.local_broker()
    cursor = broker.page_cursor()
    for n in range(capture.MAX_CARD_EVENTS + 1):
        cards.create_card(world["ada"], world["columns"][0], title=f"Bulk {n}")
    db.session.commit()
    assert [e for _, e in read_all(broker, world["project_id"], cursor)] == [
        {"type": "board.changed", "projectId": world["project_id"], "actorId": None, "origin": None}]


def test_deleting_the_project_is_one_event(app, world):
    broker = live.local_broker()
    cursor = broker.page_cursor()
    access = projects.project_access(world["ada"], "acme", "eng", world["project_id"])
    projects.delete_project(access)
    db.session.commit()
    assert types(read_all(broker, world["project_id"], cursor)) == ["project.deleted"]


# Brokers: two subscribers, replay, reset ------------------------------------------------

@pytest.fixture(params=["local", "redis"])
def brokers(request, app):
    """(publisher, subscriber 1, subscriber 2) as separate processes would have them: with
    Redis, three clients of the real server; in-process, the one broker of this app."""
    if request.param == "local":
        yield "local", live.local_broker(), live.local_broker(), live.local_broker()
        return
    client = request.getfixturevalue("with_redis")
    others = [redis.Redis.from_url(REDIS_TEST_URL, socket_timeout=5) for _ in range(2)]
    yield "redis", RedisBroker(client), RedisBroker(others[0]), RedisBroker(others[1])
    for other in others:
        other.close()


def test_two_subscribers_see_the_same_events_in_order(app, world, brokers):
    kind, _, first, second = brokers
    project_id, card_id, (todo, doing, done) = world["project_id"], world["card_id"], world["columns"]
    cursor = live.page_cursor()
    seen = {0: [], 1: []}

    def subscribe(index, broker, after):
        deadline = time.monotonic() + WAIT
        while len(seen[index]) < 3 and time.monotonic() < deadline:
            for event_id, event in broker.read(project_id, after, 0.5):
                seen[index].append((event_id, event["type"], event["cardId"]))
                after = event_id

    readers = [threading.Thread(target=subscribe, args=(i, b, cursor)) for i, b in enumerate((first, second))]
    for reader in readers:
        reader.start()
    cards.move_card(world["bob"], card_id, doing)
    db.session.commit()
    cards.move_card(world["ada"], card_id, done)
    db.session.commit()
    cards.update_card(world["bob"], card_id, {"title": "Done and dusted"})
    db.session.commit()
    for reader in readers:
        reader.join(WAIT + 1)
    assert [t for _, t, _ in seen[0]] == ["card.moved", "card.moved", "card.updated"]
    assert seen[0] == seen[1]
    assert [parse_id(i) for i, _, _ in seen[0]] == sorted(parse_id(i) for i, _, _ in seen[0])
    if kind == "redis":
        assert len(app.extensions["redis"].xrange(stream_key(project_id))) == 3


def test_a_reconnecting_reader_resumes_exactly_after_its_last_id(app, world, brokers):
    _, _, reader, _ = brokers
    project_id, card_id, (todo, doing, done) = world["project_id"], world["card_id"], world["columns"]
    cursor, complete = reader.start(project_id, live.page_cursor())
    assert complete
    cards.move_card(world["ada"], card_id, doing)
    db.session.commit()
    [(seen_id, _)] = read_all(reader, project_id, cursor)
    # Disconnected now; two changes happen meanwhile.
    cards.move_card(world["ada"], card_id, done)
    db.session.commit()
    cards.archive_card(world["ada"], card_id)
    db.session.commit()
    resumed, complete = reader.start(project_id, seen_id)
    assert (resumed, complete) == (seen_id, True)
    assert types(read_all(reader, project_id, resumed)) == ["card.moved", "card.archived"]


def test_an_unknown_or_trimmed_last_id_asks_for_a_re_render(app, world, brokers):
    kind, publisher, reader, _ = brokers
    project_id = world["project_id"]
    for bad in ("yesterday", "12", "1-2-3", format_id((time.time_ns() // 1_000_000 + 3_600_000, 0))):
        cursor, complete = reader.start(project_id, bad)
        assert not complete and parse_id(cursor)
    small = LocalBroker(maxlen=5) if kind == "local" else RedisBroker(publisher.client, maxlen=5)
    first = small.publish(project_id, {"type": "card.updated", "n": 0})
    for n in range(1, 300):  # Redis trims by whole nodes (MAXLEN ~): go well past them
        last = small.publish(project_id, {"type": "card.updated", "n": n})
    cursor, complete = small.start(project_id, first)
    assert (cursor, complete) == (last, False)
    assert small.start(project_id, last) == (last, True)


def test_a_local_broker_started_after_a_page_was_rendered_cannot_replay_for_it(app, world):
    rendered = live.local_broker().page_cursor()
    time.sleep(0.01)
    restarted = LocalBroker()
    cursor, complete = restarted.start(world["project_id"], rendered)
    assert not complete and cursor == restarted.page_cursor()


def test_without_redis_answering_events_stay_in_this_process(app, world):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    app.extensions.pop("redis", None)
    try:
        cursor = live.local_broker().page_cursor()
        cards.move_card(world["ada"], world["card_id"], world["columns"][1])
        db.session.commit()
        broker, start, complete = live.open_stream(world["project_id"], cursor)
    finally:
        app.config["REDIS_URL"] = ""
        app.extensions.pop("redis", None)
    assert broker is live.local_broker() and (start, complete) == (cursor, True)
    assert types(read_all(broker, world["project_id"], start)) == ["card.moved"]


# Stale moves --------------------------------------------------------------------------

def test_a_move_on_a_stale_version_is_refused_and_writes_nothing(app, world):
    card_id, (todo, doing, done) = world["card_id"], world["columns"]
    seen = cards.get_card(world["bob"], card_id).version
    cards.update_card(world["ada"], card_id, {"title": "Changed by Ada"})
    db.session.commit()
    broker = live.local_broker()
    cursor = broker.page_cursor()
    with pytest.raises(Conflict, match="This card changed meanwhile"):
        cards.move_card(world["bob"], card_id, done, expected_version=seen)
    db.session.rollback()
    with pytest.raises(Conflict, match="This card changed meanwhile"):
        cards.update_card(world["bob"], card_id, {"columnId": doing}, expected_version=seen)
    db.session.rollback()
    card = db.session.get(Card, card_id)
    assert (card.column_id, card.version, card.title) == (todo, seen + 1, "Changed by Ada")
    assert read_all(broker, world["project_id"], cursor) == []

    moved = cards.move_card(world["bob"], card_id, done, expected_version=seen + 1)
    assert (moved.column_id, moved.version) == (done, seen + 2)
    for bad in (0, -1, "2", True, 1.5):
        with pytest.raises(Invalid, match="version"):
            cards.move_card(world["bob"], card_id, todo, expected_version=bad)


# The SSE endpoint ---------------------------------------------------------------------

def sse_events(body: str) -> list[dict]:
    """The frames of an SSE body: {"id", "event", "data", "comment"} as present."""
    frames = []
    for block in body.split("\n\n"):
        if not block.strip():
            continue
        fields = {}
        for line in block.split("\n"):
            name, _, value = line.partition(":")
            fields[name or "comment"] = value[1:] if value.startswith(" ") else value
        frames.append(fields)
    return frames


def _text(chunk) -> str:
    return chunk.decode() if isinstance(chunk, bytes) else chunk


@pytest.fixture()
def web(app, world):
    """Signed-in browser-like clients for Bob (member) and Carl (outside the project), and a
    stream that ends on its own after a short while."""
    from tests.web.identity_support import PASSWORD

    clients = {}
    for name in ("bob", "carl"):
        client = app.test_client()
        response = client.post("/login", data={"email": f"{name}@acme.test", "password": PASSWORD})
        assert response.status_code == 302
        clients[name] = client
    app.config.update(LIVE_STREAM_SECONDS=0.3, LIVE_HEARTBEAT_SECONDS=0.1)
    yield clients
    for name in ("LIVE_STREAM_SECONDS", "LIVE_HEARTBEAT_SECONDS"):
        app.config.pop(name)


def events_url(world) -> str:
    return f"/o/acme/w/eng/p/{world['project_id']}/events"


def test_the_stream_needs_a_signed_in_member_of_the_project(app, world, web):
    assert app.test_client().get(events_url(world)).status_code == 401
    assert web["carl"].get(events_url(world)).status_code == 404
    assert web["bob"].get(f"/o/acme/w/eng/p/{'0' * 24}/events").status_code == 404
    assert web["bob"].get(f"/o/acme/w/other/p/{world['project_id']}/events").status_code == 404


def test_the_stream_sends_id_event_and_data_lines_and_replays_after_last_event_id(app, world, web):
    cursor = live.page_cursor()
    cards.move_card(world["ada"], world["card_id"], world["columns"][1])
    db.session.commit()
    cards.update_card(world["ada"], world["card_id"], {"title": "Second change"})
    db.session.commit()

    response = web["bob"].get(events_url(world), query_string={"since": cursor})
    assert response.status_code == 200
    assert response.mimetype == "text/event-stream"
    assert response.headers["Cache-Control"] == "no-cache"
    body = response.get_data(as_text=True)
    frames = sse_events(body)
    assert frames[0]["retry"].isdigit() and frames[0]["id"] == cursor
    moved, updated = [f for f in frames if "event" in f]
    assert moved["event"] == "card.moved" and updated["event"] == "card.updated"
    assert f'"cardId":"{world["card_id"]}"' in moved["data"]
    assert f"id: {moved['id']}\nevent: card.moved\ndata: {moved['data']}\n\n" in body
    assert frames[-1] == {"id": updated["id"], "comment": "keep-alive"}

    # The browser reconnects with the last id it saw: only what came after is sent.
    replay = web["bob"].get(events_url(world), headers={"Last-Event-ID": moved["id"]},
                            query_string={"since": cursor})
    assert [f["event"] for f in sse_events(replay.get_data(as_text=True)) if "event" in f] == ["card.updated"]


def test_an_unknown_last_event_id_tells_the_page_to_re_render(app, world, web):
    body = web["bob"].get(events_url(world), headers={"Last-Event-ID": "not-an-id"}).get_data(as_text=True)
    reset = sse_events(body)[0]
    assert reset["event"] == "reset" and parse_id(reset["id"])
    assert reset["data"] == f'{{"type":"reset","projectId":"{world["project_id"]}"}}'


def test_an_open_stream_holds_no_database_connection(app, world, web):
    ada, card_id, done = world["ada"].id, world["card_id"], world["columns"][2]
    db.session.commit()
    app.config["LIVE_STREAM_SECONDS"] = WAIT
    response = web["bob"].get(events_url(world), buffered=False)
    chunks = iter(response.response)
    assert _text(next(chunks)).startswith("retry:")
    assert db.engine.pool.checkedout() == 0
    cards.move_card(db.session.get(User, ada), card_id, done)
    db.session.commit()
    received, deadline = "", time.monotonic() + WAIT
    while "event: card.moved" not in received and time.monotonic() < deadline:
        received += _text(next(chunks))
    response.close()
    assert "event: card.moved" in received


def test_the_stream_reads_redis_where_other_processes_publish(app, world, web, with_redis):
    cursor = live.page_cursor()
    # Another process (a worker, another web process) publishes straight into Redis.
    other_process = RedisBroker(redis.Redis.from_url(REDIS_TEST_URL))
    other_id = other_process.publish(world["project_id"], {"type": "card.updated", "cardId": world["card_id"]})
    cards.move_card(world["ada"], world["card_id"], world["columns"][1])
    db.session.commit()
    frames = sse_events(web["bob"].get(events_url(world), query_string={"since": cursor}).get_data(as_text=True))
    assert [(f["id"], f["event"]) for f in frames if "event" in f][0] == (other_id, "card.updated")
    assert [f["event"] for f in frames if "event" in f] == ["card.updated", "card.moved"]
    assert len(with_redis.xrange(stream_key(world["project_id"]))) == 2
    other_process.client.close()


def test_a_change_made_through_a_page_names_its_actor_and_origin(app, world, web):
    broker = live.local_broker()
    cursor = broker.page_cursor()
    origin = "0123456789abcdef0123456789abcdef"
    web["bob"].post(f"/o/acme/w/eng/p/{world['project_id']}/board/cards/{world['card_id']}/move",
                    data={"column_id": world["columns"][1]}, headers={"X-Live-Origin": origin})
    web["bob"].post(f"/o/acme/w/eng/p/{world['project_id']}/board/cards/{world['card_id']}/move",
                    data={"column_id": world["columns"][2]}, headers={"X-Live-Origin": "<script>"})
    events = [e for _, e in read_all(broker, world["project_id"], cursor)]
    assert [(e["type"], e["actorId"], e["origin"]) for e in events] == [
        ("card.moved", world["bob"].id, origin), ("card.moved", world["bob"].id, None)]
