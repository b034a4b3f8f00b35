"""Classifying a card in a real browser, from the board: in card A's panel, create a label on
the fly and see its chip on A's tile, set a custom field, relate A "blocked by" card B found
by typing B's key, and see the Blocked marker on A's tile; B's panel opens from the
relation. CSRF protection is on, as in production."""
import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.extensions import db
from app.models.card_depth import CardRelation, CustomFieldValue
from app.models.identity import User
from app.services import cards, columns, custom_fields, projects
from app.services.access import workspace_access
from tests.e2e.test_board_journey import csrf_on, settled, sign_up  # noqa: F401

pytestmark = pytest.mark.e2e


def test_a_card_classified_from_its_panel(new_page, live_server, csrf_on):
    page = new_page()
    sign_up(page, "Dorothy Vaughan", "dorothy@example.com")

    dorothy = db.session.scalar(sa.select(User).where(User.email == "dorothy@example.com"))
    project = projects.create_project(workspace_access(dorothy, "dorothy-vaughan", "personal"), "Fortran")
    access = projects.project_access(dorothy, "dorothy-vaughan", "personal", project.id)
    todo = columns.list_columns(access)[0]
    card_a = cards.create_card(dorothy, todo.id, title="Port the solver")
    card_b = cards.create_card(dorothy, todo.id, title="Learn the compiler")
    estimate = custom_fields.create_field(access, "Estimate", "number")
    db.session.commit()
    key_b = f"{project.key}-{card_b.number}"
    estimate_url = f"/custom-fields/{estimate.id}"  # read here: the browser's callbacks run outside the app

    page.goto(f"/o/dorothy-vaughan/w/personal/p/{project.id}")
    tile_a = page.locator(f"#card-{card_a.id}")
    tile_a.get_by_role("link", name="Port the solver").click()
    panel = page.locator("#card-panel .card-detail")
    expect(panel.get_by_label("Title")).to_have_value("Port the solver")

    labels = panel.locator("#panel-labels")
    labels.get_by_text("New label").click()
    labels.get_by_label("Label name").fill("Numerics")
    labels.get_by_label("Label color").fill("#0b7285")
    labels.get_by_role("button", name="Create and add").click()
    expect(labels.get_by_role("button", name="Numerics")).to_have_attribute("aria-pressed", "true")
    expect(tile_a.locator(".label-chip")).to_have_text(["Numerics"])
    settled(page)

    field = panel.get_by_label("Estimate")
    with page.expect_response(lambda r: estimate_url in r.url and r.status == 200):
        field.fill("8")
        field.press("Tab")
    settled(page)
    expect(panel.get_by_label("Estimate")).to_have_value("8")
    db.session.expire_all()
    assert db.session.get(CustomFieldValue, (card_a.id, estimate.id)).value == 8

    relations = panel.locator("#panel-relations")
    relations.get_by_label("Relation type").select_option("blocked_by")
    relations.get_by_label("Find a card to relate by its key or words").press_sequentially(key_b.lower())
    candidate = relations.get_by_role("button", name=f"{key_b} Learn the compiler")
    candidate.click()
    group = relations.locator('[data-relation-type="blocked_by"]')
    expect(group.get_by_role("link")).to_have_text(f"{key_b} Learn the compiler")
    expect(tile_a.locator(".card-blocked")).to_have_text("Blocked")
    expect(page.locator(f"#card-{card_b.id} .card-blocked")).to_have_count(0)
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CardRelation).where(
        CardRelation.source_card_id == card_b.id, CardRelation.target_card_id == card_a.id,
        CardRelation.type == "blocks")) == 1

    settled(page)
    group.get_by_role("link").click()  # the blocker's panel opens from the relation
    expect(panel.get_by_label("Title")).to_have_value("Learn the compiler")
    expect(panel.locator('#panel-relations [data-relation-type="blocks"]')).to_contain_text("Port the solver")
