"""Helpers shared by the HTML views."""
from flask import make_response, render_template, request
from wtforms import Form

from app.errors import DomainError, Invalid


def render(template: str, partial: str | None = None, **context):
    """Render the full page, or only `partial` for an HTMX request (not a history restore).

    Responses vary on `HX-Request` so caches keep the two apart.
    """
    is_fragment = partial and request.headers.get("HX-Request") == "true" \
        and request.headers.get("HX-History-Restore-Request") != "true"
    response = make_response(render_template(partial if is_fragment else template, **context))
    response.headers["Vary"] = "HX-Request"
    return response


def attach_error(form: Form, error: DomainError, field_names: dict[str, str] | None = None) -> None:
    """Show a service error on the form: under its field when it names one, else on top.

    `field_names` maps wire field names (camelCase) to form field names where they differ.
    """
    if isinstance(error, Invalid) and error.field:
        name = (field_names or {}).get(error.field, error.field)
        field = getattr(form, name, None)
        if field is not None:
            field.errors = list(field.errors) + [error.message]
            return
    form.form_errors.append(error.message)
