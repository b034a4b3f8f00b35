"""The knowledge pages: the tree with its filters and drag-to-move (a cycle refused and shown
as saved), live search (escaped snippets), new documents (blank, from a template, for a card),
the document page and its editor saves (conflict notice on a stale revision), spreadsheets as
grids, the review panel per role, revisions, and outsiders."""
import json
import re
from html import unescape

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models.identity import User
from app.models.knowledge import Document, DocumentRevision
from app.services import cards, document_review, documents
from app.services.access import workspace_access
from app.services.workspaces import reachable_workspaces
from tests.board_helpers import ws
from tests.unit.document_helpers import doc
from tests.web.board_support import HX, html, user_named, world  # noqa: F401  (fixture)

W = "/o/acme/w/eng"
JSON = {"Accept": "application/json"}


def make(email: str, title: str, **fields) -> Document:
    document = documents.create_document(ws(user_named(email)), {"title": title, **fields})
    db.session.commit()
    return document


def fresh(document_id: str) -> Document:
    db.session.expire_all()
    return db.session.get(Document, document_id)


def tree_nesting(page: str) -> dict[str, str]:
    """{document id: parent id ('' at the top)} as the tree shows it."""
    nesting, stack = {}, [""]
    for match in re.finditer(r'<ul class="doc-children[^"]*" data-parent-id="([0-9a-f]*)">|</ul>|'
                             r'<li class="doc-node" id="doc-node-([0-9a-f]{24})"', page):
        if match.group(0) == "</ul>":
            stack.pop()
        elif match.group(2):
            nesting[match.group(2)] = stack[-1]
        else:
            stack.append(match.group(1))
    return nesting


def foreign_document(register) -> Document:
    """A document in the personal workspace of Mallory, who is not in acme/eng."""
    mallory = db.session.get(User, register("mallory@example.com").user["id"])
    org, workspace = reachable_workspaces(mallory)[0]
    foreign = documents.create_document(workspace_access(mallory, org.slug, workspace.slug), {"title": "Foreign"})
    db.session.commit()
    return foreign


def text_of(fragment: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))).strip()


@pytest.fixture()
def carl_reviews(world):
    """Carl, a workspace member, gets the pilotage role reviewer."""
    ws(user_named("carl@example.com")).membership.pilotage_role = "reviewer"
    db.session.commit()


# The knowledge page -------------------------------------------------------------------------------

def test_the_page_shows_the_tree_and_the_nav_links_to_it(world):
    guide = make("ada@example.com", "Guide")
    setup = make("bob@example.com", "Setup", parentId=guide.id, docType="spec")
    make("bob@example.com", "Architecture", docType="adr")
    response = world.bob.get(f"{W}/knowledge")
    page = html(response)
    assert response.status_code == 200
    assert re.search(rf'href="{W}/knowledge"\s+class="active" aria-current="page">Knowledge</a>', page)
    nesting = tree_nesting(page)
    assert nesting[setup.id] == guide.id and nesting[guide.id] == ""
    assert page.index("Architecture") < page.index("Guide")  # each level by title
    assert ">ADR</span>" in page and ">Spec</span>" in page


def test_filters_list_matching_documents_and_push_the_address(world):
    make("ada@example.com", "Guide")
    spec = make("ada@example.com", "Login spec", docType="spec")
    response = world.bob.get(f"{W}/knowledge?type=spec&status=draft", headers=HX)
    page = html(response)
    assert response.status_code == 200
    assert page.lstrip().startswith('<section id="doc-tree"')
    assert f'id="doc-row-{spec.id}"' in page and "Guide" not in page
    assert response.headers["HX-Push-Url"] == f"{W}/knowledge?type=spec&status=draft"
    assert "No document matches" in html(world.bob.get(f"{W}/knowledge?status=approved", headers=HX))


def test_an_unknown_filter_shows_the_whole_tree_and_why(world):
    make("ada@example.com", "Guide")
    response = world.bob.get(f"{W}/knowledge?type=poem")
    assert response.status_code == 400
    assert "docType must be one of" in unescape(html(response)) and "Guide" in html(response)


