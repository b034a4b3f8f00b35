"""The identity journey in a real browser: register, create an organization and a workspace,
invite a second person who accepts through the copied link, then create, use and revoke an
API token."""
import json
import re
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PASSWORD = "correct-horse-battery"


def api_get(url: str, token: str) -> tuple[int, object]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}",
                                                   "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def register(page, name: str, email: str | None) -> None:
    page.get_by_label("Name").fill(name)
    if email is not None:
        page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()


def test_register_org_workspace_invite_accept_and_token(new_context, live_server):
    ada_context = new_context(permissions=["clipboard-read", "clipboard-write"])
    ada = ada_context.new_page()
    ada.on("dialog", lambda dialog: dialog.accept())

    # Ada registers and lands in her personal workspace.
    ada.goto("/register")
    register(ada, "Ada Lovelace", "ada@example.com")
    expect(ada.locator(".switcher summary")).to_contain_text("Personal")

    # She creates an organization from the switcher, then its first workspace.
    ada.locator(".switcher summary").click()
    ada.get_by_role("menuitem", name="+ New organization").click()
    ada.wait_for_load_state("load")  # the slug follows the name once app.js has run
    ada.get_by_label("Name").fill("Analytical Engines")
    expect(ada.get_by_label("Slug")).to_have_value("analytical-engines")
    ada.get_by_role("button", name="Create organization").click()
    expect(ada.get_by_role("heading", name="New workspace in Analytical Engines")).to_be_visible()
    ada.get_by_label("Name").fill("Difference Team")
    ada.get_by_role("button", name="Create workspace").click()
    expect(ada).to_have_url(f"{live_server}/o/analytical-engines/w/difference-team/")
    expect(ada.locator(".switcher summary")).to_contain_text("Analytical Engines / Difference Team")

    # She invites Charles from the workspace settings and copies the link.
    ada.locator(".wsnav").get_by_role("link", name="Settings").click()
    ada.get_by_label("E-mail").fill("charles@example.com")
    ada.get_by_role("button", name="Invite").click()
    link_box = ada.locator("#invite-link")
    expect(link_box).to_have_value(re.compile(re.escape(live_server) + r"/invite/\S+"))
    expect(ada.locator("#ws-invitations")).to_contain_text("charles@example.com")
    ada.get_by_role("button", name="Copy").click()
    expect(ada.get_by_role("button", name="Copied")).to_be_visible()
    link = ada.evaluate("navigator.clipboard.readText()")
    assert link == link_box.input_value()

    # Charles opens the link, registers from there (e-mail prefilled), and accepts.
    charles = new_context().new_page()
    charles.goto(link)
    expect(charles.get_by_role("heading", name="Join Difference Team")).to_be_visible()
    expect(charles.locator("main")).to_contain_text("Ada Lovelace invited charles@example.com")
    charles.get_by_role("link", name="Create an account").click()
    expect(charles.get_by_label("E-mail")).to_have_value("charles@example.com")
    register(charles, "Charles Babbage", email=None)
    expect(charles).to_have_url(link)
    charles.get_by_role("button", name="Accept and join Difference Team").click()
    expect(charles).to_have_url(f"{live_server}/o/analytical-engines/w/difference-team/")
    expect(charles.locator("main")).to_contain_text("2 members")

    # Ada sees him among the members, the invitation gone, and makes him a reviewer in place.
    ada.reload()
    row = ada.locator(".member-row", has_text="charles@example.com")
    expect(row).to_be_visible()
    expect(ada.locator("#ws-invitations")).to_contain_text("No pending invitations")
    with ada.expect_response(lambda r: r.request.method == "POST" and "/members/" in r.url) as saved:
        row.get_by_label("Pilotage role of Charles Babbage").select_option("reviewer")
    assert saved.value.ok
    expect(row.get_by_label("Pilotage role of Charles Babbage")).to_have_value("reviewer")
    ada.reload()
    expect(ada.get_by_label("Pilotage role of Charles Babbage")).to_have_value("reviewer")

    # Ada creates a read-only token; it is shown once and works against the API.
    ada.get_by_role("link", name="API tokens").click()
    ada.get_by_label("Name").fill("Reporting script")
    ada.get_by_role("button", name="Create token").click()
    secret = ada.locator("#new-token").input_value()
    assert secret.startswith("synth_")
    expect(ada.locator("#token-list")).to_contain_text("Reporting script")
    status, body = api_get(f"{live_server}/orgs/analytical-engines/workspaces", secret)
    assert status == 200 and [ws["slug"] for ws in body] == ["difference-team"]

    ada.reload()
    expect(ada.locator("#new-token")).to_have_count(0)
    assert secret[10:] not in ada.content()
    token_row = ada.locator("#token-list tr", has_text="Reporting script")
    expect(token_row.locator(".last-used")).to_contain_text(re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC"))

    # Revoked, it no longer opens the API.
    token_row.get_by_role("button", name="Revoke").click()
    expect(ada.locator("#token-list")).not_to_contain_text("Reporting script")
    status, body = api_get(f"{live_server}/orgs/analytical-engines/workspaces", secret)
    assert status == 401
