"""A questionnaire's pages: adding and correcting them, the order of pages and questions, and display conditions."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from inspraak.consultations import conditions
from inspraak.consultations.authoring import clean_texts, lock_consultation, require_structure_open
from inspraak.consultations.models import Consultation, Question, Section
from inspraak.consultations.queries import ordered_questions
from inspraak.core import edits
from inspraak.core.db import lock_for_change
from inspraak.core.errors import DomainError
from inspraak.extensions import db
from inspraak.people.models import StaffUser


def add_section(consultation: Consultation, *, title: dict[str, str], by: StaffUser) -> Section:
    """Add a page at the end. Raises Conflict once questions are locked."""
    lock_consultation(consultation)
    require_structure_open(consultation)
    section = Section(position=max((s.position for s in consultation.sections), default=0) + 1, title=clean_texts(title))
    consultation.sections.append(section)
    db.session.flush()
    return section


def condition_values(condition: dict | None) -> dict[str, Any]:
    """A condition as the editor's fields show it (``core.edits`` compares them): whether all or any rule
    must hold, and per rule the question and answer ("12|34", "12|" for any answer) and the test."""
    rules = (condition or {}).get("rules") or []
    values: dict[str, Any] = {"match": (condition or {}).get("match", "all")}
    for n in range(1, conditions.EDITOR_RULES + 1):
        rule = rules[n - 1] if n <= len(rules) else None
        answer = "" if rule is None or "value" not in rule else conditions.atom(rule["value"])
        values[f"rule{n}_target"] = "" if rule is None else f"{rule['question']}|{answer}"
        values[f"rule{n}_op"] = None if rule is None else rule["op"]
    return values


# A condition's rules are read together (all or any of them): two people changing it are told, not merged.
CONDITION_FIELDS = tuple(condition_values(None))


def merged_condition(values: dict[str, Any], sent: dict | None, stored: dict | None) -> dict | None:
    """The condition a merge kept: its fields go together, so they are all the sent ones or all the stored ones."""
    return sent if all(values[name] == value for name, value in condition_values(sent).items()) else stored


def update_section(section: Section, *, title: dict[str, str], condition: dict | None, seen: str | None = None) -> None:
    """Correct a page's title (always) and its condition (only while questions are not locked).

    ``seen``: the fingerprint of the title and condition the form showed (``core.edits``; raises EditClash).
    """
    consultation = section.consultation
    lock_consultation(consultation)  # first, as every change of the questions does: the questions as they are now
    lock_for_change(section)
    texts, values = edits.merge_all(seen, ({"title": section.title}, {"title": title}),
                                    (condition_values(section.condition), condition_values(condition)),
                                    together=[CONDITION_FIELDS])
    section.title = clean_texts(texts["title"])
    condition = merged_condition(values, condition, section.condition)
    if condition != section.condition:
        require_structure_open(consultation)
        earlier = [q.id for q in questions_before_section(section)]
        require_valid_condition(condition, earlier)
        section.condition = condition or None


def questions_before_section(section: Section) -> list[Question]:
    """The questions on the pages before this one, in questionnaire order (the ones its condition may use)."""
    consultation = section.consultation
    return [q for q in ordered_questions(consultation) if _section_pos(consultation, q.section_id) < section.position]


def _section_pos(consultation: Consultation, section_id: int) -> int:
    return next(s.position for s in consultation.sections if s.id == section_id)


def require_valid_condition(condition: dict | None, earlier: list[int]) -> None:
    """Raise DomainError unless the condition uses only the questions in ``earlier`` (ids of questions before it)."""
    if conditions.check_condition(condition, earlier):
        raise DomainError(str(_l("A condition can only use questions that come earlier.")))


def move(items: list[Any], item: Any, step: int) -> None:
    """Swap an item with its neighbour (step -1 up, +1 down) by position."""
    ordered = sorted(items, key=lambda x: x.position)
    index = ordered.index(item)
    other = index + step
    if 0 <= other < len(ordered):
        ordered[index].position, ordered[other].position = ordered[other].position, ordered[index].position
        if ordered[index].position == ordered[other].position:  # repair duplicates from old data
            for n, row in enumerate(ordered, start=1):
                row.position = n


def move_choice(question: Question, kind: str, item: Any, step: int) -> None:
    """Move an option (``kind`` "options") or a row (any other kind) of a question up (-1) or down (+1).

    Raises Conflict once questions are locked.
    """
    lock_consultation(question.consultation)
    require_structure_open(question.consultation)
    move(question.options if kind == "options" else question.rows, item, step)


def move_question(question: Question, step: int) -> None:
    """Move a question up or down on its page; conditions must still point backwards."""
    consultation = question.consultation
    lock_consultation(consultation)
    require_structure_open(consultation)
    move(question.section.questions, question, step)
    db.session.flush()
    _check_all_conditions(consultation)


def move_section(section: Section, step: int) -> None:
    consultation = section.consultation
    lock_consultation(consultation)
    require_structure_open(consultation)
    move(consultation.sections, section, step)
    db.session.flush()
    db.session.expire(consultation, ["sections"])
    _check_all_conditions(consultation)


def _check_all_conditions(consultation: Consultation) -> None:
    seen: list[int] = []
    sections = sorted(consultation.sections, key=lambda s: s.position)
    for section in sections:
        require_valid_condition(section.condition, seen)
        for question in sorted(section.questions, key=lambda q: q.position):
            require_valid_condition(question.condition, seen)
            seen.append(question.id)
