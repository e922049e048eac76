"""Planned actions: what the corporation will do with the answers, and how each stands."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from inspraak.consultations.models import Consultation, ConsultationStatus
from inspraak.core import audit, edits
from inspraak.core.db import lock_for_change, utcnow
from inspraak.core.errors import Conflict, FieldRefused, NotFound
from inspraak.core.forms import REASON_TOO_LONG
from inspraak.core.timeutil import local_today
from inspraak.extensions import db
from inspraak.people.models import StaffUser
from inspraak.results.models import Outcome, OutcomeStatus
from inspraak.results.publications import VISIBLE


def list_outcomes(consultation_id: int) -> list[Outcome]:
    return list(db.session.scalars(
        sa.select(Outcome).where(Outcome.consultation_id == consultation_id).order_by(Outcome.id)
    ))


class InvalidOutcome(FieldRefused):
    """An action cannot be saved as sent; ``field`` names the form field at fault."""


def _check_planned_date(status: OutcomeStatus, due_on) -> None:  # noqa: ANN001
    """Tenants read "Planned for <date>": while an action is only planned, its date cannot have passed.

    Done, under way or not going ahead, an action may keep the date it was planned for.
    """
    if status is OutcomeStatus.PLANNED and due_on is not None and due_on < local_today():
        raise InvalidOutcome(str(_l("This date has passed. For a planned action, choose today or a later date, "
                                    "or leave the date empty.")), "due_on")


def add_outcome(consultation: Consultation, *, text: str, due_on, by: StaffUser) -> Outcome:  # noqa: ANN001
    """A planned action: what the corporation will do with the answers.

    Raises:
        Conflict: the consultation is not closed yet.
        InvalidOutcome: the text is empty or only spaces (``text``), or the date has passed (``due_on``).
    """
    _editable_outcomes(consultation)
    if not text.strip():
        raise InvalidOutcome(str(_l("%(text)s cannot be empty.", text=_l("What we will do"))), "text")
    _check_planned_date(OutcomeStatus.PLANNED, due_on)
    outcome = Outcome(corporation_id=consultation.corporation_id, consultation_id=consultation.id,
                      source_language=consultation.source_language, text={consultation.source_language: text.strip()},
                      due_on=due_on)
    db.session.add(outcome)
    db.session.flush()
    audit.record("results.outcome_added", actor=by, corporation_id=consultation.corporation_id, obj=consultation)
    return outcome


def outcome_values(outcome: Outcome) -> dict[str, Any]:
    """A planned action as its form shows it (``core.edits`` compares them): status, date, the reason it stops."""
    return {"status": outcome.status, "due_on": outcome.due_on,
            "note": (outcome.status_note or {}).get(outcome.source_language, "")}


def update_outcome(outcome: Outcome, *, status: OutcomeStatus, due_on, by: StaffUser,  # noqa: ANN001
                   note: str = "", seen: str | None = None) -> None:
    """Move an action on (planned → in progress → done), dated by the server clock, or change its planned date.

    Withdrawing an action (it will not go ahead) needs the reason, ``note``, in the action's
    source language; a changed reason drops the translations of the old one. Any other
    status keeps the reason stored but does not show it.

    ``seen``: the fingerprint of the action the form showed (``core.edits``): what the sender left as
    shown keeps what another publisher saved meanwhile; the status and its reason go together.

    Raises:
        InvalidOutcome: withdrawn without a reason, or a reason over 2,000 characters (``note``); still
            planned for a date that has passed (``due_on``).
        EditClash: someone else changed the status (or reason) or the date the sender changed, at the same moment.
    """
    lock_for_change(outcome)
    values = edits.merge_values(seen, outcome_values(outcome), {"status": status, "due_on": due_on, "note": note},
                                together=[("status", "note")])
    status, due_on = OutcomeStatus(values["status"]), values["due_on"]
    note = (values["note"] or "").strip()
    if status is OutcomeStatus.WITHDRAWN:
        if not note:
            raise InvalidOutcome(str(_l("Say why this action is not going ahead.")), "note")
        if len(note) > 2000:
            raise InvalidOutcome(REASON_TOO_LONG.render(n=2000), "note")
        source = outcome.source_language
        if (outcome.status_note or {}).get(source) != note:
            outcome.status_note = {source: note}
    _check_planned_date(status, due_on)
    if status is not outcome.status:
        outcome.status_changed_at = utcnow()
    outcome.status = status
    outcome.due_on = due_on
    db.session.flush()
    audit.record("results.outcome_updated", actor=by, corporation_id=outcome.corporation_id, obj=outcome,
                 details={"status": status.value})


def _editable_outcomes(consultation: Consultation) -> None:
    if consultation.status not in (ConsultationStatus.CLOSED, *VISIBLE):
        raise Conflict(str(_l("Results can be prepared once the consultation is closed.")))


def get_outcome(corporation_id: int, outcome_id: int) -> Outcome:
    outcome = db.session.get(Outcome, outcome_id)
    if outcome is None or outcome.corporation_id != corporation_id:
        raise NotFound(str(_l("This action does not exist.")))
    return outcome
