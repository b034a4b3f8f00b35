"""Custom fields: definitions, typed values, clearing, deletion, and type or option changes
that convert or clear but never leave an invalid value."""
import pytest
import sqlalchemy as sa

from app.errors import Conflict, Invalid, NotFound
from app.extensions import db
from app.models.card_depth import CustomFieldValue
from app.presenters.board import card_json
from app.services import cards, custom_fields
from tests.board_helpers import board
from tests.card_depth_helpers import activities, crew  # noqa: F401


def field(crew, type_, options=None, name=None):
    return custom_fields.create_field(crew.access, name or type_, type_, options)


def values_of(card) -> dict:
    db.session.expire_all()
    return card_json(db.session.get(type(card), card.id))["customFields"]


def test_six_types_with_options_only_for_choices(crew):
    made = [field(crew, t, ["a", "b"] if t in ("select", "multi-select") else None)
            for t in ("text", "number", "select", "multi-select", "date", "boolean")]
    assert [f.type for f in custom_fields.list_fields(crew.access)] == [f.type for f in made]
    with pytest.raises(Invalid) as error:
        field(crew, "select", None, "Needs options")
    assert error.value.field == "options"
    with pytest.raises(Invalid):
        field(crew, "text", ["a"], "No options")
    with pytest.raises(Invalid):
        field(crew, "select", ["a", "a"], "Twice")
    with pytest.raises(Invalid) as error:
        field(crew, "colour", None, "Bad type")
    assert error.value.field == "type"
    with pytest.raises(Conflict):
        field(crew, "text", None, "TEXT")


@pytest.mark.parametrize("type_, given, stored", [
    ("text", "  hello ", "hello"), ("text", "   ", None), ("number", 3, 3), ("number", -2.5, -2.5),
    ("boolean", False, False), ("date", "2026-04-01", "2026-04-01T00:00:00.000Z"),
    ("select", "b", "b"), ("multi-select", ["b", "a", "b"], ["b", "a"]), ("multi-select", [], None),
])
def test_values_by_type(crew, type_, given, stored):
    f = field(crew, type_, ["a", "b"] if "select" in type_ else None)
    custom_fields.set_values(crew.bob, crew.card.id, {f.id: given})
    db.session.commit()
    assert values_of(crew.card) == ({} if stored is None else {f.id: stored})


@pytest.mark.parametrize("type_, given", [
    ("text", 5), ("text", "x" * 1001), ("number", "3"), ("number", True), ("boolean", "true"),
    ("date", "tomorrow"), ("date", 20260401), ("select", "c"), ("select", ["a"]), ("multi-select", "a"),
    ("multi-select", ["a", "c"]), ("multi-select", [1]),
])
def test_values_that_do_not_fit_are_refused_and_nothing_changes(crew, type_, given):
    good = field(crew, "text", None, "Good")
    f = field(crew, type_, ["a", "b"] if "select" in type_ else None)
    with pytest.raises(Invalid) as error:
        custom_fields.set_values(crew.jane, crew.card.id, {good.id: "kept?", f.id: given})
    assert error.value.field == f"values.{f.id}"
    db.session.rollback()
    assert values_of(crew.card) == {}


def test_null_clears_and_a_field_of_another_project_is_refused(crew):
    f = field(crew, "number")
    custom_fields.set_values(crew.jane, crew.card.id, {f.id: 1})
    custom_fields.set_values(crew.jane, crew.card.id, {f.id: None})
    assert values_of(crew.card) == {}
    other, _ = board(crew.jane, "Other")
    foreign = custom_fields.create_field(other, "Points", "number")
    for key in (foreign.id, "nonsense"):
        with pytest.raises(Invalid) as error:
            custom_fields.set_values(crew.jane, crew.card.id, {key: 1})
        assert error.value.field == f"values.{key}"
    with pytest.raises(NotFound):
        custom_fields.update_field(crew.access, foreign.id, {"name": "Mine"})


