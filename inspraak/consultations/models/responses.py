"""Who was invited, who took part, and what was answered.

Anonymity by design: in anonymous mode a Response carries no person, code, session or
time finer than a day. Who took part lives in Participation (unique per consultation and
counting unit, so the database refuses a second response), inserted in the same
transaction as the Response but with nothing in common: responses have random UUID keys
and their answer rows are keyed by that UUID, and on SQLite both tables are created
WITHOUT ROWID so that not even the storage order follows the insertion order.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspraak.consultations.models.consultation import Channel, Consultation
from inspraak.core.db import JSONType, UTCDateTime, enum_column, utcnow
from inspraak.extensions import db


class Invitation(db.Model):
    """One person or dwelling of the audience, frozen when the consultation opened.

    The personal code is derived from the secret key and the invitation's salt, so letters
    can be printed in batches later; the database keeps only its digest.
    """

    __tablename__ = "consultation_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation.id", ondelete="CASCADE"), nullable=False
    )
    unit_key: Mapped[str] = mapped_column(sa.String(30), nullable=False)
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"), index=True)
    dwelling_id: Mapped[int | None] = mapped_column(sa.ForeignKey("dwelling.id", ondelete="CASCADE"), index=True)
    # Both None once the codes were removed (results.retention): the invitation itself stays (who was asked).
    code_salt: Mapped[str | None] = mapped_column(sa.String(32))
    code_digest: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    # 1 for the code of the first letter; each reissue of a lost code adds one (and a new salt).
    code_generation: Mapped[int] = mapped_column(nullable=False, default=1, server_default="1")
    code_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    consultation: Mapped[Consultation] = relationship()
    person = relationship("Person")
    dwelling = relationship("Dwelling")

    __table_args__ = (
        sa.UniqueConstraint("consultation_id", "unit_key"),
        sa.CheckConstraint("(person_id IS NULL) <> (dwelling_id IS NULL)", name="one_unit"),
    )


class Participation(db.Model):
    """Who took part (never what they answered): one row per consultation and counting unit."""

    __tablename__ = "consultation_participation"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation.id", ondelete="CASCADE"), nullable=False
    )
    unit_key: Mapped[str] = mapped_column(sa.String(30), nullable=False)
    channel: Mapped[Channel] = mapped_column(enum_column(Channel, "channel"), nullable=False)
    taken_part_on: Mapped[date] = mapped_column(sa.Date, nullable=False)

    __table_args__ = (sa.UniqueConstraint("consultation_id", "unit_key"),)


def new_response_id() -> str:
    """A random id: responses are stored in id order, which says nothing about who or when."""
    return uuid.uuid4().hex


class Response(db.Model):
    """What was answered. Anonymous: no unit, person, channel, or time finer than the day.

    With a breakdown chosen, the respondent's neighbourhood (and complex) at submit time:
    coarse places, used only by the suppressed aggregates of an anonymous consultation.
    """

    __tablename__ = "consultation_response"

    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True, default=new_response_id)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation.id", ondelete="CASCADE"), nullable=False, index=True
    )
    submitted_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    # Only for confidential and named consultations:
    unit_key: Mapped[str | None] = mapped_column(sa.String(30))
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id", ondelete="SET NULL"))
    channel: Mapped[Channel | None] = mapped_column(enum_column(Channel, "channel"))
    changed_on: Mapped[date | None] = mapped_column(sa.Date)
    neighbourhood_id: Mapped[int | None] = mapped_column(sa.ForeignKey("neighbourhood.id", ondelete="SET NULL"))
    complex_id: Mapped[int | None] = mapped_column(sa.ForeignKey("complex.id", ondelete="SET NULL"))

    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan", order_by="Answer.question_id"
    )

    __table_args__ = (
        sa.UniqueConstraint("consultation_id", "unit_key"),
        {"sqlite_with_rowid": False},
    )


class Answer(db.Model):
    """One stored value of a response: a choice, a number, a text, a rank or a matrix cell."""

    __tablename__ = "consultation_answer"

    response_id: Mapped[str] = mapped_column(
        sa.ForeignKey("consultation_response.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation_question.id", ondelete="CASCADE"), primary_key=True
    )
    item: Mapped[int] = mapped_column(primary_key=True, default=0)  # several rows per question
    option_id: Mapped[int | None] = mapped_column(sa.ForeignKey("consultation_option.id", ondelete="CASCADE"))
    row_id: Mapped[int | None] = mapped_column(sa.ForeignKey("consultation_matrix_row.id", ondelete="CASCADE"))
    number: Mapped[Any | None] = mapped_column(sa.Numeric(18, 6))
    text: Mapped[str | None] = mapped_column(sa.Text)
    rank: Mapped[int | None]

    response: Mapped[Response] = relationship(back_populates="answers")

    __table_args__ = (
        # Counting results reads only these columns, grouped in this order: the index covers that query
        # (no lookups in the table, no sort for the GROUP BY), and serves every lookup by question.
        sa.Index("ix_consultation_answer_tally", "question_id", "row_id", "option_id", "rank", "number", "item"),
        {"sqlite_with_rowid": False},
    )


class Draft(db.Model):
    """Answers saved to continue later; belongs to one person, deleted on submit."""

    __tablename__ = "consultation_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation.id", ondelete="CASCADE"), nullable=False
    )
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"), nullable=False, index=True)
    answers: Mapped[dict[str, Any]] = mapped_column(JSONType, nullable=False, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False)

    __table_args__ = (sa.UniqueConstraint("consultation_id", "person_id"),)
