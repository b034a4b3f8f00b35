"""Where live board events wait for their readers: a Redis stream per project, or (without
Redis) a bounded buffer per project inside this process. A person's notification channel
(`user:<id>`) is kept the same way, beside the projects'. Both speak the same interface and
the same ids, so the SSE stream does not care which one it reads.

Ids look like Redis stream ids, `<milliseconds>-<sequence>`, and grow with every event; the
SSE `id:` of an event is its id, so a reconnecting page asks for "everything after the last
id I saw" (`Last-Event-ID`) and gets exactly that, or is told to re-render when that cannot
be known (the id is malformed, or events after it were trimmed, expired or belong to another
process's life).

- `publish(project_id, event)` appends a JSON-able dict and returns its id.
- `page_cursor()` is the id a page rendered now starts after; it is taken when a request
  begins (before the page reads the database), so nothing committed after the page's reads
  can be missed.
- `start(project_id, since)` returns `(cursor, complete)`: where to read from, and False
  when events after `since` may be lost (the page must then re-render fully).
- `read(project_id, after, timeout)` waits at most `timeout` seconds for events after `after`
  and returns `[(id, event), ...]` in order (an empty list on timeout).
"""
import json
import re
import threading
import time
from collections import OrderedDict, deque

import redis

ID_RE = re.compile(r"^(\d{1,19})-(\d{1,20})$")
MAXLEN = 1000          # events kept per project
MAX_PROJECTS = 500     # projects with a buffer in one process (least recently active dropped)
STREAM_TTL_SECONDS = 24 * 3600  # a Redis stream without new events for a day expires
CLOCK_TOLERANCE_MS = 2000       # web hosts' clocks vs the Redis server's clock
REDIS_BLOCK_SECONDS = 4.0       # under the shared client's 5 s socket timeout
READ_BATCH = 100


def parse_id(text: object) -> tuple[int, int] | None:
    """`(milliseconds, sequence)` from an id such as `1700000000000-3`, or None."""
    match = ID_RE.match(text) if isinstance(text, str) else None
    return (int(match.group(1)), int(match.group(2))) if match else None


def format_id(value: tuple[int, int]) -> str:
    return f"{value[0]}-{value[1]}"


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def stream_key(channel: str) -> str:
    """A project's channel is its id; other channels name their kind (`user:<id>`, see
    `app.live.user_channel`): ids never hold a colon."""
    return f"stellary:{channel}:events" if ":" in channel else f"stellary:project:{channel}:events"


class _Buffer:
    """One project's recent events; `floor` is the id of the newest event dropped from it."""

    def __init__(self, floor: tuple[int, int]):
        self.entries: deque[tuple[tuple[int, int], dict]] = deque()
        self.floor = floor


class LocalBroker:
    """Events kept in this process only (no Redis): pages served by this process see each
    other's changes. Thread-safe; readers wait on a condition the publishers notify."""

    max_block = None

    def __init__(self, maxlen: int = MAXLEN, max_projects: int = MAX_PROJECTS):
        self._maxlen = maxlen
        self._max_projects = max_projects
        self._changed = threading.Condition()
        self._buffers: OrderedDict[str, _Buffer] = OrderedDict()
        self._last = (now_ms(), 0)
        # Events up to here may be unknown for a project without a buffer: those before this
        # process started, and those of buffers dropped to stay under `max_projects`.
        self._forgotten = self._last

    def publish(self, project_id: str, event: dict) -> str:
        with self._changed:
            millis = max(now_ms(), self._last[0])
            self._last = (millis, self._last[1] + 1 if millis == self._last[0] else 0)
            buffer = self._buffers.get(project_id)
            if buffer is None:
                buffer = self._buffers[project_id] = _Buffer(self._forgotten)
            self._buffers.move_to_end(project_id)
            buffer.entries.append((self._last, event))
            if len(buffer.entries) > self._maxlen:
                buffer.floor = buffer.entries.popleft()[0]
            while len(self._buffers) > self._max_projects:
                _, dropped = self._buffers.popitem(last=False)
                self._forgotten = max(self._forgotten, dropped.entries[-1][0])
            self._changed.notify_all()
            return format_id(self._last)

    def page_cursor(self) -> str:
        return format_id(self._last)

    def start(self, project_id: str, since: str | None) -> tuple[str, bool]:
        with self._changed:
            latest = format_id(self._last)
            if since is None:
                return latest, True
            wanted = parse_id(since)
            buffer = self._buffers.get(project_id)
            floor = buffer.floor if buffer is not None else self._forgotten
            if wanted is None or wanted > self._last or wanted < floor:
                return latest, False
            return format_id(wanted), True

    def read(self, project_id: str, after: str, timeout: float) -> list[tuple[str, dict]]:
        position = parse_id(after) or (0, 0)
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                buffer = self._buffers.get(project_id)
                found = [(format_id(i), e) for i, e in buffer.entries if i > position] if buffer else []
                remaining = deadline - time.monotonic()
                if found or remaining <= 0:
                    return found[:READ_BATCH]
                self._changed.wait(remaining)


