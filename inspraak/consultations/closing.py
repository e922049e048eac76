"""The closing time: closing when it passes, moving it while open, and opening once more before publication."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from inspraak.consultations import addressing, authoring
from inspraak.consultations.models import Consultation, ConsultationStatus
from inspraak.core import audit, edits
from inspraak.core.db import utcnow
from inspraak.core.errors import FieldRefused
from inspraak.core.forms import REASON_TOO_LONG
from inspraak.extensions import db
from inspraak.people.models import StaffUser

REASON_MAX_LENGTH = 500


class InvalidClosing(FieldRefused):
    """A new closing time or its reason cannot be accepted; ``field`` names the form field at fault."""


def auto_close_due(now: datetime | None = None) -> list[Consultation]:
    """Close every open consultation whose closing time has passed (the `flask inspraak tick` job).

    Each is locked and checked again first, so a closing time an editor just moved to later, or
    a consultation closed by hand a moment ago, is left alone.

    Returns:
        The consultations closed.
    """
    now = now or utcnow()
    due = db.session.scalars(
        sa.select(Consultation).where(Consultation.status == ConsultationStatus.OPEN, Consultation.closes_at <= now)
        .order_by(Consultation.id)
    ).all()
    closed = []
    for consultation in due:
        authoring.lock_consultation(consultation)
        if consultation.status is ConsultationStatus.OPEN and consultation.closes_at is not None \
                and consultation.closes_at <= now:
            consultation.close(now)
            audit.record("consultation.closed", actor=None, corporation_id=consultation.corporation_id,
                         obj=consultation, details={"scheduled": True})
            closed.append(consultation)
    return closed


def _check(closes_at: datetime, reason: str, now: datetime) -> str:
    reason = reason.strip()
    if not reason:
        raise InvalidClosing(str(_l("Write why the closing time changes. Tenants and colleagues may ask.")), "reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise InvalidClosing(REASON_TOO_LONG.render(n=REASON_MAX_LENGTH), "reason")
    if closes_at <= now:
        raise InvalidClosing(str(_l("Choose a closing time in the future.")), "closes_at")
    return reason


def _tell_who_has_not_answered(consultation: Consultation, *, reopened: bool) -> int:
    mailed = addressing.mail_invited(consultation, addressing.not_answered(consultation),
                                     "consultation_closing_changed", extra={"reopened": reopened})
    return len(mailed)


def _merged(consultation: Consultation, closes_at: datetime, seen: str | None) -> datetime:
    """The closing time to set: ``seen``, the closing time the form was shown with (``core.edits``), tells
    a time the sender chose from one someone else set meanwhile (then EditClash)."""
    return edits.merge_values(seen, {"closes_at": consultation.closes_at}, {"closes_at": closes_at})["closes_at"]


def change_closing_time(consultation: Consultation, closes_at: datetime, *, reason: str, notify: bool,
                        by: StaffUser, seen: str | None = None) -> int:
    """Move the closing time of an open consultation, later or earlier, with a reason that is audited.

    Args:
        closes_at: the new closing time (UTC), after now and after the opening time.
        reason: why; kept in the audit log.
        notify: mail those who have not answered (yet) the new closing time, with their code.
    Returns:
        How many mails were queued.
    Raises:
        InvalidTransition: the consultation is not open.
        InvalidClosing: no reason, or a closing time that is not in the future or not after the opening.
        EditClash: someone else moved the closing time since the form was shown, and the sender chose another.
    """
    authoring.lock_consultation(consultation)
    closes_at = _merged(consultation, closes_at, seen)
    now = utcnow()
    reason = _check(closes_at, reason, now)
    if consultation.opens_at is not None and closes_at <= consultation.opens_at:
        raise InvalidClosing(str(_l("The closing time must come after the opening time.")), "closes_at")
    previous = consultation.closes_at
    consultation.move_closing(now, closes_at)
    mailed = _tell_who_has_not_answered(consultation, reopened=False) if notify else 0
    audit.record("consultation.closing_changed", actor=by, corporation_id=consultation.corporation_id,
                 obj=consultation, details={"from": previous.isoformat() if previous else None,
                                            "to": closes_at.isoformat(), "reason": reason, "mails": mailed})
    return mailed


def reopen_consultation(consultation: Consultation, closes_at: datetime, *, reason: str, notify: bool,
                        by: StaffUser, seen: str | None = None) -> int:
    """Open a closed consultation once more, until a new closing time; never once its results are published.

    The invitation list stays as it was frozen; codes of those who have not answered work again.

    Returns:
        How many mails were queued.
    Raises:
        InvalidTransition: not closed (published or archived), or it was opened again before.
        InvalidClosing: no reason, or a closing time that is not in the future.
        EditClash: someone else opened it again or moved its closing time since the form was shown.
    """
    authoring.lock_consultation(consultation)
    db.session.refresh(consultation, ["reopened_at"])
    closes_at = _merged(consultation, closes_at, seen)
    now = utcnow()
    reason = _check(closes_at, reason, now)
    closed_at = consultation.closed_at
    consultation.reopen(now, closes_at)
    mailed = _tell_who_has_not_answered(consultation, reopened=True) if notify else 0
    audit.record("consultation.reopened", actor=by, corporation_id=consultation.corporation_id, obj=consultation,
                 details={"closed_at": closed_at.isoformat() if closed_at else None, "to": closes_at.isoformat(),
                          "reason": reason, "mails": mailed})
    return mailed
