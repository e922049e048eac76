"""Queueing mail in the outbox, the staff overview of it, and each person's mail choices."""
from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer

from inspraak.core import audit
from inspraak.core.db import lock_for_change, utcnow
from inspraak.core.errors import Conflict, NotFound
from inspraak.core.i18n import localize, text_direction
from inspraak.extensions import db
from inspraak.notify.kinds import KINDS, get_kind, optional_kinds
from inspraak.notify.models import MessageStatus, NotificationPreference, OutboxMessage

UNSUBSCRIBE_SALT = "inspraak.notify.unsubscribe"
WIPED = ""


# ---------------------------------------------------------------- queueing

def enqueue(
    kind: str,
    *,
    to_address: str,
    language: str,
    context: dict[str, Any],
    corporation_id: int | None = None,
    person_id: int | None = None,
    essential: bool | None = None,
    holds_secret: bool | None = None,
) -> OutboxMessage | None:
    """Add a message to the current transaction's outbox; a rollback leaves no message.

    The subject, text and HTML are rendered now, in the recipient's language (not the
    request's). Values in ``context`` that are ``{language: text}`` maps (content written
    by staff) are replaced by the text in the recipient's language, falling back to
    ``context["source_language"]``; ``<name>_lang`` then holds the language it is shown in.

    Args:
        kind: a kind from ``inspraak.notify.kinds.KINDS``; its templates live under ``notify/mail/``.
        to_address: the recipient's email address.
        language: the recipient's language.
        context: template variables, as documented at the top of the kind's templates;
            ``corporation`` (name, contact_phone, contact_email) is used by every layout.
        corporation_id: whose message it is (for the staff overview).
        person_id: the tenant the mail is for, when it is a tenant: their choices are
            respected and optional mail carries an unsubscribe link.
        essential: override the catalogue: True sends even when the person switched the kind off.
        holds_secret: override the catalogue: wipe subject and body once sent or failed.
    Returns:
        The queued message, flushed so it has an id; None when the person switched this kind off.
    Raises:
        ValueError: for a kind that is not in the catalogue.
    """
    entry = get_kind(kind)
    essential = entry.essential if essential is None else essential
    holds_secret = entry.holds_secret if holds_secret is None else holds_secret
    if person_id is not None and not essential and not wants_kind(person_id, kind):
        return None
    if language not in current_app.config["LANGUAGES"]:
        language = current_app.config["BABEL_DEFAULT_LOCALE"]
    unsubscribe_url = None
    if person_id is not None and not essential:
        unsubscribe_url = external_url("notify.unsubscribe", token=unsubscribe_token(person_id, kind), lang=language)
    context = _shown(context, language)
    with force_locale(language):
        context = {
            "lang": language,
            "text_dir": text_direction(language),
            "unsubscribe_url": unsubscribe_url,
            "preferences_url": external_url("notify.preferences") if unsubscribe_url else None,
            **context,
        }
        subject = render_template(f"notify/mail/{kind}.subject.txt", **context)
        body_text = render_template(f"notify/mail/{kind}.txt", **context)
        body_html = render_template(f"notify/mail/{kind}.html", **context)
    message = OutboxMessage(
        corporation_id=corporation_id,
        kind=kind,
        to_address=to_address,
        language=language,
        subject=" ".join(subject.split())[:300],
        body_text=_tidy(body_text),
        body_html=body_html,
        holds_secret=holds_secret,
        message_id=new_message_id(),
        unsubscribe_url=unsubscribe_url,
    )
    db.session.add(message)
    db.session.flush()
    return message


def _tidy(text: str) -> str:
    """Plain text without the runs of empty lines that optional template parts leave."""
    return re.sub(r"\n[ \t]*(?:\n[ \t]*)+\n", "\n\n", text).strip("\n") + "\n"


