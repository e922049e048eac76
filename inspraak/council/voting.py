"""Motions and votes: open and close voting, cast named or secret votes, freeze the result."""
from __future__ import annotations

import secrets
from datetime import datetime
from typing import NoReturn

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from inspraak.core import audit
from inspraak.core.db import utcnow
from inspraak.core.errors import Conflict, DomainError, InvalidTransition, NotAllowed, NotFound
from inspraak.core.security import MAX_INTEGER
from inspraak.core.timeutil import local_today
from inspraak.council import rules
from inspraak.council.models import (
    AgendaItem, Attendance, AttendanceStatus, Ballot, BallotParticipation, Channel, Meeting, MeetingStatus, Member,
    Motion, MotionResult, MotionStatus, SecretBallot, Vote,
)
from inspraak.council.rules import Choice, Tally
from inspraak.council.membership import meeting_members, require_meeting_member
from inspraak.council.presence import proxy_pairs
from inspraak.extensions import db
from inspraak.notify.services import enqueue, external_url


def propose_motion(
    item: AgendaItem, *, text: dict[str, str], source_language: str = "nl", ballot: Ballot = Ballot.OPEN,
    channel: Channel = Channel.ONLINE, majority: rules.Majority | None = None,
) -> Motion:
    """Put a motion on a decision or advice item.

    Raises:
        DomainError: the item takes no motions, the text is empty, or the statutes forbid secret ballots.
    """
    if not item.takes_motions:
        raise DomainError(str(_l("Only decision and advice items can have a motion.")))
    if not any(v.strip() for v in text.values()):
        raise DomainError(str(_l("Write the text of the motion.")))
    if ballot is Ballot.SECRET and not item.meeting.council.secret_ballots_allowed:
        raise DomainError(str(_l("The statutes of this council do not allow secret ballots.")))
    if item.meeting.status in (MeetingStatus.CLOSED, MeetingStatus.MINUTES_PUBLISHED):
        raise InvalidTransition(str(_l("This meeting is closed.")))
    motion = Motion(text=text, source_language=source_language, ballot=ballot, channel=channel, majority=majority)
    item.motions.append(motion)  # keeps a loaded agenda in step
    db.session.flush()
    return motion


def open_vote(motion: Motion, *, closes_at: datetime | None, by: Member) -> None:
    """Start voting on a motion; online votes run until ``closes_at`` (or until closed by hand).

    An online vote queues ``vote_opened`` to every member who can vote now and has an email address
    (in the same transaction, so a rollback sends nothing); a show of hands mails nobody.

    Raises:
        InvalidTransition: the motion is not a draft or the agenda is not published.
        DomainError: the closing time lies in the past.
    """
    meeting = motion.agenda_item.meeting
    if meeting.status not in (MeetingStatus.AGENDA_PUBLISHED, MeetingStatus.IN_SESSION):
        raise InvalidTransition(str(_l("Votes can be held once the agenda is published and until the meeting closes.")))
    if closes_at is not None and closes_at <= utcnow():
        raise DomainError(str(_l("The closing time must be in the future.")))
    _lock(motion)
    try:
        motion.open_voting(closes_at)
    except InvalidTransition:
        raise InvalidTransition(str(_l("This motion has already been put to the vote."))) from None
    audit.record("council.motion.voting_opened", actor=by.person, corporation_id=meeting.council.corporation_id, obj=motion)
    if motion.channel is Channel.ONLINE:
        _mail_vote_opened(motion)
    db.session.flush()


def _mail_vote_opened(motion: Motion) -> int:
    """Queue ``vote_opened`` for every member who can vote now and has an email, in their own language.

    Who can vote now: a member of the meeting (on the council on its day, ``meeting_members``) who
    sits on the council today, as ``cast_vote`` asks; a member whose term starts later than today
    would find a link they cannot open yet (the agenda mail told them of the meeting).

    The mail names the agenda item, the closing time and a link to the meeting page where the
    vote is cast; it never holds a choice. Members who switched votes off get nothing.
    Returns the number of messages queued.
    """
    item = motion.agenda_item
    council = item.meeting.council
    link = external_url("council.show_meeting", meeting_id=item.meeting_id) + f"#motion-{motion.id}"
    queued = 0
    today = local_today()
    for member in meeting_members(item.meeting):
        if not member.is_active(today):
            continue
        person = member.person
        if not person.email:
            continue
        message = enqueue(
            "vote_opened", to_address=person.email, language=person.preferred_language,
            corporation_id=council.corporation_id, person_id=person.id,
            context={"name": person.name, "council": council.name, "title": item.title,
                     "source_language": item.source_language, "link": link,
                     "closes_at": motion.voting_closes_at, "corporation": council.corporation},
        )
        queued += message is not None
    return queued


