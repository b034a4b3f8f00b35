"""One error shape for every failure: `{"statusCode", "message", "error"}` on the API and for
JSON clients; a small HTML page for browsers outside the API."""
import logging

from flask import Flask, jsonify, render_template, request
from sqlalchemy.exc import DataError, IntegrityError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.http import HTTP_STATUS_CODES

from app.errors import DomainError
from app.extensions import db

log = logging.getLogger(__name__)

API_PREFIXES = ("/auth/", "/organizations", "/orgs/", "/api-tokens", "/invitations/",
                "/notifications", "/healthz", "/mcp")


def wants_json() -> bool:
    """API paths always answer JSON; elsewhere JSON unless a browser asks for HTML."""
    if request.path.startswith(API_PREFIXES):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best != "text/html" or request.accept_mimetypes["text/html"] == 0


def error_json(status: int, message: str, details: list | None = None):
    body = {"statusCode": status, "message": message, "error": HTTP_STATUS_CODES.get(status, "Error")}
    if details:
        body["details"] = details
    response = jsonify(body)
    response.status_code = status
    return response


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        db.session.rollback()
        if wants_json():
            return error_json(error.status, error.message, error.details)
        return _page(error.status, error.message)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        db.session.rollback()
        status = error.code or 500
        message = _HTTP_MESSAGES.get(status, error.description or HTTP_STATUS_CODES.get(status, "Error"))
        if wants_json():
            response = error_json(status, message)
            if status == 405 and error.get_response().headers.get("Allow"):
                response.headers["Allow"] = error.get_response().headers["Allow"]
            return response
        return _page(status, message)

    @app.errorhandler(IntegrityError)
    def integrity_error(error: IntegrityError):
        # A uniqueness race lost between a service's check and its flush.
        db.session.rollback()
        log.warning("Integrity error on %s %s: %s", request.method, request.path, error.orig)
        return _answer(409, "Conflict with existing data")

    @app.errorhandler(DataError)
    def data_error(error: DataError):
        # A value the database refuses (out of range, NUL character) that no rule caught.
        db.session.rollback()
        log.warning("Data error on %s %s: %s", request.method, request.path, error.orig)
        return _answer(400, "Invalid value")

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        db.session.rollback()
        log.exception("Unhandled error on %s %s", request.method, request.path)
        if app.config.get("PROPAGATE_UNEXPECTED"):
            raise error
        if wants_json():
            return error_json(500, "Internal server error")
        return _page(500, InternalServerError.description)


def _answer(status: int, message: str):
    return error_json(status, message) if wants_json() else _page(status, message)


_HTTP_MESSAGES = {
    404: "Not found",
    405: "Method not allowed",
    413: "Payload too large",
}


def _page(status: int, message: str):
    return render_template("errors/error.html", status=status, message=message,
                           reason=HTTP_STATUS_CODES.get(status, "Error")), status
