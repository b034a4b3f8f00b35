"""The cockpit page: what each pilotage role sees, the view switchers, every HTMX change with
its inline error on bad input, the review queue, and who is refused."""
import re
from html import unescape

import pytest

from app.extensions import db
from app.models.board import Card, Column
from app.models.identity import User
from app.models.pilotage import Mission, Priority, ProposedAction, Todo
from app.services import pilotage_actions
from app.services.access import workspace_access
from tests.api.pilotage_world import build_world
from tests.web.identity_support import HX, PASSWORD, html

PAGE = "/o/acme/w/eng/cockpit"


@pytest.fixture()
def world(client):
    return build_world(client)


@pytest.fixture()
def login(app, world):
    """`login(name)` → a browser-like client signed in as a person of the world."""

    def _login(name: str):
        browser = app.test_client()
        response = browser.post("/login", data={"email": f"{name}@example.com", "password": PASSWORD})
        assert response.status_code == 302, html(response)
        return browser

    return _login


def section(page: str, element_id: str) -> str:
    """The HTML of the element with id `element_id` up to the next element of the same kind
    at any depth (good enough for the flat tiles and forms below)."""
    match = re.search(rf'<(\w+)[^>]*\bid="{element_id}"', page)
    assert match, f"#{element_id} not in the page"
    tag, start = match.group(1), match.start()
    depth, position = 0, start
    for tag_match in re.finditer(rf"<(/?){tag}\b[^>]*>", page[start:]):
        depth += -1 if tag_match.group(1) else 1
        if depth == 0:
            position = start + tag_match.end()
            break
    return page[start:position]


def errors(page: str) -> list[str]:
    return [unescape(re.sub(r"<[^>]+>", "", m)) for m in re.findall(r'class="(?:field|form)-error"[^>]*>(.*?)</div>', page, re.S)]


def post(browser, path: str, data: dict | None = None, htmx: bool = True):
    return browser.post(PAGE + path, data=data or {}, headers=HX if htmx else {})


# The page per role ------------------------------------------------------------------------------

OWNER_ONLY = ('action="/o/acme/w/eng/cockpit/missions"', 'data-sortable="missions"', 'data-sortable="priorities"',
              "Start next cycle", "+ Add priority", "+ Record a decision", "+ Add a doc", "+ Add a todo")
REVIEWER_UP = ('type="checkbox" name="done"', ">Approve</button>", ">Reject</button>", ">Apply</button>")


@pytest.mark.parametrize("name, owner_parts, reviewer_parts", [
    ("owner", True, True), ("org_admin", True, True), ("pilot", True, True),
    ("reviewer", False, True), ("viewer", False, False), ("ws_admin", False, False),
])
def test_the_page_shows_what_the_role_can_use(login, name, owner_parts, reviewer_parts):
    response = login(name).get(PAGE)
    page = html(response)
    assert response.status_code == 200
    for part in ("Ship billing", "Billing MVP", "Stripe tests", "Use Stripe", "Billing spec",
                 "Cycle <strong id=\"cycle-label\">v1</strong>", "Add todo “Suggested”", "Add todo “Approved”"):
        assert part in page, part
    for part in OWNER_ONLY:
        assert (part in page) is owner_parts, part
    for part in REVIEWER_UP:
        assert (part in page) is reviewer_parts, part
    assert '<a href="/o/acme/w/eng/cockpit"\n   class="active" aria-current="page">Cockpit</a>' in page


def test_the_page_lays_out_missions_by_status_and_todos_by_mission(world, login):
    owner = login("owner")
    post(owner, f"/missions/{world.mission}", {"status": "blocked", "blocked_reason": "Waiting on API"})
    post(owner, "/todos", {"label": "Loose end"})
    page = html(owner.get(PAGE))
    assert f'id="mission-{world.mission}"' in section(page, "missions-blocked")
    assert "Blocked: Waiting on API" in section(page, f"mission-{world.mission}")
    assert "Stripe tests" in section(page, f"todos-{world.mission}")
    assert "Loose end" in section(page, "todos-none")
    assert "Stripe tests" not in section(page, "todos-none")


