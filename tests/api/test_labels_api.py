"""`P/labels*` and `P/cards/:cardId/labels/:labelId` over HTTP."""
import pytest

from tests.api.card_depth_world import depth  # noqa: F401
from tests.api.shapes import assert_error, detail_fields
from tests.board_helpers import team  # noqa: F401


def test_labels_lifecycle_and_on_cards(depth):
    api = depth.team.other
    made = api.post(f"{depth.path}/labels", json={"name": "Api", "color": "#00AA00"})
    assert made.status_code == 201
    assert made.json == {"id": made.json["id"], "projectId": depth.path.rsplit("/", 1)[1], "name": "Api",
                         "color": "#00aa00", "createdAt": made.json["createdAt"]}
    assert [lb["name"] for lb in api.get(f"{depth.path}/labels").json] == ["Api", "Bug"]
    renamed = api.patch(f"{depth.path}/labels/{made.json['id']}", json={"name": "API"})
    assert renamed.json["name"] == "API"
    card = api.post(f"{depth.path}/cards/{depth.card}/labels/{made.json['id']}")
    assert (card.status_code, card.json["labels"]) == (201, [made.json["id"]])
    assert api.post(f"{depth.path}/cards/{depth.card}/labels/{depth.label}").json["labels"] == [
        made.json["id"], depth.label]
    assert api.delete(f"{depth.path}/cards/{depth.card}/labels/{depth.label}").json == {"ok": True}
    assert api.delete(f"{depth.path}/labels/{made.json['id']}").json == {"ok": True}
    assert api.get(f"{depth.path}/cards/{depth.card}").json["labels"] == []


@pytest.mark.parametrize("body, status, field", [
    ({"name": "bug", "color": "#000000"}, 409, None), ({"name": "X", "color": "blue"}, 400, "color"),
    ({"name": "X"}, 400, "color"), ({"name": "", "color": "#000000"}, 400, "name"),
    ({"name": "X", "color": "#000000", "projectId": "y"}, 400, "projectId"),
])
def test_bad_labels(depth, body, status, field):
    response = depth.team.member.post(f"{depth.path}/labels", json=body)
    assert_error(response, status)
    if field:
        assert field in detail_fields(response)


def test_assigning_takes_no_body_fields(depth):
    response = depth.team.member.post(f"{depth.path}/cards/{depth.card}/labels/{depth.label}", json={"x": 1})
    assert_error(response, 400)
