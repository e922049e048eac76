"""Building consultations: texts, sections, questions, choices, conditions, audience, dates."""
from __future__ import annotations

import copy
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from inspraak.consultations import conditions
from inspraak.consultations.models import (
    AudienceScope,
    Breakdown,
    Consultation,
    ConsultationKind,
    ConsultationStatus,
    CountingUnit,
    MatrixRow,
    Option,
    PrivacyMode,
    Question,
    QuestionType,
    Section,
)
from inspraak.consultations.validation import QuestionSpec
from inspraak.core import audit, edits
from inspraak.core.db import lock_for_change
from inspraak.core.errors import Conflict, DomainError, NotFound
from inspraak.core.i18n import missing_languages
from inspraak.core.plurals import Counted as _n
from inspraak.extensions import db
from inspraak.people.models import Complex, Neighbourhood, StaffUser

CHOICE_TYPES = {QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE, QuestionType.RANKING, QuestionType.MATRIX}
LOCKED = _l("Someone has answered already. Questions and choices can no longer change; you can still correct texts.")
MAX_SCALE_POINTS = 11  # as 0 to 10: a scale's points are shown as buttons (and offered in conditions)
NOT_DRAFT = _l("This can only change while the consultation is a draft.")


# ---------------------------------------------------------------- queries

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


# ---------------------------------------------------------------- guards

def _require_draft(consultation: Consultation) -> None:
    if not consultation.is_draft:
        raise Conflict(str(NOT_DRAFT))


def _require_structure_open(consultation: Consultation) -> None:
    if consultation.structure_locked:
        raise Conflict(str(LOCKED))
    if consultation.status not in (ConsultationStatus.DRAFT, ConsultationStatus.OPEN):
        raise Conflict(str(NOT_DRAFT))


def _lock_consultation(consultation: Consultation) -> None:
    """Take the consultation's row lock (PostgreSQL) so a change and a first answer cannot cross."""
    db.session.execute(
        sa.select(Consultation.id).where(Consultation.id == consultation.id).with_for_update()
    )
    db.session.refresh(consultation, ["first_response_on", "status", "closes_at", "closed_at"])


# ---------------------------------------------------------------- consultations

def create_consultation(
    corporation_id: int,
    *,
    title: dict[str, str],
    source_language: str,
    by: StaffUser,
    kind: ConsultationKind = ConsultationKind.SURVEY,
) -> Consultation:
    """Start a draft consultation with one empty page.

    Raises:
        DomainError: the title is empty in the source language.
    """
    if not (title.get(source_language) or "").strip():
        raise DomainError(str(_l("Write a title in the source language.")))
    consultation = Consultation(
        corporation_id=corporation_id,
        kind=kind,
        title=_clean(title),
        source_language=source_language,
        counting_unit=CountingUnit.DWELLING if kind is ConsultationKind.SUPPORT_MEASUREMENT else CountingUnit.PERSON,
    )
    consultation.sections.append(Section(position=1, title={}))
    db.session.add(consultation)
    db.session.flush()
    audit.record("consultation.created", actor=by, corporation_id=corporation_id, obj=consultation,
                 details={"kind": kind.value})
    return consultation


def _clean(texts: dict[str, str] | None) -> dict[str, str]:
    return {lang: text.strip() for lang, text in (texts or {}).items() if text and text.strip()}


def update_texts(consultation: Consultation, *, title: dict, intro: dict, outro: dict, proposal: dict | None = None,
                 proposal_url: str | None = None, by: StaffUser, seen: str | None = None) -> None:
    """Correct the texts in every language (allowed in every state but archived).

    ``seen``: the fingerprint of the texts (and the proposal's link) the form showed (``core.edits``);
    what was left as shown keeps what someone else saved meanwhile.

    Raises:
        DomainError: the title would be empty in the source language.
        Conflict: the consultation is archived.
        EditClash: someone else changed a text the sender changed, at the same moment.
    """
    lock_for_change(consultation)
    stored = {"title": consultation.title, "intro": consultation.intro, "outro": consultation.outro}
    sent = {"title": title, "intro": intro, "outro": outro}
    if proposal is not None:
        stored["proposal"], sent["proposal"] = consultation.proposal, proposal
    link = ({"proposal_url": consultation.proposal_url}, {"proposal_url": proposal_url}) if proposal_url is not None \
        else ({}, {})
    merged, values = edits.merge_all(seen, (stored, sent), link)
    title, intro, outro, proposal = merged["title"], merged["intro"], merged["outro"], merged.get("proposal")
    proposal_url = values["proposal_url"] or "" if proposal_url is not None else None
    if consultation.status is ConsultationStatus.ARCHIVED:
        raise Conflict(str(_l("An archived consultation cannot change.")))
    if not (title.get(consultation.source_language) or "").strip():
        raise DomainError(str(_l("Write a title in the source language.")))
    consultation.title = _clean(title)
    consultation.intro = _clean(intro)
    consultation.outro = _clean(outro)
    if proposal is not None:
        consultation.proposal = _clean(proposal)
    if proposal_url is not None:
        consultation.proposal_url = proposal_url.strip()
    audit.record("consultation.texts_changed", actor=by, corporation_id=consultation.corporation_id, obj=consultation)


