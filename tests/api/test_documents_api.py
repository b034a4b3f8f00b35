"""Knowledge base over HTTP: every document endpoint's shape and status codes, review,
revisions, templates, search."""
import json
import re

from app.ids import is_id
from tests.api.shapes import assert_error, detail_fields
from tests.board_helpers import W, column_ids, new_project, project_path, team  # noqa: F401

D = W + "/documents"
ISO_RE = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"
SUMMARY_KEYS = {"id", "workspaceId", "title", "docType", "status", "parentId", "projectId", "cardId", "revision",
                "createdBy", "updatedBy", "createdAt", "updatedAt"}


def tiptap(*texts):
    return {"type": "doc", "content": [{"type": "paragraph", "content": [{"type": "text", "text": t}]} for t in texts]}


def create(api, title="Doc", **body):
    response = api.post(D, json={"title": title, **body})
    assert response.status_code == 201, response.json
    return response.json


def make_reviewer(team, api):
    response = team.owner.patch(W + f"/members/{api.user['id']}", json={"pilotageRole": "reviewer"})
    assert response.status_code == 200, response.json


def test_create_shape_and_exact_round_trip(team):
    content = {"type": "doc", "content": [
        {"type": "heading", "attrs": {"level": 1}, "content": [{"type": "text", "text": "Plan <v2>"}]},
        {"type": "paragraph", "content": [{"type": "text", "text": "1.0 ≠ 1", "marks": [{"type": "italic"}]}]},
        {"type": "futureNode", "attrs": {"n": 1.0, "list": [None, False, 10**20], "é": {"z": 1, "a": 2}}},
    ]}
    raw = json.dumps({"title": "Release plan", "docType": "spec", "content": content}, ensure_ascii=False)
    response = team.member.post(D, data=raw.encode(), content_type="application/json")
    assert response.status_code == 201, response.json
    body = response.json
    assert set(body) == SUMMARY_KEYS | {"content", "html"}
    assert is_id(body["id"]) and re.match(ISO_RE, body["createdAt"]) and re.match(ISO_RE, body["updatedAt"])
    assert (body["title"], body["docType"], body["status"], body["revision"], body["parentId"], body["projectId"],
            body["cardId"], body["createdBy"]) == (
        "Release plan", "spec", "draft", 1, None, None, None, team.member.user["id"])
    assert body["html"] == "<h1>Plan &lt;v2&gt;</h1><p><em>1.0 ≠ 1</em></p>"
    fetched = team.other.get(f"{D}/{body['id']}")
    assert fetched.status_code == 200
    assert json.dumps(fetched.json["content"], ensure_ascii=False) == json.dumps(content, ensure_ascii=False)
    assert isinstance(fetched.json["content"]["content"][2]["attrs"]["n"], float)


def test_create_validation(team):
    assert detail_fields(team.member.post(D, json={})) == ["title"]
    assert detail_fields(team.member.post(D, json={"title": "T", "docType": "wiki"})) == ["docType"]
    assert detail_fields(team.member.post(D, json={"title": "T", "content": "text"})) == ["content"]
    assert detail_fields(team.member.post(D, json={"title": "T", "content": {"type": "p"}})) == ["content"]
    assert detail_fields(team.member.post(D, json={"title": "T", "body": "x"})) == ["body"]
    assert detail_fields(team.member.post(D, json={"title": "T", "parentId": "0" * 24})) == ["parentId"]
    assert_error(team.member.post(D, data=b'{"title": ', content_type="application/json"), 400, "Malformed JSON body")
    assert_error(team.member.post(D, data=b'{"title": "a\\ud800b"}', content_type="application/json"), 400)
    # every JSON endpoint refuses unpaired surrogates, which no database can store
    assert_error(team.member.post(W + "/projects", data=b'{"name": "\\udfff"}', content_type="application/json"), 400)
    assert_error(team.member.post(D, data=b'{"title": "t", "content": {"type": "doc", "content": [{"type": "text", '
                                       b'"text": "\\udc00"}]}}', content_type="application/json"), 400)
    assert_error(team.member.post(D, data=b'{"title": "t", "content": {"type": "doc", "attrs": {"n": NaN}}}',
                                  content_type="application/json"), 400)
    deep = {"type": "doc", "content": []}
    node = deep
    for _ in range(80):
        child = {"type": "blockquote", "content": []}
        node["content"].append(child)
        node = child
    assert detail_fields(team.member.post(D, json={"title": "Deep", "content": deep})) == ["content"]
    assert team.member.get(D).json == []