@pytest.mark.parametrize("name", ["outsider", "stranger"])
def test_people_outside_the_workspace_get_404(login, name):
    browser = login(name)
    assert browser.get(PAGE).status_code == 404
    assert post(browser, "/missions", {"objective": "x"}).status_code == 404
    assert db.session.query(Mission).filter_by(objective="x").count() == 0


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_written_text_is_escaped(world, login):
    owner = login("owner")
    post(owner, "/missions", {"objective": "<script>alert(1)</script>"})
    page = html(owner.get(PAGE))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# Switchers ----------------------------------------------------------------------------------

def test_switchers_re_render_the_state_in_place(world, login):
    owner = login("owner")
    post(owner, f"/missions/{world.mission}", {"status": "done"})
    full = html(owner.get(PAGE))
    assert f'id="mission-{world.mission}"' in section(full, "missions-done")

    response = owner.get(PAGE + "?profile=execution&intent=daily_execution", headers=HX)
    fragment = html(response)
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    assert "<html" not in fragment and fragment.lstrip().startswith('<div id="cockpit-state"')
    assert response.headers["HX-Push-Url"] == PAGE + "?profile=execution&intent=daily_execution"
    assert f'id="mission-{world.mission}"' not in fragment  # done missions are not open work
    assert '<section id="cockpit-review" class="cockpit-review" hx-swap-oob="true"' in fragment
    # every form of the new state carries the view, so a change answers it in the same view
    assert fragment.count('name="profile" value="execution"') == fragment.count('name="csrf_token"')


def test_detail_and_intent_change_what_shows(world, login):
    owner = login("owner")
    detailed = html(owner.get(PAGE + "?detailLevel=detailed", headers=HX))
    assert "☑ 0/1" in section(detailed, f"mission-{world.mission}")
    assert "pending actions" in detailed
    minimal = html(owner.get(PAGE + "?detailLevel=minimal", headers=HX))
    assert "billing</span>" not in section(minimal, f"mission-{world.mission}")  # no module at minimal
    assert "Stripe tests" in section(minimal, "todos-none")  # todos do not say their mission there
    context_only = html(owner.get(PAGE + "?intent=context_only", headers=HX))
    assert "This view leaves the todos out" in context_only and "Stripe tests" not in context_only
    planning = html(owner.get(PAGE + "?intent=sprint_planning", headers=HX))
    assert "Inactive priorities" not in planning
    post(owner, f"/priorities/{world.priority}/active", {"active": "0"})
    planning = html(owner.get(PAGE + "?intent=sprint_planning", headers=HX))
    assert "Billing MVP" in section(planning, f"priority-{world.priority}")
    assert "Activate “Billing MVP”" in planning


def test_an_unknown_view_value_shows_the_default_view_and_why(world, login):
    response = login("viewer").get(PAGE + "?profile=everything")
    page = html(response)
    assert response.status_code == 400
    assert "profile must be one of: pilotage, execution, revue" in errors(page)
    assert "Ship billing" in page


# Missions -----------------------------------------------------------------------------------

def test_add_a_mission_and_refuse_a_blank_one_inline(world, login):
    owner = login("owner")
    response = post(owner, "/missions", {"objective": "Launch EU", "module": "infra"})
    assert response.status_code == 201 and "Launch EU" in section(html(response), "missions-to_launch")
    response = post(owner, "/missions", {"objective": "  ", "module": "kept"})
    form = section(html(response), "missions-to_launch")
    assert response.status_code == 400 and response.headers["X-Fragment"] == "1"
    assert errors(form) == ["objective must not be empty"]
    assert '<details class="quick-add" open>' in form and 'value="kept"' in form
    assert db.session.query(Mission).count() == 3  # eng's two and other's one


