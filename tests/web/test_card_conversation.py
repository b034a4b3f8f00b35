"""The conversation in the card panel: comments (posted, refused inline, edited and deleted
by whom the rules allow, escaped, mentions highlighted and suggested), attachments (uploaded
through the web form, the 10 MB limit answered inline with nothing kept, downloads that a
browser never runs, previews, deletes), the card's history as sentences, and the 404s of
other projects' ids and outsiders, with CSRF as in production."""
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from app import live
from app.extensions import db
from app.models.card_depth import Attachment, Comment, Notification
from app.ids import new_id
from app.services import attachments, cards, comments
from app.timeutil import utcnow
from tests.api.card_depth_world import multipart
from tests.board_helpers import board, bulk_cards
from tests.web.board_support import HX, html, user_named, world  # noqa: F401
from tests.web.identity_support import csrf_token
from tests.web.test_board_page import count_statements

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def new_card(world, title="Write the launch post"):
    card = cards.create_card(user_named("ada@example.com"), world.column(0), expected_project_id=world.project_id,
                             title=title)
    db.session.commit()
    return card.id


def card_url(world, card_id):
    return f"{world.url}/cards/{card_id}"


def post_comment(client, world, card_id, content, headers=HX):
    return client.post(f"{card_url(world, card_id)}/comments", headers=headers, data={"content": content})


def upload(client, world, card_id, data: bytes, name="notes.txt", mime="text/plain", headers=HX):
    body, content_type = multipart(data, name, mime)
    return client.post(f"{card_url(world, card_id)}/attachments", headers=headers, data=body,
                       content_type=content_type)


def stored_comments(card_id) -> list[tuple[str, str]]:
    db.session.expire_all()
    return [(c.author.email, c.content) for c in db.session.scalars(
        sa.select(Comment).where(Comment.card_id == card_id).order_by(Comment.created_at, Comment.id))]


def stored_attachments(card_id) -> list[Attachment]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Attachment).where(Attachment.card_id == card_id)
                                   .order_by(Attachment.created_at, Attachment.id)))


def files_on_disk(app) -> set[str]:
    return {p.name for p in Path(app.config["UPLOAD_DIR"]).iterdir()}


def section(page: str, name: str) -> str:
    start = page.index(f'<section id="panel-{name}"')
    return page[start:page.index("</section>", start)]


def field_error(part: str) -> str:
    found = re.search(r'<div class="field-error" role="alert"[^>]*>\s*(.*?)\s*</div>', part, re.S)
    return found.group(1) if found else ""


def history(page: str) -> list[str]:
    """The history's lines as text, newest first."""
    items = re.findall(r"<li><strong>(.*?)</strong> (.*?)\n", section(page, "activity"))
    return [f"{who} {what}" for who, what in items]


def other_project_card() -> str:
    ada = user_named("ada@example.com")
    _, other_columns = board(ada, "Other")
    card = cards.create_card(ada, other_columns[0].id, title="Elsewhere")
    db.session.commit()
    return card.id


# Comments ------------------------------------------------------------------------------------

def test_a_comment_is_posted_escaped_with_its_mentions_highlighted_and_the_history_follows(world):
    card_id = new_card(world)
    posted = post_comment(world.bob, world, card_id, "<script>alert(1)</script> Ready, @ada? cc ada@example.com")
    assert posted.status_code == 200
    page = html(posted)
    thread = section(page, "comments")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in thread and "<script>alert" not in page
    assert 'Ready, <mark class="mention">@ada</mark>?' in thread
    assert "cc ada@example.com" in thread  # an e-mail address mentions nobody
    assert "Bob Example" in thread and "Comment posted." in thread
    assert 'id="panel-activity" class="card-activity" aria-labelledby="panel-activity-heading" hx-swap-oob="true"' in page
    assert history(page)[0].startswith("Bob Example commented: “&lt;script&gt;")
    assert stored_comments(card_id) == [("bob@example.com", "<script>alert(1)</script> Ready, @ada? cc ada@example.com")]
    ada = user_named("ada@example.com")
    assert db.session.scalar(sa.select(Notification.reason).where(Notification.user_id == ada.id)) == "mention"
    panel = html(world.ada.get(card_url(world, card_id), headers=HX))
    assert 'Ready, <mark class="mention">@ada</mark>?' in section(panel, "comments")