def test_dragging_a_document_into_another_moves_it(world):
    guide = make("ada@example.com", "Guide")
    setup = make("bob@example.com", "Setup")
    response = world.bob.post(f"{W}/knowledge/tree/move", data={"document_id": setup.id, "parent_id": guide.id},
                              headers=HX)
    assert response.status_code == 200
    assert tree_nesting(html(response))[setup.id] == guide.id
    assert "Moved “Setup” under “Guide”." in unescape(html(response))
    assert fresh(setup.id).parent_id == guide.id
    back = world.bob.post(f"{W}/knowledge/tree/move", data={"document_id": setup.id, "parent_id": ""}, headers=HX)
    assert tree_nesting(html(back))[setup.id] == "" and fresh(setup.id).parent_id is None


def test_a_move_under_its_own_descendant_is_refused_and_the_tree_snaps_back(world):
    guide = make("ada@example.com", "Guide")
    setup = make("ada@example.com", "Setup", parentId=guide.id)
    linux = make("ada@example.com", "Linux", parentId=setup.id)
    response = world.bob.post(f"{W}/knowledge/tree/move", data={"document_id": guide.id, "parent_id": linux.id},
                              headers=HX)
    assert response.status_code == 409
    assert response.headers["X-Fragment"] == "1"
    page = html(response)
    assert "cannot be moved under itself or one of its descendants" in page
    assert tree_nesting(page) == {guide.id: "", setup.id: guide.id, linux.id: setup.id}
    assert fresh(guide.id).parent_id is None


def test_a_move_of_a_document_from_another_workspace_is_refused(world, register):
    foreign = foreign_document(register)
    mine = make("ada@example.com", "Mine")
    response = world.ada.post(f"{W}/knowledge/tree/move", data={"document_id": foreign.id, "parent_id": mine.id},
                              headers=HX)
    assert response.status_code == 404
    assert fresh(foreign.id).parent_id is None
    response = world.ada.post(f"{W}/knowledge/tree/move", data={"document_id": mine.id, "parent_id": foreign.id},
                              headers=HX)
    assert response.status_code == 400 and fresh(mine.id).parent_id is None


def test_without_javascript_a_move_comes_back_to_the_page(world):
    guide = make("ada@example.com", "Guide")
    response = world.bob.post(f"{W}/knowledge/tree/move", data={"document_id": guide.id, "parent_id": guide.id})
    assert response.status_code == 302 and response.headers["Location"] == f"{W}/knowledge"
    assert "cannot be moved under itself" in html(world.bob.get(f"{W}/knowledge"))


# Search ---------------------------------------------------------------------------------------------

def test_live_search_finds_documents_and_cards_with_escaped_snippets(world):
    make("ada@example.com", "Deployment <b>guide</b>",
         content=doc('Run <script>alert("x")</script> deploy.sh before the deployment window'))
    cards.create_card(user_named("ada@example.com"), world.column(0), title="Deployment checklist <i>now</i>")
    db.session.commit()
    response = world.bob.get(f"{W}/knowledge/search?q=deploy", headers=HX)
    page = html(response)
    assert response.status_code == 200 and page.lstrip().startswith('<div id="search-results"')
    # Only the page's own tags and the highlight marks: titles and snippets are escaped.
    assert set(re.findall(r"<(\w+)", page)) <= {"div", "ul", "li", "a", "span", "p", "mark"}
    assert "Deployment &lt;b&gt;guide&lt;/b&gt;" in page
    assert re.search(r"<mark>deploy(ment)?</mark>", page, re.I)
    assert f'href="{W}/p/{world.project_id}/cards/' in page and "Deployment checklist &lt;i&gt;now&lt;/i&gt;" in page


def test_search_hides_cards_of_projects_the_caller_does_not_reach(world):
    cards.create_card(user_named("ada@example.com"), world.column(0), title="Secret rollout")
    db.session.commit()
    assert "Secret rollout" in html(world.bob.get(f"{W}/knowledge/search?q=rollout", headers=HX))
    assert "Nothing matches" in html(world.carl.get(f"{W}/knowledge/search?q=rollout", headers=HX))


def test_search_without_words_finds_nothing_and_a_long_query_says_why(world):
    assert "hit-list" not in html(world.bob.get(f"{W}/knowledge/search?q=", headers=HX))
    response = world.bob.get(f"{W}/knowledge/search?q=" + "a" * 201, headers=HX)
    assert "q must be at most 200 characters" in html(response)
    page = html(world.bob.get(f"{W}/knowledge/search?q=nothing"))
    assert "<html" in page and 'value="nothing"' in page and "Nothing matches" in page


# New documents ------------------------------------------------------------------------------------------