# Read together: who is invited (the kind of audience and its places), and the opening and closing time.
SETTINGS_TOGETHER = (("audience_scope", "neighbourhoods", "complexes"), ("opens_at", "closes_at"))


def settings_values(consultation: Consultation) -> dict[str, Any]:
    """A consultation's settings as its form shows them, by the form's field names (``core.edits`` compares them)."""
    return {
        "source_language": consultation.source_language, "audience_scope": consultation.audience_scope,
        "neighbourhoods": {n.id for n in consultation.neighbourhoods}, "complexes": {c.id for c in consultation.complexes},
        "counting_unit": consultation.counting_unit, "privacy_mode": consultation.privacy_mode,
        "breakdown": consultation.breakdown, "opens_at": consultation.opens_at, "closes_at": consultation.closes_at,
        "results_expected_on": consultation.results_expected_on,
    }


def update_settings(
    consultation: Consultation,
    *,
    source_language: str,
    audience_scope: AudienceScope,
    neighbourhood_ids: list[int],
    complex_ids: list[int],
    counting_unit: CountingUnit,
    privacy_mode: PrivacyMode,
    opens_at: datetime | None,
    closes_at: datetime | None,
    results_expected_on: date | None,
    by: StaffUser,
    breakdown: Breakdown = Breakdown.NONE,
    seen: str | None = None,
) -> None:
    """Set audience, counting unit, privacy mode, breakdown and dates of a draft.

    The breakdown (which place each response records) is locked with the rest once the
    consultation opens, so every response of a consultation records the same level.

    ``seen``: the fingerprint of the settings the form showed (``core.edits``): a setting left as
    shown keeps what someone else saved meanwhile; the audience and its places go together, and
    so do the opening and closing time (``SETTINGS_TOGETHER``).

    Raises:
        Conflict: the consultation is no longer a draft.
        DomainError: closing before opening, or chosen places missing or of another corporation,
            or a support measurement that is not for exactly one complex counted per dwelling.
        EditClash: someone else changed a setting the sender changed, at the same moment.
    """
    lock_for_change(consultation)
    db.session.expire(consultation, ["neighbourhoods", "complexes"])  # read afresh too, after the lock
    _require_draft(consultation)
    values = edits.merge_values(seen, settings_values(consultation), {
        "source_language": source_language, "audience_scope": audience_scope, "neighbourhoods": set(neighbourhood_ids),
        "complexes": set(complex_ids), "counting_unit": counting_unit, "privacy_mode": privacy_mode,
        "breakdown": breakdown, "opens_at": opens_at, "closes_at": closes_at, "results_expected_on": results_expected_on,
    }, together=SETTINGS_TOGETHER)
    source_language, audience_scope = values["source_language"], AudienceScope(values["audience_scope"])
    counting_unit, privacy_mode = CountingUnit(values["counting_unit"]), PrivacyMode(values["privacy_mode"])
    breakdown, results_expected_on = Breakdown(values["breakdown"]), values["results_expected_on"]
    opens_at, closes_at = values["opens_at"], values["closes_at"]
    if opens_at and closes_at and closes_at <= opens_at:
        raise DomainError(str(_l("The closing time must be after the opening time.")))
    hoods = _owned(Neighbourhood, consultation.corporation_id, list(values["neighbourhoods"] or ()))
    complexes = _owned(Complex, consultation.corporation_id, list(values["complexes"] or ()))
    if audience_scope is AudienceScope.NEIGHBOURHOODS and not hoods:
        raise DomainError(str(_l("Choose at least one neighbourhood.")))
    if audience_scope is AudienceScope.COMPLEXES and not complexes:
        raise DomainError(str(_l("Choose at least one complex.")))
    if consultation.is_support_measurement:
        if audience_scope is not AudienceScope.COMPLEXES or len(complexes) != 1:
            raise DomainError(str(_l("A support measurement is for exactly one complex.")))
        counting_unit = CountingUnit.DWELLING
    consultation.source_language = source_language
    consultation.audience_scope = audience_scope
    consultation.neighbourhoods = hoods if audience_scope is AudienceScope.NEIGHBOURHOODS else []
    consultation.complexes = complexes if audience_scope is AudienceScope.COMPLEXES else []
    consultation.counting_unit = counting_unit
    consultation.privacy_mode = privacy_mode
    consultation.breakdown = breakdown
    consultation.opens_at = opens_at
    consultation.closes_at = closes_at
    consultation.results_expected_on = results_expected_on
    audit.record(
        "consultation.settings_changed", actor=by, corporation_id=consultation.corporation_id, obj=consultation,
        details={"audience": audience_scope.value, "unit": counting_unit.value, "privacy": privacy_mode.value,
                 "breakdown": breakdown.value},
    )


