"""What a meeting leaves behind: its minutes (revisions, approval, publication) and the published decisions."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from inspraak.core import audit
from inspraak.core.db import utcnow
from inspraak.core.errors import DomainError, InvalidTransition
from inspraak.council.agendas import lock_meeting, person_of
from inspraak.council.models import (
    AgendaItem, Council, Meeting, MeetingStatus, Member, MinutesRevision, Motion, MotionStatus,
)
from inspraak.extensions import db


def save_minutes(meeting: Meeting, text: dict[str, str], *, source_language: str,
                 by: Member) -> MinutesRevision | None:
    """Keep a new revision of the minutes; earlier revisions stay.

    Text that reads as the latest revision does, in the same language, is not a new version: saved
    again unchanged, pressed twice, or sent from two pages at the same moment (the second waits for
    the first under the meeting's lock and then finds its revision), it keeps nothing and returns None.
    Line breaks as a browser sends them (CR LF) and spaces around the text do not count as changes.

    Raises:
        InvalidTransition: the meeting has not started, or the minutes are approved already.
        DomainError: the text is empty.
    """
    lock_meeting(meeting)
    if meeting.status in (MeetingStatus.PLANNED, MeetingStatus.AGENDA_PUBLISHED):
        raise InvalidTransition(str(_l("Minutes can be written once the meeting has started.")))
    if meeting.minutes_approved_at is not None:
        raise InvalidTransition(str(_l("The minutes are approved and can no longer be changed.")))
    if not any(v.strip() for v in text.values()):
        raise DomainError(str(_l("The minutes are empty.")))
    db.session.refresh(meeting, ["revisions"])  # under the lock: a revision saved meanwhile is among them
    latest = meeting.latest_revision
    if latest is not None and latest.source_language == source_language and _reads(latest.text) == _reads(text):
        return None
    revision = MinutesRevision(meeting_id=meeting.id, text=text, source_language=source_language, author_id=by.id)
    db.session.add(revision)
    db.session.flush()
    db.session.refresh(meeting, ["revisions"])
    return revision


def _reads(text: dict[str, str]) -> dict[str, str]:
    """Minutes as they read: Unix line breaks, no spaces around them, no empty languages."""
    return {lang: value.replace("\r\n", "\n").strip() for lang, value in text.items() if value.strip()}


def approve_minutes(meeting: Meeting, *, by: Member) -> MinutesRevision:
    """Approve the latest revision (usually at the next meeting).

    Raises:
        InvalidTransition: the meeting is not closed, there are no minutes, or they are approved already.
    """
    lock_meeting(meeting)
    if meeting.status is not MeetingStatus.CLOSED:
        raise InvalidTransition(str(_l("Minutes are approved after the meeting has closed.")))
    if meeting.minutes_approved_at is not None:
        raise InvalidTransition(str(_l("The minutes are already approved.")))
    revision = meeting.latest_revision
    if revision is None:
        raise InvalidTransition(str(_l("There are no minutes yet.")))
    revision.approved_at = meeting.minutes_approved_at = utcnow()
    audit.record("council.minutes.approved", actor=person_of(by), corporation_id=meeting.council.corporation_id,
                 obj=meeting, details={"revision": revision.id})
    db.session.flush()
    return revision


def publish_minutes(meeting: Meeting, *, by: Member) -> None:
    """Share the approved minutes and the decisions with tenants.

    Raises:
        InvalidTransition: the minutes are not approved, or already published.
    """
    lock_meeting(meeting)
    try:
        meeting.publish_minutes()
    except InvalidTransition:
        raise InvalidTransition(str(_l("Approve the minutes before publishing them."))) from None
    audit.record("council.minutes.published", actor=person_of(by), corporation_id=meeting.council.corporation_id, obj=meeting)
    db.session.flush()


def _public_decisions(council_ids: list[int]) -> sa.Select:
    """The motions of these councils that tenants and partners may read: closed votes of meetings whose
    minutes are published (the decision list is approved with the minutes and then shared, as ``publish_minutes`` says)."""
    return (sa.select(Motion).join(AgendaItem).join(Meeting)
            .where(Meeting.council_id.in_(council_ids), Meeting.status == MeetingStatus.MINUTES_PUBLISHED,
                   Motion.status == MotionStatus.CLOSED))


def list_decisions(council: Council) -> list[Motion]:
    """The published decisions of a council, newest meeting first: the decision list tenants and staff see.

    A decision becomes public with its meeting's minutes, once they are approved and published.
    """
    return list(db.session.scalars(
        _public_decisions([council.id]).order_by(Meeting.starts_at.desc(), AgendaItem.position, Motion.id)
    ))


def list_recent_decisions(councils: list[Council], limit: int = 10) -> list[Motion]:
    """The newest decisions of several councils (the same rule as ``list_decisions``), last vote closed first."""
    if not councils:
        return []
    return list(db.session.scalars(
        _public_decisions([c.id for c in councils])
        .options(selectinload(Motion.result), selectinload(Motion.agenda_item).selectinload(AgendaItem.meeting))
        .order_by(Motion.closed_at.desc(), Motion.id.desc()).limit(limit)
    ))
