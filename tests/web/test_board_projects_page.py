"""The projects page (the workspace home): the projects I can reach with their portfolio
figures, and creating a project, from a template or with the default columns."""
import re
from datetime import timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models.board import Column, Project
from app.services import cards, projects
from app.services.access import workspace_access
from app.timeutil import utcnow
from tests.web.board_support import html, user_named, world  # noqa: F401
from tests.web.identity_support import field_error

HOME = "/o/acme/w/eng/"


def project_names() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Project.name).order_by(Project.created_at, Project.id)))


def tile(page: str, project_id: str) -> str:
    start = page.index(f'id="project-{project_id}"')
    return page[start:page.index("</article>", start)]


def test_projects_page_shows_the_portfolio_figures(world):
    ada = user_named("ada@example.com")
    past = (utcnow() - timedelta(days=3)).isoformat()
    cards.create_card(ada, world.column(0), title="Late", priority="high", dueDate=past)
    cards.create_card(ada, world.column(1), title="Doing")
    cards.create_card(ada, world.column(2), title="Done late is not late", dueDate=past)
    cards.create_card(ada, world.column(2), title="Done")
    db.session.commit()
    response = world.bob.get(HOME)
    assert response.status_code == 200
    figures = re.sub(r"\s+", " ", tile(html(response), world.project_id))
    assert f'href="/o/acme/w/eng/p/{world.project_id}">Website</a>' in figures
    assert "<strong>4</strong> cards" in figures and "<strong>50%</strong> done" in figures
    assert "1 to do · 1 in progress · 2 done" in figures
    assert "1 high priority" in figures and '<span class="late">1 overdue</span>' in figures
    assert "Your role: member" in figures
    assert 'aria-label="50% done"' in figures


def test_everyone_sees_the_projects_they_can_reach_only(world):
    projects.create_project(workspace_access(user_named("carl@example.com"), "acme", "eng"), "Carl's own")
    db.session.commit()
    ada_page, bob_page, carl_page = (html(c.get(HOME)) for c in (world.ada, world.bob, world.carl))
    assert "Website" in ada_page and "Carl&#39;s own" in ada_page  # workspace admin: all
    assert "Website" in bob_page and "Carl&#39;s own" not in bob_page
    assert "Website" not in carl_page and "Carl&#39;s own" in carl_page
    assert world.eve.get(HOME).status_code == 404
    assert "3 members" in ada_page  # the workspace summary stays


def test_create_a_project_from_a_template_opens_its_board(world):
    page = html(world.carl.get(HOME))
    assert 'value="scrum-sprint"' in page and "Backlog → Sprint Backlog → In Progress → In Review → Done" in page
    response = world.carl.post("/o/acme/w/eng/projects", data={
        "name": "Sprint 12", "key": "", "description": "Two weeks", "template": "scrum-sprint"})
    project = db.session.scalar(sa.select(Project).where(Project.name == "Sprint 12"))
    assert response.status_code == 302 and response.location == f"/o/acme/w/eng/p/{project.id}"
    assert project.key == "SPR" and project.description == "Two weeks"
    board_page = html(world.carl.get(response.location))
    assert re.findall(r'<h2 class="column-name">([^<]*)</h2>', board_page) == \
        ["Backlog", "Sprint Backlog", "In Progress", "In Review", "Done"]
    assert "Project “Sprint 12” created." in board_page
    assert "0 / 4" in board_page  # the template's WIP limit


def test_create_with_the_default_columns_and_a_chosen_key(world):
    response = world.bob.post("/o/acme/w/eng/projects", data={"name": "Mobile app", "key": "mob", "template": ""})
    assert response.status_code == 302
    project = db.session.scalar(sa.select(Project).where(Project.name == "Mobile app"))
    assert project.key == "MOB"
    assert list(db.session.scalars(sa.select(Column.name).where(Column.project_id == project.id)
                                   .order_by(Column.order))) == ["To Do", "In Progress", "Done"]
    assert projects.is_member(project.id, user_named("bob@example.com").id)


def test_bad_project_input_shows_inline_and_creates_nothing(world):
    empty = world.bob.post("/o/acme/w/eng/projects", data={"name": " ", "template": ""})
    assert empty.status_code == 400 and "name must not be empty" in field_error(html(empty), "name")
    key = world.bob.post("/o/acme/w/eng/projects", data={"name": "X", "key": "TOOLONG"})
    assert key.status_code == 400 and "1 to 5 letters" in field_error(html(key), "key")
    template = world.bob.post("/o/acme/w/eng/projects", data={"name": "X", "template": "nope"})
    assert template.status_code == 400 and "templateId must be one of" in html(template)
    assert 'value="X"' in html(template)  # what was typed stays
    nul = world.bob.post("/o/acme/w/eng/projects", data={"name": "a\x00b"})
    assert nul.status_code == 400
    assert world.eve.post("/o/acme/w/eng/projects", data={"name": "Intruder"}).status_code == 404
    assert project_names() == ["Website"]


def test_names_are_escaped(world):
    world.bob.post("/o/acme/w/eng/projects", data={"name": "<script>x</script>", "description": "<b>bold</b>"})
    page = html(world.bob.get(HOME))
    assert "<script>x</script>" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    assert "<b>bold</b>" not in page
