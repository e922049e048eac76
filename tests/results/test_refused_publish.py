"""A publication the rules refuse comes back with the summary and note as typed, the reason at the top (and beside
the box of the source language when a text is missing there)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from inspraak.extensions import db
from inspraak.results.models import Publication
from tests.concurrency import form_values, read_forms


@pytest.fixture
def publish_form(client, make_corporation, make_world, make_staff, login_staff):  # noqa: ANN001, ANN201
    """A publisher on a closed consultation's results page: (the page, the publish form's action and values)."""
    corporation = make_corporation()
    world = make_world(corporation)
    login_staff(client, make_staff(corporation, "publisher"))
    page = f"/staff/results/{world.consultation.id}"
    return page, f"{page}/publish", form_values(client, page, f"{page}/publish")


def _versions() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Publication))


def test_a_correction_without_its_note_comes_back_as_typed(client, publish_form):
    """The publisher wrote a new summary in several languages and forgot to say what was corrected: the page
    came back by a redirect with every summary gone."""
    page, action, values = publish_form
    values.update({"summary_nl": "Eerste samenvatting.", "summary_en": "First summary."})
    assert client.post(action, data=values).status_code == 302
    again = form_values(client, page, action)
    again.update({"summary_nl": "Verbeterde samenvatting, met de juiste cijfers.", "summary_en": "A corrected summary.",
                  "note_nl": ""})
    r = client.post(f"{action}?lang=en", data=again)
    body = r.get_data(as_text=True)
    assert r.status_code == 409 and '<p class="flash flash-error">Say what was corrected.</p>' in body
    assert '<p class="error-message" id="note_nl-error">Say what was corrected.</p>' in body
    sent = read_forms(body)[action]
    assert sent["summary_nl"] == "Verbeterde samenvatting, met de juiste cijfers." and sent["summary_en"] == "A corrected summary."
    assert sent["based_on"] == "1" and _versions() == 1


def test_a_publication_racing_another_comes_back_as_typed(client, publish_form):
    """Someone else published since the page was shown: told so, with what was typed kept to publish again."""
    _page, action, values = publish_form
    stale = dict(values)
    values["summary_nl"] = "Eerste samenvatting."
    assert client.post(action, data=values).status_code == 302
    stale.update({"summary_nl": "Mijn samenvatting.", "summary_ar": "ملخص"})
    r = client.post(f"{action}?lang=en", data=stale)
    body = r.get_data(as_text=True)
    assert r.status_code == 409 and "Someone else changed this at the same moment." in body
    sent = read_forms(body)[action]
    assert sent["summary_nl"] == "Mijn samenvatting." and sent["summary_ar"] == "ملخص"
    assert _versions() == 1


def test_a_summary_of_spaces_is_told_beside_nothing_lost(client, publish_form):
    _page, action, values = publish_form
    values.update({"summary_nl": "   ", "summary_en": "Only in English."})
    r = client.post(f"{action}?lang=en", data=values)
    body = r.get_data(as_text=True)
    assert r.status_code == 409 and "Write the summary before publishing." in body
    # Beside the Dutch box, not only at the top of a long page: the boxes come far below.
    assert '<p class="error-message" id="summary_nl-error">Write the summary before publishing.</p>' in body
    assert 'aria-describedby="summary_nl-error"' in body
    assert read_forms(body)[action]["summary_en"] == "Only in English."
    assert _versions() == 0


def test_a_summary_longer_than_the_translations_page_takes_is_refused_at_publishing(client, publish_form):
    """The translations page saves every box of a summary at once and refuses one over 4,000 characters: a summary
    published longer could never be saved there again, nor translated. Publishing refuses it beside its box."""
    _page, action, values = publish_form
    values.update({"summary_nl": "Veel reacties. " * 300, "summary_en": "A short summary."})
    r = client.post(f"{action}?lang=en", data=values)
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and _versions() == 0
    assert '<p class="error-message" id="summary_nl-error">Write at most 4,000 characters.</p>' in body
    assert "Veel reacties. Veel reacties." in body and "A short summary." in body
    values["summary_nl"] = "x" * 4000
    assert client.post(action, data=values).status_code == 302 and _versions() == 1
