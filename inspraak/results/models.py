"""Publications (frozen snapshots), planned actions ("you said, we did") and chosen quotes."""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from inspraak.core.db import JSONType, TimestampMixin, UTCDateTime, enum_column, utcnow
from inspraak.extensions import db


class Publication(db.Model):
    """One published version of a consultation's results.

    ``snapshot`` holds every published number after small-group suppression, the
    question texts and the chosen quotes as they were at publishing; it never changes.
    A correction is a new version with a ``correction_note``. Only translations may be
    added to ``summary`` and ``correction_note`` later: their source-language text stays.
    """

    __tablename__ = "results_publication"

    id: Mapped[int] = mapped_column(primary_key=True)
    corporation_id: Mapped[int] = mapped_column(sa.ForeignKey("corporation.id"), nullable=False, index=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation.id", ondelete="CASCADE"), nullable=False, index=True
    )
    version: Mapped[int] = mapped_column(nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id", ondelete="SET NULL"))
    # Loaded only when read: pages that list versions or check that one exists need no numbers.
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSONType, nullable=False, deferred=True)
    source_language: Mapped[str] = mapped_column(sa.String(10), nullable=False, default="nl")
    summary: Mapped[dict[str, str]] = mapped_column(JSONType, nullable=False, default=dict)
    correction_note: Mapped[dict[str, str]] = mapped_column(JSONType, nullable=False, default=dict)

    __table_args__ = (sa.UniqueConstraint("consultation_id", "version"),)


class OutcomeStatus(enum.Enum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    WITHDRAWN = "withdrawn"  # not going ahead: said openly, with the reason, never silently removed


class Outcome(TimestampMixin, db.Model):
    """A planned action in answer to a consultation; its status is updated as work goes on.

    ``status_changed_at`` dates the last move (planned → in progress → done): "you said, we did".
    An action that will not go ahead is withdrawn, not deleted: ``status_note`` says why
    (per language, like ``text``), and tenants read it beside the action.
    """

    __tablename__ = "results_outcome"

    id: Mapped[int] = mapped_column(primary_key=True)
    corporation_id: Mapped[int] = mapped_column(sa.ForeignKey("corporation.id"), nullable=False, index=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation.id", ondelete="CASCADE"), nullable=False, index=True
    )
    text: Mapped[dict[str, str]] = mapped_column(JSONType, nullable=False, default=dict)
    source_language: Mapped[str] = mapped_column(sa.String(10), nullable=False, default="nl")
    status: Mapped[OutcomeStatus] = mapped_column(
        enum_column(OutcomeStatus, "outcome_status"), nullable=False, default=OutcomeStatus.PLANNED
    )
    due_on: Mapped[date | None] = mapped_column(sa.Date)
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status_note: Mapped[dict[str, str] | None] = mapped_column(JSONType)


class Quote(TimestampMixin, db.Model):
    """A free-text answer chosen and edited by staff; copied into the snapshot when published.

    ``flags`` lists why the edited text may still identify someone (name, phone …);
    a flagged quote is published only after a publisher confirms it (``reviewed_by_id``).
    """

    __tablename__ = "results_quote"

    id: Mapped[int] = mapped_column(primary_key=True)
    corporation_id: Mapped[int] = mapped_column(sa.ForeignKey("corporation.id"), nullable=False, index=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation.id", ondelete="CASCADE"), nullable=False, index=True
    )
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation_question.id", ondelete="CASCADE"), nullable=False
    )
    text: Mapped[dict[str, str]] = mapped_column(JSONType, nullable=False, default=dict)
    source_language: Mapped[str] = mapped_column(sa.String(10), nullable=False, default="nl")
    flags: Mapped[list[str]] = mapped_column(JSONType, nullable=False, default=list)
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id", ondelete="SET NULL"))

    @property
    def needs_review(self) -> bool:
        return bool(self.flags) and self.reviewed_by_id is None
