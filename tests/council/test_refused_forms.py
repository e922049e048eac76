"""Forms the secretary's page refuses come back as typed, each in its own box, with the message beside the field."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from inspraak.council import voting
from inspraak.council.models import Channel, Motion, Proxy
from inspraak.extensions import db
from tests.concurrency import form_values
from tests.uploads import without_a_file, without_a_file_cases


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
