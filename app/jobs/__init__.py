"""Background jobs. Jobs are named by dotted path and take ids (never ORM objects).

With Redis, `enqueue` puts the job on an RQ queue for `flask worker`; without it (the
embedded default) the job runs inline. Inside a request, jobs are dispatched only after
the request's commit, so a worker always finds the rows it is given.
"""
import importlib

from flask import current_app, g, has_request_context
from rq import Queue

from app.extensions import db
from app.redis_client import reachable_redis

DEFAULT_QUEUE = "default"
QUEUES = (DEFAULT_QUEUE,)


def enqueue(path: str, *args, queue: str = DEFAULT_QUEUE) -> None:
    """Run `path(*args)` in the background (or inline without Redis), after the current commit."""
    if has_request_context():
        g.setdefault("pending_jobs", []).append((path, args, queue))
    else:
        dispatch(path, args, queue)


def dispatch(path: str, args: tuple, queue: str = DEFAULT_QUEUE) -> None:
    client = reachable_redis()
    if client is None:
        run(path, *args)
        return
    Queue(queue, connection=client).enqueue("app.jobs.run_in_worker", path, *args)


def dispatch_pending() -> None:
    """Called after a request commits. The request's change is saved by then, so a job that
    fails inline or cannot be queued is logged and the answer stays a success."""
    for path, args, queue in g.pop("pending_jobs", []):
        try:
            dispatch(path, args, queue)
        except Exception:
            current_app.logger.exception("Job %s failed after the request's commit", path)


def run(path: str, *args) -> None:
    """Run one job in the current app context and commit its work once.

    Raises whatever the job raises, after rolling its work back.
    """
    module_name, _, func_name = path.rpartition(".")
    func = getattr(importlib.import_module(module_name), func_name)
    try:
        func(*args)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


def run_in_worker(path: str, *args) -> None:
    """Entry point of RQ jobs: the worker process has an app context (see `flask worker`)."""
    try:
        run(path, *args)
    finally:
        db.session.remove()