def _owned(model: Any, corporation_id: int, ids: list[int]) -> list[Any]:
    if not ids:
        return []
    rows = list(db.session.scalars(sa.select(model).where(model.id.in_(ids), model.corporation_id == corporation_id)))
    if len(rows) != len(set(ids)):
        raise DomainError(str(_l("Choose places of your own corporation.")))
    return rows


def _copy_title(lang: str, title: str) -> str:
    """"Copy of …" in the title's own language: tenants read it if the editor does not rename the copy."""
    if lang not in current_app.config["LANGUAGES"]:
        return title
    with force_locale(lang):
        return gettext("Copy of %(title)s", title=title)


def duplicate_consultation(consultation: Consultation, *, by: StaffUser) -> Consultation:
    """A new draft with the same texts, settings, pages, questions, choices and conditions."""
    copy_ = Consultation(
        corporation_id=consultation.corporation_id,
        kind=consultation.kind,
        source_language=consultation.source_language,
        title={lang: _copy_title(lang, text) for lang, text in consultation.title.items()},
        intro=dict(consultation.intro),
        outro=dict(consultation.outro),
        proposal=dict(consultation.proposal),
        proposal_url=consultation.proposal_url,
        audience_scope=consultation.audience_scope,
        counting_unit=consultation.counting_unit,
        privacy_mode=consultation.privacy_mode,
        breakdown=consultation.breakdown,
        neighbourhoods=list(consultation.neighbourhoods),
        complexes=list(consultation.complexes),
    )
    db.session.add(copy_)
    section_map: dict[int, Section] = {}
    for section in consultation.sections:
        new = Section(position=section.position, title=dict(section.title), condition=copy.deepcopy(section.condition))
        copy_.sections.append(new)
        section_map[section.id] = new
    db.session.flush()
    question_map: dict[int, int] = {}
    option_map: dict[int, dict[int, int]] = {}  # per old question: old option id → new option id
    new_questions: list[Question] = []
    for question in ordered_questions(consultation):
        new_q = Question(
            consultation=copy_, section=section_map[question.section_id], position=question.position,
            type=question.type, required=question.required, text=dict(question.text), help=dict(question.help),
            settings=copy.deepcopy(question.settings), condition=copy.deepcopy(question.condition),
        )
        new_q.options = [Option(position=o.position, label=dict(o.label), is_other=o.is_other) for o in question.options]
        new_q.rows = [MatrixRow(position=r.position, label=dict(r.label)) for r in question.rows]
        db.session.add(new_q)
        db.session.flush()
        question_map[question.id] = new_q.id
        option_map[question.id] = {old.id: new.id for old, new in zip(question.options, new_q.options)}
        new_questions.append(new_q)
    for item in [*copy_.sections, *new_questions]:
        item.condition = _remap_condition(item.condition, question_map, option_map)
    audit.record("consultation.duplicated", actor=by, corporation_id=copy_.corporation_id, obj=copy_,
                 details={"from": consultation.id})
    return copy_


def _remap_condition(condition: dict | None, questions: dict[int, int],
                     options: dict[int, dict[int, int]]) -> dict | None:
    """A copied condition pointing to the copied questions and, for questions with choices, the copied choices.

    ``options`` maps per old question id; a value of a question without choices (a scale, score
    or number) is kept as it is, even when it happens to equal some choice's id.
    """
    if not condition:
        return condition
    rules = []
    for rule in condition.get("rules") or []:
        old_question = int(rule["question"])
        new = dict(rule, question=questions.get(old_question, rule["question"]))
        value = rule.get("value")
        if isinstance(value, int) and not isinstance(value, bool):
            new["value"] = options.get(old_question, {}).get(value, value)
        rules.append(new)
    return {"match": condition.get("match", "all"), "rules": rules}