def test_list_filters_and_shape(team):
    project = new_project(team.member)
    card = team.member.post(f"{project_path(project)}/columns/{column_ids(team.member, project)[0]}/cards",
                            json={"title": "Card"}).json
    root = create(team.member, "Root", docType="spec")
    create(team.member, "Child", parentId=root["id"], docType="note")
    on_card = create(team.member, "On card", cardId=card["id"], content=tiptap("deployment notes"))
    assert on_card["projectId"] == project["id"]
    listed = team.other.get(D)
    assert listed.status_code == 200
    assert [d["title"] for d in listed.json] == ["Child", "On card", "Root"]
    assert set(listed.json[0]) == SUMMARY_KEYS
    titles = lambda query: [d["title"] for d in team.other.get(D + query).json]  # noqa: E731
    assert titles("?docType=note") == ["Child"]
    assert titles(f"?parentId={root['id']}") == ["Child"]
    assert titles("?parentId=null") == ["On card", "Root"]
    assert titles(f"?projectId={project['id']}") == ["On card"]
    assert titles(f"?cardId={card['id']}") == ["On card"]
    assert titles("?q=deploy") == ["On card"]
    assert titles("?status=draft&limit=1&offset=1") == ["On card"]
    for query, field in (("?docType=x", "docType"), ("?parentId=x", "parentId"), ("?status=x", "status"),
                         ("?limit=0", "limit"), ("?offset=x", "offset"), ("?q=" + "x" * 201, "q")):
        assert detail_fields(team.other.get(D + query)) == [field], query


def test_get_patch_delete(team):
    document = create(team.member, "Draft", content=tiptap("one"))
    path = f"{D}/{document['id']}"
    got = team.other.get(path)
    assert got.status_code == 200 and got.json["html"] == "<p>one</p>"
    patched = team.other.patch(path, json={"title": "Final", "content": tiptap("two"), "docType": "brief"})
    assert patched.status_code == 200
    assert set(patched.json) == SUMMARY_KEYS | {"content", "html", "statusChange"}
    assert (patched.json["title"], patched.json["docType"], patched.json["revision"], patched.json["updatedBy"],
            patched.json["statusChange"]) == ("Final", "brief", 2, team.other.user["id"], None)
    assert detail_fields(team.other.patch(path, json={"title": ""})) == ["title"]
    assert detail_fields(team.other.patch(path, json={"status": "approved"})) == ["status"]
    assert_error(team.other.patch(path, json={"parentId": document["id"]}), 409)
    assert_error(team.other.delete(path), 403)
    assert team.member.delete(path).json == {"ok": True}
    assert_error(team.member.get(path), 404)
    assert_error(team.member.get(f"{D}/nope"), 404)
    assert_error(team.member.patch(f"{D}/{'0' * 24}", json={"title": "x"}), 404)


def test_delete_with_children(team):
    top = create(team.member, "Top")
    middle = create(team.member, "Middle", parentId=top["id"])
    leaf = create(team.member, "Leaf", parentId=middle["id"])
    assert_error(team.member.delete(f"{D}/{top['id']}"), 409)
    assert detail_fields(team.member.delete(f"{D}/{top['id']}?cascade=yes")) == ["cascade"]
    assert_error(team.member.delete(f"{D}/{top['id']}?cascade=true&moveChildrenUp=true"), 400)
    assert team.member.delete(f"{D}/{middle['id']}?moveChildrenUp=true").json == {"ok": True}
    assert team.member.get(f"{D}/{leaf['id']}").json["parentId"] == top["id"]
    assert team.member.delete(f"{D}/{top['id']}?cascade=true").json == {"ok": True}
    assert_error(team.member.get(f"{D}/{leaf['id']}"), 404)


