"""Racing writes: many members voting at once, double submits, and a vote racing the close."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import sqlalchemy as sa

from inspraak.core.once import new_token
from inspraak.core.timeutil import local_today
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


def _sessions(app, login_tenant, person, n):  # noqa: ANN001, ANN202
    """``n`` browsers in which ``person`` signed in (double clicks and tabs that send at the same moment)."""
    clients = [app.test_client() for _ in range(n)]
    for client in clients:
        login_tenant(client, person)
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
    from tests.concurrency import race_posts

    council, members = make_council(size=2)
    page = f"/council/{council.id}/meetings/new"
    clients = _sessions(app, login_tenant, members[0].person, 4)
    form = {"title": "Voorjaarsvergadering", "starts_at": "2030-04-01T19:30", "place": "Buurthuis", "once": new_token()}
    posts = [(c, page, {**form, "csrf_token": c.csrf_token(page)}) for c in clients]
    db.session.commit()
    assert race_posts(app, posts) == [302] * 4
    assert _count(Meeting) == 1


def _audited(action: str) -> int:
    from inspraak.core.audit import AuditEntry

    db.session.commit()
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.action == action))


def test_an_agenda_published_by_four_presses_at_once_mails_each_member_once(app, make_council, login_tenant):
    """Chair and secretary (or a double click) publish at the same moment: one publication, one mail per member."""
    from inspraak.core.db import utcnow
    from inspraak.council import agendas
    from inspraak.council.models import ItemKind
    from inspraak.notify.models import OutboxMessage
    from tests.concurrency import race_posts

    council, members = make_council(size=5)
    meeting = agendas.plan_meeting(council, title="Jaarvergadering", starts_at=utcnow() + timedelta(days=3),
                                   place="Buurthuis", by=members[0])
    agendas.add_agenda_item(meeting, kind=ItemKind.INFORMATION, title={"nl": "Mededelingen"})
    db.session.commit()
    meeting_id = meeting.id
    clients = _signed_in_clients(app, login_tenant, [members[0]] * 4, meeting_id)
    statuses = race_posts(app, [(c, f"/council/meetings/{meeting_id}/publish", {"csrf_token": t}) for c, t in clients])
    assert statuses == [302] * 4
    assert _audited("council.meeting.agenda_published") == 1
    mailed = db.session.scalars(sa.select(OutboxMessage.to_address).where(OutboxMessage.kind == "agenda_published")).all()
    assert sorted(mailed) == sorted(m.person.email for m in members)


def test_advice_sent_ten_times_at_once_is_sent_and_answered_once(app, make_council, make_staff, login_tenant,
                                                                 login_staff):
    """Ten sends of the council's advice at the same moment: one is sent, the others are told it was."""
    from inspraak.council import advice
    from inspraak.council.models import AdviceRequest, RequestKind, Subject
    from tests.concurrency import race_posts

    council, members = make_council(size=2)
    staff = make_staff(council.corporation, "editor")
    request = advice.send_request(council, subject=Subject.RENT_POLICY, kind=RequestKind.ADVICE, title={"nl": "Huur"},
                                  body={"nl": "Graag advies"}, source_language="nl",
                                  received_on=local_today() - timedelta(days=3), period_days=42, by=staff)
    db.session.commit()
    page = f"/council/{council.id}/advice/{request.id}"
    clients = _sessions(app, login_tenant, members[0].person, 10)
    posts = [(c, page, {"text": f"Advies {n}", "sent_on": local_today().isoformat(), "motion_id": "0",
                        "csrf_token": c.csrf_token(page)}) for n, c in enumerate(clients)]
    assert race_posts(app, posts) == [302] * 10
    assert _audited("council.advice.sent") == 1  # before: each send overwrote the one before it
    assert db.session.get(AdviceRequest, request.id).advice_text in {f"Advies {n}" for n in range(10)}
    # The corporation's response, recorded by several staff members at once, is recorded once too.
    page = f"/staff/councils/advice/{request.id}"
    clients = [app.test_client() for _ in range(6)]
    for client in clients:
        login_staff(client, make_staff(council.corporation, "editor"))
    posts = [(c, f"{page}/response", {"response-text": f"Antwoord {n}", "response-follows": "partly",
                                      "response-responded_on": local_today().isoformat(),
                                      "csrf_token": c.csrf_token(page)}) for n, c in enumerate(clients)]
    # One is recorded; the others come back (409) with what they typed and why, not a redirect that loses it.
    assert sorted(race_posts(app, posts)) == [302] + [409] * 5
    assert _audited("council.advice.answered") == 1


