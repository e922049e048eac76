"""One-time form tokens: a form that creates something does it once, however often it is sent.

A double click, a browser sending the form again (reload, back button) or two requests at
the same moment all carry the token the page was rendered with. The first request stores
the token in ``sent_form`` (a unique column) in the same transaction as what it creates,
with the page it went on to. A later request with that token finds the row and is sent to
that page; a request at the same moment waits for the first one's row (the write lock on
SQLite, the unique index on PostgreSQL) and does the same. A request whose work failed
rolls back its token with it, so the form can be sent again.
"""
from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask, Response, redirect, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from inspraak.core.db import UTCDateTime, utcnow
from inspraak.core.errors import Conflict, DomainError
from inspraak.extensions import db

TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")
# How long a sent form is remembered: far longer than any page stays open or in a browser's history.
KEPT = timedelta(days=30)
SAME_MOMENT = _l("Someone else changed this at the same moment. Look at the page again.")
# A form whose one-time token (or another hidden field) was left out or changed: by hand, a browser
# extension, or a page saved and edited. Nothing was saved; the form comes back with what was typed.
DAMAGED = _l("This form was out of date or damaged. Nothing has been saved. Check it and send it again.")


class SentForm(db.Model):
    """A form that did its work: its token, who sent it, and the page it led to."""

    __tablename__ = "sent_form"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(sa.String(64), nullable=False, unique=True)
    actor_kind: Mapped[str] = mapped_column(sa.String(10), nullable=False)
    actor_id: Mapped[int | None]
    result_url: Mapped[str] = mapped_column(sa.String(500), nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False, index=True)

    __table_args__ = (
        sa.CheckConstraint("actor_kind IN ('staff', 'tenant', 'system')", name="actor_kind"),
    )


class FormDamaged(DomainError):
    """A form's hidden part (its one-time token, say) is missing or not one the site makes: nothing is done (400)."""

    def __init__(self) -> None:
        super().__init__(str(DAMAGED))


class AlreadySent(Exception):
    """This form was sent before and did its work; ``url`` is the page it led to."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


def new_token() -> str:
    """A token for one rendering of a form."""
    return secrets.token_urlsafe(24)


def well_formed(token: str | None) -> bool:
    """Whether ``token`` could be one :func:`new_token` made (the form was not damaged on its way)."""
    return bool(token) and TOKEN_PATTERN.fullmatch(token) is not None


def sent_token_well_formed() -> bool:
    """Whether the request's form carries a well-formed token (``once``)."""
    return well_formed(request.form.get("once"))


def _actor(by: Any) -> tuple[str, int | None]:  # noqa: ANN401
    return getattr(by, "audit_kind", "system"), getattr(by, "id", None)


def _earlier(token: str, by: Any) -> Exception:  # noqa: ANN401
    """What a second send of ``token`` gets: the first one's page, or a conflict."""
    sent = db.session.scalar(sa.select(SentForm).where(SentForm.token == token))
    if sent is None or (sent.actor_kind, sent.actor_id) != _actor(by) or not sent.result_url:
        # Someone else's token (a forged form): there is nothing of theirs to send them to.
        return Conflict(str(SAME_MOMENT))
    return AlreadySent(sent.result_url)


def claim(*, by: Any) -> SentForm:  # noqa: ANN401
    """Record the token the request's form carries (``once``) before the form does its work.

    Call it in the view once the form is valid, before the work takes locks or writes; then
    :func:`done` with the page the form leads to, before the commit (or :func:`finish`, which
    also commits and redirects there). A form without a well-formed token is refused: every form
    that uses this renders one. A form class that checks its token as it validates (``creates`` in
    its meta, ``core.forms``) comes back with what was typed before it gets here.

    Raises:
        FormDamaged: the form carries no well-formed token (400, a page saying so).
        AlreadySent: the form did its work before (the error handler rolls back and redirects).
        Conflict: the token belongs to someone else.
    """
    token = request.form.get("once", "")
    if not well_formed(token):
        raise FormDamaged()
    if db.session.scalar(sa.select(SentForm.id).where(SentForm.token == token)) is not None:
        raise _earlier(token, by)
    kind, actor_id = _actor(by)
    sent = SentForm(token=token, actor_kind=kind, actor_id=actor_id)
    db.session.add(sent)
    try:
        db.session.flush()
    except IntegrityError:  # the same token at the same moment (PostgreSQL): the first one has committed
        db.session.rollback()
        raise _earlier(token, by) from None
    return sent


def done(sent: SentForm, url: str) -> str:
    """Store the page the form led to (a later send of it goes there); returns ``url``."""
    sent.result_url = url
    db.session.flush()
    return url


def finish(sent: SentForm, url: str) -> Response:
    """Store the page the form led to, commit what it made together with its token, and go to that page."""
    done(sent, url)
    db.session.commit()
    return redirect(url)


def forget_old(now: datetime | None = None) -> int:
    """Delete the tokens of forms sent longer ago than ``KEPT`` (run by the clock); returns how many.

    A page kept open (or resent from the history) for longer than that acts once more.
    """
    cutoff = (now or utcnow()) - KEPT
    return db.session.execute(sa.delete(SentForm).where(SentForm.created_at < cutoff)).rowcount or 0


def _redirect_to_first(error: AlreadySent):  # noqa: ANN202
    """The request changed nothing: show what the first one made."""
    db.session.rollback()
    return redirect(error.url)


def init_app(app: Flask) -> None:
    """``once_token()`` for templates (one per form: a page may hold many), and the redirect of a second send."""
    app.jinja_env.globals["once_token"] = new_token
    app.register_error_handler(AlreadySent, _redirect_to_first)
