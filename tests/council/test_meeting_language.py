"""A meeting's title and place carry the language the secretary typed them in (WCAG 2.1 3.1.2, language of parts)."""
import pytest
import sqlalchemy as sa

from inspraak.core.db import utcnow
from inspraak.core.errors import DomainError
from inspraak.core.once import new_token
from inspraak.council import agendas
from inspraak.council.models import Meeting
from inspraak.extensions import db

TITLE, PLACE = "Kış toplantısı", "Toplum merkezi (salon 2)"


def _plan_page(council) -> str:  # noqa: ANN001
    return f"/council/{council.id}/meetings/new"


def _meetings(council) -> list[Meeting]:  # noqa: ANN001
    return db.session.scalars(sa.select(Meeting).where(Meeting.council_id == council.id)).all()


def test_the_language_starts_on_the_writers_own(client, make_council, login_tenant):
    council, members = make_council(size=2)
    login_tenant(client, members[0].person)
    form = client.get(_plan_page(council) + "?lang=tr").get_data(as_text=True)
    assert '<option selected value="tr">Türkçe</option>' in form
    assert all(f'value="{code}"' in form for code in ("nl", "en", "tr", "ar", "pl"))
    assert "Başlığın ve yerin yazıldığı dil." in form  # the hint: the language is that of the title and the place
    assert '<option selected value="ar">' in client.get(_plan_page(council) + "?lang=ar").get_data(as_text=True)


def test_the_chosen_language_is_stored_with_the_meeting(client, make_council, login_tenant):
    council, members = make_council(size=2)
    login_tenant(client, members[0].person)
    response = client.post_form(_plan_page(council) + "?lang=ar", {
        "title": TITLE, "starts_at": "2030-04-01T19:30", "place": PLACE, "language": "tr", "once": new_token(),
    }, token_from=_plan_page(council))
    assert response.status_code == 302
    db.session.commit()
    [meeting] = _meetings(council)
    assert (meeting.title, meeting.place, meeting.source_language) == (TITLE, PLACE, "tr")


@pytest.mark.parametrize("bad", ["xx", "", "nl-x", "ar" * 60])
def test_a_language_the_site_does_not_offer_is_refused_at_the_field(client, make_council, login_tenant, bad):
    """The form comes back (400) with the title, the time and the place as typed, the message at the language."""
    council, members = make_council(size=2)
    login_tenant(client, members[0].person)
    sent = client.post_form(_plan_page(council) + "?lang=en", {
        "title": TITLE, "starts_at": "2030-04-01T19:30", "place": PLACE, "language": bad, "once": new_token(),
    }, token_from=_plan_page(council))
    body = sent.get_data(as_text=True)
    assert sent.status_code == 400
    assert f'value="{TITLE}"' in body and f'value="{PLACE}"' in body and 'value="2030-04-01T19:30"' in body
    assert '<p class="error-message" id="language-error">Choose one of the options shown.</p>' in body
    assert _meetings(council) == []


def test_a_meeting_sent_without_a_valid_form_token_is_not_planned(client, make_council, login_tenant):
    council, members = make_council(size=2)
    login_tenant(client, members[0].person)
    response = client.post(_plan_page(council), data={
        "title": TITLE, "starts_at": "2030-04-01T19:30", "place": PLACE, "language": "tr", "once": new_token(),
        "csrf_token": "forged",
    })
    assert response.status_code == 400
    assert _meetings(council) == []


def test_the_service_refuses_a_language_the_site_does_not_offer(make_council):
    council, members = make_council(size=2)
    with pytest.raises(DomainError):
        agendas.plan_meeting(council, title=TITLE, starts_at=utcnow(), place=PLACE, source_language="xx",
                             by=members[0])
    assert _meetings(council) == []
