"""What a view does once its form is valid: call one service, commit and say so, or roll back and say why not."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, make_response, redirect
from flask_login import current_user

from inspraak.core import once
from inspraak.core.edits import EditClash
from inspraak.core.errors import DomainError
from inspraak.core.forms import FlaskForm, refuse_field
from inspraak.extensions import db


def act(action: Callable[[], Any], success: str | Callable[[Any], str], target: str, *, creates: bool = False,
        clash: Callable[[EditClash], Any] | None = None, form: FlaskForm | None = None,
        again: Callable[[], Any] | None = None, beside: str | None = None) -> Any:  # noqa: ANN401
    """Call ``action`` (a service), commit and flash ``success``, then go to ``target``.

    A refused action (a ``DomainError``) is rolled back and its message flashed: a message, not
    an error page. ``success`` may be a function of what the action returned, for a service that
    says whether it changed anything. ``creates``: the form makes something new and carries a
    one-time token (see ``core.once``): sent twice, it acts once and the repeat lands on
    ``target`` too. ``clash``: what to show instead when someone else changed what the form
    changes at the same moment (``core.edits``).

    ``form`` and ``again``: a refusal that belongs beside a field of ``form`` (a ``FieldRefused`` naming one, or
    with ``beside`` any refusal, said beside that field: see ``core.forms.refuse_field``) is said there instead
    of at the top, and ``again()``, the page with the form as it was sent, answers with the refusal's status.
    """
    sent = once.claim(by=current_user) if creates else None
    try:
        result = action()
    except DomainError as error:
        db.session.rollback()
        if clash is not None and isinstance(error, EditClash):
            flash(error.message, "error")
            return clash(error)
        if again is not None and form is not None and refuse_field(form, error, beside):
            return refused_page(again(), error)
        flash(error.message, "error")
    else:
        if sent is not None:
            once.done(sent, target)
        db.session.commit()
        flash(success(result) if callable(success) else success, "success")
    return redirect(target)


def refused_page(page: Any, error: DomainError) -> Any:  # noqa: ANN401
    """``page`` (what a view returns: a body, or a body and a status) answered with ``error``'s status."""
    response = make_response(page)
    response.status_code = error.status_code
    return response
