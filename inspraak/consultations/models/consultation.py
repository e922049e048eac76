"""The consultation itself: its kind, audience, counting unit, privacy mode and life cycle, and its documents."""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspraak.core.db import JSONType, TimestampMixin, UTCDateTime, enum_column, utcnow
from inspraak.core.errors import InvalidTransition
from inspraak.extensions import db

if TYPE_CHECKING:
    from inspraak.consultations.models.questions import Question, Section


class ConsultationKind(enum.Enum):
    SURVEY = "survey"
    SUPPORT_MEASUREMENT = "support_measurement"


class AudienceScope(enum.Enum):
    CORPORATION = "corporation"
    NEIGHBOURHOODS = "neighbourhoods"
    COMPLEXES = "complexes"


class CountingUnit(enum.Enum):
    PERSON = "person"
    DWELLING = "dwelling"


class PrivacyMode(enum.Enum):
    ANONYMOUS = "anonymous"
    CONFIDENTIAL = "confidential"
    NAMED = "named"


class ConsultationStatus(enum.Enum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class QuestionType(enum.Enum):
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    SCALE = "scale"
    SCORE = "score"  # 0–10
    YES_NO = "yes_no"
    AGREEMENT = "agreement"  # agree / do not agree (support measurement)
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    NUMBER = "number"
    RANKING = "ranking"
    MATRIX = "matrix"


class Breakdown(enum.Enum):
    """Which place is stored with each response so results can be shown per area."""

    NONE = "none"
    NEIGHBOURHOOD = "neighbourhood"
    COMPLEX = "complex"  # neighbourhood and complex


class Channel(enum.Enum):
    ONLINE = "online"
    PAPER = "paper"
    ASSISTED = "assisted"


consultation_neighbourhood = sa.Table(
    "consultation_neighbourhood",
    db.metadata,
    sa.Column("consultation_id", sa.ForeignKey("consultation.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("neighbourhood_id", sa.ForeignKey("neighbourhood.id", ondelete="CASCADE"), primary_key=True),
)

consultation_complex = sa.Table(
    "consultation_complex",
    db.metadata,
    sa.Column("consultation_id", sa.ForeignKey("consultation.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("complex_id", sa.ForeignKey("complex.id", ondelete="CASCADE"), primary_key=True),
)

_TRANSITIONS = {
    ConsultationStatus.DRAFT: {ConsultationStatus.OPEN},
    ConsultationStatus.OPEN: {ConsultationStatus.CLOSED},
    # Back to open only through reopen(): once, and never after publication.
    ConsultationStatus.CLOSED: {ConsultationStatus.OPEN, ConsultationStatus.PUBLISHED, ConsultationStatus.ARCHIVED},
    ConsultationStatus.PUBLISHED: {ConsultationStatus.ARCHIVED},
    ConsultationStatus.ARCHIVED: set(),
}


class Consultation(TimestampMixin, db.Model):
    """A survey or support measurement, written in several languages, for a frozen audience."""

    __tablename__ = "consultation"

    id: Mapped[int] = mapped_column(primary_key=True)
    corporation_id: Mapped[int] = mapped_column(sa.ForeignKey("corporation.id"), nullable=False, index=True)
    kind: Mapped[ConsultationKind] = mapped_column(
        enum_column(ConsultationKind, "kind"), nullable=False, default=ConsultationKind.SURVEY
    )
    source_language: Mapped[str] = mapped_column(sa.String(10), nullable=False, default="nl")
    title: Mapped[dict[str, str]] = mapped_column(JSONType, nullable=False, default=dict)
    intro: Mapped[dict[str, str]] = mapped_column(JSONType, nullable=False, default=dict)
    outro: Mapped[dict[str, str]] = mapped_column(JSONType, nullable=False, default=dict)
    # Support measurement: the proposal in words, a link, and uploaded documents (Document).
    proposal: Mapped[dict[str, str]] = mapped_column(JSONType, nullable=False, default=dict)
    proposal_url: Mapped[str] = mapped_column(sa.String(500), nullable=False, default="")
    audience_scope: Mapped[AudienceScope] = mapped_column(
        enum_column(AudienceScope, "audience_scope"), nullable=False, default=AudienceScope.CORPORATION
    )
    counting_unit: Mapped[CountingUnit] = mapped_column(
        enum_column(CountingUnit, "counting_unit"), nullable=False, default=CountingUnit.PERSON
    )
    privacy_mode: Mapped[PrivacyMode] = mapped_column(
        enum_column(PrivacyMode, "privacy_mode"), nullable=False, default=PrivacyMode.ANONYMOUS
    )
    # Chosen while a draft (locked once open): the place recorded with each response.
    breakdown: Mapped[Breakdown] = mapped_column(
        enum_column(Breakdown, "breakdown"), nullable=False, default=Breakdown.NONE, server_default=Breakdown.NONE.value
    )
    status: Mapped[ConsultationStatus] = mapped_column(
        enum_column(ConsultationStatus, "status"), nullable=False, default=ConsultationStatus.DRAFT, index=True
    )
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    results_expected_on: Mapped[date | None] = mapped_column(sa.Date)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A closed consultation may be opened again once, before publication.
    reopened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when the raw answers and personal codes were removed, a set time after publishing (results.retention).
    responses_removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The counts staff pages showed, kept when the answers went: {"rate": {...}, "support": {...}} (no one in them).
    kept_counts: Mapped[dict | None] = mapped_column(JSONType)
    # Set by the first stored response: questions and choices are locked from then on.
    first_response_on: Mapped[date | None] = mapped_column(sa.Date)
    # Frozen at opening for support measurements: every dwelling of the complex counts.
    total_units: Mapped[int | None]

    sections: Mapped[list[Section]] = relationship(
        back_populates="consultation", order_by="Section.position", cascade="all, delete-orphan"
    )
    questions: Mapped[list[Question]] = relationship(
        back_populates="consultation", order_by="Question.position", cascade="all, delete-orphan"
    )
    documents: Mapped[list[Document]] = relationship(
        back_populates="consultation", order_by="Document.id", cascade="all, delete-orphan"
    )
    # In the order staff find them in (by name, by number), whatever order the database returns them in.
    neighbourhoods = relationship("Neighbourhood", secondary=consultation_neighbourhood,
                                  order_by="[Neighbourhood.name, Neighbourhood.id]")
    complexes = relationship("Complex", secondary=consultation_complex, order_by="[Complex.number, Complex.id]")

    __table_args__ = (
        sa.CheckConstraint("closes_at IS NULL OR opens_at IS NULL OR closes_at > opens_at", name="closes_after_opens"),
    )

    # ------------------------------------------------------------ life cycle

    def _move(self, target: ConsultationStatus) -> None:
        if target not in _TRANSITIONS[self.status]:
            raise InvalidTransition(f"{self.status.value} → {target.value}")
        self.status = target

    def open(self, now: datetime) -> None:
        """Draft → open; the audience is frozen by the service that calls this."""
        self._move(ConsultationStatus.OPEN)
        self.opened_at = now
        if self.opens_at is None:  # a later opening time stays: answers are taken from then on
            self.opens_at = now

    def close(self, now: datetime) -> None:
        """Open → closed; no answer is stored after this."""
        self._move(ConsultationStatus.CLOSED)
        self.closed_at = now
        if self.closes_at is None or self.closes_at > now:
            self.closes_at = now

    def move_closing(self, now: datetime, closes_at: datetime) -> None:
        """A new closing time for an open consultation, later or earlier, but after now."""
        if self.status is not ConsultationStatus.OPEN:
            raise InvalidTransition(f"{self.status.value}: the closing time only moves while open")
        if closes_at <= now or (self.opens_at is not None and closes_at <= self.opens_at):
            raise ValueError("the closing time must lie after now and after the opening time")
        self.closes_at = closes_at

    @property
    def may_reopen(self) -> bool:
        return self.status is ConsultationStatus.CLOSED and self.reopened_at is None

    def reopen(self, now: datetime, closes_at: datetime) -> None:
        """Closed → open again, once, with a new closing time after now."""
        if not self.may_reopen:
            raise InvalidTransition(f"{self.status.value} → open")
        if closes_at <= now:
            raise ValueError("the closing time must lie after now")
        self._move(ConsultationStatus.OPEN)
        self.reopened_at = now
        self.closed_at = None
        self.closes_at = closes_at

    def publish(self) -> None:
        self._move(ConsultationStatus.PUBLISHED)

    def archive(self) -> None:
        self._move(ConsultationStatus.ARCHIVED)

    def is_accepting(self, now: datetime) -> bool:
        """True while answers may be stored: open, and inside the opening hours the server keeps."""
        return (
            self.status is ConsultationStatus.OPEN
            and (self.opens_at is None or self.opens_at <= now)
            and (self.closes_at is None or now < self.closes_at)
        )

    @property
    def is_draft(self) -> bool:
        return self.status is ConsultationStatus.DRAFT

    @property
    def structure_locked(self) -> bool:
        """Questions and choices cannot change once someone has answered."""
        return self.first_response_on is not None

    @property
    def documents_changeable(self) -> bool:
        """Proposal documents are what dwellings answer on: fixed once closed or once one has answered."""
        return self.status in (ConsultationStatus.DRAFT, ConsultationStatus.OPEN) and not self.structure_locked

    @property
    def is_support_measurement(self) -> bool:
        return self.kind is ConsultationKind.SUPPORT_MEASUREMENT

    @property
    def is_anonymous(self) -> bool:
        return self.privacy_mode is PrivacyMode.ANONYMOUS

    @property
    def records_place(self) -> bool:
        return self.breakdown is not Breakdown.NONE

    @property
    def answers_changeable(self) -> bool:
        """Named and confidential responses may be changed until closing; anonymous ones are final."""
        return not self.is_anonymous


class Document(db.Model):
    """A proposal document (PDF) of a support measurement, shown to those invited; stored through core.files."""

    __tablename__ = "consultation_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation.id", ondelete="CASCADE"), nullable=False, index=True
    )
    stored_name: Mapped[str] = mapped_column(sa.String(80), nullable=False, unique=True)
    original_name: Mapped[str] = mapped_column(sa.String(255), nullable=False)
    content_type: Mapped[str] = mapped_column(sa.String(120), nullable=False)
    size: Mapped[int] = mapped_column(nullable=False)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    consultation: Mapped[Consultation] = relationship(back_populates="documents")

