"""The activity log: each change of the reference's types recorded once by the service that
makes it, with actor and meta; notifications to the people concerned, never the actor."""
import pytest
import sqlalchemy as sa

from app.errors import Invalid, NotFound
from app.extensions import db
from app.models.card_depth import Activity, Notification
from app.services import cards, checklists, columns, notifications, projects
from tests.card_depth_helpers import activities, crew, told  # noqa: F401


def types_since(mark: int) -> list[str]:
    return [a.type for a in activities()[mark:]]


def test_creating_a_card_records_card_created_with_its_column(crew):
    [created] = activities("card_created")
    assert (created.actor_id, created.card_id, created.meta) == (
        crew.jane.id, crew.card.id, {"cardKey": "WEB-1", "cardTitle": "Fix login", "column": "To Do"})
    assert told(created.id) == {crew.bob.id: "member"}


def test_one_patch_records_each_kind_of_change_once(crew):
    mark = len(activities())
    cards.update_card(crew.bob, crew.card.id, {
        "title": "Fix login page", "priority": "high", "assigneeId": crew.jane.id,
        "columnId": crew.columns[1].id, "order": 0, "checklist": [{"title": "Step"}]})
    db.session.commit()
    assert sorted(types_since(mark)) == ["card_assigned", "card_moved", "card_updated"]
    [moved] = activities("card_moved")
    assert (moved.meta["fromColumn"], moved.meta["toColumn"]) == ("To Do", "In Progress")
    [assigned] = activities("card_assigned")
    assert (assigned.meta["fromAssigneeId"], assigned.meta["toAssigneeId"]) == (None, crew.jane.id)
    assert told(assigned.id) == {crew.jane.id: "assignee"}
    [updated] = [a for a in activities("card_updated")]
    assert updated.meta["fields"] == ["title", "priority", "checklist"]
    assert updated.meta["cardTitle"] == "Fix login page"


def test_a_patch_that_changes_nothing_records_nothing(crew):
    mark = len(activities())
    cards.update_card(crew.jane, crew.card.id, {"title": "Fix login", "priority": None})
    cards.move_card(crew.jane, crew.card.id, crew.columns[0].id, 0)  # same column: a reorder
    db.session.commit()
    assert types_since(mark) == []


def test_moves_archives_and_deletes(crew):
    mark = len(activities())
    cards.move_card(crew.bob, crew.card.id, crew.columns[2].id)
    cards.archive_card(crew.bob, crew.card.id)
    cards.archive_card(crew.bob, crew.card.id)  # already archived: nothing
    cards.update_card(crew.bob, crew.card.id, {"archived": False})
    cards.delete_card(crew.bob, crew.card.id)
    db.session.commit()
    assert types_since(mark) == ["card_moved", "card_archived", "card_updated", "card_deleted"]
    unarchived, deleted = activities()[-2:]
    assert unarchived.meta["fields"] == ["archived"]
    assert deleted.card_id == crew.card.id and deleted.meta["cardKey"] == "WEB-1"
    assert all(told(a.id) == {crew.jane.id: "member"} for a in activities()[mark:])


def test_checklist_changes_record_card_updated(crew):
    mark = len(activities())
    card = checklists.add_item(crew.bob, crew.card.id, "Step")
    item_id = card.checklist_items[0].id
    checklists.update_item(crew.bob, crew.card.id, item_id, {"done": True})
    checklists.update_item(crew.bob, crew.card.id, item_id, {"done": True})  # no change
    checklists.delete_item(crew.bob, crew.card.id, item_id)
    db.session.commit()
    recorded = activities()[mark:]
    assert [(a.type, a.meta["fields"]) for a in recorded] == [("card_updated", ["checklist"])] * 3


def test_deleting_a_column_records_a_move_per_card(crew):
    second = cards.create_card(crew.jane, crew.columns[0].id, title="Second")
    mark = len(activities())
    columns.delete_column(crew.access, crew.columns[0].id, move_cards_to=crew.columns[2].id)
    db.session.commit()
    moved = activities()[mark:]
    assert [(a.type, a.card_id, a.meta["fromColumn"], a.meta["toColumn"]) for a in moved] == [
        ("card_moved", crew.card.id, "To Do", "Done"), ("card_moved", second.id, "To Do", "Done")]
    assert all(told(a.id) == {crew.bob.id: "member"} for a in moved)


