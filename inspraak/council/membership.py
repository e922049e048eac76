"""Councils and who sits on them: creating a council, its statutes, members' terms, who is a member on a day."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from inspraak.core import audit, edits
from inspraak.core.db import lock_for_change, utcnow
from inspraak.core.errors import Conflict, DomainError, FieldRefused, InvalidTransition
from inspraak.core.i18n_setup import html_message, isolate
from inspraak.core.timeutil import local_today
from inspraak.council import terms
from inspraak.council.models import Council, CouncilKind, Meeting, Member, Position
from inspraak.extensions import db
from inspraak.people.models import Complex, Corporation, Person


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


class MembershipRefused(FieldRefused):
    """A term that cannot be added as asked; ``field`` names the form field at fault."""


class MembershipRaced(Conflict, FieldRefused):
    """The same person was seated at the same moment by someone else: said beside the person number (409)."""

    def __init__(self, message: str, field: str = "person_number") -> None:
        super().__init__(message, field)


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


def list_councils(corporation_id: int) -> list[Council]:
    return list(db.session.scalars(sa.select(Council).where(Council.corporation_id == corporation_id).order_by(Council.name)))
