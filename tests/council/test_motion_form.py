"""A motion the secretary's page refuses comes back as typed, in its own item's box."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from inspraak.council.models import Motion
from inspraak.extensions import db
from tests.concurrency import form_values


def _motions() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Motion))


@pytest.fixture
def motion_box(client, make_council, make_meeting, login_tenant):  # noqa: ANN001, ANN201
    """The secretary signed in, and the form to add a motion to the meeting's decision item: (item id, action, values)."""
    council, members = make_council(size=3)
    meeting, motion = make_meeting(council, members[0], open_vote=False)
    item_id = motion.agenda_item_id
    db.session.commit()
    login_tenant(client, members[0].person)
    action = f"/council/meetings/{meeting.id}/items/{item_id}/motions"
    return item_id, action, form_values(client, f"/council/meetings/{meeting.id}/manage", action)


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
