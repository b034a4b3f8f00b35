"""Builders for knowledge-base tests."""
from app.models.identity import User
from app.services import documents
from tests.board_helpers import ws


def doc(*paragraphs: str) -> dict:
    """TipTap JSON with one paragraph per text."""
    return {"type": "doc", "content": [
        {"type": "paragraph", "content": [{"type": "text", "text": text}]} for text in paragraphs]}


def make(person: User, title: str, **fields):
    """A document created by `person` in acme/eng."""
    return documents.create_document(ws(person), {"title": title, **fields})
