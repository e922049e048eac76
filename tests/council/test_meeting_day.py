"""Who takes part in a meeting is decided on the meeting's Dutch date, not on the day the secretary enters it.

Attendance, proxies, votes and the entitled count of a closed vote all ask one question: did the
member sit on the council on the day of the meeting? The edge days: a term ending on the meeting's
day counts, a term starting the day after does not. Casting a vote also needs a seat on the day it
is cast, as every council page does.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest
import sqlalchemy as sa
from babel.dates import format_date

from inspraak.core.errors import DomainError, NotAllowed
from inspraak.core.timeutil import LOCAL_TZ, local_today
from inspraak.council import membership, presence, voting
from inspraak.council.models import Attendance, AttendanceStatus, Channel, Proxy, Vote
from inspraak.council.rules import Choice, Tally
from inspraak.extensions import db
from inspraak.notify.models import OutboxMessage


@pytest.fixture(autouse=True)
def request_context(app):  # noqa: ANN001, ANN201
    """The test's own code runs as an English GET request, so refusals read as in the catalogue's ids."""
    with app.test_request_context("/?lang=en"):
        yield


def _evening(day: date) -> datetime:
    """19:30 in the Netherlands on a day."""
    return datetime.combine(day, time(19, 30), tzinfo=LOCAL_TZ)


def _long(day: date) -> str:
    return format_date(day, "long", locale="en")


@pytest.fixture
def past_meeting(make_council, make_meeting):  # noqa: ANN001, ANN201
    """A meeting held three days ago. Members: secretary; ``last_day`` whose term ended on the meeting's
    day; ``joined_after`` whose term started the day after; ``gone_before`` whose term ended the day before."""
    council, members = make_council(size=5)
    day = local_today() - timedelta(days=3)
    secretary, staying, last_day, joined_after, gone_before = members
    last_day.term_end = day
    joined_after.term_start = day + timedelta(days=1)
    gone_before.term_end = day - timedelta(days=1)
    db.session.commit()
    meeting, motion = make_meeting(council, secretary, starts_at=_evening(day))
    return meeting, motion, members


# ------------------------------------------------------------------ the member on a day


def test_a_removal_ends_the_membership_on_the_day_it_was_recorded(make_council):
    """Removed today: no longer a member today or later, still a member on the days before."""
    _council, members = make_council(size=1)
    member = members[0]
    membership.remove_member(member, by=None)
    today = local_today(member.removed_at)
    assert not member.is_active(today) and not member.is_active(today + timedelta(days=1))
    assert member.is_active(today - timedelta(days=1))


def test_the_meetings_day_is_its_dutch_date(make_council, make_meeting):
    council, members = make_council(size=1)
    meeting, _motion = make_meeting(council, members[0], starts_at=datetime(2030, 2, 28, 23, 30, tzinfo=timezone.utc))
    assert meeting.day == date(2030, 3, 1)


# ------------------------------------------------------------------ attendance


def test_attendance_entered_after_the_meeting_counts_who_sat_on_its_day(past_meeting):
    meeting, _motion, (secretary, staying, last_day, _joined, _gone) = past_meeting
    presence.register_attendance(meeting, {staying.id: AttendanceStatus.PRESENT, last_day.id: AttendanceStatus.PRESENT},
                                 by=secretary)
    db.session.commit()
    assert presence.list_attendance(meeting) == {staying.id: AttendanceStatus.PRESENT, last_day.id: AttendanceStatus.PRESENT}
    assert not last_day.is_active(local_today())  # the term has ended since: today would have refused them


def test_the_refusal_isolates_and_escapes_the_members_name(past_meeting):
    meeting, _motion, members = past_meeting
    members[3].person.name = "<script>x</script> (fase 2)"
    with pytest.raises(DomainError) as refused:
        presence.register_attendance(meeting, {members[3].id: AttendanceStatus.PRESENT}, by=members[0])
    assert refused.value.message.startswith("<bdi>&lt;script&gt;x&lt;/script&gt; (fase 2)</bdi> was not a member")
    db.session.rollback()


@pytest.mark.parametrize("who", [3, 4], ids=["term-started-the-day-after", "term-ended-the-day-before"])
def test_attendance_refuses_who_did_not_sit_on_the_meetings_day(past_meeting, who):
    meeting, _motion, members = past_meeting
    with pytest.raises(DomainError) as refused:
        presence.register_attendance(meeting, {members[who].id: AttendanceStatus.PRESENT}, by=members[0])
    assert refused.value.message == (f"<bdi>{members[who].person.name}</bdi> was not a member of the council on the day of the "
                                     f"meeting ({_long(meeting.day)}).")
    db.session.rollback()
    assert db.session.scalars(sa.select(Attendance)).all() == []


def test_a_member_removed_after_the_meeting_can_still_be_registered(past_meeting):
    meeting, _motion, (secretary, staying, *_rest) = past_meeting
    membership.remove_member(staying, by=None)
    presence.register_attendance(meeting, {staying.id: AttendanceStatus.EXCUSED}, by=secretary)
    assert presence.list_attendance(meeting) == {staying.id: AttendanceStatus.EXCUSED}


def test_a_member_removed_on_the_meetings_day_is_refused(past_meeting):
    meeting, _motion, (secretary, staying, *_rest) = past_meeting
    staying.removed_at = datetime.combine(meeting.day, time(9), tzinfo=LOCAL_TZ)
    with pytest.raises(DomainError):
        presence.register_attendance(meeting, {staying.id: AttendanceStatus.PRESENT}, by=secretary)


def test_attendance_at_half_past_midnight_goes_by_the_dutch_date(make_council, make_meeting):
    """00:30 on 1 March in Amsterdam is still 28 February in UTC: a term ending on 28 February is over."""
    council, members = make_council(size=2)
    secretary, leaving = members
    leaving.term_end = date(2030, 2, 28)
    meeting, _motion = make_meeting(council, secretary, starts_at=datetime(2030, 2, 28, 23, 30, tzinfo=timezone.utc))
    with pytest.raises(DomainError, match="is not a member of the council on the day of the meeting"):
        presence.register_attendance(meeting, {leaving.id: AttendanceStatus.PRESENT}, by=secretary)


# ------------------------------------------------------------------ proxies given in advance


@pytest.fixture
def future_meeting(make_council, make_meeting):  # noqa: ANN001, ANN201
    """A meeting in ten days. ``leaves_before`` sits on the council today but not on the meeting's day;
    ``starts_on_the_day`` does not sit on it today but does on the meeting's day."""
    council, members = make_council(size=5, proxy_cap=2)
    day = local_today() + timedelta(days=10)
    members[3].term_end = day - timedelta(days=1)
    members[4].term_start = day
    db.session.commit()
    meeting, motion = make_meeting(council, members[0], starts_at=_evening(day))
    return meeting, motion, members


