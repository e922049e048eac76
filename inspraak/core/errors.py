"""Domain errors raised by services and turned into messages by views."""
from __future__ import annotations


class DomainError(Exception):
    """A rule was broken; the message is safe to show to the user."""

    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAllowed(DomainError):
    """The user may not do this."""

    status_code = 403


class NotFound(DomainError):
    """The object does not exist or is not visible to the user."""

    status_code = 404


class Conflict(DomainError):
    """The state changed under the request (a double submit, a race)."""

    status_code = 409


class InvalidTransition(Conflict):
    """A life cycle move that the current state does not allow."""
