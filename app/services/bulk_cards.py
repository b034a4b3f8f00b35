"""One change applied to several cards at once (the list view's bulk actions): move them to
a column, assign them (or unassign), put a label on them, archive them.

Each card goes through the card services (`cards.move_card`, `cards.update_card`,
`labels.assign_label`, `cards.archive_card`), so every rule, permission check and activity
record is the one a single change has. Every id is checked against `expected_project_id`
before anything changes; the first refusal (a card out of reach, a WIP limit, a bad value)
raises, and the caller's rollback then undoes the cards already changed: all or nothing.
"""
from app.errors import Invalid
from app.models.board import Card
from app.models.identity import User
from app.services import cards, labels

ACTIONS = ("move", "assign", "label", "archive")
MAX_CARDS = 1000


def apply_to_cards(user: User, card_ids: list[str], action: str, value: str | None = None, *,
                   expected_project_id: str) -> list[Card]:
    """Apply `action` to the cards `card_ids`, in that order, and return those it changed
    (a card that already is as asked is left alone). `value` is the column id for `move`,
    the assignee's user id for `assign` (None or "" unassigns), the label id for `label`;
    `archive` takes none.

    Raises Invalid (unknown action, no card, more than MAX_CARDS, no column or label
    chosen, an assignee who is not a project member, a column of another project),
    NotFound (a card not in `expected_project_id` or out of reach, a label of another
    project), Conflict (a column's WIP limit). Cards changed before a refusal stay changed
    in the session: the caller rolls back.
    """
    if action not in ACTIONS:
        raise Invalid("action", f"action must be one of {', '.join(ACTIONS)}")
    ids = list(dict.fromkeys(card_ids))
    if not ids:
        raise Invalid("cards", "Check at least one card")
    if len(ids) > MAX_CARDS:
        raise Invalid("cards", f"At most {MAX_CARDS} cards at once")
    if action == "move" and not value:
        raise Invalid("column", "Choose a column")
    if action == "label" and not value:
        raise Invalid("label", "Choose a label")
    targets = [cards.get_card(user, card_id, expected_project_id=expected_project_id) for card_id in ids]
    changed = []
    for card in targets:
        if action == "move" and card.column_id != value:
            changed.append(cards.move_card(user, card.id, value, expected_project_id=expected_project_id))
        elif action == "assign" and card.assignee_id != (value or None):
            changed.append(cards.update_card(user, card.id, {"assigneeId": value or None},
                                             expected_project_id=expected_project_id))
        elif action == "label":
            before = card.version
            card = labels.assign_label(user, card.id, value, expected_project_id=expected_project_id)
            if card.version != before:
                changed.append(card)
        elif action == "archive" and not card.archived:
            changed.append(cards.archive_card(user, card.id, expected_project_id=expected_project_id))
    return changed
