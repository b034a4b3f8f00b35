"""`P/cards/:cardId/comments*` over HTTP."""
import pytest

from tests.api.card_depth_world import depth  # noqa: F401
from tests.api.shapes import assert_error, detail_fields
from tests.board_helpers import team  # noqa: F401

FIELDS = {"id", "cardId", "authorId", "authorName", "content", "createdAt", "updatedAt"}


def comments_path(depth):
    return f"{depth.path}/cards/{depth.card}/comments"


def test_post_list_edit_delete(depth):
    other = depth.team.other
    posted = other.post(comments_path(depth), json={"content": "What about error handling?"})
    assert posted.status_code == 201
    assert set(posted.json) == FIELDS
    assert (posted.json["cardId"], posted.json["authorId"], posted.json["authorName"]) == (
        depth.card, other.user["id"], "Other")
    listed = depth.team.member.get(comments_path(depth)).json
    assert [c["content"] for c in listed] == ["Hi", "What about error handling?"]
    edited = other.patch(f"{comments_path(depth)}/{posted.json['id']}", json={"content": "Edited"})
    assert (edited.status_code, edited.json["content"]) == (200, "Edited")
    assert depth.team.member.get(f"{depth.path}/cards/{depth.card}").json["commentCount"] == 2
    assert other.delete(f"{comments_path(depth)}/{posted.json['id']}").json == {"ok": True}
    assert depth.team.member.get(f"{depth.path}/cards/{depth.card}").json["commentCount"] == 1


@pytest.mark.parametrize("body, field", [
    ({}, "content"), ({"content": ""}, "content"), ({"content": "x" * 2001}, "content"), ({"content": 3}, "content"),
    ({"content": "ok", "authorId": "x"}, "authorId"),
])
def test_bad_bodies_are_400_with_the_field(depth, body, field):
    response = depth.team.member.post(comments_path(depth), json=body)
    assert_error(response, 400)
    assert field in detail_fields(response)


def test_others_cannot_edit_or_delete_but_a_project_admin_deletes(depth):
    path = f"{comments_path(depth)}/{depth.comment}"  # written by the project admin `member`
    mine = depth.team.other.post(comments_path(depth), json={"content": "Mine"}).json
    assert_error(depth.team.other.patch(path, json={"content": "Hijack"}), 403)
    assert_error(depth.team.other.delete(path), 403)
    assert depth.team.member.delete(f"{comments_path(depth)}/{mine['id']}").json == {"ok": True}
    assert_error(depth.team.member.delete(f"{comments_path(depth)}/{'f' * 24}"), 404)


def test_content_is_returned_as_written_for_the_page_to_escape(depth):
    body = {"content": "<img src=x onerror=alert(1)> & @nobody"}
    assert depth.team.member.post(comments_path(depth), json=body).json["content"] == body["content"]
