"""What a view does once its form is valid: call one service, commit and say so, or roll back and say why not."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect
from flask_login import current_user

from inspraak.core import once
from inspraak.core.edits import EditClash
from inspraak.core.errors import DomainError
from inspraak.core.files import FileRefused
from inspraak.extensions import db


def act(action: Callable[[], Any], success: str | Callable[[Any], str], target: str, *, creates: bool = False,
        clash: Callable[[EditClash], Any] | None = None,
        file_refused: Callable[[FileRefused], Any] | None = None) -> Any:  # noqa: ANN401
    """Call ``action`` (a service), commit and flash ``success``, then go to ``target``.

    A refused action (a ``DomainError``) is rolled back and its message flashed: a message, not
    an error page. ``success`` may be a function of what the action returned, for a service that
    says whether it changed anything. ``creates``: the form makes something new and carries a
    one-time token (see ``core.once``): sent twice, it acts once and the repeat lands on
    ``target`` too. ``clash``: what to show instead when someone else changed what the form
    changes at the same moment (``core.edits``). ``file_refused``: the form again, with what was typed and
    the message beside its file field, when the uploaded file is refused (no message at the top then).
    """
    sent = once.claim(by=current_user) if creates else None
    try:
        result = action()
    except DomainError as error:
        db.session.rollback()
        if file_refused is not None and isinstance(error, FileRefused):
            return file_refused(error)
        flash(error.message, "error")
        if clash is not None and isinstance(error, EditClash):
            return clash(error)
    else:
        if sent is not None:
            once.done(sent, target)
        db.session.commit()
        flash(success(result) if callable(success) else success, "success")
    return redirect(target)

