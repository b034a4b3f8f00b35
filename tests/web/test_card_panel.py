"""The card panel: the fragment and the page, each field saved or refused, the checklist
with its progress, archive/restore/delete, the archived cards page, and the 404s of cards
reached through another project or by outsiders."""
import sqlalchemy as sa

from app.extensions import db
from app.models.board import Card, ChecklistItem
from app.services import cards, checklists
from tests.board_helpers import board
from tests.web.board_support import HX, card_titles, html, user_named, world  # noqa: F401


def new_card(world, title="Write the launch post", column=0):
    ada = user_named("ada@example.com")
    card = cards.create_card(ada, world.column(column), expected_project_id=world.project_id, title=title)
    db.session.commit()
    return card.id


def fresh(card_id) -> Card:
    db.session.expire_all()
    return db.session.get(Card, card_id)


def panel_url(world, card_id):
    return f"{world.url}/cards/{card_id}"


def save(client, world, card_id, field, value):
    return client.post(f"{panel_url(world, card_id)}/fields/{field}", headers=HX, data={"value": value})


def test_the_panel_is_a_fragment_for_htmx_and_the_board_with_the_panel_otherwise(world):
    card_id = new_card(world, "Launch <post>")
    fragment = world.bob.get(panel_url(world, card_id), headers=HX)
    assert fragment.status_code == 200
    body = html(fragment)
    assert "<html" not in body and f'data-card-id="{card_id}"' in body
    assert "Launch &lt;post&gt;" in body and "<post>" not in body
    assert f'data-board-url="{world.url}"' in body
    page = html(world.bob.get(panel_url(world, card_id)))
    assert "<html" in page and '<aside id="card-panel" class="card-panel">' in page
    assert f'class="card-detail" data-card-id="{card_id}"' in page
    assert f'id="column-{world.column(0)}"' in page  # the board is there too
    assert f'href="{world.url}"' in page  # back to the board


def test_cards_of_another_project_and_outsiders_get_404(world):
    card_id = new_card(world)
    _, other_columns = board(user_named("ada@example.com"), "Other")
    other_card = cards.create_card(user_named("ada@example.com"), other_columns[0].id, title="Elsewhere")
    db.session.commit()
    assert world.ada.get(panel_url(world, other_card.id), headers=HX).status_code == 404
    assert world.ada.get(f"{world.url}/cards/nothex").status_code == 404
    assert save(world.ada, world, other_card.id, "title", "Hijacked").status_code == 404
    for outsider in (world.carl, world.eve):
        assert outsider.get(panel_url(world, card_id)).status_code == 404
        assert save(outsider, world, card_id, "title", "Hijacked").status_code == 404
        assert outsider.post(f"{panel_url(world, card_id)}/delete", headers=HX).status_code == 404
        assert outsider.get(f"{world.url}/archived").status_code == 404
    assert fresh(card_id).title == "Write the launch post"
    assert fresh(other_card.id).title == "Elsewhere"


def test_each_field_saves_and_the_tile_comes_back_out_of_band(world):
    card_id = new_card(world)
    bob = user_named("bob@example.com")
    response = save(world.bob, world, card_id, "title", "  Ship it  ")
    assert response.status_code == 200
    body = html(response)
    assert body.startswith('<form id="panel-field-title"')
    assert f'<article id="card-{card_id}"' in body and 'hx-swap-oob="true"' in body
    assert fresh(card_id).title == "Ship it"
    assert save(world.bob, world, card_id, "description", "Details & more").status_code == 200
    assert save(world.bob, world, card_id, "priority", "high").status_code == 200
    assert save(world.bob, world, card_id, "start_date", "2030-01-02").status_code == 200
    due = save(world.bob, world, card_id, "due_date", "2030-01-05")
    assert due.status_code == 200 and "05 Jan 2030" in html(due)  # the tile shows it
    assert save(world.bob, world, card_id, "assignee", bob.id).status_code == 200
    card = fresh(card_id)
    assert (card.description, card.priority, card.assignee_id) == ("Details & more", "high", bob.id)
    assert card.start_date.date().isoformat() == "2030-01-02" and card.due_date.date().isoformat() == "2030-01-05"
    assert save(world.bob, world, card_id, "priority", "").status_code == 200
    assert save(world.bob, world, card_id, "assignee", "").status_code == 200
    assert save(world.bob, world, card_id, "due_date", "").status_code == 200
    card = fresh(card_id)
    assert card.priority is None and card.assignee_id is None and card.due_date is None


