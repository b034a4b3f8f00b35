"""The card panel in depth, beside tests/web/test_card_panel.py: reach by role (workspace
admins outside the project, signed-out visitors), other projects' ids on every address,
each refused value by its field with nothing written, moves refused by a WIP limit or an
archived card, the board's filter travelling with a move, history restores, the panel and
the archived page without JavaScript, refused restores, and CSRF as in production."""
import re
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models.board import Card, ChecklistItem
from app.services import cards, columns, projects
from tests.board_helpers import board, join
from tests.web.board_support import HX, html, user_named, world  # noqa: F401
from tests.web.identity_support import csrf_token, signup


def ada():
    return user_named("ada@example.com")


def new_card(world, column: int = 0, **fields) -> Card:
    fields.setdefault("title", "Fix the login page")
    card = cards.create_card(ada(), world.column(column), **fields)
    db.session.commit()
    return card


def fresh(card_id: str) -> Card | None:
    db.session.expire_all()
    return db.session.get(Card, card_id)


def card_url(world, card) -> str:
    return f"{world.url}/cards/{card.id}"


def edit(client, world, card, field, value, **extra):
    return client.post(f"{card_url(world, card)}/fields/{field}", headers=HX, data={"value": value, **extra})


def set_wip_limit(world, column: int, limit: int) -> None:
    columns.update_column(projects.project_access(ada(), "acme", "eng", world.project_id), world.column(column),
                          {"wipLimit": limit})
    db.session.commit()


def field_error(fragment: str) -> str:
    match = re.search(r'<div class="field-error" role="alert">(.*?)</div>', fragment, re.S)
    return match.group(1) if match else ""


def oob_columns(fragment: str) -> dict[str, list[str]]:
    """Columns sent out of band, with the card ids each shows."""
    found = {}
    for part in re.split(r'(?=<section id="column-)', fragment)[1:]:
        column_id = re.match(r'<section id="column-([0-9a-f]{24})"', part).group(1)
        assert 'hx-swap-oob="true"' in part[:part.index(">", part.index("aria-label"))]
        found[column_id] = re.findall(r'<article id="card-([0-9a-f]{24})"', part)
    return found


def checklist_state(card_id: str) -> list[tuple[str, bool]]:
    db.session.expire_all()
    return [(i.title, i.done) for i in db.session.scalars(
        sa.select(ChecklistItem).where(ChecklistItem.card_id == card_id).order_by(ChecklistItem.order))]


# Reach ---------------------------------------------------------------------------------------

def test_a_workspace_admin_outside_the_project_edits_cards_but_is_no_assignee(app, world):
    card = new_card(world)
    dana = signup(app, "dana@example.com", "Dana Example")
    workspace = projects.project_access(ada(), "acme", "eng", world.project_id).project.workspace
    join(user_named("dana@example.com"), workspace, role="admin")
    db.session.commit()
    assert dana.get(card_url(world, card), headers=HX).status_code == 200
    assert dana.get(f"{world.url}/archived").status_code == 200
    assert edit(dana, world, card, "priority", "low").status_code == 200
    refused = edit(dana, world, card, "assignee", user_named("dana@example.com").id)
    assert refused.status_code == 400 and field_error(html(refused)) == "assigneeId must be a member of the project"
    page = html(dana.get(card_url(world, card), headers=HX))
    assignees = page[page.index('<select id="panel-assignee"'):]
    assert "Dana Example" not in assignees[:assignees.index("</select>")]  # only project members are offered
    assert fresh(card.id).priority == "low" and fresh(card.id).assignee_id is None