# ---------------------------------------------------------------- pages and questions

def add_section(consultation: Consultation, *, title: dict[str, str], by: StaffUser) -> Section:
    """Add a page at the end. Raises Conflict once questions are locked."""
    _lock_consultation(consultation)
    _require_structure_open(consultation)
    section = Section(position=max((s.position for s in consultation.sections), default=0) + 1, title=_clean(title))
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


def _merged_condition(values: dict[str, Any], sent: dict | None, stored: dict | None) -> dict | None:
    """The condition a merge kept: its fields go together, so they are all the sent ones or all the stored ones."""
    return sent if all(values[name] == value for name, value in condition_values(sent).items()) else stored


def update_section(section: Section, *, title: dict[str, str], condition: dict | None, seen: str | None = None) -> None:
    """Correct a page's title (always) and its condition (only while questions are not locked).

    ``seen``: the fingerprint of the title and condition the form showed (``core.edits``; raises EditClash).
    """
    consultation = section.consultation
    lock_for_change(section)
    texts, values = edits.merge_all(seen, ({"title": section.title}, {"title": title}),
                                    (condition_values(section.condition), condition_values(condition)),
                                    together=[CONDITION_FIELDS])
    section.title = _clean(texts["title"])
    condition = _merged_condition(values, condition, section.condition)
    if condition != section.condition:
        _require_structure_open(consultation)
        earlier = [q.id for q in ordered_questions(consultation) if _section_pos(consultation, q.section_id) < section.position]
        _check_condition(condition, earlier)
        section.condition = condition or None


def _section_pos(consultation: Consultation, section_id: int) -> int:
    return next(s.position for s in consultation.sections if s.id == section_id)


