"""The card list and the move endpoint issue the same number of SQL statements whatever the
number of cards (10 or 1,000 here)."""
import sqlalchemy as sa

from app.extensions import db
from tests.board_helpers import bulk_cards, column_ids, new_project, project_path, team  # noqa: F401


def count_statements(call):
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = call()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 200, response.json
    return response, len(statements)


def board_with(api, name, count):
    project = new_project(api, name)
    todo, doing, _ = column_ids(api, project)
    ids = bulk_cards(project["id"], todo, count, checklist=2)
    bulk_cards(project["id"], doing, 3)
    db.session.commit()
    return project_path(project), todo, doing, ids


def measure(api, path, todo, doing, ids):
    middle = ids[len(ids) // 2]
    listed, list_count = count_statements(lambda: api.get(path + "/cards"))
    inside, inside_count = count_statements(
        lambda: api.patch(f"{path}/cards/{middle}", json={"columnId": todo, "order": 0}))
    across, across_count = count_statements(
        lambda: api.patch(f"{path}/cards/{ids[1]}", json={"columnId": doing, "order": 1}))
    assert len(listed.json) == len(ids) + 3
    assert all(len(c["checklist"]) == 2 for c in listed.json if c["columnId"] == todo)
    assert (inside.json["order"], across.json["columnId"], across.json["order"]) == (0, doing, 1)
    orders = sorted(c["order"] for c in api.get(path + "/cards").json if c["columnId"] == todo)
    assert orders == list(range(len(ids) - 1))
    return list_count, inside_count, across_count


def test_list_and_move_cost_the_same_at_10_and_1000_cards(team):
    small = board_with(team.member, "Small", 10)
    large = board_with(team.member, "Large", 1000)
    team.member.get(small[0] + "/cards")  # first request of the connection pool out of the way
    small_counts = measure(team.member, *small)
    large_counts = measure(team.member, *large)
    assert small_counts == large_counts
    assert max(small_counts) <= 26
