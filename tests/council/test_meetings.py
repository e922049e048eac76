"""Meeting life cycle, agenda order, minutes revisions and approval."""
from datetime import timedelta

import pytest

from inspraak.core.db import utcnow
from inspraak.core.errors import Conflict, DomainError, InvalidTransition
from inspraak.council import agendas, presence, records, voting
from inspraak.council.models import ItemKind, MeetingStatus
from inspraak.council.rules import Choice
from inspraak.extensions import db


def test_life_cycle_refuses_invalid_moves(make_council):
    council, members = make_council(size=2)
    meeting = agendas.plan_meeting(council, title="M", starts_at=utcnow() + timedelta(days=2), place="Zaal", by=members[0])
    with pytest.raises(DomainError):  # an empty agenda is not published
        agendas.publish_agenda(meeting, by=members[0])
    with pytest.raises(InvalidTransition):
        agendas.open_meeting(meeting, by=members[0])
    agendas.add_agenda_item(meeting, kind=ItemKind.INFORMATION, title={"nl": "Opening"})
    agendas.publish_agenda(meeting, by=members[0])
    with pytest.raises(InvalidTransition):
        agendas.publish_agenda(meeting, by=members[0])
    with pytest.raises(InvalidTransition):
        meeting.publish_minutes()
    agendas.open_meeting(meeting, by=members[0])
    agendas.close_meeting(meeting, by=members[0])
    assert meeting.status is MeetingStatus.CLOSED
    with pytest.raises(InvalidTransition):
        agendas.add_agenda_item(meeting, kind=ItemKind.INFORMATION, title={"nl": "Te laat"})


def test_a_meeting_needs_a_place_or_a_link(make_council):
    council, members = make_council(size=1)
    with pytest.raises(DomainError):
        agendas.plan_meeting(council, title="M", starts_at=utcnow(), by=members[0])
    meeting = agendas.plan_meeting(council, title="M", starts_at=utcnow(), online_link="https://meet.example/x", by=members[0])
    assert meeting.place == ""


def test_meeting_cannot_close_while_a_vote_is_open(make_council, make_meeting):
    council, members = make_council(size=2)
    meeting, motion = make_meeting(council, members[0])
    agendas.open_meeting(meeting, by=members[0])
    with pytest.raises(InvalidTransition):
        agendas.close_meeting(meeting, by=members[0])
    voting.close_vote(motion, by=members[0])
    agendas.close_meeting(meeting, by=members[0])


def test_every_minutes_revision_is_kept_and_approval_freezes_them(make_council, make_meeting):
    council, members = make_council(size=2)
    meeting, motion = make_meeting(council, members[0], open_vote=False)
    with pytest.raises(InvalidTransition):  # not before the meeting started
        records.save_minutes(meeting, {"nl": "Te vroeg"}, source_language="nl", by=members[0])
    agendas.open_meeting(meeting, by=members[0])
    records.save_minutes(meeting, {"nl": "Eerste versie"}, source_language="nl", by=members[0])
    records.save_minutes(meeting, {"nl": "Tweede versie"}, source_language="nl", by=members[1])
    with pytest.raises(InvalidTransition):  # approval comes after the meeting
        records.approve_minutes(meeting, by=members[0])
    agendas.close_meeting(meeting, by=members[0])
    with pytest.raises(InvalidTransition):
        records.publish_minutes(meeting, by=members[0])
    approved = records.approve_minutes(meeting, by=members[0])
    assert approved.text == {"nl": "Tweede versie"} and [r.text["nl"] for r in meeting.revisions] == ["Eerste versie", "Tweede versie"]
    with pytest.raises(InvalidTransition):
        records.save_minutes(meeting, {"nl": "Derde"}, source_language="nl", by=members[0])
    records.publish_minutes(meeting, by=members[0])
    assert meeting.status is MeetingStatus.MINUTES_PUBLISHED and meeting.approved_revision is approved


