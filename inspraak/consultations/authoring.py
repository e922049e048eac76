"""Authoring consultations: creating, texts, settings (audience, counting, privacy, dates), duplicating; the draft guards."""
from __future__ import annotations

import copy
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value
from flask import current_app
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l

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
    Section,
)
from inspraak.consultations.queries import ordered_questions
from inspraak.core import audit, edits
from inspraak.core.db import lock_for_change
from inspraak.core.errors import Conflict, DomainError
from inspraak.extensions import db
from inspraak.people.models import Complex, Neighbourhood, StaffUser

LOCKED = _l("Someone has answered already. Questions and choices can no longer change; you can still correct texts.")


NOT_DRAFT = _l("This can only change while the consultation is a draft.")


def _require_draft(consultation: Consultation) -> None:
    if not consultation.is_draft:
        raise Conflict(str(NOT_DRAFT))


def require_structure_open(consultation: Consultation) -> None:
    """Raise Conflict unless pages, questions and choices may still change (draft or open, nobody answered yet)."""
    if consultation.structure_locked:
        raise Conflict(str(LOCKED))
    if consultation.status not in (ConsultationStatus.DRAFT, ConsultationStatus.OPEN):
        raise Conflict(str(NOT_DRAFT))


def lock_consultation(consultation: Consultation) -> None:
    """Take the consultation's row lock (PostgreSQL) so a change and a first answer cannot cross.

    Callers may rely on status, closing and first-answer fields being re-read under the lock, and on
    its pages and questions (which there are, their order and conditions): a change another editor
    saved while this one waited (a question deleted, a condition added) is what the checks that
    follow see. Take it before changing any of them: what was loaded is replaced.
    """
    db.session.execute(
        sa.select(Consultation.id).where(Consultation.id == consultation.id).with_for_update()
    )
    db.session.refresh(consultation, ["first_response_on", "status", "closes_at", "closed_at"])
    db.session.expire(consultation, ["sections", "questions"])
    _read_structure_again(consultation)


def _read_structure_again(consultation: Consultation) -> None:
    """Pages and questions already loaded get their order and conditions as committed now (one query each).

    The columns are set as loaded, not changed, and nothing else is touched: a question's choices and
    page stay as loaded, and the unit of work sees no change to flush.
    """
    for model, columns in ((Section, ("position", "condition")), (Question, ("section_id", "position", "condition"))):
        rows = db.session.execute(sa.select(model.id, *(getattr(model, c) for c in columns))
                                  .where(model.consultation_id == consultation.id))
        for row in rows:
            loaded = db.session.identity_map.get(db.session.identity_key(model, row.id))
            if loaded is not None:
                for column in columns:
                    set_committed_value(loaded, column, getattr(row, column))


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
        title=clean_texts(title),
        source_language=source_language,
        counting_unit=CountingUnit.DWELLING if kind is ConsultationKind.SUPPORT_MEASUREMENT else CountingUnit.PERSON,
    )
    consultation.sections.append(Section(position=1, title={}))
    db.session.add(consultation)
    db.session.flush()
    audit.record("consultation.created", actor=by, corporation_id=corporation_id, obj=consultation,
                 details={"kind": kind.value})
    return consultation


def clean_texts(texts: dict[str, str] | None) -> dict[str, str]:
    """A language map with each text stripped and the empty ones left out (``None`` gives ``{}``)."""
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
    consultation.title = clean_texts(title)
    consultation.intro = clean_texts(intro)
    consultation.outro = clean_texts(outro)
    if proposal is not None:
        consultation.proposal = clean_texts(proposal)
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
