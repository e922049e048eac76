"""Councils, members, meetings, agendas, attendance, proxies and minutes: the verbs."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app, has_request_context, url_for
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from inspraak.core import audit, edits
from inspraak.core.db import lock_for_change, utcnow
from inspraak.core.errors import Conflict, DomainError, InvalidTransition, NotFound
from inspraak.core.i18n_setup import html_message, isolate
from inspraak.core.timeutil import local_today
from inspraak.council import rules, terms
from inspraak.council.models import (
    AgendaItem, Attendance, AttendanceStatus, BallotParticipation, Council, CouncilKind, ItemKind, Meeting,
    MeetingStatus, Member, MinutesRevision, Motion, MotionStatus, Position, Proxy, Vote,
)
from inspraak.extensions import db
from inspraak.notify.services import enqueue
from inspraak.people.models import Complex, Corporation, Person

PROXY_MESSAGES = {
    "not_allowed": _l("The statutes of this council do not allow proxies."),
    "self": _l("A member cannot give a proxy to themselves."),
    "already_given": _l("This member has already given a proxy for this meeting."),
    "chain": _l("A proxy cannot be passed on: the holder gave a proxy, or the giver holds one."),
    "cap": _l("This member already holds the most proxies the statutes allow."),
}


# ------------------------------------------------------------------ councils and members


COMMITTEE_TAKEN = _l("This complex already has a residents' committee.")


def create_council(
    corporation: Corporation, *, name: str, kind: CouncilKind, complex_: Complex | None = None, **statutes: object
) -> Council:
    """Create a tenant organisation (no complex) or a residents' committee (one complex).

    Raises:
        DomainError: a committee without a complex, or a tenant organisation with one; a complex that
            has a committee already (also when another request made one at the same moment).
    """
    if (kind is CouncilKind.RESIDENTS_COMMITTEE) != (complex_ is not None):
        raise DomainError(str(_l("A residents' committee belongs to one complex; a tenant organisation to none.")))
    if complex_ is not None and complex_.corporation_id != corporation.id:
        raise DomainError(str(_l("This complex does not exist.")))
    if complex_ is not None and db.session.scalar(sa.select(Council.id).where(Council.complex_id == complex_.id)):
        raise DomainError(str(COMMITTEE_TAKEN))
    council = Council(
        corporation_id=corporation.id, name=name, kind=kind, complex_id=complex_.id if complex_ else None, **statutes
    )
    db.session.add(council)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except sa.exc.IntegrityError:  # the complex's committee was made at the same moment (unique complex_id)
        raise DomainError(str(COMMITTEE_TAKEN)) from None
    return council


STATUTE_FIELDS = (
    "quorum_rule", "proxies_count_for_quorum", "default_majority", "abstentions_count_as_cast", "proxies_allowed",
    "proxy_cap", "secret_ballots_allowed",
)


def statute_values(council: Council) -> dict[str, object]:
    """A council's decision rules as the statutes form shows them (``core.edits`` compares them)."""
    return {name: getattr(council, name) for name in STATUTE_FIELDS}


def update_statutes(council: Council, *, by: object, seen: str | None = None, **values: object) -> None:
    """Change a council's decision rules; votes already closed keep the rules in their snapshot.

    ``seen``: the fingerprint of the rules the form showed (``core.edits``). The rules are one set,
    adopted together and read together (a quorum and whether proxies count for it, proxies and their
    cap, a majority and whether abstentions count as cast): when someone else changed any of them
    since the form was shown and the sender changed any too, nothing is saved (EditClash); rules the
    sender left as shown never undo another's change.

    Raises:
        DomainError: an unknown setting or a negative proxy cap.
        EditClash: someone else changed the rules at the same moment.
    """
    unknown = set(values) - set(STATUTE_FIELDS)
    if unknown:
        raise DomainError(str(_l("These settings are not valid.")))
    lock_for_change(council)
    values = edits.merge_values(seen, statute_values(council), values, together=[STATUTE_FIELDS])
    if int(values.get("proxy_cap", council.proxy_cap)) < 0:
        raise DomainError(str(_l("These settings are not valid.")))
    before = {name: _plain(getattr(council, name)) for name in values}
    for name, value in values.items():
        setattr(council, name, value)
    after = {name: _plain(getattr(council, name)) for name in values}
    audit.record("council.statutes.changed", actor=by, corporation_id=council.corporation_id, obj=council,
                 details={name: [before[name], after[name]] for name in values if before[name] != after[name]})
    db.session.flush()


