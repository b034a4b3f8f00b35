"""The Redis connection, when `REDIS_URL` is set. Without it the app runs on its own:
jobs run inline and live updates stay inside the process."""
import redis
from flask import current_app


def get_redis() -> redis.Redis | None:
    """The shared client for this app, or None when `REDIS_URL` is not set."""
    url = current_app.config["REDIS_URL"]
    if not url:
        return None
    client = current_app.extensions.get("redis")
    if client is None:
        client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
        current_app.extensions["redis"] = client
    return client


def redis_status() -> str:
    """`ok`, `absent` (not configured) or `error` (configured but unreachable)."""
    client = get_redis()
    if client is None:
        return "absent"
    try:
        client.ping()
    except redis.RedisError:
        return "error"
    return "ok"


def reachable_redis() -> redis.Redis | None:
    """The client if Redis answers now, else None (callers then fall back to inline work)."""
    client = get_redis()
    if client is None:
        return None
    try:
        client.ping()
    except redis.RedisError:
        current_app.logger.warning("REDIS_URL is set but Redis does not answer; running inline")
        return None
    return client
