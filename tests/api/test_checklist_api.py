"""`P/cards/:cardId/checklist*` over HTTP, with `checklistProgress`."""
from tests.api.shapes import assert_error, detail_fields
from tests.board_helpers import column_ids, new_project, project_path, team  # noqa: F401


def test_checklist_items_and_progress(team):
    project = new_project(team.member)
    path = project_path(project)
    todo = column_ids(team.member, project)[0]
    card = team.member.post(f"{path}/columns/{todo}/cards", json={"title": "Ship"}).json
    base = f"{path}/cards/{card['id']}/checklist"
    response = team.member.post(base, json={"title": "Write"})
    assert response.status_code == 201
    assert [(i["title"], i["done"], i["order"]) for i in response.json["checklist"]] == [("Write", False, 0)]
    assert response.json["checklistProgress"] == 0
    for title in ("Review", "Publish"):
        body = team.member.post(base, json={"title": title}).json
    write, review, publish = [i["_id"] for i in body["checklist"]]
    ticked = team.member.patch(f"{base}/{write}", json={"done": True})
    assert ticked.status_code == 200 and ticked.json["checklistProgress"] == 33
    renamed = team.member.patch(f"{base}/{publish}", json={"title": "Ship it", "order": 0}).json
    assert [(i["title"], i["order"]) for i in renamed["checklist"]] == [("Ship it", 0), ("Write", 1), ("Review", 2)]
    response = team.member.delete(f"{base}/{review}")
    assert (response.status_code, response.json) == (200, {"ok": True})
    card = team.member.get(f"{path}/cards/{card['id']}").json
    assert ([i["title"] for i in card["checklist"]], card["checklistProgress"]) == (["Ship it", "Write"], 50)
    assert card["version"] == 7


def test_checklist_refusals(team):
    project = new_project(team.member)
    path = project_path(project)
    todo = column_ids(team.member, project)[0]
    card = team.member.post(f"{path}/columns/{todo}/cards", json={"title": "Ship", "checklist": [{"title": "a"}]}).json
    other = team.member.post(f"{path}/columns/{todo}/cards", json={"title": "Other"}).json
    base = f"{path}/cards/{card['id']}/checklist"
    item = card["checklist"][0]["_id"]
    response = team.member.post(base, json={})
    assert_error(response, 400)
    assert detail_fields(response) == ["title"]
    assert_error(team.member.patch(f"{base}/{item}", json={"done": "yes"}), 400)
    assert_error(team.member.patch(f"{base}/{'0' * 24}", json={"done": True}), 404)
    assert_error(team.member.patch(f"{path}/cards/{other['id']}/checklist/{item}", json={"done": True}), 404)
    assert_error(team.member.delete(f"{path}/cards/{other['id']}/checklist/{item}"), 404)
    full = team.member.patch(f"{path}/cards/{other['id']}", json={"checklist": [{"title": "x"}] * 100})
    assert full.status_code == 200
    assert_error(team.member.post(f"{path}/cards/{other['id']}/checklist", json={"title": "101st"}), 400)
