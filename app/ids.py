"""Identifiers: 24-character lowercase hex strings, time-ordered like MongoDB ObjectIds.

Clients of the original product validate ids as MongoIds, so ours have the same shape:
4 bytes of seconds since the epoch, 5 random bytes fixed per process, a 3-byte counter.
"""
import itertools
import os
import re
import threading
import time

_PROCESS_RANDOM = os.urandom(5)
_counter = itertools.count(int.from_bytes(os.urandom(3), "big"))
_lock = threading.Lock()
_ID_RE = re.compile(r"^[0-9a-f]{24}$")


def new_id() -> str:
    """Return a fresh id, unique across processes and ordered by creation second."""
    with _lock:
        count = next(_counter) & 0xFFFFFF
    raw = int(time.time()).to_bytes(4, "big") + _PROCESS_RANDOM + count.to_bytes(3, "big")
    return raw.hex()


def is_id(value: object) -> bool:
    """Tell whether `value` is a well-formed id string."""
    return isinstance(value, str) and bool(_ID_RE.match(value))
