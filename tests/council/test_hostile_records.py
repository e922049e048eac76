"""Hostile input on the council secretary's minutes (save, approve, publish) and on the corporation's response
to an advice: never a server error, a refused form is a 400 with what was typed, nothing of another
corporation's council is touched."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from inspraak.council import advice, agendas
from inspraak.council.models import AdviceRequest, AdviceStatus, Meeting, MinutesRevision, RequestKind, Subject
from inspraak.core.timeutil import local_today
from inspraak.extensions import db
from tests.concurrency import form_values
from tests.hostile import VALUES, post_raw, send_all


def _versions() -> int:
    count = db.session.scalar(sa.select(sa.func.count()).select_from(MinutesRevision))
    db.session.commit()
    return count


def _refused(what: str, response) -> None:  # noqa: ANN001
    assert response.status_code in (400, 403, 404), (what, response.status_code)


def _in_session(make_council, make_meeting, corporation=None):  # noqa: ANN001, ANN202
    council, members = make_council(corporation, size=3)
    meeting, _motion = make_meeting(council, members[0], open_vote=False)
    agendas.open_meeting(meeting, by=members[0])
    db.session.commit()
    return meeting, members


def test_minutes_survive_hostile_input(client, make_council, make_meeting, login_tenant):
    meeting, members = _in_session(make_council, make_meeting)
    theirs, _ = _in_session(make_council, make_meeting)
    login_tenant(client, members[0].person)
    page, action = f"/council/meetings/{meeting.id}/manage", f"/council/meetings/{meeting.id}/minutes"
    fields = form_values(client, page, action)
    for value in VALUES:
        pairs = [(n, value if n == "minutes-text" else v) for n, v in fields.items()]
        response = post_raw(client, action + "?lang=en", pairs)
        assert response.status_code < 500, value[:12]
        if not value.strip("\x00\u200b\u200c\u200d\ufeff\u2060"):
            assert response.status_code == 400, value[:12]
            html = response.get_data(as_text=True)
            assert 'id="minutes-text-error"' in html or "The minutes are empty." in html, value[:12]
        db.session.rollback()
    too_long = "x" * 100_001  # 100 000 is the most the minutes take
    response = post_raw(client, action + "?lang=en", [(n, too_long if n == "minutes-text" else v)
                                                      for n, v in fields.items()])
    assert response.status_code == 400 and too_long in response.get_data(as_text=True)
    assert 'id="minutes-text-error"' in response.get_data(as_text=True)
    kept = _versions()
    assert send_all(client, action, fields, lambda: client.csrf_token(page)) > 20
    # a meeting of another corporation's council, or of another council of ours, in the address: nothing stored
    neighbours, _ = _in_session(make_council, make_meeting, corporation=meeting.council.corporation)
    before = _versions()
    for other in (theirs, neighbours):
        send_all(client, f"/council/meetings/{other.id}/minutes", fields, lambda: client.csrf_token(page),
                 check=_refused)
        for step in ("approve", "publish"):
            send_all(client, f"/council/meetings/{other.id}/minutes/{step}", {"x": "1"},
                     lambda: client.csrf_token(page), check=_refused)
        assert db.session.get(Meeting, other.id).minutes_approved_at is None
        db.session.commit()
    assert _versions() == before >= kept
    for step in ("approve", "publish"):
        send_all(client, f"/council/meetings/{meeting.id}/minutes/{step}", {"x": "1"}, lambda: client.csrf_token(page))


def _advised(make_council, make_staff, make_corporation) -> list[tuple[int, object]]:  # noqa: ANN001
    """Two advice requests answered by their councils, ours and another corporation's: (id, its editor)."""
    council, members = make_council(size=2)
    their_council, their_members = make_council(make_corporation(), size=2)
    requests = []
    for c, m in ((council, members), (their_council, their_members)):
        staff = make_staff(c.corporation, "editor")
        item = advice.send_request(c, subject=Subject.RENT_POLICY, kind=RequestKind.ADVICE, title={"nl": "Huur"},
                                   body={"nl": "Graag advies."}, source_language="nl",
                                   received_on=local_today() - timedelta(days=10), period_days=42, by=staff)
        advice.send_advice(item, text="Niet verhogen.", language="nl", sent_on=local_today() - timedelta(days=1),
                           by=m[0])
        requests.append((item.id, staff))
    db.session.commit()
    return requests


def test_advice_response_survives_hostile_input(client, make_council, make_staff, make_corporation, login_staff):
    (ours, staff), (theirs, _) = _advised(make_council, make_staff, make_corporation)
    login_staff(client, staff)
    page, action = f"/staff/councils/advice/{ours}", f"/staff/councils/advice/{ours}/response"
    fields = {**form_values(client, page, action), "response-text": "Deels.", "response-follows": "partly",
              "response-responded_on": local_today().isoformat()}
    for name in ("response-text", "response-follows", "response-responded_on", "response-language"):
        for value in VALUES:
            pairs = [(n, value if n == name else v) for n, v in fields.items()]
            response = post_raw(client, action + "?lang=pl", pairs)
            assert response.status_code < 500, (name, value[:12])
            if response.status_code == 400:
                html = response.get_data(as_text=True)
                assert f'id="{name}-error"' in html and 'lang="pl"' in html, (name, value[:12])
                if name == "response-text" and value.strip("\x00\u200b\u200c\u200d\ufeff\u2060 "):
                    assert value.replace("\x00", "")[:50] in html or "\ud800" in value or "\udfff" in value
            stored = db.session.get(AdviceRequest, ours)
            assert response.status_code != 400 or not stored.response_text, (name, value[:12])
            if stored.status is AdviceStatus.ANSWERED:  # recorded: undo, to try the next value
                stored.status, stored.response_text, stored.responded_on = AdviceStatus.ADVICE_GIVEN, "", None
            db.session.commit()
    send_all(client, action, fields, lambda: client.csrf_token(page))
    send_all(client, f"/staff/councils/advice/{theirs}/response", fields, lambda: client.csrf_token(page),
             check=_refused)
    assert not db.session.get(AdviceRequest, theirs).response_text
    db.session.commit()