def test_a_proxy_for_a_future_meeting_needs_membership_on_its_day(future_meeting):
    meeting, _motion, (secretary, holder, _other, leaves_before, starts_on_the_day) = future_meeting
    for giver, other in ((leaves_before, holder), (holder, leaves_before)):  # as giver and as holder
        with pytest.raises(DomainError) as refused:
            presence.record_proxy(meeting, giver, other, signed_on=_evening(local_today()), by=secretary)
        assert refused.value.message == (f"<bdi>{leaves_before.person.name}</bdi> is not a member of the council on the day of "
                                         f"the meeting ({_long(meeting.day)}).")
    presence.record_proxy(meeting, starts_on_the_day, holder, signed_on=_evening(local_today()), by=secretary)
    assert presence.proxy_pairs(meeting.id) == [(starts_on_the_day.id, holder.id)]


def test_a_proxy_of_a_member_who_left_after_the_meeting_can_still_be_recorded(past_meeting):
    """The secretary enters the written proxy after the meeting; the giver's term ended on its day."""
    meeting, _motion, (secretary, staying, last_day, joined_after, _gone) = past_meeting
    presence.record_proxy(meeting, last_day, staying, signed_on=_evening(meeting.day), by=secretary)
    with pytest.raises(DomainError, match="was not a member of the council on the day of the meeting"):
        presence.record_proxy(meeting, joined_after, secretary, signed_on=_evening(meeting.day), by=secretary)


