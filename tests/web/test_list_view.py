"""The list view of a board: the board's active cards as rows (the scope's, not the project
board's), sorting by header, grouping, inline edits of a row (refusals inline, nothing
saved), bulk actions on checked rows (all or nothing; another project's card refuses the
whole action), reach, CSRF, the remembered view, and a constant number of SQL statements
whatever the card count."""
import re
from datetime import timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models.board import Card
from app.services import cards, columns, labels, projects
from app.timeutil import utcnow
from tests.board_helpers import board, bulk_cards
from tests.web.board_support import HX, html, user_named, new_scope, world  # noqa: F401
from tests.web.identity_support import csrf_token
from tests.web.test_board_page import count_statements


def rows(page: str) -> list[str]:
    """Card ids of the rows shown, in page order."""
    return re.findall(r'<tr id="list-row-([0-9a-f]{24})"', page)


def groups(page: str) -> list[tuple[str, list[str]]]:
    """(group heading, card ids) of each group shown, in page order."""
    found = []
    for part in page.split('<tbody data-group="')[1:]:
        heading = re.search(r'scope="rowgroup">([^<]*?) <span', part)
        found.append((heading.group(1) if heading else "", rows(part.split("</tbody>")[0])))
    return found


def row(page: str, card_id: str) -> str:
    start = page.index(f'<tr id="list-row-{card_id}"')
    return page[start:page.index("</tr>", start)]


def message(page: str) -> str:
    """The message the list's table shows (not the page's flashes)."""
    table = page[page.index('<div id="list-table"'):]
    found = re.search(r'^\s*<div class="flash flash-\w+" role="\w+">([^<]*)</div>', table.split("\n", 1)[1])
    return found.group(1) if found else ""


def new_card(world, title: str, column: int | str = 0, **fields) -> str:
    column_id = world.column(column) if isinstance(column, int) else column
    card = cards.create_card(user_named("ada@example.com"), column_id, title=title, **fields)
    db.session.commit()
    return card.id


def ada_access(world):
    return projects.project_access(user_named("ada@example.com"), "acme", "eng", world.project_id)


def stored(card_id: str) -> Card:
    db.session.expire_all()
    return db.session.get(Card, card_id)


def snapshot(ids) -> list[tuple]:
    return [(c.column_id, c.order, c.assignee_id, c.priority, c.archived, c.version)
            for c in (stored(i) for i in ids)]


def edit(world, card_id: str, field: str, value: str, client=None, headers=HX, **data):
    return (client or world.bob).post(f"{world.url}/list/cards/{card_id}", headers=headers,
                                      data={field: value, **data})


def row_form(page: str, card_id: str) -> dict[str, str]:
    """What the row of `card_id` posts as shown: its fields' values and the card version."""
    shown = row(page, card_id)
    values = {"version": re.search(r'name="version" value="(\d+)"', shown).group(1),
              "due_date": re.search(r'name="due_date"[^>]*value="([^"]*)"', shown).group(1)}
    for field in ("column", "priority", "assignee"):
        select = re.search(rf'<select name="{field}".*?</select>', shown, re.S).group(0)
        picked = re.search(r'<option value="([^"]*)" selected>', select) or re.search(r'<option value="([^"]*)"', select)
        values[field] = picked.group(1)
    return values


def bulk(world, action: str, ids, client=None, headers=HX, **data):
    return (client or world.bob).post(f"{world.url}/list/bulk", headers=headers,
                                      data={"action": action, "card": list(ids), **data})


# The page ------------------------------------------------------------------------------------