def test_a_new_document_opens_in_the_editor(world):
    guide = make("ada@example.com", "Guide")
    page = html(world.bob.get(f"{W}/knowledge/new?parent_id={guide.id}"))
    assert f'<option value="{guide.id}" selected>Guide</option>' in page
    response = world.bob.post(f"{W}/knowledge/new", data={"title": "Login spec", "type": "spec", "parent_id": guide.id})
    created = db.session.scalar(sa.select(Document).where(Document.title == "Login spec"))
    assert response.status_code == 302
    assert response.headers["Location"] == f"{W}/docs/{created.id}/edit"
    assert (created.doc_type, created.parent_id, created.status) == ("spec", guide.id, "draft")


def test_a_refused_new_document_shows_the_form_again_with_the_reason(world):
    response = world.bob.post(f"{W}/knowledge/new", data={"title": "  ", "type": "spec"})
    assert response.status_code == 400
    page = html(response)
    assert 'class="field has-error"' in page and '<option value="spec" selected>' in page
    response = world.bob.post(f"{W}/knowledge/new", data={"title": "Poem", "type": "poem"}, headers=HX)
    assert response.status_code == 400 and "docType must be one of" in html(response)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Document)) == 0


def test_a_document_from_a_template_copies_its_content(world):
    template = make("ada@example.com", "ADR template", docType="template", content=doc("Context", "Decision"))
    page = html(world.bob.get(f"{W}/docs/{template.id}"))
    assert "New document from this template" in page
    response = world.bob.post(f"{W}/docs/{template.id}/instantiate", data={"title": "ADR 7: queues", "type": "adr"})
    created = db.session.scalar(sa.select(Document).where(Document.title == "ADR 7: queues"))
    assert response.headers["Location"] == f"{W}/docs/{created.id}/edit"
    assert created.doc_type == "adr" and created.content == template.content
    # The new document form offers it too.
    assert f'<option value="{template.id}">Template: ADR template</option>' in html(world.bob.get(f"{W}/knowledge/new"))
    world.bob.post(f"{W}/knowledge/new", data={"title": "ADR 8", "type": "adr", "template_id": template.id})
    assert db.session.scalar(sa.select(Document).where(Document.title == "ADR 8")).content == template.content


def test_a_document_for_a_card_belongs_to_it(world):
    card = cards.create_card(user_named("ada@example.com"), world.column(0), title="Login page")
    db.session.commit()
    page = html(world.bob.get(f"{W}/knowledge/new?card_id={card.id}"))
    assert "For the card <strong>Login page</strong>" in page and f'name="card_id" value="{card.id}"' in page
    world.bob.post(f"{W}/knowledge/new", data={"title": "Login notes", "type": "note", "card_id": card.id})
    created = db.session.scalar(sa.select(Document).where(Document.title == "Login notes"))
    assert (created.card_id, created.project_id) == (card.id, world.project_id)
    page = html(world.bob.get(f"{W}/docs/{created.id}"))
    assert f'href="{W}/p/{world.project_id}/cards/{card.id}"' in page and "Website" in page
    # Carl is outside the project: the form ignores the card, the page does not show it.
    assert "For the card" not in html(world.carl.get(f"{W}/knowledge/new?card_id={card.id}"))
    assert "Linked to a project or card you cannot open" in html(world.carl.get(f"{W}/docs/{created.id}"))


def test_the_card_panel_lists_the_cards_documents_and_links_to_a_new_one(world):
    card = cards.create_card(user_named("ada@example.com"), world.column(0), title="Login page")
    other = cards.create_card(user_named("ada@example.com"), world.column(0), title="Signup page")
    db.session.commit()
    make("ada@example.com", "Login <notes>", cardId=card.id, docType="note")
    make("ada@example.com", "Signup notes", cardId=other.id)
    panel = html(world.bob.get(f"{world.url}/cards/{card.id}", headers=HX))
    section = re.search(r'<section class="card-documents".*?</section>', panel, re.S).group(0)
    assert "Login &lt;notes&gt;</a>" in section and "Note · Draft" in section and "Signup notes" not in section
    assert f'href="{W}/knowledge/new?card_id={card.id}">+ New document for this card</a>' in section
    empty = html(world.bob.get(f"{world.url}/cards/{other.id}", headers=HX))
    assert "Signup notes" in empty and "Login &lt;notes&gt;" not in empty


# The document page ------------------------------------------------------------------------------------------