def test_a_tenant_added_to_a_council_by_three_admins_at_once_sits_once(app, make_council, make_staff, make_tenant,
                                                                      login_staff):
    """Two admins (or a double click) seat the same tenant at the same moment: one member and no error page;
    the others get the council page back with their form and the term that is there now."""
    from inspraak.council.models import Member
    from tests.concurrency import race_posts

    council, _members = make_council(size=1)
    person = make_tenant(council.corporation)
    page = f"/staff/councils/{council.id}"
    posts = []
    for _ in range(3):
        client = app.test_client()
        login_staff(client, make_staff(council.corporation, "admin"))
        posts.append((client, f"{page}/members", {"person_number": person.person_number, "position": "member",
                                                  "term_start": "2026-01-01", "csrf_token": client.csrf_token(page),
                                                  "once": new_token()}))
    statuses = sorted(race_posts(app, posts))
    assert statuses[0] == 302 and set(statuses[1:]) <= {400, 409}, statuses
    assert _count(Member) == 2


def test_a_proxy_given_while_its_giver_votes_is_refused_or_the_vote_is(app, make_council, make_meeting, login_tenant):
    """The secretary records eight proxies while each giver votes: a member either voted or gave a proxy, never both."""
    from inspraak.council.models import Proxy

    council, members = make_council(size=17)
    meeting, motion = make_meeting(council, members[0])
    meeting_id, motion_id = meeting.id, motion.id
    givers, holders = members[1:9], members[9:17]
    voters = _signed_in_clients(app, login_tenant, givers, meeting_id)
    secretaries = _signed_in_clients(app, login_tenant, [members[0]] * 8, meeting_id)
    today = local_today().isoformat()
    jobs = []
    for (voter, vote_token), (secretary, token), giver, holder in zip(voters, secretaries, givers, holders):
        jobs.append(lambda c=voter, t=vote_token: c.post(f"/council/motions/{motion_id}/vote",
                                                         data={"choice": "for", "csrf_token": t}).status_code)
        jobs.append(lambda c=secretary, t=token, g=giver.id, h=holder.id: c.post(
            f"/council/meetings/{meeting_id}/proxies",
            data={"giver": g, "holder": h, "signed_on": today, "csrf_token": t}).status_code)
    statuses = _all_at_once(jobs)
    assert all(status < 500 for status in statuses), statuses
    db.session.commit()
    gave = set(db.session.scalars(sa.select(Proxy.giver_id).where(Proxy.meeting_id == meeting_id)))
    voted = set(db.session.scalars(sa.select(Vote.member_id).where(Vote.motion_id == motion_id)))
    assert gave | voted == {g.id for g in givers}
    assert not gave & voted


def test_a_proxy_withdrawn_by_four_presses_at_once_is_withdrawn_once(app, make_council, make_meeting, login_tenant):
    """A double click (or chair and secretary) withdrawing one proxy: one withdrawal in the audit log (before: one
    per press, each told "withdrawn"), the other presses are told it was withdrawn already."""
    from inspraak.council import presence
    from inspraak.council.models import Proxy
    from tests.concurrency import race_posts

    council, members = make_council(size=3)
    meeting, _motion = make_meeting(council, members[0])
    from inspraak.core.db import utcnow

    proxy = presence.record_proxy(meeting, members[1], members[2], signed_on=utcnow(), by=members[0])
    db.session.commit()
    meeting_id, proxy_id = meeting.id, proxy.id
    clients = _signed_in_clients(app, login_tenant, [members[0]] * 4, meeting_id)
    statuses = race_posts(app, [(c, f"/council/meetings/{meeting_id}/proxies/{proxy_id}/withdraw", {"csrf_token": t})
                                for c, t in clients])
    assert set(statuses) <= {302, 404}, statuses  # back to the proxies with a message, or gone before it was read
    assert _audited("council.proxy.withdrawn") == 1
    assert _count(Proxy) == 0
