"""Scopes in the browser: the switcher, creating, editing and deleting a scope, the kanban of
a scope (the board page with `?scope=`), and the card page opening on the card's board."""
import sqlalchemy as sa

from app.extensions import db
from app.models.board import Card, Column, Scope
from app.services import cards
from tests.board_helpers import board
from tests.web.board_support import HX, column_cards, column_ids, html, new_scope, user_named, world  # noqa: F401


def test_a_new_scope_opens_on_its_own_kanban(world):
    response = world.bob.post(f"{world.url}/scopes", data={
        "name": "Sprint 1", "description": "", "start_date": "2026-12-01", "end_date": "2026-12-14"})
    scope = db.session.scalar(sa.select(Scope))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{world.url}?scope={scope.id}")
    assert (scope.name, scope.description, scope.start_date.day, scope.end_date.day) == ("Sprint 1", None, 1, 14)

    page = html(world.bob.get(f"{world.url}?scope={scope.id}"))
    scope_columns = list(db.session.scalars(sa.select(Column.id).where(Column.scope_id == scope.id)
                                            .order_by(Column.order)))
    assert column_ids(page) == scope_columns
    assert 'aria-label="Switch board">Sprint 1</summary>' in page
    # Every board form and the filter keep the board they belong to.
    assert f'name="scope" value="{scope.id}"' in page
    assert f'data-filter="scope={scope.id}"' in page
    # The project's own board is unchanged, and its switcher lists the scope.
    own = html(world.bob.get(world.url))
    assert column_ids(own) == world.columns
    assert f"/scopes/{scope.id}" in own and ">Sprint 1</a>" in own


def test_board_forms_on_a_scope_answer_with_the_scope_board(world):
    scope, scope_columns = new_scope(world)
    added = world.bob.post(f"{world.url}/board/columns", headers=HX, data={"name": "Review", "scope": scope.id})
    assert added.status_code == 201
    fragment = html(added)
    new_ids = column_ids(fragment)
    assert new_ids[:3] == scope_columns and len(new_ids) == 4
    assert db.session.get(Column, new_ids[3]).scope_id == scope.id
    card = world.bob.post(f"{world.url}/board/columns/{scope_columns[0]}/cards", headers=HX,
                          data={"title": "Scoped work", "scope": scope.id})
    assert card.status_code == 201
    shown = column_cards(html(world.bob.get(f"{world.url}?scope={scope.id}")))
    assert len(shown[scope_columns[0]]) == 1
    assert all(not ids for ids in column_cards(html(world.bob.get(world.url))).values())


def test_the_card_page_opens_on_the_board_of_the_card(world):
    scope, scope_columns = new_scope(world)
    card = cards.create_card(user_named("ada@example.com"), scope_columns[1], title="In the sprint")
    db.session.commit()
    page = html(world.bob.get(f"{world.url}/cards/{card.id}"))
    assert column_ids(page) == scope_columns
    assert column_cards(page)[scope_columns[1]] == [card.id]
    # The panel's column choices are every board's columns, grouped by board.
    status = page[page.index('name="value"', page.index("card-field-column")):]
    status = status[:status.index("</select>")]
    assert status.index('<optgroup label="Project board">') < status.index(f'value="{world.column(0)}"') \
        < status.index('<optgroup label="Sprint 1">') < status.index(f'value="{scope_columns[0]}"')
    assert f'value="{scope_columns[1]}" selected' in status


def test_the_panel_moves_a_card_to_another_board(world):
    scope, scope_columns = new_scope(world)
    card = cards.create_card(user_named("ada@example.com"), scope_columns[0], title="Next sprint, maybe")
    db.session.commit()
    answer = world.bob.post(f"{world.url}/cards/{card.id}/fields/column", headers=HX,
                            data={"value": world.column(1), "scope": scope.id})
    assert answer.status_code == 200
    db.session.expire_all()
    assert db.session.get(Card, card.id).column_id == world.column(1)
    # The scope's board loses the card; the project board's column is not on this page to redraw.
    assert column_cards(html(answer)) == {scope_columns[0]: []}
    assert column_cards(html(world.bob.get(world.url)))[world.column(1)] == [card.id]


def test_edit_and_refusals_keep_everything(world):
    scope, _ = new_scope(world, startDate="2026-12-01")
    refused = world.bob.post(f"{world.url}/scopes/{scope.id}/edit", headers=HX,
                             data={"name": "Renamed", "start_date": "2026-12-01", "end_date": "2026-11-01"})
    assert refused.status_code == 400
    assert "endDate must not be before startDate" in html(refused)
    assert 'value="Renamed"' in html(refused)
    db.session.expire_all()
    assert db.session.get(Scope, scope.id).name == "Sprint 1"
    blank = world.bob.post(f"{world.url}/scopes", headers=HX, data={"name": "  "})
    assert blank.status_code == 400 and "name" in html(blank)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Scope)) == 1

    saved = world.bob.post(f"{world.url}/scopes/{scope.id}/edit",
                           data={"name": "Renamed", "description": "Goal", "start_date": "", "end_date": ""})
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"/scopes/{scope.id}")
    db.session.expire_all()
    changed = db.session.get(Scope, scope.id)
    assert (changed.name, changed.description, changed.start_date) == ("Renamed", "Goal", None)


def test_delete_needs_a_project_admin(world):
    scope, scope_columns = new_scope(world)
    cards.create_card(user_named("ada@example.com"), scope_columns[0], title="Goes too")
    db.session.commit()
    assert world.bob.post(f"{world.url}/scopes/{scope.id}/delete").status_code == 403
    response = world.ada.post(f"{world.url}/scopes/{scope.id}/delete")
    assert response.status_code == 302 and response.headers["Location"].endswith(world.url)
    db.session.expire_all()
    assert db.session.get(Scope, scope.id) is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Column)) == 3


def test_a_scope_is_reached_only_through_its_project(world):
    scope, _ = new_scope(world)
    other, _ = board(user_named("ada@example.com"), "Elsewhere")
    db.session.commit()
    elsewhere = f"/o/acme/w/eng/p/{other.project.id}"
    assert world.ada.get(f"{elsewhere}?scope={scope.id}").status_code == 404
    assert world.ada.get(f"{elsewhere}/scopes/{scope.id}").status_code == 404
    assert world.ada.post(f"{elsewhere}/scopes/{scope.id}/edit", data={"name": "x"}).status_code == 404
    assert world.ada.post(f"{elsewhere}/scopes/{scope.id}/delete").status_code == 404
    assert world.bob.get(f"{world.url}?scope=nonsense").status_code == 404
    assert world.carl.get(f"{world.url}?scope={scope.id}").status_code == 404
    assert world.eve.post(f"{world.url}/scopes", data={"name": "Mine"}).status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Scope)) == 1


def test_opening_a_scope_goes_to_the_view_last_used(world):
    scope, _ = new_scope(world)
    response = world.bob.get(f"{world.url}/scopes/{scope.id}")
    assert response.headers["Location"].endswith(f"{world.url}?scope={scope.id}")


def test_scope_forms_need_the_csrf_token_when_it_is_enforced(app, world):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert world.bob.post(f"{world.url}/scopes", data={"name": "No token"}).status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Scope)) == 0
