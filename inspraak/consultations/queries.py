"""Reading consultations: loaders, the order of questions, their rules as specs, and what is missing or unready."""
from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from inspraak.consultations.models import Consultation, Question, QuestionType, Section
from inspraak.consultations.validation import QuestionSpec
from inspraak.core.errors import NotFound
from inspraak.core.i18n import missing_languages
from inspraak.extensions import db

CHOICE_TYPES = {QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE, QuestionType.RANKING, QuestionType.MATRIX}


def get_consultation(corporation_id: int, consultation_id: int) -> Consultation:
    """A consultation of this corporation, with its sections, questions and choices loaded.

    Raises:
        NotFound: no such consultation in this corporation.
    """
    consultation = db.session.scalar(
        sa.select(Consultation)
        .options(
            selectinload(Consultation.sections),
            selectinload(Consultation.questions).selectinload(Question.options),
            selectinload(Consultation.questions).selectinload(Question.rows),
        )
        .where(Consultation.id == consultation_id, Consultation.corporation_id == corporation_id)
    )
    if consultation is None:
        raise NotFound(str(_l("This consultation does not exist.")))
    return consultation


def list_consultations(corporation_id: int) -> list[Consultation]:
    return list(
        db.session.scalars(
            sa.select(Consultation)
            .where(Consultation.corporation_id == corporation_id)
            .order_by(Consultation.created_at.desc(), Consultation.id.desc())
        )
    )


def get_question(consultation: Consultation, question_id: int) -> Question:
    for question in consultation.questions:
        if question.id == question_id:
            return question
    raise NotFound(str(_l("This question does not exist.")))


def get_section(consultation: Consultation, section_id: int) -> Section:
    for section in consultation.sections:
        if section.id == section_id:
            return section
    raise NotFound(str(_l("This page does not exist.")))


def ordered_questions(consultation: Consultation) -> list[Question]:
    """Questions in the order a tenant meets them: by section, then by position."""
    known = consultation.__dict__.get("_ordered_questions")  # worked out once for a cached copy (cache.py)
    if known is not None:
        return list(known)
    order = {section.id: n for n, section in enumerate(consultation.sections)}
    return sorted(consultation.questions, key=lambda q: (order.get(q.section_id, 0), q.position))


def spec_of(question: Question) -> QuestionSpec:
    """The question as the pure rules see it."""
    known = question.__dict__.get("_spec")  # worked out once for a cached copy (cache.py)
    if known is not None:
        return known
    return QuestionSpec(
        id=question.id,
        type=question.type.value,
        section_id=question.section_id,
        required=question.required,
        settings=question.settings or {},
        option_ids=tuple(option.id for option in question.options),
        other_option_ids=frozenset(option.id for option in question.options if option.is_other),
        row_ids=tuple(row.id for row in question.rows),
        condition=question.condition,
    )


def specs_of(consultation: Consultation) -> list[QuestionSpec]:
    return [spec_of(q) for q in ordered_questions(consultation)]


def completeness(consultation: Consultation) -> dict[str, list[str]]:
    """Per language, which texts are still missing (as short descriptions for staff)."""
    languages = list(current_app.config["LANGUAGES"])
    missing: dict[str, list[str]] = {lang: [] for lang in languages}

    def check(texts: dict[str, str] | None, label: str, needed: bool = True) -> None:
        if not needed:
            return
        for lang in missing_languages(texts, languages):
            missing[lang].append(label)

    check(consultation.title, str(_l("Title")))
    check(consultation.intro, str(_l("Introduction")), bool(any((consultation.intro or {}).values())))
    check(consultation.outro, str(_l("Closing text")), bool(any((consultation.outro or {}).values())))
    for n, section in enumerate(consultation.sections, start=1):
        check(section.title, str(_l("Page %(n)d", n=n)), bool(any((section.title or {}).values())))
    for n, question in enumerate(ordered_questions(consultation), start=1):
        check(question.text, str(_l("Question %(n)d", n=n)))
        check(question.help, str(_l("Help text of question %(n)d", n=n)), bool(any((question.help or {}).values())))
        for option in question.options:
            check(option.label, str(_l("Choices of question %(n)d", n=n)))
        for row in question.rows:
            check(row.label, str(_l("Rows of question %(n)d", n=n)))
    return {lang: list(dict.fromkeys(items)) for lang, items in missing.items()}


def _limits_can_be_met(question: Question) -> bool:
    """Whether some answer passes the question's limits: the editor refuses a lowest value above the
    highest, but older questions may have one, and a multiple choice may ask for more than it offers
    or allow none."""
    if question.type not in (QuestionType.MULTIPLE_CHOICE, QuestionType.NUMBER, QuestionType.SCALE):
        return True
    settings = question.settings or {}
    low, high = settings.get("min"), settings.get("max")
    if low is not None and high is not None and float(low) > float(high):
        return False
    if question.type is not QuestionType.MULTIPLE_CHOICE:
        return True
    return int(low or 0) <= len(question.options) and (high is None or int(high) >= 1)


def question_problems(question: Question, n: int) -> list[str]:
    """What stops tenants from answering question number ``n``, as messages."""
    problems = []
    if question.type in CHOICE_TYPES and len(question.options) < 2:
        problems.append(str(_l("Question %(n)d needs at least two choices.", n=n)))
    if question.type is QuestionType.MATRIX and not question.rows:
        problems.append(str(_l("Question %(n)d needs at least one row.", n=n)))
    if not _limits_can_be_met(question):
        problems.append(str(_l("Question %(n)d has limits no answer can meet. Change its lowest or highest value.",
                               n=n)))
    return problems


def check_ready(consultation: Consultation) -> list[str]:
    """What stops a consultation from opening, as messages."""
    problems = []
    if not consultation.questions:
        problems.append(str(_l("Add at least one question.")))
    for n, question in enumerate(ordered_questions(consultation), start=1):
        problems += question_problems(question, n)
    if consultation.is_support_measurement and [q.type for q in consultation.questions] != [QuestionType.AGREEMENT]:
        problems.append(str(_l("A support measurement has exactly one question: agree or do not agree.")))
    if missing_languages(consultation.title, [consultation.source_language]):
        problems.append(str(_l("Write a title in the source language.")))
    return problems
