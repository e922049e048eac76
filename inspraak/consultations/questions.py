"""A questionnaire's questions and their choices and matrix rows: adding, correcting, removing."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from inspraak.consultations import conditions
from inspraak.consultations.authoring import clean_texts, lock_consultation, require_structure_open
from inspraak.consultations.models import (
    Consultation,
    ConsultationStatus,
    MatrixRow,
    Option,
    Question,
    QuestionType,
    Section,
)
from inspraak.consultations.queries import ordered_questions, question_problems
from inspraak.consultations.structure import CONDITION_FIELDS, require_valid_condition, merged_condition, condition_values
from inspraak.core import edits
from inspraak.core.db import lock_for_change
from inspraak.core.errors import Conflict, DomainError, NotFound
from inspraak.core.plurals import Counted as _n
from inspraak.extensions import db
from inspraak.people.models import StaffUser

MAX_SCALE_POINTS = 11  # as 0 to 10: a scale's points are shown as buttons (and offered in conditions)


def add_question(
    consultation: Consultation,
    section: Section,
    *,
    type: QuestionType,
    text: dict[str, str],
    required: bool,
    help: dict[str, str] | None = None,
    settings: dict[str, Any] | None = None,
    by: StaffUser,
) -> Question:
    """Add a question at the end of a page.

    Raises:
        Conflict: questions are locked.
        DomainError: no text in the source language.
    """
    lock_consultation(consultation)
    require_structure_open(consultation)
    if not (text.get(consultation.source_language) or "").strip():
        raise DomainError(str(_l("Write the question in the source language.")))
    _check_settings(type, settings or {})
    position = max((q.position for q in section.questions), default=0) + 1
    question = Question(
        consultation=consultation, section=section, position=position, type=type, required=required,
        text=clean_texts(text), help=clean_texts(help), settings=settings or {},
    )
    db.session.add(question)
    db.session.flush()
    return question


LIMITS = ("min", "max", "decimals", "max_length")  # the settings that change which answers are accepted


# Checked together (the lowest not above the highest, a scale's number of points): two people changing
# one each is a clash, not a merge.
LIMITS_TOGETHER = ("min", "max")


def question_values(question: Question) -> dict[str, Any]:
    """A question's rules as its form shows them, by the form's field names (``core.edits`` compares them)."""
    settings = question.settings or {}
    return {"required": question.required, **{key: settings.get(key) for key in LIMITS},
            **condition_values(question.condition)}


def update_question(
    question: Question,
    *,
    text: dict[str, str],
    help: dict[str, str],
    required: bool,
    settings: dict[str, Any],
    condition: dict | None,
    seen: str | None = None,
) -> None:
    """Correct a question's texts; its rules (required, limits, condition) only while not locked.

    ``seen``: the fingerprint of the texts and rules the form showed (``core.edits``): what the sender
    left as shown keeps what someone else saved meanwhile; the lowest and highest value go together,
    and so do the rules of the condition.

    Raises:
        Conflict: a rule changed after the first response, or (while open) leaves no answer that passes.
        DomainError: no text in the source language, or a condition on a later question.
        EditClash: someone else changed a text or rule the sender changed, at the same moment.
    """
    consultation = question.consultation
    lock_consultation(consultation)  # first, as every change of the questions does: no two locks in another order
    lock_for_change(question)
    labels = ("min_label", "max_label")
    stored = {"text": question.text, "help": question.help, **{k: (question.settings or {}).get(k) or {} for k in labels}}
    sent_values = {"required": required, **{key: settings.get(key) for key in LIMITS}, **condition_values(condition)}
    merged, values = edits.merge_all(
        seen, (stored, {"text": text, "help": help, **{k: settings.get(k) or {} for k in labels}}),
        (question_values(question), sent_values), together=[LIMITS_TOGETHER, CONDITION_FIELDS])
    text, help, required = merged["text"], merged["help"], values["required"]
    condition = merged_condition(values, condition, question.condition)
    settings = {k: v for k, v in settings.items() if k not in labels and k not in LIMITS}
    settings.update({k: values[k] for k in LIMITS if values[k] is not None})
    settings.update({k: clean_texts(merged[k]) for k in labels if clean_texts(merged[k])})
    if not (text.get(consultation.source_language) or "").strip():
        raise DomainError(str(_l("Write the question in the source language.")))
    rules_changed = (
        required != question.required
        or _rules(settings) != _rules(question.settings)
        or (condition or None) != (question.condition or None)
    )
    if rules_changed:
        require_structure_open(consultation)
        earlier = [q.id for q in ordered_questions(consultation)]
        earlier = earlier[: earlier.index(question.id)]
        require_valid_condition(condition, earlier)
        _check_settings(question.type, settings)
    question.text = clean_texts(text)
    question.help = clean_texts(help)
    question.required = required
    question.settings = settings
    question.condition = condition or None
    if rules_changed:
        _require_answerable(question)


def _require_answerable(question: Question) -> None:
    """While a consultation is open, tenants answer each question as it stands: refuse a change that leaves
    no answer that passes (at least 999 choices of three, one choice left, a matrix without rows).
    A draft is checked as a whole when it opens (``check_ready``): its editor may add the choices later.

    Raises:
        Conflict: the question, as changed, cannot be answered.
    """
    if question.consultation.status is not ConsultationStatus.OPEN:
        return
    number = [q.id for q in ordered_questions(question.consultation)].index(question.id) + 1
    problems = question_problems(question, number)
    if problems:
        raise Conflict(" ".join(problems))


def _check_settings(type: QuestionType, settings: dict[str, Any]) -> None:
    """Refuse limits that no answer could meet.

    Raises:
        DomainError: the lowest value is above the highest, a scale has fewer than two
            or more than ``MAX_SCALE_POINTS`` points (every point is a button on the page), or a
            count (decimals, characters, a multiple choice's fewest and most choices) is negative.
    """
    low, high = settings.get("min"), settings.get("max")
    if low is not None and high is not None and float(low) > float(high):
        raise DomainError(str(_l("The lowest value must not be higher than the highest value.")))
    if type is QuestionType.SCALE:
        points = int(high if high is not None else 5) - int(low if low is not None else 1) + 1
        if points < 2:
            raise DomainError(str(_l("A scale needs at least two points.")))
        if points > MAX_SCALE_POINTS:
            raise DomainError(_n("A scale has at most %(points)s point, for example 0 to 10.",
                                  "A scale has at most %(points)s points, for example 0 to 10.",
                                  count="points").render(points=MAX_SCALE_POINTS))
    counts = ("decimals", "max_length") + (("min", "max") if type is QuestionType.MULTIPLE_CHOICE else ())
    if any(settings.get(key) is not None and int(settings[key]) < 0 for key in counts):
        raise DomainError(str(_l("Limits cannot be negative.")))


def _rules(settings: dict[str, Any] | None) -> dict[str, Any]:
    """The parts of the settings that change what is accepted (labels are texts)."""
    return {k: v for k, v in (settings or {}).items() if not k.endswith("_label")}


def delete_question(question: Question) -> None:
    """Remove a question (and its choices).

    Raises:
        Conflict: questions are locked, or a condition uses this one.
        NotFound: it was removed already (a second press at the same moment).
    """
    consultation = question.consultation
    lock_consultation(consultation)
    if question not in consultation.questions:
        raise NotFound(str(_l("This question does not exist.")))
    require_structure_open(consultation)
    for other in [*consultation.questions, *consultation.sections]:
        if question.id in conditions.referenced_questions(other.condition):
            raise Conflict(str(_l("Another question or page depends on this question. Change that condition first.")))
    consultation.questions.remove(question)
    db.session.delete(question)
    db.session.flush()


def add_option(question: Question, *, label: dict[str, str], is_other: bool = False) -> Option:
    """Add a choice (or matrix column) at the end. Raises Conflict when locked."""
    lock_consultation(question.consultation)
    require_structure_open(question.consultation)
    if not (label.get(question.consultation.source_language) or "").strip():
        raise DomainError(str(_l("Write the choice in the source language.")))
    option = Option(position=max((o.position for o in question.options), default=0) + 1, label=clean_texts(label),
                    is_other=is_other)
    question.options.append(option)
    db.session.flush()
    return option


def add_row(question: Question, *, label: dict[str, str]) -> MatrixRow:
    """Add a row to a matrix question. Raises Conflict when locked."""
    lock_consultation(question.consultation)
    require_structure_open(question.consultation)
    if not (label.get(question.consultation.source_language) or "").strip():
        raise DomainError(str(_l("Write the row in the source language.")))
    row = MatrixRow(position=max((r.position for r in question.rows), default=0) + 1, label=clean_texts(label))
    question.rows.append(row)
    db.session.flush()
    return row


def update_label(item: Option | MatrixRow, label: dict[str, str], source_language: str, seen: str | None = None) -> None:
    """Correct the label of a choice or row in every language (always allowed).

    ``seen``: the fingerprint of the labels the form showed (``core.edits``; raises EditClash).
    """
    lock_for_change(item)
    label = edits.merge(seen, {"label": item.label}, {"label": label})["label"]
    if not (label.get(source_language) or "").strip():
        raise DomainError(str(_l("Write the choice in the source language.")))
    item.label = clean_texts(label)


def delete_option(question: Question, option: Option) -> None:
    """Remove a choice. Raises Conflict when locked, when a condition tests for this choice, or when (while
    open) the question would be left with fewer choices than it asks for."""
    consultation = question.consultation
    lock_consultation(consultation)
    require_structure_open(consultation)
    chosen = conditions.atom(option.id)
    for other in [*consultation.questions, *consultation.sections]:
        for rule in (other.condition or {}).get("rules") or []:
            if int(rule["question"]) == question.id and "value" in rule and conditions.atom(rule["value"]) == chosen:
                raise Conflict(str(_l("Another question or page depends on this choice. Change that condition first.")))
    question.options.remove(option)
    _require_answerable(question)
    db.session.flush()


def delete_row(question: Question, row: MatrixRow) -> None:
    lock_consultation(question.consultation)
    require_structure_open(question.consultation)
    question.rows.remove(row)
    _require_answerable(question)
    db.session.flush()
