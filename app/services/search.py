"""Full-text search over the documents and cards of a workspace, with the database's own
engine: PostgreSQL `tsvector` columns (GIN-indexed) or an SQLite FTS5 table. The database
keeps the index in step itself on every write (see migration 0005), so nothing here writes.

    search(access, q, *, kinds=None, limit=20, offset=0) -> list[SearchHit]
    document_match(access, q) -> SQL condition on Document (the `q` filter of the list)
    query_terms(q) -> list[str]

A query is split into words (letters and digits); a hit contains every word, each as a word
or the start of one (`deplo` finds "deployment"). Hits are ranked by the engine's relevance
(a word in the title weighs more than in the text: PostgreSQL `ts_rank` with title weight A
and text weight B; SQLite `bm25` with title weight 4), best first. Each hit has a snippet:
HTML-escaped text with the matching words in `<mark>`.

Documents are searched in the whole workspace (every member reads them); cards only in the
projects the caller reaches (the board's rule, `projects.list_projects`), archived cards
included.
"""
import html
import re
from dataclasses import dataclass

import nh3
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from app.errors import Invalid
from app.extensions import db
from app.models.board import Card
from app.models.knowledge import Document
from app.services import rules
from app.services.access import WorkspaceAccess
from app.services.projects import list_projects

KINDS = ("document", "card")
MAX_QUERY_CHARS = 200
MAX_TERMS = 16
MAX_LIMIT = 100
_TERM_RE = re.compile(r"[^\W_]+")
# Private-use characters mark the matches in the engine's snippet, before HTML escaping.
_OPEN, _CLOSE = "\ue000", "\ue001"
_HEADLINE_OPTIONS = (f"StartSel={_OPEN}, StopSel={_CLOSE}, MaxWords=30, MinWords=12, ShortWord=1, "
                     'MaxFragments=2, FragmentDelimiter=" … "')
_SNIPPET_CLEANER = nh3.Cleaner(tags={"mark"}, attributes={})


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "document" | "card"
    id: str
    title: str
    snippet: str  # safe HTML
    document: Document | None = None
    card: Card | None = None


def query_terms(q: object) -> list[str]:
    """The words of a query, lower-cased, at most 16. Raises Invalid (not a string, or over
    200 characters)."""
    if not isinstance(q, str):
        raise Invalid("q", "q must be a string")
    if len(q) > MAX_QUERY_CHARS:
        raise Invalid("q", f"q must be at most {MAX_QUERY_CHARS} characters")
    return list(dict.fromkeys(t[:64] for t in _TERM_RE.findall(q.lower())))[:MAX_TERMS]


def search(access: WorkspaceAccess, q: object, *, kinds: object = None, limit: object = 20,
           offset: object = 0) -> list[SearchHit]:
    """Documents and cards of the workspace matching `q`, best first.

    `kinds`: a list among `document`, `card` (default both). `limit` 1–100 (default 20),
    `offset` ≥ 0. A query with no word in it finds nothing. Raises Invalid.
    """
    if not isinstance(q, str) or not q.strip():
        raise Invalid("q", "q is required")
    terms = query_terms(q)
    kinds = _kinds(kinds)
    limit = whole_number("limit", limit, 1, MAX_LIMIT)
    offset = whole_number("offset", offset, 0, 1_000_000)
    if not terms:
        return []
    project_ids = [p.id for p, _ in list_projects(access)] if "card" in kinds else []
    if "card" in kinds and not project_ids:
        kinds = [k for k in kinds if k != "card"]
    if not kinds:
        return []
    params = {"ws": access.workspace.id, "limit": limit, "offset": offset}
    if _dialect() == "postgresql":
        rows = _postgres_hits(terms, kinds, project_ids, params)
    else:
        rows = _sqlite_hits(terms, kinds, project_ids, params)
    return _hits(rows)


def document_match(access: WorkspaceAccess, q: object):
    """An SQL condition on `Document`: its title or text matches `q` (as `search` does).
    Raises Invalid."""
    terms = query_terms(q)
    if not terms:
        return sa.false()
    if _dialect() == "postgresql":
        return sa.literal_column("documents.search_vector").op("@@")(
            sa.func.to_tsquery("simple", _tsquery(terms)))
    ids = sa.text(
        "SELECT e.ref_id FROM search_fts JOIN search_entries e ON e.id = search_fts.rowid "
        "WHERE search_fts MATCH :match AND e.kind = 'document' AND e.workspace_id = :ws"
    ).bindparams(match=_fts_match(terms), ws=access.workspace.id).columns(ref_id=sa.String)
    return Document.id.in_(ids)


# Engines ----------------------------------------------------------------------------------

def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _tsquery(terms: list[str]) -> str:
    return " & ".join(f"'{term}':*" for term in terms)