HOSTILE = {"type": "doc", "content": [
    {"type": "heading", "attrs": {"level": 2}, "content": [{"type": "text", "text": "Plan <img src=x onerror=alert(1)>"}]},
    {"type": "paragraph", "content": [{"type": "text", "text": "click", "marks": [
        {"type": "link", "attrs": {"href": "javascript:alert(1)"}}]}]},
    {"type": "script", "content": [{"type": "text", "text": "alert(2)"}]},
]}


def test_the_document_page_renders_the_content_safely(world):
    document = make("ada@example.com", "Plan", content=HOSTILE)
    response = world.bob.get(f"{W}/docs/{document.id}")
    page = html(response)
    assert response.status_code == 200
    assert "<h2>Plan &lt;img src=x onerror=alert(1)&gt;</h2>" in page
    assert "javascript:" not in page and "alert(2)" not in page and "<img" not in page
    assert 'id="doc-status"' in page and ">Draft</span>" in page and ">Document</span>" in page
    assert 'id="doc-edit"' in page and "data-stellary-editor" not in page
    assert "vendor/tiptap-3.35.0.min.js" in page


def test_edit_swaps_in_the_editor_with_the_content_as_json(world):
    document = make("ada@example.com", "Plan </script><script>alert(1)</script>", content=HOSTILE)
    response = world.bob.get(f"{W}/docs/{document.id}/edit", headers=HX)
    page = html(response)
    assert response.status_code == 200 and page.lstrip().startswith('<article id="doc-main"')
    assert response.headers["HX-Push-Url"] == f"{W}/docs/{document.id}/edit"
    assert "data-stellary-editor" in page and 'name="expected_revision" value="1"' in page
    content = re.search(r'<script type="application/json" data-editor-content>(.*?)</script>', page, re.S).group(1)
    assert json.loads(content) == HOSTILE and "<" not in content
    people = json.loads(re.search(r'<script type="application/json" id="doc-mentions">(.*?)</script>', page, re.S).group(1))
    assert {p["label"] for p in people} == {"Ada Example", "Bob Example", "Carl Example"}
    assert 'value="Plan &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in page
    done = world.bob.get(f"{W}/docs/{document.id}", headers=HX)
    assert html(done).lstrip().startswith('<article id="doc-main"') and "data-stellary-editor" not in html(done)


def test_the_editor_save_answers_json_and_records_a_revision(world):
    document = make("ada@example.com", "Plan")
    body = {"title": "Plan v2", "content": json.dumps(doc("First step")), "expected_revision": "1"}
    response = world.bob.post(f"{W}/docs/{document.id}/save", data=body, headers=JSON)
    assert response.status_code == 200
    assert response.json["revision"] == 2 and response.json["status"] == "draft"
    assert response.json["statusChange"] is None
    saved = fresh(document.id)
    assert (saved.title, saved.content, saved.revision) == ("Plan v2", doc("First step"), 2)


def test_a_save_made_on_an_older_revision_is_a_conflict_notice(world):
    document = make("ada@example.com", "Plan", content=doc("Ada's text"))
    documents.update_document(ws(user_named("ada@example.com")), document.id, {"content": doc("Ada again")})
    db.session.commit()
    body = {"title": "Plan", "content": json.dumps(doc("Bob's text")), "expected_revision": "1"}
    response = world.bob.post(f"{W}/docs/{document.id}/save", data=body, headers=JSON)
    assert response.status_code == 409
    assert response.json["conflict"] is True and response.json["revision"] == 2
    assert response.json["message"].startswith("Ada Example saved this document meanwhile (revision 2)")
    assert fresh(document.id).content == doc("Ada again")
    # Overwrite: the same save, expecting the revision the notice gave.
    body["expected_revision"] = "2"
    response = world.bob.post(f"{W}/docs/{document.id}/save", data=body, headers=JSON)
    assert response.status_code == 200 and response.json["revision"] == 3
    assert fresh(document.id).content == doc("Bob's text")


def test_a_refused_save_answers_the_reason_and_keeps_the_document(world):
    document = make("ada@example.com", "Plan")
    for body, message in [({"title": "", "expected_revision": "1"}, "title"),
                          ({"title": "Plan", "content": "{not json", "expected_revision": "1"}, "content must be TipTap JSON"),
                          ({"title": "Plan", "content": '{"type": "paragraph"}', "expected_revision": "1"}, "TipTap document"),
                          ({"title": "Plan", "expected_revision": "one"}, "expected_revision")]:
        response = world.bob.post(f"{W}/docs/{document.id}/save", data=body, headers=JSON)
        assert response.status_code == 400, body
        assert message in response.json["message"]
    assert fresh(document.id).revision == 1