def _plain(value: object) -> object:
    return getattr(value, "value", value)


class MembershipRefused(DomainError):
    """A term that cannot be added as asked; ``field`` names the form field at fault."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


class MembershipRaced(Conflict):
    """The same person was seated at the same moment by someone else; ``field`` as in MembershipRefused."""

    field = "person_number"


def add_member(council: Council, person: Person, *, position: Position, term_start: date, term_end: date | None = None,
               by: object = None) -> Member:
    """Seat a person on a council for a term: a new row, also when they sat on it before.

    Earlier terms stay as they were, so a past meeting still finds who sat on it that day. The new term
    must not share a day with another term of the person on this council (``terms.overlap``): a
    removed member can start again from the day of the removal, an ended term is followed from the
    day after its end.

    Raises:
        MembershipRefused: the person belongs to another corporation (``person_number``), the term
            ends before it starts (``term_end``), or it overlaps another term (``term_start``).
        MembershipRaced: the person was seated at the same moment by another request (PostgreSQL).
    """
    if person.corporation_id != council.corporation_id:
        raise MembershipRefused(str(_l("This tenant does not exist.")), "person_number")
    if term_end is not None and term_end < term_start:
        raise MembershipRefused(str(_l("The term cannot end before it starts.")), "term_end")
    lock_for_change(council)  # one seating per council at a time: the overlap check below sees the others' terms
    clash = terms.first_overlap((t.term for t in list_terms_of(council, person)), terms.Term(term_start, term_end))
    if clash is not None:
        raise MembershipRefused(_overlap_message(clash), "term_start")
    member = Member(council_id=council.id, person_id=person.id, position=position, term_start=term_start,
                    term_end=term_end)
    try:
        with db.session.begin_nested():  # added inside: begin_nested() flushes what is pending before it
            db.session.add(member)
            db.session.flush()
    except sa.exc.IntegrityError:  # a term without end, seated at the same moment by someone else (PostgreSQL)
        raise MembershipRaced(str(_l("This tenant is already a member."))) from None
    audit.record("council.member.added", actor=by, corporation_id=council.corporation_id, obj=member,
                 details={"person": person.id, "position": position.value, "term_start": term_start.isoformat(),
                          "term_end": term_end.isoformat() if term_end else None})
    return member


def _overlap_message(clash: terms.Term) -> str:
    start = format_date(clash.start, "long")
    if clash.last_day is None:
        return str(_l("This tenant is already a member since %(start)s, with no end date. Remove the member first; "
                      "then a new term can start.", start=start))
    return str(_l("This tenant has a term from %(start)s to %(end)s. Terms cannot overlap: choose dates outside "
                  "that term.", start=start, end=format_date(clash.last_day, "long")))


def list_terms_of(council: Council, person: Person) -> list[Member]:
    """All terms of a person on a council, the first first (read fresh, so a term just added is there)."""
    return list(db.session.scalars(sa.select(Member).where(Member.council_id == council.id,
                                                           Member.person_id == person.id).order_by(Member.term_start, Member.id)))


def remove_member(member: Member, *, by: object) -> None:
    """Take a member off the council; access ends on their next request. The term is kept as a past term.

    Raises:
        InvalidTransition: the term was removed already, or has ended.
    """
    lock_for_change(member)  # a second press at the same moment sees the first one's removal
    if member.is_past(local_today()):
        raise InvalidTransition(str(_l("This member's term has already ended.")))
    member.removed_at = utcnow()
    audit.record("council.member.removed", actor=by, corporation_id=member.council.corporation_id, obj=member)
    db.session.flush()


def split_terms(council: Council, today: date | None = None) -> tuple[list[Member], list[Member]]:
    """A council's terms in two lists: current (and still to come), and past, the latest ended first."""
    today = today or local_today()
    current = [m for m in council.members if not m.is_past(today)]
    past = [m for m in council.members if m.is_past(today)]
    past.sort(key=lambda m: (m.last_day or m.term_start, m.id), reverse=True)
    return current, past


