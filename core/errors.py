"""The one error type for a broken business rule (bad input uses Django's ValidationError)."""

from typing import Any


class ApplicationError(Exception):
    """A rule of the domain refuses the action. The message is already translated (lazily)."""

    status_code = 400

    def __init__(self, message: Any, *, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}