def _check_condition(condition: dict | None, earlier: list[int]) -> None:
    if conditions.check_condition(condition, earlier):
        raise DomainError(str(_l("A condition can only use questions that come earlier.")))


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
    _lock_consultation(consultation)
    _require_structure_open(consultation)
    if not (text.get(consultation.source_language) or "").strip():
        raise DomainError(str(_l("Write the question in the source language.")))
    _check_settings(type, settings or {})
    position = max((q.position for q in section.questions), default=0) + 1
    question = Question(
        consultation=consultation, section=section, position=position, type=type, required=required,
        text=_clean(text), help=_clean(help), settings=settings or {},
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
        Conflict: a rule changed after the first response.
        DomainError: no text in the source language, or a condition on a later question.
        EditClash: someone else changed a text or rule the sender changed, at the same moment.
    """
    consultation = question.consultation
    _lock_consultation(consultation)  # first, as every change of the questions does: no two locks in another order
    lock_for_change(question)
    labels = ("min_label", "max_label")
    stored = {"text": question.text, "help": question.help, **{k: (question.settings or {}).get(k) or {} for k in labels}}
    sent_values = {"required": required, **{key: settings.get(key) for key in LIMITS}, **condition_values(condition)}
    merged, values = edits.merge_all(
        seen, (stored, {"text": text, "help": help, **{k: settings.get(k) or {} for k in labels}}),
        (question_values(question), sent_values), together=[LIMITS_TOGETHER, CONDITION_FIELDS])
    text, help, required = merged["text"], merged["help"], values["required"]
    condition = _merged_condition(values, condition, question.condition)
    settings = {k: v for k, v in settings.items() if k not in labels and k not in LIMITS}
    settings.update({k: values[k] for k in LIMITS if values[k] is not None})
    settings.update({k: _clean(merged[k]) for k in labels if _clean(merged[k])})
    if not (text.get(consultation.source_language) or "").strip():
        raise DomainError(str(_l("Write the question in the source language.")))
    rules_changed = (
        required != question.required
        or _rules(settings) != _rules(question.settings)
        or (condition or None) != (question.condition or None)
    )
    if rules_changed:
        _require_structure_open(consultation)
        earlier = [q.id for q in ordered_questions(consultation)]
        earlier = earlier[: earlier.index(question.id)]
        _check_condition(condition, earlier)
        _check_settings(question.type, settings)
    question.text = _clean(text)
    question.help = _clean(help)
    question.required = required
    question.settings = settings
    question.condition = condition or None


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
    """Remove a question (and its choices). Raises Conflict when locked or used by a condition."""
    consultation = question.consultation
    _lock_consultation(consultation)
    _require_structure_open(consultation)
    for other in [*consultation.questions, *consultation.sections]:
        if question.id in conditions.referenced_questions(other.condition):
            raise Conflict(str(_l("Another question or page depends on this question. Change that condition first.")))
    consultation.questions.remove(question)
    db.session.delete(question)
    db.session.flush()


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


def move_question(question: Question, step: int) -> None:
    """Move a question up or down on its page; conditions must still point backwards."""
    consultation = question.consultation
    _lock_consultation(consultation)
    _require_structure_open(consultation)
    move(question.section.questions, question, step)
    db.session.flush()
    _check_all_conditions(consultation)


def move_section(section: Section, step: int) -> None:
    consultation = section.consultation
    _lock_consultation(consultation)
    _require_structure_open(consultation)
    move(consultation.sections, section, step)
    db.session.flush()
    db.session.expire(consultation, ["sections"])
    _check_all_conditions(consultation)


def _check_all_conditions(consultation: Consultation) -> None:
    seen: list[int] = []
    sections = sorted(consultation.sections, key=lambda s: s.position)
    for section in sections:
        _check_condition(section.condition, seen)
        for question in sorted(section.questions, key=lambda q: q.position):
            _check_condition(question.condition, seen)
            seen.append(question.id)


def add_option(question: Question, *, label: dict[str, str], is_other: bool = False) -> Option:
    """Add a choice (or matrix column) at the end. Raises Conflict when locked."""
    _lock_consultation(question.consultation)
    _require_structure_open(question.consultation)
    if not (label.get(question.consultation.source_language) or "").strip():
        raise DomainError(str(_l("Write the choice in the source language.")))
    option = Option(position=max((o.position for o in question.options), default=0) + 1, label=_clean(label),
                    is_other=is_other)
    question.options.append(option)
    db.session.flush()
    return option


def add_row(question: Question, *, label: dict[str, str]) -> MatrixRow:
    """Add a row to a matrix question. Raises Conflict when locked."""
    _lock_consultation(question.consultation)
    _require_structure_open(question.consultation)
    if not (label.get(question.consultation.source_language) or "").strip():
        raise DomainError(str(_l("Write the row in the source language.")))
    row = MatrixRow(position=max((r.position for r in question.rows), default=0) + 1, label=_clean(label))
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
    item.label = _clean(label)


def delete_option(question: Question, option: Option) -> None:
    """Remove a choice. Raises Conflict when locked or when a condition tests for this choice."""
    consultation = question.consultation
    _lock_consultation(consultation)
    _require_structure_open(consultation)
    chosen = conditions.atom(option.id)
    for other in [*consultation.questions, *consultation.sections]:
        for rule in (other.condition or {}).get("rules") or []:
            if int(rule["question"]) == question.id and "value" in rule and conditions.atom(rule["value"]) == chosen:
                raise Conflict(str(_l("Another question or page depends on this choice. Change that condition first.")))
    question.options.remove(option)
    db.session.flush()


def delete_row(question: Question, row: MatrixRow) -> None:
    _lock_consultation(question.consultation)
    _require_structure_open(question.consultation)
    question.rows.remove(row)
    db.session.flush()


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


def check_ready(consultation: Consultation) -> list[str]:
    """What stops a consultation from opening, as messages."""
    problems = []
    if not consultation.questions:
        problems.append(str(_l("Add at least one question.")))
    for n, question in enumerate(ordered_questions(consultation), start=1):
        if question.type in CHOICE_TYPES and len(question.options) < 2:
            problems.append(str(_l("Question %(n)d needs at least two choices.", n=n)))
        if question.type is QuestionType.MATRIX and not question.rows:
            problems.append(str(_l("Question %(n)d needs at least one row.", n=n)))
        if not _limits_can_be_met(question):
            problems.append(str(_l("Question %(n)d has limits no answer can meet. Change its lowest or highest value.",
                                   n=n)))
    if consultation.is_support_measurement and [q.type for q in consultation.questions] != [QuestionType.AGREEMENT]:
        problems.append(str(_l("A support measurement has exactly one question: agree or do not agree.")))
    if missing_languages(consultation.title, [consultation.source_language]):
        problems.append(str(_l("Write a title in the source language.")))
    return problems
