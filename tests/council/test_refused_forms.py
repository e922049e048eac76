"""Forms the secretary's page refuses come back as typed, each in its own box, with the message beside the field."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from inspraak.council import voting
from inspraak.council.models import Channel, Motion, Proxy
from inspraak.extensions import db
from tests.concurrency import form_values
from tests.uploads import refused_file_cases, with_a_file, without_a_file, without_a_file_cases


def _motions() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Motion))


@pytest.fixture
def secretary_page(client, make_council, make_meeting, login_tenant):  # noqa: ANN001, ANN201
    """The secretary signed in on a meeting's page: a function of a form's action (under the meeting) that gives
    the form's values as the page shows them; and the meeting's motion, not yet open."""
    council, members = make_council(size=3)
    meeting, motion = make_meeting(council, members[0], open_vote=False)
    db.session.commit()
    login_tenant(client, members[0].person)
    base = f"/council/meetings/{meeting.id}"

    def form(action: str) -> tuple[str, dict]:
        return base + action, form_values(client, base + "/manage", base + action)

    return form, motion, members


@pytest.fixture
def motion_box(secretary_page):  # noqa: ANN001, ANN201
    """The form to add a motion to the meeting's decision item: (item id, action, values)."""
    form, motion, _members = secretary_page
    action, values = form(f"/items/{motion.agenda_item_id}/motions")
    return motion.agenda_item_id, action, values


def test_a_motion_too_long_comes_back_as_typed_in_its_items_box(client, motion_box):
    """It was sent back to the page emptied, as 'Write the text of the motion.'."""
    item_id, action, form = motion_box
    form.update({"text": "Wij vragen de corporatie de tuinen te herstellen. " + "x" * 5_000, "ballot": "secret"})
    r = client.post(f"{action}?lang=en", data=form)
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and "Write at most 5,000 characters." in body
    assert "Wij vragen de corporatie de tuinen te herstellen. xxxx" in body
    assert f'<input checked id="ballot-{item_id}-2" name="ballot" type="radio" value="secret">' in body  # the choice stays
    assert '<details class="add-motion" open>' in body
    assert "Write the text of the motion." not in body
    assert _motions() == 1


def test_an_empty_motion_says_so_beside_its_text(client, motion_box):
    _item_id, action, form = motion_box
    form["text"] = "   "
    r = client.post(f"{action}?lang=ar", data=form)
    assert r.status_code == 400 and 'aria-invalid="true"' in r.get_data(as_text=True)
    assert _motions() == 1


def test_a_proxy_without_a_date_comes_back_with_both_members_chosen(client, secretary_page):
    """It was sent back to the page with the choices reset."""
    form, _motion, members = secretary_page
    action, values = form("/proxies")
    values.update({"giver": str(members[2].id), "holder": str(members[1].id), "signed_on": ""})
    r = client.post(f"{action}?lang=en", data=values)
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and "Choose a date." in body
    assert f'<option selected value="{members[2].id}">' in body and f'<option selected value="{members[1].id}">' in body
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Proxy)) == 0


def test_a_closing_time_that_is_no_time_comes_back_beside_its_motion(client, secretary_page):
    form, motion, _members = secretary_page
    action, values = form(f"/motions/{motion.id}/open")
    values["closes_at"] = "2026-02-30T25:61"
    r = client.post(f"{action}?lang=en", data=values)
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and f'id="closes-{motion.id}-error"' in body
    assert 'value="2026-02-30T25:61"' in body
    db.session.refresh(motion)
    assert motion.status is voting.MotionStatus.DRAFT


def test_show_of_hands_counts_that_do_not_pass_come_back_as_typed(client, secretary_page):
    form, motion, members = secretary_page
    hands = voting.propose_motion(motion.agenda_item, text={"nl": "Handen omhoog."}, channel=Channel.SHOW_OF_HANDS)
    voting.open_vote(hands, closes_at=None, by=members[0])
    db.session.commit()
    action, values = form(f"/motions/{hands.id}/close")
    values.update({"votes_for": "7", "votes_against": "-2", "abstentions": "1"})
    r = client.post(f"{action}?lang=en", data=values)
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and 'value="7"' in body and 'value="-2"' in body
    assert 'id="against-%d-error"' % hands.id in body
    db.session.refresh(hands)
    assert hands.result is None


