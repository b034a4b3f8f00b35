"""`P/cards/:cardId/relations` and `P/relations/:relationId` over HTTP."""
import pytest

from tests.api.card_depth_world import depth, post_card  # noqa: F401
from tests.api.shapes import assert_error, detail_fields
from tests.board_helpers import team  # noqa: F401


def test_each_side_sees_the_relation_from_its_side(depth):
    api = depth.team.member
    target = post_card(api, depth.path, depth.columns[0], "Child")
    made = api.post(f"{depth.path}/cards/{depth.card}/relations", json={"targetCardId": target, "type": "parent_of"})
    assert made.status_code == 201
    assert set(made.json) == {"id", "cardId", "targetCardId", "type", "targetCard", "createdBy", "createdAt"}
    assert (made.json["cardId"], made.json["targetCardId"], made.json["type"]) == (depth.card, target, "parent_of")
    assert made.json["targetCard"]["title"] == "Child"
    [seen] = api.get(f"{depth.path}/cards/{target}/relations").json
    assert (seen["id"], seen["targetCardId"], seen["type"]) == (made.json["id"], depth.card, "child_of")
    assert api.delete(f"{depth.path}/relations/{made.json['id']}").json == {"ok": True}
    assert api.get(f"{depth.path}/cards/{target}/relations").json == []


def test_a_card_of_another_project_shows_only_to_those_who_reach_it(depth):
    api = depth.team.member
    api.post(f"{depth.path}/cards/{depth.card}/relations", json={"targetCardId": depth.foreign["card"],
                                                                  "type": "duplicates"})
    mine = {r["targetCardId"]: r for r in api.get(f"{depth.path}/cards/{depth.card}/relations").json}
    theirs = {r["targetCardId"]: r for r in depth.team.other.get(f"{depth.path}/cards/{depth.card}/relations").json}
    assert mine[depth.foreign["card"]]["targetCard"]["key"] == "BIL-1"
    assert theirs[depth.foreign["card"]]["targetCard"] is None


@pytest.mark.parametrize("body, status, field", [
    ({"targetCardId": "SELF", "type": "blocks"}, 400, "targetCardId"),
    ({"targetCardId": "OTHER", "type": "blocks"}, 409, None),  # the world holds card blocks other
    ({"targetCardId": "OTHER", "type": "blocked_by"}, 409, None),  # a cycle
    ({"targetCardId": "OTHER", "type": "friend_of"}, 400, "type"),
    ({"targetCardId": "f" * 24, "type": "blocks"}, 400, "targetCardId"),
    ({"type": "blocks"}, 400, "targetCardId"),
])
def test_refusals(depth, body, status, field):
    other = depth.team.member.get(f"{depth.path}/cards/{depth.card}/relations").json[0]["targetCardId"]
    body = {k: {"SELF": depth.card, "OTHER": other}.get(v, v) for k, v in body.items()}
    response = depth.team.member.post(f"{depth.path}/cards/{depth.card}/relations", json=body)
    assert_error(response, status)
    if field:
        assert field in detail_fields(response)


def test_a_relation_not_touching_this_project_is_404_here(depth):
    assert_error(depth.team.member.delete(f"{depth.path}/relations/{depth.foreign['relation']}"), 404)
