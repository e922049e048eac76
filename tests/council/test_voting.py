"""Casting and closing votes: rights, proxies, secrecy and the frozen snapshot."""
from datetime import date, timedelta

import pytest

pytestmark = pytest.mark.usefixtures("request_context")
import sqlalchemy as sa

from inspraak.core.db import utcnow
from inspraak.core.errors import Conflict, DomainError, InvalidTransition, NotAllowed
from inspraak.council import membership, presence, voting
from inspraak.council.models import (
    AttendanceStatus, Ballot, BallotParticipation, Channel, MotionResult, SecretBallot, Vote,
)
from inspraak.council.rules import Choice, Majority, Outcome, Tally
from inspraak.extensions import db


def vote(motion, member, choice, for_member=None):
    voting.cast_vote(motion.id, member, choice, for_member_id=for_member.id if for_member else None)
    db.session.commit()


def test_open_ballot_adopted_with_named_result(make_council, make_meeting):
    council, members = make_council(size=5)
    meeting, motion = make_meeting(council, members[0])
    for member, choice in zip(members, [Choice.FOR, Choice.FOR, Choice.AGAINST, Choice.ABSTAIN]):
        vote(motion, member, choice)
    result = voting.close_vote(motion, by=members[0])
    db.session.commit()
    assert (result.entitled, result.present, result.proxies) == (5, 4, 0)
    assert (result.votes_for, result.votes_against, result.abstentions, result.votes_cast) == (2, 1, 1, 3)
    assert result.outcome is Outcome.ADOPTED and result.quorum_met
    assert [v["choice"] for v in result.named_votes] == ["for", "for", "against", "abstain"]
    assert result.named_votes[0]["member"] == members[0].person.name


def test_a_member_votes_once_and_cannot_change(make_council, make_meeting):
    council, members = make_council(size=3)
    _meeting, motion = make_meeting(council, members[0])
    vote(motion, members[1], Choice.FOR)
    with pytest.raises(Conflict):
        vote(motion, members[1], Choice.AGAINST)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Vote)) == 1


def test_missed_quorum_is_recorded_not_adopted(make_council, make_meeting):
    council, members = make_council(size=5)
    _meeting, motion = make_meeting(council, members[0])
    vote(motion, members[0], Choice.FOR)
    vote(motion, members[1], Choice.FOR)
    result = voting.close_vote(motion, by=members[0])
    assert result.outcome is Outcome.NO_QUORUM and not result.quorum_met


def test_proxy_holder_votes_for_giver_and_giver_cannot_vote(make_council, make_meeting):
    council, members = make_council(size=4)
    meeting, motion = make_meeting(council, members[0])
    presence.record_proxy(meeting, members[3], members[1], signed_on=utcnow(), by=members[0])
    db.session.commit()
    assert voting.rights_of(motion, members[1]) == [None, members[3].id]
    assert voting.rights_of(motion, members[3]) == []
    with pytest.raises(NotAllowed):
        vote(motion, members[3], Choice.FOR)
    db.session.rollback()
    with pytest.raises(NotAllowed):
        vote(motion, members[2], Choice.FOR, for_member=members[3])
    db.session.rollback()
    vote(motion, members[1], Choice.FOR)
    vote(motion, members[1], Choice.AGAINST, for_member=members[3])
    result = voting.close_vote(motion, by=members[0])
    assert (result.present, result.proxies, result.votes_for, result.votes_against) == (1, 1, 1, 1)
    assert result.outcome is Outcome.NO_QUORUM  # 2 of 4 is not more than half
    assert result.named_votes[1]["by_proxy"] == members[1].person.name


def test_proxy_rules_are_enforced_when_recording(make_council, make_meeting):
    council, members = make_council(size=4)
    meeting, _motion = make_meeting(council, members[0], open_vote=False)
    presence.record_proxy(meeting, members[3], members[1], signed_on=utcnow(), by=members[0])
    with pytest.raises(DomainError):  # cap 1
        presence.record_proxy(meeting, members[2], members[1], signed_on=utcnow(), by=members[0])
    with pytest.raises(DomainError):  # chain
        presence.record_proxy(meeting, members[1], members[2], signed_on=utcnow(), by=members[0])
    with pytest.raises(Conflict):
        presence.record_proxy(meeting, members[3], members[2], signed_on=utcnow(), by=members[0])


def test_a_member_who_voted_cannot_give_a_proxy(make_council, make_meeting):
    council, members = make_council(size=3)
    meeting, motion = make_meeting(council, members[0])
    vote(motion, members[2], Choice.FOR)
    with pytest.raises(Conflict):
        presence.record_proxy(meeting, members[2], members[1], signed_on=utcnow(), by=members[0])


