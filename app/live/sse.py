"""Server-Sent Events for one project's board: the text frames and the stream loop.

Frames: `id: <event id>`, `event: <type>`, `data: <JSON event>`. The first frame sets the
browser's reconnection delay and either the cursor (`id:` with a comment, no event) or, when
events after the page's `Last-Event-ID` cannot be known, a `reset` event telling the page to
re-render. Quiet streams send a keep-alive every `heartbeat` seconds; it carries the cursor
as `id:` so a reconnection resumes exactly there. The stream ends after `lifetime` seconds:
the browser reconnects on its own and the caller's reach to the project is checked again.
"""
import json
import time
from collections.abc import Iterator

import redis

HEARTBEAT_SECONDS = 15
STREAM_SECONDS = 300
RETRY_MS = 2000


def frame(event_id: str, event_type: str, data: dict) -> str:
    """One SSE event (the JSON holds no line break)."""
    return f"id: {event_id}\nevent: {event_type}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"


def stream(broker, project_id: str, cursor: str, complete: bool, *, heartbeat: float = HEARTBEAT_SECONDS,
           lifetime: float = STREAM_SECONDS, retry_ms: int = RETRY_MS, reset: dict | None = None) -> Iterator[str]:
    """The event stream of `project_id` (or of another channel, such as a person's
    notifications, whose `reset` event then carries `reset`) after `cursor`, read from
    `broker` (see app/live/brokers.py). Uses no application or request context: it runs
    after the view returned. Ends quietly when Redis fails (the browser reconnects)."""
    if complete:
        yield f"retry: {retry_ms}\nid: {cursor}\n: connected\n\n"
    else:
        yield f"retry: {retry_ms}\n" + frame(cursor, "reset", reset or {"type": "reset", "projectId": project_id})
    deadline = time.monotonic() + lifetime
    last_write = time.monotonic()
    while (now := time.monotonic()) < deadline:
        wait = min(deadline - now, max(heartbeat - (now - last_write), 0.0))
        if broker.max_block is not None:
            wait = min(wait, broker.max_block)
        try:
            events = broker.read(project_id, cursor, wait)
        except redis.RedisError:
            return
        for event_id, event in events:
            cursor = event_id
            yield frame(event_id, event.get("type", "message"), event)
            last_write = time.monotonic()
        if not events and time.monotonic() - last_write >= heartbeat:
            yield f"id: {cursor}\n: keep-alive\n\n"
            last_write = time.monotonic()
