"""Attachments: storage by generated name, the size cap, names and types, previews, who
deletes, and files kept in step with commits and rollbacks (card, project, workspace
deletions included)."""
import io
import os
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import current_app

from app.errors import Forbidden, NotFound, TooLarge
from app.extensions import db
from app.models.card_depth import Attachment
from app.presenters.board import card_json
from app.services import attachments, cards, projects, workspaces
from app.services.access import workspace_access
from tests.board_helpers import board
from tests.card_depth_helpers import activities, crew  # noqa: F401

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


def stored() -> set[str]:
    folder = Path(current_app.config["UPLOAD_DIR"])
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


@pytest.fixture(autouse=True)
def empty_upload_dir(app):
    folder = Path(app.config["UPLOAD_DIR"])
    for path in folder.glob("*"):
        path.unlink()
    yield


def upload(crew, data=b"hello", name="notes.txt", mime="text/plain", who=None):
    return attachments.add_attachment(who or crew.jane, crew.card.id, io.BytesIO(data), name, mime)


def test_a_file_is_stored_under_a_generated_name_and_read_back(crew):
    attachment = upload(crew, name="../../etc/passwd")
    db.session.commit()
    assert attachment.original_name == "passwd"
    assert attachment.storage_name != "passwd" and len(attachment.storage_name) == 32
    assert stored() == {attachment.storage_name}
    found, path = attachments.get_attachment(crew.bob, crew.card.id, attachment.id)
    assert path.read_bytes() == b"hello" and found.size == 5 and found.mime_type == "text/plain"


def test_exactly_10_mb_is_accepted_and_one_byte_more_refused_leaving_nothing(crew):
    attachment = upload(crew, b"x" * attachments.MAX_BYTES)
    db.session.commit()
    assert attachment.size == attachments.MAX_BYTES
    with pytest.raises(TooLarge):
        upload(crew, b"x" * (attachments.MAX_BYTES + 1))
    db.session.rollback()
    assert stored() == {attachment.storage_name}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attachment)) == 1


@pytest.mark.parametrize("given, kept", [
    ("text/html; charset=utf-8", "text/html"), ("IMAGE/PNG", "image/png"), ("nonsense", "application/octet-stream"),
    ("", "application/octet-stream"), (None, "application/octet-stream"), ("a/b\r\nX-Evil: 1", "application/octet-stream"),
])
def test_the_declared_type_is_kept_only_when_well_formed(given, kept):
    assert attachments.clean_mime(given) == kept


@pytest.mark.parametrize("given, kept", [
    ("C:\\Users\\me\\report.pdf", "report.pdf"), ("", "file"), (None, "file"), ("..", "file"),
    ("bad\x00na\nme.txt", "badname.txt"), ("a" * 300 + ".pdf", "a" * 251 + ".pdf"),
])
def test_client_file_names_are_cleaned(given, kept):
    assert attachments.clean_name(given) == kept


def test_previews_only_for_real_raster_images_up_to_2_mb(crew):
    png = upload(crew, PNG, "shot.png", "image/png")
    fake = upload(crew, b"<svg onload=alert(1)>", "x.png", "image/png")
    svg = upload(crew, b"<svg xmlns='http://www.w3.org/2000/svg'/>", "x.svg", "image/svg+xml")
    big = upload(crew, PNG + b"\x00" * attachments.PREVIEW_MAX_BYTES, "big.png", "image/png")
    db.session.commit()
    assert attachments.get_preview(crew.jane, crew.card.id, png.id)[2] == "image/png"
    for attachment in (fake, svg, big):
        with pytest.raises(NotFound):
            attachments.get_preview(crew.jane, crew.card.id, attachment.id)


