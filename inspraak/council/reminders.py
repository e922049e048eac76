"""Deadline reminders for advice requests, queued once per step by `flask inspraak send-reminders`."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from inspraak.core.timeutil import local_today
from inspraak.council import deadlines
from inspraak.council.advice import managers, request_link
from inspraak.council.models import (
    AdviceReminder, AdviceRequest, AdviceStatus, Follows, ReminderStep, RequestKind,
)
from inspraak.extensions import db
from inspraak.notify.services import enqueue, external_url
from inspraak.people.models import StaffUser

REASONS_REMINDER_DAYS = 3


@dataclass(frozen=True)
class ReminderRun:
    """What one run queued: the steps reminded and the messages queued."""

    steps: int
    messages: int


def send_reminders(today: date | None = None) -> ReminderRun:
    """Queue ``deadline_approaching`` for every advice step whose deadline is near, once per step.

    - Advice due within ``ADVICE_REMINDER_DAYS`` (default 7) days and not yet given: to the
      council's active chair and secretary, in their language, respecting their mail choices.
    - Written reasons due within 3 days (advice not followed fully, reasons not yet sent): to the
      staff member who sent the request, in their language.

    Only deadlines from today onwards count (an overdue step is shown on both sides' pages, not
    mailed late). Each step is recorded in ``AdviceReminder`` in the same transaction as its
    mail; its unique key makes a second run (or two runs at once) queue nothing. A step with no
    one to mail is still recorded. Flushes; the caller commits.
    """
    today = today or local_today()
    advice_until = today + timedelta(days=current_app.config["ADVICE_REMINDER_DAYS"])
    steps = messages = 0
    for request in _advice_due(today, advice_until):
        record = _claim(request, ReminderStep.ADVICE_DUE, request.deadline)
        if record is not None:
            record.recipients = _remind_council(request)
            messages += record.recipients
            steps += 1
    for request, due in _reasons_due(today, today + timedelta(days=REASONS_REMINDER_DAYS)):
        record = _claim(request, ReminderStep.REASONS_DUE, due)
        if record is not None:
            record.recipients = _remind_sender(request, due)
            messages += record.recipients
            steps += 1
    db.session.flush()
    return ReminderRun(steps=steps, messages=messages)


def _not_reminded(step: ReminderStep) -> sa.ColumnElement[bool]:
    return ~sa.exists().where(AdviceReminder.request_id == AdviceRequest.id, AdviceReminder.step == step)


def _advice_due(today: date, until: date) -> list[AdviceRequest]:
    return list(db.session.scalars(
        sa.select(AdviceRequest)
        .where(
            AdviceRequest.status == AdviceStatus.RECEIVED,
            AdviceRequest.kind != RequestKind.INFORMATION,
            AdviceRequest.deadline >= today,
            AdviceRequest.deadline <= until,
            _not_reminded(ReminderStep.ADVICE_DUE),
        )
        .options(selectinload(AdviceRequest.council))
        .order_by(AdviceRequest.id)
    ))


def _reasons_due(today: date, until: date) -> list[tuple[AdviceRequest, date]]:
    # Reasons are due 14 days after the advice was received; filter the window in SQL generously,
    # then exactly with the pure rule.
    candidates = db.session.scalars(
        sa.select(AdviceRequest)
        .where(
            AdviceRequest.follows.in_([Follows.PARTLY, Follows.NOT]),
            AdviceRequest.advice_sent_on.is_not(None),
            AdviceRequest.reasons_sent_on.is_(None),
            AdviceRequest.advice_sent_on >= today - timedelta(days=deadlines.REASONS_DUE_DAYS),
            _not_reminded(ReminderStep.REASONS_DUE),
        )
        .order_by(AdviceRequest.id)
    )
    result = []
    for request in candidates:
        due = deadlines.reasons_due(request.advice_sent_on)
        if today <= due <= until:
            result.append((request, due))
    return result


def _claim(request: AdviceRequest, step: ReminderStep, due: date) -> AdviceReminder | None:
    """Record the step as reminded; None when another run recorded it first."""
    record = AdviceReminder(request_id=request.id, step=step, due_on=due)
    try:
        with db.session.begin_nested():
            db.session.add(record)
            db.session.flush()
    except sa.exc.IntegrityError:
        return None
    return record


def _remind_council(request: AdviceRequest) -> int:
    council = request.council
    queued = 0
    for person in managers(council):
        message = enqueue(
            "deadline_approaching", to_address=person.email, language=person.preferred_language,
            corporation_id=request.corporation_id, person_id=person.id,
            context={"name": person.name, "council": council.name, "title": request.title,
                     "source_language": request.source_language, "deadline": request.deadline, "step": "advice",
                     "link": request_link(request), "corporation": council.corporation},
        )
        queued += message is not None
    return queued


def _remind_sender(request: AdviceRequest, due: date) -> int:
    staff = db.session.get(StaffUser, request.sent_by_id) if request.sent_by_id is not None else None
    if staff is None or not staff.active or not staff.email:
        return 0
    enqueue(
        "deadline_approaching", to_address=staff.email, language=staff.preferred_language,
        corporation_id=request.corporation_id,
        context={"name": staff.name, "council": request.council.name, "title": request.title,
                 "source_language": request.source_language, "deadline": due, "step": "reasons",
                 "link": external_url("council_manage.show_request", request_id=request.id),
                 "corporation": request.council.corporation},
    )
    return 1
