"""The scopes migration goes down and up again without touching the cards of project boards
(on SQLite, dropping `board_columns.scope_id` rebuilds the table, which must not cascade)."""
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from app.extensions import db
from tests.board_helpers import board, bulk_cards, team_workspace, user


def _count(table: str) -> int:
    return db.session.scalar(sa.text(f"SELECT count(*) FROM {table}"))


def test_downgrade_and_upgrade_keep_project_cards():
    ada = user("ada@example.com")
    team_workspace(ada)
    access, columns = board(ada)
    bulk_cards(access.project.id, columns[0].id, 3, checklist=1)
    db.session.commit()
    db.session.remove()
    try:
        downgrade(revision="0006_card_depth")
        assert (_count("board_columns"), _count("cards"), _count("checklist_items")) == (3, 3, 3)
    finally:
        db.session.remove()
        upgrade()
    assert (_count("board_columns"), _count("cards")) == (3, 3)
    assert db.session.scalar(sa.text("SELECT count(*) FROM board_columns WHERE scope_id IS NULL")) == 3
