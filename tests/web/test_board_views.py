"""What every view of a board (list, calendar, roadmap, stats) shares: opening one on a scope
makes it the scope's active view, and a board is reached only through its own project."""
import pytest

from tests.board_helpers import board
from tests.conftest import PASSWORD
from tests.web.board_support import new_scope, user_named, world  # noqa: F401

VIEWS = ("list", "calendar", "roadmap", "stats")


@pytest.mark.parametrize("view", VIEWS)
def test_opening_a_view_of_a_scope_makes_it_the_scopes_view(world, client, view):
    scope, _ = new_scope(world)
    assert world.bob.get(f"{world.url}/{view}?scope={scope.id}").status_code == 200
    token = client.post("/auth/login", json={"email": "bob@example.com", "password": PASSWORD}).json["access_token"]
    views = client.get(f"/orgs/acme/workspaces/eng/projects/{world.project_id}/scopes/{scope.id}/views",
                       headers={"Authorization": f"Bearer {token}"})
    assert views.json["activeView"] == view
    reopened = world.bob.get(f"{world.url}/scopes/{scope.id}")
    assert reopened.headers["Location"].endswith(f"{world.url}/{view}?scope={scope.id}")


@pytest.mark.parametrize("view", VIEWS)
def test_a_view_is_reached_only_through_its_project(world, client, view):
    scope, _ = new_scope(world)
    other, _ = board(user_named("ada@example.com"), "Elsewhere")
    elsewhere = f"/o/acme/w/eng/p/{other.project.id}"
    assert world.ada.get(f"{elsewhere}/{view}?scope={scope.id}").status_code == 404
    for bad in ("nonsense", "0" * 24):
        assert world.bob.get(f"{world.url}/{view}?scope={bad}").status_code == 404
    assert world.carl.get(f"{world.url}/{view}").status_code == 404
    assert world.eve.get(f"{world.url}/{view}?scope={scope.id}").status_code == 404
    anonymous = client.get(f"{world.url}/{view}")
    assert anonymous.status_code == 302 and anonymous.location.startswith("/login")
