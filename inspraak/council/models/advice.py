"""Advice requests under the Overlegwet (art. 5) with their timeline."""
from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspraak.core.db import JSONType, TimestampMixin, UTCDateTime, enum_column, utcnow
from inspraak.council.deadlines import AdviceState
from inspraak.council.models.councils import Council
from inspraak.council.models.meetings import Attachment, Meeting
from inspraak.council.models.motions import Motion
from inspraak.extensions import db


class Subject(enum.Enum):
    """The subjects of art. 3 Overlegwet, and other."""

    MAINTENANCE = "maintenance"
    DEMOLITION_RENOVATION_SALE = "demolition_renovation_sale"
    ALLOCATION = "allocation"
    RENTAL_TERMS = "rental_terms"
    RENT_POLICY = "rent_policy"
    SERVICE_COSTS = "service_costs"
    MERGER = "merger"
    LIVEABILITY = "liveability"
    HOUSING_FOR_CARE = "housing_for_care"
    COMPLAINTS = "complaints"
    PERFORMANCE_AGREEMENTS = "performance_agreements"
    OTHER = "other"


class RequestKind(enum.Enum):
    INFORMATION = "information"
    ADVICE = "advice"
    CONSENT = "consent"  # tenant organisation only, service costs only (art. 5a)


class AdviceStatus(enum.Enum):
    RECEIVED = "received"
    ADVICE_GIVEN = "advice_given"
    ANSWERED = "answered"


class Follows(enum.Enum):
    FULLY = "fully"
    PARTLY = "partly"
    NOT = "not"


class AdviceRequest(TimestampMixin, db.Model):
    """A written request from the corporation to a council, and everything that follows from it."""

    __tablename__ = "council_advice_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    corporation_id: Mapped[int] = mapped_column(sa.ForeignKey("corporation.id"), nullable=False, index=True)
    council_id: Mapped[int] = mapped_column(sa.ForeignKey("council.id", ondelete="CASCADE"), nullable=False, index=True)
    subject: Mapped[Subject] = mapped_column(enum_column(Subject, "subject"), nullable=False)
    subject_other: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")
    kind: Mapped[RequestKind] = mapped_column(enum_column(RequestKind, "request_kind"), nullable=False)
    title: Mapped[dict[str, str]] = mapped_column(JSONType, nullable=False, default=dict)
    body: Mapped[dict[str, str]] = mapped_column(JSONType, nullable=False, default=dict)
    source_language: Mapped[str] = mapped_column(sa.String(10), nullable=False, default="nl")
    received_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    period_days: Mapped[int] = mapped_column(nullable=False)
    deadline: Mapped[date] = mapped_column(sa.Date, nullable=False)
    status: Mapped[AdviceStatus] = mapped_column(
        enum_column(AdviceStatus, "advice_status"), nullable=False, default=AdviceStatus.RECEIVED
    )
    sent_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id", ondelete="SET NULL"))

    # The council's side.
    meeting_id: Mapped[int | None] = mapped_column(sa.ForeignKey("council_meeting.id", ondelete="SET NULL"))
    motion_id: Mapped[int | None] = mapped_column(sa.ForeignKey("council_motion.id", ondelete="SET NULL"))
    # A consultation of tenants the council held; a plain id so that consultations stays independent.
    consultation_id: Mapped[int | None] = mapped_column(sa.Integer)
    advice_text: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    # The language each text was written in (a code of config LANGUAGES), for its lang and dir where it is
    # shown; None for texts from before it was recorded.
    advice_language: Mapped[str | None] = mapped_column(sa.String(10))
    advice_sent_on: Mapped[date | None] = mapped_column(sa.Date)
    no_objection_on: Mapped[date | None] = mapped_column(sa.Date)

    # The corporation's side.
    response_text: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    response_language: Mapped[str | None] = mapped_column(sa.String(10))
    responded_on: Mapped[date | None] = mapped_column(sa.Date)
    follows: Mapped[Follows | None] = mapped_column(enum_column(Follows, "follows"))
    reasons_text: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    reasons_language: Mapped[str | None] = mapped_column(sa.String(10))
    reasons_sent_on: Mapped[date | None] = mapped_column(sa.Date)

    council: Mapped[Council] = relationship()
    meeting: Mapped[Meeting | None] = relationship()
    motion: Mapped[Motion | None] = relationship()
    documents: Mapped[list[Attachment]] = relationship(order_by="Attachment.id")

    __table_args__ = (
        sa.CheckConstraint("period_days >= 42", name="period_at_least_six_weeks"),
        sa.CheckConstraint("kind <> 'consent' OR subject = 'service_costs'", name="consent_only_service_costs"),
    )

    @property
    def state(self) -> AdviceState:
        """The dates the deadline rules work on."""
        return AdviceState(
            deadline=self.deadline,
            advice_sent=self.advice_sent_on,
            no_objection=self.no_objection_on,
            follows_fully=None if self.follows is None else self.follows is Follows.FULLY,
            responded=self.responded_on,
            reasons_sent=self.reasons_sent_on,
        )


class ReminderStep(enum.Enum):
    """A step of an advice request that gets one reminder before its deadline."""

    ADVICE_DUE = "advice_due"  # to the council's chair and secretary
    REASONS_DUE = "reasons_due"  # to the staff member who sent the request


class AdviceReminder(db.Model):
    """That the reminder for one step of a request was queued; the unique key makes it happen once."""

    __tablename__ = "council_advice_reminder"
    __table_args__ = (sa.UniqueConstraint("request_id", "step", name="uq_council_advice_reminder_step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        sa.ForeignKey("council_advice_request.id", ondelete="CASCADE"), nullable=False, index=True
    )
    step: Mapped[ReminderStep] = mapped_column(enum_column(ReminderStep, "reminder_step"), nullable=False)
    due_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    recipients: Mapped[int] = mapped_column(nullable=False, default=0)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
