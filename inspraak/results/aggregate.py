"""Aggregation in SQL: every number of a consultation's results from one GROUP BY pass (and turnout).

Responses are never loaded as Python objects: the database returns (question, value,
count) rows and :mod:`inspraak.results.aggregate_rules` does the arithmetic on them.

Breakdowns per neighbourhood or complex are not computed here. An anonymous response
carries no place (see ``consultations.models``: no unit, person or channel), so a
breakdown of anonymous answers is impossible by design; confidential and named
responses keep their unit key, but breakdowns of those are not built yet.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa

from inspraak.consultations.models import (
    Answer,
    Channel,
    Consultation,
    Invitation,
    Participation,
    Question,
    QuestionType,
)
from inspraak.extensions import db

CHOICE_TYPES = {QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE}
YES_NO_TYPES = {QuestionType.YES_NO, QuestionType.AGREEMENT}
DISTRIBUTION_TYPES = {QuestionType.SCALE, QuestionType.SCORE, QuestionType.NUMBER}
TEXT_TYPES = {QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT}


@dataclass
class QuestionCounts:
    """The grouped answers of one question."""

    question_id: int
    type: QuestionType
    respondents: int = 0
    options: dict[int, int] = field(default_factory=dict)  # option id → respondents who chose it
    distribution: dict[Decimal, int] = field(default_factory=dict)  # value → count (scale, 0–10, number, yes/no)
    positions: dict[int, dict[int, int]] = field(default_factory=dict)  # ranking: option → position → count
    matrix: dict[int, dict[int, int]] = field(default_factory=dict)  # matrix: row → option → count
    matrix_respondents: dict[int, int] = field(default_factory=dict)  # matrix: row → respondents


@dataclass
class Turnout:
    """Who took part: invited units, participations, and participations per channel."""

    invited: int
    participants: int
    channels: dict[Channel, int]


@dataclass
class ConsultationCounts:
    turnout: Turnout
    questions: dict[int, QuestionCounts]


def count_turnout(consultation_id: int) -> Turnout:
    """Invitations and participations (per channel) of one consultation."""
    invited = db.session.scalar(
        sa.select(sa.func.count()).select_from(Invitation).where(Invitation.consultation_id == consultation_id)
    ) or 0
    rows = db.session.execute(
        sa.select(Participation.channel, sa.func.count())
        .where(Participation.consultation_id == consultation_id)
        .group_by(Participation.channel)
    ).all()
    channels = {channel: 0 for channel in Channel}
    for channel, n in rows:
        channels[channel] = n
    return Turnout(invited=invited, participants=sum(channels.values()), channels=channels)


def count_answers(consultation: Consultation) -> dict[int, QuestionCounts]:
    """Every question's grouped answers, in one GROUP BY pass over the answer table.

    A response's answer rows to one question are numbered from 0 (``Answer.item``), so
    the rows with item 0 count the respondents of each question: no COUNT(DISTINCT …)
    and no second scan is needed.
    """
    types = dict(
        db.session.execute(
            sa.select(Question.id, Question.type).where(Question.consultation_id == consultation.id)
        ).all()
    )
    result = {qid: QuestionCounts(qid, qtype) for qid, qtype in types.items()}
    if not result:
        return result
    first_items = sa.func.count(sa.case((Answer.item == 0, 1)))
    groups = db.session.execute(
        sa.select(Answer.question_id, Answer.row_id, Answer.option_id, Answer.rank, Answer.number,
                  sa.func.count(), first_items)
        .where(Answer.question_id.in_(sa.select(Question.id).where(Question.consultation_id == consultation.id)))
        .group_by(Answer.question_id, Answer.row_id, Answer.option_id, Answer.rank, Answer.number)
    )
    for qid, row_id, option_id, rank, number, n, respondents in groups:
        counts = result[qid]
        counts.respondents += respondents
        if option_id is not None:
            if counts.type is QuestionType.MATRIX:
                by_option = counts.matrix.setdefault(row_id, {})
                by_option[option_id] = by_option.get(option_id, 0) + n
            elif counts.type is QuestionType.RANKING:
                by_rank = counts.positions.setdefault(option_id, {})
                by_rank[rank] = by_rank.get(rank, 0) + n
            else:
                counts.options[option_id] = counts.options.get(option_id, 0) + n
        if number is not None:
            value = Decimal(number).normalize() if not isinstance(number, Decimal) else number.normalize()
            counts.distribution[value] = counts.distribution.get(value, 0) + n

    for counts in result.values():
        if counts.type is QuestionType.MATRIX:
            counts.matrix_respondents = {row: sum(by_option.values()) for row, by_option in counts.matrix.items()}
    return result


def count_consultation(consultation: Consultation) -> ConsultationCounts:
    """Turnout and every question's grouped answers."""
    return ConsultationCounts(turnout=count_turnout(consultation.id), questions=count_answers(consultation))


def text_answers(question_id: int, limit: int = 500) -> list[tuple[str, int, str]]:
    """Free-text answers of one question (response id, item, text), for staff review only."""
    rows = db.session.execute(
        sa.select(Answer.response_id, Answer.item, Answer.text)
        .where(Answer.question_id == question_id, Answer.text.is_not(None), Answer.text != "")
        .order_by(Answer.response_id, Answer.item)
        .limit(limit)
    )
    return [(r, i, t) for r, i, t in rows]
