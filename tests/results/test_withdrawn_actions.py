"""An action that will not go ahead: withdrawn with its reason, shown to tenants in their language."""
from __future__ import annotations

import json

from inspraak.core.once import new_token
from inspraak.extensions import db
from inspraak.people.models import Corporation
from inspraak.results import outcomes, publications, texts
from inspraak.results.models import Outcome, OutcomeStatus
from tests.results.conftest import save_texts


def _update_url(outcome: Outcome) -> str:
    return f"/staff/results/outcomes/{outcome.id}?lang=en"


def _show_url(world) -> str:  # noqa: ANN001
    return f"/staff/results/{world.consultation.id}"


def test_withdrawing_needs_a_reason_and_keeps_what_was_typed(client, world_published, login_staff):
    world, staff, _tenant, _quote, outcome = world_published
    login_staff(client, staff)
    response = client.post_form(_update_url(outcome), {"status": "withdrawn", "due_on": "2027-03-01", "note": "  "},
                                token_from=_show_url(world))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="why-{outcome.id}-error"' in page and "Say why this action is not going ahead." in page
    assert 'value="2027-03-01"' in page and '<option selected value="withdrawn">' in page
    db.session.expire_all()
    assert db.session.get(Outcome, outcome.id).status is OutcomeStatus.PLANNED


def test_a_bad_date_is_said_beside_the_field(client, world_published, login_staff):
    world, staff, _tenant, _quote, outcome = world_published
    login_staff(client, staff)
    response = client.post_form(_update_url(outcome), {"status": "done", "due_on": "31-31-2027"},
                                token_from=_show_url(world))
    assert response.status_code == 400 and f'id="due-{outcome.id}-error"' in response.get_data(as_text=True)
    response = client.post_form(f"/staff/results/{world.consultation.id}/outcomes?lang=en",
                                {"text": "", "due_on": "2027-01-01"}, token_from=_show_url(world))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="text-error"' in page and 'value="2027-01-01"' in page


def test_a_withdrawn_action_says_why_in_the_readers_language(client, world_published, login_staff,
                                                             login_tenant):
    world, staff, tenant, _quote, outcome = world_published
    login_staff(client, staff)
    response = client.post_form(_update_url(outcome), {"status": "withdrawn", "note": "De gemeente staat het niet toe."},
                                token_from=_show_url(world))
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.get(Outcome, outcome.id)
    assert stored.status is OutcomeStatus.WITHDRAWN and stored.status_changed_at is not None
    assert stored.status_note == {"nl": "De gemeente staat het niet toe."}
    # The reason joins the translations page; a translation is added without a new version.
    assert f'id="why{outcome.id}_ar"' in client.get(f"/staff/results/{world.consultation.id}/texts").get_data(as_text=True)
    assert save_texts(client, world, {f"why{outcome.id}_ar": "البلدية لا تسمح بذلك."}).status_code == 302
    assert publications.latest_publication(world.consultation.id).version == 1
    client.post_form("/sign-out", token_from=_show_url(world))
    login_tenant(client, tenant)
    english = client.get(f"/results/{world.consultation.id}?lang=en").get_data(as_text=True)
    assert "Not going ahead (since " in english and "De gemeente staat het niet toe." in english
    arabic = client.get(f"/results/{world.consultation.id}?lang=ar").get_data(as_text=True)
    assert "البلدية لا تسمح بذلك." in arabic and "De gemeente staat" not in arabic
    for lang in ("nl", "tr", "pl"):
        page = client.get(f"/results/{world.consultation.id}?lang={lang}").get_data(as_text=True)
        assert "Not going ahead" not in page and "De gemeente staat het niet toe." in page
    hood = tenant.tenancy.dwelling.complex.neighbourhood_id
    neighbourhood = client.get(f"/neighbourhoods/{hood}?lang=ar").get_data(as_text=True)
    assert "البلدية لا تسمح بذلك." in neighbourhood  # the neighbourhood page lists actions the same way
    data = json.loads(client.get(f"/open-data/consultations/{world.consultation.id}.json").get_data(as_text=True))
    assert data["planned_actions"][0]["status"] == "withdrawn"
    assert data["planned_actions"][0]["why_not"]["ar"] == "البلدية لا تسمح بذلك."


def test_a_new_reason_drops_the_old_translations_and_other_statuses_hide_it(app, world_published):
    world, staff, _tenant, _quote, outcome = world_published
    with app.test_request_context():
        outcomes.update_outcome(outcome, status=OutcomeStatus.WITHDRAWN, due_on=None, note="Te duur", by=staff)
        outcome.status_note = {**outcome.status_note, "en": "Too expensive"}
        outcomes.update_outcome(outcome, status=OutcomeStatus.WITHDRAWN, due_on=None, note="Te duur", by=staff)
        assert outcome.status_note == {"nl": "Te duur", "en": "Too expensive"}
        outcomes.update_outcome(outcome, status=OutcomeStatus.WITHDRAWN, due_on=None, note="Geen vergunning", by=staff)
        assert outcome.status_note == {"nl": "Geen vergunning"}
        outcomes.update_outcome(outcome, status=OutcomeStatus.PLANNED, due_on=None, by=staff)
        db.session.commit()
        assert not any(f.name.startswith("why") for f in texts.text_fields(world.consultation))


def test_only_publishers_of_the_corporation_change_an_action(client, world_published, make_staff,
                                                             make_corporation, login_staff):
    world, _staff, _tenant, _quote, outcome = world_published
    data = {"status": "withdrawn", "note": "Nee"}
    login_staff(client, make_staff(make_corporation(), "publisher"))
    assert client.post_form(_update_url(outcome), data, token_from="/staff/results/").status_code == 404
    partner = client.application.test_client()
    login_staff(partner, make_staff(db.session.get(Corporation, world.consultation.corporation_id), "partner"))
    assert partner.post_form(_update_url(outcome), data, token_from="/staff/results/").status_code == 403
    publisher = client.application.test_client()
    login_staff(publisher, make_staff(db.session.get(Corporation, world.consultation.corporation_id), "publisher"))
    assert publisher.post(_update_url(outcome), data=data).status_code == 400  # no CSRF token
    db.session.expire_all()
    assert db.session.get(Outcome, outcome.id).status is OutcomeStatus.PLANNED


def test_an_action_of_only_spaces_is_refused_beside_the_field(client, world_published, login_staff):
    """Spaces pass the form's 'required' check; the action would be stored empty and shown to tenants as a blank line."""
    world, staff, _tenant, _quote, _outcome = world_published
    login_staff(client, staff)
    before = len(outcomes.list_outcomes(world.consultation.id))
    response = client.post_form(f"/staff/results/{world.consultation.id}/outcomes?lang=en",
                                {"text": "  \t ", "due_on": "2027-01-01", "once": new_token()}, token_from=_show_url(world))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="text-error"' in page and "What we will do cannot be empty." in page
    db.session.expire_all()
    assert len(outcomes.list_outcomes(world.consultation.id)) == before