def test_people_outside_the_project_get_404_on_every_address(world):
    card = new_card(world, checklist=[{"title": "a"}])
    item_id = card.checklist_items[0].id
    cards.archive_card(ada(), new_card(world, title="Archived").id)
    db.session.commit()
    url = card_url(world, card)
    for client in (world.carl, world.eve):  # a workspace member outside the project; an outsider
        assert client.get(url).status_code == 404
        assert client.get(f"{world.url}/archived", headers=HX).status_code == 404
        for path, data in (("/fields/title", {"value": "Mine"}), ("/fields/column", {"value": world.column(1)}),
                           ("/checklist", {"title": "x"}), (f"/checklist/{item_id}", {"change": "done", "done": "1"}),
                           (f"/checklist/{item_id}/delete", {}), ("/archive", {}), ("/restore", {}), ("/delete", {})):
            assert client.post(url + path, headers=HX, data=data).status_code == 404, path
        for action in ("restore", "delete"):
            assert client.post(f"{world.url}/archived/{card.id}/{action}", headers=HX).status_code == 404
    kept = fresh(card.id)
    assert (kept.title, kept.column_id, kept.archived) == ("Fix the login page", world.column(0), False)
    assert checklist_state(card.id) == [("a", False)]


def test_signed_out_visitors_are_sent_to_log_in(app, world):
    card = new_card(world)
    anonymous = app.test_client()
    response = anonymous.get(card_url(world, card))
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]
    refused = anonymous.post(card_url(world, card) + "/fields/title", headers=HX, data={"value": "x"})
    assert refused.status_code == 401 and "/login" in refused.headers["HX-Redirect"]
    assert fresh(card.id).title == "Fix the login page"


def test_another_projects_card_and_items_are_not_found_under_this_project(world):
    _, other_columns = board(ada(), "Other")
    db.session.commit()
    stranger = cards.create_card(ada(), other_columns[0].id, title="Elsewhere", checklist=[{"title": "a"}])
    item_id = stranger.checklist_items[0].id
    db.session.commit()
    url = f"{world.url}/cards/{stranger.id}"  # Ada reaches that card, but not under this project
    assert world.ada.get(url).status_code == 404
    for path, data in (("/fields/title", {"value": "Moved in"}), ("/fields/column", {"value": world.column(1)}),
                       ("/checklist", {"title": "x"}), (f"/checklist/{item_id}", {"change": "done", "done": "1"}),
                       (f"/checklist/{item_id}/delete", {}), ("/archive", {}), ("/restore", {}), ("/delete", {})):
        assert world.ada.post(url + path, headers=HX, data=data).status_code == 404, path
    cards.archive_card(ada(), stranger.id)
    db.session.commit()
    for action in ("restore", "delete"):
        assert world.ada.post(f"{world.url}/archived/{stranger.id}/{action}", headers=HX).status_code == 404
    kept = fresh(stranger.id)
    assert kept.title == "Elsewhere" and kept.archived and checklist_state(stranger.id) == [("a", False)]


# Showing -------------------------------------------------------------------------------------

def test_a_history_restore_gets_the_whole_board_with_the_panel(world):
    card = new_card(world, title="Restored <page>")
    response = world.bob.get(card_url(world, card), headers={**HX, "HX-History-Restore-Request": "true"})
    page = html(response)
    assert response.status_code == 200 and page.startswith("<!doctype html>")
    assert f'<section id="column-{world.column(0)}"' in page and f'<article id="card-{card.id}"' in page
    assert f'<div class="card-detail" data-card-id="{card.id}"' in page


def test_the_panel_shows_the_saved_values_escaped(world):
    bob = user_named("bob@example.com")
    card = new_card(world, title="<img src=x onerror=alert(1)>", description="<script>x</script>",
                    priority="high", startDate="2026-03-01", dueDate="2026-03-20", assigneeId=bob.id)
    fragment = html(world.bob.get(card_url(world, card), headers=HX))
    assert "<img src=x" not in fragment and "<script>x" not in fragment
    assert 'value="&lt;img src=x onerror=alert(1)&gt;"' in fragment
    assert ">&lt;script&gt;x&lt;/script&gt;</textarea>" in fragment
    assert '<option value="high" selected>High</option>' in fragment
    assert f'<option value="{bob.id}" selected>Bob Example</option>' in fragment
    assert f'<option value="{world.column(0)}" selected>To Do</option>' in fragment
    assert 'name="value" value="2026-03-01"' in fragment and 'name="value" value="2026-03-20"' in fragment