def active_members(council: Council, on: date) -> list[Member]:
    """The members sitting on a council on a day."""
    return [m for m in council.members if m.is_active(on)]


def meeting_members(meeting: Meeting) -> list[Member]:
    """The members of a meeting: those sitting on the council on the meeting's day.

    They are the ones registered present, absent or excused, who give and hold proxies, who vote on
    the meeting's motions and are counted as entitled when a vote closes: the statutes ask who was a
    member at the meeting, not who is one when the secretary enters it (before or after the day).
    """
    return active_members(meeting.council, meeting.day)


def require_meeting_member(meeting: Meeting, member: Member) -> None:
    """Refuse a member who does not sit on the council on the meeting's day.

    Raises:
        DomainError: a member of another council, or one whose term had not started, had ended or
            who was removed by the meeting's day; the message (HTML) names the member, isolated, and the day.
    """
    if member.council_id != meeting.council_id:
        raise DomainError(str(_l("This member does not exist.")))
    if member.is_active(meeting.day):
        return
    message = (_l("%(name)s was not a member of the council on the day of the meeting (%(date)s).")
               if meeting.day < local_today()
               else _l("%(name)s is not a member of the council on the day of the meeting (%(date)s)."))
    raise DomainError(html_message(str(message), name=isolate(member.person.name),
                                   date=format_date(meeting.day, "long")))


# ------------------------------------------------------------------ meetings and agenda


def load_agenda(meeting: Meeting) -> list[Motion]:
    """A meeting's agenda items with their motions and attachments, and its council's members with their
    names, loaded together (a meeting page otherwise asks per item and per member); its motions in order."""
    db.session.scalars(sa.select(Meeting).where(Meeting.id == meeting.id).options(
        selectinload(Meeting.items).selectinload(AgendaItem.motions),
        selectinload(Meeting.items).selectinload(AgendaItem.attachments),
        selectinload(Meeting.council).selectinload(Council.members).selectinload(Member.person),
    )).all()  # the meeting is in the session already: this fills in what was not loaded
    return [motion for item in meeting.items for motion in item.motions]


def plan_meeting(council: Council, *, title: str, starts_at: datetime, place: str = "", online_link: str = "", by: Member | None = None) -> Meeting:
    """Plan a meeting of a council.

    Raises:
        DomainError: neither a place nor an online link was given.
    """
    if not place.strip() and not online_link.strip():
        raise DomainError(str(_l("Give a place or a link for the online meeting.")))
    meeting = Meeting(council_id=council.id, title=title, starts_at=starts_at, place=place.strip(), online_link=online_link.strip())
    db.session.add(meeting)
    db.session.flush()
    audit.record("council.meeting.planned", actor=_person(by), corporation_id=council.corporation_id, obj=meeting)
    return meeting


def add_agenda_item(
    meeting: Meeting, *, kind: ItemKind, title: dict[str, str], description: dict[str, str] | None = None,
    source_language: str = "nl", presenter: str = "",
) -> AgendaItem:
    """Add an item at the end of the agenda.

    Raises:
        InvalidTransition: the meeting has already started.
    """
    _require_agenda_editable(meeting)
    last = db.session.scalar(sa.select(sa.func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting.id))
    item = AgendaItem(
        position=(last or 0) + 1, kind=kind, title=title, description=description or {},
        source_language=source_language, presenter=presenter,
    )
    meeting.items.append(item)  # keeps a loaded agenda in step
    db.session.flush()
    return item


def move_agenda_item(item: AgendaItem, direction: int) -> None:
    """Swap an item with its neighbour above (-1) or below (+1); at either end nothing happens.

    Raises:
        InvalidTransition: the meeting has already started.
    """
    meeting = item.meeting
    _require_agenda_editable(meeting)
    items = sorted(meeting.items, key=lambda i: (i.position, i.id))
    index = items.index(item)
    other_index = index + (1 if direction > 0 else -1)
    if not 0 <= other_index < len(items):
        return
    items[index], items[other_index] = items[other_index], items[index]
    for position, each in enumerate(items, start=1):
        each.position = position
    db.session.flush()


