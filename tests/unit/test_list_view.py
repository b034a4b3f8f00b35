"""The list view's rules: parsing the sort and grouping, sorting (values missing last in
both directions, ties in board order), groups in their order, and a board's cards loaded in
a constant number of queries."""
import pytest
import sqlalchemy as sa

from app.errors import Invalid
from app.extensions import db
from app.models.board import Card
from app.services import card_marks, cards, columns, list_view, scopes
from app.services.list_view import ListQuery
from tests.board_helpers import bulk_cards
from tests.card_depth_helpers import crew  # noqa: F401


def _card(crew, title, column=0, **fields):
    return cards.create_card(crew.jane, crew.columns[column].id, title=title, **fields)


@pytest.fixture()
def spread(crew):
    """Cards across the board (besides crew.card, "Fix login" in To Do, no values):
    in To Do "beta" (low, due 12-10, Bob), in In Progress "Alpha" (high, due 12-01, Jane),
    in Done "gamma" (high, no due date, Bob, checklist half done)."""
    beta = _card(crew, "beta", 0, priority="low", dueDate="2026-12-10", assigneeId=crew.bob.id)
    alpha = _card(crew, "Alpha", 1, priority="high", dueDate="2026-12-01", assigneeId=crew.jane.id)
    gamma = _card(crew, "gamma", 2, priority="high", assigneeId=crew.bob.id,
                  checklist=[{"title": "a", "done": True}, {"title": "b"}])
    db.session.commit()
    return crew.card, beta, alpha, gamma


def _titles(crew, query: ListQuery) -> list[list[str]]:
    board = list_view.load_board(crew.access, None)
    return [[c.title for c in group.cards] for group in list_view.arrange(board, query)]


def test_parse_query_takes_the_defaults_and_refuses_the_rest():
    assert list_view.parse_query({}) == ListQuery("column", "asc", "")
    assert list_view.parse_query({"sort": "due", "dir": "desc", "group": "assignee"}) == ListQuery("due", "desc", "assignee")
    for args, field in (({"sort": "colour"}, "sort"), ({"dir": "up"}, "dir"), ({"group": "label"}, "group")):
        with pytest.raises(Invalid) as error:
            list_view.parse_query(args)
        assert error.value.field == field


def test_query_args_and_header_toggles():
    assert ListQuery().args() == {}
    assert ListQuery("due", "desc", "priority").args() == {"sort": "due", "dir": "desc", "group": "priority"}
    assert ListQuery("due", "asc").toggled("due") == ListQuery("due", "desc")
    assert ListQuery("due", "desc").toggled("due") == ListQuery("due", "asc")
    assert ListQuery("due", "desc", "column").toggled("title") == ListQuery("title", "asc", "column")


def test_sorts_put_missing_values_last_both_ways(crew, spread):
    assert _titles(crew, ListQuery()) == [["Fix login", "beta", "Alpha", "gamma"]]
    assert _titles(crew, ListQuery("column", "desc")) == [["gamma", "Alpha", "beta", "Fix login"]]
    assert _titles(crew, ListQuery("key")) == [["Fix login", "beta", "Alpha", "gamma"]]
    assert _titles(crew, ListQuery("key", "desc")) == [["gamma", "Alpha", "beta", "Fix login"]]
    assert _titles(crew, ListQuery("title")) == [["Alpha", "beta", "Fix login", "gamma"]]
    assert _titles(crew, ListQuery("due")) == [["Alpha", "beta", "Fix login", "gamma"]]
    assert _titles(crew, ListQuery("due", "desc")) == [["beta", "Alpha", "Fix login", "gamma"]]
    # High first ascending; equal priorities keep the board order in both directions.
    assert _titles(crew, ListQuery("priority")) == [["Alpha", "gamma", "beta", "Fix login"]]
    assert _titles(crew, ListQuery("priority", "desc")) == [["beta", "Alpha", "gamma", "Fix login"]]
    assert _titles(crew, ListQuery("assignee")) == [["beta", "gamma", "Alpha", "Fix login"]]
    assert _titles(crew, ListQuery("progress", "desc")) == [["gamma", "Fix login", "beta", "Alpha"]]


def test_groups_come_in_their_order_each_sorted(crew, spread):
    assert _titles(crew, ListQuery("due", "asc", "column")) == [["beta", "Fix login"], ["Alpha"], ["gamma"]]
    assert _titles(crew, ListQuery("column", "asc", "priority")) == [["Alpha", "gamma"], ["beta"], ["Fix login"]]
    assert _titles(crew, ListQuery("title", "desc", "assignee")) == [["gamma", "beta"], ["Alpha"], ["Fix login"]]
    board = list_view.load_board(crew.access, None)
    titles = [g.title for g in list_view.arrange(board, ListQuery(group="assignee"))]
    assert titles == ["Bob", "Jane", "Unassigned"]
    assert [g.title for g in list_view.arrange(board, ListQuery(group="priority"))] == ["High", "Low", "No priority"]
    assert [g.title for g in list_view.arrange(board, ListQuery(group="column"))] == [c.name for c in crew.columns]


def test_a_scope_lists_its_own_cards(crew, spread):
    scope = scopes.create_scope(crew.access, {"name": "Sprint"})
    scope_columns = columns.list_columns(crew.access, scope.id)
    inside = cards.create_card(crew.jane, scope_columns[1].id, title="In the sprint")
    archived = cards.create_card(crew.jane, scope_columns[1].id, title="Shelved")
    cards.archive_card(crew.jane, archived.id)
    board = list_view.load_board(crew.access, scope)
    assert [c.id for c in board.cards] == [inside.id]
    assert [c.id for c in board.columns] == [c.id for c in scope_columns]
    assert "Shelved" not in [c.title for c in list_view.load_board(crew.access, None).cards]


def test_board_column_is_one_of_the_board(crew):
    scope = scopes.create_scope(crew.access, {"name": "Sprint"})
    other = columns.list_columns(crew.access, scope.id)[0]
    assert list_view.board_column(crew.columns, crew.columns[2].id) is crew.columns[2]
    for value in (other.id, "", "nonsense"):
        with pytest.raises(Invalid) as error:
            list_view.board_column(crew.columns, value)
        assert error.value.field == "column"


def test_loading_costs_the_same_queries_whatever_the_cards(crew):
    def statements() -> int:
        seen = []
        record = lambda *args: seen.append(args[2])  # noqa: E731
        sa.event.listen(db.engine, "before_cursor_execute", record)
        try:
            board = list_view.load_board(crew.access, None)
            for group in list_view.arrange(board, ListQuery("assignee", "asc", "assignee")):
                for card in group.cards:
                    (card.assignee, card.column.name, card.checklist_items, card_marks.marks_of(card))
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", record)
        return len(seen)

    ids = bulk_cards(crew.access.project.id, crew.columns[0].id, 10, checklist=2)
    db.session.execute(sa.update(Card).where(Card.id.in_(ids[::2])).values(assignee_id=crew.bob.id))
    db.session.commit()
    few = statements()
    bulk_cards(crew.access.project.id, crew.columns[1].id, 990, checklist=2)
    db.session.commit()
    db.session.expire_all()
    assert statements() == few
