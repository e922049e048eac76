"""Retention: the raw answers and personal codes of a consultation go a set time after its results are published.

The privacy rule (DOMAIN, "Privacy"): raw responses and access codes are removed a
configurable time after results are published; published aggregates stay. The time is
``RESPONSES_KEPT_DAYS`` (default 365) counted from the first publication; the clock
(``flask inspraak tick``) removes what is due.

What goes, in one transaction per consultation:

* every response with its answers, and every saved draft;
* the participation records (who took part, how, on which day);
* the personal codes of the invitation list (salt and digest): no letter can be printed
  or used again.

What stays: the consultation with its questions, the invitation list (who was asked: they
keep reading the results and the neighbourhood page), every publication with its frozen
numbers, summary and quotes, the chosen quotes and the actions, and the counts the staff
pages show (how many took part per channel, a support measurement's count), kept in
``kept_counts``. ``responses_removed_at`` records the moment; staff pages show the
published numbers from then on, and a correction keeps them (only its texts can change).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from inspraak.consultations import invitations, support
from inspraak.consultations.models import (
    Answer,
    Consultation,
    ConsultationStatus,
    Draft,
    Invitation,
    Participation,
    Response,
)
from inspraak.core import audit
from inspraak.core.db import take_write_lock, utcnow
from inspraak.extensions import db
from inspraak.results.models import Publication


@dataclass(frozen=True)
class Removed:
    """What one removal took away."""

    consultation_id: int
    corporation_id: int
    responses: int
    participations: int
    drafts: int
    codes: int


def kept_days() -> int:
    return max(0, int(current_app.config.get("RESPONSES_KEPT_DAYS", 365)))


def removal_date(first_published_at: datetime) -> datetime:
    """When the answers of a consultation first published at that moment are removed."""
    return first_published_at + timedelta(days=kept_days())


def due(now: datetime | None = None) -> list[int]:
    """Ids of the published (or archived) consultations whose answers are due for removal, oldest first."""
    cutoff = (now or utcnow()) - timedelta(days=kept_days())
    first = (sa.select(Publication.consultation_id, sa.func.min(Publication.created_at).label("at"))
             .group_by(Publication.consultation_id).subquery())
    return list(db.session.scalars(
        sa.select(Consultation.id).join(first, first.c.consultation_id == Consultation.id)
        .where(Consultation.status.in_([ConsultationStatus.PUBLISHED, ConsultationStatus.ARCHIVED]),
               Consultation.responses_removed_at.is_(None), first.c.at <= cutoff)
        .order_by(first.c.at)
    ))


def remove_answers(consultation_id: int, now: datetime | None = None) -> Removed | None:
    """Remove the raw answers, drafts, participation records and codes of one published consultation.

    Loads and locks the consultation row in one statement (the write lock on SQLite), so two
    clocks never remove twice; a consultation already done, not published or gone is left
    alone (None).
    """
    now = now or utcnow()
    take_write_lock(db.session)
    locked = db.session.scalar(sa.select(Consultation).where(Consultation.id == consultation_id)
                               .with_for_update().execution_options(populate_existing=True))
    if (locked is None or locked.responses_removed_at is not None
            or locked.status not in (ConsultationStatus.PUBLISHED, ConsultationStatus.ARCHIVED)):
        return None
    cid = locked.id
    # The counts staff pages show (how many took part, per channel; a support measurement's count) hold no
    # one's answer: they are kept, as they are now, before the rows they come from go.
    rate = invitations.response_rate(locked)
    kept: dict = {"rate": {"invited": rate.invited, "by_channel": rate.by_channel}}
    if locked.is_support_measurement:
        result = support.support_result(locked)
        kept["support"] = {"agreeing": result.agreeing, "disagreeing": result.disagreeing,
                           "total_dwellings": result.total_dwellings, "threshold": str(result.threshold)}
    # Answers would go with their responses (ON DELETE CASCADE); deleted first, explicitly, all the same.
    # Bulk statements, the session not kept in step: the clock holds none of these rows.
    def run(statement) -> int:  # noqa: ANN001
        return db.session.execute(statement, execution_options={"synchronize_session": False}).rowcount

    run(sa.delete(Answer).where(Answer.response_id.in_(sa.select(Response.id).where(Response.consultation_id == cid))))
    counts = Removed(
        consultation_id=cid,
        corporation_id=locked.corporation_id,
        responses=run(sa.delete(Response).where(Response.consultation_id == cid)),
        participations=run(sa.delete(Participation).where(Participation.consultation_id == cid)),
        drafts=run(sa.delete(Draft).where(Draft.consultation_id == cid)),
        codes=run(sa.update(Invitation).where(Invitation.consultation_id == cid, Invitation.code_digest.is_not(None))
                  .values(code_salt=None, code_digest=None)),
    )
    locked.responses_removed_at = now
    locked.kept_counts = kept
    db.session.flush()
    audit.record("results.answers_removed", actor=None, corporation_id=locked.corporation_id, obj=locked,
                 details={"responses": counts.responses, "participations": counts.participations,
                          "drafts": counts.drafts, "codes": counts.codes, "kept_days": kept_days()})
    return counts


def remove_due(now: datetime | None = None) -> list[Removed]:
    """Remove what is due now (the clock calls this); the caller commits."""
    return [removed for cid in due(now) if (removed := remove_answers(cid, now)) is not None]