@pytest.mark.parametrize("content, message", [
    ("", "content must not be empty"),
    ("   ", "content must not be empty"),
    ("x" * 2001, "content must be at most 2000 characters"),
])
def test_an_empty_or_too_long_comment_is_refused_inline_with_what_was_typed(world, content, message):
    card_id = new_card(world)
    refused = post_comment(world.bob, world, card_id, content)
    assert refused.status_code == 400
    thread = section(html(refused), "comments")
    assert field_error(thread) == message
    assert f">{content}</textarea>" in thread
    assert "hx-swap-oob" not in html(refused)
    assert stored_comments(card_id) == []


def test_the_author_edits_a_comment_and_nobody_else_does(world):
    card_id = new_card(world)
    post_comment(world.bob, world, card_id, "First draft")
    comment_id = db.session.scalar(sa.select(Comment.id).where(Comment.card_id == card_id))
    url = f"{card_url(world, card_id)}/comments/{comment_id}"
    thread = section(html(world.bob.get(card_url(world, card_id), headers=HX)), "comments")
    assert f'action="{url}"' in thread and f'action="{url}/delete"' in thread
    assert f'action="{url}"' not in section(html(world.ada.get(card_url(world, card_id), headers=HX)), "comments")
    assert "· edited" not in thread
    an_hour_ago = utcnow() - timedelta(hours=1)
    db.session.execute(sa.update(Comment).where(Comment.id == comment_id).values(
        created_at=an_hour_ago, updated_at=an_hour_ago))
    db.session.commit()
    saved = world.bob.post(url, headers=HX, data={"content": "Final <b>words</b>"})
    assert saved.status_code == 200
    thread = section(html(saved), "comments")
    assert "Final &lt;b&gt;words&lt;/b&gt;" in thread and "Comment saved." in thread and "· edited" in thread
    refused = world.bob.post(url, headers=HX, data={"content": ""})
    assert refused.status_code == 400
    assert field_error(section(html(refused), "comments")) == "content must not be empty"
    assert world.ada.post(url, headers=HX, data={"content": "Hijacked"}).status_code == 403
    assert stored_comments(card_id) == [("bob@example.com", "Final <b>words</b>")]


def test_the_author_or_a_project_admin_deletes_a_comment_and_a_member_does_not(world):
    card_id = new_card(world)
    post_comment(world.ada, world, card_id, "From Ada")
    post_comment(world.bob, world, card_id, "From Bob")
    ada_comment, bob_comment = db.session.scalars(
        sa.select(Comment.id).where(Comment.card_id == card_id).order_by(Comment.content)).all()
    base = f"{card_url(world, card_id)}/comments"
    thread = section(html(world.bob.get(card_url(world, card_id), headers=HX)), "comments")
    assert f'action="{base}/{ada_comment}/delete"' not in thread
    assert world.bob.post(f"{base}/{ada_comment}/delete", headers=HX).status_code == 403
    deleted = world.ada.post(f"{base}/{bob_comment}/delete", headers=HX)  # Ada administers the project
    assert deleted.status_code == 200 and "Comment deleted." in html(deleted)
    assert stored_comments(card_id) == [("ada@example.com", "From Ada")]


def test_comments_through_another_project_or_by_outsiders_are_404(world):
    card_id = new_card(world)
    post_comment(world.bob, world, card_id, "Mine")
    comment_id = db.session.scalar(sa.select(Comment.id).where(Comment.card_id == card_id))
    elsewhere = other_project_card()
    other_comment = comments.add_comment(user_named("ada@example.com"), elsewhere, "Elsewhere")
    db.session.commit()
    other_comment_id = other_comment.id
    assert post_comment(world.ada, world, elsewhere, "Hijack").status_code == 404
    url = f"{card_url(world, card_id)}/comments"
    assert world.ada.post(f"{url}/{other_comment_id}", headers=HX, data={"content": "x"}).status_code == 404
    assert world.ada.post(f"{url}/{other_comment_id}/delete", headers=HX).status_code == 404
    assert world.ada.post(f"{url}/nothex/delete", headers=HX).status_code == 404
    for outsider in (world.carl, world.eve):
        assert post_comment(outsider, world, card_id, "Hi").status_code == 404
        assert outsider.post(f"{url}/{comment_id}/delete", headers=HX).status_code == 404
        assert outsider.get(f"{card_url(world, card_id)}/mentions?q=").status_code == 404
    assert stored_comments(card_id) == [("bob@example.com", "Mine")]
    assert stored_comments(elsewhere) == [("ada@example.com", "Elsewhere")]