def test_a_refused_field_shows_the_reason_and_saves_nothing(world):
    card_id = new_card(world)
    empty = save(world.bob, world, card_id, "title", "   ")
    assert empty.status_code == 400 and "title must not be empty" in html(empty)
    assert "has-error" in html(empty) and 'hx-swap-oob' not in html(empty)
    too_long = save(world.bob, world, card_id, "description", "x" * 5001)
    assert too_long.status_code == 400 and "at most 5000 characters" in html(too_long)
    assert save(world.bob, world, card_id, "priority", "urgent").status_code == 400
    bad_date = save(world.bob, world, card_id, "due_date", "tomorrow")
    assert bad_date.status_code == 400 and "ISO 8601" in html(bad_date) and 'value="tomorrow"' in html(bad_date)
    assert save(world.bob, world, card_id, "start_date", "2030-02-01").status_code == 200
    before = fresh(card_id).version
    backwards = save(world.bob, world, card_id, "due_date", "2030-01-01")
    assert backwards.status_code == 400 and "must not be before startDate" in html(backwards)
    carl = user_named("carl@example.com")  # in the workspace, not in the project
    assert save(world.bob, world, card_id, "assignee", carl.id).status_code == 400
    _, other_columns = board(user_named("ada@example.com"), "Other")
    db.session.commit()
    assert save(world.bob, world, card_id, "column", other_columns[0].id).status_code == 400
    assert save(world.bob, world, card_id, "colour", "red").status_code == 404
    card = fresh(card_id)
    assert card.title == "Write the launch post" and card.description is None and card.priority is None
    assert card.due_date is None and card.assignee_id is None and card.column_id == world.column(0)
    assert card.version == before


def test_changing_the_column_moves_the_card_and_re_renders_both_columns(world):
    card_id = new_card(world)
    response = save(world.bob, world, card_id, "column", world.column(2))
    assert response.status_code == 200
    body = html(response)
    assert f'<section id="column-{world.column(0)}"' in body and f'<section id="column-{world.column(2)}"' in body
    assert fresh(card_id).column_id == world.column(2)
    assert card_titles(world.column(2)) == ["Write the launch post"] and card_titles(world.column(0)) == []


def checklist_titles(card_id):
    db.session.expire_all()
    return [(i.title, i.done) for i in db.session.scalars(
        sa.select(ChecklistItem).where(ChecklistItem.card_id == card_id).order_by(ChecklistItem.order))]


def item_ids(card_id):
    db.session.expire_all()
    return list(db.session.scalars(sa.select(ChecklistItem.id).where(ChecklistItem.card_id == card_id)
                                   .order_by(ChecklistItem.order)))


def test_the_checklist_adds_ticks_renames_reorders_and_deletes_with_its_progress(world):
    card_id = new_card(world)
    url = f"{panel_url(world, card_id)}/checklist"
    for title in ("Draft", "Review", "Publish"):
        added = world.bob.post(url, headers=HX, data={"title": title})
        assert added.status_code == 200
    body = html(added)
    assert body.startswith('<section id="panel-checklist"') and "0/3 · 0%" in body
    assert 'data-progress="0"' in body and "autofocus" in body
    first, second, third = item_ids(card_id)
    ticked = world.bob.post(f"{url}/{first}", headers=HX, data={"change": "done", "done": "1"})
    assert ticked.status_code == 200
    assert "1/3 · 33%" in html(ticked)
    assert f'<article id="card-{card_id}"' in html(ticked) and "☑ 1/3" in html(ticked)  # the tile
    assert world.bob.post(f"{url}/{second}", headers=HX, data={"change": "done", "done": "1"}).status_code == 200
    unticked = world.bob.post(f"{url}/{first}", headers=HX, data={"change": "done"})
    assert "1/3 · 33%" in html(unticked)
    renamed = world.bob.post(f"{url}/{third}", headers=HX, data={"change": "title", "title": "Ship <it>"})
    assert renamed.status_code == 200 and "Ship &lt;it&gt;" in html(renamed)
    assert world.bob.post(f"{url}/{third}", headers=HX, data={"change": "order", "order": "0"}).status_code == 200
    assert checklist_titles(card_id) == [("Ship <it>", False), ("Draft", False), ("Review", True)]
    deleted = world.bob.post(f"{url}/{first}/delete", headers=HX)
    assert deleted.status_code == 200 and "1/2 · 50%" in html(deleted)
    assert checklist_titles(card_id) == [("Ship <it>", False), ("Review", True)]


