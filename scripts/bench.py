"""`make bench`: server time of the board at 100, 1,000 and 5,000 cards on PostgreSQL.

For each size it seeds a project in a throwaway database, then times requests through the
application's WSGI stack (Flask's test client, no network): the board page, the next batch
of a long column (lazy loading), `GET …/cards` (the JSON API), a card move (`PATCH` with
`columnId` and `order`, to the top of the other column and back, so every move shifts the
cards below), and `GET /healthz`, the trivial request every other figure is compared with.
It prints the median and p95 of the samples, their ratio to the trivial request's median,
the SQL statements each request issued and the size of the answer.

These are figures to read, not a test: nothing is asserted about time.

    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test python -m scripts.bench

The database named in the URL is only used to reach the server: the benchmark creates
`stellary_bench_<hex>` next to it and drops it at the end, also after a failure or Ctrl-C.
"""
import math
import os
import re
import signal
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

import psycopg
import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.config import Config
from app.extensions import db
from app.ids import new_id
from app.models.board import Card, ChecklistItem
from app.services.board_page import PAGE_SIZE
from app.services.projects import lock_project
from app.timeutil import utcnow

SIZES = (100, 1_000, 5_000)
SHARE_BY_COLUMN = (0.5, 0.3, 0.2)  # of the cards, in To Do, In Progress, Done
CHECKLIST_ITEMS = 2  # per card
WARMUP = 5
SAMPLES = 30
TRIVIAL_SAMPLES = 200  # cheap, and the base of every ratio
PASSWORD = "bench-password-123"
ORG, WORKSPACE = "bench", "board"
API = f"/orgs/{ORG}/workspaces/{WORKSPACE}/projects"
PAGE = f"/o/{ORG}/w/{WORKSPACE}/p"


@dataclass
class Figures:
    """Timings of one request, in milliseconds, with the SQL statements of one request
    and the size of its answer."""

    name: str
    samples: list[float]
    statements: int
    size: int

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[math.ceil(0.95 * len(ordered)) - 1]


# The throwaway database

@contextmanager
def throwaway_database(base_url: str) -> Iterator[str]:
    """Create an empty database on the server of `base_url`; yield its URL; drop it."""
    server = sa.make_url(base_url.replace("postgresql+psycopg://", "postgresql://"))
    name = f"stellary_bench_{uuid.uuid4().hex[:12]}"
    conninfo = server.set(database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _exit_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit, so the database is dropped when the run is killed."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def build_app(database_url: str, upload_dir: str):
    """The application on `database_url`, migrated; no Redis, cheap password hashes."""
    os.environ.update({
        "STELLARY_ENV": "testing",
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-secret-key-" + "x" * 32,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "UPLOAD_DIR": upload_dir,
        "BASE_URL": "http://stellary.bench",
    })
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("SMTP_HOST", None)
    app = create_app(Config())
    with app.app_context():
        upgrade()
    return app


# Seeding

def _ok(response, status: int = 200):
    """`response`, when its status is `status`. Raises RuntimeError otherwise."""
    if response.status_code != status:
        raise RuntimeError(f"{response.request.method} {response.request.path}: "
                           f"{response.status_code} {response.get_data(as_text=True)[:500]}")
    return response


class Bearer:
    """A test client speaking JSON for one bearer token."""

    def __init__(self, client, token: str):
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}

    def get(self, path):
        return self.client.get(path, headers=self.headers)

    def post(self, path, body):
        return self.client.post(path, json=body, headers=self.headers)

    def patch(self, path, body):
        return self.client.patch(path, json=body, headers=self.headers)


def _csrf_token(html: str) -> str:
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', html).group(1)


def owner_clients(app) -> tuple[Bearer, object, str]:
    """Register the board owner with organization `bench` and workspace `board`; return an
    API client (JWT), a browser-like client logged in through the login form, and the
    owner's id."""
    api_client = app.test_client()
    email = "owner@bench.test"
    registered = _ok(api_client.post("/auth/register", json={
        "email": email, "password": PASSWORD, "name": "Bench Owner"}), 201).json
    api = Bearer(api_client, registered["access_token"])
    _ok(api.post("/organizations", {"name": "Bench", "slug": ORG}), 201)
    _ok(api.post(f"/orgs/{ORG}/workspaces", {"name": "Board", "slug": WORKSPACE}), 201)

    browser = app.test_client()
    login_page = _ok(browser.get("/login")).get_data(as_text=True)
    _ok(browser.post("/login", data={"email": email, "password": PASSWORD,
                                     "csrf_token": _csrf_token(login_page)}), 302)
    return api, browser, registered["user"]["id"]


def seed_board(app, api: Bearer, owner_id: str, size: int) -> tuple[str, list[str]]:
    """A project of `size` cards spread over its three columns (SHARE_BY_COLUMN), each card
    with a checklist, some with a description, a priority, a due date or an assignee.
    Cards are inserted in bulk, their numbers reserved under the project lock as the card
    service does. Returns the project id and its column ids."""
    project_id = _ok(api.post(API, {"name": f"Board of {size}"}), 201).json["id"]
    column_ids = [c["id"] for c in _ok(api.get(f"{API}/{project_id}/columns")).json]
    counts = [int(size * share) for share in SHARE_BY_COLUMN]
    counts[0] += size - sum(counts)
    with app.app_context():
        number = lock_project(project_id, reserve_numbers=size)
        now = utcnow()
        cards, items = [], []
        for column_id, count in zip(column_ids, counts):
            for order in range(count):
                card_id = new_id()
                cards.append({
                    "id": card_id, "project_id": project_id, "column_id": column_id,
                    "number": number, "title": f"Card {number}: a task of the bench board",
                    "description": "Some details about the task." if number % 3 == 0 else None,
                    "priority": ("low", "medium", "high", None)[number % 4],
                    "due_date": now + timedelta(days=number % 40 - 10) if number % 5 == 0 else None,
                    "assignee_id": owner_id if number % 2 == 0 else None,
                    "order": order, "archived": False, "version": 1,
                    "created_at": now, "updated_at": now})
                items.extend({"id": new_id(), "card_id": card_id, "title": f"Step {n}",
                              "done": (number + n) % 2 == 0, "order": n}
                             for n in range(CHECKLIST_ITEMS))
                number += 1
        db.session.execute(sa.insert(Card), cards)
        db.session.execute(sa.insert(ChecklistItem), items)
        db.session.commit()
        db.session.execute(sa.text("ANALYZE cards"))
        db.session.execute(sa.text("ANALYZE checklist_items"))
        db.session.commit()
    return project_id, column_ids