# ------------------------------------------------------------------ voting and the closed vote


def test_a_member_who_joined_after_the_meeting_cannot_vote_on_its_motions(past_meeting):
    meeting, motion, (_secretary, _staying, _last_day, joined_after, _gone) = past_meeting
    assert voting.rights_of(motion, joined_after) == []
    with pytest.raises(NotAllowed) as refused:
        voting.cast_vote(motion.id, joined_after, Choice.FOR)
    assert refused.value.message == (f"Only members of the council on the day of the meeting ({_long(meeting.day)}) "
                                     "can vote on its motions.")


def test_a_term_ending_on_the_meetings_day_votes_on_that_day(make_council, make_meeting, one_dutch_day):
    """On that day: past Dutch midnight the term has ended, and the vote is rightly refused."""
    council, members = make_council(size=2)
    secretary, last_day = members
    last_day.term_end = one_dutch_day
    _meeting, motion = make_meeting(council, secretary, starts_at=_evening(one_dutch_day))
    voting.cast_vote(motion.id, last_day, Choice.FOR)
    assert voting.votes_used(motion) == 1


def test_an_online_vote_still_open_after_the_meetings_day_takes_no_vote_from_a_former_member(past_meeting):
    """The member sat on the council on the meeting's day, but has left since: every council page is closed
    to them, and so is the vote (they stay counted as entitled when it closes)."""
    meeting, motion, (_secretary, _staying, last_day, *_rest) = past_meeting
    assert last_day.is_active(meeting.day)
    with pytest.raises(NotAllowed, match="You are not a member of this council."):
        voting.cast_vote(motion.id, last_day, Choice.FOR)


def test_a_holder_cannot_vote_for_a_giver_removed_before_the_meeting(future_meeting):
    meeting, motion, (secretary, holder, giver, *_rest) = future_meeting
    presence.record_proxy(meeting, giver, holder, signed_on=_evening(local_today()), by=secretary)
    membership.remove_member(giver, by=None)
    db.session.commit()
    assert voting.rights_of(motion, holder) == [None]
    with pytest.raises(NotAllowed) as refused:
        voting.cast_vote(motion.id, holder, Choice.FOR, for_member_id=giver.id)
    assert giver.person.name in refused.value.message


def test_a_vote_closed_after_the_meeting_counts_the_members_of_its_day(past_meeting):
    """Online vote closed three days after the meeting: the member whose term ended on the meeting's day is
    entitled and present; the one who joined the day after and the one who left the day before are not."""
    meeting, motion, (secretary, staying, last_day, joined_after, gone_before) = past_meeting
    presence.register_attendance(meeting, {secretary.id: AttendanceStatus.PRESENT,
                                           last_day.id: AttendanceStatus.PRESENT}, by=secretary)
    voting.cast_vote(motion.id, staying, Choice.FOR)
    result = voting.close_vote(motion, by=secretary)
    assert (result.entitled, result.present) == (3, 3)
    assert result.quorum_met


def test_a_show_of_hands_closed_later_takes_the_counts_of_those_present_on_the_day(past_meeting):
    meeting, _motion, (secretary, staying, last_day, *_rest) = past_meeting
    item = meeting.items[0]
    motion = voting.propose_motion(item, text={"nl": "Handen omhoog."}, channel=Channel.SHOW_OF_HANDS)
    voting.open_vote(motion, closes_at=None, by=secretary)
    presence.register_attendance(meeting, {m.id: AttendanceStatus.PRESENT for m in (secretary, staying, last_day)},
                                 by=secretary)
    result = voting.close_vote(motion, by=secretary, counts=Tally(3, 0, 0))
    assert (result.entitled, result.present, result.votes_for) == (3, 3, 3)


def test_the_vote_mail_goes_to_who_can_vote_on_it_now(future_meeting):
    """Members of the meeting who sit on the council today: not the one leaving before the meeting, and not
    yet the one whose term starts on its day (the link would not open for them today)."""
    _meeting, _motion, (secretary, holder, other, _leaves_before, _starts_on_the_day) = future_meeting
    mailed = db.session.scalars(sa.select(OutboxMessage.to_address).where(OutboxMessage.kind == "vote_opened")).all()
    assert sorted(mailed) == sorted([secretary.person.email, holder.person.email, other.person.email])