def test_setting_values_records_card_updated_only_when_something_changed(crew):
    f = field(crew, "number", name="Points")
    custom_fields.set_values(crew.bob, crew.card.id, {f.id: 3})
    custom_fields.set_values(crew.bob, crew.card.id, {f.id: 3})
    db.session.commit()
    updates = [a for a in activities("card_updated") if a.meta["fields"] == ["customFields"]]
    assert [(a.actor_id, a.meta["customFields"]) for a in updates] == [(crew.bob.id, ["Points"])]


def test_deleting_a_field_removes_its_values(crew):
    f = field(crew, "text")
    custom_fields.set_values(crew.jane, crew.card.id, {f.id: "x"})
    db.session.commit()
    custom_fields.delete_field(crew.access, f.id)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CustomFieldValue)) == 0
    assert values_of(crew.card) == {}


def change(crew, old_type, value, new, options=("a", "b")):
    """Set `value` on a field of `old_type`, change the field with `new`; return the value
    left on the card (None when cleared)."""
    f = field(crew, old_type, list(options) if "select" in old_type else None)
    custom_fields.set_values(crew.jane, crew.card.id, {f.id: value})
    custom_fields.update_field(crew.access, f.id, new)
    db.session.commit()
    return values_of(crew.card).get(f.id)


@pytest.mark.parametrize("old_type, value, new, left", [
    ("number", 3, {"type": "text"}, "3"),
    ("number", 2.5, {"type": "text"}, "2.5"),
    ("boolean", True, {"type": "text"}, "true"),
    ("date", "2026-04-01", {"type": "text"}, "2026-04-01"),
    ("multi-select", ["a", "b"], {"type": "text"}, "a, b"),
    ("text", "42", {"type": "number"}, 42),
    ("text", "4.5", {"type": "number"}, 4.5),
    ("text", "many", {"type": "number"}, None),
    ("text", "nan", {"type": "number"}, None),
    ("text", "TRUE", {"type": "boolean"}, True),
    ("text", "yes", {"type": "boolean"}, None),
    ("text", "2026-05-01", {"type": "date"}, "2026-05-01T00:00:00.000Z"),
    ("text", "soon", {"type": "date"}, None),
    ("text", "b", {"type": "select", "options": ["a", "b"]}, "b"),
    ("text", "c", {"type": "select", "options": ["a", "b"]}, None),
    ("select", "a", {"type": "multi-select"}, ["a"]),
    ("multi-select", ["b"], {"type": "select"}, "b"),
    ("multi-select", ["a", "b"], {"type": "select"}, None),
    ("select", "a", {"options": ["b", "c"]}, None),
    ("multi-select", ["a", "b"], {"options": ["b", "c"]}, ["b"]),
    ("boolean", False, {"type": "number"}, None),
    ("number", 7, {"type": "date"}, None),
    ("select", "b", {"type": "number"}, None),
])
def test_changing_a_field_converts_or_clears_its_values(crew, old_type, value, new, left):
    assert change(crew, old_type, value, new) == left


def test_a_type_change_to_a_choice_needs_options_and_options_need_a_choice_type(crew):
    f = field(crew, "text")
    with pytest.raises(Invalid):
        custom_fields.update_field(crew.access, f.id, {"type": "select"})
    with pytest.raises(Invalid):
        custom_fields.update_field(crew.access, f.id, {"options": ["a"]})
    s = field(crew, "select", ["a"], "Choice")
    custom_fields.update_field(crew.access, s.id, {"type": "text"})
    assert s.options == []


def test_every_value_left_after_a_change_fits_the_field(crew):
    f = field(crew, "text")
    texts = ["1", "x", "2026-01-01", "true", "a"]
    made = [crew.card] + [cards.create_card(crew.jane, crew.columns[0].id, title=f"C{i}") for i in range(4)]
    for card, text in zip(made, texts):
        custom_fields.set_values(crew.jane, card.id, {f.id: text})
    for new in ({"type": "select", "options": ["a", "1"]}, {"type": "multi-select"}, {"options": ["a"]},
                {"type": "number"}, {"type": "boolean"}, {"type": "date"}):
        custom_fields.update_field(crew.access, f.id, new)
        db.session.flush()
        for row in db.session.scalars(sa.select(CustomFieldValue).where(CustomFieldValue.field_id == f.id)):
            assert custom_fields.value_for(f, row.value) == row.value
