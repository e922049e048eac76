"""Aggregation in SQL: every number of a consultation's results from one GROUP BY pass (and turnout).

Responses are never loaded as Python objects: the database returns (question, value,
count) rows and :mod:`inspraak.results.aggregate_rules` does the arithmetic on them.

Breakdowns per neighbourhood or complex (:func:`count_by_place`) group by the place a
response recorded when staff chose a breakdown (``Consultation.breakdown``): a coarse
place, never a person, for every privacy mode. The counts here are raw; only the
suppressed tables built from them (``services.protected_results``) leave the staff area.
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable
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
    Response,
)
from inspraak.extensions import db
from inspraak.people.models import Complex, Dwelling, Neighbourhood, Person, Tenancy

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


# ---------------------------------------------------------------- breakdowns per place

Place = tuple[int | None, int | None]  # (neighbourhood id, complex id); (None, None): no place recorded


@dataclass
class PlaceCounts:
    """The grouped answers of one question per place: respondents, and counts per option or value."""

    respondents: dict[Place, int] = field(default_factory=dict)
    values: dict[Place, dict[int | Decimal, int]] = field(default_factory=dict)  # option id or number → count


@dataclass(frozen=True)
class PlaceName:
    neighbourhood_id: int
    neighbourhood: str
    complex_id: int | None = None
    complex: str = ""


def count_by_place(question_ids: list[int], multiple: Iterable[int] = ()) -> dict[Hashable, PlaceCounts]:
    """Answers of the given questions per recorded place, in one GROUP BY query (two with ``multiple``).

    Keyed by question id, and by (question id, row id) for each row of a matrix. A ranking
    counts first choices only (rank 1): its per-place table is "chosen first". Every
    respondent of a question leaves exactly one counted row (one option, one number, one
    first choice, one option per matrix row), so the respondents per place are the sum of
    the counts; only the ``multiple`` (choice) questions, with several rows per respondent,
    need their respondents counted apart (COUNT DISTINCT, as costly as the main query).
    """
    result: dict[Hashable, PlaceCounts] = {qid: PlaceCounts() for qid in question_ids}
    if not question_ids:
        return result
    place = (Response.neighbourhood_id, Response.complex_id)
    multiple = [qid for qid in multiple if qid in result]
    for qid, row_id, hood, complex_id, option_id, number, n in db.session.execute(
        sa.select(Answer.question_id, Answer.row_id, *place, Answer.option_id, Answer.number, sa.func.count())
        .join(Response, Response.id == Answer.response_id)
        .where(Answer.question_id.in_(question_ids), sa.or_(Answer.option_id.is_not(None), Answer.number.is_not(None)),
               sa.or_(Answer.rank.is_(None), Answer.rank == 1))
        .group_by(Answer.question_id, Answer.row_id, *place, Answer.option_id, Answer.number)
    ):
        key = option_id if option_id is not None else Decimal(number).normalize()
        counts = result.setdefault(qid if row_id is None else (qid, row_id), PlaceCounts())
        values = counts.values.setdefault((hood, complex_id), {})
        values[key] = values.get(key, 0) + n
        if qid not in multiple:
            counts.respondents[(hood, complex_id)] = counts.respondents.get((hood, complex_id), 0) + n
    if multiple:
        for qid, hood, complex_id, n in db.session.execute(
            sa.select(Answer.question_id, *place, sa.func.count(sa.distinct(Answer.response_id)))
            .join(Response, Response.id == Answer.response_id)
            .where(Answer.question_id.in_(multiple))
            .group_by(Answer.question_id, *place)
        ):
            result[qid].respondents[(hood, complex_id)] = n
    return result


def list_places(consultation: Consultation) -> list[PlaceName]:
    """Every complex (with its neighbourhood) of the invited dwellings or of a recorded response.

    Places of the whole audience are listed, not only those that answered, so that a place
    missing from a published table does not tell readers that nobody there answered.
    """
    invited = (
        sa.select(Dwelling.complex_id)
        .select_from(Invitation)
        .outerjoin(Person, Invitation.person_id == Person.id)
        .outerjoin(Tenancy, Person.tenancy_id == Tenancy.id)
        .join(Dwelling, Dwelling.id == sa.func.coalesce(Invitation.dwelling_id, Tenancy.dwelling_id))
        .where(Invitation.consultation_id == consultation.id, Dwelling.complex_id.is_not(None))
    )
    answered = sa.select(Response.complex_id).where(
        Response.consultation_id == consultation.id, Response.complex_id.is_not(None))
    answered_hoods = sa.select(Response.neighbourhood_id).where(  # breakdown per neighbourhood only
        Response.consultation_id == consultation.id, Response.complex_id.is_(None),
        Response.neighbourhood_id.is_not(None))
    rows = db.session.execute(
        sa.select(Neighbourhood.id, Neighbourhood.name, Complex.id, Complex.number, Complex.name)
        .join(Complex, Complex.neighbourhood_id == Neighbourhood.id)
        .where(Neighbourhood.corporation_id == consultation.corporation_id,
               sa.or_(Complex.id.in_(invited), Complex.id.in_(answered), Neighbourhood.id.in_(answered_hoods)))
        .order_by(Neighbourhood.name, Neighbourhood.id, Complex.number, Complex.id)
    )
    return [PlaceName(hood_id, hood, complex_id, f"{number} {name}".strip())
            for hood_id, hood, complex_id, number, name in rows]
