"""Server-side sign-in sessions, letter codes and one-time email tokens (all stored hashed)."""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspraak.core.db import UTCDateTime, enum_column, utcnow
from inspraak.extensions import db
from inspraak.people.models import Person, StaffUser

ONE_ACCOUNT = "(staff_user_id IS NULL) <> (person_id IS NULL)"


class SignInSession(db.Model):
    """One sign-in on one browser; revoking it signs that browser out on its next request."""

    __tablename__ = "sign_in_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_digest: Mapped[str] = mapped_column(sa.String(64), nullable=False, unique=True)
    staff_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("staff_user.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    method: Mapped[str] = mapped_column(sa.String(20), nullable=False)

    staff_user: Mapped[StaffUser | None] = relationship()
    person: Mapped[Person | None] = relationship()

    __table_args__ = (sa.CheckConstraint(ONE_ACCOUNT, name="one_account"),)


class LetterCode(db.Model):
    """A personal sign-in code printed on a letter; usable until it expires or is revoked."""

    __tablename__ = "letter_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"), nullable=False, index=True)
    code_digest: Mapped[str] = mapped_column(sa.String(64), nullable=False, unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    issued_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id", ondelete="SET NULL"))

    person: Mapped[Person] = relationship()

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now


class TokenPurpose(enum.Enum):
    SIGN_IN = "sign_in"
    PASSWORD_RESET = "password_reset"


class EmailToken(db.Model):
    """A single-use link sent by email: a tenant's sign-in link or a staff password reset."""

    __tablename__ = "email_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[TokenPurpose] = mapped_column(enum_column(TokenPurpose, "purpose"), nullable=False)
    token_digest: Mapped[str] = mapped_column(sa.String(64), nullable=False, unique=True)
    staff_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("staff_user.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    staff_user: Mapped[StaffUser | None] = relationship()
    person: Mapped[Person | None] = relationship()

    __table_args__ = (sa.CheckConstraint(ONE_ACCOUNT, name="one_account"),)
