"""Portfolio: per reachable project, cards by status and priority, overdue, completion, activity."""
from datetime import datetime, timezone

from app.services import cards, portfolio
from tests.board_helpers import board, join, team_workspace, user, ws

NOW = datetime(2026, 5, 1, tzinfo=timezone.utc)


def test_summaries_count_active_cards_of_reachable_projects():
    owner = user("owner@acme.test")
    workspace = team_workspace(owner)
    member = user("member@acme.test")
    join(member, workspace)
    web, cols = board(owner, "Web")
    board(member, "Mine")
    cards.create_card(owner, cols[0].id, title="late", priority="high", dueDate="2026-04-01")
    cards.create_card(owner, cols[1].id, title="soon", priority="low", dueDate="2026-06-01")
    cards.create_card(owner, cols[2].id, title="done late", dueDate="2026-04-01")
    last = cards.create_card(owner, cols[2].id, title="done", priority="high")
    gone = cards.create_card(owner, cols[0].id, title="gone", dueDate="2026-01-01")
    cards.archive_card(owner, gone.id)

    summaries = {s.project.name: s for s in portfolio.portfolio(ws(owner), now=NOW)}
    web_summary = summaries["Web"]
    assert web_summary.by_status == {"todo": 1, "in_progress": 1, "done": 2}
    assert web_summary.by_priority == {"high": 2, "medium": 0, "low": 1, "none": 1}
    assert (web_summary.total, web_summary.overdue, web_summary.completion, web_summary.archived) == (4, 1, 50, 1)
    assert web_summary.last_activity >= last.updated_at
    assert (summaries["Mine"].total, summaries["Mine"].completion) == (0, 0)
    assert [s.project.name for s in portfolio.portfolio(ws(member), now=NOW)] == ["Mine"]
