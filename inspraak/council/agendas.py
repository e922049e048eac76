"""Meetings and their agendas: planning, agenda items, publishing the agenda, opening and closing the session."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import current_app, has_request_context, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from inspraak.core import audit
from inspraak.core.db import lock_for_change
from inspraak.core.errors import DomainError, InvalidTransition, NotFound
from inspraak.core.i18n import is_supported
from inspraak.core.timeutil import local_today
from inspraak.council.membership import active_members, meeting_members
from inspraak.council.models import AgendaItem, Council, ItemKind, Meeting, MeetingStatus, Member, Motion, MotionStatus
from inspraak.extensions import db
from inspraak.notify.services import enqueue
from inspraak.people.models import Person


def load_agenda(meeting: Meeting) -> list[Motion]:
    """A meeting's agenda items with their motions and attachments, and its council's members with their
    names, loaded together (a meeting page otherwise asks per item and per member); its motions in order."""
    db.session.scalars(sa.select(Meeting).where(Meeting.id == meeting.id).options(
        selectinload(Meeting.items).selectinload(AgendaItem.motions),
        selectinload(Meeting.items).selectinload(AgendaItem.attachments),
        selectinload(Meeting.council).selectinload(Council.members).selectinload(Member.person),
    )).all()  # the meeting is in the session already: this fills in what was not loaded
    return [motion for item in meeting.items for motion in item.motions]


def plan_meeting(council: Council, *, title: str, starts_at: datetime, place: str = "", online_link: str = "",
                 source_language: str = "nl", by: Member | None = None) -> Meeting:
    """Plan a meeting of a council, its title and place written in ``source_language``.

    Raises:
        DomainError: neither a place nor an online link was given, or a language the site does not offer.
    """
    if not place.strip() and not online_link.strip():
        raise DomainError(str(_l("Give a place or a link for the online meeting.")))
    if not is_supported(source_language):  # it would be shown with a lang no reader has
        raise DomainError(str(_l("Choose one of the options shown.")))
    meeting = Meeting(council_id=council.id, title=title, starts_at=starts_at, place=place.strip(),
                      online_link=online_link.strip(), source_language=source_language)
    db.session.add(meeting)
    db.session.flush()
    audit.record("council.meeting.planned", actor=person_of(by), corporation_id=council.corporation_id, obj=meeting)
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
    lock_meeting(meeting)
    if not meeting.items:
        raise DomainError(str(_l("Add at least one agenda item first.")))
    try:
        meeting.publish_agenda()
    except InvalidTransition:
        raise InvalidTransition(str(_l("The agenda has already been published."))) from None
    council = meeting.council
    # The place is in the meeting's language (a meeting from before it was recorded: the default, Dutch); a link
    # in its place has none.
    location_language = (meeting.source_language or current_app.config["BABEL_DEFAULT_LOCALE"]) if meeting.place else None
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
                     "location": meeting.place or meeting.online_link or "", "location_language": location_language,
                     "link": _external("council.show_meeting", meeting_id=meeting.id), "corporation": council.corporation},
        )
        sent += 1
    audit.record("council.meeting.agenda_published", actor=person_of(by), corporation_id=council.corporation_id,
                 obj=meeting, details={"notified": sent})
    db.session.flush()
    return sent


def open_meeting(meeting: Meeting, *, by: Member) -> None:
    """Start the session.

    Raises:
        InvalidTransition: the agenda is not published, or the meeting already started.
    """
    lock_meeting(meeting)
    meeting.open_session()
    audit.record("council.meeting.opened", actor=person_of(by), corporation_id=meeting.council.corporation_id, obj=meeting)
    db.session.flush()


def close_meeting(meeting: Meeting, *, by: Member) -> None:
    """End the session; motions still being voted on must be closed first.

    Raises:
        InvalidTransition: the meeting is not in session, or a vote is still open.
    """
    lock_meeting(meeting)
    lock_motions(meeting)  # a vote being opened at the same moment is seen
    if any(m.status is MotionStatus.VOTING for item in meeting.items for m in item.motions):
        raise InvalidTransition(str(_l("Close the open votes first.")))
    meeting.close_session()
    audit.record("council.meeting.closed", actor=person_of(by), corporation_id=meeting.council.corporation_id, obj=meeting)
    db.session.flush()


def lock_meeting(meeting: Meeting) -> None:
    """Serialise changes of one meeting (its life cycle, proxies, attendance, minutes) and read its state afresh:
    a row lock on PostgreSQL, where a second press of "publish" would otherwise mail every member again;
    SQLite writes are serial."""
    lock_for_change(meeting)


def lock_motions(meeting: Meeting) -> None:
    """Lock the meeting's motions as a vote locks its motion, and read their state afresh: a vote (or a
    vote being opened) at the same moment lands first or waits."""
    db.session.scalars(sa.select(Motion).join(AgendaItem).where(AgendaItem.meeting_id == meeting.id)
                       .order_by(Motion.id).with_for_update(of=Motion).execution_options(populate_existing=True)).all()


def list_meetings(council: Council, *, published_only: bool = False) -> list[Meeting]:
    stmt = sa.select(Meeting).where(Meeting.council_id == council.id)
    if published_only:
        stmt = stmt.where(Meeting.status == MeetingStatus.MINUTES_PUBLISHED)
    return list(db.session.scalars(stmt.order_by(Meeting.starts_at.desc())))


def person_of(member: Member | None) -> Person | None:
    """The person behind a member (``None`` for no member), as the audit log records the actor."""
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