def test_rows_show_what_a_card_carries(world):
    bob = user_named("bob@example.com")
    late = new_card(world, "Late <b>report</b>", 1, priority="high", assigneeId=bob.id,
                    dueDate=(utcnow() - timedelta(days=2)).strftime("%Y-%m-%d"),
                    checklist=[{"title": "a", "done": True}, {"title": "b"}, {"title": "c"}])
    finished = new_card(world, "Finished", 2, dueDate="2020-01-01")
    plain = new_card(world, "Plain")
    shelved = new_card(world, "Shelved")
    cards.archive_card(user_named("ada@example.com"), shelved)
    bug = labels.create_label(ada_access(world), "Bug", "#ff0000")
    labels.assign_label(user_named("ada@example.com"), late, bug.id)
    db.session.commit()

    page = html(world.bob.get(f"{world.url}/list"))
    assert rows(page) == [plain, late, finished]  # board order; the archived card is not listed
    number = stored(late).number
    shown = row(page, late)
    assert f">WEB-{number}<" in shown
    assert f'<a href="{world.url}/cards/{late}">Late &lt;b&gt;report&lt;/b&gt;</a>' in shown
    assert f'<option value="{world.column(1)}" selected>In Progress</option>' in shown
    assert '<option value="high" selected>High</option>' in shown
    assert f'<option value="{bob.id}" selected>Bob Example</option>' in shown
    assert 'class="list-overdue"' in shown and "Overdue" in shown
    assert "Bug</li>" in shown
    assert ">1/3<" in shown and 'data-progress="33"' in shown
    # A past due date in a done column is not late.
    assert "Overdue" not in row(page, finished) and 'value="2020-01-01"' in row(page, finished)
    assert '<option value="" selected>None</option>' in row(page, plain)
    assert '<option value="" selected>Unassigned</option>' not in row(page, plain)  # nothing selected: the first
    assert '<a href="' in page and 'aria-current="page" class="active">List</a>' in page


def test_a_scope_lists_its_own_cards(world):
    scope, scope_columns = new_scope(world)
    ours = new_card(world, "In the sprint", scope_columns[1])
    theirs = new_card(world, "On the project board")
    page = html(world.bob.get(f"{world.url}/list?scope={scope.id}"))
    assert rows(page) == [ours]
    assert f'name="scope" value="{scope.id}"' in page
    assert [f'<option value="{c}"' in row(page, ours) for c in scope_columns] == [True] * 3
    assert f'value="{world.column(0)}"' not in row(page, ours)
    assert rows(html(world.bob.get(f"{world.url}/list"))) == [theirs]


# Sorting and grouping ------------------------------------------------------------------------

def spread(world) -> dict[str, str]:
    ada, bob = user_named("ada@example.com"), user_named("bob@example.com")
    return {
        "none": new_card(world, "Nothing set"),
        "beta": new_card(world, "beta", 0, priority="low", dueDate="2026-12-10", assigneeId=bob.id),
        "alpha": new_card(world, "Alpha", 1, priority="high", dueDate="2026-12-01", assigneeId=ada.id),
        "gamma": new_card(world, "gamma", 2, priority="high", assigneeId=bob.id),
    }


def test_headers_sort_the_table_on_the_server(world):
    c = spread(world)
    default = html(world.bob.get(f"{world.url}/list"))
    assert rows(default) == [c["none"], c["beta"], c["alpha"], c["gamma"]]
    assert f'href="{world.url}/list?sort=due"' in default  # a header link: that field ascending
    due = world.bob.get(f"{world.url}/list?sort=due&dir=asc", headers=HX)
    assert due.status_code == 200 and due.headers["HX-Push-Url"] == f"{world.url}/list?sort=due"
    assert html(due).startswith('<div id="list-table"')  # the table only, for the swap
    assert rows(html(due)) == [c["alpha"], c["beta"], c["none"], c["gamma"]]
    assert 'aria-sort="ascending"' in html(due) and f'href="{world.url}/list?sort=due&amp;dir=desc"' in html(due)
    assert rows(html(world.bob.get(f"{world.url}/list?sort=due&dir=desc"))) == [c["beta"], c["alpha"], c["none"], c["gamma"]]
    assert rows(html(world.bob.get(f"{world.url}/list?sort=priority"))) == [c["alpha"], c["gamma"], c["beta"], c["none"]]
    assert rows(html(world.bob.get(f"{world.url}/list?sort=title&dir=desc"))) == [c["none"], c["gamma"], c["beta"], c["alpha"]]
    assert rows(html(world.bob.get(f"{world.url}/list?sort=assignee"))) == [c["alpha"], c["beta"], c["gamma"], c["none"]]
    assert rows(html(world.bob.get(f"{world.url}/list?sort=key&dir=desc"))) == [c["gamma"], c["alpha"], c["beta"], c["none"]]


