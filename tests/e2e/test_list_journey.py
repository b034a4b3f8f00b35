"""The list view in a real browser: sort by a header (the address follows), group, change a
row's priority, due date and column in place, see a WIP limit refuse a column change and a bulk move
with the reason and nothing changed, then move and assign checked rows in one go. CSRF
protection is on, as in production."""
import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.extensions import db
from app.models.board import Card
from app.models.identity import User
from app.services import cards, columns, projects
from app.services.access import workspace_access
from tests.e2e.test_board_journey import csrf_on, settled, sign_up  # noqa: F401

pytestmark = pytest.mark.e2e


def stored(card_id: str) -> Card:
    db.session.expire_all()
    return db.session.get(Card, card_id)


def titles(page) -> list[str]:
    return page.locator("tr.list-row .list-title a").all_inner_texts()


def answered(page, part: str, action) -> None:
    """Do `action` and wait for the answer of the request whose URL holds `part`."""
    with page.expect_response(lambda r: part in r.url):
        action()
    settled(page)


def test_sorting_editing_and_bulk_actions_in_the_list(new_page, live_server, csrf_on):
    page = new_page()
    sign_up(page, "Grace Hopper", "grace@example.com")

    grace = db.session.scalar(sa.select(User).where(User.email == "grace@example.com"))
    project = projects.create_project(workspace_access(grace, "grace-hopper", "personal"), "Compiler")
    access = projects.project_access(grace, "grace-hopper", "personal", project.id)
    todo, doing, done = columns.list_columns(access)
    parser = cards.create_card(grace, todo.id, title="Parser", dueDate="2027-05-02").id
    linker = cards.create_card(grace, todo.id, title="Linker", dueDate="2027-04-01").id
    docs = cards.create_card(grace, doing.id, title="Docs").id
    columns.update_column(access, doing.id, {"wipLimit": 2})
    db.session.commit()

    key = project.key
    url = f"/o/grace-hopper/w/personal/p/{project.id}/list"
    page.goto(url)
    expect(page.get_by_role("link", name="List", exact=True)).to_have_attribute("aria-current", "page")
    assert titles(page) == ["Parser", "Linker", "Docs"]
    answered(page, "sort=due", lambda: page.get_by_role("link", name="Due", exact=True).click())
    expect(page).to_have_url(f"{live_server}{url}?sort=due")
    assert titles(page) == ["Linker", "Parser", "Docs"]
    answered(page, "group=column", lambda: page.get_by_label("Group by").select_option("column"))
    expect(page).to_have_url(f"{live_server}{url}?sort=due&group=column")
    expect(page.locator(".list-group th")).to_have_text(["To Do 2", "In Progress 1"])

    answered(page, f"/list/cards/{parser}", lambda: page.get_by_label(f"Priority of {key}-1").select_option("high"))
    expect(page.get_by_label(f"Priority of {key}-1")).to_have_value("high")
    assert stored(parser).priority == "high"
    due = page.get_by_label(f"Due date of {key}-1")
    due.fill("2027-06-01")
    answered(page, f"/list/cards/{parser}", lambda: due.press("Enter"))
    expect(page.get_by_label(f"Due date of {key}-1")).to_have_value("2027-06-01")
    assert stored(parser).due_date.strftime("%Y-%m-%d") == "2027-06-01"
    answered(page, f"/list/cards/{parser}", lambda: page.get_by_label(f"Column of {key}-1").select_option(doing.id))
    assert stored(parser).column_id == doing.id
    expect(page.locator(".list-group th")).to_have_text(["To Do 1", "In Progress 2"])  # regrouped
    # In Progress is full now: a change of column is refused in its row, nothing saved.
    answered(page, f"/list/cards/{linker}", lambda: page.get_by_label(f"Column of {key}-2").select_option(doing.id))
    expect(page.locator(f"#list-row-{linker} [role=alert]")).to_contain_text("WIP limit of 2")
    expect(page.get_by_label(f"Column of {key}-2")).to_have_value(todo.id)
    assert stored(linker).column_id == todo.id

    # A bulk move of two cards into Done, then one more than In Progress takes: refused whole.
    page.get_by_label(f"Check {key}-1").check()
    page.get_by_label(f"Check {key}-3").check()
    expect(page.locator("[data-checked-count]")).to_have_text("2")
    page.get_by_label("Column to move the checked cards to").select_option(done.id)
    answered(page, "/list/bulk", lambda: page.get_by_role("button", name="Move", exact=True).click())
    expect(page.locator("#list-table .flash")).to_have_text("Moved 2 cards to Done.")
    assert {stored(parser).column_id, stored(docs).column_id} == {done.id}
    columns.update_column(access, doing.id, {"wipLimit": 1})
    db.session.commit()
    page.get_by_label("Check every card").check()
    page.get_by_label("Column to move the checked cards to").select_option(doing.id)
    answered(page, "/list/bulk", lambda: page.get_by_role("button", name="Move", exact=True).click())
    expect(page.locator("#list-table .flash")).to_contain_text("WIP limit of 1")
    expect(page.locator("[data-checked-count]")).to_have_text("3")
    assert [stored(c).column_id for c in (parser, linker, docs)] == [done.id, todo.id, done.id]

    page.get_by_label("Person to assign the checked cards to").select_option(grace.id)
    answered(page, "/list/bulk", lambda: page.get_by_role("button", name="Assign").click())
    expect(page.locator("#list-table .flash")).to_have_text("Assigned 3 cards to Grace Hopper.")
    assert {stored(c).assignee_id for c in (parser, linker, docs)} == {grace.id}
    page.reload()
    expect(page.get_by_label(f"Assignee of {key}-2")).to_have_value(grace.id)