# ------------------------------------------------------------------ the screens


def test_the_register_page_lists_and_saves_the_members_of_the_meetings_day(client, past_meeting, login_tenant):
    meeting, _motion, (secretary, staying, last_day, joined_after, gone_before) = past_meeting
    login_tenant(client, secretary.person)
    page = f"/council/meetings/{meeting.id}/manage"
    html = client.get(page + "?lang=en").get_data(as_text=True)
    assert f"Only members of the council on the day of the meeting ({_long(meeting.day)}) are listed." in html
    assert f'name="member-{last_day.id}"' in html and f'<option value="{last_day.id}"' in html
    for absent in (joined_after, gone_before):
        assert f'name="member-{absent.id}"' not in html and f'<option value="{absent.id}"' not in html
    url = f"/council/meetings/{meeting.id}/attendance"
    saved = client.post_form(url + "?lang=en", {f"member-{last_day.id}": "present"}, token_from=page)
    assert "The attendance register has been saved." in client.get(saved.location).get_data(as_text=True)
    assert presence.list_attendance(meeting) == {last_day.id: AttendanceStatus.PRESENT}
    forged = client.post_form(url + "?lang=en", {f"member-{joined_after.id}": "present"}, token_from=page)
    message = client.get(forged.location).get_data(as_text=True)
    assert (f"<bdi>{joined_after.person.name}</bdi> was not a member of the council on the day of the meeting "
            f"({_long(meeting.day)}).") in message
    assert presence.list_attendance(meeting) == {last_day.id: AttendanceStatus.PRESENT}


def test_the_proxy_form_offers_the_members_of_a_future_meetings_day(client, future_meeting, login_tenant):
    meeting, _motion, (secretary, holder, _other, leaves_before, starts_on_the_day) = future_meeting
    login_tenant(client, secretary.person)
    page = f"/council/meetings/{meeting.id}/manage"
    html = client.get(page + "?lang=en").get_data(as_text=True)
    assert f'<option value="{starts_on_the_day.id}"' in html and f'<option value="{leaves_before.id}"' not in html
    url = f"/council/meetings/{meeting.id}/proxies?lang=en"
    signed = local_today().isoformat()
    forged = client.post_form(url, {"giver": leaves_before.id, "holder": holder.id, "signed_on": signed}, token_from=page)
    assert (f"<bdi>{leaves_before.person.name}</bdi> is not a member of the council on the day of the meeting "
            f"({_long(meeting.day)}).") in client.get(forged.location).get_data(as_text=True)
    client.post_form(url, {"giver": starts_on_the_day.id, "holder": holder.id, "signed_on": signed}, token_from=page)
    assert db.session.scalars(sa.select(Proxy.giver_id)).all() == [starts_on_the_day.id]


def test_a_member_who_joined_after_the_meeting_is_told_why_they_cannot_vote(client, past_meeting, login_tenant):
    meeting, motion, (*_before, joined_after, _gone) = past_meeting
    login_tenant(client, joined_after.person)
    html = client.get(f"/council/meetings/{meeting.id}?lang=en").get_data(as_text=True)
    notice = f"Only members of the council on the day of the meeting ({_long(meeting.day)}) can vote on its motions."
    assert notice in html
    assert f'action="/council/motions/{motion.id}/vote"' not in html
    refused = client.post_form(f"/council/motions/{motion.id}/vote", {"choice": "for"},
                               token_from=f"/council/meetings/{meeting.id}")
    assert refused.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Vote)) == 0


def test_a_member_of_the_meetings_day_gets_the_vote_form(client, past_meeting, login_tenant):
    meeting, motion, (_secretary, staying, *_rest) = past_meeting
    login_tenant(client, staying.person)
    html = client.get(f"/council/meetings/{meeting.id}?lang=en").get_data(as_text=True)
    assert f'action="/council/motions/{motion.id}/vote"' in html
    assert "can vote on its motions." not in html
