"""The card panel's labels, custom fields and relations: toggles and labels made on the fly,
each custom field type saved and cleared, refusals shown inline with nothing written,
relations found by key or title and refused as the service says, reach (other projects'
and workspaces' ids, outsiders), CSRF; and on the board, label chips and the "Blocked"
marker at a constant number of SQL statements."""
import re

import pytest
import sqlalchemy as sa

from app import live
from app.extensions import db
from app.ids import new_id
from app.models.board import Card, Column
from app.models.card_depth import CardLabel, CardRelation, CustomField, CustomFieldValue, Label
from app.services import cards, custom_fields, labels, projects, relations
from app.services.access import workspace_access
from tests.board_helpers import board, bulk_cards
from tests.web.board_support import HX, column_cards, html, user_named, world  # noqa: F401
from tests.web.identity_support import csrf_token
from tests.web.test_board_page import count_statements


def ada():
    return user_named("ada@example.com")


def access_of(world):
    return projects.project_access(ada(), "acme", "eng", world.project_id)


def new_card(world, title="Fix the login page", column=0) -> Card:
    card = cards.create_card(ada(), world.column(column), expected_project_id=world.project_id, title=title)
    db.session.commit()
    return card


def new_label(world, name="Bug", color="#c0392b") -> Label:
    label = labels.create_label(access_of(world), name, color)
    db.session.commit()
    return label


def new_field(world, name, type_, options=None) -> CustomField:
    field = custom_fields.create_field(access_of(world), name, type_, options)
    db.session.commit()
    return field


def secret_card() -> Card:
    """A card of Eve's personal workspace: another workspace than acme/eng."""
    eve = user_named("eve@example.com")
    project = projects.create_project(workspace_access(eve, "eve-example", "personal"), "Secret")
    column_id = db.session.scalar(sa.select(Column.id).where(Column.project_id == project.id).order_by(Column.order))
    card = cards.create_card(eve, column_id, title="Launch secret")
    db.session.commit()
    return card


def card_url(world, card) -> str:
    return f"{world.url}/cards/{card.id}"


def label_names(card_id) -> list[str]:
    db.session.expire_all()
    return sorted(db.session.scalars(sa.select(Label.name).join(CardLabel, CardLabel.label_id == Label.id)
                                     .where(CardLabel.card_id == card_id)))


def stored_value(card_id, field_id):
    db.session.expire_all()
    return db.session.scalar(sa.select(CustomFieldValue.value).where(
        CustomFieldValue.card_id == card_id, CustomFieldValue.field_id == field_id))


def relation_rows() -> list[tuple[str, str, str]]:
    db.session.expire_all()
    return sorted(tuple(row) for row in db.session.execute(sa.select(
        CardRelation.source_card_id, CardRelation.type, CardRelation.target_card_id)))


def tile(page: str, card_id: str) -> str:
    start = page.index(f'<article id="card-{card_id}"')
    return page[start:page.index("</article>", start)]


# Labels --------------------------------------------------------------------------------------

def test_the_panel_lists_the_projects_labels_as_toggles_and_assigns_and_unassigns(world):
    card = new_card(world)
    bug, docs = new_label(world, "Bug <x>", "#C0392B"), new_label(world, "Docs", "#1e8e3e")
    panel = html(world.bob.get(card_url(world, card), headers=HX))
    assert 'id="panel-labels"' in panel and "Bug &lt;x&gt;" in panel and "<x>" not in panel
    assert panel.count('aria-pressed="false"') == 2

    added = world.bob.post(f"{card_url(world, card)}/labels/{bug.id}", headers=HX, data={"assigned": "1"})
    assert added.status_code == 200
    body = html(added)
    assert body.startswith('<section id="panel-labels"')
    assert re.search(r'aria-pressed="true"\s+title="Remove label “Bug &lt;x&gt;”"', body)
    chips = tile(body, card.id)  # the tile comes back out of band with its chip
    assert 'hx-swap-oob="true"' in chips and 'class="label-chip" style="--label-color: #c0392b">Bug &lt;x&gt;' in chips
    assert label_names(card.id) == ["Bug <x>"]

    world.bob.post(f"{card_url(world, card)}/labels/{docs.id}", headers=HX, data={"assigned": "1"})
    assert label_names(card.id) == ["Bug <x>", "Docs"]
    removed = world.bob.post(f"{card_url(world, card)}/labels/{bug.id}", headers=HX, data={"assigned": "0"})
    assert removed.status_code == 200 and "Bug &lt;x&gt;</li>" not in tile(html(removed), card.id)
    assert label_names(card.id) == ["Docs"]
    board_page = html(world.bob.get(world.url))
    assert ">Docs</li>" in tile(board_page, card.id) and "Bug" not in tile(board_page, card.id)