def meeting_rights(meeting: Meeting, member: Member) -> dict[int | None, int]:
    """For whom the member may vote at this meeting (None for themselves, or a giver's member id), each
    with the person whose vote it is: a right is used once that person has voted, under any of their terms.

    Only rights of members of the meeting (on the council on its day) count: a member who joined
    after the meeting has none, and neither has a giver who left before it.
    """
    people = {m.id: m.person_id for m in meeting_members(meeting)}
    rights = rules.voting_rights(member.id, proxy_pairs(meeting.id))
    return {r: people[member.id if r is None else r] for r in rights if (member.id if r is None else r) in people}


def rights_of(motion: Motion, member: Member) -> list[int | None]:
    """For whom the member may still vote: None for themselves, or a giver's member id.

    A right is used once its person has voted on the motion, under this term or an earlier one.
    """
    rights = meeting_rights(motion.agenda_item.meeting, member)
    used = _persons_voted(motion)
    return [r for r, person in rights.items() if person not in used]


def overview(motions: list[Motion], member: Member, meeting: Meeting) -> tuple[
        dict[int, list[int | None]], dict[int, Tally | None], dict[int, int], set[int]]:
    """``rights_of``, ``interim_tally`` and ``votes_used`` of every motion of one meeting, by motion id, and the
    ids of the motions the member voted on themselves, in three queries (the proxies, the named votes, the secret
    ballots' participation) whatever the number of motions."""
    rights = meeting_rights(meeting, member)
    used, choices = _persons_voted_and_named_choices(motions)
    return (
        {m.id: [r for r, person in rights.items() if person not in used[m.id]] for m in motions},
        {m.id: None if m.ballot is Ballot.SECRET or m.status is not MotionStatus.VOTING else Tally.of(choices[m.id])
         for m in motions},
        {m.id: len(used[m.id]) for m in motions},
        {m.id for m in motions if member.person_id in used[m.id]},
    )


def votes_used_by_motion(motions: list[Motion]) -> dict[int, int]:
    """``votes_used`` of each motion, by motion id, in at most two queries."""
    used, _choices = _persons_voted_and_named_choices(motions)
    return {motion_id: len(persons) for motion_id, persons in used.items()}


def _persons_voted_and_named_choices(motions: list[Motion]) -> tuple[dict[int, set[int]], dict[int, list[Choice]]]:
    """Per motion: the persons whose vote was cast so far, and the choices of a named ballot (never of a secret one)."""
    used: dict[int, set[int]] = {m.id: set() for m in motions}
    choices: dict[int, list[Choice]] = {m.id: [] for m in motions}
    named = [m.id for m in motions if m.ballot is Ballot.OPEN]
    secret = [m.id for m in motions if m.ballot is not Ballot.OPEN]
    if named:
        for motion_id, person_id, choice in db.session.execute(
                sa.select(Vote.motion_id, Vote.person_id, Vote.choice).where(Vote.motion_id.in_(named))):
            used[motion_id].add(person_id)
            choices[motion_id].append(choice)
    if secret:
        for motion_id, person_id in db.session.execute(sa.select(
                BallotParticipation.motion_id, BallotParticipation.person_id).where(
                BallotParticipation.motion_id.in_(secret))):
            used[motion_id].add(person_id)
    return used, choices


def _used_rights(motion: Motion) -> set[int]:
    """The member ids (terms) whose vote was cast on the motion."""
    table = Vote if motion.ballot is Ballot.OPEN else BallotParticipation
    return set(db.session.scalars(sa.select(table.member_id).where(table.motion_id == motion.id)))


def _persons_voted(motion: Motion) -> set[int]:
    """The persons whose vote was cast on the motion, under whichever of their terms."""
    table = Vote if motion.ballot is Ballot.OPEN else BallotParticipation
    return set(db.session.scalars(sa.select(table.person_id).where(table.motion_id == motion.id)))


