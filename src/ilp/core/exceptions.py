"""The domain error hierarchy: every service raises one of these with a user-facing message.

Views turn them into form errors, the JSON API into one envelope:
``{"error": {"code": ..., "message": ..., "fields": {field: [messages]}}}``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class ApplicationError(Exception):
    """A failure the user can act on. `message` is already translated (lazy or str)."""

    code = "error"
    http_status = 400

    def __init__(
        self,
        message: object,
        *,
        code: str | None = None,
        fields: Mapping[str, Sequence[object]] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code
        self.fields = {k: [str(m) for m in v] for k, v in (fields or {}).items()}

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": str(self.message), "fields": self.fields}


class ValidationFailed(ApplicationError):
    """Input broke a domain rule (malformed NIK, impossible date, ...)."""

    code = "invalid"
    http_status = 422


class NotFound(ApplicationError):
    """The record does not exist, or is outside the user's scope (we do not tell which)."""

    code = "not_found"
    http_status = 404


class PermissionDenied(ApplicationError):
    """The user's role may not perform this action."""

    code = "forbidden"
    http_status = 403


class Conflict(ApplicationError):
    """The write clashes with existing data (duplicate NIK, duplicate client id, ...)."""

    code = "conflict"
    http_status = 409


class BadParameter(ApplicationError):
    """A value in the URL or query string cannot be used (a malformed or implausible date)."""

    code = "bad_parameter"
    http_status = 400
