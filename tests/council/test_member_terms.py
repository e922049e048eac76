"""One row per term: seating a member again keeps their earlier term, past meetings keep their members,
terms of one person never overlap, and one person votes once on a motion whichever term they vote under."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

import pytest
import sqlalchemy as sa
from babel.dates import format_date

from inspraak.core.audit import AuditEntry
from inspraak.core.errors import Conflict, InvalidTransition
from inspraak.core.timeutil import LOCAL_TZ, local_today
from inspraak.council import access, membership, presence, voting
from inspraak.council.models import AttendanceStatus, Ballot, BallotParticipation, Member, Position, Vote
from inspraak.council.rules import Choice
from inspraak.core.once import new_token
from inspraak.extensions import db

FIRST_TERM = date(2024, 1, 1)  # make_council seats everyone from then, without end


@pytest.fixture(autouse=True)
def request_context(app):  # noqa: ANN001, ANN201
    """The test's own code runs as an English GET request, so refusals read as in the catalogue's ids."""
    with app.test_request_context("/?lang=en"):
        yield


def _long(day: date) -> str:
    return format_date(day, "long", locale="en")


def _seat_again(council, member, start=None, position=Position.MEMBER):  # noqa: ANN001, ANN202
    """Remove a member today and seat the same person again, from today unless ``start`` says otherwise."""
    membership.remove_member(member, by=None)
    return membership.add_member(council, member.person, position=position, term_start=start or local_today())


# ------------------------------------------------------------------ the history is kept


def test_seating_a_removed_member_again_adds_a_term_and_keeps_the_old_one(make_council):
    council, members = make_council(size=2)
    old = members[1]
    new = _seat_again(council, old, position=Position.CHAIR)
    db.session.commit()
    assert new.id != old.id
    db.session.expire_all()
    first, second = membership.list_terms_of(council, old.person)
    assert (first.id, first.term_start, first.position) == (old.id, FIRST_TERM, Position.MEMBER)
    assert local_today(first.removed_at) == local_today() and first.last_day == local_today() - timedelta(days=1)
    assert (second.id, second.term_start, second.removed_at, second.position) == (new.id, local_today(), None,
                                                                                    Position.CHAIR)


def test_a_past_meeting_keeps_the_member_who_was_seated_again_since(make_council, make_meeting):
    """The bug: seating again overwrote the term, so the member vanished from meetings they attended, and a vote
    on such a meeting closed later counted one member too few."""
    council, members = make_council(size=3)
    secretary, again, _third = members
    day = local_today() - timedelta(days=10)
    meeting, motion = make_meeting(council, secretary, starts_at=datetime.combine(day, time(19, 30), tzinfo=LOCAL_TZ))
    presence.register_attendance(meeting, {m.id: AttendanceStatus.PRESENT for m in members}, by=secretary)
    voting.cast_vote(motion.id, again, Choice.FOR)
    new = _seat_again(council, again)
    db.session.commit()
    assert again.id in {m.id for m in membership.meeting_members(meeting)}
    assert new.id not in {m.id for m in membership.meeting_members(meeting)}
    result = voting.close_vote(motion, by=secretary)
    assert (result.entitled, result.present, result.votes_for) == (3, 3, 1)
    assert result.named_votes == [{"member": again.person.name, "choice": "for", "by_proxy": None}]


def test_the_member_signs_in_to_their_current_term(make_council):
    council, members = make_council(size=2)
    new = _seat_again(council, members[1])
    db.session.commit()
    assert access.active_member(members[1].person, council.id) is new
    assert access.active_member(members[1].person, council.id, on=local_today() - timedelta(days=1)).id == members[1].id
    assert [m.id for m in access.list_my_memberships(members[1].person)] == [new.id]


def test_a_term_removed_twice_keeps_its_first_removal(make_council):
    council, members = make_council(size=2)
    membership.remove_member(members[1], by=None)
    removed_at = members[1].removed_at
    with pytest.raises(InvalidTransition, match="This member's term has already ended."):
        membership.remove_member(members[1], by=None)
    assert members[1].removed_at == removed_at


# ------------------------------------------------------------------ terms never overlap


def test_a_new_term_overlapping_an_ended_one_is_refused_at_its_start(make_council):
    council, members = make_council(size=2)
    member = members[1]
    membership.remove_member(member, by=None)
    yesterday = local_today() - timedelta(days=1)
    with pytest.raises(membership.MembershipRefused) as refused:
        membership.add_member(council, member.person, position=Position.MEMBER, term_start=yesterday)
    assert refused.value.field == "term_start"
    assert refused.value.message == (f"This tenant has a term from {_long(FIRST_TERM)} to {_long(yesterday)}. "
                                     "Terms cannot overlap: choose dates outside that term.")


def test_a_member_without_end_date_is_refused_a_second_term(make_council):
    council, members = make_council(size=2)
    with pytest.raises(membership.MembershipRefused) as refused:
        membership.add_member(council, members[1].person, position=Position.MEMBER, term_start=date(2030, 1, 1))
    assert refused.value.message == (f"This tenant is already a member since {_long(FIRST_TERM)}, with no end date. "
                                     "Remove the member first; then a new term can start.")


def test_terms_may_follow_each_other_without_a_gap(make_council, make_tenant):
    council, _members = make_council(size=1)
    person = make_tenant(council.corporation)
    membership.add_member(council, person, position=Position.MEMBER, term_start=date(2025, 1, 1), term_end=date(2025, 12, 31))
    later = membership.add_member(council, person, position=Position.CHAIR, term_start=date(2027, 1, 1))
    between = membership.add_member(council, person, position=Position.MEMBER, term_start=date(2026, 1, 1),
                                    term_end=date(2026, 12, 31))
    with pytest.raises(membership.MembershipRefused, match="This tenant has a term from"):
        membership.add_member(council, person, position=Position.MEMBER, term_start=date(2026, 12, 31),
                              term_end=date(2026, 12, 31))
    assert [m.id for m in membership.list_terms_of(council, person)][1:] == [between.id, later.id]


def test_the_database_refuses_a_second_term_without_end(make_council):
    council, members = make_council(size=1)
    person_id = members[0].person_id
    db.session.add(Member(council_id=council.id, person_id=person_id, position=Position.MEMBER,
                          term_start=date(2030, 1, 1)))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()
    # Only open terms: an ended one beside it passes the database (the service refuses the overlap).
    db.session.add(Member(council_id=council.id, person_id=person_id, position=Position.MEMBER,
                          term_start=date(2020, 1, 1), term_end=date(2020, 12, 31)))
    db.session.flush()


# ------------------------------------------------------------------ one vote per person


@pytest.mark.parametrize("ballot", [Ballot.OPEN, Ballot.SECRET])
def test_a_member_seated_again_while_a_vote_runs_cannot_vote_twice(make_council, make_meeting, ballot):
    """Voted under the old term, removed and seated again today: the meeting is tomorrow, so the new term is a
    member of the meeting and the old one no longer is. Their vote was cast; they get no second one."""
    council, members = make_council(size=3)
    secretary, again, holder = members
    meeting, motion = make_meeting(council, secretary, ballot=ballot)
    voting.cast_vote(motion.id, again, Choice.FOR)
    new = _seat_again(council, again)
    db.session.commit()
    assert new.id in {m.id for m in membership.meeting_members(meeting)}
    assert voting.rights_of(motion, new) == []
    assert voting.overview([motion], new, meeting)[0] == {motion.id: []}
    with pytest.raises(Conflict, match="This vote has already been cast."):
        voting.cast_vote(motion.id, new, Choice.AGAINST)
    with pytest.raises(Conflict, match="already voted at this meeting"):
        presence.record_proxy(meeting, new, holder, signed_on=datetime.now(LOCAL_TZ), by=secretary)
    assert voting.votes_used(motion) == 1


@pytest.mark.parametrize("table", [Vote, BallotParticipation])
def test_the_database_takes_one_vote_per_person_and_motion(make_council, make_meeting, table):
    council, members = make_council(size=2)
    secretary, again = members
    _meeting, motion = make_meeting(council, secretary)
    extra = {"cast_by_id": secretary.id, "choice": Choice.FOR} if table is Vote else {}
    db.session.add(table(motion_id=motion.id, member_id=again.id, person_id=again.person_id, **extra))
    new = _seat_again(council, again)
    db.session.flush()
    with pytest.raises(sa.exc.IntegrityError):  # under the new term: the same person
        with db.session.begin_nested():
            db.session.add(table(motion_id=motion.id, member_id=new.id, person_id=again.person_id,
                                 **({**extra, "cast_by_id": new.id} if extra else {})))
    with pytest.raises(sa.exc.IntegrityError):  # a person that is not the member's: the (member, person) key
        with db.session.begin_nested():
            db.session.add(table(motion_id=motion.id, member_id=new.id, person_id=secretary.person_id, **extra))


# ------------------------------------------------------------------ the staff page


def _admin_page(client, council, make_staff, login_staff):  # noqa: ANN001, ANN202
    login_staff(client, make_staff(council.corporation, "admin"))
    return f"/staff/councils/{council.id}"


def _term_tables(html: str) -> list[list[list[str]]]:
    """The tables of the members section (current members, then past terms): each row's cells as text."""
    section = html.split('<section id="members"')[1].split("</section>")[0]
    cell = re.compile(r"<t[hd][^>]*>(.*?)</t[hd]>", re.S)
    return [[[" ".join(re.sub(r"<br>", " ", re.sub(r"<(?!br)[^>]+>", "", text)).split()) for text in cell.findall(row)]
             for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)]
            for table in re.findall(r"<table[^>]*>(.*?)</table>", section, re.S)]