def test_editing_an_approved_document_returns_it_to_draft(world):
    document = make("bob@example.com", "Plan")
    document_review.submit_review(ws(user_named("bob@example.com")), document.id)
    document_review.review_document(ws(user_named("ada@example.com")), document.id, "approved")
    db.session.commit()
    body = {"title": "Plan", "content": json.dumps(doc("changed")), "expected_revision": "1"}
    response = world.bob.post(f"{W}/docs/{document.id}/save", data=body, headers=JSON)
    assert response.json["status"] == "draft" and "returned it to draft" in response.json["statusChange"]
    panel = html(world.bob.get(f"{W}/docs/{document.id}/review-panel", headers=HX))
    assert ">Submit for review</button>" in panel and "edited it after approval" in panel
    assert 'id="doc-status"' in panel and 'hx-swap-oob="true"' in panel


def test_without_javascript_a_save_comes_back_to_the_page(world):
    document = make("ada@example.com", "Plan")
    response = world.bob.post(f"{W}/docs/{document.id}/save", data={"title": "Plan 2", "expected_revision": "1"})
    assert response.status_code == 302 and response.headers["Location"] == f"{W}/docs/{document.id}"
    response = world.bob.post(f"{W}/docs/{document.id}/save", data={"title": "Plan 3", "expected_revision": "1"})
    assert response.headers["Location"] == f"{W}/docs/{document.id}/edit"
    assert fresh(document.id).title == "Plan 2"


# Spreadsheets ------------------------------------------------------------------------------------------------

def test_a_spreadsheet_is_edited_as_a_grid(world):
    sheet = make("ada@example.com", "Budget", docType="spreadsheet",
                 content={"type": "spreadsheet", "header": True, "rows": [["Item", "Cost"], ["Laptops", 1200]]})
    page = html(world.bob.get(f"{W}/docs/{sheet.id}/edit"))
    assert "data-stellary-editor" not in page and 'id="doc-grid"' in page
    assert 'name="r1c1" value="1200"' in page and 'name="r2c2" value=""' in page  # a spare row and column
    assert 'aria-label="Cell B2"' in page
    form = {"title": "Budget 2026", "expected_revision": "1", "header": "1", "r0c0": "Item", "r0c1": "Cost",
            "r1c0": "Laptops", "r1c1": "1300.5", "r2c0": "Desks", "r2c1": "=SUM(B2:B3)", "r2c2": "", "r3c0": " "}
    response = world.bob.post(f"{W}/docs/{sheet.id}/grid", data=form, headers=HX)
    assert response.status_code == 200 and "Saved." in html(response)
    saved = fresh(sheet.id)
    assert saved.content == {"type": "spreadsheet", "header": True,
                             "rows": [["Item", "Cost"], ["Laptops", 1300.5], ["Desks", "=SUM(B2:B3)"]]}
    assert saved.title == "Budget 2026"
    rendered = html(world.bob.get(f"{W}/docs/{sheet.id}"))
    assert "<th>Item</th>" in rendered and "<td>=SUM(B2:B3)</td>" in rendered


def test_a_stale_grid_keeps_what_was_typed_and_offers_to_overwrite(world):
    sheet = make("ada@example.com", "Budget", docType="spreadsheet", content={"type": "spreadsheet", "rows": [["a"]]})
    documents.update_document(ws(user_named("ada@example.com")), sheet.id,
                              {"content": {"type": "spreadsheet", "rows": [["ada"]]}})
    db.session.commit()
    form = {"title": "Budget", "expected_revision": "1", "r0c0": "bob"}
    response = world.bob.post(f"{W}/docs/{sheet.id}/grid", data=form, headers=HX)
    page = html(response)
    assert response.status_code == 409 and response.headers["X-Fragment"] == "1"
    assert "Ada Example saved this document meanwhile" in page
    assert 'name="r0c0" value="bob"' in page and 'name="overwrite" value="2"' in page
    assert fresh(sheet.id).content["rows"] == [["ada"]]
    response = world.bob.post(f"{W}/docs/{sheet.id}/grid", data={**form, "overwrite": "2"}, headers=HX)
    assert response.status_code == 200 and fresh(sheet.id).content["rows"] == [["bob"]]


