"""Files under UPLOAD_DIR kept in step with the database transaction that names them.

A file is written before the row that names it is committed, and removed only after the
row's deletion is committed:

- `save` writes a stream under a generated name (never the client's) and caps it; if the
  transaction (or the savepoint it was written in) rolls back, the file is removed again.
- `remove_after_commit` schedules removals; a rollback cancels them, so a delete that does
  not happen never loses a file.
- Deleting a card, project, workspace or organization through the session (the database
  cascades the rows below) schedules the removal of every attachment file below it: a
  `before_flush` hook finds them with one query per kind of deleted object.

File operations that fail after a commit are logged, never raised: the data is already
consistent, and a leftover file is only wasted space.
"""
import logging
import os
import secrets
from pathlib import Path
from typing import BinaryIO

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from app.errors import NotFound, TooLarge
from app.extensions import db

log = logging.getLogger(__name__)

CHUNK = 64 * 1024
_PENDING = "stellary_pending_files"


def upload_dir() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def new_storage_name() -> str:
    return secrets.token_hex(16)


def save(stream: BinaryIO, max_bytes: int) -> tuple[str, int, bytes]:
    """Copy `stream` to a new file; return (storage name, size, first bytes read).

    Reads at most `max_bytes + 1` bytes. Raises TooLarge (413) beyond `max_bytes`, leaving
    nothing behind.
    """
    folder = upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    name = new_storage_name()
    path = folder / name
    size, head = 0, b""
    try:
        with open(path, "xb") as out:
            while True:
                chunk = stream.read(min(CHUNK, max_bytes + 1 - size))
                if not chunk:
                    break
                if len(head) < 64:
                    head += chunk[:64 - len(head)]
                size += len(chunk)
                if size > max_bytes:
                    raise TooLarge(f"A file may hold at most {max_bytes // (1024 * 1024)} MB")
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    _pending(db.session())["written"].append((_level(db.session()), path))
    return name, size, head


def path_of(storage_name: str) -> Path:
    """The stored file's path. Raises NotFound when the file is missing."""
    path = upload_dir() / storage_name
    if not path.is_file():
        raise NotFound("The stored file is missing")
    return path


def remove_after_commit(storage_names: list[str], session: Session | None = None) -> None:
    """Remove these files once the current transaction commits (never if it rolls back)."""
    if not storage_names:
        return
    session = session or db.session()
    folder = upload_dir()
    level = _level(session)
    _pending(session)["doomed"].extend((level, folder / name) for name in storage_names)


# Transaction bookkeeping ---------------------------------------------------------------------

def _pending(session: Session) -> dict:
    return session.info.setdefault(_PENDING, {"written": [], "doomed": []})


def _level(session: Session):
    """The innermost transaction now open (a savepoint, or the outer transaction)."""
    return session.get_nested_transaction() or session.get_transaction()


def _inside(level, ended) -> bool:
    """Whether transaction `level` is `ended` or one of its savepoints."""
    while level is not None:
        if level is ended:
            return True
        level = level.parent
    return False


@sa.event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    for _, path in pending["doomed"]:
        _unlink(path)


@sa.event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, previous_transaction) -> None:
    pending = session.info.get(_PENDING)
    if not pending:
        return
    undone = [(lvl, p) for lvl, p in pending["written"] if lvl is None or _inside(lvl, previous_transaction)]
    for _, path in undone:
        _unlink(path)
    pending["written"] = [e for e in pending["written"] if e not in undone]
    pending["doomed"] = [(lvl, p) for lvl, p in pending["doomed"]
                         if lvl is not None and not _inside(lvl, previous_transaction)]
    if not pending["written"] and not pending["doomed"]:
        session.info.pop(_PENDING, None)


@sa.event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context, _instances) -> None:
    """Schedule the files of attachments the database is about to cascade away."""
    from app.models.board import Card, Project
    from app.models.card_depth import Attachment
    from app.models.identity import Organization, Workspace

    deleted = {kind: [o.id for o in session.deleted if isinstance(o, kind)]
               for kind in (Card, Project, Workspace, Organization)}
    if not any(deleted.values()):
        return
    conditions = []
    if deleted[Card]:
        conditions.append(Card.id.in_(deleted[Card]))
    if deleted[Project]:
        conditions.append(Card.project_id.in_(deleted[Project]))
    if deleted[Workspace] or deleted[Organization]:
        workspaces = sa.select(Workspace.id).where(sa.or_(
            Workspace.id.in_(deleted[Workspace]), Workspace.organization_id.in_(deleted[Organization])))
        projects = sa.select(Project.id).where(Project.workspace_id.in_(workspaces))
        conditions.append(Card.project_id.in_(projects))
    with session.no_autoflush:
        names = list(session.scalars(
            sa.select(Attachment.storage_name).join(Card, Card.id == Attachment.card_id)
            .where(sa.or_(*conditions))))
    if names:
        remove_after_commit(names, session)


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError:
        log.exception("Could not remove stored file %s", path)