def test_secret_ballot_keeps_choice_apart_from_member(make_council, make_meeting):
    council, members = make_council(size=3)
    _meeting, motion = make_meeting(council, members[0], ballot=Ballot.SECRET)
    vote(motion, members[0], Choice.AGAINST)
    vote(motion, members[1], Choice.FOR)
    assert voting.interim_tally(motion) is None
    assert voting.votes_used(motion) == 2
    with pytest.raises(Conflict):
        vote(motion, members[1], Choice.AGAINST)
    db.session.rollback()
    result = voting.close_vote(motion, by=members[0])
    assert result.named_votes is None
    assert (result.votes_for, result.votes_against) == (1, 1)
    assert result.outcome is Outcome.REJECTED  # a tie
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BallotParticipation)) == 2


def _secret_ballots(motion_id):
    """The motion's secret ballots in physical order: (choice, key, rowid on SQLite or xmin on PostgreSQL)."""
    if db.engine.dialect.name == "sqlite":
        sql = "select choice, key, rowid from council_secret_ballot where motion_id = :m order by rowid"
    else:
        sql = "select choice::text, key, xmin::text from council_secret_ballot where motion_id = :m order by ctid"
    return [tuple(row) for row in db.session.execute(sa.text(sql), {"m": motion_id})]


def _participation_xmin(motion_id, member_id):
    return db.session.scalar(sa.text(
        "select xmin::text from council_ballot_participation where motion_id = :m and member_id = :p"),
        {"m": motion_id, "p": member_id})


def test_secret_ballots_cannot_be_lined_up_with_the_voters(make_council, make_meeting):
    """No ballot row outlives the next vote: its key, rowid or xmin cannot tie it to the vote that cast it."""
    council, members = make_council(size=6)
    _meeting, motion = make_meeting(council, members[0], ballot=Ballot.SECRET)
    choices = [Choice.FOR, Choice.AGAINST, Choice.ABSTAIN, Choice.FOR, Choice.AGAINST, Choice.FOR]
    postgres = db.engine.dialect.name == "postgresql"
    before: list[tuple] = []
    for n, (member, choice) in enumerate(zip(members, choices), start=1):
        vote(motion, member, choice)
        after = _secret_ballots(motion.id)
        assert sorted(c for c, _k, _p in after) == sorted(c.value for c in choices[:n])
        assert not {k for _c, k, _p in before} & {k for _c, k, _p in after}  # every row written anew
        if postgres:  # all written by the latest vote, none by an earlier voter's transaction
            assert {x for _c, _k, x in after} == {_participation_xmin(motion.id, member.id)}
        before = after
    if postgres:
        earlier = {_participation_xmin(motion.id, m.id) for m in members[:5]}
        assert not earlier & {x for _c, _k, x in before}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SecretBallot)) == 6
    result = voting.close_vote(motion, by=members[0])
    assert (result.votes_for, result.votes_against, result.abstentions) == (3, 2, 1)
    assert result.outcome is Outcome.ADOPTED and result.named_votes is None


def test_secret_ballots_lie_in_the_drawn_order_not_the_voting_order(make_council, make_meeting, monkeypatch):
    """The physical order (rowid, ctid) is the one drawn when the last vote was stored; here a fixed draw
    (by name: abstain, against, for) stands in for the random one, so the test can tell it from the voting order."""
    monkeypatch.setattr(voting, "_shuffle", lambda choices: choices.sort(key=lambda c: c.value))
    council, members = make_council(size=4)
    _meeting, motion = make_meeting(council, members[0], ballot=Ballot.SECRET)
    for member, choice in zip(members, [Choice.FOR, Choice.AGAINST, Choice.FOR, Choice.ABSTAIN]):
        vote(motion, member, choice)
    assert [c for c, _k, _p in _secret_ballots(motion.id)] == ["abstain", "against", "for", "for"]


def test_the_secret_ballot_draw_is_random():
    drawn = {tuple(voting._shuffle(xs := list(range(8))) or xs) for _ in range(20)}
    assert len(drawn) > 1


def test_secret_ballot_table_has_no_member_proxy_or_time_column():
    columns = {c.name for c in SecretBallot.__table__.columns}
    assert columns == {"key", "motion_id", "choice"}
    participation = {c.name for c in BallotParticipation.__table__.columns}
    # Who took part (the term and its person, for one vote per person): no id, no time, nothing of the choice.
    assert participation == {"motion_id", "member_id", "person_id"}