# Refused edits -------------------------------------------------------------------------------

@pytest.mark.parametrize("field, value, message", [
    ("title", "   ", "title must not be empty"),
    ("title", "x" * 501, "title must be at most 500 characters"),
    ("title", "a\x00b", "title must not contain NUL characters"),
    ("description", "x" * 5001, "description must be at most 5000 characters"),
    ("priority", "urgent", "priority must be one of: low, medium, high"),
    ("start_date", "2026-07-15", "dueDate must not be before startDate"),
    ("due_date", "2026-05-15", "dueDate must not be before startDate"),
    ("due_date", "2026-02-30", "dueDate must be an ISO 8601 date"),
    ("start_date", "next week", "startDate must be an ISO 8601 date"),
    ("assignee", "carl", "assigneeId must be a member of the project"),
    ("assignee", "not-an-id", "assigneeId must be a member of the project"),
    ("column", "0123456789abcdef01234567", "columnId is not a column of this project"),
    ("column", "", "columnId is not a column of this project"),
])
def test_a_refused_value_shows_its_reason_by_the_field_and_writes_nothing(world, field, value, message):
    card = new_card(world, description="Old", priority="low", startDate="2026-06-01", dueDate="2026-06-30")
    if value == "carl":
        value = user_named("carl@example.com").id  # in the workspace, not in the project
    response = edit(world.bob, world, card, field, value)
    fragment = html(response)
    assert response.status_code == 400 and response.headers["X-Fragment"] == "1"
    assert fragment.startswith(f'<form id="panel-field-{field}" class="card-field') and " has-error" in fragment
    assert field_error(fragment) == message
    assert "hx-swap-oob" not in fragment
    saved = fresh(card.id)
    assert (saved.title, saved.description, saved.priority, saved.version, saved.column_id) == \
        ("Fix the login page", "Old", "low", 1, world.column(0))
    assert saved.start_date == datetime(2026, 6, 1, tzinfo=timezone.utc)
    assert saved.due_date == datetime(2026, 6, 30, tzinfo=timezone.utc)


def test_a_move_beyond_the_wip_limit_or_of_an_archived_card_is_refused_by_the_column_field(world):
    set_wip_limit(world, 1, 1)
    new_card(world, column=1, title="Full")
    card = new_card(world)
    response = edit(world.bob, world, card, "column", world.column(1))
    assert response.status_code == 409 and "WIP limit of 1" in field_error(html(response))
    assert "hx-swap-oob" not in html(response)
    cards.archive_card(ada(), card.id)
    db.session.commit()
    archived = edit(world.bob, world, card, "column", world.column(2))
    assert archived.status_code == 409 and "unarchive it before moving it" in field_error(html(archived))
    saved = fresh(card.id)
    assert saved.column_id == world.column(0) and saved.archived and saved.version == 2  # the archive only


def test_a_move_to_the_same_column_changes_nothing(world):
    card = new_card(world)
    response = edit(world.bob, world, card, "column", world.column(0))
    assert response.status_code == 200 and fresh(card.id).version == 1


def test_a_move_answers_the_columns_filtered_as_the_board_shows_them(world):
    one = new_card(world, title="Alpha one")
    new_card(world, title="Beta")
    card = new_card(world, title="Alpha two")
    response = edit(world.bob, world, card, "column", world.column(2), q="alpha")
    shown = oob_columns(html(response))
    assert shown == {world.column(0): [one.id], world.column(2): [card.id]}
    back = edit(world.bob, world, card, "column", world.column(0), priority="urgent")  # an invalid filter: ignored
    assert back.status_code == 200 and len(oob_columns(html(back))[world.column(0)]) == 3


def test_an_archived_card_is_edited_without_a_tile_to_update(world):
    card = new_card(world)
    cards.archive_card(ada(), card.id)
    db.session.commit()
    response = edit(world.bob, world, card, "title", "Renamed in the archive")
    assert response.status_code == 200 and "hx-swap-oob" not in html(response)
    assert fresh(card.id).title == "Renamed in the archive"


