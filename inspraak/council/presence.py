"""Who takes part in a meeting: the attendance register and written proxies."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from inspraak.core import audit, edits
from inspraak.core.errors import Conflict, DomainError, InvalidTransition
from inspraak.council import rules
from inspraak.council.agendas import lock_meeting, lock_motions, person_of
from inspraak.council.membership import require_meeting_member
from inspraak.council.models import (
    AgendaItem, Attendance, AttendanceStatus, BallotParticipation, Meeting, MeetingStatus, Member, Motion, Proxy,
    Vote,
)
from inspraak.extensions import db

PROXY_MESSAGES = {
    "not_allowed": _l("The statutes of this council do not allow proxies."),
    "self": _l("A member cannot give a proxy to themselves."),
    "already_given": _l("This member has already given a proxy for this meeting."),
    "chain": _l("A proxy cannot be passed on: the holder gave a proxy, or the giver holds one."),
    "cap": _l("This member already holds the most proxies the statutes allow."),
}


def attendance_values(attendance: dict[int, AttendanceStatus | None]) -> dict[str, AttendanceStatus | None]:
    """The attendance register as its form shows it, by the form's field names (``core.edits`` compares them)."""
    return {f"member-{member_id}": status for member_id, status in attendance.items()}


def register_attendance(meeting: Meeting, entries: dict[int, AttendanceStatus], *, by: Member,
                        seen: str | None = None) -> None:
    """Record present, absent or excused for members of the meeting's council.

    Only the members of the meeting count (``meeting_members``: on the council on the meeting's day),
    also when the secretary enters the register days later: the register page lists them, and votes
    and quorum count them. A member whose term ended before that day, who joined after it, or who
    was removed by then is refused.

    ``seen``: the fingerprint of the register the form showed (``core.edits``): the chair and the
    secretary entering it at once keep each other's entries; one member entered by both differently
    is refused (EditClash).

    Raises:
        DomainError: a member of another council, or one who did not sit on this council on the meeting's day.
        InvalidTransition: the minutes were published already.
        EditClash: someone else entered another status for a member the sender changed, at the same moment.
    """
    if meeting.status in (MeetingStatus.PLANNED, MeetingStatus.MINUTES_PUBLISHED):
        raise InvalidTransition(str(_l("Attendance can be registered once the agenda is published.")))
    lock_meeting(meeting)  # two saves at once: the second sees the rows the first added
    stored = list_attendance(meeting)
    values = edits.merge_values(seen, attendance_values({m: stored.get(m) for m in entries}),
                                attendance_values(entries))
    entries = {int(name.removeprefix("member-")): status for name, status in values.items() if status is not None}
    members = {m.id: m for m in meeting.council.members}
    for member_id, status in entries.items():
        if member_id not in members:
            raise DomainError(str(_l("This member does not exist.")))
        require_meeting_member(meeting, members[member_id])
        row = db.session.get(Attendance, (meeting.id, member_id))
        if row is None:
            db.session.add(Attendance(meeting_id=meeting.id, member_id=member_id, status=status))
        else:
            row.status = status
    audit.record("council.attendance.registered", actor=person_of(by), corporation_id=meeting.council.corporation_id, obj=meeting)
    db.session.flush()


def list_attendance(meeting: Meeting) -> dict[int, AttendanceStatus]:
    """member id → attendance status for a meeting (as the database holds it now, also rows loaded before)."""
    rows = db.session.scalars(sa.select(Attendance).where(Attendance.meeting_id == meeting.id)
                              .execution_options(populate_existing=True))
    return {row.member_id: row.status for row in rows}


def list_proxies(meeting: Meeting) -> list[Proxy]:
    return list(db.session.scalars(sa.select(Proxy).where(Proxy.meeting_id == meeting.id).order_by(Proxy.id)))


def proxy_pairs(meeting_id: int) -> list[tuple[int, int]]:
    """(giver, holder) member ids of a meeting's proxies."""
    return [tuple(row) for row in db.session.execute(
        sa.select(Proxy.giver_id, Proxy.holder_id).where(Proxy.meeting_id == meeting_id)
    )]