def test_secret_ballot_table_in_the_database(app):
    inspector = sa.inspect(db.engine)
    names = {c["name"] for c in inspector.get_columns("council_secret_ballot")}
    assert names == {"key", "motion_id", "choice"}


def test_show_of_hands_counts_checked_against_those_present(make_council, make_meeting):
    council, members = make_council(size=5)
    meeting, motion = make_meeting(council, members[0], channel=Channel.SHOW_OF_HANDS)
    presence.register_attendance(meeting, {m.id: AttendanceStatus.PRESENT for m in members[:3]}, by=members[0])
    db.session.commit()
    with pytest.raises(InvalidTransition):
        vote(motion, members[1], Choice.FOR)  # no online votes on a show of hands
    db.session.rollback()
    with pytest.raises(DomainError):
        voting.close_vote(motion, by=members[0], counts=Tally(3, 1, 0))
    db.session.rollback()
    result = voting.close_vote(motion, by=members[0], counts=Tally(2, 1, 0))
    assert result.outcome is Outcome.ADOPTED and result.present == 3


def test_majority_override_per_motion(make_council, make_meeting):
    council, members = make_council(size=4)
    _meeting, motion = make_meeting(council, members[0], majority=Majority.TWO_THIRDS)
    for member, choice in zip(members, [Choice.FOR, Choice.FOR, Choice.AGAINST]):
        vote(motion, member, choice)
    result = voting.close_vote(motion, by=members[0])
    assert result.majority is Majority.TWO_THIRDS and result.outcome is Outcome.ADOPTED


def test_no_votes_after_close_or_window(make_council, make_meeting):
    council, members = make_council(size=3)
    _meeting, motion = make_meeting(council, members[0])
    voting.close_vote(motion, by=members[0])
    db.session.commit()
    with pytest.raises(InvalidTransition):
        vote(motion, members[1], Choice.FOR)
    db.session.rollback()
    _meeting2, motion2 = make_meeting(council, members[0], open_vote=False)
    voting.open_vote(motion2, closes_at=utcnow() + timedelta(hours=1), by=members[0])
    motion2.voting_closes_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    with pytest.raises(InvalidTransition):
        vote(motion2, members[1], Choice.FOR)


def test_removed_member_cannot_vote(make_council, make_meeting):
    council, members = make_council(size=3)
    _meeting, motion = make_meeting(council, members[0])
    membership.remove_member(members[2], by=None)
    db.session.commit()
    with pytest.raises(NotAllowed):
        vote(motion, members[2], Choice.FOR)


def test_member_of_another_council_cannot_vote(make_council, make_meeting):
    council, members = make_council(size=3)
    other_council, others = make_council(size=3)
    _meeting, motion = make_meeting(council, members[0])
    with pytest.raises(NotAllowed):
        vote(motion, others[1], Choice.FOR)


def test_snapshot_does_not_change_when_members_leave(make_council, make_meeting):
    council, members = make_council(size=3)
    _meeting, motion = make_meeting(council, members[0])
    vote(motion, members[0], Choice.FOR)
    vote(motion, members[1], Choice.FOR)
    voting.close_vote(motion, by=members[0])
    db.session.commit()
    membership.remove_member(members[1], by=None)
    db.session.commit()
    result = db.session.get(MotionResult, motion.id)
    assert result.entitled == 3 and result.votes_for == 2


def test_term_end_and_term_start_limit_membership(make_council):
    _council, members = make_council(size=1)
    member = members[0]
    member.term_end = date(2024, 12, 31)
    assert member.is_active(date(2024, 12, 31)) and not member.is_active(date(2025, 1, 1))
    assert not member.is_active(date(2023, 12, 31))


def test_a_member_who_left_the_council_is_not_counted_present_for_the_quorum(make_council, make_meeting):
    """Attendance registered for a member who has left since does not make up the quorum of those still entitled."""
    council, members = make_council(size=4)
    meeting, motion = make_meeting(council, members[0])
    presence.register_attendance(meeting, {members[0].id: AttendanceStatus.PRESENT,
                                           members[3].id: AttendanceStatus.PRESENT}, by=members[0])
    vote(motion, members[0], Choice.FOR)
    membership.remove_member(members[3], by=None)
    db.session.commit()
    result = voting.close_vote(motion, by=members[0])
    assert (result.entitled, result.present) == (3, 1)
    assert result.outcome is Outcome.NO_QUORUM