def new_message_id() -> str:
    """A globally unique Message-ID, fixed when the message is queued and reused on every attempt."""
    domain = current_app.config["MAIL_DEFAULT_SENDER"].rpartition("@")[2].strip(">") or "inspraak.local"
    return f"<{uuid.uuid4().hex}@{domain}>"


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute link for mail from BASE_URL; works outside a request (the worker, the CLI)."""
    adapter = current_app.url_map.bind("localhost", script_name="/")
    return current_app.config["BASE_URL"].rstrip("/") + adapter.build(endpoint, values)


def _shown(context: dict[str, Any], language: str) -> dict[str, Any]:
    languages = current_app.config["LANGUAGES"]
    source = context.get("source_language") or current_app.config["BABEL_DEFAULT_LOCALE"]
    result = {}
    for key, value in context.items():
        if isinstance(value, Mapping) and value and all(code in languages for code in value):
            shown = localize(value, source, language)
            value = shown.text
            # The language the text is shown in (the source's when it has no translation), for the HTML to say
            # (``title|isolate(title_lang)``), so that a Dutch title in an Arabic mail is read out in Dutch.
            result.setdefault(f"{key}_lang", shown.lang)
        result[key] = value
    return result


# ---------------------------------------------------------------- staff overview

@dataclass(frozen=True)
class KindCounts:
    kind: str
    label: object
    queued: int
    sending: int
    sent: int
    failed: int


def list_counts(corporation_id: int) -> list[KindCounts]:
    """How many messages of each kind are queued, being sent, sent and failed."""
    rows = db.session.execute(
        sa.select(OutboxMessage.kind, OutboxMessage.status, sa.func.count())
        .where(OutboxMessage.corporation_id == corporation_id)
        .group_by(OutboxMessage.kind, OutboxMessage.status)
    ).all()
    table: dict[str, dict[MessageStatus, int]] = {}
    for kind, status, n in rows:
        table.setdefault(kind, {})[status] = n
    return [
        KindCounts(
            kind=name,
            label=KINDS[name].label if name in KINDS else name,
            **{status.value: table.get(name, {}).get(status, 0) for status in MessageStatus},
        )
        for name in [*KINDS, *sorted(set(table) - set(KINDS))]
        if name in table
    ]


def list_failed(corporation_id: int, *, limit: int = 200) -> list[OutboxMessage]:
    """The failed messages of a corporation, newest first."""
    return list(
        db.session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.corporation_id == corporation_id, OutboxMessage.status == MessageStatus.FAILED)
            .order_by(OutboxMessage.id.desc())
            .limit(limit)
        )
    )


def oldest_waiting(corporation_id: int) -> datetime | None:
    """When the oldest message still waiting to be sent was queued (a stuck worker shows here)."""
    return db.session.scalar(
        sa.select(sa.func.min(OutboxMessage.created_at)).where(
            OutboxMessage.corporation_id == corporation_id,
            OutboxMessage.status.in_([MessageStatus.QUEUED, MessageStatus.SENDING]),
        )
    )


def get_message(corporation_id: int, message_id: int) -> OutboxMessage:
    """A message of a corporation's outbox.

    Raises:
        NotFound: no such message in this corporation.
    """
    row = db.session.scalar(
        sa.select(OutboxMessage).where(OutboxMessage.id == message_id, OutboxMessage.corporation_id == corporation_id)
    )
    if row is None:
        raise NotFound("no such message")
    return row


def resend_failed(row: OutboxMessage, *, actor: Any) -> OutboxMessage:
    """Queue a failed message again for a fresh series of attempts, with the same Message-ID.

    Raises:
        Conflict: the message is not failed (any more), or it held a sign-in or reset link
            that was wiped: the person must ask for a new link.
    """
    lock_for_change(row)  # a second press at the same moment finds it queued already
    if row.status is not MessageStatus.FAILED:
        raise Conflict(str(_("This message is not marked as failed any more.")))
    if row.holds_secret:
        raise Conflict(str(_("This message held a sign-in link that is no longer kept. Ask the person to request a new one.")))
    _requeue(row)
    audit.record("notify.message_resent", actor=actor, corporation_id=row.corporation_id, obj=row, details={"kind": row.kind})
    return row


def resend_all_failed(corporation_id: int, *, actor: Any) -> int:
    """Queue every failed message of a corporation again (not those whose secret was wiped).

    Returns:
        How many messages were queued again.
    """
    rows = db.session.scalars(
        sa.select(OutboxMessage)
        .where(
            OutboxMessage.corporation_id == corporation_id,
            OutboxMessage.status == MessageStatus.FAILED,
            OutboxMessage.holds_secret.is_(False),
        )
        .with_for_update()
    ).all()
    for row in rows:
        _requeue(row)
    if rows:
        audit.record("notify.failed_resent", actor=actor, corporation_id=corporation_id, details={"count": len(rows)})
    return len(rows)


def _requeue(row: OutboxMessage) -> None:
    row.status = MessageStatus.QUEUED
    row.attempts = 0
    row.next_attempt_at = utcnow()
    row.claimed_until = None
    db.session.flush()


# ---------------------------------------------------------------- a person's choices

def wants_kind(person_id: int, kind: str) -> bool:
    """True unless the person switched this kind of mail off (essential kinds are always on)."""
    if get_kind(kind).essential:
        return True
    enabled = db.session.scalar(
        sa.select(NotificationPreference.enabled).where(
            NotificationPreference.person_id == person_id, NotificationPreference.kind == kind
        )
    )
    return enabled is not False


def list_preferences(person_id: int) -> dict[str, bool]:
    """For every kind a person may switch off: whether it is on."""
    stored = dict(
        db.session.execute(
            sa.select(NotificationPreference.kind, NotificationPreference.enabled).where(
                NotificationPreference.person_id == person_id
            )
        ).all()
    )
    return {kind.name: stored.get(kind.name, True) for kind in optional_kinds()}


def set_preferences(person_id: int, choices: Mapping[str, bool]) -> None:
    """Save a person's choices per kind; an insert-or-update, so two tabs racing cannot clash.

    Raises:
        ValueError: for an unknown or essential kind.
    """
    for kind, enabled in choices.items():
        if get_kind(kind).essential:
            raise ValueError(f"{kind} cannot be switched off")
        _upsert_preference(person_id, kind, bool(enabled))
    db.session.flush()


def _upsert_preference(person_id: int, kind: str, enabled: bool) -> None:
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(NotificationPreference).values(person_id=person_id, kind=kind, enabled=enabled, updated_at=utcnow())
    db.session.execute(
        stmt.on_conflict_do_update(
            index_elements=["person_id", "kind"], set_={"enabled": enabled, "updated_at": utcnow()}
        )
    )


def unsubscribe_token(person_id: int, kind: str) -> str:
    """A signed token that switches one kind of mail off for one person, without signing in."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT).dumps([person_id, kind])


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """The person and kind of an unsubscribe token.

    Raises:
        NotFound: the token is damaged, was signed with another key, names an essential or
            unknown kind, or the person no longer exists.
    """
    try:
        person_id, kind = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT).loads(token)
        if not isinstance(person_id, int) or get_kind(kind).essential:
            raise ValueError(kind)
    except (BadSignature, ValueError, TypeError):
        raise NotFound("invalid unsubscribe link") from None
    person = sa.table("person", sa.column("id"))
    if db.session.scalar(sa.select(person.c.id).where(person.c.id == person_id)) is None:
        raise NotFound("invalid unsubscribe link")
    return person_id, kind


def unsubscribe(token: str) -> str:
    """Switch off the kind of mail an unsubscribe token names. Returns the kind.

    Raises:
        NotFound: the token does not work (see ``read_unsubscribe_token``).
    """
    person_id, kind = read_unsubscribe_token(token)
    _upsert_preference(person_id, kind, False)
    db.session.flush()
    return kind
