"""The shape a document's `content` must have, checked before it is stored (as sent).

    check_content(doc_type, content, field="content") -> dict   (raises Invalid)
    empty_content(doc_type) -> dict

Every type but `spreadsheet` holds TipTap/ProseMirror JSON: an object `{"type": "doc",
"content": [...]}` whose nodes are objects with a string `type`, and optionally `content` (an
array of nodes), `text` (a string), `marks` (an array of `{type, attrs?}`) and `attrs` (an
object). Node types the renderer does not know are kept as sent and simply not shown.

A `spreadsheet` holds a grid:

    {"type": "spreadsheet", "header": true, "rows": [["Item", "Qty"], ["Apples", 3]]}

`rows` is an array of rows (at most 1,000), each an array of cells (at most 100); a cell is a
string (at most 10,000 characters), a number, a boolean or null (empty). Rows may differ in
length: the grid is as wide as its longest row. `header` (optional, default false) shows the
first row as column headings. A cell is data, never a formula: `=SUM(A1:A3)` is the text
`=SUM(A1:A3)`.

Limits for both: at most `MAX_CONTENT_CHARS` characters once serialized, nodes nested at most
`MAX_DEPTH` deep, finite numbers only.
"""
import json
import math

from app.errors import Invalid

MAX_CONTENT_CHARS = 1_000_000
MAX_DEPTH = 64
MAX_ROWS = 1000
MAX_COLUMNS = 100
MAX_CELL_CHARS = 10_000
_NODE_KEYS = frozenset({"type", "content", "text", "marks", "attrs"})
_GRID_KEYS = frozenset({"type", "rows", "header"})


def empty_content(doc_type: str) -> dict:
    """What a new document of `doc_type` holds when no content is given."""
    if doc_type == "spreadsheet":
        return {"type": "spreadsheet", "rows": []}
    return {"type": "doc", "content": []}


def check_content(doc_type: str, content: object, field: str = "content") -> dict:
    """`content` itself if it fits `doc_type` (see the module docstring). Raises Invalid."""
    if not isinstance(content, dict):
        raise Invalid(field, f"{field} must be an object")
    try:
        size = len(json.dumps(content, ensure_ascii=False, allow_nan=False))
    except ValueError:
        raise Invalid(field, f"{field} must not contain NaN or infinite numbers") from None
    except RecursionError:
        raise Invalid(field, f"{field} is nested too deeply") from None
    if size > MAX_CONTENT_CHARS:
        raise Invalid(field, f"{field} must be at most {MAX_CONTENT_CHARS:,} characters of JSON")
    if doc_type == "spreadsheet":
        _check_grid(content, field)
    else:
        _check_tiptap(content, field)
    return content


def _check_tiptap(content: dict, field: str) -> None:
    if content.get("type") != "doc":
        raise Invalid(field, f'{field} must be a TipTap document: {{"type": "doc", "content": [...]}}')
    pending = [(content, field, 1)]
    while pending:
        node, where, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise Invalid(field, f"{field} is nested too deeply (at most {MAX_DEPTH} levels)")
        if not isinstance(node, dict) or not isinstance(node.get("type"), str) or not node["type"]:
            raise Invalid(field, f"{where} must be a node: an object with a string type")
        unknown = set(node) - _NODE_KEYS
        if unknown:
            raise Invalid(field, f"{where} has unknown keys: {', '.join(sorted(unknown))}")
        if "text" in node and not isinstance(node["text"], str):
            raise Invalid(field, f"{where}.text must be a string")
        if "attrs" in node and not isinstance(node["attrs"], dict):
            raise Invalid(field, f"{where}.attrs must be an object")
        if "marks" in node:
            marks = node["marks"]
            if not isinstance(marks, list) or not all(
                    isinstance(m, dict) and isinstance(m.get("type"), str)
                    and isinstance(m.get("attrs", {}), dict) for m in marks):
                raise Invalid(field, f"{where}.marks must be an array of {{type, attrs}} objects")
        if "content" in node:
            children = node["content"]
            if not isinstance(children, list):
                raise Invalid(field, f"{where}.content must be an array of nodes")
            pending.extend((child, f"{where}.content[{i}]", depth + 1) for i, child in enumerate(children))


def _check_grid(content: dict, field: str) -> None:
    unknown = set(content) - _GRID_KEYS
    if content.get("type") != "spreadsheet" or unknown:
        raise Invalid(field, f'{field} of a spreadsheet must be {{"type": "spreadsheet", "rows": [[...], ...], '
                             f'"header": false}}')
    if "header" in content and not isinstance(content["header"], bool):
        raise Invalid(field, f"{field}.header must be a boolean")
    rows = content.get("rows")
    if not isinstance(rows, list) or len(rows) > MAX_ROWS:
        raise Invalid(field, f"{field}.rows must be an array of at most {MAX_ROWS} rows")
    for r, row in enumerate(rows):
        if not isinstance(row, list) or len(row) > MAX_COLUMNS:
            raise Invalid(field, f"{field}.rows[{r}] must be an array of at most {MAX_COLUMNS} cells")
        for c, cell in enumerate(row):
            if cell is None or isinstance(cell, bool):
                continue
            if isinstance(cell, (int, float)) and math.isfinite(cell):
                continue
            if isinstance(cell, str) and len(cell) <= MAX_CELL_CHARS:
                continue
            raise Invalid(field, f"{field}.rows[{r}][{c}] must be a string (at most {MAX_CELL_CHARS} "
                                 f"characters), a number, a boolean or null")
