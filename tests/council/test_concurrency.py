"""Racing writes: many members voting at once, double submits, and a vote racing the close."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from inspraak.council.models import Ballot, BallotParticipation, Meeting, MotionResult, SecretBallot, Vote
from inspraak.extensions import db


def _signed_in_clients(app, login_tenant, members, meeting_id):  # noqa: ANN001, ANN202
    clients = []
    for member in members:
        client = app.test_client()
        login_tenant(client, member.person)
        clients.append((client, client.csrf_token(f"/council/meetings/{meeting_id}")))
    db.session.commit()
    return clients


def _all_at_once(jobs):  # noqa: ANN001, ANN202
    barrier = threading.Barrier(len(jobs))

    def run(job):  # noqa: ANN001, ANN202
        barrier.wait()
        return job()

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(run, jobs))


def _count(model) -> int:  # noqa: ANN001
    db.session.commit()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.mark.parametrize("ballot", [Ballot.OPEN, Ballot.SECRET])
def test_thirty_members_voting_at_once_store_thirty_votes(app, make_council, make_meeting, login_tenant, ballot):
    council, members = make_council(size=30)
    meeting, motion = make_meeting(council, members[0], ballot=ballot)
    meeting_id, motion_id = meeting.id, motion.id
    clients = _signed_in_clients(app, login_tenant, members, meeting_id)
    jobs = [lambda c=c, t=t: c.post(f"/council/motions/{motion_id}/vote", data={"choice": "for", "csrf_token": t}).status_code
            for c, t in clients]
    statuses = _all_at_once(jobs)
    assert statuses == [302] * 30
    if ballot is Ballot.OPEN:
        assert _count(Vote) == 30
    else:
        assert _count(BallotParticipation) == 30 and _count(SecretBallot) == 30


@pytest.mark.parametrize("ballot", [Ballot.OPEN, Ballot.SECRET])
def test_one_member_voting_twenty_times_at_once_stores_one(app, make_council, make_meeting, login_tenant, ballot):
    council, members = make_council(size=3)
    meeting, motion = make_meeting(council, members[0], ballot=ballot)
    meeting_id, motion_id = meeting.id, motion.id
    client, token = _signed_in_clients(app, login_tenant, members[1:2], meeting_id)[0]
    jobs = [lambda: client.post(f"/council/motions/{motion_id}/vote", data={"choice": "against", "csrf_token": token}).status_code
            for _ in range(20)]
    statuses = _all_at_once(jobs)
    assert sorted(statuses) == [302] + [409] * 19
    assert _count(Vote if ballot is Ballot.OPEN else SecretBallot) == 1


@pytest.mark.parametrize("ballot", [Ballot.OPEN, Ballot.SECRET])
def test_a_vote_racing_the_close_gives_one_consistent_snapshot(app, make_council, make_meeting, login_tenant, ballot):
    council, members = make_council(size=12)
    meeting, motion = make_meeting(council, members[0], ballot=ballot)
    meeting_id, motion_id = meeting.id, motion.id
    clients = _signed_in_clients(app, login_tenant, members, meeting_id)
    secretary, secretary_token = clients[0]
    close = lambda: secretary.post(f"/council/meetings/{meeting_id}/motions/{motion_id}/close",  # noqa: E731
                                   data={"csrf_token": secretary_token}).status_code
    votes = [lambda c=c, t=t: c.post(f"/council/motions/{motion_id}/vote", data={"choice": "for", "csrf_token": t}).status_code
             for c, t in clients[1:]]
    statuses = _all_at_once([close, *votes])
    assert statuses[0] == 302
    assert set(statuses[1:]) <= {302, 409}
    accepted = statuses[1:].count(302)
    db.session.commit()
    result = db.session.get(MotionResult, motion_id)
    stored = _count(Vote if ballot is Ballot.OPEN else SecretBallot)
    assert result.votes_for == stored == accepted
    if ballot is Ballot.OPEN:
        assert len(result.named_votes) == accepted


def test_the_attendance_register_saved_twenty_times_at_once_is_stored_once(app, make_council, make_meeting, login_tenant):
    """A double click on "save": each save added the rows it did not see (a 500 from the key on PostgreSQL)."""
    from inspraak.council.models import Attendance

    council, members = make_council(size=4)
    meeting, _motion = make_meeting(council, members[0], open_vote=False)
    meeting_id = meeting.id
    data = {f"member-{m.id}": "present" for m in members}
    client, token = _signed_in_clients(app, login_tenant, members[:1], meeting_id)[0]
    jobs = [lambda: client.post(f"/council/meetings/{meeting_id}/attendance", data={**data, "csrf_token": token}).status_code
            for _ in range(20)]
    assert _all_at_once(jobs) == [302] * 20
    assert _count(Attendance) == 4


def test_a_meeting_planned_at_the_same_moment_is_planned_once(app, make_council, login_tenant):
    """A double click whose requests arrive together: one meeting, and every request lands on its page."""
    from inspraak.core.once import new_token
    from tests.concurrency import race_posts

    council, members = make_council(size=2)
    page = f"/council/{council.id}/meetings/new"
    clients = []
    for _ in range(4):
        client = app.test_client()
        login_tenant(client, members[0].person)
        clients.append(client)
    form = {"title": "Voorjaarsvergadering", "starts_at": "2030-04-01T19:30", "place": "Buurthuis", "once": new_token()}
    posts = [(c, page, {**form, "csrf_token": c.csrf_token(page)}) for c in clients]
    db.session.commit()
    assert race_posts(app, posts) == [302] * 4
    assert _count(Meeting) == 1