def test_a_label_created_from_the_panel_is_put_on_the_card_at_once(world):
    card = new_card(world)
    response = world.bob.post(f"{card_url(world, card)}/labels", headers=HX,
                              data={"name": " Needs <review> ", "color": "#AABBCC"})
    assert response.status_code == 200
    body = html(response)
    assert 'aria-pressed="true"' in body and "Needs &lt;review&gt;" in body
    assert '--label-color: #aabbcc">Needs &lt;review&gt;</li>' in tile(body, card.id)
    assert label_names(card.id) == ["Needs <review>"]


@pytest.mark.parametrize("name, color, message", [
    ("Urgent", "red", "color must be a hex color #rrggbb"),
    ("Urgent", "#12345", "color must be a hex color #rrggbb"),
    ("   ", "#123456", "name"),
    ("bug", "#123456", "A label named &#39;bug&#39; already exists in this project"),
])
def test_a_bad_new_label_is_refused_inline_and_nothing_is_written(world, name, color, message):
    card = new_card(world)
    new_label(world, "Bug")
    response = world.bob.post(f"{card_url(world, card)}/labels", headers=HX, data={"name": name, "color": color})
    assert response.status_code in (400, 409)
    body = html(response)
    assert body.startswith('<section id="panel-labels"') and 'class="field-error" role="alert"' in body
    assert message in body and "<details class=\"label-new\" open>" in body
    assert "hx-swap-oob" not in body  # no tile after a refusal
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Label)) == 1
    assert label_names(card.id) == []


# Custom fields -------------------------------------------------------------------------------

@pytest.mark.parametrize("type_, options, typed, stored, shown", [
    ("text", None, "  Berlin <office> ", "Berlin <office>", 'value="  Berlin &lt;office&gt; "'),
    ("number", None, "12.5", 12.5, 'value="12.5"'),
    ("number", None, "-3", -3, 'value="-3"'),
    ("date", None, "2030-04-01", "2030-04-01T00:00:00.000Z", 'value="2030-04-01"'),
    ("boolean", None, "true", True, '<option value="true" selected>Yes'),
    ("boolean", None, "false", False, '<option value="false" selected>No'),
    ("select", ["Small", "Large"], "Large", "Large", '<option value="Large" selected>Large'),
])
def test_each_custom_field_type_is_saved_and_cleared(world, type_, options, typed, stored, shown):
    card = new_card(world)
    field = new_field(world, "Detail", type_, options)
    url = f"{card_url(world, card)}/custom-fields/{field.id}"
    panel = html(world.bob.get(card_url(world, card), headers=HX))
    assert f'id="custom-field-{field.id}"' in panel
    saved = world.bob.post(url, headers=HX, data={"value": typed})
    assert saved.status_code == 200, html(saved)
    body = html(saved)
    assert body.startswith(f'<form id="custom-field-{field.id}"')
    assert shown.replace("  Berlin &lt;office&gt; ", "Berlin &lt;office&gt;") in body
    assert f'<article id="card-{card.id}"' in body  # the tile, with the card's new version
    assert stored_value(card.id, field.id) == stored
    cleared = world.bob.post(url, headers=HX, data={"value": ""})
    assert cleared.status_code == 200 and stored_value(card.id, field.id) is None


