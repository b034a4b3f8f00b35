"""Cockpit links to the knowledge base: decisions' `documentIds`, active docs' `documentId`."""
from tests.api.shapes import detail_fields
from tests.board_helpers import W, team  # noqa: F401

P = W + "/pilotage"
D = W + "/documents"


def test_decisions_link_documents_of_the_workspace(team):
    spec = team.member.post(D, json={"title": "Billing spec"}).json["id"]
    adr = team.member.post(D, json={"title": "ADR 3"}).json["id"]
    mission = team.owner.post(P + "/missions", json={"objective": "Billing"}).json["id"]
    created = team.owner.post(P + "/decisions", json={"title": "Use Stripe", "documentIds": [spec, adr, spec],
                                                      "missionIds": [mission]})
    assert created.status_code == 201, created.json
    assert sorted(created.json["documentIds"]) == sorted([spec, adr]) and created.json["missionIds"] == [mission]
    decision = created.json["id"]
    changed = team.owner.patch(f"{P}/decisions/{decision}", json={"documentIds": [adr]})
    assert (changed.json["documentIds"], changed.json["missionIds"]) == ([adr], [mission])
    state = team.owner.get(P + "/state").json
    assert state["decisions"][0]["documentIds"] == [adr]
    team.member.delete(f"{D}/{adr}")
    assert team.owner.get(P + "/decisions").json[0]["documentIds"] == []


def test_decision_document_ids_are_checked(team):
    assert team.owner.post("/orgs/acme/workspaces", json={"name": "Ops", "slug": "ops"}).status_code == 201
    foreign = team.owner.post("/orgs/acme/workspaces/ops/documents", json={"title": "Ops doc"}).json["id"]
    for ids in ([foreign], ["0" * 24], ["nope"], [1]):
        response = team.owner.post(P + "/decisions", json={"title": "X", "documentIds": ids})
        assert detail_fields(response) == ["documentIds"], ids
    assert detail_fields(team.owner.post(P + "/decisions", json={"title": "X", "documentIds": "x"})) == ["documentIds"]
    assert team.owner.get(P + "/decisions").json == []


def test_active_docs_link_one_document(team):
    spec = team.member.post(D, json={"title": "Billing spec"}).json["id"]
    created = team.owner.post(P + "/docs", json={"title": "Billing API Spec v2", "documentId": spec})
    assert created.status_code == 201 and created.json["documentId"] == spec
    doc_id = created.json["id"]
    assert team.owner.patch(f"{P}/docs/{doc_id}", json={"documentId": None}).json["documentId"] is None
    assert team.owner.patch(f"{P}/docs/{doc_id}", json={"documentId": spec}).json["documentId"] == spec
    assert team.owner.get(P + "/state").json["activeDocs"][0]["documentId"] == spec
    team.member.delete(f"{D}/{spec}")
    assert team.owner.get(P + "/docs").json[0]["documentId"] is None


def test_active_doc_document_id_is_checked(team):
    assert team.owner.post("/orgs/acme/workspaces", json={"name": "Ops", "slug": "ops"}).status_code == 201
    foreign = team.owner.post("/orgs/acme/workspaces/ops/documents", json={"title": "Ops doc"}).json["id"]
    for value in (foreign, "0" * 24, "nope"):
        assert detail_fields(team.owner.post(P + "/docs", json={"title": "X", "documentId": value})) == ["documentId"]
    assert detail_fields(team.owner.post(P + "/docs", json={"title": "X", "documentId": 5})) == ["documentId"]
    assert team.owner.get(P + "/docs").json == []
