"""Request body shape checks for the JSON API: types and the field whitelist.

Rules about values (lengths, formats, existence) belong to the services; this module only
makes sure the body is a JSON object with known fields of the right JSON types.
"""
import json
from typing import Any

from flask import request

from app.errors import Invalid

# JSON type names as clients know them.
_TYPE_NAMES = {str: "a string", int: "a number", float: "a number", bool: "a boolean",
               list: "an array", dict: "an object", type(None): "null"}


def json_body(spec: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    """The request's JSON object, checked against `spec`.

    `spec` maps each allowed field to a type or a tuple of types (`None` in the tuple allows
    null; `float` accepts integers too). Only fields present in the body are returned.
    Raises Invalid listing every problem: malformed or too deeply nested JSON, a non-object
    body, NUL characters, text that is not valid Unicode, unknown fields, missing required
    fields, wrong types.
    """
    raw = request.get_data(cache=True)
    if not raw.strip():
        data: Any = {}
    else:
        try:
            data = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise Invalid(None, "Malformed JSON body") from None
        except RecursionError:
            raise Invalid(None, "The JSON body is nested too deeply") from None
        _check_unicode(data)
    if not isinstance(data, dict):
        raise Invalid(None, "The request body must be a JSON object")
    problems = [{"field": field, "message": f"{field} must not contain NUL characters"}
                for field, value in data.items() if _has_nul(value)]
    for field in data:
        if field not in spec:
            problems.append({"field": field, "message": f"property {field} should not exist"})
    for field in required:
        if field not in data:
            problems.append({"field": field, "message": f"{field} is required"})
    for field, value in data.items():
        if field in spec and not _type_ok(value, spec[field]):
            allowed = spec[field] if isinstance(spec[field], tuple) else (spec[field],)
            names = " or ".join(dict.fromkeys(_TYPE_NAMES[t if t is not None else type(None)] for t in allowed))
            problems.append({"field": field, "message": f"{field} must be {names}"})
    if problems:
        error = Invalid(None, problems[0]["message"] if len(problems) == 1 else "Validation failed")
        error.details = problems
        raise error
    return data


def _check_unicode(data: Any) -> None:
    """Raises Invalid when a string holds an unpaired surrogate (`"\\ud800"` is valid JSON,
    but no database can store it)."""
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise Invalid(None, "The JSON body holds text that is not valid Unicode (an unpaired surrogate)") from None
    except RecursionError:
        raise Invalid(None, "The JSON body is nested too deeply") from None


def _has_nul(value: Any) -> bool:
    """NUL characters anywhere inside a value (databases refuse them in text).

    Walks with an explicit stack: a body may be nested as deeply as the JSON parser allows.
    """
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def _type_ok(value: Any, allowed: Any) -> bool:
    options = allowed if isinstance(allowed, tuple) else (allowed,)
    for option in options:
        if option is None and value is None:
            return True
        if option is bool and isinstance(value, bool):
            return True
        if option is int and isinstance(value, int) and not isinstance(value, bool):
            return True
        if option is float and isinstance(value, (int, float)) and not isinstance(value, bool):
            return True
        if option in (str, list, dict) and isinstance(value, option):
            return True
    return False