# The checklist -------------------------------------------------------------------------------

@pytest.mark.parametrize("data, message", [
    ({"change": "title", "title": "  "}, "title must not be empty"),
    ({"change": "title", "title": "x" * 501}, "title must be at most 500 characters"),
    ({"change": "order", "order": "-1"}, "order must be a whole number ≥ 0"),
    ({"change": "order", "order": "first"}, "order must be a whole number ≥ 0"),
    ({"change": "order", "order": "9" * 12}, "order must be a whole number ≥ 0"),
    ({"change": "order"}, "order must be a whole number ≥ 0"),
])
def test_a_refused_item_change_shows_its_reason_by_the_item(world, data, message):
    card = new_card(world, checklist=[{"title": "One"}, {"title": "Two"}])
    two = card.checklist_items[1].id
    response = world.bob.post(f"{card_url(world, card)}/checklist/{two}", headers=HX, data=data)
    fragment = html(response)
    assert response.status_code == 400 and fragment.startswith('<section id="panel-checklist"')
    item = fragment[fragment.index(f'<li id="checklist-item-{two}"'):]
    assert field_error(item[:item.index("</li>")]) == message and "hx-swap-oob" not in fragment
    assert checklist_state(card.id) == [("One", False), ("Two", False)] and fresh(card.id).version == 1


def test_a_full_checklist_refuses_one_more_item(world):
    card = new_card(world, checklist=[{"title": f"Step {n}"} for n in range(100)])
    response = world.bob.post(f"{card_url(world, card)}/checklist", headers=HX, data={"title": "One more"})
    assert response.status_code == 400 and "at most 100 items" in html(response)
    assert 'value="One more"' in html(response) and len(checklist_state(card.id)) == 100


def test_reordering_by_the_arrow_buttons_and_past_the_end(world):
    card = new_card(world, checklist=[{"title": "One"}, {"title": "Two"}, {"title": "Three"}])
    one, two, _ = (i.id for i in card.checklist_items)
    url = f"{card_url(world, card)}/checklist"
    page = html(world.bob.get(card_url(world, card), headers=HX))
    assert 'aria-label="Move “One” up"' not in page and 'aria-label="Move “Three” down"' not in page
    assert 'aria-label="Move “One” down"' in page and 'aria-label="Move “Three” up"' in page
    assert world.bob.post(f"{url}/{one}", headers=HX, data={"change": "order", "order": "1"}).status_code == 200
    assert [t for t, _ in checklist_state(card.id)] == ["Two", "One", "Three"]
    assert world.bob.post(f"{url}/{two}", headers=HX, data={"change": "order", "order": "99"}).status_code == 200
    assert [t for t, _ in checklist_state(card.id)] == ["One", "Three", "Two"]


# Archive and restore -------------------------------------------------------------------------

def test_a_restore_beyond_the_wip_limit_is_refused_in_the_panel(world):
    card = new_card(world, column=1)
    cards.archive_card(ada(), card.id)
    db.session.commit()
    set_wip_limit(world, 1, 1)
    new_card(world, column=1, title="Took its place")
    response = world.bob.post(card_url(world, card) + "/restore", headers=HX)
    fragment = html(response)
    assert response.status_code == 409 and fragment.startswith('<div class="card-detail"')
    assert '<div class="form-error" role="alert">Column &#39;In Progress&#39; has a WIP limit of 1' in fragment
    assert "hx-swap-oob" not in fragment and fresh(card.id).archived


def test_a_restore_refused_on_the_archived_page_says_why(world):
    card = new_card(world, column=1)
    cards.archive_card(ada(), card.id)
    db.session.commit()
    set_wip_limit(world, 1, 1)
    new_card(world, column=1, title="Took its place")
    response = world.bob.post(f"{world.url}/archived/{card.id}/restore", headers=HX)
    assert response.status_code == 409 and "has a WIP limit of 1" in html(response)
    assert f'<tr id="archived-{card.id}">' in html(response) and fresh(card.id).archived


