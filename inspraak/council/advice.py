"""Advice requests (Overlegwet art. 5): send, link, advise, respond, give reasons; the register."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from flask_babel import lazy_gettext as _l

from inspraak.core import audit
from inspraak.core.db import lock_for_change
from inspraak.core.errors import DomainError, InvalidTransition, NotFound
from inspraak.core.i18n import is_supported
from inspraak.consultations.models import Consultation, ConsultationStatus
from inspraak.core.timeutil import local_today
from inspraak.council import deadlines
from inspraak.council.models import (
    MANAGING_POSITIONS, AdviceRequest, AdviceStatus, Council, CouncilKind, Follows, Meeting, Member, Motion, RequestKind,
    Subject,
)
from inspraak.council.membership import active_members
from inspraak.extensions import db
from inspraak.notify.services import enqueue, external_url
from inspraak.people.models import Person, StaffUser


def send_request(
    council: Council, *, subject: Subject, kind: RequestKind, title: dict[str, str], body: dict[str, str],
    source_language: str, received_on: date, period_days: int, by: StaffUser, subject_other: str = "",
) -> AdviceRequest:
    """Record a written request from the corporation to a council, and mail its chair and secretary.

    Raises:
        DomainError: a period under six weeks; consent asked from a residents' committee or on
            another subject than service costs; "other" without a description.
    """
    if council.corporation_id != by.corporation_id:
        raise NotFound(str(_l("This council does not exist.")))
    if kind is RequestKind.CONSENT and (council.kind is not CouncilKind.TENANT_ORGANISATION or subject is not Subject.SERVICE_COSTS):
        raise DomainError(str(_l("Consent can only be asked from the tenant organisation, and only about service costs.")))
    if subject is Subject.OTHER and not subject_other.strip():
        raise DomainError(str(_l("Describe the subject.")))
    try:
        deadline = deadlines.advice_deadline(received_on, period_days)
    except deadlines.PeriodTooShort:
        raise DomainError(str(_l("The period must be at least six weeks (42 days)."))) from None
    request = AdviceRequest(
        corporation_id=council.corporation_id, council_id=council.id, subject=subject, subject_other=subject_other.strip(),
        kind=kind, title=title, body=body, source_language=source_language, received_on=received_on,
        period_days=period_days, deadline=deadline, sent_by_id=by.id,
    )
    db.session.add(request)
    db.session.flush()
    audit.record("council.advice_request.sent", actor=by, corporation_id=council.corporation_id, obj=request,
                 details={"kind": kind.value, "deadline": deadline.isoformat()})
    for person in managers(council):
        enqueue(
            "advice_request_received", to_address=person.email, language=person.preferred_language,
            corporation_id=council.corporation_id, person_id=person.id,
            context={"name": person.name, "council": council.name, "title": request.title,
                     "source_language": request.source_language, "deadline": request.deadline,
                     "link": request_link(request), "corporation": council.corporation},
        )
    return request


def managers(council: Council, today: date | None = None) -> list[Person]:
    """The active chair and secretary of a council who have an email address (each person once)."""
    people: dict[int, Person] = {}
    for member in active_members(council, today or local_today()):
        if member.position in MANAGING_POSITIONS and member.person.email:
            people.setdefault(member.person.id, member.person)
    return list(people.values())


def request_link(request: AdviceRequest) -> str:
    """The council's page of an advice request, as an absolute link for mail."""
    return external_url("council_secretary.advice_request", council_id=request.council_id, request_id=request.id)


def link_request(request: AdviceRequest, *, meeting: Meeting | None, motion: Motion | None,
                 consultation_id: int | None, by: Member) -> None:
    """The council links its meeting, the motion that adopts the advice, and optionally a consultation.

    Raises:
        NotFound: the meeting or motion belongs to another council, or the consultation to another
            corporation (or does not exist: the column is no foreign key).
    """
    if meeting is not None and meeting.council_id != request.council_id:
        raise NotFound(str(_l("This meeting does not exist.")))
    if motion is not None and motion.agenda_item.meeting.council_id != request.council_id:
        raise NotFound(str(_l("This motion does not exist.")))
    if consultation_id is not None:
        consultation = db.session.get(Consultation, consultation_id)
        if consultation is None or consultation.corporation_id != request.corporation_id:
            raise NotFound(str(_l("This consultation does not exist.")))
    request.meeting_id = meeting.id if meeting else None
    request.motion_id = motion.id if motion else None
    request.consultation_id = consultation_id
    db.session.flush()


