"""Domain errors raised by services and turned into messages by views."""
from __future__ import annotations


class DomainError(Exception):
    """A rule was broken; the message is safe to show to the user."""

    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class FieldRefused(DomainError):
    """A value sent in a form was refused: its message belongs beside that form field (``field``, its name in the
    form: ``<field>_<language>`` for a text box of ``texts_form``), not at the top of the page.

    Its status is a DomainError's (400); a refusal that is also a ``Conflict`` (409) derives from both, Conflict
    first, so this class sets no ``status_code`` of its own.
    """

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


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
