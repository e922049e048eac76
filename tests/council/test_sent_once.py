"""A council, meeting, agenda item, document, motion, minutes or advice request sent twice is made once."""
from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from inspraak.core.errors import DomainError
from inspraak.council import agendas, membership
from inspraak.council.models import (
    AdviceRequest, AgendaItem, Attachment, Council, Meeting, Member, MinutesRevision, Motion,
)
from inspraak.extensions import db
from tests.once import rows, sent_twice


def test_a_council_and_an_advice_request_sent_twice_are_made_once(client, make_council, make_staff, login_staff):
    council, _members = make_council(size=1)
    corporation_id, council_id = council.corporation_id, council.id
    login_staff(client, make_staff(council.corporation, "admin"))
    page = "/staff/councils/"
    location = sent_twice(client, page, lambda: {"name": "Huurdersraad Noord", "complex_number": ""}, page=page,
                          count=lambda: rows(Council, Council.corporation_id == corporation_id))
    made = db.session.scalar(sa.select(sa.func.max(Council.id)))
    db.session.commit()
    assert location.endswith(f"/staff/councils/{made}")
    new = f"/staff/councils/{council_id}/advice/new"
    location = sent_twice(client, new, lambda: {
        "subject": "rent_policy", "kind": "advice", "title": "Huur", "body": "Advies graag", "language": "nl",
        "received_on": "2026-03-02", "period_days": "42",
        "document": (io.BytesIO(b"%PDF-1.7\n%test"), "huur.pdf")}, page=new, count=lambda: rows(AdviceRequest))
    assert rows(Attachment) == 1  # the document of the one request, stored once
    made = db.session.scalar(sa.select(AdviceRequest.id))
    db.session.commit()
    assert location.endswith(f"/staff/councils/advice/{made}")


def test_a_meeting_an_item_a_document_a_motion_and_minutes_sent_twice_are_added_once(
        app, client, make_council, make_meeting, login_tenant, tmp_path):
    app.config["COUNCIL_ATTACHMENT_DIR"] = str(tmp_path)
    council, members = make_council(size=2)
    meeting, _motion = make_meeting(council, members[0], open_vote=False)
    council_id, meeting_id, item_id = council.id, meeting.id, meeting.items[0].id
    login_tenant(client, members[0].person)
    new = f"/council/{council_id}/meetings/new"
    location = sent_twice(client, new, lambda: {"title": "Najaarsvergadering", "starts_at": "2030-10-01T19:30",
                                                "place": "Buurthuis"}, page=new,
                          count=lambda: rows(Meeting, Meeting.council_id == council_id))
    made = db.session.scalar(sa.select(sa.func.max(Meeting.id)))
    db.session.commit()
    assert location.endswith(f"/council/meetings/{made}/manage")
    manage = f"/council/meetings/{meeting_id}/manage"
    location = sent_twice(client, f"/council/meetings/{meeting_id}/items", lambda: {
        "kind": "decision", "title": "Tuinen", "language": "nl", "document": (io.BytesIO(b"%PDF-1.7\n%a"), "tuin.pdf"),
    }, page=manage, count=lambda: rows(AgendaItem, AgendaItem.meeting_id == meeting_id))
    assert location.endswith(f"{manage}#agenda") and len(list(tmp_path.iterdir())) == 1
    sent_twice(client, f"/council/meetings/{meeting_id}/items/{item_id}/attachments",
               lambda: {"document": (io.BytesIO(b"%PDF-1.7\n%b"), "plan.pdf")}, page=manage,
               count=lambda: rows(Attachment, Attachment.agenda_item_id == item_id))
    assert len(list(tmp_path.iterdir())) == 2
    location = sent_twice(client, f"/council/meetings/{meeting_id}/items/{item_id}/motions", lambda: {
        "text": "Wij stemmen in.", "language": "nl", "ballot": "open", "channel": "online", "majority": "",
    }, page=manage, count=lambda: rows(Motion, Motion.agenda_item_id == item_id))
    assert location.endswith(f"{manage}#item-{item_id}")
    agendas.open_meeting(db.session.get(Meeting, meeting_id), by=members[0])
    db.session.commit()
    location = sent_twice(client, f"/council/meetings/{meeting_id}/minutes",
                          lambda: {"minutes-text": "Notulen.", "minutes-language": "nl"}, page=manage,
                          count=lambda: rows(MinutesRevision, MinutesRevision.meeting_id == meeting_id))
    assert location.endswith(f"{manage}#minutes")


def test_a_second_committee_for_a_complex_is_refused_with_a_message(client, make_council, make_staff, login_staff):
    """Two forms (two tabs, two admins) making a committee for one complex: the second is told, not an error page."""
    from inspraak.council.models import CouncilKind
    from inspraak.core.once import new_token

    council, _members = make_council(size=1, kind=CouncilKind.RESIDENTS_COMMITTEE)
    number, corporation_id = council.complex.number, council.corporation_id
    login_staff(client, make_staff(council.corporation, "admin"))
    page = "/staff/councils/"
    response = client.post_form(page + "?lang=en", {"name": "Tweede commissie", "complex_number": number,
                                                    "once": new_token()}, token_from=page)
    assert response.status_code == 400
    assert "This complex already has a residents&#39; committee." in response.get_data(as_text=True)
    assert rows(Council, Council.corporation_id == corporation_id) == 1
    with pytest.raises(DomainError):  # the service refuses it, not only the view
        membership.create_council(council.corporation, name="Derde", kind=CouncilKind.RESIDENTS_COMMITTEE,
                                  complex_=council.complex)


def test_a_member_sent_twice_is_seated_once(client, make_council, make_tenant, make_staff, login_staff):
    """The member form had no one-time token: sent twice (a double click, back and resend) it seated the tenant
    twice, or the second send hit the overlapping term. Now the second send lands where the first did."""
    council, _members = make_council(size=1)
    person = make_tenant(council.corporation)
    council_id, number = council.id, person.person_number
    login_staff(client, make_staff(council.corporation, "admin"))
    page = f"/staff/councils/{council_id}"
    location = sent_twice(client, f"{page}/members", lambda: {"person_number": number, "position": "member",
                                                              "term_start": "2026-12-01"},
                          page=page, count=lambda: rows(Member, Member.council_id == council_id))
    assert location.endswith(f"{page}#members")
