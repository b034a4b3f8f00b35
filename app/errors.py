"""Domain errors raised by services. The API turns them into the contract's error JSON;
pages turn them into inline messages."""


class DomainError(Exception):
    status = 400

    def __init__(self, message: str, details: list[dict] | None = None):
        super().__init__(message)
        self.message = message
        self.details = details


class Invalid(DomainError):
    """Input that breaks a rule. `field` names the offending field (camelCase, as on the wire)."""

    status = 400

    def __init__(self, field: str | None, message: str):
        details = [{"field": field, "message": message}] if field else None
        super().__init__(message, details)
        self.field = field


class Unauthorized(DomainError):
    status = 401


class Forbidden(DomainError):
    status = 403


class NotFound(DomainError):
    """Absent, or present but out of the caller's reach: both look the same."""

    status = 404


class Conflict(DomainError):
    status = 409


class TooLarge(DomainError):
    status = 413