# Measuring

class StatementCounter:
    """Counts the SQL statements sent through the application's engine."""

    def __init__(self, engine):
        self.count = 0
        sa.event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, *_):
        self.count += 1


def measure(name: str, counter: StatementCounter, request: Callable[[int], object],
            samples_wanted: int = SAMPLES) -> Figures:
    """Call `request(i)` WARMUP times, then time it `samples_wanted` times. `statements` is
    the most SQL statements one timed request issued. Raises RuntimeError when an answer
    is not a success."""
    for i in range(WARMUP):
        _ok(request(i))
    samples, statements, size = [], 0, 0
    for i in range(WARMUP, WARMUP + samples_wanted):
        counter.count = 0
        started = time.perf_counter()
        response = request(i)
        samples.append((time.perf_counter() - started) * 1000)
        _ok(response)
        statements = max(statements, counter.count)
        size = len(response.get_data())
    return Figures(name, samples, statements, size)


def bench_size(app, api: Bearer, browser, owner_id: str, counter: StatementCounter,
               size: int) -> tuple[list[Figures], int]:
    """Seed a board of `size` cards and measure its requests. Returns the figures and the
    number of cards the board page shows."""
    project_id, column_ids = seed_board(app, api, owner_id, size)
    todo, doing = column_ids[0], column_ids[1]
    page = f"{PAGE}/{project_id}"
    with app.app_context():
        todo_ids = list(db.session.scalars(sa.select(Card.id).where(Card.column_id == todo)
                                           .order_by(Card.order)))
        doing_top = db.session.scalar(sa.select(Card.id).where(Card.column_id == doing, Card.order == 0))
    # The last card of To Do goes to the top of In Progress and back, so every move shifts
    # the cards of both columns.
    mover, todo_top = todo_ids[-1], todo_ids[0]
    html = _ok(browser.get(page)).get_data(as_text=True)
    shown = html.count('data-card-id="')
    htmx = {"HX-Request": "true", "X-CSRFToken": _csrf_token(html)}

    def api_move(i: int):
        target = doing if i % 2 == 0 else todo
        return api.patch(f"{API}/{project_id}/cards/{mover}", {"columnId": target, "order": 0})

    def page_move(i: int):
        target, before = (doing, doing_top) if i % 2 == 0 else (todo, todo_top)
        return browser.post(f"{page}/board/cards/{mover}/move", headers=htmx,
                            data={"column_id": target, "before_id": before})

    figures = [measure("board page", counter, lambda i: browser.get(page))]
    if len(todo_ids) > PAGE_SIZE:
        figures.append(measure("next cards (lazy load)", counter, lambda i: browser.get(
            f"{page}/board/columns/{todo}/cards?offset={PAGE_SIZE}")))
    figures += [
        measure("card move (board page)", counter, page_move),
        measure("GET …/cards (API)", counter, lambda i: api.get(f"{API}/{project_id}/cards")),
        measure("card move (API PATCH)", counter, api_move),
    ]
    return figures, shown


def print_table(size: int, figures: list[Figures], trivial: Figures, shown: int) -> None:
    print(f"\n{size:,} cards (board page shows {shown} of them)")
    header = f"  {'request':<26}{'median ms':>10}{'p95 ms':>9}{'× trivial':>11}{'SQL':>6}{'KB':>9}"
    print(header)
    print("  " + "-" * (len(header) - 2))
    for f in [*figures, trivial]:
        print(f"  {f.name:<26}{f.median:>10.2f}{f.p95:>9.2f}{f.median / trivial.median:>11.1f}"
              f"{f.statements:>6}{f.size / 1024:>9.1f}")


def main() -> int:
    base_url = os.environ.get("BENCH_DATABASE_URL")
    if not base_url or not base_url.startswith(("postgres://", "postgresql")):
        print("Set BENCH_DATABASE_URL to a PostgreSQL URL, e.g. "
              "postgresql://postgres@127.0.0.1:5432/test", file=sys.stderr)
        return 2
    _exit_on_sigterm()
    started = time.perf_counter()
    with throwaway_database(base_url) as database_url, tempfile.TemporaryDirectory() as uploads:
        app = build_app(database_url, uploads)
        with app.app_context():
            engine = db.engine
        try:
            counter = StatementCounter(engine)
            api, browser, owner_id = owner_clients(app)
            print(f"Server time through the WSGI stack on PostgreSQL: {WARMUP} warm-up requests, "
                  f"then {SAMPLES} samples each. × trivial = median / median of GET /healthz.")
            for size in SIZES:
                figures, shown = bench_size(app, api, browser, owner_id, counter, size)
                trivial = measure("trivial (GET /healthz)", counter, lambda i: api.get("/healthz"),
                                  TRIVIAL_SAMPLES)
                print_table(size, figures, trivial, shown)
        finally:
            engine.dispose()
    print(f"\nDone in {time.perf_counter() - started:.0f} s; the bench database was dropped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
