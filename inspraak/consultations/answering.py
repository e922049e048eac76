"""Answering: what a tenant may answer, drafts, and storing exactly one response per counting unit."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from inspraak.consultations import cache, conditions, invitations, queries
from inspraak.consultations.answer_conversion import answer_rows, value_from_rows
from inspraak.consultations.models import (
    Answer,
    Channel,
    Consultation,
    ConsultationStatus,
    Draft,
    Invitation,
    Participation,
    Response,
    new_response_id,
)
from inspraak.consultations.validation import Invalid, QuestionSpec, check_complete, parse_page
from inspraak.core import audit
from inspraak.core.db import take_write_lock, utcnow
from inspraak.core.errors import Conflict, DomainError, NotFound
from inspraak.core.timeutil import local_today
from inspraak.extensions import db
from inspraak.people.models import Person, StaffUser

ALREADY_ANSWERED = _l("This has already been answered. Thank you! Only one answer counts.")
CLOSED = _l("This consultation is closed. Your answers were not saved.")


class IncompleteAnswers(DomainError):
    """Required questions are open; ``errors`` maps question ids to problems."""

    def __init__(self, errors: dict[int, Invalid]) -> None:
        super().__init__(str(_l("Some questions still need an answer.")))
        self.errors = errors


# ---------------------------------------------------------------- what a tenant sees

def list_my_consultations(person: Person) -> list[tuple[Consultation, bool]]:
    """Open consultations the tenant was invited to (in person or through the household), with 'answered'."""
    keys = [invitations.person_unit_key(person.id), invitations.dwelling_unit_key(person.tenancy.dwelling_id)]
    rows = db.session.execute(
        sa.select(Consultation, Invitation.unit_key)
        .join(Invitation, Invitation.consultation_id == Consultation.id)
        .where(
            Consultation.corporation_id == person.corporation_id,
            Consultation.status == ConsultationStatus.OPEN,
            Invitation.unit_key.in_(keys),
        )
        .order_by(Consultation.closes_at.is_(None), Consultation.closes_at, Consultation.id)
    ).all()
    now = utcnow()
    return [
        (consultation, invitations.has_taken_part(consultation.id, unit_key))
        for consultation, unit_key in rows
        if consultation.is_accepting(now)
    ]


@dataclass(frozen=True)
class Standing:
    """Where one tenant stands in one consultation: read with every tenant request, in one query."""

    consultation: Consultation  # the cached, read-only copy
    unit_key: str  # the person or the household, by the consultation's counting unit
    answered: bool  # the unit has taken part (known in anonymous mode too)
    draft: dict[int, Any] | None  # the person's saved answers, or None when there is no draft
    # The stored answers are this person's to read and change: they answer for themselves, or
    # they sent the household's response. Another adult of the household may not see them.
    answers_are_mine: bool


_consultation, _invitation, _participation, _draft, _response = (
    Consultation.__table__, Invitation.__table__, Participation.__table__, Draft.__table__, Response.__table__)
# Built once (Core, on the tables): the consultation's stamp for the cache, the invitation of the
# person or the household (a consultation invites one kind of unit), whether that unit took part,
# who sent a named or confidential response (anonymous ones have no unit), and the person's draft.
_STANDING = (
    sa.select(_consultation.c.updated_at, _invitation.c.unit_key, _participation.c.id.label("participation_id"),
              _response.c.person_id.label("sent_by"), _draft.c.id.label("draft_id"), _draft.c.answers)
    .select_from(
        _consultation
        .outerjoin(_invitation, sa.and_(
            _invitation.c.consultation_id == _consultation.c.id,
            sa.or_(_invitation.c.unit_key == sa.bindparam("person_key"),
                   _invitation.c.unit_key == sa.bindparam("dwelling_key"))))
        .outerjoin(_participation, sa.and_(_participation.c.consultation_id == _consultation.c.id,
                                           _participation.c.unit_key == _invitation.c.unit_key))
        .outerjoin(_response, sa.and_(_response.c.consultation_id == _consultation.c.id,
                                      _response.c.unit_key == _invitation.c.unit_key))
        .outerjoin(_draft, sa.and_(_draft.c.consultation_id == _consultation.c.id,
                                   _draft.c.person_id == sa.bindparam("person_id"))))
    .where(_consultation.c.id == sa.bindparam("id"), _consultation.c.corporation_id == sa.bindparam("corporation_id"))
)


def standing_of(person: Person, consultation_id: int) -> Standing:
    """A consultation this tenant was invited to (any state but draft), with the tenant's standing in it.

    Raises:
        NotFound: another corporation's, a draft, or one the tenant was not invited to.
    """
    rows = db.session.connection().execute(_STANDING, {  # Core: on the connection, past the ORM's path
        "id": consultation_id, "corporation_id": person.corporation_id, "person_id": person.id,
        "person_key": invitations.person_unit_key(person.id),
        "dwelling_key": invitations.dwelling_unit_key(person.tenancy.dwelling_id),
    }).all()
    if not rows:  # another corporation's, or none
        raise NotFound(str(_l("This consultation does not exist.")))
    consultation = cache.get_stamped(person.corporation_id, consultation_id, rows[0].updated_at)
    unit_key = invitations.unit_key_for(consultation, person)
    row = next((row for row in rows if row.unit_key == unit_key), None)
    if consultation.is_draft or row is None:
        raise NotFound(str(_l("This consultation does not exist.")))
    draft = None if row.draft_id is None else _from_json(row.answers)
    answered = row.participation_id is not None
    mine = not answered or unit_key == invitations.person_unit_key(person.id) or row.sent_by == person.id
    return Standing(consultation, unit_key, answered, draft, mine)


def get_invitation(consultation: Consultation, unit_key: str) -> Invitation | None:
    return db.session.scalar(
        sa.select(Invitation).where(Invitation.consultation_id == consultation.id, Invitation.unit_key == unit_key)
    )


# ---------------------------------------------------------------- drafts

def _from_json(answers: dict[str, Any]) -> dict[int, Any]:
    return {int(qid): value for qid, value in (answers or {}).items()}


def answers_to_continue(standing: Standing) -> dict[int, Any]:
    """What a tenant continues from: the draft read with the standing, or the changeable response."""
    if standing.draft is not None:
        return standing.draft
    if standing.answered and standing.answers_are_mine and standing.consultation.answers_changeable:
        return stored_answers(standing.consultation, standing.unit_key)
    return {}


def save_draft(consultation: Consultation, person: Person, answers: dict[int, Any]) -> None:
    """Merge a page's answers into the person's draft (a draft is never shared with the household)."""
    take_write_lock(db.session)
    draft = db.session.scalar(
        sa.select(Draft).where(Draft.consultation_id == consultation.id, Draft.person_id == person.id)
    )
    if draft is not None:
        merged = _from_json(draft.answers)
    elif consultation.answers_changeable:
        merged = stored_answers(consultation, invitations.unit_key_for(consultation, person))
    else:
        merged = {}
    merged.update(answers)
    payload = {str(qid): value for qid, value in merged.items() if value is not None}
    if draft is None:
        try:
            with db.session.begin_nested():
                db.session.add(Draft(consultation_id=consultation.id, person_id=person.id, answers=payload))
        except IntegrityError:  # a second tab saved first: keep the newest answers
            draft = db.session.scalar(
                sa.select(Draft).where(Draft.consultation_id == consultation.id, Draft.person_id == person.id)
            )
    if draft is not None:
        draft.answers = payload


def stored_answers(consultation: Consultation, unit_key: str) -> dict[int, Any]:
    """The answers of a named or confidential response (anonymous ones cannot be found by unit)."""
    if consultation.is_anonymous:
        return {}
    response = db.session.scalar(
        sa.select(Response).where(Response.consultation_id == consultation.id, Response.unit_key == unit_key)
    )
    if response is None:
        return {}
    specs = {spec.id: spec for spec in queries.specs_of(consultation)}
    grouped: dict[int, list[dict[str, Any]]] = {}
    for row in response.answers:
        grouped.setdefault(row.question_id, []).append(
            {"option_id": row.option_id, "row_id": row.row_id, "number": row.number, "text": row.text,
             "rank": row.rank}
        )
    return {qid: value_from_rows(specs[qid], rows) for qid, rows in grouped.items() if qid in specs}


# ---------------------------------------------------------------- submitting

# Built once: these run with every response sent.
_MARK_CODE_USED = (
    sa.update(Invitation.__table__)
    .where(Invitation.consultation_id == sa.bindparam("b_consultation"),
           Invitation.unit_key == sa.bindparam("b_unit"), Invitation.code_used_at.is_(None))
    .values(code_used_at=sa.bindparam("b_now"))
)
_INSERT_PARTICIPATION = sa.insert(Participation.__table__)
_INSERT_RESPONSE = sa.insert(Response.__table__)
_INSERT_ANSWERS = sa.insert(Answer.__table__)
_DELETE_DRAFT = sa.delete(Draft.__table__).where(
    Draft.consultation_id == sa.bindparam("consultation_id"), Draft.person_id == sa.bindparam("person_id"))

def submit_response(
    consultation: Consultation,
    *,
    unit_key: str,
    answers: dict[int, Any],
    channel: Channel,
    person: Person | None = None,
    entered_by: StaffUser | None = None,
    blanks_allowed: bool = False,
) -> str:
    """Store the one response of a counting unit, with its participation, in this transaction; its id.

    Answers to hidden questions are dropped first. Anonymous: the response holds no unit,
    person, channel or time finer than the day, and the participation holds no answer.
    Named and confidential: a second submit replaces the answers until closing. With a
    breakdown chosen, the response records the unit's neighbourhood (and complex) today.

    Raises:
        Conflict: the consultation is closed, or the unit has answered already (also when a
            concurrent request won the race: the unique constraint decides).
        IncompleteAnswers: a visible required question has no answer (unless ``blanks_allowed``: a paper
            form, entered as it was filled in), or an answer is given in part.
    """
    take_write_lock(db.session)
    now = utcnow()
    if not consultation.is_accepting(now) or not _still_accepting(consultation.id, now):
        raise Conflict(str(CLOSED))
    specs = queries.specs_of(consultation)
    kept = conditions.strip_hidden(consultation.sections, specs, answers)
    shown = set(conditions.visible_questions(consultation.sections, specs, kept))
    missing = check_complete([s for s in specs if s.id in shown], kept)
    if blanks_allowed:
        missing = {qid: problem for qid, problem in missing.items() if problem.code != "required"}
    if missing:
        # A request that lost a race finds the draft gone: it must hear "already answered",
        # not "incomplete". Complete answers need no such look: the unique participation
        # below refuses a unit that answered.
        if consultation.is_anonymous and invitations.has_taken_part(consultation.id, unit_key):
            raise Conflict(str(ALREADY_ANSWERED))
        raise IncompleteAnswers(missing)
    today = local_today(now)
    if not consultation.is_anonymous:
        # Locked: two requests changing the same response wait for each other (PostgreSQL; on
        # SQLite the write lock above does it), and the second sees who sent it by then.
        existing = db.session.scalar(
            sa.select(Response).where(Response.consultation_id == consultation.id, Response.unit_key == unit_key)
            .with_for_update()
        )
        if existing is not None:
            if not _may_replace(existing, unit_key, channel, person):
                raise Conflict(str(ALREADY_ANSWERED))
            _replace_answers(existing, specs, kept)
            existing.neighbourhood_id, existing.complex_id = invitations.place_of(consultation, unit_key)
            existing.changed_on = today
            existing.person_id = person.id if person else existing.person_id
            _delete_draft(consultation, person)
            if entered_by is not None:
                audit.record(f"consultation.{channel.value}_response_entered", actor=entered_by,
                             corporation_id=consultation.corporation_id, obj=consultation)
            return existing.id
    # A new response: nothing to clear or load. Plain inserts, not objects: this is the busiest write.
    response_id = new_response_id()
    named = not consultation.is_anonymous
    # A breakdown records the place (coarse, and only at the level chosen) for every channel.
    hood_id, complex_id = invitations.place_of(consultation, unit_key)
    connection = db.session.connection()
    try:
        # The participation first: a unit that answered already fails here. No savepoint: the
        # Conflict ends the request, whose transaction is rolled back (on PostgreSQL it is
        # unusable after the failed INSERT anyway).
        connection.execute(_INSERT_PARTICIPATION, {
            "consultation_id": consultation.id, "unit_key": unit_key, "channel": channel, "taken_part_on": today})
    except IntegrityError:
        raise Conflict(str(ALREADY_ANSWERED)) from None
    connection.execute(_INSERT_RESPONSE, {
        "id": response_id, "consultation_id": consultation.id, "submitted_on": today,
        "unit_key": unit_key if named else None, "person_id": person.id if named and person else None,
        "channel": channel if named else None, "changed_on": None,
        "neighbourhood_id": hood_id, "complex_id": complex_id})
    rows = _answer_values(specs, kept)
    if rows:
        connection.execute(_INSERT_ANSWERS, [{"response_id": response_id, **row} for row in rows])
    if consultation.first_response_on is None:
        connection.execute(
            sa.update(Consultation.__table__)
            .where(Consultation.id == consultation.id, Consultation.first_response_on.is_(None))
            .values(first_response_on=today)
        )
    connection.execute(_MARK_CODE_USED, {"b_consultation": consultation.id, "b_unit": unit_key, "b_now": now})
    _delete_draft(consultation, person)
    if entered_by is not None:
        # Who entered it and for which channel; never the answers.
        audit.record(f"consultation.{channel.value}_response_entered", actor=entered_by,
                     corporation_id=consultation.corporation_id, obj=consultation)
    return response_id


# Read again under a lock with every response sent: closing takes the row's FOR UPDATE lock, so
# a response and the closing cannot cross (the cached copy may be a moment old). KEY SHARE lets
# the first response's own UPDATE of first_response_on through without a deadlock.
_ACCEPTING = sa.select(_consultation.c.status, _consultation.c.opens_at, _consultation.c.closes_at).where(
    _consultation.c.id == sa.bindparam("id")).with_for_update(read=True, key_share=True)


def _still_accepting(consultation_id: int, now: datetime) -> bool:
    row = db.session.connection().execute(_ACCEPTING, {"id": consultation_id}).one()
    return (row.status is ConsultationStatus.OPEN and (row.opens_at is None or row.opens_at <= now)
            and (row.closes_at is None or now < row.closes_at))


def _may_replace(response: Response, unit_key: str, channel: Channel, person: Person | None) -> bool:
    """Whether a sent response may be changed by this request: never from a paper form (a used code),
    and online or with help only by its sender, or by the person it counts for."""
    if channel is Channel.PAPER or person is None:
        return False
    return unit_key == invitations.person_unit_key(person.id) or response.person_id == person.id


def _replace_answers(response: Response, specs: list[QuestionSpec], answers: dict[int, Any]) -> None:
    response.answers.clear()
    db.session.flush()
    response.answers.extend(_answer_rows(specs, answers))


def _answer_values(specs: list[QuestionSpec], answers: dict[int, Any]) -> list[dict[str, Any]]:
    by_id = {spec.id: spec for spec in specs}
    return [
        {"option_id": None, "row_id": None, "number": None, "text": None, "rank": None,
         **row, "question_id": qid, "item": item}
        for qid, value in answers.items()
        for item, row in enumerate(answer_rows(by_id[qid], value))
    ]


def _answer_rows(specs: list[QuestionSpec], answers: dict[int, Any]) -> list[Answer]:
    return [Answer(**values) for values in _answer_values(specs, answers)]


def _delete_draft(consultation: Consultation, person: Person | None) -> None:
    if person is None:
        return
    db.session.connection().execute(_DELETE_DRAFT, {"consultation_id": consultation.id, "person_id": person.id})


def can_change(consultation: Consultation, unit_key: str) -> bool:
    """Whether a unit that answered may still change its answers."""
    return consultation.answers_changeable and consultation.is_accepting(utcnow())


# ---------------------------------------------------------------- staff entering answers

def parse_all(consultation: Consultation, form: Any, *, blanks_allowed: bool = False,
              ) -> tuple[dict[int, Any], dict[int, Invalid]]:
    """Every answer of a whole consultation on one page (paper and assisted entry).

    Problems with questions that the other answers hide are ignored, as those answers are dropped.
    With ``blanks_allowed`` (a paper form: what it says is all there is) a required question left
    blank is no answer, not a problem; an answer given must still be valid and whole, and a form
    with no answer at all is refused (a slip, not a response), told at its first question.
    """
    specs = queries.specs_of(consultation)
    answers, errors = parse_page(specs, form)
    if blanks_allowed:
        errors = {qid: problem for qid, problem in errors.items() if problem.code != "required"}
    usable = {qid: value for qid, value in answers.items() if qid not in errors}
    shown = set(conditions.visible_questions(consultation.sections, specs, usable))
    errors = {qid: problem for qid, problem in errors.items() if qid in shown}
    if blanks_allowed and not errors and specs and all(value is None for value in usable.values()):
        errors = {specs[0].id: Invalid("form_empty")}
    return usable, errors


def invitation_for_entry(corporation_id: int, code: str) -> Invitation:
    """The invitation behind a code typed from a returned paper form.

    Raises:
        NotFound: unknown code (or another corporation's).
        Conflict: the person or dwelling has answered already, or the consultation is closed.
    """
    invitation = invitations.find_invitation_by_code(code, corporation_id)
    if invitation is None:
        raise NotFound(str(_l("This code is not known. Check the code on the form.")))
    if not invitation.consultation.is_accepting(utcnow()):
        raise Conflict(str(CLOSED))
    if invitations.has_taken_part(invitation.consultation_id, invitation.unit_key):
        raise Conflict(str(ALREADY_ANSWERED))
    return invitation


def invitation_for_person(consultation: Consultation, person: Person) -> Invitation:
    """The invitation a staff member answers for when assisting a tenant.

    Raises:
        NotFound: the tenant is not invited to this consultation.
        Conflict: answered already (anonymous) or closed.
    """
    invitation = get_invitation(consultation, invitations.unit_key_for(consultation, person))
    if invitation is None:
        raise NotFound(str(_l("This tenant is not invited to this consultation.")))
    if not consultation.is_accepting(utcnow()):
        raise Conflict(str(CLOSED))
    if consultation.is_anonymous and invitations.has_taken_part(consultation.id, invitation.unit_key):
        raise Conflict(str(ALREADY_ANSWERED))
    return invitation