def test_a_multi_select_keeps_the_checked_options_and_clears_when_none_is(world):
    card = new_card(world)
    field = new_field(world, "Platforms", "multi-select", ["Web", "iOS", "Android"])
    url = f"{card_url(world, card)}/custom-fields/{field.id}"
    saved = world.bob.post(url, headers=HX, data={"value": ["iOS", "Web", "iOS"]})
    assert saved.status_code == 200 and stored_value(card.id, field.id) == ["iOS", "Web"]
    assert html(saved).count(" checked>") == 2
    assert world.bob.post(url, headers=HX, data={}).status_code == 200
    assert stored_value(card.id, field.id) is None


@pytest.mark.parametrize("type_, options, typed, message", [
    ("number", None, "twelve", "Size must be a number"),
    ("number", None, "1e999", "Size must be a number"),
    ("date", None, "2030-13-45", "Size must be"),
    ("boolean", None, "maybe", "Size must be yes or no"),
    ("select", ["Small", "Large"], "Huge", "must be one of: Small, Large"),
    ("multi-select", ["Small", "Large"], "Huge", "must be an array of: Small, Large"),
    ("text", None, "x" * 1001, "at most 1000"),
])
def test_an_invalid_value_is_refused_inline_and_the_old_value_stays(world, type_, options, typed, message):
    card = new_card(world)
    field = new_field(world, "Size", type_, options)
    keep = {"number": 7, "date": "2030-01-01T00:00:00.000Z", "boolean": True, "select": "Small",
            "multi-select": ["Small"], "text": "Kept"}[type_]
    custom_fields.set_values(ada(), card.id, {field.id: keep})
    db.session.commit()
    version = db.session.get(Card, card.id).version
    response = world.bob.post(f"{card_url(world, card)}/custom-fields/{field.id}", headers=HX, data={"value": typed})
    assert response.status_code == 400
    body = html(response)
    assert body.startswith(f'<form id="custom-field-{field.id}" class="card-field custom-field custom-field-{type_} has-error"')
    assert message in body and 'class="field-error" role="alert"' in body and "hx-swap-oob" not in body
    assert field.id not in body[body.index('class="field-error"'):]  # the field's name, not its id
    assert stored_value(card.id, field.id) == keep
    assert db.session.get(Card, card.id).version == version


def test_a_field_is_added_to_the_project_from_the_panel(world):
    card = new_card(world)
    url = f"{card_url(world, card)}/custom-fields"
    added = world.bob.post(url, headers=HX, data={"name": "Team <a>", "type": "select", "options": "Core, Web\nOps"})
    assert added.status_code == 200
    body = html(added)
    assert body.startswith('<section id="panel-custom-fields"') and "Team &lt;a&gt;" in body
    field = db.session.scalar(sa.select(CustomField))
    assert (field.name, field.type, field.options) == ("Team <a>", "select", ["Core", "Web", "Ops"])
    assert '<option value="Ops">Ops</option>' in body
    refused = world.bob.post(url, headers=HX, data={"name": "Size", "type": "select", "options": ""})
    assert refused.status_code == 400 and "a select field needs options" in html(refused)
    taken = world.bob.post(url, headers=HX, data={"name": "team <A>", "type": "text"})
    assert taken.status_code == 409 and "already exists" in html(taken)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CustomField)) == 1


# Relations -----------------------------------------------------------------------------------

def test_cards_are_found_by_key_or_title_in_the_workspace_only(world):
    a, b = new_card(world, "Write <launch> post"), new_card(world, "Review launch post")
    other_access, other_columns = board(ada(), "Mobile")
    mobile = cards.create_card(ada(), other_columns[0].id, title="Launch the app")
    db.session.commit()
    secret_card()
    search = lambda who, q: html(who.get(f"{card_url(world, a)}/relations/candidates", headers=HX,  # noqa: E731
                                         query_string={"q": q}))
    found = search(world.ada, "launch")
    assert f'value="{b.id}"' in found and f'value="{mobile.id}"' in found
    assert f'value="{a.id}"' not in found  # not itself
    assert "secret" not in found.lower()  # another workspace
    assert found.index(b.id) < found.index(mobile.id)  # its own project first
    by_key = search(world.ada, "web-2")
    assert f'value="{b.id}"' in by_key and ">WEB-2</span> Review launch post" in by_key
    assert f'value="{mobile.id}"' not in search(world.bob, "launch")  # Bob is not in Mobile
    assert "No card matches “nothing &lt;here&gt;”" in search(world.ada, "nothing <here>")
    assert search(world.ada, "  ").strip() == ""
    assert other_access.project.key in search(world.ada, "app")


