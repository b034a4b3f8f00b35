"""Helpers shared by the HTML views."""
from flask import make_response, redirect, render_template, request
from wtforms import Form

from app.errors import Conflict, DomainError, Invalid

# Errors a form shows inline. Others (Forbidden, NotFound) render the error page instead.
FORM_ERRORS = (Invalid, Conflict)


def render(template: str, partial: str | None = None, **context):
    """Render the full page, or only `partial` for an HTMX request (not a history restore).

    Responses vary on `HX-Request` so caches keep the two apart.
    """
    is_fragment = partial and request.headers.get("HX-Request") == "true" \
        and request.headers.get("HX-History-Restore-Request") != "true"
    response = make_response(render_template(partial if is_fragment else template, **context))
    response.headers["Vary"] = "HX-Request"
    if is_fragment:
        # static/js/app.js swaps error fragments (a form with its messages) marked this way.
        response.headers["X-Fragment"] = "1"
    return response


def attach_error(form: Form, error: DomainError, field_names: dict[str, str] | None = None,
                 default_field: str | None = None) -> None:
    """Show a service error on the form: under its field when it names one, else on top.

    `field_names` maps wire field names (camelCase) to form field names where they differ.
    `default_field` places errors that name no field (a Conflict on a taken slug, say).
    """
    name = error.field if isinstance(error, Invalid) and error.field else default_field
    if name:
        field = getattr(form, (field_names or {}).get(name, name), None)
        if field is not None:
            field.errors = list(field.errors) + [error.message]
            return
    form.form_errors.append(error.message)


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def go(url: str):
    """Send the browser to `url`: a redirect, or for htmx an `HX-Redirect` (a full page load)."""
    if is_htmx():
        response = make_response("")
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url)