def cast_vote(motion_id: int, voter: Member, choice: Choice, *, for_member_id: int | None = None) -> None:
    """Cast one vote: the voter's own, or (as proxy holder) a giver's. Votes cannot be changed.

    The motion row is locked first, so a vote racing the close either lands before the snapshot
    or is refused; unique constraints refuse a second vote for the same right.

    The vote belongs to the motion's meeting: the voter, and the giver they vote for, must sit on
    the council on the meeting's day (``meeting_members``, counted as entitled when the vote closes),
    also when an online vote runs before or after that day. The voter must also sit on it now, as
    every council page asks: a member whose term ended on the meeting's day cannot vote the next day.

    Raises:
        NotAllowed: the voter is not a member now or was not one on the meeting's day, gave a proxy,
            holds no proxy for that member (one of another council, or themselves), or the giver was not
            a member on the meeting's day.
        NotFound: ``for_member_id`` is no member of the council's corporation.
        InvalidTransition: voting is not open (or the window has passed).
        Conflict: this vote was already cast.
    """
    motion = _lock_by_id(motion_id)
    meeting = motion.agenda_item.meeting
    if voter.council_id != meeting.council_id or not voter.is_active(local_today()):
        raise NotAllowed(str(_l("You are not a member of this council.")))
    if not voter.is_active(meeting.day):
        raise NotAllowed(str(_l("Only members of the council on the day of the meeting (%(date)s) can vote on its "
                                "motions.", date=format_date(meeting.day, "long"))))
    if not motion.accepts_votes(utcnow()):
        raise InvalidTransition(str(_l("Voting on this motion is not open.")))
    allowed = rules.voting_rights(voter.id, proxy_pairs(meeting.id))
    if for_member_id not in allowed:
        if for_member_id is None:
            raise NotAllowed(str(_l("You gave a proxy for this meeting, so you cannot vote yourself.")))
        _refuse_proxy_vote(voter, meeting, for_member_id)
    right = voter if for_member_id is None else db.session.get(Member, for_member_id)
    if for_member_id is not None:
        try:
            require_meeting_member(meeting, right)
        except DomainError as error:
            raise NotAllowed(error.message) from None
    # One vote per person: also when they were seated again (a new term) after voting under the old one.
    if right.person_id in _persons_voted(motion):
        raise Conflict(str(_l("This vote has already been cast.")))
    if motion.ballot is Ballot.OPEN:
        rows = [Vote(motion_id=motion.id, member_id=right.id, person_id=right.person_id, cast_by_id=voter.id,
                     choice=choice)]
    else:
        rows = [BallotParticipation(motion_id=motion.id, member_id=right.id, person_id=right.person_id)]
    try:
        with db.session.begin_nested():
            db.session.add_all(rows)
            db.session.flush()
            if motion.ballot is Ballot.SECRET:
                _rewrite_secret_ballots(motion.id, choice)
    except sa.exc.IntegrityError:
        raise Conflict(str(_l("This vote has already been cast."))) from None


def _refuse_proxy_vote(voter: Member, meeting: Meeting, for_member_id: int) -> NoReturn:
    """Say why a vote for ``for_member_id`` (no proxy the voter holds) is refused: no such member (or one of
    another corporation, whom the voter may not see), a member of another council, the voter themselves,
    or a member of the council whose proxy someone else holds or who gave none.

    Raises:
        NotFound: no member of the corporation has this id.
        NotAllowed: in every other case.
    """
    giver = db.session.get(Member, for_member_id) if for_member_id <= MAX_INTEGER else None  # beyond a key's range
    if giver is None or giver.council.corporation_id != meeting.council.corporation_id:
        raise NotFound(str(_l("This member does not exist.")))
    if giver.council_id != meeting.council_id:
        raise NotAllowed(str(_l("This person is not a member of this council.")))
    if giver.id == voter.id:
        raise NotAllowed(str(_l("A member cannot give a proxy to themselves.")))
    raise NotAllowed(str(_l("You do not hold a proxy for this member.")))


_shuffle = secrets.SystemRandom().shuffle


def _rewrite_secret_ballots(motion_id: int, choice: Choice) -> None:
    """Store a secret choice by writing all of the motion's secret ballots anew, in random order.

    Adding only the new row would leave it written by the same transaction as the voter's
    participation row (PostgreSQL's xmin, the commit time) and after the earlier ballots in
    physical order (SQLite's rowid, PostgreSQL's ctid), so anyone reading the database could
    line the choices up with the voters. Rewritten together, every ballot of the motion comes
    from the latest vote's transaction, with fresh keys, in an order drawn by chance: the rows
    tell no more than the count per choice. The motion row is locked (``cast_vote``), so votes
    on one motion rewrite one after the other. A council has tens of members, not thousands.
    """
    choices = list(db.session.scalars(sa.select(SecretBallot.choice).where(SecretBallot.motion_id == motion_id)))
    choices.append(choice)
    _shuffle(choices)
    db.session.execute(sa.delete(SecretBallot).where(SecretBallot.motion_id == motion_id),
                       execution_options={"synchronize_session": False})
    for each in choices:  # one INSERT per row: the physical order is the shuffled one
        db.session.execute(sa.insert(SecretBallot).values(motion_id=motion_id, choice=each))  # a fresh random key


