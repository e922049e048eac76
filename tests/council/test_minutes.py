"""Versions of the minutes from the secretary's page: saving what the latest version says keeps no new one."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from inspraak.core.errors import DomainError
from inspraak.council import agendas, records
from inspraak.council.models import Meeting, Member, MinutesRevision, Position
from inspraak.extensions import db
from tests.concurrency import at_the_same_moment, form_values

UNCHANGED = "The minutes are the same as the latest version: no new version was saved."


@pytest.fixture
def minutes(make_council, make_meeting):  # noqa: ANN001, ANN201
    """A factory: a meeting in session whose minutes have one version in ``language``, (its page, the address
    its minutes are saved at, the secretary and the chair as people)."""

    def make(language: str = "nl") -> tuple:
        council, members = make_council(size=3)
        members[1].position = Position.CHAIR
        meeting, _motion = make_meeting(council, members[0], open_vote=False)
        agendas.open_meeting(meeting, by=members[0])
        records.save_minutes(meeting, {language: "Aanwezig: drie leden.\nHet jaarplan is vastgesteld."},
                             source_language=language, by=members[0])
        db.session.commit()
        return (f"/council/meetings/{meeting.id}/manage", f"/council/meetings/{meeting.id}/minutes",
                (members[0].person, members[1].person))

    return make


def _member_of(meeting: Meeting, person) -> Member:  # noqa: ANN001
    return db.session.scalar(sa.select(Member).where(Member.council_id == meeting.council_id,
                                                     Member.person_id == person.id))


def _versions() -> int:
    count = db.session.scalar(sa.select(sa.func.count()).select_from(MinutesRevision))
    db.session.commit()
    return count


@pytest.mark.parametrize("language", ["nl", "en"])
def test_minutes_saved_again_unchanged_keep_one_version_and_say_so(client, minutes, login_tenant, language):
    """The page shows the latest version in its language; sent back as it stands, as a browser sends a text
    (CR LF line breaks), it is not a second version, and the secretary is told why."""
    page, action, (secretary, _chair) = minutes(language)
    login_tenant(client, secretary)
    form = form_values(client, page, action)
    assert form["minutes-language"] == language
    form["minutes-text"] = form["minutes-text"].replace("\n", "\r\n")
    saved = client.post(f"{action}?lang=en", data=form, follow_redirects=True)
    assert saved.status_code == 200 and UNCHANGED in saved.get_data(as_text=True)
    assert _versions() == 1
    form = form_values(client, page, action)
    form["minutes-text"] += "\nDe vergadering sloot om 21.00 uur."
    assert client.post(action, data=form).status_code == 302
    assert _versions() == 2


def test_the_same_minutes_saved_from_two_pages_at_the_same_moment_are_one_version(app, minutes, login_tenant):
    """The secretary and the chair type the same correction and save at the same moment: one new version."""
    page, action, managers = minutes()
    change = {"minutes-text": "Aanwezig: drie leden.\nHet jaarplan 2027 is vastgesteld."}
    assert at_the_same_moment(app, login_tenant, managers, page, [change, change], action=action) == [302, 302]
    assert _versions() == 2


def test_minutes_too_long_come_back_as_typed_with_the_reason(client, minutes, login_tenant):
    """Over the limit they were sent back to the page emptied, as 'The minutes are empty.'."""
    page, action, (secretary, _chair) = minutes()
    login_tenant(client, secretary)
    form = form_values(client, page, action)
    form["minutes-text"] = "Aanwezig: vijf leden. " + "x" * 100_000
    r = client.post(f"{action}?lang=pl", data=form)
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and "Aanwezig: vijf leden. xxxx" in body
    assert "Proszę wpisać najwyżej 100" in body and "pusty" not in body
    assert _versions() == 1


def test_an_agenda_item_with_too_long_a_title_comes_back_as_typed(client, make_council, make_meeting, login_tenant):
    """It was sent back to the page emptied, as 'Give the agenda item a title.'."""
    council, members = make_council(size=3)
    meeting, _motion = make_meeting(council, members[0], open_vote=False)
    db.session.commit()
    login_tenant(client, members[0].person)
    page, action = f"/council/meetings/{meeting.id}/manage", f"/council/meetings/{meeting.id}/items"
    form = form_values(client, page, action)
    form.update({"title": "T" * 201, "description": "Het plan voor de tuinen, met de kosten per woning."})
    r = client.post(f"{action}?lang=en", data=form)
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and "Write at most 200 characters." in body
    assert "Het plan voor de tuinen, met de kosten per woning." in body and "T" * 201 in body
    assert "Give the agenda item a title." not in body


def test_minutes_typed_while_the_chair_approved_them_come_back_with_what_was_typed(client, minutes, login_tenant):
    """The secretary types a correction while the chair, on another page, approves the minutes: saving was
    refused with a message at the top of the meeting's page, whose minutes form is gone once they are approved,
    and the text typed was lost. Now the form comes back (409) with it and the reason beside it."""
    page, action, (secretary, chair) = minutes()
    login_tenant(client, secretary)
    form = form_values(client, page, action)
    meeting_id = int(action.split("/")[3])
    meeting = db.session.get(Meeting, meeting_id)
    agendas.close_meeting(meeting, by=_member_of(meeting, chair))
    records.approve_minutes(meeting, by=_member_of(meeting, chair))
    db.session.commit()
    typed = "Aanwezig: drie leden en de huismeester.\nHet jaarplan is vastgesteld met één stem tegen."
    form["minutes-text"] = typed
    response = client.post(f"{action}?lang=en", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert typed in html.replace("&#39;", "'")
    error = html[html.index('id="minutes-text-error"'):][:200]
    assert "The minutes are approved and can no longer be changed." in error
    assert "Approve the latest version" not in html and "Publish the minutes and decisions to tenants" in html
    assert _versions() == 1


def test_minutes_refused_for_another_reason_answer_with_its_status(client, minutes, login_tenant, monkeypatch):
    """A refusal of the minutes that is not about the meeting's state (the service's "empty") came back as 409
    Conflict; now with its own status (400), the text as typed and the reason beside it."""
    page, action, (secretary, _chair) = minutes()
    login_tenant(client, secretary)
    form = form_values(client, page, action)

    def refuse(*args, **kwargs) -> None:  # noqa: ANN002, ANN003
        raise DomainError("The minutes are empty.")

    monkeypatch.setattr(records, "save_minutes", refuse)
    form["minutes-text"] = typed = "Aanwezig: drie leden."
    response = client.post(f"{action}?lang=en", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and typed in html
    assert "The minutes are empty." in html[html.index('id="minutes-text-error"'):][:200]
    assert _versions() == 1
