"""The cockpit's `add_comment` action: applied through the comment service, all or nothing."""
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models.card_depth import Activity, Comment
from app.services import cards, pilotage_actions
from app.services.access import workspace_access
from app.services.pilotage_actions import ApplyFailed
from tests.board_helpers import board
from tests.card_depth_helpers import crew, told  # noqa: F401


def approved(access, payload):
    action = pilotage_actions.propose_action(access, "add_comment", "Ask for a status", payload)
    pilotage_actions.review_action(access, action.id, True)
    db.session.commit()
    return action.id


def counts():
    return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in (Comment, Activity))


def test_apply_posts_the_comment_as_the_applying_user_and_notifies(crew):
    owner = workspace_access(crew.owner, "acme", "eng")
    action_id = approved(owner, {"cardId": crew.card.id, "content": "Status, @bob?"})
    action = pilotage_actions.apply_action(owner, action_id)
    db.session.commit()
    [comment] = db.session.scalars(sa.select(Comment)).all()
    assert action.status == "applied"
    assert action.result == {"cardId": crew.card.id, "commentId": comment.id}
    assert (comment.author_id, comment.content) == (crew.owner.id, "Status, @bob?")
    added = db.session.scalar(sa.select(Activity).where(Activity.type == "comment_added"))
    assert told(added.id) == {crew.bob.id: "mention", crew.jane.id: "member"}


@pytest.mark.parametrize("payload, field", [
    ({"cardId": "CARD"}, "content"),
    ({"cardId": "CARD", "content": ""}, "content"),
    ({"cardId": "CARD", "content": "x" * 2001}, "content"),
    ({"cardId": "CARD", "content": 5}, "content"),
    ({"content": "Hello"}, "cardId"),
    ({"cardId": "f" * 24, "content": "Hello"}, "cardId"),
    ({"cardId": "CARD", "content": "Hello", "mood": "curious"}, "mood"),
])
def test_an_invalid_payload_fails_with_its_reason_and_changes_nothing(crew, payload, field):
    owner = workspace_access(crew.owner, "acme", "eng")
    payload = {k: (crew.card.id if v == "CARD" else v) for k, v in payload.items()}
    before = counts()
    action_id = approved(owner, payload)
    with pytest.raises(ApplyFailed) as error:
        pilotage_actions.apply_action(owner, action_id)
    db.session.commit()
    assert error.value.details[0]["field"] == f"payload.{field}"
    action = pilotage_actions.get_action(owner, action_id)
    assert action.status == "approved" and action.last_error
    assert counts() == before


def test_a_card_the_applying_user_cannot_reach_is_refused(crew):
    hidden_access, columns = board(crew.bob, "Private")
    hidden = cards.create_card(crew.bob, columns[0].id, title="Secret")
    db.session.commit()
    # Jane is a pilotage viewer; give her the reviewer role so the refusal is about reach.
    membership = workspace_access(crew.jane, "acme", "eng").membership
    membership.pilotage_role = "reviewer"
    db.session.commit()
    jane = workspace_access(crew.jane, "acme", "eng")
    action_id = approved(jane, {"cardId": hidden.id, "content": "Peek"})
    with pytest.raises(ApplyFailed) as error:
        pilotage_actions.apply_action(jane, action_id)
    assert "cardId does not match a card you can reach" in error.value.message