def test_a_bad_sort_shows_the_board_order_and_why(world):
    c = spread(world)
    response = world.bob.get(f"{world.url}/list?sort=colour&group=column")
    assert response.status_code == 400
    assert "sort must be one of" in message(html(response))
    assert rows(html(response)) == [c["none"], c["beta"], c["alpha"], c["gamma"]]


def test_groups_in_their_order(world):
    c = spread(world)
    by_column = world.bob.get(f"{world.url}/list?group=column&sort=due", headers=HX)
    assert by_column.headers["HX-Push-Url"] == f"{world.url}/list?sort=due&group=column"
    assert groups(html(by_column)) == [("To Do", [c["beta"], c["none"]]), ("In Progress", [c["alpha"]]),
                                       ("Done", [c["gamma"]])]
    by_priority = html(world.bob.get(f"{world.url}/list?group=priority"))
    assert groups(by_priority) == [("High", [c["alpha"], c["gamma"]]), ("Low", [c["beta"]]),
                                   ("No priority", [c["none"]])]
    by_assignee = html(world.bob.get(f"{world.url}/list?group=assignee&sort=title&dir=desc"))
    assert groups(by_assignee) == [("Ada Example", [c["alpha"]]), ("Bob Example", [c["gamma"], c["beta"]]),
                                   ("Unassigned", [c["none"]])]
    # The header links and the bulk form keep the grouping.
    assert f'href="{world.url}/list?sort=due&amp;group=assignee"' in by_assignee
    assert '<input type="hidden" name="group" value="assignee">' in by_assignee


# Inline edits --------------------------------------------------------------------------------

def test_inline_edits_save_and_answer_the_row(world):
    card = new_card(world, "Edit me")
    ada = user_named("ada@example.com")
    answer = edit(world, card, "priority", "high")
    assert answer.status_code == 200 and rows(html(answer)) == [card]
    assert '<option value="high" selected>High</option>' in html(answer)
    assert stored(card).priority == "high"

    assert edit(world, card, "assignee", ada.id).status_code == 200
    assert stored(card).assignee_id == ada.id
    assert f'<option value="{ada.id}" selected>' in html(edit(world, card, "assignee", ada.id))

    past = (utcnow() - timedelta(days=1)).strftime("%Y-%m-%d")
    late = edit(world, card, "due_date", past)
    assert late.status_code == 200 and "Overdue" in html(late)
    assert stored(card).due_date.strftime("%Y-%m-%d") == past

    moved = edit(world, card, "column", world.column(2))
    assert moved.status_code == 200 and f'<option value="{world.column(2)}" selected>Done</option>' in html(moved)
    assert stored(card).column_id == world.column(2)
    assert "Overdue" not in html(moved)  # done now

    for field in ("priority", "assignee", "due_date"):
        assert edit(world, card, field, "").status_code == 200
    cleared = stored(card)
    assert (cleared.priority, cleared.assignee_id, cleared.due_date) == (None, None, None)


def test_inline_refusals_show_the_reason_and_save_nothing(world):
    card = new_card(world, "Stays", priority="low", dueDate="2026-12-01", startDate="2026-11-20")
    new_card(world, "Occupant", 1)
    columns.update_column(ada_access(world), world.column(1), {"wipLimit": 1})
    db.session.commit()
    before = snapshot([card])
    carl = user_named("carl@example.com")
    for field, value, status, reason in (
            ("column", world.column(1), 409, "WIP limit of 1"),
            ("priority", "urgent", 400, "priority must be one of"),
            ("assignee", carl.id, 400, "assigneeId must be a member of the project"),
            ("due_date", "2026-11-01", 400, "startDate"),
            ("due_date", "someday", 400, "dueDate must be an ISO 8601 date")):
        answer = edit(world, card, field, value)
        assert answer.status_code == status, (field, html(answer))
        assert answer.headers["X-Fragment"] == "1"
        shown = html(answer)
        assert reason in shown and 'class="field-error" role="alert"' in shown
        assert rows(shown) == [card] and "refused" in shown
        assert snapshot([card]) == before
    # The row shows the card as saved, not as typed.
    assert '<option value="low" selected>Low</option>' in html(edit(world, card, "priority", "urgent"))