def test_mentions_suggest_the_people_who_reach_the_project(world):
    card_id = new_card(world)
    url = f"{card_url(world, card_id)}/mentions"
    assert world.bob.get(f"{url}?q=").json == [{"handle": "AdaExample", "name": "Ada Example"},
                                               {"handle": "BobExample", "name": "Bob Example"}]
    assert world.bob.get(f"{url}?q=bo").json == [{"handle": "BobExample", "name": "Bob Example"}]
    assert world.bob.get(f"{url}?q=exa").json == [{"handle": "AdaExample", "name": "Ada Example"},
                                                  {"handle": "BobExample", "name": "Bob Example"}]
    assert world.bob.get(f"{url}?q=carl").json == []  # Carl does not reach the project
    posted = post_comment(world.ada, world, card_id, "@BobExample and @carl, look")
    thread = section(html(posted), "comments")
    assert '<mark class="mention">@BobExample</mark> and @carl, look' in thread


def test_without_javascript_a_comment_posts_and_comes_back_to_the_card(world):
    card_id = new_card(world)
    posted = post_comment(world.bob, world, card_id, "Plain form", headers={})
    assert posted.status_code == 302 and posted.headers["Location"].endswith(f"/cards/{card_id}#panel-comments")
    refused = post_comment(world.bob, world, card_id, "", headers={})
    assert refused.status_code == 302
    page = html(world.bob.get(card_url(world, card_id)))
    assert "content must not be empty" in page and "Plain form" in section(page, "comments")


# Attachments ---------------------------------------------------------------------------------

