"""Over HTTP: a project with a card carrying one of everything (comment, attachment, label,
custom field value, relation), and a second project whose ids must stay out of the first's
paths."""
from dataclasses import dataclass

import pytest

from tests.board_helpers import add_member, column_ids, new_project, project_path, team  # noqa: F401


@dataclass
class Depth:
    team: object
    path: str  # the project's path
    card: str  # a card of the project
    columns: list
    comment: str
    attachment: str
    label: str
    field: str
    relation: str
    foreign_path: str  # a second project of the same workspace
    foreign: dict  # its ids: card, comment, attachment, label, field, relation


def created(response):
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.json


def post_card(api, path, column_id, title):
    return created(api.post(f"{path}/columns/{column_id}/cards", json={"title": title}))["id"]


def multipart(data: bytes, name: str, mime: str, field: str = "file") -> tuple[bytes, str]:
    """A multipart body in memory (the test client spools big files to temporary files it
    never closes, which a test run treats as an error)."""
    boundary = "stellary-test-boundary"
    quoted = name.replace('"', "%22")
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{quoted}"\r\n'
            f"Content-Type: {mime}\r\n\r\n").encode()
    return head + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def upload(api, path, card_id, data=b"hello", name="notes.txt", mime="text/plain", **kwargs):
    body, content_type = multipart(data, name, mime)
    return api.post(f"{path}/cards/{card_id}/attachments", data=body, content_type=content_type, **kwargs)


def furnish(api, path, columns):
    """A card with one of everything; returns the ids."""
    card = post_card(api, path, columns[0], "Fix login")
    other = post_card(api, path, columns[1], "Write docs")
    return {
        "card": card, "other": other,
        "comment": created(api.post(f"{path}/cards/{card}/comments", json={"content": "Hi"}))["id"],
        "attachment": created(upload(api, path, card))["id"],
        "label": created(api.post(f"{path}/labels", json={"name": "Bug", "color": "#ff0000"}))["id"],
        "field": created(api.post(f"{path}/custom-fields", json={"name": "Points", "type": "number"}))["id"],
        "relation": created(api.post(f"{path}/cards/{card}/relations",
                                     json={"targetCardId": other, "type": "blocks"}))["id"],
    }


@pytest.fixture()
def depth(team) -> Depth:
    """`team.member` created both projects (their admin); `team.other` is a plain member of
    the first; `team.admin` is a workspace admin; `team.outsider` is outside the
    organization."""
    project = new_project(team.member, "Website")
    add_member(team.member, project, "other@acme.test")
    path, columns = project_path(project), column_ids(team.member, project)
    ids = furnish(team.member, path, columns)
    foreign_project = new_project(team.member, "Billing")
    foreign_path = project_path(foreign_project)
    foreign = furnish(team.member, foreign_path, column_ids(team.member, foreign_project))
    return Depth(team, path, ids["card"], columns, ids["comment"], ids["attachment"], ids["label"], ids["field"],
                 ids["relation"], foreign_path, foreign)