def send_advice(request: AdviceRequest, *, text: str, language: str, sent_on: date, no_objection: bool = False,
                by: Member) -> None:
    """The council sends its written advice (or a written "no objection"), written in ``language``.

    Raises:
        InvalidTransition: advice was already given, or this is a request for information only.
        DomainError: empty text, a language the site does not offer, or a date in the future.
    """
    lock_for_change(request)  # a second send at the same moment is told the advice was sent
    if request.kind is RequestKind.INFORMATION:
        raise InvalidTransition(str(_l("This request asks for no advice.")))
    if request.status is not AdviceStatus.RECEIVED:
        raise InvalidTransition(str(_l("The advice has already been sent.")))
    if not text.strip():
        raise DomainError(str(_l("Write the advice.")))
    _check_language(language)
    if sent_on > local_today() or sent_on < request.received_on:
        raise DomainError(str(_l("Choose a date between the request and today.")))
    request.advice_text, request.advice_language = text.strip(), language
    request.advice_sent_on, request.status = sent_on, AdviceStatus.ADVICE_GIVEN
    if no_objection:
        request.no_objection_on = sent_on
    audit.record("council.advice.sent", actor=by.person, corporation_id=request.corporation_id, obj=request)
    db.session.flush()


def record_response(request: AdviceRequest, *, text: str, language: str, follows: Follows, responded_on: date,
                    by: StaffUser) -> None:
    """The corporation records its written response to the advice, written in ``language``.

    Raises:
        InvalidTransition: no advice yet, or a response was already recorded.
        DomainError: empty text, a language the site does not offer, or a date outside advice to today.
    """
    lock_for_change(request)
    if request.status is AdviceStatus.ANSWERED:
        raise InvalidTransition(str(_l("The response has already been recorded.")))
    if request.status is not AdviceStatus.ADVICE_GIVEN:
        raise InvalidTransition(str(_l("There is no advice to respond to.")))
    if not text.strip():
        raise DomainError(str(_l("Write the response.")))
    _check_language(language)
    if (problem := response_day_problem(request, responded_on)) is not None:
        raise DomainError(problem)
    request.response_text, request.response_language = text.strip(), language
    request.follows, request.responded_on = follows, responded_on
    request.status = AdviceStatus.ANSWERED
    audit.record("council.advice.answered", actor=by, corporation_id=request.corporation_id, obj=request,
                 details={"follows": follows.value})
    db.session.flush()


def send_reasons(request: AdviceRequest, *, text: str, language: str, sent_on: date, by: StaffUser) -> None:
    """The corporation gives its written reasons for not following the advice fully, written in ``language``.

    Raises:
        InvalidTransition: the advice was followed fully, or reasons were already sent.
        DomainError: empty text, a language the site does not offer, or a date outside response to today.
    """
    lock_for_change(request)
    if request.follows in (None, Follows.FULLY) or request.reasons_sent_on is not None:
        raise InvalidTransition(str(_l("No reasons are needed now.")))
    if not text.strip():
        raise DomainError(str(_l("Write the reasons.")))
    _check_language(language)
    if (problem := reasons_day_problem(request, sent_on)) is not None:
        raise DomainError(problem)
    request.reasons_text, request.reasons_language, request.reasons_sent_on = text.strip(), language, sent_on
    audit.record("council.advice.reasons_sent", actor=by, corporation_id=request.corporation_id, obj=request)
    db.session.flush()


def response_day_problem(request: AdviceRequest, day: date) -> str | None:
    """Why a response cannot be dated ``day`` (not between the advice and today), or None.

    The form asks it too, so that the message stands beside the date with what was typed kept."""
    if request.advice_sent_on is not None and not request.advice_sent_on <= day <= local_today():
        return str(_l("Choose a date between the advice and today."))
    return None


