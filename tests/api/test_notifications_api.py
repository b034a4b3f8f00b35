"""`/notifications*` and `P/cards/:cardId/activity` over HTTP."""
from tests.api.card_depth_world import depth  # noqa: F401
from tests.api.shapes import assert_error
from tests.board_helpers import team  # noqa: F401


def test_a_move_notifies_the_others_with_column_names(depth):
    member, other = depth.team.member, depth.team.other
    other.patch("/notifications/read-all")
    moved = member.patch(f"{depth.path}/cards/{depth.card}", json={"columnId": depth.columns[1], "order": 0})
    assert moved.status_code == 200
    [latest] = other.get("/notifications?limit=1").json
    assert set(latest) == {"id", "userId", "readAt", "reason", "activity"}
    assert (latest["userId"], latest["readAt"], latest["reason"]) == (other.user["id"], None, "member")
    activity = latest["activity"]
    assert (activity["type"], activity["actorId"], activity["actorName"], activity["cardId"]) == (
        "card_moved", member.user["id"], "Member", depth.card)
    assert (activity["meta"]["fromColumn"], activity["meta"]["toColumn"]) == ("To Do", "In Progress")
    assert other.get("/notifications/count").json == {"count": 1}
    assert all(n["activity"]["actorId"] != member.user["id"] for n in member.get("/notifications").json)


def test_read_one_read_all_and_unread_only(depth):
    other = depth.team.other
    listed = other.get("/notifications").json
    assert len(listed) >= 2
    read = other.patch(f"/notifications/{listed[0]['id']}/read")
    assert read.status_code == 200 and read.json["readAt"] is not None
    unread = other.get("/notifications?unreadOnly=true").json
    assert [n["id"] for n in unread] == [n["id"] for n in listed[1:]]
    assert other.get("/notifications?unreadOnly=1").json == unread
    assert other.patch("/notifications/read-all").json == {"ok": True, "count": len(listed) - 1}
    assert other.get("/notifications/count").json == {"count": 0}
    assert other.get("/notifications?unreadOnly=true").json == []


def test_someone_elses_notification_is_404_and_bad_parameters_400(depth):
    theirs = depth.team.other.get("/notifications").json[0]["id"]
    assert_error(depth.team.member.patch(f"/notifications/{theirs}/read"), 404)
    assert_error(depth.team.outsider.patch(f"/notifications/{theirs}/read"), 404)
    for query in ("limit=0", "limit=5000", "limit=abc", "unreadOnly=maybe", "offset=-1"):
        assert_error(depth.team.other.get(f"/notifications?{query}"), 400)


def test_comment_mentions_reach_the_mentioned(depth):
    depth.team.member.post(f"{depth.path}/cards/{depth.card}/comments", json={"content": "@admin please look"})
    [latest] = depth.team.admin.get("/notifications?limit=1").json
    assert (latest["reason"], latest["activity"]["type"]) == ("mention", "comment_added")
    assert latest["activity"]["meta"]["excerpt"] == "@admin please look"


def test_card_activity_lists_the_cards_log_newest_first(depth):
    log = depth.team.other.get(f"{depth.path}/cards/{depth.card}/activity").json
    assert [a["type"] for a in log][-1] == "card_created"
    assert {"comment_added", "card_updated"} <= {a["type"] for a in log}
