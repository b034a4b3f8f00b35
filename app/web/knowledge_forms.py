"""What the knowledge pages read from their forms, and the one save both editors use.

    content_value(text) -> dict                     the rich-text editor's JSON field
    grid_value(form, header) -> dict                the spreadsheet grid's cells
    revision_value(text) -> int | None              the revision an editor started from
    save_checked(access, document_id, fields, expected) -> DocumentUpdate

Forms carry text only; these turn it into the values the `documents` service checks (its
rules stay there: sizes, shapes, the tree).
"""
import json
import re
from collections.abc import Mapping

from app.errors import Conflict, Invalid
from app.models.knowledge import Document
from app.services import documents
from app.services.access import WorkspaceAccess
from app.services.doc_content import MAX_COLUMNS, MAX_ROWS

CELL_NAME = re.compile(r"^r(\d{1,4})c(\d{1,3})$")
NUMBER = re.compile(r"^-?(0|[1-9]\d{0,14})(\.\d{1,15})?$")


class StaleRevision(Conflict):
    """The document was saved by someone else after the editor loaded it. `document` is as
    saved now (its `revision` the one to expect when overwriting)."""

    def __init__(self, document: Document, revision: int):
        super().__init__("Someone else saved this document meanwhile.")
        self.document = document
        self.revision = revision


def content_value(text: str | None) -> dict | None:
    """The editor's JSON, or None when the form sent none. Raises Invalid (not JSON)."""
    if text is None or not text.strip():
        return None
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise Invalid("content", "content must be TipTap JSON") from None


def grid_value(form: Mapping[str, str], header: bool) -> dict:
    """The spreadsheet content from cells named `r<row>c<column>`: empty cells are null,
    plain decimal numbers (`12`, `-3.5`) numbers, anything else text; empty rows and columns
    at the end are dropped. Raises Invalid (a cell outside the largest grid)."""
    cells: dict[tuple[int, int], str] = {}
    for name, value in form.items():
        match = CELL_NAME.match(name)
        if not match:
            continue
        row, column = int(match.group(1)), int(match.group(2))
        if row >= MAX_ROWS or column >= MAX_COLUMNS:
            raise Invalid("content", f"A spreadsheet holds at most {MAX_ROWS} rows of {MAX_COLUMNS} cells")
        if value.strip():
            cells[(row, column)] = value
    height = max((r for r, _ in cells), default=-1) + 1
    width = max((c for _, c in cells), default=-1) + 1
    rows = [[_cell(cells.get((r, c))) for c in range(width)] for r in range(height)]
    return {"type": "spreadsheet", "header": header, "rows": rows}


def _cell(text: str | None):
    if text is None:
        return None
    number = text.strip()
    if NUMBER.match(number):
        return float(number) if "." in number else int(number)
    return text


def revision_value(text: str | None) -> int | None:
    """The revision number a form says its editor started from (None: not said).
    Raises Invalid."""
    if text is None or text == "":
        return None
    if not text.isdigit() or len(text) > 9:
        raise Invalid("expected_revision", "expected_revision must be a whole number")
    return int(text)


def save_checked(access: WorkspaceAccess, document_id: str, fields: Mapping[str, object],
                 expected: int | None) -> documents.DocumentUpdate:
    """`documents.update_document`, refused when the document is no longer at revision
    `expected` (None: no check). The service numbers revisions in the database, so a save
    that lands between the check and this one shows as a number past `expected + 1`; the
    request then fails and rolls back (the one-commit-per-request hook).

    Raises NotFound, Invalid, Conflict, StaleRevision.
    """
    document = documents.get_document(access, document_id)
    if expected is not None and document.revision != expected:
        raise StaleRevision(document, document.revision)
    update = documents.update_document(access, document.id, fields)
    if expected is not None and update.revision is not None and update.revision.number != expected + 1:
        raise StaleRevision(update.document, update.revision.number - 1)
    return update
