"""`P/custom-fields*` and `P/cards/:cardId/custom-fields` over HTTP."""
import pytest

from tests.api.card_depth_world import depth  # noqa: F401
from tests.api.shapes import assert_error, detail_fields
from tests.board_helpers import team  # noqa: F401


def test_fields_and_values(depth):
    api = depth.team.other
    size = api.post(f"{depth.path}/custom-fields", json={"name": "Size", "type": "select", "options": ["S", "M"]})
    assert size.status_code == 201
    assert {k: size.json[k] for k in ("name", "type", "options")} == {"name": "Size", "type": "select",
                                                                      "options": ["S", "M"]}
    assert [f["name"] for f in api.get(f"{depth.path}/custom-fields").json] == ["Points", "Size"]
    card = api.patch(f"{depth.path}/cards/{depth.card}/custom-fields",
                     json={"values": {depth.field: 8, size.json["id"]: "M"}})
    assert card.status_code == 200
    assert card.json["customFields"] == {depth.field: 8, size.json["id"]: "M"}
    changed = api.patch(f"{depth.path}/custom-fields/{depth.field}", json={"type": "text"})
    assert changed.json["type"] == "text"
    assert api.get(f"{depth.path}/cards/{depth.card}").json["customFields"][depth.field] == "8"
    cleared = api.patch(f"{depth.path}/cards/{depth.card}/custom-fields", json={"values": {size.json["id"]: None}})
    assert cleared.json["customFields"] == {depth.field: "8"}
    assert api.delete(f"{depth.path}/custom-fields/{depth.field}").json == {"ok": True}
    assert api.get(f"{depth.path}/cards/{depth.card}").json["customFields"] == {}


@pytest.mark.parametrize("body, field", [
    ({"values": {"FIELD": "eight"}}, "values.FIELD"), ({"values": {"f" * 24: 1}}, "values." + "f" * 24),
    ({"values": [1]}, "values"), ({}, "values"), ({"values": {}, "more": 1}, "more"),
])
def test_bad_values_are_400_and_change_nothing(depth, body, field):
    body = {k: ({kk.replace("FIELD", depth.field): vv for kk, vv in v.items()} if isinstance(v, dict) else v)
            for k, v in body.items()}
    response = depth.team.member.patch(f"{depth.path}/cards/{depth.card}/custom-fields", json=body)
    assert_error(response, 400)
    assert field.replace("FIELD", depth.field) in detail_fields(response)
    assert depth.team.member.get(f"{depth.path}/cards/{depth.card}").json["customFields"] == {}


@pytest.mark.parametrize("body, status", [
    ({"name": "points", "type": "text"}, 409), ({"name": "X", "type": "colour"}, 400),
    ({"name": "X", "type": "select"}, 400), ({"name": "X", "type": "text", "options": ["a"]}, 400),
])
def test_bad_fields(depth, body, status):
    assert_error(depth.team.member.post(f"{depth.path}/custom-fields", json=body), status)