def test_a_file_uploaded_through_the_panel_is_listed_and_downloads_as_it_was_stored(world, app):
    card_id = new_card(world)
    uploaded = upload(world.bob, world, card_id, b"<script>alert(1)</script>", "<i>évil.html", "text/html")
    assert uploaded.status_code == 200
    page = html(uploaded)
    listed = section(page, "attachments")
    assert "&lt;i&gt;évil.html" in listed and "<i>évil" not in listed
    assert "25 bytes · Bob Example" in listed and "File attached." in listed
    assert history(page)[0] == "Bob Example attached “&lt;i&gt;évil.html”"
    (stored,) = stored_attachments(card_id)
    url = f"{card_url(world, card_id)}/attachments/{stored.id}"
    assert f'href="{url}"' in listed and "/preview" not in listed
    with world.ada.get(url) as download:
        assert download.status_code == 200 and download.data == b"<script>alert(1)</script>"
        assert download.headers["Content-Type"].startswith("text/html")
        assert download.headers["Content-Disposition"].startswith("attachment;")
        assert download.headers["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in download.headers["Content-Security-Policy"]
    assert world.ada.get(f"{url}/preview").status_code == 404  # not an image


def test_an_image_gets_a_thumbnail_served_inline(world):
    card_id = new_card(world)
    listed = section(html(upload(world.bob, world, card_id, PNG, "shot.png", "image/png")), "attachments")
    (stored,) = stored_attachments(card_id)
    url = f"{card_url(world, card_id)}/attachments/{stored.id}"
    assert f'<img src="{url}/preview" alt="Preview of shot.png"' in listed
    with world.ada.get(f"{url}/preview") as shown:
        assert shown.status_code == 200 and shown.data == PNG and shown.headers["Content-Type"] == "image/png"
        assert shown.headers["X-Content-Type-Options"] == "nosniff"
        assert not shown.headers.get("Content-Disposition", "").startswith("attachment")


def test_a_file_over_10_mb_is_refused_inline_and_nothing_is_kept(world, app):
    card_id = new_card(world)
    before = files_on_disk(app)
    refused = upload(world.bob, world, card_id, b"x" * (attachments.MAX_BYTES + 1), "big.bin")
    assert refused.status_code == 413
    listed = section(html(refused), "attachments")
    assert field_error(listed) == "This file is too large: a file may hold at most 10 MB."
    assert "hx-swap-oob" not in html(refused)
    assert stored_attachments(card_id) == [] and files_on_disk(app) == before


def test_a_body_announced_over_the_limit_is_refused_before_it_is_read(world, app):
    card_id = new_card(world)
    before = files_on_disk(app)

    class Untouchable(io.RawIOBase):
        def readable(self):
            return True

        def readinto(self, buffer):
            raise AssertionError("the body was read")

    refused = world.bob.post(f"{card_url(world, card_id)}/attachments", headers=HX, environ_overrides={
        "wsgi.input": Untouchable(), "CONTENT_LENGTH": str(50 * 1024 * 1024),
        "CONTENT_TYPE": "multipart/form-data; boundary=xyz"})
    assert refused.status_code == 413
    assert field_error(section(html(refused), "attachments")) == "This file is too large: a file may hold at most 10 MB."
    assert stored_attachments(card_id) == [] and files_on_disk(app) == before


def test_an_upload_without_a_file_is_refused_inline(world):
    card_id = new_card(world)
    refused = world.bob.post(f"{card_url(world, card_id)}/attachments", headers=HX, data={"other": "x"})
    assert refused.status_code == 400
    assert field_error(section(html(refused), "attachments")) == "Choose a file to attach."


def test_the_uploader_or_a_project_admin_deletes_an_attachment(world, app):
    card_id = new_card(world)
    upload(world.ada, world, card_id, b"from ada", "ada.txt")
    upload(world.bob, world, card_id, b"from bob", "bob.txt")
    ada_file, bob_file = stored_attachments(card_id)
    base = f"{card_url(world, card_id)}/attachments"
    listed = section(html(world.bob.get(card_url(world, card_id), headers=HX)), "attachments")
    assert f'action="{base}/{ada_file.id}/delete"' not in listed and f'action="{base}/{bob_file.id}/delete"' in listed
    assert world.bob.post(f"{base}/{ada_file.id}/delete", headers=HX).status_code == 403
    deleted = world.ada.post(f"{base}/{bob_file.id}/delete", headers=HX)
    assert deleted.status_code == 200 and "Attachment deleted." in html(deleted)
    assert history(html(deleted))[0] == "Ada Example removed the attachment “bob.txt”"
    assert [a.original_name for a in stored_attachments(card_id)] == ["ada.txt"]
    assert bob_file.storage_name not in files_on_disk(app)


def test_attachments_through_another_project_or_by_outsiders_are_404(world):
    card_id = new_card(world)
    upload(world.bob, world, card_id, b"ours", "ours.txt")
    (ours,) = stored_attachments(card_id)
    elsewhere = other_project_card()
    upload(world.ada, world, elsewhere, b"theirs", "theirs.txt")  # through the other board's own address
    assert stored_attachments(elsewhere) == []  # the address said this board: 404, nothing stored
    theirs = attachments.add_attachment(user_named("ada@example.com"), elsewhere, io.BytesIO(b"theirs"),
                                        "theirs.txt", "text/plain")
    db.session.commit()
    theirs_id = theirs.id
    base = f"{card_url(world, card_id)}/attachments"
    assert world.ada.get(f"{base}/{theirs_id}").status_code == 404
    assert world.ada.get(f"{base}/{theirs_id}/preview").status_code == 404
    assert world.ada.post(f"{base}/{theirs_id}/delete", headers=HX).status_code == 404
    assert world.ada.get(f"{card_url(world, elsewhere)}/attachments/{theirs_id}").status_code == 404
    for outsider in (world.carl, world.eve):
        assert upload(outsider, world, card_id, b"x").status_code == 404
        assert outsider.get(f"{base}/{ours.id}").status_code == 404
        assert outsider.post(f"{base}/{ours.id}/delete", headers=HX).status_code == 404
    assert [a.original_name for a in stored_attachments(card_id)] == ["ours.txt"]


# CSRF ----------------------------------------------------------------------------------------

def test_comments_and_uploads_need_the_csrf_token_when_protection_is_on(app, world):
    card_id = new_card(world)
    before = files_on_disk(app)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert post_comment(world.bob, world, card_id, "Forged").status_code == 400
        assert upload(world.bob, world, card_id, b"forged").status_code == 400
        assert files_on_disk(app) == before
        page = html(world.bob.get(card_url(world, card_id)))
        token = csrf_token(page)
        for name in ("comments", "attachments"):
            part = section(page, name)
            assert part.count("<form ") == part.count(f'name="csrf_token" value="{token}"')  # usable without htmx
        signed = {**HX, "X-CSRFToken": token}
        assert post_comment(world.bob, world, card_id, "Signed", headers=signed).status_code == 200
        assert upload(world.bob, world, card_id, b"signed", headers=signed).status_code == 200
        plain = world.bob.post(f"{card_url(world, card_id)}/attachments", content_type="multipart/form-data",
                               data={"file": (io.BytesIO(b"plain"), "plain.txt"), "csrf_token": token})
        assert plain.status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert stored_comments(card_id) == [("bob@example.com", "Signed")]
    assert [a.original_name for a in stored_attachments(card_id)] == ["notes.txt", "plain.txt"]


# History -------------------------------------------------------------------------------------

def test_the_history_tells_what_happened_newest_first(world):
    card_id = new_card(world)
    ada, bob = user_named("ada@example.com"), user_named("bob@example.com")
    cards.update_card(ada, card_id, {"title": "Launch post", "dueDate": "2026-05-01", "assigneeId": bob.id})
    cards.move_card(bob, card_id, world.column(2))
    db.session.commit()
    page = html(world.bob.get(card_url(world, card_id), headers=HX))
    assert history(page) == [
        "Bob Example moved the card from To Do to Done",
        "Ada Example changed the title and the due date",  # the same change: recorded in this order
        "Ada Example assigned the card to Bob Example",
        "Ada Example created the card in To Do",
    ]


def test_the_history_shows_the_last_50_activities(world):
    card_id = new_card(world)
    ada = user_named("ada@example.com")
    for number in range(60):
        cards.update_card(ada, card_id, {"title": f"Title {number}"})
    db.session.commit()
    lines = history(html(world.bob.get(card_url(world, card_id), headers=HX)))
    assert len(lines) == 50 and lines[0] == "Ada Example changed the title"


# Live ----------------------------------------------------------------------------------------

def test_comments_and_files_posted_tell_open_panels_their_card_changed(world):
    card_id = new_card(world)
    cursor = live.page_cursor()
    post_comment(world.bob, world, card_id, "Seen live")
    upload(world.bob, world, card_id, b"live", "live.txt")
    events = [event for _, event in live.local_broker().read(world.project_id, cursor, 10)]
    assert [(e["type"], e["cardId"]) for e in events] == [("card.updated", card_id)] * 2


# The board's tiles ---------------------------------------------------------------------------

def tile(page: str, card_id: str) -> str:
    start = page.index(f'<article id="card-{card_id}"')
    return page[start:page.index("</article>", start)]


def counts(part: str) -> tuple[str, str]:
    found = {kind: re.search(rf'card-{kind}-count"[^>]*><span aria-hidden="true">.</span> (\d+)', part)
             for kind in ("comment", "attachment")}
    return tuple(m.group(1) if m else "" for m in found.values())


def test_the_tile_counts_comments_and_attachments_and_follows_each_change(world):
    card_id = new_card(world)
    assert counts(tile(html(world.bob.get(world.url)), card_id)) == ("", "")
    posted = html(post_comment(world.bob, world, card_id, "One"))
    assert f'<article id="card-{card_id}"' in posted and 'hx-swap-oob="true"' in tile(posted, card_id)
    assert counts(tile(posted, card_id)) == ("1", "")
    post_comment(world.ada, world, card_id, "Two")
    attached = html(upload(world.bob, world, card_id, b"x", "x.txt"))
    assert counts(tile(attached, card_id)) == ("2", "1")
    assert '<span class="visually-hidden"> comments</span>' in tile(attached, card_id)
    assert counts(tile(html(world.bob.get(world.url)), card_id)) == ("2", "1")
    first = db.session.scalar(sa.select(Comment.id).where(Comment.card_id == card_id, Comment.content == "One"))
    deleted = html(world.bob.post(f"{card_url(world, card_id)}/comments/{first}/delete", headers=HX))
    assert counts(tile(deleted, card_id)) == ("1", "1")
    refused = html(post_comment(world.bob, world, card_id, ""))
    assert f'<article id="card-{card_id}"' not in refused  # nothing changed, nothing sent
    assert counts(tile(html(world.bob.get(world.url)), card_id)) == ("1", "1")


def board_with_talk(count: int, name: str):
    """A project of Ada's with `count` cards in To Do, each with two comments and a file."""
    ada = user_named("ada@example.com")
    access, cols = board(ada, name)
    ids = bulk_cards(access.project.id, cols[0].id, count)
    now = utcnow()
    db.session.execute(sa.insert(Comment), [
        {"id": new_id(), "card_id": i, "author_id": ada.id, "content": f"Note {n}", "created_at": now,
         "updated_at": now} for i in ids for n in range(2)])
    db.session.execute(sa.insert(Attachment), [
        {"id": new_id(), "card_id": i, "uploaded_by_id": ada.id, "original_name": "a.txt",
         "mime_type": "text/plain", "size": 1, "storage_name": new_id(), "created_at": now} for i in ids])
    db.session.commit()
    return f"/o/acme/w/eng/p/{access.project.id}", ids


def test_tile_counts_cost_the_same_sql_at_10_and_1000_cards(world):
    small_url, small_ids = board_with_talk(10, "Small")
    large_url, large_ids = board_with_talk(1000, "Large")
    world.ada.get(small_url)  # first request of the connection pool out of the way
    small, small_count = count_statements(lambda: world.ada.get(small_url))
    large, large_count = count_statements(lambda: world.ada.get(large_url))
    assert small_count == large_count
    assert counts(tile(html(small), small_ids[0])) == counts(tile(html(large), large_ids[-1 - 950])) == ("2", "1")
