"""A quote is a tenant's own words, in the language they wrote in: the publisher says which, and the published
page marks the quote with it (WCAG 2.1 3.1.2). A quote refused by the form comes back as typed."""
from __future__ import annotations

from inspraak.extensions import db
from inspraak.results import services
from inspraak.results.models import Quote
from tests.concurrency import form_values

TURKISH = "Meydan çok güzel"


def _quote_form(client, world, quote_id: int) -> tuple[str, dict[str, str]]:  # noqa: ANN001
    action = f"/staff/results/quotes/{quote_id}"
    return action, form_values(client, f"/staff/results/{world.consultation.id}?lang=en", action)


def test_the_publisher_sets_the_language_a_quote_was_written_in(app, client, world_published, login_staff):
    world, staff, _tenant, quote, _outcome = world_published
    login_staff(client, staff)
    action, values = _quote_form(client, world, quote.id)
    assert values["language"] == "nl"  # a new quote starts in the consultation's language
    response = client.post(action, data={**values, "text": TURKISH, "language": "tr"})
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.get(Quote, quote.id)
    assert (stored.source_language, stored.text) == ("tr", {"tr": TURKISH})
    with app.test_request_context():
        services.publish(world.consultation, summary={"nl": "Bijna iedereen fietst."},
                         correction_note={"nl": "Citaat in het Turks."}, by=staff)
    db.session.commit()
    page = client.get(f"/results/{world.consultation.id}?lang=nl").get_data(as_text=True)
    assert f'<span lang="tr" dir="ltr">{TURKISH}</span>' in page


def test_a_quote_in_a_language_the_site_does_not_offer_comes_back_as_typed(client, world_published, login_staff):
    world, staff, _tenant, quote, _outcome = world_published
    login_staff(client, staff)
    action, values = _quote_form(client, world, quote.id)
    response = client.post(action + "?lang=en", data={**values, "text": "Het plein is heel mooi", "language": "xx"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose one of the options shown." in body and "Het plein is heel mooi" in body
    db.session.expire_all()
    assert db.session.get(Quote, quote.id).text == {"nl": "Het plein is mooi"}


def test_a_quote_too_long_or_of_spaces_comes_back_as_typed(client, world_published, login_staff):
    """Before, a quote the form refused ended on a bare error page, and what was typed was lost."""
    world, staff, _tenant, quote, _outcome = world_published
    login_staff(client, staff)
    action, values = _quote_form(client, world, quote.id)
    long_text = "Het plein is mooi. " * 110
    for text, message in ((long_text, "2000"), ("   ", "A quote cannot be empty.")):
        response = client.post(action + "?lang=en", data={**values, "text": text})
        body = response.get_data(as_text=True)
        assert response.status_code == 400 and message in body
        if text.strip():
            assert long_text.strip()[:200] in body
    db.session.expire_all()
    assert db.session.get(Quote, quote.id).text == {"nl": "Het plein is mooi"}