def test_members_added_and_removed(crew):
    cards.update_card(crew.jane, crew.card.id, {"assigneeId": crew.bob.id})
    projects.add_member(crew.access, "eve@acme.test", "admin")
    projects.remove_member(crew.access, crew.bob.id)
    db.session.commit()
    [added] = activities("member_added")[-1:]
    assert added.meta == {"userId": crew.eve.id, "name": "Eve", "role": "admin"}
    assert told(added.id) == {crew.bob.id: "member", crew.eve.id: "member"}
    [removed] = activities("member_removed")
    assert removed.meta == {"userId": crew.bob.id, "name": "Bob", "role": "member", "unassignedCards": 1}
    assert told(removed.id) == {crew.bob.id: "member", crew.eve.id: "member"}


def test_the_actor_is_never_told(crew):
    projects.add_member(crew.access, "eve@acme.test")
    for actor in (crew.jane, crew.bob, crew.eve, crew.owner):
        cards.update_card(actor, crew.card.id, {"title": f"By {actor.name}", "assigneeId": actor.id
                                                if actor is not crew.owner else None})
    db.session.commit()
    for activity in activities():
        assert activity.actor_id not in told(activity.id)


def test_notifications_list_count_and_read(crew):
    for title in ("A", "B", "C"):
        cards.update_card(crew.jane, crew.card.id, {"title": title})
    db.session.commit()
    listed = notifications.list_notifications(crew.bob)
    assert [v.activity.meta.get("cardTitle") for v in listed] == ["C", "B", "A", "Fix login", None]
    assert [v.activity.type for v in listed][-1] == "member_added"
    assert all(v.actor_name == "Jane" for v in listed)
    total = len(listed)
    assert notifications.unread_count(crew.bob) == total
    assert len(notifications.list_notifications(crew.bob, "2")) == 2
    assert [v.activity.meta.get("cardTitle") for v in notifications.list_notifications(crew.bob, "2", None, "1")] == [
        "B", "A"]
    first = notifications.mark_read(crew.bob, listed[0].notification.id)
    read_at = first.notification.read_at
    assert read_at is not None
    assert notifications.mark_read(crew.bob, listed[0].notification.id).notification.read_at == read_at
    assert notifications.unread_count(crew.bob) == total - 1
    assert len(notifications.list_notifications(crew.bob, None, "true")) == total - 1
    assert len(notifications.list_notifications(crew.bob, None, "1")) == total - 1
    assert notifications.mark_all_read(crew.bob) == total - 1
    assert notifications.unread_count(crew.bob) == 0
    assert notifications.list_notifications(crew.bob, None, "true") == []


def test_a_notification_of_someone_else_is_not_found(crew):
    mine = notifications.list_notifications(crew.bob)[0]
    for other in (crew.jane, crew.otto):
        with pytest.raises(NotFound):
            notifications.mark_read(other, mine.notification.id)
    with pytest.raises(NotFound):
        notifications.mark_read(crew.bob, "bogus")
    assert notifications.mark_all_read(crew.jane) == 0
    assert notifications.unread_count(crew.bob) == 2  # member_added, card_created


@pytest.mark.parametrize("limit, unread, offset, field", [
    ("0", None, None, "limit"), ("1001", None, None, "limit"), ("ten", None, None, "limit"),
    ("-1", None, None, "limit"), ("²", None, None, "limit"), (None, "yes", None, "unreadOnly"),
    (None, None, "-3", "offset"),
])
def test_bad_list_parameters(crew, limit, unread, offset, field):
    with pytest.raises(Invalid) as error:
        notifications.list_notifications(crew.bob, limit, unread, offset)
    assert error.value.field == field


def test_deleting_the_project_removes_its_log_and_notifications(crew):
    projects.delete_project(projects.project_access(crew.owner, "acme", "eng", crew.access.project.id))
    db.session.commit()
    for model in (Activity, Notification):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(model)) == 0