def test_a_cell_outside_the_largest_grid_is_refused(world):
    sheet = make("ada@example.com", "Budget", docType="spreadsheet")
    response = world.bob.post(f"{W}/docs/{sheet.id}/grid", data={"title": "Budget", "r1000c0": "x"}, headers=HX)
    assert response.status_code == 400 and "at most 1000 rows" in html(response)


# Review ------------------------------------------------------------------------------------------------------

def review_buttons(page: str) -> set[str]:
    return set(re.findall(r">(Submit for review|Approve|Request changes)</button>", page))


@pytest.mark.parametrize("name, sees", [
    ("ada", {"Approve", "Request changes"}),     # workspace admin
    ("carl", {"Approve", "Request changes"}),    # pilotage reviewer
    ("bob", set()),                              # member with pilotage viewer: waits
])
def test_review_buttons_follow_the_role(world, carl_reviews, name, sees):
    document = make("bob@example.com", "Plan")
    page = html(getattr(world, name).get(f"{W}/docs/{document.id}"))
    assert review_buttons(page) == {"Submit for review"}
    document_review.submit_review(ws(user_named("bob@example.com")), document.id)
    db.session.commit()
    page = html(getattr(world, name).get(f"{W}/docs/{document.id}"))
    assert review_buttons(page) == sees
    if not sees:
        assert "waiting for a reviewer" in page


def test_submit_then_request_changes_then_approve_through_the_panel(world, carl_reviews):
    document = make("bob@example.com", "Plan")
    response = world.bob.post(f"{W}/docs/{document.id}/submit-review", headers=HX)
    page = html(response)
    assert response.status_code == 200 and page.lstrip().startswith('<section id="doc-review"')
    assert "Submitted for review." in page and "Bob Example</strong> submitted it for review" in page
    assert re.search(r'<span id="doc-status"[^>]*hx-swap-oob="true"[^>]*>Pending review</span>', page)
    response = world.carl.post(f"{W}/docs/{document.id}/review",
                               data={"status": "changes_requested", "notes": "Add the <rollback> plan"}, headers=HX)
    page = html(response)
    assert "Changes requested." in page and "Add the &lt;rollback&gt; plan" in page
    assert fresh(document.id).status == "changes_requested"
    world.bob.post(f"{W}/docs/{document.id}/submit-review", headers=HX)
    response = world.ada.post(f"{W}/docs/{document.id}/review", data={"status": "approved"}, headers=HX)
    assert "Approved." in html(response) and fresh(document.id).status == "approved"
    steps = text_of(html(world.bob.get(f"{W}/docs/{document.id}")))
    assert "Ada Example approved it" in steps and "Carl Example requested changes" in steps


def test_a_refused_review_shows_the_reason_in_the_panel(world):
    document = make("bob@example.com", "Plan")
    response = world.ada.post(f"{W}/docs/{document.id}/review", data={"status": "approved"}, headers=HX)
    assert response.status_code == 409 and response.headers["X-Fragment"] == "1"
    assert "Only a document pending review can be reviewed" in html(response)
    world.bob.post(f"{W}/docs/{document.id}/submit-review", headers=HX)
    response = world.bob.post(f"{W}/docs/{document.id}/review", data={"status": "approved"}, headers=HX)
    assert response.status_code == 403 and "needs a workspace admin or a pilotage reviewer" in html(response)
    response = world.ada.post(f"{W}/docs/{document.id}/review", data={"status": "maybe", "notes": "x"}, headers=HX)
    assert response.status_code == 400 and ">x</textarea>" in html(response)
    response = world.bob.post(f"{W}/docs/{document.id}/submit-review", headers=HX)
    assert response.status_code == 409 and "cannot be submitted" in html(response)
    assert fresh(document.id).status == "pending_review"


# Revisions -----------------------------------------------------------------------------------------------------