def test_relations_are_added_listed_by_type_and_removed(world):
    a, b, c = new_card(world, "Ship"), new_card(world, "Build <it>"), new_card(world, "Plan", column=2)
    url = f"{card_url(world, a)}/relations"
    added = world.bob.post(url, headers=HX, data={"type": "blocked_by", "target_id": b.id, "q": "bui"})
    assert added.status_code == 200
    body = html(added)
    assert body.startswith('<section id="panel-relations"')
    group = body[body.index('data-relation-type="blocked_by"'):]
    assert "Blocked by" in group and "WEB-2</span> Build &lt;it&gt;" in group
    assert f'hx-get="{world.url}/cards/{b.id}"' in group  # opens the other card's panel
    assert ">Blocked</span>" in tile(body, a.id)  # A's tile out of band, now blocked
    assert relation_rows() == [(b.id, "blocks", a.id)]
    by_key = world.bob.post(url, headers=HX, data={"type": "related_to", "q": " web-3 "})
    assert by_key.status_code == 200 and "Related to" in html(by_key)
    assert 'data-relation-type="blocks"' in html(world.bob.get(card_url(world, b), headers=HX))  # B's side

    relation_id = db.session.scalar(sa.select(CardRelation.id).where(CardRelation.type == "blocks"))
    removed = world.bob.post(f"{url}/{relation_id}/delete", headers=HX)
    assert removed.status_code == 200 and 'data-relation-type="blocked_by"' not in html(removed)
    assert "Blocked" not in tile(html(removed), a.id)
    assert relation_rows() == sorted([(a.id, "related_to", c.id)])


@pytest.mark.parametrize("case", ["self", "duplicate", "inverse duplicate", "cycle", "unknown key",
                                  "other workspace", "bad type"])
def test_refused_relations_are_shown_inline_and_nothing_is_written(world, case):
    a, b = new_card(world, "Ship"), new_card(world, "Build")
    relations.create_relation(ada(), a.id, b.id, "blocks")
    db.session.commit()
    secret = secret_card()
    data, status, message = {
        "self": ({"type": "related_to", "target_id": a.id}, 400, "A card cannot be related to itself"),
        "duplicate": ({"type": "blocks", "target_id": b.id}, 409, "already related this way"),
        "inverse duplicate": ({"type": "blocked_by", "target_id": a.id}, 409, "already related this way"),
        "cycle": ({"type": "blocks", "target_id": a.id}, 409, "would close a cycle"),
        "unknown key": ({"type": "blocks", "q": "WEB-99"}, 400, "Pick a card from the list"),
        "other workspace": ({"type": "blocks", "target_id": secret.id}, 400, "in this workspace"),
        "bad type": ({"type": "owns", "target_id": b.id}, 400, "type must be one of"),
    }[case]
    sender = b if case in ("inverse duplicate", "cycle") else a
    response = world.bob.post(f"{card_url(world, sender)}/relations", headers=HX, data=data)
    assert response.status_code == status
    body = html(response)
    assert body.startswith('<section id="panel-relations"') and message in body
    assert 'class="field-error" role="alert"' in body and "hx-swap-oob" not in body
    assert relation_rows() == [(a.id, "blocks", b.id)]


# Reach ---------------------------------------------------------------------------------------