def test_moving_agenda_items_keeps_positions_dense(make_council):
    council, members = make_council(size=1)
    meeting = agendas.plan_meeting(council, title="M", starts_at=utcnow(), place="Zaal", by=members[0])
    items = [agendas.add_agenda_item(meeting, kind=ItemKind.INFORMATION, title={"nl": str(n)}) for n in range(3)]
    agendas.move_agenda_item(items[0], -1)  # already first: nothing happens
    agendas.move_agenda_item(items[0], +1)
    agendas.move_agenda_item(items[2], -1)
    db.session.refresh(meeting)
    assert [i.title["nl"] for i in meeting.items] == ["1", "2", "0"]
    assert [i.position for i in meeting.items] == [1, 2, 3]


def test_used_proxy_cannot_be_withdrawn(make_council, make_meeting):
    council, members = make_council(size=3)
    meeting, motion = make_meeting(council, members[0])
    proxy = presence.record_proxy(meeting, members[2], members[1], signed_on=utcnow(), by=members[0])
    voting.cast_vote(motion.id, members[1], Choice.FOR, for_member_id=members[2].id)
    with pytest.raises(Conflict):
        presence.withdraw_proxy(proxy, by=members[0])


def test_proxies_of_a_closed_meeting_stay_as_they_were(make_council, make_meeting):
    """The proxies are part of a closed meeting's record: an unused one cannot be withdrawn afterwards, nor
    a new one recorded, also once the minutes are published."""
    council, members = make_council(size=4)
    meeting, _motion = make_meeting(council, members[0], open_vote=False)
    proxy = presence.record_proxy(meeting, members[2], members[1], signed_on=utcnow(), by=members[0])
    agendas.open_meeting(meeting, by=members[0])
    agendas.close_meeting(meeting, by=members[0])
    db.session.commit()
    with pytest.raises(InvalidTransition):
        presence.withdraw_proxy(proxy, by=members[0])
    with pytest.raises(InvalidTransition):
        presence.record_proxy(meeting, members[3], members[1], signed_on=utcnow(), by=members[0])
    db.session.rollback()
    assert presence.proxy_pairs(meeting.id) == [(members[2].id, members[1].id)]


def test_motions_only_on_decision_or_advice_items_and_secret_only_when_allowed(make_council):
    council, members = make_council(size=1, secret_ballots_allowed=False)
    meeting = agendas.plan_meeting(council, title="M", starts_at=utcnow(), place="Zaal", by=members[0])
    info = agendas.add_agenda_item(meeting, kind=ItemKind.INFORMATION, title={"nl": "Info"})
    decision = agendas.add_agenda_item(meeting, kind=ItemKind.DECISION, title={"nl": "Besluit"})
    with pytest.raises(DomainError):
        voting.propose_motion(info, text={"nl": "Nee"})
    with pytest.raises(DomainError):
        voting.propose_motion(decision, text={"nl": "Geheim"}, ballot=voting.Ballot.SECRET)
    assert voting.propose_motion(decision, text={"nl": "Open"}).ballot is voting.Ballot.OPEN


def test_minutes_saved_again_as_they_read_keep_no_new_version(make_council, make_meeting):
    """Saved again unchanged (with a browser's line breaks and a trailing one) nothing is kept; a change in the text
    or in its language is a new version, as before."""
    council, members = make_council(size=2)
    meeting, _motion = make_meeting(council, members[0], open_vote=False)
    agendas.open_meeting(meeting, by=members[0])
    first = records.save_minutes(meeting, {"nl": "Aanwezig: twee leden.\nGeen besluiten."}, source_language="nl",
                                 by=members[0])
    assert records.save_minutes(meeting, {"nl": "Aanwezig: twee leden.\r\nGeen besluiten.\r\n"}, source_language="nl",
                                by=members[1]) is None
    assert meeting.revisions == [first]
    records.save_minutes(meeting, {"en": "Aanwezig: twee leden.\nGeen besluiten."}, source_language="en", by=members[0])
    records.save_minutes(meeting, {"en": "Present: two members.\nNo decisions."}, source_language="en", by=members[0])
    assert [r.source_language for r in meeting.revisions] == ["nl", "en", "en"]