def reasons_day_problem(request: AdviceRequest, day: date) -> str | None:
    """Why reasons cannot be dated ``day`` (not between the response and today), or None."""
    if request.responded_on is not None and not request.responded_on <= day <= local_today():
        return str(_l("Choose a date between the response and today."))
    return None


def _check_language(language: str) -> None:
    """Refuse a language the site does not offer: the text would be shown with a ``lang`` no reader has."""
    if not is_supported(language):
        raise DomainError(str(_l("Choose one of the options shown.")))


@dataclass(frozen=True)
class Timeline:
    """A request's dates and what is late today, and the consultation of tenants the council named."""

    request: AdviceRequest
    reasons_due: date | None
    earliest_proceed: date | None
    overdue: list[str]
    consultation: Consultation | None = None


def timeline(request: AdviceRequest, today: date | None = None,
             consultations: dict[int, Consultation] | None = None) -> Timeline:
    """The timeline of one request as both sides see it. ``consultations``: those of a list of requests, loaded
    at once (``_linked_consultations``); without it, this request's own is loaded."""
    state = request.state
    needs_reasons = request.follows not in (None, Follows.FULLY) and request.advice_sent_on is not None
    if consultations is None:
        consultations = _linked_consultations([request])
    return Timeline(
        request=request,
        reasons_due=deadlines.reasons_due(request.advice_sent_on) if needs_reasons else None,
        earliest_proceed=deadlines.earliest_proceed(state) if request.kind is not RequestKind.INFORMATION else None,
        overdue=deadlines.overdue_steps(state, today or local_today()) if request.kind is not RequestKind.INFORMATION else [],
        consultation=consultations.get(request.consultation_id),
    )


def _linked_consultations(requests: list[AdviceRequest]) -> dict[int, Consultation]:
    """The consultations the requests name, by id, in one query; each only of its request's own corporation
    (the column is no foreign key)."""
    wanted = {(r.consultation_id, r.corporation_id) for r in requests if r.consultation_id}
    if not wanted:
        return {}
    found = db.session.scalars(sa.select(Consultation).where(Consultation.id.in_({i for i, _c in wanted})))
    return {c.id: c for c in found if (c.id, c.corporation_id) in wanted}


def consultation_choices(corporation_id: int) -> list[Consultation]:
    """The consultations a council can name as the one it consulted tenants with on a request: every one of the
    corporation that has been opened (a draft asked nobody yet), newest first."""
    return list(db.session.scalars(
        sa.select(Consultation)
        .where(Consultation.corporation_id == corporation_id, Consultation.status != ConsultationStatus.DRAFT)
        .order_by(Consultation.id.desc())
    ))


def list_register(corporation_id: int, *, council_id: int | None = None) -> list[Timeline]:
    """Every request of a corporation (or one council), newest first, with its timeline."""
    stmt = (sa.select(AdviceRequest).where(AdviceRequest.corporation_id == corporation_id)
            .options(selectinload(AdviceRequest.meeting)))
    if council_id is not None:
        stmt = stmt.where(AdviceRequest.council_id == council_id)
    today = local_today()
    requests = list(db.session.scalars(stmt.order_by(AdviceRequest.received_on.desc(), AdviceRequest.id.desc())))
    consultations = _linked_consultations(requests)
    return [timeline(r, today, consultations) for r in requests]


def list_published_register(council: Council) -> list[Timeline]:
    """A council's requests whose advice was sent, with the corporation's response: what tenants and partners read."""
    return [t for t in list_register(council.corporation_id, council_id=council.id) if t.request.advice_sent_on]


def get_request(corporation_id: int, request_id: int) -> AdviceRequest:
    """A request of this corporation.

    Raises:
        NotFound: another corporation's request or none.
    """
    request = db.session.get(AdviceRequest, request_id)
    if request is None or request.corporation_id != corporation_id:
        raise NotFound(str(_l("This advice request does not exist.")))
    return request