def test_refused_checklist_changes_show_the_reason_and_save_nothing(world):
    card_id = new_card(world)
    url = f"{panel_url(world, card_id)}/checklist"
    empty = world.bob.post(url, headers=HX, data={"title": "  "})
    assert empty.status_code == 400 and "title must not be empty" in html(empty)
    assert world.bob.post(url, headers=HX, data={"title": "Draft"}).status_code == 200
    (item,) = item_ids(card_id)
    rename = world.bob.post(f"{url}/{item}", headers=HX, data={"change": "title", "title": ""})
    assert rename.status_code == 400 and "title must not be empty" in html(rename)
    order = world.bob.post(f"{url}/{item}", headers=HX, data={"change": "order", "order": "-1"})
    assert order.status_code == 400 and "whole number" in html(order)
    assert world.bob.post(f"{url}/{item}", headers=HX, data={"change": "colour"}).status_code == 400
    other_card = new_card(world, "Other card")
    checklists.add_item(user_named("ada@example.com"), other_card, "Theirs")
    db.session.commit()
    (theirs,) = item_ids(other_card)
    assert world.bob.post(f"{url}/{theirs}", headers=HX, data={"change": "done", "done": "1"}).status_code == 404
    assert world.bob.post(f"{url}/{theirs}/delete", headers=HX).status_code == 404
    assert checklist_titles(card_id) == [("Draft", False)] and checklist_titles(other_card) == [("Theirs", False)]


def test_archive_closes_the_panel_and_restore_brings_the_card_back(world):
    card_id = new_card(world)
    archived = world.bob.post(f"{panel_url(world, card_id)}/archive", headers=HX)
    assert archived.status_code == 200 and archived.headers["HX-Trigger"] == "card-panel-close"
    body = html(archived)
    assert f'<section id="column-{world.column(0)}"' in body and f'id="card-{card_id}"' not in body
    assert "archived." in body and f"{world.url}/archived" in body
    assert fresh(card_id).archived and card_titles(world.column(0)) == []
    panel = html(world.bob.get(panel_url(world, card_id), headers=HX))
    assert "Archived" in panel and "/restore" in panel
    restored = world.bob.post(f"{panel_url(world, card_id)}/restore", headers=HX)
    assert restored.status_code == 200
    assert f'id="card-{card_id}"' in html(restored) and 'class="card-detail"' in html(restored)
    assert not fresh(card_id).archived and card_titles(world.column(0)) == ["Write the launch post"]


def test_delete_closes_the_panel_and_removes_the_tile(world):
    card_id = new_card(world)
    response = world.bob.post(f"{panel_url(world, card_id)}/delete", headers=HX)
    assert response.status_code == 200 and response.headers["HX-Trigger"] == "card-panel-close"
    assert f'id="card-{card_id}"' not in html(response) and "deleted." in html(response)
    assert fresh(card_id) is None
    assert world.bob.get(panel_url(world, card_id), headers=HX).status_code == 404
    plain = world.bob.post(f"{panel_url(world, new_card(world, 'Second'))}/delete")
    assert plain.status_code == 302 and plain.headers["Location"].endswith(world.url)


def test_the_archived_page_lists_restores_and_deletes(world):
    kept, gone, active = new_card(world, "Kept"), new_card(world, "Gone"), new_card(world, "Active")
    ada = user_named("ada@example.com")
    for card_id in (kept, gone):
        cards.archive_card(ada, card_id)
    db.session.commit()
    page = html(world.bob.get(f"{world.url}/archived"))
    assert "<html" in page and "Kept" in page and "Gone" in page and "Active" not in page
    board_page = html(world.bob.get(world.url))
    assert f'href="{world.url}/archived"' in board_page
    restored = world.bob.post(f"{world.url}/archived/{kept}/restore", headers=HX)
    assert restored.status_code == 200 and "restored" in html(restored)
    assert ">Kept<" not in html(restored) and ">Gone<" in html(restored)
    deleted = world.bob.post(f"{world.url}/archived/{gone}/delete", headers=HX)
    assert deleted.status_code == 200 and "No archived cards" in html(deleted)
    assert card_titles(world.column(0)) == ["Active", "Kept"] and fresh(gone) is None
    assert world.eve.post(f"{world.url}/archived/{active}/delete", headers=HX).status_code == 404
