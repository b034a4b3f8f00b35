"""Personal access token scopes × methods, and the guarantee that no API view forgets auth."""
import re

import pytest

from app.api.auth import required_scope
from tests.api.shapes import assert_error
from tests.conftest import PASSWORD, Api

SCOPES = ("projects:read", "projects:write", "pilotage:read", "pilotage:write",
          "notifications:read", "account:read", "account:write")

# (method, path, body, the one scope that opens it, success status)
ENDPOINTS = [
    ("GET", "/auth/me", None, "account:read", 200),
    ("PATCH", "/auth/me", {"name": "Renamed"}, "account:write", 200),
    ("POST", "/auth/change-password", {"currentPassword": PASSWORD, "newPassword": "another-password"},
     "account:write", 201),
    ("GET", "/organizations", None, "projects:read", 200),
    ("POST", "/organizations", {"name": "Acme", "slug": "acme"}, "projects:write", 201),
]


def with_pat(register, scopes):
    jane = register("jane@example.com")
    return jane, new_pat(jane, scopes)


def new_pat(jane, scopes):
    secret = jane.post("/api-tokens", json={"name": "t", "scopes": list(scopes)}).json["token"]
    return Api(jane.client, secret)


def bearer(api):
    return {"Authorization": f"Bearer {api.token}"}


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("method,path,body,needed,success", ENDPOINTS,
                         ids=[f"{m} {p}" for m, p, *_ in ENDPOINTS])
def test_single_scope_against_endpoint(register, scope, method, path, body, needed, success):
    _, token = with_pat(register, [scope])
    response = token.client.open(path, method=method, json=body, headers=bearer(token))
    if scope == needed:
        assert response.status_code == success, response.json
    else:
        assert_error(response, 403, f"Token lacks the '{needed}' scope")


@pytest.mark.parametrize("method,path,body", [
    ("GET", "/api-tokens", None),
    ("POST", "/api-tokens", {"name": "escalated"}),
    ("DELETE", "/api-tokens/{own}", None),
])
def test_api_tokens_refuse_every_pat(register, method, path, body):
    jane, token = with_pat(register, SCOPES)
    own = jane.get("/api-tokens").json[0]["id"]
    response = token.client.open(path.format(own=own), method=method, json=body, headers=bearer(token))
    assert_error(response, 403)
    assert [t["id"] for t in jane.get("/api-tokens").json] == [own]


def test_a_pat_with_every_scope_reaches_the_identity_endpoints(register):
    _, token = with_pat(register, SCOPES)
    assert token.get("/auth/me").status_code == 200
    assert token.post("/organizations", json={"name": "Acme", "slug": "acme"}).status_code == 201
    assert token.post("/orgs/acme/workspaces", json={"name": "Eng", "slug": "eng"}).status_code == 201
    assert token.get("/orgs/acme/workspaces/eng").status_code == 200


def test_head_is_a_read(register):
    jane, reader = with_pat(register, ["account:read"])
    writer = new_pat(jane, ["account:write"])
    assert reader.client.head("/auth/me", headers=bearer(reader)).status_code == 200
    assert writer.client.head("/auth/me", headers=bearer(writer)).status_code == 403


@pytest.mark.parametrize("area,method,scope", [
    ("projects", "GET", "projects:read"), ("projects", "HEAD", "projects:read"),
    ("projects", "POST", "projects:write"), ("projects", "PATCH", "projects:write"),
    ("projects", "PUT", "projects:write"), ("projects", "DELETE", "projects:write"),
    ("pilotage", "GET", "pilotage:read"), ("pilotage", "POST", "pilotage:write"),
    ("pilotage", "PATCH", "pilotage:write"), ("pilotage", "DELETE", "pilotage:write"),
    ("notifications", "GET", "notifications:read"), ("notifications", "PATCH", "notifications:read"),
    ("notifications", "POST", "notifications:read"),
    ("account", "GET", "account:read"), ("account", "PATCH", "account:write"), ("account", "POST", "account:write"),
])
def test_scope_rule_of_the_contract(area, method, scope):
    assert required_scope(area, method) == scope


def contract_area(path: str) -> str:
    """The area `contract.md` assigns to an API path."""
    if path in ("/auth/register", "/auth/login", "/healthz"):
        return "public"
    if path.startswith("/api-tokens"):
        return "jwt-only"
    if path in ("/auth/me", "/auth/change-password"):
        return "account"
    if path.startswith("/notifications"):
        return "notifications"
    if re.match(r"^/orgs/<[^>]+>/workspaces/<[^>]+>/pilotage(/|$)", path):
        return "pilotage"
    return "projects"


def api_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.split(".")[0] == "api"]


def test_every_api_view_declares_the_area_the_contract_gives_it(app):
    wrong = []
    for rule in api_rules(app):
        view = app.view_functions[rule.endpoint]
        area = getattr(view, "api_area", None)
        if area != contract_area(rule.rule):
            wrong.append((rule.rule, area, contract_area(rule.rule)))
    assert wrong == []


def test_every_non_public_api_view_refuses_anonymous_callers(app, client):
    """Declaring an area is not enough: the view must really check the token."""
    checked = 0
    for rule in api_rules(app):
        if getattr(app.view_functions[rule.endpoint], "api_area", None) == "public":
            continue
        path = rule.build({arg: "0" * 24 for arg in rule.arguments}, append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(path, method=method)
            assert_error(response, 401)
            checked += 1
    assert checked >= 25