def test_revisions_are_listed_viewed_and_restored(world):
    document = make("ada@example.com", "Plan", content=doc("first <draft>"))
    documents.update_document(ws(user_named("bob@example.com")), document.id, {"content": doc("second")})
    db.session.commit()
    page = html(world.bob.get(f"{W}/docs/{document.id}"))
    assert 'id="revision-2"' in page and 'id="revision-1"' in page
    first = db.session.scalar(sa.select(DocumentRevision).where(DocumentRevision.document_id == document.id,
                                                                DocumentRevision.number == 1))
    page = html(world.bob.get(f"{W}/docs/{document.id}/revisions/{first.id}"))
    assert "<p>first &lt;draft&gt;</p>" in page and ">Restore this revision</button>" in page
    response = world.bob.post(f"{W}/docs/{document.id}/revisions/{first.id}/restore")
    assert response.status_code == 302 and response.headers["Location"] == f"{W}/docs/{document.id}"
    assert "Restored revision 1 as revision 3." in html(world.bob.get(f"{W}/docs/{document.id}"))
    assert fresh(document.id).content == doc("first <draft>")
    fragment = html(world.bob.get(f"{W}/docs/{document.id}/revisions", headers=HX))
    assert fragment.lstrip().startswith('<section id="doc-revisions"') and "restored from revision 1" in fragment


def test_a_revision_of_another_document_is_not_found(world):
    one, two = make("ada@example.com", "One"), make("ada@example.com", "Two")
    rev = db.session.scalar(sa.select(DocumentRevision).where(DocumentRevision.document_id == two.id))
    assert world.bob.get(f"{W}/docs/{one.id}/revisions/{rev.id}").status_code == 404
    assert world.bob.post(f"{W}/docs/{one.id}/revisions/{rev.id}/restore").status_code == 404


# Side forms: context, move, delete -------------------------------------------------------------------------------

def test_side_forms_move_link_and_delete(world):
    guide = make("ada@example.com", "Guide")
    plan = make("bob@example.com", "Plan")
    child = make("bob@example.com", "Child", parentId=plan.id)
    world.bob.post(f"{W}/docs/{plan.id}/move", data={"parent_id": guide.id})
    assert fresh(plan.id).parent_id == guide.id
    world.bob.post(f"{W}/docs/{guide.id}/move", data={"parent_id": child.id})
    assert fresh(guide.id).parent_id is None
    assert "cannot be moved under itself" in html(world.bob.get(f"{W}/docs/{guide.id}"))
    world.bob.post(f"{W}/docs/{plan.id}/context", data={"project_id": world.project_id})
    assert fresh(plan.id).project_id == world.project_id
    page = html(world.bob.get(f"{W}/docs/{plan.id}"))
    assert f'href="{W}/p/{world.project_id}">Website</a>' in page
    # Only the creator or an admin is offered deletion; children move up.
    assert 'id="doc-delete"' not in html(world.carl.get(f"{W}/docs/{plan.id}"))
    assert world.carl.post(f"{W}/docs/{plan.id}/delete").status_code == 302
    assert fresh(plan.id) is not None
    response = world.bob.post(f"{W}/docs/{plan.id}/delete", data={"children": "up"}, headers=HX)
    assert response.headers["HX-Redirect"] == f"{W}/knowledge"
    assert fresh(plan.id) is None and fresh(child.id).parent_id == guide.id


# Who reaches what -------------------------------------------------------------------------------------------------

def test_outsiders_get_404_everywhere(world):
    document = make("ada@example.com", "Plan")
    for path in ("/knowledge", "/knowledge/search?q=plan", "/knowledge/new", f"/docs/{document.id}",
                 f"/docs/{document.id}/edit", f"/docs/{document.id}/revisions", f"/docs/{document.id}/review-panel"):
        assert world.eve.get(W + path).status_code == 404, path
    for path in (f"/docs/{document.id}/save", f"/docs/{document.id}/grid", f"/docs/{document.id}/submit-review",
                 f"/docs/{document.id}/review", f"/docs/{document.id}/delete", "/knowledge/tree/move",
                 "/knowledge/new"):
        assert world.eve.post(W + path, data={"title": "x", "document_id": document.id}).status_code == 404, path
    assert fresh(document.id).status == "draft" and fresh(document.id).title == "Plan"


def test_a_document_id_of_another_workspace_is_not_found(world, register):
    foreign = foreign_document(register)
    assert world.ada.get(f"{W}/docs/{foreign.id}").status_code == 404
    assert world.ada.post(f"{W}/docs/{foreign.id}/save", data={"title": "x"}, headers=JSON).status_code == 404
    assert world.ada.get(f"{W}/docs/not-an-id").status_code == 404
    assert fresh(foreign.id).title == "Foreign"


def test_signed_out_visitors_go_to_the_login_page(app):
    response = app.test_client().get(f"{W}/knowledge")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
