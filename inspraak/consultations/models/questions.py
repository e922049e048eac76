"""A consultation's pages, questions, choices and matrix rows."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspraak.consultations.models.consultation import Consultation, Document, QuestionType
from inspraak.core.db import JSONType, enum_column, utcnow
from inspraak.extensions import db


class Section(db.Model):
    """A page of the consultation."""

    __tablename__ = "consultation_section"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position: Mapped[int] = mapped_column(nullable=False)
    title: Mapped[dict[str, str]] = mapped_column(JSONType, nullable=False, default=dict)
    condition: Mapped[dict[str, Any] | None] = mapped_column(JSONType)

    consultation: Mapped[Consultation] = relationship(back_populates="sections")
    questions: Mapped[list[Question]] = relationship(
        back_populates="section", order_by="Question.position"
    )


class Question(db.Model):
    """One question; its settings hold the type's limits and labels."""

    __tablename__ = "consultation_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation.id", ondelete="CASCADE"), nullable=False, index=True
    )
    section_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation_section.id", ondelete="CASCADE"), nullable=False, index=True
    )
    # Position in the whole consultation (sections keep their questions in this order).
    position: Mapped[int] = mapped_column(nullable=False)
    type: Mapped[QuestionType] = mapped_column(enum_column(QuestionType, "question_type"), nullable=False)
    required: Mapped[bool] = mapped_column(nullable=False, default=False)
    text: Mapped[dict[str, str]] = mapped_column(JSONType, nullable=False, default=dict)
    help: Mapped[dict[str, str]] = mapped_column(JSONType, nullable=False, default=dict)
    # min, max, decimals, max_length, min_label/max_label ({lang: text})
    settings: Mapped[dict[str, Any]] = mapped_column(JSONType, nullable=False, default=dict)
    condition: Mapped[dict[str, Any] | None] = mapped_column(JSONType)

    consultation: Mapped[Consultation] = relationship(back_populates="questions")
    section: Mapped[Section] = relationship(back_populates="questions")
    options: Mapped[list[Option]] = relationship(
        back_populates="question", order_by="Option.position", cascade="all, delete-orphan"
    )
    rows: Mapped[list[MatrixRow]] = relationship(
        back_populates="question", order_by="MatrixRow.position", cascade="all, delete-orphan"
    )


class Option(db.Model):
    """A choice of a choice or ranking question, or a column of a matrix."""

    __tablename__ = "consultation_option"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation_question.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position: Mapped[int] = mapped_column(nullable=False)
    label: Mapped[dict[str, str]] = mapped_column(JSONType, nullable=False, default=dict)
    is_other: Mapped[bool] = mapped_column(nullable=False, default=False)

    question: Mapped[Question] = relationship(back_populates="options")


class MatrixRow(db.Model):
    """A row of a matrix question; every row shares the question's options as its scale."""

    __tablename__ = "consultation_matrix_row"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation_question.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position: Mapped[int] = mapped_column(nullable=False)
    label: Mapped[dict[str, str]] = mapped_column(JSONType, nullable=False, default=dict)

    question: Mapped[Question] = relationship(back_populates="rows")


# A change to a page, question, choice, matrix row or document also moves its consultation's updated_at:
# that stamp is the key of the tenant-side cache (inspraak/consultations/cache.py).
@sa.event.listens_for(sa.orm.Session, "before_flush")
def _touch_consultations(session: sa.orm.Session, _context: Any, _instances: Any) -> None:
    touched: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, (Option, MatrixRow)):
            obj = obj.question if obj.question is not None else session.get(Question, obj.question_id)
        if isinstance(obj, (Section, Question, Document)) and obj is not None:
            consultation_id = obj.consultation_id or (obj.consultation.id if obj.consultation is not None else None)
            if consultation_id is not None:
                touched.add(consultation_id)
    now = utcnow()
    for consultation_id in touched:
        consultation = session.get(Consultation, consultation_id)
        if consultation is not None and consultation not in session.deleted:
            consultation.updated_at = now
