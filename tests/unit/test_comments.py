"""Comments: order, length, who edits and deletes, reach, mentions and their notifications."""
import pytest
import sqlalchemy as sa

from app.errors import Forbidden, Invalid, NotFound
from app.extensions import db
from app.models.card_depth import Comment
from app.services import cards, comments, projects
from app.services.projects import project_access
from tests.board_helpers import board
from tests.card_depth_helpers import activities, crew, told  # noqa: F401


def test_comments_list_oldest_first_with_their_authors(crew):
    first = comments.add_comment(crew.jane, crew.card.id, "  First  ")
    second = comments.add_comment(crew.bob, crew.card.id, "Second")
    db.session.commit()
    listed = comments.list_comments(crew.bob, crew.card.id)
    assert [c.id for c in listed] == [first.id, second.id]
    assert [c.content for c in listed] == ["First", "Second"]
    assert [c.author.name for c in listed] == ["Jane", "Bob"]


@pytest.mark.parametrize("content", ["", "   ", "x" * 2001, 12, None, "a\x00b"])
def test_content_must_be_1_to_2000_characters_of_text(crew, content):
    with pytest.raises(Invalid) as error:
        comments.add_comment(crew.jane, crew.card.id, content)
    assert error.value.field == "content"


def test_2000_characters_are_accepted(crew):
    assert len(comments.add_comment(crew.jane, crew.card.id, "é" * 2000).content) == 2000


def test_only_the_author_edits(crew):
    comment = comments.add_comment(crew.bob, crew.card.id, "Tpyo")
    db.session.commit()
    with pytest.raises(Forbidden):
        comments.edit_comment(crew.jane, crew.card.id, comment.id, "Typo")
    edited = comments.edit_comment(crew.bob, crew.card.id, comment.id, "Typo")
    assert edited.content == "Typo"


def test_the_author_or_a_project_or_workspace_admin_deletes(crew):
    projects.add_member(crew.access, "eve@acme.test")
    by_eve = [comments.add_comment(crew.eve, crew.card.id, f"Note {i}") for i in range(3)]
    db.session.commit()
    with pytest.raises(Forbidden):
        comments.delete_comment(crew.bob, crew.card.id, by_eve[0].id)
    comments.delete_comment(crew.eve, crew.card.id, by_eve[0].id)  # author
    comments.delete_comment(crew.jane, crew.card.id, by_eve[1].id)  # project admin
    comments.delete_comment(crew.owner, crew.card.id, by_eve[2].id)  # workspace admin
    assert comments.list_comments(crew.jane, crew.card.id) == []


def test_a_comment_is_reached_only_through_its_own_card(crew):
    other = cards.create_card(crew.jane, crew.columns[0].id, title="Other")
    comment = comments.add_comment(crew.jane, crew.card.id, "Here")
    with pytest.raises(NotFound):
        comments.delete_comment(crew.jane, other.id, comment.id)
    with pytest.raises(NotFound):
        comments.edit_comment(crew.jane, other.id, "f" * 24, "x")


def test_people_outside_the_project_do_not_reach_comments(crew):
    for outsider in (crew.eve, crew.otto):
        with pytest.raises(NotFound):
            comments.add_comment(outsider, crew.card.id, "Hi")
        with pytest.raises(NotFound):
            comments.list_comments(outsider, crew.card.id)


def test_a_card_of_another_project_is_not_found_under_this_project(crew):
    other_access, other_columns = board(crew.jane, "Other")
    elsewhere = cards.create_card(crew.jane, other_columns[0].id, title="Elsewhere")
    with pytest.raises(NotFound):
        comments.add_comment(crew.jane, elsewhere.id, "x", expected_project_id=crew.access.project.id)


def test_posting_records_comment_added_once_and_tells_members_but_not_the_author(crew):
    comment = comments.add_comment(crew.bob, crew.card.id, "Looks good " + "!" * 200)
    db.session.commit()
    [added] = activities("comment_added")
    assert (added.actor_id, added.card_id) == (crew.bob.id, crew.card.id)
    assert added.meta["commentId"] == comment.id
    assert added.meta["cardKey"] == "WEB-1" and added.meta["cardTitle"] == "Fix login"
    assert len(added.meta["excerpt"]) == 140 and added.meta["excerpt"].endswith("…")
    assert told(added.id) == {crew.jane.id: "member"}


def test_mentions_notify_people_who_reach_the_project(crew):
    crew.owner.name = "Olive Owner"
    db.session.commit()
    text = ("@JANE see this, @oliveowner too; not @eve (outside the project), not @nobody, "
            "and bob@acme.test is an address, not a mention.")
    comments.add_comment(crew.bob, crew.card.id, text)
    db.session.commit()
    [added] = activities("comment_added")
    assert told(added.id) == {crew.jane.id: "mention", crew.owner.id: "mention"}


def test_mentioning_oneself_tells_nobody_new_and_punctuation_ends_a_handle(crew):
    assert comments.mentioned_people(project_access(crew.jane, "acme", "eng", crew.access.project.id),
                                     "Thanks @bob. And @jane-") == {crew.bob.id, crew.jane.id}
    comments.add_comment(crew.jane, crew.card.id, "Note to self @jane")
    db.session.commit()
    [added] = activities("comment_added")
    assert crew.jane.id not in told(added.id)


def test_the_assignee_is_told_as_assignee(crew):
    cards.update_card(crew.jane, crew.card.id, {"assigneeId": crew.bob.id})
    comments.add_comment(crew.jane, crew.card.id, "Over to you")
    db.session.commit()
    [added] = activities("comment_added")
    assert told(added.id) == {crew.bob.id: "assignee"}


def test_deleting_the_card_deletes_its_comments(crew):
    comments.add_comment(crew.jane, crew.card.id, "Bye")
    cards.delete_card(crew.jane, crew.card.id)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 0
