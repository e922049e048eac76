"""Delivery, for the worker: claiming due messages and recording what the mail server answered."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app

from inspraak.core.db import utcnow
from inspraak.extensions import db
from inspraak.notify.models import MessageStatus, OutboxMessage
from inspraak.notify.services import WIPED


@dataclass(frozen=True)
class Claimed:
    """A message claimed for sending: what the worker needs, detached from the session."""

    id: int
    kind: str
    to_address: str
    language: str
    subject: str
    body_text: str
    body_html: str
    message_id: str
    created_at: datetime
    unsubscribe_url: str | None
    attempts: int
    claimed_until: datetime


def claim_due(limit: int, lease: timedelta, *, now: datetime | None = None) -> list[Claimed]:
    """Claim up to ``limit`` due messages for this worker and commit the claim.

    Due are queued messages whose next attempt has come, and messages left ``sending``
    by a worker whose lease ran out (it stopped between sending and recording): those
    go out again with the same Message-ID. On PostgreSQL the rows are locked with
    ``FOR UPDATE SKIP LOCKED``, so workers on several machines never claim the same
    message; on SQLite the claim runs in one ``BEGIN IMMEDIATE`` transaction.
    A message whose worker stopped while it held the last allowed attempt is marked failed.
    """
    now = now or utcnow()
    due = sa.or_(
        sa.and_(OutboxMessage.status == MessageStatus.QUEUED, OutboxMessage.next_attempt_at <= now),
        sa.and_(OutboxMessage.status == MessageStatus.SENDING, OutboxMessage.claimed_until < now),
    )
    stmt = sa.select(OutboxMessage).where(due).order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit)
    if db.session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    max_attempts = current_app.config["MAIL_MAX_ATTEMPTS"]
    claimed = []
    for row in db.session.scalars(stmt):
        if row.status is MessageStatus.SENDING and row.attempts >= max_attempts:
            _finish(row, MessageStatus.FAILED, error="The mail worker stopped while sending, too many times.")
            continue
        row.status = MessageStatus.SENDING
        row.attempts += 1
        row.claimed_until = now + lease
        claimed.append(row)
    db.session.flush()
    result = [
        Claimed(
            id=row.id, kind=row.kind, to_address=row.to_address, language=row.language, subject=row.subject,
            body_text=row.body_text, body_html=row.body_html, message_id=row.message_id, created_at=row.created_at,
            unsubscribe_url=row.unsubscribe_url, attempts=row.attempts, claimed_until=row.claimed_until,
        )
        for row in claimed
    ]
    db.session.commit()
    return result


def record_sent(claim: Claimed, server_response: str) -> bool:
    """Mark a claimed message sent with the server's answer, and commit.

    Returns False when the claim was lost (the lease ran out and another worker took it).
    """
    return _record(claim, MessageStatus.SENT, server_response=server_response, sent_at=utcnow())


def record_failure(claim: Claimed, error: str, *, temporary: bool, server_response: str | None = None) -> bool:
    """Record a failed attempt and commit: retry later after a temporary failure, else mark failed.

    The delay grows with each attempt (``MAIL_RETRY_MINUTES``); after ``MAIL_MAX_ATTEMPTS``
    attempts a temporary failure counts as final.
    Returns False when the claim was lost.
    """
    delays = retry_delays()
    if temporary and claim.attempts < current_app.config["MAIL_MAX_ATTEMPTS"]:
        delay = delays[min(claim.attempts, len(delays)) - 1]
        return _record(
            claim, MessageStatus.QUEUED, last_error=error[:2000], server_response=server_response,
            next_attempt_at=utcnow() + delay,
        )
    return _record(claim, MessageStatus.FAILED, last_error=error[:2000], server_response=server_response)


def release(claims: list[Claimed]) -> None:
    """Give back claimed messages that were not tried (the worker stops or lost its connection); commit."""
    for claim in claims:
        db.session.execute(
            sa.update(OutboxMessage)
            .where(*_still_mine(claim))
            .values(status=MessageStatus.QUEUED, claimed_until=None, attempts=OutboxMessage.attempts - 1)
            .execution_options(synchronize_session=False)
        )
    db.session.commit()


def retry_delays() -> list[timedelta]:
    """The waits before the 2nd, 3rd, … attempt, from MAIL_RETRY_MINUTES ("1,5,15,60,240")."""
    raw = current_app.config["MAIL_RETRY_MINUTES"]
    minutes = [float(part) for part in str(raw).split(",") if part.strip()] if isinstance(raw, str) else list(raw)
    return [timedelta(minutes=m) for m in minutes] or [timedelta(minutes=5)]


def _still_mine(claim: Claimed) -> tuple:
    return (
        OutboxMessage.id == claim.id,
        OutboxMessage.status == MessageStatus.SENDING,
        OutboxMessage.claimed_until == claim.claimed_until,
    )


def _record(claim: Claimed, status: MessageStatus, **values: Any) -> bool:
    """One UPDATE that only matches while the claim is still ours, then commit."""
    values = {"status": status, "claimed_until": None, **values}
    if status in (MessageStatus.SENT, MessageStatus.FAILED):
        for column in ("subject", "body_text", "body_html"):
            values[column] = sa.case((OutboxMessage.holds_secret, WIPED), else_=getattr(OutboxMessage, column))
    if db.session.get_bind().dialect.name == "postgresql":
        # Do not wait for the disk: if the database loses this record in a crash, the claim's
        # lease runs out and the mail goes again with the same Message-ID, as after a worker crash.
        db.session.execute(sa.text("SET LOCAL synchronous_commit = off"))
    result = db.session.execute(
        sa.update(OutboxMessage)
        .where(*_still_mine(claim))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def _finish(row: OutboxMessage, status: MessageStatus, *, error: str | None = None, **values: Any) -> None:
    row.status = status
    row.claimed_until = None
    if error is not None:
        values["last_error"] = error
    for key, value in values.items():
        setattr(row, key, value)
    if row.holds_secret and status in (MessageStatus.SENT, MessageStatus.FAILED):
        row.subject = row.body_text = row.body_html = WIPED
