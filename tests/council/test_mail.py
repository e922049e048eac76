"""Council mail: a vote opened, an advice request received, and deadline reminders sent once."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from inspraak.core.db import utcnow
from inspraak.core.timeutil import local_today
from inspraak.council import advice, agendas, membership, voting
from inspraak.council.models import AdviceReminder, Channel, Follows, Position, RequestKind, Subject
from inspraak.council.reminders import send_reminders
from inspraak.council.rules import Choice, Tally
from inspraak.extensions import db
from inspraak.notify.models import OutboxMessage
from inspraak.notify.services import set_preferences


def _mails(kind: str) -> list[OutboxMessage]:
    return list(db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)))


def _by_address(kind: str) -> dict[str, OutboxMessage]:
    return {m.to_address: m for m in _mails(kind)}


@pytest.fixture
def council(make_council):  # noqa: ANN001, ANN201
    """A council of four: secretary (nl), chair (en), member (tr), member without email."""
    council, members = make_council(size=4)
    members[1].position = Position.CHAIR
    members[1].person.preferred_language = "en"
    members[2].person.preferred_language = "tr"
    members[3].person.email = None
    db.session.commit()
    return council, members


@pytest.fixture
def send(make_staff):  # noqa: ANN001, ANN201
    def send(council, *, kind=RequestKind.ADVICE, received_days_ago=40, period=42, staff=None):  # noqa: ANN001, ANN202
        staff = staff or make_staff(council.corporation, "editor")
        request = advice.send_request(
            council, subject=Subject.RENT_POLICY, kind=kind, title={"nl": "Huurbeleid 2027", "en": "Rent policy 2027"},
            body={"nl": "Graag uw advies."}, source_language="nl",
            received_on=local_today() - timedelta(days=received_days_ago), period_days=period, by=staff,
        )
        db.session.commit()
        return request, staff

    return send


# ------------------------------------------------------------------ vote opened


def test_online_vote_mails_every_active_member_with_email_in_their_language(council, make_meeting):
    council, members = council
    meeting, motion = make_meeting(council, members[0], open_vote=False)
    voting.open_vote(motion, closes_at=utcnow() + timedelta(days=2), by=members[0])
    db.session.commit()
    mails = _by_address("vote_opened")
    assert set(mails) == {m.person.email for m in members[:3]}
    assert {m.language for m in mails.values()} == {"nl", "en", "tr"}
    english = mails[members[1].person.email]
    assert english.subject == "Vote now: Budget"
    assert "You can vote until" in english.body_text
    assert mails[members[0].person.email].subject.endswith("Begroting")
    link = f"/council/meetings/{meeting.id}#motion-{motion.id}"
    assert all(link in m.body_text and link in m.body_html for m in mails.values())
    assert all(m.unsubscribe_url for m in mails.values())


def test_vote_without_closing_time_leaves_out_the_closing_sentence(council, make_meeting):
    council, members = council
    make_meeting(council, members[0])
    english = _by_address("vote_opened")[members[1].person.email]
    assert "You can vote until" not in english.body_text


def test_removed_member_gets_no_vote_mail(council, make_meeting):
    council, members = council
    membership.remove_member(members[2], by=None)
    make_meeting(council, members[0])
    assert members[2].person.email not in _by_address("vote_opened")
    assert len(_mails("vote_opened")) == 2


def test_show_of_hands_vote_mails_nobody(council, make_meeting):
    council, members = council
    make_meeting(council, members[0], channel=Channel.SHOW_OF_HANDS)
    assert _mails("vote_opened") == []


def test_member_who_switched_votes_off_gets_no_vote_mail(council, make_meeting):
    council, members = council
    set_preferences(members[1].person.id, {"vote_opened": False})
    db.session.commit()
    make_meeting(council, members[0])
    assert set(_by_address("vote_opened")) == {members[0].person.email, members[2].person.email}


def test_no_vote_choice_in_any_message(council, make_meeting):
    council, members = council
    _meeting, motion = make_meeting(council, members[0])
    before = {m.id for m in db.session.scalars(sa.select(OutboxMessage))}
    voting.cast_vote(motion.id, members[0], Choice.FOR)
    voting.cast_vote(motion.id, members[1], Choice.AGAINST)
    voting.cast_vote(motion.id, members[2], Choice.ABSTAIN)
    voting.close_vote(motion, by=members[0], counts=Tally(0, 0, 0))
    db.session.commit()
    messages = list(db.session.scalars(sa.select(OutboxMessage)))
    assert {m.id for m in messages} == before  # casting and closing queue no mail at all
    for message in messages:
        text = (message.subject + message.body_text + message.body_html).lower()
        for word in ("against", "abstain", "tegen", "onthoud", "choice", "keuze"):
            assert word not in text


def test_rolled_back_vote_opening_sends_nothing(council, make_meeting):
    council, members = council
    _meeting, motion = make_meeting(council, members[0], open_vote=False)
    voting.open_vote(motion, closes_at=None, by=members[0])
    assert len(_mails("vote_opened")) == 3
    db.session.rollback()
    assert _mails("vote_opened") == []


# ------------------------------------------------------------------ advice request received


def test_advice_request_mails_chair_and_secretary_in_their_language(council, send):
    council, members = council
    request, _staff = send(council, received_days_ago=0, period=56)
    mails = _by_address("advice_request_received")
    assert set(mails) == {members[0].person.email, members[1].person.email}
    assert mails[members[0].person.email].language == "nl"
    english = mails[members[1].person.email]
    assert english.language == "en"
    assert english.subject == "Request for advice: Rent policy 2027"
    assert f"/council/{council.id}/advice/{request.id}" in english.body_text
    assert "The advice is due on" in english.body_text
    assert str(request.deadline.year) in english.body_text


def test_advice_request_respects_switched_off_kind(council, send):
    council, members = council
    set_preferences(members[1].person.id, {"advice_request_received": False})
    db.session.commit()
    send(council)
    assert set(_by_address("advice_request_received")) == {members[0].person.email}


def test_rolled_back_advice_request_sends_nothing(council, make_staff):
    council, _members = council
    staff = make_staff(council.corporation, "editor")
    advice.send_request(council, subject=Subject.RENT_POLICY, kind=RequestKind.ADVICE, title={"nl": "X"}, body={},
                        source_language="nl", received_on=local_today(), period_days=42, by=staff)
    assert len(_mails("advice_request_received")) == 2
    db.session.rollback()
    assert _mails("advice_request_received") == []


# ------------------------------------------------------------------ reminders


def test_advice_due_soon_reminds_chair_and_secretary_once(council, send):
    council, members = council
    request, _staff = send(council, received_days_ago=40)  # due in 2 days
    run = send_reminders()
    db.session.commit()
    assert (run.steps, run.messages) == (1, 2)
    mails = _by_address("deadline_approaching")
    assert set(mails) == {members[0].person.email, members[1].person.email}
    english = mails[members[1].person.email]
    assert english.language == "en" and english.subject == "Soon: Rent policy 2027"
    assert f"/council/{council.id}/advice/{request.id}" in english.body_text
    assert "This is a reminder for the members of" in english.body_text
    again = send_reminders()
    db.session.commit()
    assert (again.steps, again.messages) == (0, 0)
    assert len(_mails("deadline_approaching")) == 2


def test_advice_due_later_is_not_reminded_yet(app, council, send):
    council, _members = council
    send(council, received_days_ago=10)  # due in 32 days
    assert send_reminders().steps == 0
    app.config["ADVICE_REMINDER_DAYS"] = 40
    try:
        assert send_reminders().steps == 1
    finally:
        app.config["ADVICE_REMINDER_DAYS"] = 7


def test_overdue_given_or_information_requests_are_not_reminded(council, send):
    council, members = council
    send(council, received_days_ago=50)  # overdue since 8 days
    send(council, kind=RequestKind.INFORMATION)
    given, _staff = send(council)
    advice.send_advice(given, text="Akkoord.", language="nl", sent_on=local_today(), by=members[0])
    assert send_reminders().steps == 0


def test_reminder_respects_switched_off_kind_but_records_the_step(council, send):
    council, members = council
    set_preferences(members[1].person.id, {"deadline_approaching": False})
    send(council)
    run = send_reminders()
    assert (run.steps, run.messages) == (1, 1)
    assert db.session.scalar(sa.select(AdviceReminder.recipients)) == 1


def test_reasons_due_soon_remind_the_staff_who_sent_the_request(council, send, make_staff):
    council, members = council
    staff = make_staff(council.corporation, "editor")
    staff.preferred_language = "en"
    request, _ = send(council, received_days_ago=40, staff=staff)
    advice.send_advice(request, text="Doe het niet.", language="nl", sent_on=local_today() - timedelta(days=12), by=members[0])
    advice.record_response(request, text="We doen het deels.", language="nl", follows=Follows.PARTLY,
                           responded_on=local_today() - timedelta(days=11), by=staff)
    db.session.commit()
    run = send_reminders()
    db.session.commit()
    assert (run.steps, run.messages) == (1, 1)
    (mail,) = _mails("deadline_approaching")
    assert mail.to_address == staff.email and mail.language == "en"
    assert f"/staff/councils/advice/{request.id}" in mail.body_text
    assert "is waiting for your written reasons" in mail.body_text
    assert mail.unsubscribe_url is None
    assert send_reminders().steps == 0


def test_reasons_sent_or_advice_followed_are_not_reminded(council, send, make_staff):
    council, members = council
    for follows in (Follows.FULLY, Follows.NOT):
        request, staff = send(council)
        advice.send_advice(request, text="Advies.", language="nl", sent_on=local_today() - timedelta(days=12), by=members[0])
        advice.record_response(request, text="Antwoord.", language="nl", follows=follows, responded_on=local_today(), by=staff)
        if follows is Follows.NOT:
            advice.send_reasons(request, text="Omdat.", language="nl", sent_on=local_today(), by=staff)
    assert send_reminders().steps == 0


def test_rolled_back_reminders_send_nothing_and_run_again(council, send):
    council, _members = council
    send(council)
    assert send_reminders().messages == 2
    db.session.rollback()
    assert _mails("deadline_approaching") == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AdviceReminder)) == 0
    assert send_reminders().messages == 2


def test_send_reminders_command_is_idempotent(app, council, send):
    council, _members = council
    send(council)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["inspraak", "send-reminders"])
    assert first.exit_code == 0, first.output
    assert "1 deadline(s), 2 message(s)" in first.output
    second = runner.invoke(args=["inspraak", "send-reminders"])
    assert "0 deadline(s), 0 message(s)" in second.output
    db.session.rollback()
    assert len(_mails("deadline_approaching")) == 2


# ------------------------------------------------------------------ agenda published


def test_agenda_mail_goes_to_who_sits_on_the_council_on_the_meetings_dutch_date(make_council):
    """A meeting at 00:30 on 1 March in Amsterdam is 23:30 on 28 February in UTC: it is a 1 March meeting."""
    from datetime import date, datetime, timezone

    from inspraak.council.models import ItemKind

    council, members = make_council(size=3)
    secretary, joining, leaving = members
    joining.term_start = date(2030, 3, 1)
    leaving.term_end = date(2030, 2, 28)
    starts_at = datetime(2030, 2, 28, 23, 30, tzinfo=timezone.utc)
    assert local_today(starts_at) == date(2030, 3, 1)
    meeting = agendas.plan_meeting(council, title="Voorjaarsvergadering", starts_at=starts_at, place="Buurthuis",
                                   by=secretary)
    agendas.add_agenda_item(meeting, kind=ItemKind.INFORMATION, title={"nl": "Welkom"}, description={})
    assert agendas.publish_agenda(meeting, by=secretary) == 2
    db.session.commit()
    assert set(_by_address("agenda_published")) == {secretary.person.email, joining.person.email}