def test_the_member_list_shows_current_members_and_past_terms_apart(client, make_council, make_staff, login_staff):
    council, members = make_council(size=2)
    person = members[1].person
    again = _seat_again(council, members[1], position=Position.TREASURER)
    page = _admin_page(client, council, make_staff, login_staff)
    html = client.get(page + "?lang=en").get_data(as_text=True)
    current, past = _term_tables(html)
    assert current[0][:4] == ["Name", "Position", "Term starts", "Term ends"] and past[0] == current[0][:4]
    assert [f"{person.name} {person.person_number}", "Treasurer", format_date(local_today(), "medium", locale="en"),
            "no end date", "Remove"] in current
    assert [f"{person.name} {person.person_number}", "Member", format_date(FIRST_TERM, "medium", locale="en"),
            f"{format_date(local_today() - timedelta(days=1), 'medium', locale='en')} "
            f"removed on {format_date(local_today(), 'medium', locale='en')}"] in past
    assert f'<th scope="row" id="term-{again.id}">' in html and f'aria-describedby="term-{again.id}"' in html
    assert "Eerdere termijnen" in client.get(page + "?lang=nl").get_data(as_text=True)


def test_a_council_without_members_says_so_and_has_no_empty_tables(client, make_council, make_staff, login_staff):
    council, _members = make_council(size=0)
    html = client.get(_admin_page(client, council, make_staff, login_staff) + "?lang=en").get_data(as_text=True)
    assert "No members yet." in html and _term_tables(html) == [] and "Past terms" not in html