def test_change_a_mission_status_with_its_form_or_a_drag(world, login):
    owner = login("owner")
    response = post(owner, f"/missions/{world.mission}", {"status": "blocked", "blocked_reason": "Vendor"})
    assert response.status_code == 200
    assert "Blocked: Vendor" in section(html(response), "missions-blocked")
    response = post(owner, f"/missions/{world.mission}", {"status": "in_progress", "blocked_reason": "Vendor"})
    assert f'id="mission-{world.mission}"' in section(html(response), "missions-in_progress")
    assert db.session.get(Mission, world.mission).blocked_reason is None

    response = post(owner, f"/missions/{world.mission}", {"status": "paused"})
    tile = section(html(response), f"mission-{world.mission}")
    assert response.status_code == 400
    assert errors(tile) == ["status must be one of: to_launch, in_progress, blocked, done"]
    assert '<details class="mission-edit" open>' in tile

    # A refused drag answers the state as saved, with the reason on top.
    response = post(owner, f"/missions/{world.mission}", {"status": "blocked", "blocked_reason": "x" * 201,
                                                          "dragged": "1"})
    page = html(response)
    assert response.status_code == 400
    assert f'id="mission-{world.mission}"' in section(page, "missions-in_progress")
    assert '<div id="flashes" aria-live="polite" hx-swap-oob="true"><div class="flash flash-error" role="alert">' \
           "blockedReason must be at most 200 characters" in page
    assert db.session.get(Mission, world.mission).status == "in_progress"


def test_a_mission_of_another_workspace_is_404(world, login):
    assert post(login("owner"), f"/missions/{world.other_mission}", {"status": "done"}).status_code == 404
    assert db.session.get(Mission, world.other_mission).status == "to_launch"


# Priorities ---------------------------------------------------------------------------------

def test_add_rank_deactivate_and_activate_priorities(world, login):
    owner = login("owner")
    assert post(owner, "/priorities", {"label": "Mobile", "module": "app"}).status_code == 201
    mobile = db.session.query(Priority).filter_by(label="Mobile").one().id
    response = post(owner, f"/priorities/{mobile}/rank", {"rank": "1"})
    listing = html(response)
    assert response.status_code == 200
    assert listing.index(f'id="priority-{mobile}"') < listing.index(f'id="priority-{world.priority}"')
    assert [p.rank for p in db.session.query(Priority).order_by(Priority.rank)] == [1, 2]
    assert post(owner, f"/priorities/{mobile}/active", {"active": "0"}).status_code == 200
    assert db.session.get(Priority, mobile).rank is None
    assert post(owner, f"/priorities/{mobile}/active", {"active": "1"}).status_code == 200
    assert db.session.get(Priority, mobile).rank == 2


def test_priority_refusals_show_inline_or_on_top(world, login):
    owner = login("owner")
    for label in ("Two", "Three", "Four"):
        assert post(owner, "/priorities", {"label": label}).status_code == 201
    response = post(owner, "/priorities", {"label": "Five", "module": "m"})
    assert response.status_code == 409
    assert errors(html(response)) == ["At most 4 priorities can be active: deactivate one first"]
    assert '<details class="quick-add" open>' in html(response) and 'value="Five"' in html(response)
    for rank, message in (("abc", "rank must be a whole number"), ("9", "rank must be a whole number from 1 to 4")):
        response = post(owner, f"/priorities/{world.priority}/rank", {"rank": rank})
        assert response.status_code == 400
        assert f'<div class="flash flash-error" role="alert">{message}</div>' in html(response)
    assert db.session.get(Priority, world.priority).rank == 1


# Todos --------------------------------------------------------------------------------------

def test_quick_add_todos_in_a_mission_group_and_refuse_a_blank_label(world, login):
    owner = login("owner")
    response = post(owner, "/todos", {"label": "Webhooks", "mission_id": world.mission})
    assert response.status_code == 201
    assert "Webhooks" in section(html(response), f"todos-{world.mission}")
    response = post(owner, "/todos", {"label": " ", "mission_id": world.mission})
    group = section(html(response), f"todos-{world.mission}")
    assert response.status_code == 400 and errors(group) == ["label must not be empty"]
    assert errors(section(html(response), "todos-none")) == []
    # A group the page does not show: the reason goes on top.
    response = post(owner, "/todos", {"label": "Orphan", "mission_id": world.other_mission})
    assert response.status_code == 400
    assert f'id="todos-{world.other_mission}"' not in html(response)
    assert '<div class="flash flash-error" role="alert">missionId does not match a mission of this workspace' \
        in html(response)