def test_the_uploader_or_a_project_admin_deletes_and_the_file_goes_after_the_commit(crew):
    mine = upload(crew, who=crew.bob)
    theirs = upload(crew, who=crew.jane)
    db.session.commit()
    with pytest.raises(Forbidden):
        attachments.delete_attachment(crew.bob, crew.card.id, theirs.id)
    db.session.rollback()
    attachments.delete_attachment(crew.bob, crew.card.id, mine.id)
    assert mine.storage_name in stored()  # not before the commit
    db.session.commit()
    assert stored() == {theirs.storage_name}
    attachments.delete_attachment(crew.jane, crew.card.id, theirs.id)
    db.session.commit()
    assert stored() == set()


def test_a_rolled_back_delete_keeps_the_file_and_a_rolled_back_upload_leaves_none(crew):
    kept = upload(crew)
    db.session.commit()
    attachments.delete_attachment(crew.jane, crew.card.id, kept.id)
    db.session.rollback()
    upload(crew, b"never committed")
    assert len(stored()) == 2
    db.session.rollback()
    assert stored() == {kept.storage_name}
    db.session.commit()  # a later commit does not replay the cancelled removal
    assert stored() == {kept.storage_name}


def test_a_savepoint_rolled_back_undoes_only_its_own_files(crew):
    outer = upload(crew, b"outer")
    try:
        with db.session.begin_nested():
            upload(crew, b"inner")
            raise RuntimeError("abandon the savepoint")
    except RuntimeError:
        pass
    db.session.commit()
    assert stored() == {outer.storage_name}


def test_deleting_the_card_removes_its_files_once_committed(crew):
    attachment = upload(crew)
    other = cards.create_card(crew.jane, crew.columns[0].id, title="Keeps its file")
    kept = attachments.add_attachment(crew.jane, other.id, io.BytesIO(b"mine"), "a.txt", "text/plain")
    db.session.commit()
    cards.delete_card(crew.jane, crew.card.id)
    db.session.rollback()
    assert attachment.storage_name in stored()
    cards.delete_card(crew.jane, crew.card.id)
    db.session.commit()
    assert stored() == {kept.storage_name}


def test_deleting_the_project_or_the_workspace_removes_their_files(crew):
    upload(crew)
    db.session.commit()
    projects.delete_project(projects.project_access(crew.owner, "acme", "eng", crew.access.project.id))
    db.session.commit()
    assert stored() == set()
    access, columns = board(crew.jane, "Second")
    card = cards.create_card(crew.jane, columns[0].id, title="T")
    attachments.add_attachment(crew.jane, card.id, io.BytesIO(b"x"), "x", "text/plain")
    db.session.commit()
    assert len(stored()) == 1
    workspaces.delete_workspace(workspace_access(crew.owner, "acme", "eng"))
    db.session.commit()
    assert stored() == set()


def test_uploads_record_card_updated_and_count_on_the_card(crew):
    attachment = upload(crew, who=crew.bob)
    db.session.commit()
    [updated] = [a for a in activities("card_updated") if "attachments" in a.meta["fields"]]
    assert (updated.actor_id, updated.meta["added"]) == (crew.bob.id, "notes.txt")
    assert card_json(crew.card)["attachmentCount"] == 1
    attachments.delete_attachment(crew.bob, crew.card.id, attachment.id)
    assert card_json(crew.card)["attachmentCount"] == 0


def test_a_missing_file_is_not_found(crew):
    attachment = upload(crew)
    db.session.commit()
    os.unlink(Path(current_app.config["UPLOAD_DIR"]) / attachment.storage_name)
    with pytest.raises(NotFound):
        attachments.get_attachment(crew.jane, crew.card.id, attachment.id)


def test_outsiders_and_other_cards_do_not_reach_an_attachment(crew):
    attachment = upload(crew)
    other = cards.create_card(crew.jane, crew.columns[0].id, title="Other")
    db.session.commit()
    with pytest.raises(NotFound):
        attachments.get_attachment(crew.jane, other.id, attachment.id)
    for outsider in (crew.eve, crew.otto):
        with pytest.raises(NotFound):
            attachments.list_attachments(outsider, crew.card.id)
        with pytest.raises(NotFound):
            attachments.add_attachment(outsider, crew.card.id, io.BytesIO(b"x"), "x", "text/plain")