def record_proxy(meeting: Meeting, giver: Member, holder: Member, *, signed_on: datetime, by: Member) -> Proxy:
    """Record a written proxy from giver to holder for one meeting.

    Both must sit on the council on the meeting's day, also when the proxy is given weeks before:
    the giver hands over their vote at that meeting, and the holder casts it there. A member whose
    term ends before the meeting cannot give one; one whose term starts by then can.

    Raises:
        DomainError: a member of another council, one not on the council on the meeting's day, or a
            rule of the statutes (cap, chain, self).
        Conflict: the giver already gave a proxy or already voted at this meeting.
        InvalidTransition: the meeting is closed.
    """
    lock_meeting(meeting)  # the meeting being closed at the same moment is seen
    _require_not_closed(meeting)
    for member in (giver, holder):
        require_meeting_member(meeting, member)
    lock_motions(meeting)  # a vote by the giver at the same moment is counted first (and refuses this) or refused
    try:
        rules.check_proxy(giver.id, holder.id, proxy_pairs(meeting.id), meeting.council.statutes)
    except rules.RuleViolation as error:
        raise (Conflict if error.reason == "already_given" else DomainError)(str(PROXY_MESSAGES[error.reason])) from None
    if _has_voted_in_meeting(meeting, giver):
        raise Conflict(str(_l("This member has already voted at this meeting and cannot give a proxy.")))
    proxy = Proxy(meeting_id=meeting.id, giver_id=giver.id, holder_id=holder.id, signed_on=signed_on, recorded_by_id=by.id)
    db.session.add(proxy)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except sa.exc.IntegrityError:
        raise Conflict(str(PROXY_MESSAGES["already_given"])) from None
    audit.record("council.proxy.recorded", actor=person_of(by), corporation_id=meeting.council.corporation_id, obj=proxy,
                 details={"giver_member": giver.id, "holder_member": holder.id})
    return proxy


def withdraw_proxy(proxy: Proxy, *, by: Member) -> None:
    """Remove a proxy that has not been used, before the meeting closes.

    The proxies of a closed meeting are part of its record (who could vote for whom, on which
    the quorum and the minutes rest), so they stay as they were.

    Raises:
        Conflict: the holder already voted with it, or it was withdrawn already (a second press at the same moment).
        InvalidTransition: the meeting is closed.
    """
    meeting = db.session.get(Meeting, proxy.meeting_id)
    lock_meeting(meeting)  # the meeting being closed at the same moment is seen
    _require_not_closed(meeting)
    # A vote cast with this proxy at the same moment is either counted first (and the proxy stays) or finds it gone.
    lock_motions(meeting)
    if db.session.scalar(sa.select(Proxy.id).where(Proxy.id == proxy.id).with_for_update()) is None:
        raise Conflict(str(_l("This proxy has already been withdrawn.")))
    if _has_voted_in_meeting(meeting, proxy.giver):
        raise Conflict(str(_l("This proxy has been used and cannot be withdrawn.")))
    audit.record("council.proxy.withdrawn", actor=person_of(by), corporation_id=meeting.council.corporation_id, obj=proxy)
    db.session.delete(proxy)
    db.session.flush()


def _require_not_closed(meeting: Meeting) -> None:
    if meeting.status in (MeetingStatus.CLOSED, MeetingStatus.MINUTES_PUBLISHED):
        raise InvalidTransition(str(_l("This meeting is closed: its proxies can no longer be changed.")))


def _has_voted_in_meeting(meeting: Meeting, member: Member) -> bool:
    """True when the member's person has voted at the meeting, under this term or another one."""
    motion_ids = sa.select(Motion.id).join(AgendaItem).where(AgendaItem.meeting_id == meeting.id)
    named = db.session.scalar(sa.select(sa.func.count()).select_from(Vote).where(
        Vote.motion_id.in_(motion_ids), Vote.person_id == member.person_id))
    secret = db.session.scalar(sa.select(sa.func.count()).select_from(BallotParticipation).where(
        BallotParticipation.motion_id.in_(motion_ids), BallotParticipation.person_id == member.person_id))
    return bool(named or secret)