def test_a_row_saves_only_what_changed_on_the_version_it_showed(world):
    ada = user_named("ada@example.com")
    card = new_card(world, "Whole row", priority="low", dueDate="2026-12-01T15:30:00Z")
    page = html(world.bob.get(f"{world.url}/list"))
    form = row_form(page, card)
    assert form == {"version": "1", "column": world.column(0), "priority": "low", "assignee": "",
                    "due_date": "2026-12-01"}
    saved = world.bob.post(f"{world.url}/list/cards/{card}", headers=HX, data={**form, "priority": "high", "card": card})
    assert saved.status_code == 200
    assert " checked>" in html(saved)  # the row stays checked for a bulk action
    changed = stored(card)
    # The due date kept its time of day: it was not changed.
    assert (changed.priority, changed.due_date.hour, changed.version) == ("high", 15, 2)
    # Someone else changes the card; a row still showing version 2 is refused, shown as saved.
    cards.update_card(ada, card, {"assigneeId": ada.id})
    db.session.commit()
    stale = world.bob.post(f"{world.url}/list/cards/{card}", headers=HX,
                           data={**row_form(html(saved), card), "priority": "medium"})
    assert stale.status_code == 409 and "changed meanwhile" in html(stale)
    assert f'<option value="{ada.id}" selected>' in html(stale)
    assert (stored(card).priority, stored(card).assignee_id) == ("high", ada.id)
    assert edit(world, card, "priority", "low", version="x").status_code == 400


def test_a_change_that_moves_the_row_answers_the_table(world):
    first, second = new_card(world, "First"), new_card(world, "Second", 1)
    listed = {"group": "column", "sort": "due", "card": second}  # what the bulk form sends along
    kept = edit(world, first, "priority", "high", **listed)
    assert kept.status_code == 200 and "HX-Retarget" not in kept.headers and rows(html(kept)) == [first]
    moved = edit(world, first, "column", world.column(1), **listed)
    assert moved.status_code == 200
    assert (moved.headers["HX-Retarget"], moved.headers["HX-Reswap"]) == ("#list-table", "outerHTML")
    assert groups(html(moved)) == [("In Progress", [second, first])]
    assert " checked>" in row(html(moved), second) and " checked>" not in row(html(moved), first)
    dated = edit(world, first, "due_date", "2026-12-05", **listed)
    assert dated.headers["HX-Retarget"] == "#list-table"
    assert groups(html(dated)) == [("In Progress", [first, second])]
    resorted = edit(world, second, "due_date", "2026-12-01", **listed)
    assert groups(html(resorted)) == [("In Progress", [second, first])]


def test_inline_edits_reach_only_this_projects_cards(world):
    scope, scope_columns = new_scope(world)
    other, other_columns = board(user_named("ada@example.com"), "Elsewhere")
    foreign = cards.create_card(user_named("ada@example.com"), other_columns[0].id, title="Theirs")
    card = new_card(world, "Ours")
    db.session.commit()
    assert edit(world, foreign.id, "priority", "high", client=world.ada).status_code == 404
    assert stored(foreign.id).priority is None
    assert edit(world, card, "title", "Renamed").status_code == 200  # not a field of the row
    assert stored(card).title == "Ours"
    assert edit(world, card, "priority", "high", client=world.carl).status_code == 404
    # A row moves only within its own board.
    refused = edit(world, card, "column", scope_columns[0])
    assert refused.status_code == 400 and stored(card).column_id == world.column(0)
    assert "Choose a column of this board" in html(refused)


