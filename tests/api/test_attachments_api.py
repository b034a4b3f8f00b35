"""`P/cards/:cardId/attachments*` over HTTP: multipart upload, the 10 MB limit answered 413
before the body is read, downloads that a browser never runs, previews, counts."""
import io
from pathlib import Path

import pytest

from app.services.attachments import MAX_BYTES
from tests.api.card_depth_world import depth, multipart, upload  # noqa: F401
from tests.api.shapes import assert_error, detail_fields
from tests.board_helpers import team  # noqa: F401

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


class Untouchable(io.RawIOBase):
    """A request body that fails the test if anyone reads it."""

    reads = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        Untouchable.reads += 1
        raise AssertionError("the body was read")


def stored_files(app) -> set[str]:
    return {p.name for p in Path(app.config["UPLOAD_DIR"]).iterdir()}


def test_upload_answers_201_with_the_reference_fields(depth):
    response = upload(depth.team.other, depth.path, depth.card, b"%PDF-1.4 spec", "api-spec.pdf", "application/pdf")
    assert response.status_code == 201, response.json
    body = response.json
    assert set(body) == {"id", "cardId", "uploadedBy", "originalName", "mimeType", "size", "hasPreview",
                         "createdAt"}
    assert (body["cardId"], body["uploadedBy"], body["originalName"], body["mimeType"], body["size"],
            body["hasPreview"]) == (depth.card, depth.team.other.user["id"], "api-spec.pdf", "application/pdf",
                                    13, False)
    listed = depth.team.member.get(f"{depth.path}/cards/{depth.card}/attachments").json
    assert [a["id"] for a in listed] == [depth.attachment, body["id"]]
    card = depth.team.member.get(f"{depth.path}/cards/{depth.card}").json
    assert card["attachmentCount"] == 2


def test_download_streams_the_bytes_as_an_attachment_that_is_never_sniffed(depth):
    made = upload(depth.team.member, depth.path, depth.card, b"<script>alert(1)</script>", "évil page.html",
                  "text/html").json
    response = depth.team.other.get(f"{depth.path}/cards/{depth.card}/attachments/{made['id']}")
    assert response.status_code == 200
    assert response.data == b"<script>alert(1)</script>"
    assert response.mimetype == "text/html"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''%C3%A9vil%20page.html" in response.headers["Content-Disposition"]
    assert "sandbox" in response.headers["Content-Security-Policy"]
    response.close()


def test_a_png_has_an_inline_preview_and_other_files_none(depth):
    png = upload(depth.team.member, depth.path, depth.card, PNG, "shot.png", "image/png").json
    assert png["hasPreview"] is True
    base = f"{depth.path}/cards/{depth.card}/attachments"
    response = depth.team.member.get(f"{base}/{png['id']}/preview")
    assert (response.status_code, response.mimetype, response.data) == (200, "image/png", PNG)
    assert response.headers["Content-Disposition"].startswith("inline;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    response.close()
    assert_error(depth.team.member.get(f"{base}/{depth.attachment}/preview"), 404, "This attachment has no preview")


def test_a_body_announced_over_the_limit_is_refused_without_being_read(depth, app):
    before = stored_files(app)
    Untouchable.reads = 0
    response = depth.team.member.client.post(
        f"{depth.path}/cards/{depth.card}/attachments",
        headers={"Authorization": f"Bearer {depth.team.member.token}"},
        environ_overrides={"wsgi.input": Untouchable(), "CONTENT_LENGTH": str(50 * 1024 * 1024),
                           "CONTENT_TYPE": "multipart/form-data; boundary=xyz"})
    assert_error(response, 413, "A file may hold at most 10 MB")
    assert Untouchable.reads == 0
    assert stored_files(app) == before


def test_a_real_body_over_10_mb_is_413_and_leaves_nothing(depth, app):
    before = stored_files(app)
    response = upload(depth.team.member, depth.path, depth.card, b"x" * (MAX_BYTES + 1), "big.bin")
    assert_error(response, 413)
    response = upload(depth.team.member, depth.path, depth.card, b"x" * (MAX_BYTES + 200_000), "bigger.bin")
    assert_error(response, 413)
    assert stored_files(app) == before
    assert len(depth.team.member.get(f"{depth.path}/cards/{depth.card}/attachments").json) == 1


def test_exactly_10_mb_is_accepted(depth):
    response = upload(depth.team.member, depth.path, depth.card, b"x" * MAX_BYTES, "exact.bin")
    assert response.status_code == 201 and response.json["size"] == MAX_BYTES


@pytest.mark.parametrize("kwargs", [
    dict(zip(("data", "content_type"), multipart(b"x", "x.txt", "text/plain", field="other"))),
    {"json": {"file": "x"}},
    {"data": b"", "content_type": "application/octet-stream"},
])
def test_no_file_field_is_400(depth, kwargs):
    response = depth.team.member.post(f"{depth.path}/cards/{depth.card}/attachments", **kwargs)
    assert_error(response, 400)
    assert detail_fields(response) == ["file"]


def test_only_the_uploader_or_a_project_admin_deletes_and_the_file_goes(depth, app):
    base = f"{depth.path}/cards/{depth.card}/attachments"
    mine = upload(depth.team.other, depth.path, depth.card).json
    assert_error(depth.team.other.delete(f"{base}/{depth.attachment}"), 403)
    assert depth.team.other.delete(f"{base}/{mine['id']}").json == {"ok": True}
    assert depth.team.member.delete(f"{base}/{depth.attachment}").json == {"ok": True}
    assert stored_files(app) & {mine["id"]} == set()
    assert_error(depth.team.member.get(f"{base}/{depth.attachment}"), 404)
    assert depth.team.member.get(base).json == []


def test_deleting_the_card_or_the_project_over_http_removes_the_files(depth, app):
    count = len(stored_files(app))
    assert depth.team.member.delete(f"{depth.path}/cards/{depth.card}").json == {"ok": True}
    assert len(stored_files(app)) == count - 1
    assert depth.team.admin.delete(depth.foreign_path).json == {"ok": True}
    assert len(stored_files(app)) == count - 2
