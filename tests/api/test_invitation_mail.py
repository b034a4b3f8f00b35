"""Invitations go out by e-mail through a real SMTP server when SMTP is configured."""
import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller

W = "/orgs/acme/workspaces/eng"


class Inbox:
    """aiosmtpd handler keeping every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def inbox():
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


@pytest.fixture()
def owner(register):
    api = register("owner@acme.test", "Olivia Owner")
    api.post("/organizations", json={"name": "Acme", "slug": "acme"})
    api.post("/orgs/acme/workspaces", json={"name": "Engineering", "slug": "eng"})
    return api


def test_invite_sends_one_email_with_the_accept_link(app, owner, inbox, monkeypatch):
    handler, port = inbox
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", port)

    response = owner.post(W + "/members/invite", json={"email": "Teammate@Company.com", "role": "member"})

    assert response.status_code == 201
    assert response.json["emailSent"] is True
    assert len(handler.messages) == 1
    envelope = handler.messages[0]
    assert envelope.rcpt_tos == ["teammate@company.com"]
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert message["To"] == "teammate@company.com"
    assert "Engineering" in message["Subject"]
    body = message.get_content()
    assert response.json["acceptUrl"] in body
    assert response.json["acceptUrl"] == f"http://stellary.test/invite/{response.json['token']}"
    assert "Olivia Owner" in body


def test_without_smtp_nothing_is_sent(app, owner, inbox):
    handler, _ = inbox
    assert not app.config["SMTP_HOST"]
    response = owner.post(W + "/members/invite", json={"email": "teammate@company.com"})
    assert response.status_code == 201
    assert response.json["emailSent"] is False
    assert response.json["token"] and response.json["acceptUrl"]
    assert handler.messages == []


def test_an_unreachable_smtp_server_does_not_lose_the_invitation(app, owner, monkeypatch):
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", free_port())  # nothing listens there

    response = owner.post(W + "/members/invite", json={"email": "teammate@company.com"})

    assert response.status_code == 201
    assert [i["email"] for i in owner.get(W + "/invitations").json] == ["teammate@company.com"]


def test_names_with_line_breaks_cannot_inject_headers(app, register, inbox, monkeypatch):
    handler, port = inbox
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", port)
    owner = register("owner@acme.test", "Olivia\r\nBcc: evil@example.com")
    owner.post("/organizations", json={"name": "Acme", "slug": "acme"})
    owner.post("/orgs/acme/workspaces", json={"name": "Eng\nBcc: evil@example.com", "slug": "eng"})

    assert owner.post(W + "/members/invite", json={"email": "teammate@company.com"}).status_code == 201

    assert len(handler.messages) == 1
    assert handler.messages[0].rcpt_tos == ["teammate@company.com"]
    message = email.message_from_bytes(handler.messages[0].content, policy=email.policy.default)
    assert message["Bcc"] is None
    assert "\n" not in message["Subject"]