def test_review_workflow_over_http(team):
    make_reviewer(team, team.other)
    document = create(team.member, "Spec", content=tiptap("v1"))
    path = f"{D}/{document['id']}"
    submitted = team.member.post(path + "/submit-review")
    assert submitted.status_code == 201 and submitted.json["status"] == "pending_review"
    assert_error(team.member.post(path + "/submit-review"), 409)
    assert_error(team.member.post(path + "/review", json={"status": "approved"}), 403)
    assert detail_fields(team.other.post(path + "/review", json={"status": "draft"})) == ["status"]
    assert detail_fields(team.other.post(path + "/review", json={})) == ["status"]
    assert detail_fields(team.other.post(path + "/review", json={"status": "approved", "extra": 1})) == ["extra"]
    requested = team.other.post(path + "/review", json={"status": "changes_requested", "notes": "More detail"})
    assert requested.status_code == 201 and requested.json["status"] == "changes_requested"
    assert_error(team.other.post(path + "/review", json={"status": "approved"}), 409)
    team.member.post(path + "/submit-review")
    approved = team.admin.post(path + "/review", json={"status": "approved", "notes": None})
    assert approved.status_code == 201 and approved.json["status"] == "approved"
    edited = team.member.patch(path, json={"content": tiptap("v2")})
    assert edited.json["status"] == "draft"
    assert edited.json["statusChange"]["from"] == "approved" and edited.json["statusChange"]["to"] == "draft"
    assert "draft" in edited.json["statusChange"]["message"]
    history = team.outsider.get(path + "/reviews")
    assert_error(history, 404)
    history = team.member.get(path + "/reviews").json
    assert [(h["action"], h["actorId"], h["notes"], h["revision"]) for h in history] == [
        ("submitted", team.member.user["id"], None, 1),
        ("changes_requested", team.other.user["id"], "More detail", 1),
        ("submitted", team.member.user["id"], None, 1),
        ("approved", team.admin.user["id"], None, 1),
        ("reverted_to_draft", team.member.user["id"], None, 2),
    ]
    assert set(history[0]) == {"id", "documentId", "action", "notes", "revision", "actorId", "createdAt"}


def test_independent_review_setting_over_http(team):
    assert team.owner.get(W).json["requireIndependentReview"] is False
    assert_error(team.member.patch(W, json={"requireIndependentReview": True}), 403)
    assert detail_fields(team.owner.patch(W, json={"requireIndependentReview": "yes"})) == ["requireIndependentReview"]
    switched = team.owner.patch(W, json={"requireIndependentReview": True})
    assert switched.status_code == 200 and switched.json["requireIndependentReview"] is True
    document = create(team.admin, "Admin's own")
    path = f"{D}/{document['id']}"
    team.admin.post(path + "/submit-review")
    assert_error(team.admin.post(path + "/review", json={"status": "approved"}), 403)
    assert team.owner.post(path + "/review", json={"status": "approved"}).json["status"] == "approved"


def test_revisions_over_http(team):
    document = create(team.member, "v1", content=tiptap("first"))
    path = f"{D}/{document['id']}"
    team.other.patch(path, json={"content": tiptap("second")})
    revisions = team.member.get(path + "/revisions")
    assert revisions.status_code == 200
    assert [r["number"] for r in revisions.json] == [2, 1]
    assert set(revisions.json[0]) == {"id", "documentId", "number", "title", "docType", "authorId", "restoredFrom",
                                      "createdAt"}
    assert revisions.json[0]["authorId"] == team.other.user["id"]
    first = team.member.get(f"{path}/revisions/{revisions.json[1]['id']}")
    assert first.status_code == 200
    assert (first.json["content"], first.json["html"]) == (tiptap("first"), "<p>first</p>")
    restored = team.member.post(f"{path}/revisions/{revisions.json[1]['id']}/restore")
    assert restored.status_code == 201
    assert (restored.json["revision"], restored.json["content"], restored.json["statusChange"]) == (
        3, tiptap("first"), None)
    assert team.member.get(path + "/revisions?limit=1").json[0]["restoredFrom"] == 1
    assert_error(team.member.get(f"{path}/revisions/{'0' * 24}"), 404)
    other = create(team.member, "Other")
    other_revision = team.member.get(f"{D}/{other['id']}/revisions").json[0]["id"]
    assert_error(team.member.get(f"{path}/revisions/{other_revision}"), 404)
    assert_error(team.member.post(f"{path}/revisions/{other_revision}/restore"), 404)
    assert detail_fields(team.member.get(path + "/revisions?limit=x")) == ["limit"]