def test_a_former_member_is_seated_again_through_the_form(client, make_council, make_staff, login_staff):
    council, members = make_council(size=2)
    membership.remove_member(members[1], by=None)
    council_id, old_id, person = council.id, members[1].id, members[1].person
    page = _admin_page(client, council, make_staff, login_staff)
    response = client.post_form(f"{page}/members", {"person_number": person.person_number, "position": "member",
                                                    "term_start": local_today().isoformat(),
                                                    "once": new_token()}, token_from=page)
    assert response.status_code == 302
    terms = db.session.scalars(sa.select(Member).where(Member.council_id == council_id,
                                                       Member.person_id == person.id).order_by(Member.id)).all()
    assert [t.id for t in terms][0] == old_id and len(terms) == 2 and terms[0].removed_at is not None
    added = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "council.member.added")
                               .order_by(AuditEntry.id)).all()  # PostgreSQL keeps no order without one
    assert [(e.object_id, e.actor_kind) for e in added][-1] == (terms[1].id, "staff")


def _error_of(html: str, field: str) -> str:
    match = re.search(rf'<p class="error-message" id="{field}-error">([^<]*)</p>', html)
    return match.group(1) if match else ""


def test_an_overlapping_term_comes_back_with_the_form_and_the_error_at_its_start(client, make_council, make_staff,
                                                                                  login_staff):
    council, members = make_council(size=2)
    number = members[1].person.person_number
    page = _admin_page(client, council, make_staff, login_staff)
    response = client.post_form(f"{page}/members?lang=en", {"person_number": number, "position": "chair",
                                                             "term_start": "2030-02-03",
                                                             "once": new_token()}, token_from=page)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert _error_of(html, "term_start").startswith(f"This tenant is already a member since {_long(FIRST_TERM)}")
    assert f'value="{number}"' in html and 'value="2030-02-03"' in html
    assert re.search(r'<option selected value="chair">|<option value="chair" selected>', html)
    assert len(membership.list_terms_of(council, members[1].person)) == 1


def test_only_admins_seat_members_and_only_with_the_forms_token(client, make_council, make_tenant, make_staff,
                                                               login_staff):
    council, _members = make_council(size=1)
    person = make_tenant(council.corporation)
    page = f"/staff/councils/{council.id}"
    data = {"person_number": person.person_number, "position": "member", "term_start": "2026-01-01",
            "once": new_token()}
    login_staff(client, make_staff(council.corporation, "editor"))
    assert client.post_form(f"{page}/members", data, token_from=page).status_code == 403
    login_staff(client, make_staff(council.corporation, "admin"))
    assert client.post(f"{page}/members", data=data).status_code == 400  # no CSRF token
    assert membership.list_terms_of(council, person) == []


def test_removing_a_past_term_again_changes_nothing(client, make_council, make_staff, login_staff):
    council, members = make_council(size=2)
    membership.remove_member(members[1], by=None)
    db.session.commit()
    removed_at, member_id = members[1].removed_at, members[1].id
    page = _admin_page(client, council, make_staff, login_staff)
    response = client.post_form(f"{page}/members/{member_id}/remove?lang=en", {}, token_from=page)
    assert response.status_code == 302
    assert "This member&#39;s term has already ended." in client.get(response.location).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Member, member_id).removed_at == removed_at