def _fts_match(terms: list[str]) -> str:
    return " ".join(f'"{term}"*' for term in terms)


def _postgres_hits(terms: list[str], kinds: list[str], project_ids: list[str], params: dict):
    parts = []
    if "document" in kinds:
        parts.append("SELECT 'document' AS kind, d.id, ts_rank(d.search_vector, q.query) AS score "
                     "FROM documents d, q WHERE d.workspace_id = :ws AND d.search_vector @@ q.query")
    if "card" in kinds:
        parts.append("SELECT 'card' AS kind, c.id, ts_rank(c.search_vector, q.query) AS score "
                     "FROM cards c, q WHERE c.project_id IN :projects AND c.search_vector @@ q.query")
    statement = sa.text(
        "WITH q AS (SELECT to_tsquery('simple', :tsquery) AS query) "
        "SELECT h.kind, h.id, h.score, CASE WHEN h.kind = 'document' THEN "
        "  (SELECT ts_headline('simple', d.title || E'\\n' || left(d.plain_text, 200000), q.query, :options)"
        "   FROM documents d WHERE d.id = h.id) "
        "ELSE (SELECT ts_headline('simple', c.title || E'\\n' || coalesce(c.description, ''), q.query, :options)"
        "   FROM cards c WHERE c.id = h.id) END AS snippet "
        f"FROM ({' UNION ALL '.join(parts)} ORDER BY score DESC, id LIMIT :limit OFFSET :offset) h, q "
        "ORDER BY h.score DESC, h.id")
    if "card" in kinds:
        statement = statement.bindparams(sa.bindparam("projects", expanding=True))
        params["projects"] = project_ids
    params.update(tsquery=_tsquery(terms), options=_HEADLINE_OPTIONS)
    return db.session.execute(statement, params).all()


def _sqlite_hits(terms: list[str], kinds: list[str], project_ids: list[str], params: dict):
    reach = []
    if "document" in kinds:
        reach.append("e.kind = 'document'")
    if "card" in kinds:
        reach.append("(e.kind = 'card' AND e.project_id IN :projects)")
    statement = sa.text(
        "SELECT e.kind, e.ref_id AS id, bm25(search_fts, 4.0, 1.0) AS score, "
        f"snippet(search_fts, -1, '{_OPEN}', '{_CLOSE}', '…', 24) AS snippet "
        "FROM search_fts JOIN search_entries e ON e.id = search_fts.rowid "
        f"WHERE search_fts MATCH :match AND e.workspace_id = :ws AND ({' OR '.join(reach)}) "
        "ORDER BY score, e.ref_id LIMIT :limit OFFSET :offset")
    if "card" in kinds:
        statement = statement.bindparams(sa.bindparam("projects", expanding=True))
        params["projects"] = project_ids
    params["match"] = _fts_match(terms)
    return db.session.execute(statement, params).all()


def _hits(rows) -> list[SearchHit]:
    doc_ids = [r.id for r in rows if r.kind == "document"]
    card_ids = [r.id for r in rows if r.kind == "card"]
    documents = {d.id: d for d in db.session.scalars(
        sa.select(Document).where(Document.id.in_(doc_ids)))} if doc_ids else {}
    cards = {c.id: c for c in db.session.scalars(
        sa.select(Card).where(Card.id.in_(card_ids)).options(joinedload(Card.project)))} if card_ids else {}
    hits = []
    for row in rows:
        item = documents.get(row.id) if row.kind == "document" else cards.get(row.id)
        if item is None:
            continue  # deleted between the two queries
        hits.append(SearchHit(kind=row.kind, id=row.id, title=item.title, snippet=snippet_html(row.snippet or ""),
                              document=item if row.kind == "document" else None,
                              card=item if row.kind == "card" else None))
    return hits


def snippet_html(marked: str) -> str:
    """The engine's snippet, its text escaped and its match markers turned into `<mark>`."""
    escaped = html.escape(marked, quote=True).replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>")
    return _SNIPPET_CLEANER.clean(escaped)


# Values -----------------------------------------------------------------------------------

def _kinds(value: object) -> list[str]:
    if value is None:
        return list(KINDS)
    if isinstance(value, str):
        value = [v for v in value.split(",") if v.strip()]
    if not isinstance(value, (list, tuple)) or not value:
        raise Invalid("types", "types must list document and/or card")
    return list(dict.fromkeys(rules.choice("types", v.strip() if isinstance(v, str) else v, KINDS)
                              for v in value))


def whole_number(field: str, value: object, low: int, high: int) -> int:
    """`value` (a number, or digits from a query string) if it is whole and in low..high.
    Raises Invalid."""
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit() and len(value) <= 9:
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise Invalid(field, f"{field} must be a whole number from {low} to {high}")
    return value
