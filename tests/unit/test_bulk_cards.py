"""One change to several cards: through the card services (activity recorded once per card
changed), cards already as asked left alone, every id checked against the project first,
and the first refusal raised so that the caller's rollback undoes all."""
import pytest
import sqlalchemy as sa

from app.errors import Conflict, Invalid, NotFound
from app.extensions import db
from app.models.board import Card
from app.services import cards, columns, labels
from app.services.bulk_cards import apply_to_cards
from tests.board_helpers import board
from tests.card_depth_helpers import activities, crew  # noqa: F401


def _three(crew) -> list[str]:
    ids = [crew.card.id] + [cards.create_card(crew.jane, crew.columns[0].id, title=t).id for t in ("Two", "Three")]
    db.session.commit()
    return ids


def _state(ids) -> list[tuple]:
    db.session.expire_all()
    return [(c.column_id, c.order, c.assignee_id, c.archived, c.version)
            for c in (db.session.get(Card, i) for i in ids)]


def test_move_assign_label_archive(crew):
    ids = _three(crew)
    done = crew.columns[2]
    moved = apply_to_cards(crew.bob, ids[:2], "move", done.id, expected_project_id=crew.access.project.id)
    assert [c.id for c in moved] == ids[:2]
    assert [c.column_id for c in (db.session.get(Card, i) for i in ids)] == [done.id, done.id, crew.columns[0].id]
    assert len(activities("card_moved")) == 2
    # Already there: left alone, nothing recorded.
    assert apply_to_cards(crew.bob, ids[:1], "move", done.id, expected_project_id=crew.access.project.id) == []
    assert len(activities("card_moved")) == 2

    assigned = apply_to_cards(crew.bob, ids, "assign", crew.jane.id, expected_project_id=crew.access.project.id)
    assert len(assigned) == 3 and {c.assignee_id for c in assigned} == {crew.jane.id}
    unassigned = apply_to_cards(crew.bob, ids[1:], "assign", "", expected_project_id=crew.access.project.id)
    assert [c.assignee_id for c in unassigned] == [None, None]

    bug = labels.create_label(crew.access, "Bug", "#ff0000")
    labels.assign_label(crew.jane, ids[0], bug.id)
    labelled = apply_to_cards(crew.bob, ids, "label", bug.id, expected_project_id=crew.access.project.id)
    assert [c.id for c in labelled] == ids[1:]  # the first had it already

    archived = apply_to_cards(crew.bob, ids[::2], "archive", expected_project_id=crew.access.project.id)
    assert len(archived) == 2 and all(c.archived for c in archived)
    assert cards.list_cards(crew.access)[0].id == ids[1]


def test_the_first_refusal_raises_and_a_rollback_undoes_all(crew):
    ids = _three(crew)
    doing = crew.columns[1]
    columns.update_column(crew.access, doing.id, {"wipLimit": 2})
    db.session.commit()
    before = _state(ids)
    with pytest.raises(Conflict) as error:
        apply_to_cards(crew.bob, ids, "move", doing.id, expected_project_id=crew.access.project.id)
    assert "WIP limit of 2" in error.value.message
    db.session.rollback()
    assert _state(ids) == before


def test_every_id_is_checked_before_anything_changes(crew):
    ids = _three(crew)
    other, other_columns = board(crew.jane, "Elsewhere")
    foreign = cards.create_card(crew.jane, other_columns[0].id, title="Theirs")
    db.session.commit()
    before = _state(ids)
    for bad in (foreign.id, "nonsense"):
        with pytest.raises(NotFound):
            apply_to_cards(crew.jane, ids + [bad], "archive", expected_project_id=crew.access.project.id)
        assert _state(ids) == before
    with pytest.raises(NotFound):  # out of reach whatever the project named
        apply_to_cards(crew.eve, ids, "archive", expected_project_id=crew.access.project.id)
    with pytest.raises(NotFound):  # another project's label
        apply_to_cards(crew.jane, ids, "label", labels.create_label(other, "Bug", "#ff0000").id,
                       expected_project_id=crew.access.project.id)
    assert _state(ids) == before


@pytest.mark.parametrize("card_ids, action, value, field", [
    ([], "archive", None, "cards"), (None, "delete", None, "action"), (None, "move", "", "column"),
    (None, "label", None, "label"), (None, "assign", "carl", "assigneeId"), (None, "move", "0" * 24, "columnId"),
])
def test_bad_requests(crew, card_ids, action, value, field):
    with pytest.raises(Invalid) as error:
        apply_to_cards(crew.jane, [crew.card.id] if card_ids is None else card_ids, action, value,
                       expected_project_id=crew.access.project.id)
    assert error.value.field == field


def test_an_assignee_must_be_a_project_member(crew):
    ids = _three(crew)
    with pytest.raises(Invalid):
        apply_to_cards(crew.jane, ids, "assign", crew.eve.id, expected_project_id=crew.access.project.id)
    db.session.rollback()
    assert {c.assignee_id for c in (db.session.get(Card, i) for i in ids)} == {None}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Card).where(Card.assignee_id.is_not(None))) == 0