def test_inline_edits_work_without_javascript(world):
    scope, scope_columns = new_scope(world)
    card = new_card(world, "Plain form", scope_columns[0])
    saved = edit(world, card, "priority", "medium", headers={})
    assert saved.status_code == 302 and saved.location.endswith(f"{world.url}/list?scope={scope.id}")
    refused = edit(world, card, "priority", "urgent", headers={})
    assert refused.status_code == 302
    assert "priority must be one of" in html(world.bob.get(refused.location))
    assert stored(card).priority == "medium"


# Bulk actions --------------------------------------------------------------------------------

def test_bulk_move_assign_label_archive(world):
    ids = [new_card(world, f"Card {n}") for n in range(3)]
    bob = user_named("bob@example.com")
    moved = bulk(world, "move", ids[:2], to_column=world.column(1), group="column")
    assert moved.status_code == 200 and message(html(moved)) == "Moved 2 cards to In Progress."
    assert groups(html(moved)) == [("To Do", [ids[2]]), ("In Progress", ids[:2])]
    assert [stored(i).column_id for i in ids] == [world.column(1), world.column(1), world.column(0)]

    assigned = bulk(world, "assign", ids, to_assignee=bob.id, to_column=world.column(2))
    assert message(html(assigned)) == "Assigned 3 cards to Bob Example."
    assert {stored(i).assignee_id for i in ids} == {bob.id}
    assert stored(ids[0]).column_id == world.column(1)  # only the action clicked
    unassigned = bulk(world, "assign", ids[:1], to_assignee="")
    assert message(html(unassigned)) == "Unassigned 1 card." and stored(ids[0]).assignee_id is None

    bug = labels.create_label(ada_access(world), "Bug <x>", "#ff0000")
    db.session.commit()
    page = html(world.bob.get(f"{world.url}/list"))
    assert f'<option value="{bug.id}">Bug &lt;x&gt;</option>' in page
    labelled = bulk(world, "label", ids[1:], label=bug.id)
    assert message(html(labelled)) == "Added the label Bug &lt;x&gt; to 2 cards."
    assert "Bug &lt;x&gt;</li>" in row(html(labelled), ids[1]) and "Bug &lt;x&gt;</li>" not in row(html(labelled), ids[0])

    archived = bulk(world, "archive", ids[::2])
    assert message(html(archived)) == "Archived 2 cards." and rows(html(archived)) == [ids[1]]
    assert [stored(i).archived for i in ids] == [True, False, True]
    again = bulk(world, "assign", ids[1:2], to_assignee=bob.id)
    assert message(html(again)).startswith("Nothing changed")


def test_a_refused_bulk_action_changes_no_card(world):
    ids = [new_card(world, f"Card {n}") for n in range(3)]
    new_card(world, "Occupant", 1)
    columns.update_column(ada_access(world), world.column(1), {"wipLimit": 3})
    db.session.commit()
    before = snapshot(ids)
    refused = bulk(world, "move", ids, to_column=world.column(1), sort="title")
    assert refused.status_code == 409 and refused.headers["X-Fragment"] == "1"
    shown = html(refused)
    assert "WIP limit of 3" in message(shown)
    assert snapshot(ids) == before  # the first two moved in the transaction, then all undone
    assert all(f'value="{i}" form="list-bulk" aria-label="Check WEB-' in shown for i in ids)
    assert all(" checked>" in row(shown, i) for i in ids)  # still checked, to try again
    assert '<input type="hidden" name="sort" value="title">' in shown

    nothing = bulk(world, "archive", [])
    assert nothing.status_code == 400 and message(html(nothing)) == "Check at least one card"
    no_column = bulk(world, "move", ids, to_column="")
    assert no_column.status_code == 400 and message(html(no_column)) == "Choose a column"
    scope, scope_columns = new_scope(world)
    other_board = bulk(world, "move", ids, to_column=scope_columns[0])
    assert other_board.status_code == 400 and message(html(other_board)) == "Choose a column of this board"
    unknown = bulk(world, "delete", ids)
    assert unknown.status_code == 400
    assert snapshot(ids) == before


