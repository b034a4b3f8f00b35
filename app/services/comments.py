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
from dataclasses import dataclass

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
# A handle a mention can spell whole (no trailing dot or hyphen, which would end it).
HANDLE_RE = re.compile(r"[A-Za-z0-9._-]*[A-Za-z0-9_]")


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
    return {person.id for person in mentionable_people(access) if handles & person.handles}


@dataclass(frozen=True)
class Mentionable:
    """Someone a comment on the project can mention: `handle` is the one to suggest (the
    display name without spaces when it makes a handle, else the e-mail's local part);
    `handles` all those that mention them, case-folded."""

    id: str
    name: str
    handle: str
    handles: frozenset[str]


def mentionable_people(access: ProjectAccess) -> list[Mentionable]:
    """The people reaching the project (its members, the workspace's admins, the
    organization's owner and admins), by name, each with the handles that mention them."""
    workspace = access.workspace_access.workspace
    reach = sa.or_(
        User.id.in_(sa.select(ProjectMember.user_id).where(ProjectMember.project_id == access.project.id)),
        User.id.in_(sa.select(WorkspaceMember.user_id).where(
            WorkspaceMember.workspace_id == workspace.id, WorkspaceMember.role == "admin")),
        User.id.in_(sa.select(OrgMember.user_id).where(
            OrgMember.organization_id == workspace.organization_id, OrgMember.role.in_(ORG_MANAGERS))),
    )
    people = []
    for user_id, email, name in db.session.execute(
            sa.select(User.id, User.email, User.name).where(reach).order_by(sa.func.lower(User.name), User.id)):
        by_name, by_email = "".join(name.split()), email.split("@")[0]
        handle = next((h for h in (by_name, by_email) if HANDLE_RE.fullmatch(h)), by_email)
        people.append(Mentionable(user_id, name, handle, frozenset({by_name.casefold(), by_email.casefold()})))
    return people


def _comment(user: User, card_id: str, comment_id: object,
             expected_project_id: str | None) -> tuple[Card, ProjectAccess, Comment]:
    card, access = card_access(user, card_id, expected_project_id)
    comment = db.session.get(Comment, comment_id) if is_id(comment_id) else None
    if comment is None or comment.card_id != card.id:
        raise NotFound("Comment not found")
    return card, access, comment
