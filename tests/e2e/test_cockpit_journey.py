"""The cockpit journey in a real browser: an action proposed through the JSON API shows in the
review queue with a readable preview; a reviewer approves and applies it in the page and the
card moves on the board; a mission dragged to Blocked asks why and keeps the reason; a priority
dragged to the top takes rank 1. CSRF protection is on, as in production."""
import json
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PASSWORD = "correct-horse-battery"


class JsonApi:
    """The JSON API of the live server, as one bearer token."""

    def __init__(self, base: str, token: str | None = None):
        self.base, self.token = base, token

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, object]:
        headers = {"Accept": "application/json", "Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def ok(self, method: str, path: str, body: dict | None = None):
        status, answer = self.call(method, path, body)
        assert status in (200, 201), (method, path, status, answer)
        return answer


@pytest.fixture()
def csrf_on(app):
    """Forms and htmx requests (drags included) must carry the CSRF token, as in production."""
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def test_review_apply_and_mission_drag(new_page, live_server, csrf_on):
    # Grace signs up through the API and sets up a workspace with a board and a mission.
    status, registered = JsonApi(live_server).call(
        "POST", "/auth/register", {"email": "grace@example.com", "password": PASSWORD, "name": "Grace Hopper"})
    assert status == 201
    api = JsonApi(live_server, registered["access_token"])
    api.ok("POST", "/organizations", {"name": "Quality Lab", "slug": "qlab"})
    api.ok("POST", "/orgs/qlab/workspaces", {"name": "Release", "slug": "release"})
    w = "/orgs/qlab/workspaces/release"
    project = api.ok("POST", w + "/projects", {"name": "Login", "key": "QL"})
    p = f"{w}/projects/{project['id']}"
    columns = {c["name"]: c["id"] for c in api.ok("GET", p + "/columns")}
    card = api.ok("POST", f"{p}/columns/{columns['To Do']}/cards", {"title": "Fix login"})
    mission = api.ok("POST", w + "/pilotage/missions", {"objective": "Ship SSO", "module": "auth"})
    first = api.ok("POST", w + "/pilotage/priorities", {"label": "Stability"})
    second = api.ok("POST", w + "/pilotage/priorities", {"label": "Single sign-on"})

    # An assistant proposes to move the card, through the API.
    action = api.ok("POST", w + "/pilotage/actions/propose", {
        "actionType": "move_card", "explanation": "The fix is under way",
        "payload": {"cardId": card["id"], "targetColumn": "In Progress"}})

    # Grace logs in and opens the cockpit from the workspace nav.
    page = new_page()
    page.goto("/login")
    page.get_by_label("E-mail").fill("grace@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto("/o/qlab/w/release/")
    page.locator(".wsnav").get_by_role("link", name="Cockpit").click()
    expect(page).to_have_url(f"{live_server}/o/qlab/w/release/cockpit")

    # The proposal waits in the queue with its explanation and what applying it changes.
    item = page.locator(f"#action-{action['id']}")
    expect(item).to_contain_text("The fix is under way")
    expect(item.locator(".action-preview")).to_have_text(
        "Move card QL-1 “Fix login” from To Do to In Progress")

    # Approve, then apply: in place, without a page load.
    page.evaluate("window.__same_page = true")
    item.get_by_role("button", name="Approve").click()
    expect(item).to_contain_text("approved, to apply")
    item.get_by_role("button", name="Apply").click()
    expect(page.locator(f"#action-{action['id']}")).to_have_count(0)
    outcome = page.locator(f"#outcome-{action['id']}")
    expect(outcome).to_contain_text("Moved card QL-1 “Fix login” to In Progress")
    expect(page.locator("#cockpit-review")).to_contain_text("Nothing waiting for review")
    assert page.evaluate("window.__same_page") is True

    # The card is in In Progress, on the board page and through the API.
    page.goto(f"/o/qlab/w/release/p/{project['id']}")
    expect(page.locator(f"#column-{columns['In Progress']} #card-{card['id']}")).to_be_visible()
    expect(page.locator(f"#column-{columns['To Do']} #card-{card['id']}")).to_have_count(0)
    assert api.ok("GET", f"{p}/cards/{card['id']}")["columnId"] == columns["In Progress"]

    # Back in the cockpit, Grace drags the mission to Blocked and says why.
    page.goto("/o/qlab/w/release/cockpit")
    page.once("dialog", lambda dialog: dialog.accept("Waiting on the identity provider"))
    tile = page.locator(f"#mission-{mission['id']}")
    drag(page, tile, page.locator("#missions-blocked .mission-list"))
    blocked = page.locator(f"#missions-blocked #mission-{mission['id']}")
    expect(blocked).to_contain_text("Blocked: Waiting on the identity provider")
    expect(page.locator("#missions-to_launch .mission-tile")).to_have_count(0)
    saved = api.ok("GET", w + "/pilotage/missions")[0]
    assert (saved["status"], saved["blockedReason"]) == ("blocked", "Waiting on the identity provider")

    # She drags the second priority to the top.
    drag(page, page.locator(f"#priority-{second['id']}"), page.locator(f"#priority-{first['id']}"), above=True)
    expect(page.locator(f"#priority-{second['id']} .priority-rank")).to_have_text("1")  # as saved
    expect(page.locator(".priority-list .priority-label")).to_have_text(["Single sign-on", "Stability"])
    ranks = {p["label"]: p["rank"] for p in api.ok("GET", w + "/pilotage/priorities")}
    assert ranks == {"Single sign-on": 1, "Stability": 2}

    # The state survives a reload.
    page.reload()
    expect(page.locator(f"#missions-blocked #mission-{mission['id']}")).to_be_visible()
    expect(page.locator(".priority-list .priority-label")).to_have_text(["Single sign-on", "Stability"])


def drag(page, source, target, above: bool = False) -> None:
    """Drag `source` onto the middle of `target` (its top edge when `above`) with the mouse,
    in small steps (SortableJS follows the pointer events)."""
    start, end = source.bounding_box(), target.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + 12)
    page.mouse.down()
    page.mouse.move(start["x"] + start["width"] / 2 + 10, start["y"] + 20, steps=4)
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + (4 if above else end["height"] / 2), steps=12)
    page.mouse.up()