class RedisBroker:
    """Events in a Redis stream per project (`stellary:project:<id>:events`, about the last
    1,000 kept, expiring a day after the last event): every web and worker process publishes
    there and every SSE reader reads there, so changes reach pages served by any process.

    Ids come from the Redis server's clock; a page's cursor comes from the web host's clock,
    `CLOCK_TOLERANCE_MS` earlier (a page may then replay a change it already shows: harmless).
    Raises redis.RedisError from every method when Redis fails; callers fall back to the
    local broker.
    """

    max_block = REDIS_BLOCK_SECONDS

    def __init__(self, client: redis.Redis, maxlen: int = MAXLEN):
        self.client = client
        self._maxlen = maxlen

    def publish(self, project_id: str, event: dict) -> str:
        key = stream_key(project_id)
        pipe = self.client.pipeline()
        pipe.xadd(key, {"event": json.dumps(event)}, maxlen=self._maxlen, approximate=True)
        pipe.expire(key, STREAM_TTL_SECONDS)
        event_id, _ = pipe.execute()
        return _text(event_id)

    def page_cursor(self) -> str:
        return format_id((now_ms() - CLOCK_TOLERANCE_MS, 0))

    def start(self, project_id: str, since: str | None) -> tuple[str, bool]:
        seconds, micros = self.client.time()
        server_ms = seconds * 1000 + micros // 1000
        try:
            info = self.client.xinfo_stream(stream_key(project_id))
        except redis.ResponseError:  # no such stream: no event kept for this project
            info = None
        if info is not None:
            latest = _text(info["last-generated-id"])
        else:  # any event added from now on has a later id
            latest = format_id((server_ms - 1, 0))
        if since is None:
            return latest, True
        wanted = parse_id(since)
        if wanted is None or wanted[0] > server_ms + CLOCK_TOLERANCE_MS:
            return latest, False
        if info is None:
            # An expired stream had no event for a day: only an older `since` may miss some.
            lost = wanted[0] < server_ms - STREAM_TTL_SECONDS * 1000
        else:
            lost = _lost_after(info, wanted, self._maxlen)
        return (latest, False) if lost else (format_id(wanted), True)

    def read(self, project_id: str, after: str, timeout: float) -> list[tuple[str, dict]]:
        block = max(1, int(min(timeout, REDIS_BLOCK_SECONDS) * 1000))
        answer = self.client.xread({stream_key(project_id): after}, count=READ_BATCH, block=block)
        events = []
        for _, entries in answer or ():
            for event_id, fields in entries:
                events.append((_text(event_id), json.loads(fields[b"event"])))
        return events


def _lost_after(info: dict, wanted: tuple[int, int], maxlen: int) -> bool:
    """Whether a stream may have dropped events after `wanted`. Trimming drops the oldest
    entries, so only a `wanted` older than the first entry kept can miss some, and only if
    entries were dropped at all (Redis 7 counts the entries ever added; older servers only
    tell it when the stream is full)."""
    first = info.get("first-entry")
    if not first or wanted >= (parse_id(_text(first[0])) or (0, 0)):
        return False
    added = info.get("entries-added")
    return added > info["length"] if added is not None else info["length"] >= maxlen


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