def test_another_projects_card_refuses_the_whole_action(world):
    ids = [new_card(world, f"Card {n}") for n in range(2)]
    other, other_columns = board(user_named("ada@example.com"), "Elsewhere")
    foreign = cards.create_card(user_named("ada@example.com"), other_columns[0].id, title="Theirs")
    db.session.commit()
    before = snapshot(ids + [foreign.id])
    for action, extra in (("archive", {}), ("move", {"to_column": world.column(2)}), ("assign", {"to_assignee": ""})):
        refused = bulk(world, action, ids + [foreign.id], client=world.ada, **extra)
        assert refused.status_code == 404
    assert bulk(world, "archive", ids, client=world.carl).status_code == 404
    foreign_label = labels.create_label(other, "Theirs", "#00ff00")
    db.session.commit()
    assert bulk(world, "label", ids, client=world.ada, label=foreign_label.id).status_code == 404
    assert snapshot(ids + [foreign.id]) == before


def test_bulk_actions_work_without_javascript(world):
    ids = [new_card(world, f"Card {n}") for n in range(2)]
    done = bulk(world, "archive", ids, headers={}, group="priority")
    assert done.status_code == 302 and done.location.endswith(f"{world.url}/list?group=priority")
    assert "Archived 2 cards." in html(world.bob.get(done.location))
    refused = bulk(world, "move", [], headers={}, to_column=world.column(1))
    assert refused.status_code == 302
    assert "Check at least one card" in html(world.bob.get(refused.location))


# CSRF ----------------------------------------------------------------------------------------

def test_changes_need_the_csrf_token_when_it_is_enforced(app, world):
    card = new_card(world, "Guarded")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert edit(world, card, "priority", "high").status_code == 400
        assert bulk(world, "archive", [card]).status_code == 400
        assert snapshot([card])[0][3:5] == (None, False)
        page = html(world.bob.get(f"{world.url}/list"))
        token = csrf_token(page)
        assert page.count("<form ") - 1 == page.count(f'name="csrf_token" value="{token}"')  # all but the GET one
        assert edit(world, card, "priority", "high", headers={**HX, "X-CSRFToken": token}).status_code == 200
        plain = world.bob.post(f"{world.url}/list/bulk", data={"action": "archive", "card": card, "csrf_token": token})
        assert plain.status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert snapshot([card])[0][3:5] == ("high", True)


# Cost ----------------------------------------------------------------------------------------

def list_with(count: int, name: str) -> str:
    """A project of Ada's with `count` cards in To Do (two checklist items each, a third
    assigned and prioritized, labelled) and 3 in In Progress."""
    ada = user_named("ada@example.com")
    access, cols = board(ada, name)
    ids = bulk_cards(access.project.id, cols[0].id, count, checklist=2)
    bulk_cards(access.project.id, cols[1].id, 3)
    db.session.execute(sa.update(Card).where(Card.id.in_(ids[::3])).values(
        assignee_id=ada.id, priority="high", due_date=utcnow() - timedelta(days=1)))
    bug = labels.create_label(access, "Bug", "#ff0000")
    for card_id in ids[:5]:
        labels.assign_label(ada, card_id, bug.id)
    db.session.commit()
    return f"/o/acme/w/eng/p/{access.project.id}/list"


def test_the_list_costs_the_same_sql_at_10_and_1000_cards(world):
    small_url, large_url = list_with(10, "Small"), list_with(1000, "Large")
    world.ada.get(small_url)  # first request of the connection pool out of the way
    small, small_count = count_statements(lambda: world.ada.get(small_url))
    large, large_count = count_statements(lambda: world.ada.get(large_url))
    assert small_count == large_count <= 25
    assert len(rows(html(small))) == 13 and len(rows(html(large))) == 1003
    for query in ("?sort=assignee&group=assignee", "?sort=due&dir=desc&group=priority", "?sort=progress&group=column"):
        _, small_sorted = count_statements(lambda: world.ada.get(small_url + query, headers=HX))
        _, large_sorted = count_statements(lambda: world.ada.get(large_url + query, headers=HX))
        assert small_sorted == large_sorted, query

