"""Comments on cards: list (oldest first), post, edit, delete.

Anyone who reaches the card's project reads and posts comments. Only the author edits a
comment; the author or a project admin (workspace admins included) deletes it; others get
Forbidden. Content is 1–2000 characters (surrounding blanks trimmed) and is plain text:
whatever it holds is shown escaped.

Mentions: `@handle`, where the handle is the part before the `@` of a person's e-mail
(`@jane.doe` for jane.doe@acme.test) or their display name without spaces (`@JaneDoe` for
"Jane Doe"), compared case-insensitively. An `@` preceded by a letter or digit is not a
mention (e-mail addresses in the text mention nobody), and trailing dots or hyphens end the
handle (`@jane.` is `@jane`). Only people who reach the project can be mentioned; a handle
matching several of them mentions them all. Posting a comment records `comment_added`;
mentioned people are notified with reason `mention` (edits notify nobody).
"""
import re

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from app.errors import Forbidden, NotFound
from app.extensions import db
from app.ids import is_id
from app.models.board import Card, ProjectMember
from app.models.card_depth import Comment
from app.models.identity import OrgMember, User, WorkspaceMember
from app.services import activity, card_extras, rules
from app.services.access import ORG_MANAGERS
from app.services.cards import card_access
from app.services.projects import ProjectAccess

MAX_CHARS = 2000
MAX_MENTIONS = 20
MENTION_RE = re.compile(r"(?<![\w@])@([A-Za-z0-9._-]+)")


def list_comments(user: User, card_id: str, *, expected_project_id: str | None = None) -> list[Comment]:
    """The card's comments by creation date, with their authors. Raises NotFound."""
    card, _ = card_access(user, card_id, expected_project_id)
    return list(db.session.scalars(
        sa.select(Comment).where(Comment.card_id == card.id)
        .order_by(Comment.created_at, Comment.id).options(joinedload(Comment.author))))


def add_comment(user: User, card_id: str, content: object, *,
                expected_project_id: str | None = None) -> Comment:
    """Post a comment; record `comment_added` and notify the people concerned (mentioned
    people included). Raises NotFound (card out of reach), Invalid (content 1–2000)."""
    card, access = card_access(user, card_id, expected_project_id)
    content = rules.text("content", content, max_len=MAX_CHARS)
    comment = Comment(card_id=card.id, author_id=user.id, content=content)
    db.session.add(comment)
    db.session.flush()
    mentioned = {person: "mention" for person in mentioned_people(access, content)}
    activity.record(user, "comment_added", card.project_id, card=card,
                    meta={"commentId": comment.id, "excerpt": activity.excerpt(content)},
                    concerned=mentioned)
    card_extras.forget(card)
    return comment


def edit_comment(user: User, card_id: str, comment_id: str, content: object, *,
                 expected_project_id: str | None = None) -> Comment:
    """Change the text of one's own comment. Raises NotFound, Forbidden (not the author),
    Invalid (content 1–2000)."""
    _, _, comment = _comment(user, card_id, comment_id, expected_project_id)
    if comment.author_id != user.id:
        raise Forbidden("Only the author can edit a comment")
    comment.content = rules.text("content", content, max_len=MAX_CHARS)
    db.session.flush()
    return comment


def delete_comment(user: User, card_id: str, comment_id: str, *,
                   expected_project_id: str | None = None) -> None:
    """Delete a comment (its author, or a project or workspace admin).
    Raises NotFound, Forbidden."""
    card, access, comment = _comment(user, card_id, comment_id, expected_project_id)
    if comment.author_id != user.id and not access.can_admin:
        raise Forbidden("Only the author or a project admin can delete a comment")
    db.session.delete(comment)
    db.session.flush()
    card_extras.forget(card)


def mentioned_people(access: ProjectAccess, content: str) -> set[str]:
    """Ids of the people reaching the project that `content` mentions (see the module doc)."""
    handles = {m.group(1).rstrip(".-").casefold() for m in MENTION_RE.finditer(content)}
    handles.discard("")
    if not handles:
        return set()
    handles = set(sorted(handles)[:MAX_MENTIONS])
    workspace = access.workspace_access.workspace
    reach = sa.or_(
        User.id.in_(sa.select(ProjectMember.user_id).where(ProjectMember.project_id == access.project.id)),
        User.id.in_(sa.select(WorkspaceMember.user_id).where(
            WorkspaceMember.workspace_id == workspace.id, WorkspaceMember.role == "admin")),
        User.id.in_(sa.select(OrgMember.user_id).where(
            OrgMember.organization_id == workspace.organization_id, OrgMember.role.in_(ORG_MANAGERS))),
    )
    people = db.session.execute(sa.select(User.id, User.email, User.name).where(reach)).all()
    return {user_id for user_id, email, name in people
            if email.split("@")[0].casefold() in handles or "".join(name.split()).casefold() in handles}


def _comment(user: User, card_id: str, comment_id: object,
             expected_project_id: str | None) -> tuple[Card, ProjectAccess, Comment]:
    card, access = card_access(user, card_id, expected_project_id)
    comment = db.session.get(Comment, comment_id) if is_id(comment_id) else None
    if comment is None or comment.card_id != card.id:
        raise NotFound("Comment not found")
    return card, access, comment
