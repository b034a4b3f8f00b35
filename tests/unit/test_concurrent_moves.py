"""Concurrent moves (several clients at once, each its own session and connection) never leave
duplicate or missing orders: the project lock serializes renumbering. Runs on SQLite and on
PostgreSQL, whichever the suite targets."""
import random
import threading

import pytest

from app.extensions import db
from app.models.identity import User
from app.services import cards
from tests.board_helpers import active_orders, board, bulk_cards, team_workspace, user

THREADS = 6
MOVES_PER_THREAD = 25


@pytest.mark.parametrize("across_columns", [False, True], ids=["one-column", "two-columns"])
def test_concurrent_moves_keep_orders_dense(app, across_columns):
    owner = user("owner@acme.test")
    team_workspace(owner)
    access, cols = board(owner)
    first, second = cols[0].id, cols[1].id
    card_ids = bulk_cards(access.project.id, first, 30)
    if across_columns:
        card_ids += bulk_cards(access.project.id, second, 10)
    db.session.commit()
    owner_id, targets = owner.id, [first, second] if across_columns else [first]

    start = threading.Barrier(THREADS)
    errors = []

    def client(seed):
        rng = random.Random(seed)
        with app.app_context():
            actor = db.session.get(User, owner_id)
            start.wait()
            try:
                for _ in range(MOVES_PER_THREAD):
                    cards.move_card(actor, rng.choice(card_ids), rng.choice(targets), rng.randrange(0, 35))
                    db.session.commit()
            except Exception as error:  # reported below with the thread's seed
                db.session.rollback()
                errors.append((seed, repr(error)))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=client, args=(seed,)) for seed in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    db.session.expire_all()
    counts = [len(active_orders(column_id)) for column_id in (first, second)]
    assert sum(counts) == len(card_ids)
    for column_id, count in zip((first, second), counts):
        assert active_orders(column_id) == list(range(count))