def close_vote(motion: Motion, *, by: Member, counts: Tally | None = None) -> MotionResult:
    """Close voting and freeze the result under the statutes.

    Args:
        counts: for a show of hands, the counts the secretary entered; ignored for online votes.
    Raises:
        InvalidTransition: the motion is not being voted on.
        DomainError: show-of-hands counts are missing or exceed the members represented.
    """
    motion = _lock_by_id(motion.id)
    meeting = motion.agenda_item.meeting
    council = meeting.council
    statutes = council.statutes
    if motion.status is not MotionStatus.VOTING:
        raise InvalidTransition(str(_l("This vote is not open.")))
    # Entitled: the members of the meeting (on the council on its day), also when an online vote
    # closes days after it; those present or represented are counted from the same set.
    active = {m.id for m in meeting_members(meeting)}
    entitled = len(active)
    present_ids, proxy_ids = _represented(motion, meeting, active)
    if motion.channel is Channel.SHOW_OF_HANDS:
        if counts is None:
            raise DomainError(str(_l("Enter the counts of the show of hands.")))
        try:
            rules.check_counts(counts, present=len(present_ids), proxies=len(proxy_ids))
        except rules.RuleViolation:
            raise DomainError(str(_l("There are more votes than members present or represented."))) from None
        tally = counts
    else:
        tally = _online_tally(motion)
    decision = rules.decide(tally, entitled=entitled, present=len(present_ids), proxies=len(proxy_ids),
                            statutes=statutes, majority=motion.majority)
    motion.close_voting()
    result = MotionResult(
        motion_id=motion.id, entitled=entitled, present=len(present_ids), proxies=len(proxy_ids),
        votes_for=tally.for_, votes_against=tally.against, abstentions=tally.abstain, votes_cast=decision.votes_cast,
        majority=decision.majority, quorum_rule=statutes.quorum, abstentions_counted=statutes.abstentions_count_as_cast,
        proxies_counted=statutes.proxies_count_for_quorum, quorum_met=decision.quorum_met, outcome=decision.outcome,
        named_votes=_named_votes(motion) if motion.ballot is Ballot.OPEN and motion.channel is Channel.ONLINE else None,
    )
    db.session.add(result)
    audit.record("council.motion.closed", actor=by.person, corporation_id=council.corporation_id, obj=motion,
                 details={"outcome": decision.outcome.value})
    db.session.flush()
    return result


def interim_tally(motion: Motion) -> Tally | None:
    """The running count of an open named ballot; None for secret ballots, which show nothing until closed."""
    if motion.ballot is Ballot.SECRET or motion.status is not MotionStatus.VOTING:
        return None
    return Tally.of(db.session.scalars(sa.select(Vote.choice).where(Vote.motion_id == motion.id)))


def votes_used(motion: Motion) -> int:
    """How many voting rights were used so far (never what was chosen)."""
    return len(_used_rights(motion))


def _represented(motion: Motion, meeting: Meeting, active: set[int]) -> tuple[set[int], set[int]]:
    """Members present (registered present, or voting for themselves) and givers represented by proxy.

    ``active`` are the members entitled to vote at the meeting (on the council on its day): a register
    entry or an unused proxy of anyone else counts nobody toward the quorum of the entitled; a vote
    cast still counts its voter.
    """
    present = set(db.session.scalars(sa.select(Attendance.member_id).where(
        Attendance.meeting_id == meeting.id, Attendance.status == AttendanceStatus.PRESENT))) & active
    pairs = proxy_pairs(meeting.id)
    givers = {g for g, _ in pairs}
    used = _used_rights(motion)
    present |= {m for m in used if m not in givers}
    if motion.ballot is Ballot.OPEN:
        present |= set(db.session.scalars(sa.select(Vote.cast_by_id).where(Vote.motion_id == motion.id)))
    proxies = {g for g, h in pairs if g not in present and ((h in present and g in active) or g in used)}
    return present, proxies


def _online_tally(motion: Motion) -> Tally:
    table = Vote if motion.ballot is Ballot.OPEN else SecretBallot
    return Tally.of(db.session.scalars(sa.select(table.choice).where(table.motion_id == motion.id)))


def _named_votes(motion: Motion) -> list[dict[str, object]]:
    votes = db.session.scalars(sa.select(Vote).where(Vote.motion_id == motion.id).order_by(Vote.id))
    return [
        {"member": v.member.person.name, "choice": v.choice.value, "by_proxy": v.cast_by.person.name if v.via_proxy else None}
        for v in votes
    ]


def _lock(motion: Motion) -> None:
    _lock_by_id(motion.id)


def _lock_by_id(motion_id: int) -> Motion:
    """Load the motion with a row lock (PostgreSQL), reading its latest state."""
    motion = db.session.scalar(
        sa.select(Motion).where(Motion.id == motion_id).with_for_update().execution_options(populate_existing=True)
    )
    if motion is None:
        raise NotFound(str(_l("This motion does not exist.")))
    return motion

