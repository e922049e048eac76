"""Outbox messages and each person's choice of which mail they want."""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from inspraak.core.db import UTCDateTime, enum_column, utcnow
from inspraak.extensions import db


class MessageStatus(enum.Enum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(db.Model):
    """One mail, rendered in the recipient's language when it was queued."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    corporation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("corporation.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(40), nullable=False)
    to_address: Mapped[str] = mapped_column(sa.String(254), nullable=False)
    language: Mapped[str] = mapped_column(sa.String(10), nullable=False)
    subject: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    body_text: Mapped[str] = mapped_column(sa.Text, nullable=False)
    body_html: Mapped[str] = mapped_column(sa.Text, nullable=False)
    # The body holds a secret (a sign-in link); it is wiped once the message is sent or failed.
    holds_secret: Mapped[bool] = mapped_column(nullable=False, default=False)
    message_id: Mapped[str] = mapped_column(sa.String(200), nullable=False, unique=True)
    status: Mapped[MessageStatus] = mapped_column(
        enum_column(MessageStatus, "status"), nullable=False, default=MessageStatus.QUEUED
    )
    attempts: Mapped[int] = mapped_column(nullable=False, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    # What the mail server answered last (for a sent message: "250 2.0.0 Ok: queued as …").
    server_response: Mapped[str | None] = mapped_column(sa.Text)
    # For mail a person may switch off: the one-click unsubscribe address (List-Unsubscribe).
    unsubscribe_url: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (sa.Index("ix_outbox_message_due", "status", "next_attempt_at"),)


class NotificationPreference(db.Model):
    """A person's choice for one kind of mail; no row means the kind is on."""

    __tablename__ = "notification_preference"

    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    enabled: Mapped[bool] = mapped_column(nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)