@pytest.mark.parametrize("name", ["reviewer", "pilot"])
def test_reviewers_and_owners_tick_todos(world, login, name):
    browser = login(name)
    response = post(browser, f"/todos/{world.todo}/status", {"done": "1"})
    assert response.status_code == 200
    assert 'class="todo status-done"' in section(html(response), f"todo-{world.todo}")
    assert db.session.get(Todo, world.todo).status == "done"
    response = post(browser, f"/todos/{world.todo}/status", {})
    assert 'checked' not in section(html(response), f"todo-{world.todo}")
    assert db.session.get(Todo, world.todo).status == "todo"


# Decisions, docs, cycle ---------------------------------------------------------------------

def test_record_a_decision_and_add_a_doc_with_inline_errors(world, login):
    owner = login("owner")
    response = post(owner, "/decisions", {"title": "Go EU", "impact": "Latency <50ms"})
    assert response.status_code == 201 and "Latency &lt;50ms" in html(response)
    response = post(owner, "/decisions", {"title": "", "impact": "kept impact"})
    assert response.status_code == 400 and errors(html(response)) == ["title must not be empty"]
    assert "kept impact</textarea>" in html(response)
    response = post(owner, "/docs", {"title": "Runbook", "owner": "Ops", "source_type": "ops"})
    assert response.status_code == 201 and "Runbook" in html(response)
    response = post(owner, "/docs", {"title": "Plan", "source_type": "poem"})
    assert response.status_code == 400
    assert errors(html(response)) == ["sourceType must be one of: product, tech, sprint, ops"]


def test_an_owner_advances_the_cycle(world, login):
    owner = login("owner")
    response = post(owner, "/cycle/advance", {})
    assert response.status_code == 201 and '<strong id="cycle-label">v2</strong>' in html(response)
    response = post(owner, "/cycle/advance", {"label": "x" * 51})
    assert response.status_code == 400 and errors(html(response)) == ["cycle must be at most 50 characters"]
    response = post(owner, "/cycle/advance", {"label": "Sprint 7"})
    assert '<strong id="cycle-label">Sprint 7</strong>' in html(response)
    assert 'placeholder="Sprint 8"' in html(response)


# Review queue -------------------------------------------------------------------------------

def test_approve_then_apply_updates_queue_history_and_state(world, login):
    reviewer = login("reviewer")
    action = pilotage_actions.propose_action(
        workspace_access(db.session.get(User, world.ids["viewer"]), "acme", "eng"),
        "move_card", "Started", {"cardId": world.card, "targetColumn": "In Progress"})
    db.session.commit()
    page = html(reviewer.get(PAGE))
    item = section(page, f"action-{action.id}")
    assert "Started" in item and "Move card WEB-1 “Web card” from To Do to In Progress" in item
    assert "Proposed by viewer" in item

    response = post(reviewer, f"/actions/{action.id}/review", {"approved": "true"})
    assert response.status_code == 201 and html(response).lstrip().startswith('<section id="cockpit-review"')
    item = section(html(response), f"action-{action.id}")
    assert "approved, to apply" in item and ">Apply</button>" in item and ">Approve</button>" not in item

    response = post(reviewer, f"/actions/{action.id}/apply")
    fragment = html(response)
    assert response.status_code == 201
    assert f'id="action-{action.id}"' not in fragment
    assert "Moved card WEB-1 “Web card” to In Progress" in section(fragment, f"outcome-{action.id}")
    assert '<div id="cockpit-state" class="cockpit-state" hx-swap-oob="true">' in fragment
    card = db.session.get(Card, world.card)
    assert db.session.get(Column, card.column_id).name == "In Progress"


def test_reject_with_a_reason_and_refusals_show_on_the_action(world, login):
    reviewer = login("reviewer")
    response = post(reviewer, f"/actions/{world.suggested}/review", {"approved": "false", "reason": "x" * 201})
    assert response.status_code == 400
    assert errors(section(html(response), f"action-{world.suggested}")) == ["reason must be at most 200 characters"]
    response = post(reviewer, f"/actions/{world.suggested}/review", {"approved": "false", "reason": "Not now"})
    assert response.status_code == 201
    outcome = section(html(response), f"outcome-{world.suggested}")
    assert "rejected" in outcome and "Rejected by reviewer" in outcome and "“Not now”" in outcome
    response = post(reviewer, f"/actions/{world.suggested}/review", {"approved": "true"})
    assert response.status_code == 409  # gone from the queue: the reason shows on top of it
    assert errors(html(response)) == ["This action was already reviewed (status 'rejected')"]
    response = post(reviewer, f"/actions/{world.suggested}/apply")
    assert response.status_code == 409