@pytest.mark.parametrize("lang, message", [("en", "Choose a file."), ("nl", "Kies een bestand.")])
@without_a_file_cases
def test_a_document_sent_without_a_file_comes_back_with_the_message_beside_its_items_file_field(
        client, secretary_page, empty_part, lang, message):
    """It redirected to the page with 'Choose a file.' at the top; now the page comes back (400), the message beside
    the file field of that item, which has the focus, and nothing is stored."""
    from inspraak.council.models import Attachment

    form, motion, _members = secretary_page
    item_id = motion.agenda_item_id
    action, values = form(f"/items/{item_id}/attachments")
    r = client.post(f"{action}?lang={lang}", data=without_a_file(values, empty_part=empty_part),
                    content_type="multipart/form-data")
    body = r.get_data(as_text=True)
    assert r.status_code == 400
    assert f'<p class="error-message" id="document-{item_id}-error">{message}</p>' in body
    assert body.count('class="error-message"') == 1
    assert f'autofocus id="document-{item_id}"' in body
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attachment)) == 0


@refused_file_cases
def test_an_agenda_item_with_a_refused_file_comes_back_as_typed(app, client, secretary_page, filename, content, message):
    """The whole item was rolled back and the page redirected, the title, description and presenter typed lost, the
    file's message at the top. Now the page comes back (400) with the item as typed and the message beside its file
    field; nothing is stored."""
    from inspraak.council.models import AgendaItem, Attachment

    app.config["COUNCIL_ATTACHMENT_MAX_BYTES"] = 1024 * 1024
    form, _motion, _members = secretary_page
    action, values = form("/items")
    items = db.session.scalar(sa.select(sa.func.count()).select_from(AgendaItem))
    values.update({"title": "Tuinonderhoud", "description": "Wie maait het gras?", "presenter": "Fatma Yılmaz"})
    r = client.post(f"{action}?lang=en", data=with_a_file(values, filename, content), content_type="multipart/form-data")
    body = r.get_data(as_text=True)
    assert r.status_code == 400
    assert 'value="Tuinonderhoud"' in body and "Wie maait het gras?</textarea>" in body and 'value="Fatma Yılmaz"' in body
    assert re.search(rf'<p class="error-message" id="document-error">{re.escape(message)}[^<]*</p>', body)
    assert body.count(message) == 1  # beside the field, not also at the top
    assert re.search(r'<input[^>]*aria-invalid="true"[^>]*id="document"[^>]*type="file"', body)
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AgendaItem)) == items
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attachment)) == 0
    values = form("/items")[1]  # a new page: the same item, now with a good file, is added once
    values.update({"title": "Tuinonderhoud"})
    r = client.post(action, data=with_a_file(values, "plan.pdf", b"%PDF-1.4 plan"), content_type="multipart/form-data")
    assert r.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attachment)) == 1


@refused_file_cases
def test_a_refused_attachment_comes_back_beside_its_items_file_field(app, client, secretary_page, filename, content,
                                                                     message):
    """It redirected with the message at the top of a page of many file fields; now the page comes back (400) with
    the message beside the file field of that item, which has the focus."""
    from inspraak.council.models import Attachment

    app.config["COUNCIL_ATTACHMENT_MAX_BYTES"] = 1024 * 1024
    form, motion, _members = secretary_page
    item_id = motion.agenda_item_id
    action, values = form(f"/items/{item_id}/attachments")
    r = client.post(f"{action}?lang=en", data=with_a_file(values, filename, content), content_type="multipart/form-data")
    body = r.get_data(as_text=True)
    assert r.status_code == 400
    assert re.search(rf'<p class="error-message" id="document-{item_id}-error">{re.escape(message)}[^<]*</p>', body)
    assert body.count(message) == 1
    assert f'autofocus id="document-{item_id}"' in body
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attachment)) == 0


def test_a_refused_file_is_said_in_the_readers_language(client, secretary_page):
    form, motion, _members = secretary_page
    action, values = form(f"/items/{motion.agenda_item_id}/attachments")
    r = client.post(f"{action}?lang=nl", data=with_a_file(values, "plan.exe", b"MZ"), content_type="multipart/form-data")
    assert r.status_code == 400
    assert "Dit soort bestand is niet toegestaan." in r.get_data(as_text=True)