def test_the_archived_page_shows_this_projects_cards_newest_first(world):
    older = new_card(world, title="Old <news>")
    newer = new_card(world, column=2, title="Shipped", assigneeId=user_named("bob@example.com").id)
    _, other_columns = board(ada(), "Other")
    db.session.commit()
    elsewhere = cards.create_card(ada(), other_columns[0].id, title="Other project")
    for card, when in ((older, "2026-01-01T10:00:00+00:00"), (newer, "2026-02-01T10:00:00+00:00"),
                       (elsewhere, "2026-03-01T10:00:00+00:00")):
        cards.archive_card(ada(), card.id)
        db.session.flush()
        card.archived_at = datetime.fromisoformat(when)
    db.session.commit()
    page = html(world.bob.get(f"{world.url}/archived"))
    assert re.findall(r'<tr id="archived-([0-9a-f]{24})">', page) == [newer.id, older.id]
    assert "Old &lt;news&gt;" in page and "<news>" not in page and "Other project" not in page
    row = page[page.index(f'<tr id="archived-{newer.id}">'):]
    row = row[:row.index("</tr>")]
    assert "Done" in row and "Bob Example" in row and "2026-02-01 10:00 UTC" in row
    assert f'<a href="{world.url}/cards/{newer.id}">Shipped</a>' in row


# Without JavaScript --------------------------------------------------------------------------

def test_without_javascript_changes_come_back_to_the_card_with_the_reason_of_a_refusal(world):
    card = new_card(world)
    saved = world.bob.post(card_url(world, card) + "/fields/priority", data={"value": "high"})
    assert saved.status_code == 302 and saved.headers["Location"] == card_url(world, card)
    refused = world.bob.post(card_url(world, card) + "/fields/title", data={"value": " "}, follow_redirects=True)
    assert refused.request.path == card_url(world, card) and "title must not be empty" in html(refused)
    item = world.bob.post(card_url(world, card) + "/checklist", data={"title": ""}, follow_redirects=True)
    assert "title must not be empty" in html(item)
    saved_card = fresh(card.id)
    assert saved_card.priority == "high" and saved_card.title == "Fix the login page" and saved_card.version == 2
    archived = world.bob.post(card_url(world, card) + "/archive", follow_redirects=True)
    assert archived.request.path == world.url and "WEB-1 archived." in html(archived)
    deleted = world.bob.post(card_url(world, card) + "/delete", follow_redirects=True)
    assert deleted.request.path == world.url and "WEB-1 deleted." in html(deleted)


# CSRF ----------------------------------------------------------------------------------------

def test_changes_need_the_csrf_token_when_protection_is_on(app, world):
    card = new_card(world)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        for path, data in (("/fields/title", {"value": "Forged"}), ("/checklist", {"title": "x"}),
                           ("/archive", {}), ("/delete", {})):
            assert world.bob.post(card_url(world, card) + path, headers=HX, data=data).status_code == 400
        assert world.bob.post(f"{world.url}/archived/{card.id}/delete", headers=HX).status_code == 400
        page = html(world.bob.get(card_url(world, card)))
        token = csrf_token(page)
        panel = page[page.index('<div class="card-detail"'):page.index("</aside>")]
        assert panel.count("<form ") == panel.count(f'name="csrf_token" value="{token}"')  # usable without htmx
        sent = world.bob.post(card_url(world, card) + "/fields/title", headers={**HX, "X-CSRFToken": token},
                              data={"value": "Signed"})
        assert sent.status_code == 200
        posted = world.bob.post(card_url(world, card) + "/fields/priority", data={"value": "high", "csrf_token": token})
        assert posted.status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    saved = fresh(card.id)
    assert (saved.title, saved.priority, saved.archived) == ("Signed", "high", False)
    assert checklist_state(card.id) == []