def _require_agenda_editable(meeting: Meeting) -> None:
    if not meeting.agenda_editable:
        raise InvalidTransition(str(_l("The agenda can no longer be changed.")))


def publish_agenda(meeting: Meeting, *, by: Member) -> int:
    """Publish the agenda and mail every member of the meeting who has an email address.

    Returns:
        The number of members notified.
    Raises:
        InvalidTransition: the agenda was published already.
        DomainError: the agenda is empty.
    """
    _lock_meeting(meeting)
    if not meeting.items:
        raise DomainError(str(_l("Add at least one agenda item first.")))
    try:
        meeting.publish_agenda()
    except InvalidTransition:
        raise InvalidTransition(str(_l("The agenda has already been published."))) from None
    council = meeting.council
    sent = 0
    # Who sits on the council on the meeting's day (``Meeting.day``); none yet (a council still forming):
    # those sitting today.
    for member in meeting_members(meeting) or active_members(council, local_today()):
        person = member.person
        if not person.email:
            continue
        enqueue(
            "agenda_published", to_address=person.email, language=person.preferred_language,
            corporation_id=council.corporation_id, person_id=person.id,
            context={"council": council.name, "meeting_date": meeting.starts_at, "name": person.name,
                     "location": meeting.place or meeting.online_link or "",
                     "link": _external("council.show_meeting", meeting_id=meeting.id), "corporation": council.corporation},
        )
        sent += 1
    audit.record("council.meeting.agenda_published", actor=_person(by), corporation_id=council.corporation_id,
                 obj=meeting, details={"notified": sent})
    db.session.flush()
    return sent


def open_meeting(meeting: Meeting, *, by: Member) -> None:
    """Start the session.

    Raises:
        InvalidTransition: the agenda is not published, or the meeting already started.
    """
    _lock_meeting(meeting)
    meeting.open_session()
    audit.record("council.meeting.opened", actor=_person(by), corporation_id=meeting.council.corporation_id, obj=meeting)
    db.session.flush()


def close_meeting(meeting: Meeting, *, by: Member) -> None:
    """End the session; motions still being voted on must be closed first.

    Raises:
        InvalidTransition: the meeting is not in session, or a vote is still open.
    """
    _lock_meeting(meeting)
    _lock_motions(meeting)  # a vote being opened at the same moment is seen
    if any(m.status is MotionStatus.VOTING for item in meeting.items for m in item.motions):
        raise InvalidTransition(str(_l("Close the open votes first.")))
    meeting.close_session()
    audit.record("council.meeting.closed", actor=_person(by), corporation_id=meeting.council.corporation_id, obj=meeting)
    db.session.flush()


# ------------------------------------------------------------------ attendance and proxies


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
    _lock_meeting(meeting)  # two saves at once: the second sees the rows the first added
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
    audit.record("council.attendance.registered", actor=_person(by), corporation_id=meeting.council.corporation_id, obj=meeting)
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
    if meeting.status in (MeetingStatus.CLOSED, MeetingStatus.MINUTES_PUBLISHED):
        raise InvalidTransition(str(_l("This meeting is closed.")))
    for member in (giver, holder):
        require_meeting_member(meeting, member)
    _lock_meeting(meeting)
    _lock_motions(meeting)  # a vote by the giver at the same moment is counted first (and refuses this) or refused
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
    audit.record("council.proxy.recorded", actor=_person(by), corporation_id=meeting.council.corporation_id, obj=proxy,
                 details={"giver_member": giver.id, "holder_member": holder.id})
    return proxy


def withdraw_proxy(proxy: Proxy, *, by: Member) -> None:
    """Remove a proxy that has not been used.

    Raises:
        Conflict: the holder already voted with it.
    """
    meeting = db.session.get(Meeting, proxy.meeting_id)
    # A vote cast with this proxy at the same moment is either counted first (and the proxy stays) or finds it gone.
    _lock_motions(meeting)
    if _has_voted_in_meeting(meeting, proxy.giver):
        raise Conflict(str(_l("This proxy has been used and cannot be withdrawn.")))
    audit.record("council.proxy.withdrawn", actor=_person(by), corporation_id=meeting.council.corporation_id, obj=proxy)
    db.session.delete(proxy)
    db.session.flush()