def test_templates_over_http(team):
    template = create(team.member, "Meeting notes", docType="template", content=tiptap("Agenda", "Decisions"))
    made = team.other.post(f"{D}/{template['id']}/instantiate", json={"title": "Weekly 12", "docType": "note"})
    assert made.status_code == 201
    assert (made.json["title"], made.json["docType"], made.json["content"], made.json["status"],
            made.json["createdBy"]) == ("Weekly 12", "note", tiptap("Agenda", "Decisions"), "draft", team.other.user["id"])
    default = team.other.post(f"{D}/{template['id']}/instantiate")
    assert (default.json["title"], default.json["docType"]) == ("Meeting notes", "document")
    assert_error(team.other.post(f"{D}/{made.json['id']}/instantiate"), 409)
    assert detail_fields(team.other.post(f"{D}/{template['id']}/instantiate", json={"content": {}})) == ["content"]
    assert detail_fields(team.other.post(f"{D}/{template['id']}/instantiate", json={"docType": "spreadsheet"})) == [
        "docType"]


def test_spreadsheet_over_http(team):
    grid = {"type": "spreadsheet", "header": True, "rows": [["Item", "Qty"], ["<b>Apples</b>", 3]]}
    sheet = create(team.member, "Stock", docType="spreadsheet", content=grid)
    assert sheet["content"] == grid
    assert sheet["html"] == ('<table class="spreadsheet"><thead><tr><th>Item</th><th>Qty</th></tr></thead>'
                             "<tbody><tr><td>&lt;b&gt;Apples&lt;/b&gt;</td><td>3</td></tr></tbody></table>")
    assert detail_fields(team.member.post(D, json={"title": "Bad", "docType": "spreadsheet",
                                                   "content": {"type": "spreadsheet", "rows": [[[1]]]}})) == ["content"]


def test_hostile_content_is_stored_as_sent_and_served_inert(team):
    content = {"type": "doc", "content": [
        {"type": "paragraph", "attrs": {"onclick": "alert(1)"}, "content": [
            {"type": "text", "text": "<script>alert(1)</script>"},
            {"type": "text", "text": "link", "marks": [{"type": "link", "attrs": {"href": "JaVaScRiPt:alert(1)"}}]},
            {"type": "text", "text": "data", "marks": [{"type": "link", "attrs": {"href": "data:text/html,<svg onload=x>"}}]},
        ]},
        {"type": "iframe", "attrs": {"src": "https://evil.example"}},
        {"type": "image", "attrs": {"src": "javascript:alert(1)", "attachmentId": "x\" onerror=\"alert(1)"}},
    ]}
    document = create(team.member, "Hostile", content=content)
    got = team.other.get(f"{D}/{document['id']}").json
    assert got["content"] == content
    assert got["html"] == "<p>&lt;script&gt;alert(1)&lt;/script&gt;linkdata</p>"


def test_search_over_http(team):
    project = new_project(team.member)
    todo = column_ids(team.member, project)[0]
    team.member.post(f"{project_path(project)}/columns/{todo}/cards",
                     json={"title": "Billing export", "description": "CSV for accounting"})
    create(team.member, "Billing handbook", content=tiptap("How invoices & credit notes work"))
    response = team.other.get(W + "/search?q=billing")
    assert response.status_code == 200
    assert [h["type"] for h in response.json] == ["document"]  # `other` is not in the project
    hits = team.member.get(W + "/search?q=billing").json
    assert sorted(h["type"] for h in hits) == ["card", "document"]
    card_hit = next(h for h in hits if h["type"] == "card")
    doc_hit = next(h for h in hits if h["type"] == "document")
    assert set(card_hit) == {"type", "id", "title", "snippet", "key", "projectId", "columnId", "archived", "updatedAt"}
    assert set(doc_hit) == {"type", "id", "title", "snippet", "docType", "status", "updatedAt"}
    assert (card_hit["projectId"], card_hit["columnId"], card_hit["archived"]) == (project["id"], todo, False)
    assert "<mark>Billing</mark>" in doc_hit["snippet"]
    invoices = team.member.get(W + "/search?q=invoices&types=document").json
    assert len(invoices) == 1 and "&amp;" in invoices[0]["snippet"] and "<mark>invoices</mark>" in invoices[0]["snippet"]
    assert team.member.get(W + "/search?q=billing&types=card&limit=1").json[0]["type"] == "card"
    assert detail_fields(team.member.get(W + "/search")) == ["q"]
    assert detail_fields(team.member.get(W + "/search?q=x&types=wiki")) == ["types"]
    assert detail_fields(team.member.get(W + "/search?q=x&limit=500")) == ["limit"]
    assert_error(team.outsider.get(W + "/search?q=billing"), 404)