def test_other_projects_and_workspaces_ids_and_outsiders_get_404(world):
    card = new_card(world)
    label, field = new_label(world), new_field(world, "Size", "number")
    other_access, other_columns = board(ada(), "Mobile")
    other_card = cards.create_card(ada(), other_columns[0].id, title="Elsewhere")
    other_label = labels.create_label(other_access, "Theirs", "#000000")
    other_field = custom_fields.create_field(other_access, "Theirs", "text")
    related = relations.create_relation(ada(), other_card.id, cards.create_card(
        ada(), other_columns[0].id, title="Also elsewhere").id, "related_to")
    secret = secret_card()
    base, foreign = card_url(world, card), card_url(world, other_card)
    attempts = [
        (f"{base}/labels/{other_label.id}", {"assigned": "1"}),
        (f"{base}/custom-fields/{other_field.id}", {"value": "x"}),
        (f"{base}/relations/{related.relation.id}/delete", {}),
        (f"{foreign}/labels/{other_label.id}", {"assigned": "1"}),
        (f"{foreign}/labels", {"name": "Sneaky", "color": "#000000"}),
        (f"{foreign}/custom-fields/{other_field.id}", {"value": "x"}),
        (f"{foreign}/relations", {"type": "blocks", "target_id": card.id}),
        (f"/o/acme/w/eng/p/{secret.project_id}/cards/{card.id}/labels/{label.id}", {"assigned": "1"}),
        (f"{base.replace(card.id, secret.id)}/labels", {"name": "Sneaky", "color": "#000000"}),
    ]
    for path, data in attempts:
        assert world.ada.post(path, headers=HX, data=data).status_code == 404, path
    assert world.ada.get(f"{foreign}/relations/candidates?q=x", headers=HX).status_code == 404
    for outsider in (world.carl, world.eve):  # in the workspace but not the project; outside
        assert outsider.post(f"{base}/labels/{label.id}", headers=HX, data={"assigned": "1"}).status_code == 404
        assert outsider.post(f"{base}/labels", headers=HX, data={"name": "X", "color": "#000000"}).status_code == 404
        assert outsider.post(f"{base}/custom-fields/{field.id}", headers=HX, data={"value": "1"}).status_code == 404
        assert outsider.post(f"{base}/custom-fields", headers=HX, data={"name": "X", "type": "text"}).status_code == 404
        assert outsider.get(f"{base}/relations/candidates?q=x", headers=HX).status_code == 404
        assert outsider.post(f"{base}/relations", headers=HX, data={"type": "blocks", "q": "WEB-1"}).status_code == 404
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CardLabel)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CustomFieldValue)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Label)) == 2
    assert len(relation_rows()) == 1


def test_changes_need_the_csrf_token_and_work_without_javascript(app, world):
    card = new_card(world)
    label, field = new_label(world), new_field(world, "Size", "number")
    base = card_url(world, card)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        for path, data in ((f"/labels/{label.id}", {"assigned": "1"}), ("/labels", {"name": "X", "color": "#000000"}),
                           (f"/custom-fields/{field.id}", {"value": "3"}), ("/custom-fields", {"name": "X", "type": "text"}),
                           ("/relations", {"type": "blocks", "q": "WEB-1"})):
            assert world.bob.post(base + path, headers=HX, data=data).status_code == 400
        page = html(world.bob.get(base))
        token = csrf_token(page)
        for section in ("panel-labels", "panel-custom-fields", "panel-relations"):
            part = page[page.index(f'<section id="{section}"'):]
            part = part[:part.index("</section>")]
            assert part.count("<form ") == part.count(f'name="csrf_token" value="{token}"') > 0
        signed = world.bob.post(f"{base}/labels/{label.id}", headers={**HX, "X-CSRFToken": token}, data={"assigned": "1"})
        assert signed.status_code == 200
        plain = world.bob.post(f"{base}/custom-fields/{field.id}", data={"value": "3", "csrf_token": token})
        assert plain.status_code == 302 and plain.location.endswith(f"/cards/{card.id}")
        refused = world.bob.post(f"{base}/custom-fields/{field.id}", data={"value": "three", "csrf_token": token},
                                 follow_redirects=True)
        assert "Size must be a number" in html(refused)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert label_names(card.id) == ["Bug"] and stored_value(card.id, field.id) == 3


# The board -----------------------------------------------------------------------------------

