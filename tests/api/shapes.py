"""Assertions on the contract's wire shapes, shared by the API tests."""
from werkzeug.http import HTTP_STATUS_CODES


def assert_error(response, status: int, message: str | None = None) -> dict:
    """The response is the contract's error JSON with `status` (and `message` if given)."""
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True))
    assert response.is_json, response.content_type
    body = response.json
    assert set(body) <= {"statusCode", "message", "error", "details"}, body
    assert body["statusCode"] == status
    assert body["error"] == HTTP_STATUS_CODES[status]
    assert isinstance(body["message"], str) and body["message"]
    if message is not None:
        assert body["message"] == message
    return body


def detail_fields(response) -> list[str]:
    """The `field` of every validation detail."""
    return [d["field"] for d in response.json.get("details", [])]
