"""Who may see and do what in a council: loaders that refuse other corporations and non-members."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from inspraak.core.errors import NotAllowed, NotFound
from inspraak.core.timeutil import local_today
from inspraak.council.models import (
    AgendaItem, Council, CouncilKind, Meeting, Member, Motion,
)
from inspraak.extensions import db
from inspraak.people.models import Person


def active_member(person: Person, council_id: int, on: date | None = None) -> Member | None:
    """The person's term on a council that is active today (read fresh, so removal bites at once).

    A person may have had several terms; they never overlap, so at most one is active on a day.
    """
    day = on or local_today()
    terms = db.session.scalars(
        sa.select(Member).where(Member.council_id == council_id, Member.person_id == person.id)
    )
    return next((member for member in terms if member.is_active(day)), None)


def list_my_memberships(person: Person) -> list[Member]:
    """The councils the person sits on today."""
    today = local_today()
    members = db.session.scalars(
        sa.select(Member).join(Council).where(Member.person_id == person.id, Council.corporation_id == person.corporation_id)
        .order_by(Council.name)
    )
    return [m for m in members if m.is_active(today)]


def get_council(corporation_id: int, council_id: int) -> Council:
    """A council of this corporation.

    Raises:
        NotFound: no such council in this corporation.
    """
    council = db.session.get(Council, council_id)
    if council is None or council.corporation_id != corporation_id:
        raise NotFound(str(_l("This council does not exist.")))
    return council


def council_for_member(person: Person, council_id: int) -> tuple[Council, Member]:
    """A council the person is an active member of.

    Raises:
        NotFound: another corporation's council, or the person is not (or no longer) a member.
    """
    council = get_council(person.corporation_id, council_id)
    member = active_member(person, council.id)
    if member is None:
        raise NotFound(str(_l("This council does not exist.")))
    return council, member


def meeting_for_member(person: Person, meeting_id: int) -> tuple[Meeting, Member]:
    """A meeting of a council the person is an active member of.

    Raises:
        NotFound: no such meeting for this person.
    """
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound(str(_l("This meeting does not exist.")))
    _council, member = council_for_member(person, meeting.council_id)
    return meeting, member


def require_manager(member: Member) -> None:
    """Only the chair and the secretary manage a council's meetings.

    Raises:
        NotAllowed: the member is neither chair nor secretary.
    """
    if not member.manages:
        raise NotAllowed(str(_l("Only the chair or the secretary can do this.")))


def managed_meeting(person: Person, meeting_id: int) -> tuple[Meeting, Member]:
    """A meeting the person manages as chair or secretary."""
    meeting, member = meeting_for_member(person, meeting_id)
    require_manager(member)
    return meeting, member


def item_of(meeting: Meeting, item_id: int) -> AgendaItem:
    """An agenda item of this meeting.

    Raises:
        NotFound: the item belongs to another meeting.
    """
    item = db.session.get(AgendaItem, item_id)
    if item is None or item.meeting_id != meeting.id:
        raise NotFound(str(_l("This agenda item does not exist.")))
    return item


def motion_of(meeting: Meeting, motion_id: int) -> Motion:
    """A motion on this meeting's agenda.

    Raises:
        NotFound: the motion belongs to another meeting.
    """
    motion = db.session.get(Motion, motion_id)
    if motion is None or motion.agenda_item.meeting_id != meeting.id:
        raise NotFound(str(_l("This motion does not exist.")))
    return motion


def council_serves(council: Council, person: Person) -> bool:
    """True when the council speaks for this tenant: the tenant organisation for all, a committee for its complex."""
    if council.corporation_id != person.corporation_id:
        return False
    if council.kind is CouncilKind.TENANT_ORGANISATION:
        return True
    return person.tenancy.dwelling.complex_id == council.complex_id


def public_council(person: Person, council_id: int) -> Council:
    """A council whose published minutes and decisions this tenant may read.

    Raises:
        NotFound: another corporation's council or another complex's committee.
    """
    council = get_council(person.corporation_id, council_id)
    if not council_serves(council, person):
        raise NotFound(str(_l("This council does not exist.")))
    return council


def refuse_staff_vote(user: object) -> None:
    """Staff never vote.

    Raises:
        NotAllowed: the user is a staff account.
    """
    if getattr(user, "is_staff", False):
        raise NotAllowed(str(_l("Staff cannot vote.")))
