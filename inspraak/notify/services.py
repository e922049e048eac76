"""Queueing messages in the outbox, rendered in the recipient's language."""
from __future__ import annotations

import uuid
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale

from inspraak.extensions import db
from inspraak.notify.models import OutboxMessage


def enqueue(
    kind: str,
    *,
    to_address: str,
    language: str,
    context: dict[str, Any],
    corporation_id: int | None = None,
    holds_secret: bool = False,
) -> OutboxMessage:
    """Add a message to the current transaction's outbox; a rollback leaves no message.

    Args:
        kind: the template name under ``notify/mail/``: ``<kind>.subject.txt``, ``.txt`` and ``.html``.
        to_address: the recipient's email address.
        language: the recipient's language (not the request's).
        context: template variables; ``corporation`` is commonly included.
        corporation_id: whose message it is (for the staff overview).
        holds_secret: wipe the body once sent (sign-in links, reset links).
    Returns:
        The queued message, flushed so it has an id.
    """
    if language not in current_app.config["LANGUAGES"]:
        language = current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(language):
        context = {"lang": language, **context}
        subject = render_template(f"notify/mail/{kind}.subject.txt", **context).strip()
        body_text = render_template(f"notify/mail/{kind}.txt", **context)
        body_html = render_template(f"notify/mail/{kind}.html", **context)
    domain = current_app.config["MAIL_DEFAULT_SENDER"].rpartition("@")[2] or "inspraak.local"
    message = OutboxMessage(
        corporation_id=corporation_id,
        kind=kind,
        to_address=to_address,
        language=language,
        subject=" ".join(subject.split()),
        body_text=body_text,
        body_html=body_html,
        holds_secret=holds_secret,
        message_id=f"<{uuid.uuid4().hex}@{domain}>",
    )
    db.session.add(message)
    db.session.flush()
    return message
