"""The conversation in the card panel, in a real browser: open a card from the board, post a
comment mentioning a teammate picked from the `@` suggestions, drop an image on the panel and
see it uploaded (progress, then listed with its thumbnail), download it back byte for byte;
a file over 10 MB dropped on the panel is refused before it is sent. CSRF protection is on,
as in production."""
import base64
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.extensions import db
from app.models.identity import OrgMember, User, WorkspaceMember
from app.services import accounts, cards, columns, projects
from app.services.access import workspace_access
from tests.e2e.test_board_journey import sign_up

pytestmark = pytest.mark.e2e

PASSWORD = "correct-horse-battery"
# A 4×4 PNG: a real image, so the browser draws its thumbnail.
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEElEQVR4nGPwd3sKRwzEcQBdMhehNi/xVAAAAABJRU5ErkJggg==")

DROP = """([name, type, base64, size]) => {
  const bytes = base64 ? Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)) : new Uint8Array(size);
  const carrier = new DataTransfer();
  carrier.items.add(new File([bytes], name, { type }));
  const zone = document.querySelector("#card-panel .card-detail");
  for (const kind of ["dragenter", "dragover", "drop"]) {
    zone.dispatchEvent(new DragEvent(kind, { bubbles: true, cancelable: true, dataTransfer: carrier }));
  }
}"""


@pytest.fixture()
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def settled(page) -> None:
    """Wait until htmx has swapped and processed what it received."""
    page.wait_for_function(
        "!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')")


def test_comment_with_a_mention_then_drop_a_file_and_download_it(new_page, live_server, csrf_on):
    page = new_page()
    sign_up(page, "Grace Hopper", "grace@example.com")

    grace = db.session.scalar(sa.select(User).where(User.email == "grace@example.com"))
    ws_access = workspace_access(grace, "grace-hopper", "personal")
    ada = accounts.register("ada@example.com", PASSWORD, "Ada Lovelace")
    db.session.add_all([OrgMember(organization_id=ws_access.workspace.organization_id, user_id=ada.id, role="member"),
                        WorkspaceMember(workspace_id=ws_access.workspace.id, user_id=ada.id, role="member",
                                        pilotage_role="viewer")])
    project = projects.create_project(ws_access, "Compiler")
    access = projects.project_access(grace, "grace-hopper", "personal", project.id)
    projects.add_member(access, "ada@example.com")
    card = cards.create_card(grace, columns.list_columns(access)[0].id, title="Write the linker")
    db.session.commit()

    page.goto(f"/o/grace-hopper/w/personal/p/{project.id}")
    page.locator(f"#card-{card.id} .card-title").click()
    panel = page.locator("#card-panel .card-detail")
    expect(panel.get_by_label("Title")).to_have_value("Write the linker")
    settled(page)

    # A comment mentioning Ada, picked from the suggestions.
    field = panel.get_by_label("Write a comment")
    field.click()
    field.press_sequentially("Ready for review, @lov")
    suggestions = panel.get_by_role("listbox", name="People to mention")
    expect(suggestions.get_by_role("option")).to_have_text(["Ada Lovelace @AdaLovelace"])
    suggestions.get_by_role("option", name="Ada Lovelace").click()
    expect(field).to_have_value("Ready for review, @AdaLovelace ")
    expect(suggestions).to_have_count(0)
    field.press_sequentially("please")
    panel.get_by_role("button", name="Comment", exact=True).click()
    comment = panel.locator(".comment")
    expect(comment).to_have_count(1)
    expect(comment.locator(".comment-text")).to_have_text("Ready for review, @AdaLovelace please")
    expect(comment.locator("mark.mention")).to_have_text("@AdaLovelace")
    expect(comment.locator(".comment-author")).to_have_text("Grace Hopper")
    expect(panel.locator("#panel-activity li").first).to_contain_text(
        "Grace Hopper commented: “Ready for review, @AdaLovelace please”")
    expect(panel.get_by_label("Write a comment")).to_have_value("")
    tile = page.locator(f"#card-{card.id}")
    expect(tile.locator(".card-comment-count")).to_have_text("💬 1 comment")
    settled(page)

    # An image dropped on the panel: uploaded with progress, then listed with its thumbnail.
    page.evaluate("""() => {
      window.uploadProgress = [];
      document.addEventListener("htmx:xhr:progress", (event) => window.uploadProgress.push(event.detail));
    }""")
    with page.expect_response(lambda r: r.url.endswith("/attachments") and r.request.method == "POST") as sent:
        page.evaluate(DROP, ["diagram.png", "image/png", base64.b64encode(PNG).decode(), 0])
    assert sent.value.status == 200
    attachments = panel.locator("#panel-attachments")
    expect(attachments.get_by_role("status")).to_have_text("File attached.")
    assert page.evaluate("window.uploadProgress.some((p) => p.lengthComputable && p.loaded === p.total && p.total > 0)")
    item = attachments.locator(".attachment")
    expect(item).to_have_count(1)
    expect(item.locator(".attachment-name")).to_have_text("diagram.png")
    expect(item).to_contain_text(f"{len(PNG)} bytes · Grace Hopper")
    thumbnail = item.get_by_role("img", name="Preview of diagram.png")
    expect(thumbnail).to_have_js_property("naturalWidth", 4)
    expect(panel.locator("#panel-activity li").first).to_contain_text("Grace Hopper attached “diagram.png”")
    expect(tile.locator(".card-attachment-count")).to_have_text("📎 1 attachment")

    # Downloaded back, byte for byte.
    with page.expect_download() as download:
        item.locator(".attachment-name").click()
    assert download.value.suggested_filename == "diagram.png"
    assert Path(download.value.path()).read_bytes() == PNG

    # Over 10 MB: refused in the page, nothing sent.
    requests = []
    page.on("request", lambda r: requests.append(r.url) if r.method == "POST" else None)
    page.evaluate(DROP, ["huge.bin", "application/octet-stream", "", 11 * 1024 * 1024])
    expect(attachments.get_by_role("alert")).to_have_text("This file is too large: a file may hold at most 10 MB.")
    assert requests == []
    expect(attachments.locator(".attachment")).to_have_count(1)