def test_a_card_blocked_by_an_open_card_shows_the_marker_on_the_board(world):
    a, b, c = new_card(world, "Ship"), new_card(world, "Build"), new_card(world, "Test")
    relations.create_relation(ada(), a.id, b.id, "blocked_by")
    relations.create_relation(ada(), c.id, a.id, "related_to")
    db.session.commit()
    page = html(world.bob.get(world.url))
    assert ">Blocked</span>" in tile(page, a.id) and 'class="card-tile blocked"' in tile(page, a.id)
    assert "Blocked" not in tile(page, b.id) and "Blocked" not in tile(page, c.id)
    cards.move_card(ada(), b.id, world.column(2))  # the blocker is done
    db.session.commit()
    assert "Blocked" not in tile(html(world.bob.get(world.url)), a.id)
    cards.move_card(ada(), b.id, world.column(1))
    db.session.commit()
    assert "Blocked" in tile(html(world.bob.get(world.url)), a.id)
    cards.archive_card(ada(), b.id, True)  # an archived blocker blocks nothing
    db.session.commit()
    assert "Blocked" not in tile(html(world.bob.get(world.url)), a.id)


def test_open_boards_hear_of_label_and_relation_changes_and_refresh_tiles_with_their_marks(world):
    a, b = new_card(world, "Ship"), new_card(world, "Build", column=1)
    label = new_label(world, "Bug")
    cursor = live.page_cursor()
    world.bob.post(f"{card_url(world, a)}/labels/{label.id}", headers=HX, data={"assigned": "1"})
    world.bob.post(f"{card_url(world, a)}/relations", headers=HX, data={"type": "blocked_by", "target_id": b.id})
    events = [event for _, event in live.local_broker().read(world.project_id, cursor, 10)]
    assert [e["type"] for e in events] == ["card.updated"] * 3
    assert events[0]["cardId"] == a.id and events[0]["columnIds"] == [world.column(0)]  # the label
    assert sorted(e["cardId"] for e in events[1:]) == sorted([a.id, b.id])  # the relation, both ends
    # What the live script fetches to re-render a column: the board's columns, for htmx.
    columns = html(world.ada.get(world.url, headers=HX))
    assert "<html" not in columns
    assert ">Bug</li>" in tile(columns, a.id) and ">Blocked</span>" in tile(columns, a.id)


def board_with_marks(count: int, name: str):
    """A project of Ada's with `count` cards in To Do, each with two labels, every other one
    blocked by a card of In Progress."""
    access, cols = board(ada(), name)
    ids = bulk_cards(access.project.id, cols[0].id, count)
    blockers = bulk_cards(access.project.id, cols[1].id, 3)
    first, second = labels.create_label(access, "One", "#111111"), labels.create_label(access, "Two", "#222222")
    db.session.execute(sa.insert(CardLabel), [{"card_id": i, "label_id": label.id}
                                              for i in ids for label in (first, second)])
    db.session.execute(sa.insert(CardRelation), [
        {"id": new_id(), "source_card_id": blockers[n % 3], "target_card_id": i, "type": "blocks"}
        for n, i in enumerate(ids[::2])])
    db.session.commit()
    return f"/o/acme/w/eng/p/{access.project.id}", cols, ids


def test_labels_and_blocked_markers_cost_the_same_sql_at_10_and_1000_cards(world):
    small_url, small_cols, _ = board_with_marks(10, "Small")
    large_url, large_cols, _ = board_with_marks(1000, "Large")
    plain, plain_cols = board(ada(), "Plain")
    bulk_cards(plain.project.id, plain_cols[0].id, 10)  # no label, no relation
    db.session.commit()
    plain_url = f"/o/acme/w/eng/p/{plain.project.id}"
    world.ada.get(small_url)  # first request of the connection pool out of the way
    small, small_count = count_statements(lambda: world.ada.get(small_url))
    large, large_count = count_statements(lambda: world.ada.get(large_url))
    _, plain_count = count_statements(lambda: world.ada.get(plain_url))
    assert small_count == large_count == plain_count
    small_page, large_page = html(small), html(large)
    assert small_page.count('class="label-chip"') == 20 and small_page.count(">Blocked</span>") == 5
    assert large_page.count('class="label-chip"') == 100 and large_page.count(">Blocked</span>") == 25
    assert len(column_cards(large_page)[large_cols[0].id]) == 50
    _, small_more = count_statements(lambda: world.ada.get(
        f"{small_url}/board/columns/{small_cols[0].id}/cards?offset=5", headers=HX))
    _, large_more = count_statements(lambda: world.ada.get(
        f"{large_url}/board/columns/{large_cols[0].id}/cards?offset=5", headers=HX))
    assert small_more == large_more
