"""Helpers for the identity page tests: browser-like clients signed up through the forms."""
import re

PASSWORD = "correct-horse-battery"
HX = {"HX-Request": "true"}


def signup(app, email: str, name: str = "Someone"):
    """A test client (own cookie jar) that registered `email` through /register."""
    client = app.test_client()
    response = client.post("/register", data={"name": name, "email": email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def html(response) -> str:
    return response.get_data(as_text=True)


def field_error(page: str, field_id: str) -> str:
    """The inline error text under the input `field_id` ('' when none)."""
    match = re.search(rf'id="{field_id}"[^>]*>\s*(<div class="field-error">.*?</div>)', page, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)) if match else ""


def csrf_token(page: str) -> str:
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