def test_a_failed_apply_shows_why_and_keeps_it(world, login):
    owner = login("owner")
    access = workspace_access(db.session.get(User, world.ids["owner"]), "acme", "eng")
    action = pilotage_actions.propose_action(access, "create_todo", "Bad", {"label": "x", "missionId": world.other_mission})
    pilotage_actions.review_action(access, action.id, True)
    db.session.commit()
    assert "invalid payload: missionId does not match" in section(html(owner.get(PAGE)), f"action-{action.id}")
    response = post(owner, f"/actions/{action.id}/apply")
    item = section(html(response), f"action-{action.id}")
    assert response.status_code == 400
    assert errors(item) == ["The action could not be applied: missionId does not match a mission of this workspace"]
    assert "Last apply failed: missionId does not match" in item
    db.session.expire_all()
    assert db.session.get(ProposedAction, action.id).status == "approved"
    assert "Last apply failed" in section(html(owner.get(PAGE)), f"action-{action.id}")


def test_an_unknown_action_type_offers_reject_only(world, login):
    viewer_access = workspace_access(db.session.get(User, world.ids["viewer"]), "acme", "eng")
    action = pilotage_actions.propose_action(viewer_access, "send_rocket", "Why not", {"to": "moon"})
    db.session.commit()
    item = section(html(login("reviewer").get(PAGE)), f"action-{action.id}")
    assert "Unknown action type “send_rocket”" in item
    assert ">Reject</button>" in item and ">Approve</button>" not in item


# Role limits and the way without JavaScript ---------------------------------------------------

@pytest.mark.parametrize("name, allowed", [("viewer", ()), ("reviewer", ("tick", "review", "apply"))])
def test_the_server_refuses_what_the_role_cannot_do(world, login, name, allowed):
    browser = login(name)
    attempts = {
        "mission": ("/missions", {"objective": "x"}),
        "mission-status": (f"/missions/{world.mission}", {"status": "done"}),
        "priority": ("/priorities", {"label": "x"}),
        "rank": (f"/priorities/{world.priority}/rank", {"rank": "1"}),
        "activate": (f"/priorities/{world.priority}/active", {"active": "0"}),
        "todo": ("/todos", {"label": "x"}),
        "decision": ("/decisions", {"title": "x"}),
        "doc": ("/docs", {"title": "x"}),
        "cycle": ("/cycle/advance", {}),
        "tick": (f"/todos/{world.todo}/status", {"done": "1"}),
        "review": (f"/actions/{world.suggested}/review", {"approved": "false"}),
        "apply": (f"/actions/{world.approved}/apply", {}),
    }
    for what, (path, data) in attempts.items():
        status = post(browser, path, data).status_code
        assert (status < 400) is (what in allowed), (what, status)
        if what not in allowed:
            assert status == 403, what
    db.session.expire_all()
    assert db.session.query(Mission).filter_by(objective="x").count() == 0
    assert db.session.get(Mission, world.mission).status == "to_launch"


def test_without_javascript_forms_post_and_come_back_to_the_view(world, login):
    owner = login("owner")
    response = owner.post(PAGE + "/missions", data={"objective": "Plain", "profile": "execution"})
    assert response.status_code == 302 and response.headers["Location"] == PAGE + "?profile=execution"
    response = owner.post(PAGE + "/missions", data={"objective": ""}, follow_redirects=True)
    assert 'class="flash flash-error" role="status">objective must not be empty' in html(response)


def test_a_refusal_without_javascript_keeps_nothing_half_done(world, login):
    """The mission's status is set before its reason fails: the redirect must not commit it."""
    owner = login("owner")
    response = owner.post(PAGE + f"/missions/{world.mission}", data={"status": "blocked", "blocked_reason": "x" * 201})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Mission, world.mission).status == "to_launch"
