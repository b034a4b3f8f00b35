"""Live boards: when a card or column changes, every open board and card panel of that
project hears of it within a second, through Server-Sent Events.

- `capture` notes what each database transaction changed on the boards and, only once it
  has committed, publishes one small event per card or column (ids only, no content).
- `brokers` keeps the recent events of each project: a Redis stream when `REDIS_URL` is set
  (every web and worker process publishes and reads there), else a buffer inside this
  process (the embedded default: one process sees its own changes).
- `sse` streams a project's events to a page, resuming after the page's `Last-Event-ID`,
  or telling it to re-render when that cannot be done exactly.
- `app/web/live.py` serves the stream; `static/js/live.js` refreshes what changed.

A person's notifications have their own channel, `user:<id>` (`user_channel`): when
notifications are created for them or marked read, the commit publishes a content-free
`notifications.changed` event there, and the bell of their pages (app/web/notifications.py,
static/js/notifications.js) fetches the new count.

If Redis is configured but fails, events and streams fall back to this process's buffer
(logged), so the page still works within one process.
"""
import redis
from flask import Flask, current_app

from app.extensions import db
from app.live import capture
from app.live.brokers import LocalBroker, RedisBroker
from app.redis_client import get_redis

EXTENSION = "live"


def init_app(app: Flask) -> None:
    """Give `app` its in-process broker and start noting board changes."""
    app.extensions[EXTENSION] = LocalBroker()
    capture.install(db.session)


def local_broker() -> LocalBroker:
    return current_app.extensions[EXTENSION]


def broker() -> LocalBroker | RedisBroker:
    """Redis's broker when `REDIS_URL` is set, else this process's."""
    client = get_redis()
    return RedisBroker(client) if client is not None else local_broker()


def user_channel(user_id: str) -> str:
    """The channel of one person's notifications."""
    return f"user:{user_id}"


def publish(event: dict) -> str:
    """Publish `event` on its project's stream, or on its person's channel for an event
    about someone's notifications (`userId`, no `projectId`); return its id."""
    channel = event.get("projectId") or user_channel(event["userId"])
    chosen = broker()
    try:
        return chosen.publish(channel, event)
    except redis.RedisError:
        current_app.logger.warning("Redis does not answer: live update kept in this process")
        return local_broker().publish(channel, event)


def open_stream(project_id: str, since: str | None) -> tuple[LocalBroker | RedisBroker, str, bool]:
    """The broker to read `project_id` (or another channel) from, the cursor to start after,
    and whether the events after `since` are all known (see `brokers`)."""
    chosen = broker()
    try:
        return (chosen, *chosen.start(project_id, since))
    except redis.RedisError:
        current_app.logger.warning("Redis does not answer: live stream served from this process")
        fallback = local_broker()
        return (fallback, *fallback.start(project_id, since))


def page_cursor() -> str:
    """The id a page rendered now starts after (taken when its request begins)."""
    return broker().page_cursor()