def _has_voted_in_meeting(meeting: Meeting, member: Member) -> bool:
    """True when the member's person has voted at the meeting, under this term or another one."""
    motion_ids = sa.select(Motion.id).join(AgendaItem).where(AgendaItem.meeting_id == meeting.id)
    named = db.session.scalar(sa.select(sa.func.count()).select_from(Vote).where(
        Vote.motion_id.in_(motion_ids), Vote.person_id == member.person_id))
    secret = db.session.scalar(sa.select(sa.func.count()).select_from(BallotParticipation).where(
        BallotParticipation.motion_id.in_(motion_ids), BallotParticipation.person_id == member.person_id))
    return bool(named or secret)


def _lock_meeting(meeting: Meeting) -> None:
    """Serialise changes of one meeting (its life cycle, proxies, attendance, minutes) and read its state afresh:
    a row lock on PostgreSQL, where a second press of "publish" would otherwise mail every member again;
    SQLite writes are serial."""
    lock_for_change(meeting)


def _lock_motions(meeting: Meeting) -> None:
    """Lock the meeting's motions as a vote locks its motion, and read their state afresh: a vote (or a
    vote being opened) at the same moment lands first or waits."""
    db.session.scalars(sa.select(Motion).join(AgendaItem).where(AgendaItem.meeting_id == meeting.id)
                       .order_by(Motion.id).with_for_update(of=Motion).execution_options(populate_existing=True)).all()


# ------------------------------------------------------------------ minutes


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
    _lock_meeting(meeting)
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
    _lock_meeting(meeting)
    if meeting.status is not MeetingStatus.CLOSED:
        raise InvalidTransition(str(_l("Minutes are approved after the meeting has closed.")))
    if meeting.minutes_approved_at is not None:
        raise InvalidTransition(str(_l("The minutes are already approved.")))
    revision = meeting.latest_revision
    if revision is None:
        raise InvalidTransition(str(_l("There are no minutes yet.")))
    revision.approved_at = meeting.minutes_approved_at = utcnow()
    audit.record("council.minutes.approved", actor=_person(by), corporation_id=meeting.council.corporation_id,
                 obj=meeting, details={"revision": revision.id})
    db.session.flush()
    return revision


def publish_minutes(meeting: Meeting, *, by: Member) -> None:
    """Share the approved minutes and the decisions with tenants.

    Raises:
        InvalidTransition: the minutes are not approved, or already published.
    """
    _lock_meeting(meeting)
    try:
        meeting.publish_minutes()
    except InvalidTransition:
        raise InvalidTransition(str(_l("Approve the minutes before publishing them."))) from None
    audit.record("council.minutes.published", actor=_person(by), corporation_id=meeting.council.corporation_id, obj=meeting)
    db.session.flush()


# ------------------------------------------------------------------ queries


def list_meetings(council: Council, *, published_only: bool = False) -> list[Meeting]:
    stmt = sa.select(Meeting).where(Meeting.council_id == council.id)
    if published_only:
        stmt = stmt.where(Meeting.status == MeetingStatus.MINUTES_PUBLISHED)
    return list(db.session.scalars(stmt.order_by(Meeting.starts_at.desc())))


def list_councils(corporation_id: int) -> list[Council]:
    return list(db.session.scalars(sa.select(Council).where(Council.corporation_id == corporation_id).order_by(Council.name)))


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


def _person(member: Member | None) -> Person | None:
    return member.person if member is not None else None



def _external(endpoint: str, **values: object) -> str:
    """An absolute link for mail, built from BASE_URL; works outside a request too (CLI, demo)."""
    base = current_app.config["BASE_URL"].rstrip("/")
    if has_request_context():
        return base + url_for(endpoint, **values)
    with current_app.test_request_context("/"):
        return base + url_for(endpoint, **values)


def get_published_meeting(corporation_id: int, meeting_id: int) -> Meeting:
    """A meeting whose minutes are published, in this corporation.

    Raises:
        NotFound: none, another corporation's, or not yet published.
    """
    meeting = db.session.get(Meeting, meeting_id)
    if (meeting is None or meeting.council.corporation_id != corporation_id
            or meeting.status is not MeetingStatus.MINUTES_PUBLISHED):
        raise NotFound(str(_l("This meeting does not exist.")))
    return meeting
