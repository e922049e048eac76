"""The neighbourhood page's "Give your opinion now" lists, for a tenant, what they can answer: a consultation
for another complex of the neighbourhood, or one their household has answered, is not theirs to answer.
Staff and partners see every open consultation of the neighbourhood."""
from __future__ import annotations

from inspraak.consultations import answering, invitations
from inspraak.consultations import authoring, questions
from inspraak.consultations.models import AudienceScope, Channel, CountingUnit, PrivacyMode, QuestionType
from inspraak.extensions import db

NOTHING = "There is nothing to answer for you right now."


def _open_for(app, staff, complex_, title):  # noqa: ANN001, ANN202
    with app.test_request_context():
        c = authoring.create_consultation(staff.corporation_id, title={"nl": title}, source_language="nl", by=staff)
        authoring.update_settings(
            c, source_language="nl", audience_scope=AudienceScope.COMPLEXES, neighbourhood_ids=[],
            complex_ids=[complex_.id], counting_unit=CountingUnit.PERSON, privacy_mode=PrivacyMode.ANONYMOUS,
            opens_at=None, closes_at=None, results_expected_on=None, by=staff)
        questions.add_question(c, c.sections[0], type=QuestionType.YES_NO, required=True, text={"nl": "Goed?"},
                               by=staff)
        invitations.open_consultation(c, by=staff)
    db.session.commit()
    return c


def test_a_tenant_is_asked_only_for_what_they_can_answer(app, client, make_corporation, make_complex, make_tenant,
                                                         make_staff, login_tenant, login_staff):
    corporation = make_corporation()
    ours = make_complex(corporation, neighbourhood_name="Lunetten")
    theirs = make_complex(corporation, neighbourhood_name="Lunetten")
    tenant = make_tenant(corporation, complex_=ours)
    make_tenant(corporation, complex_=theirs)
    editor = make_staff(corporation, "editor")
    mine = _open_for(app, editor, ours, "Onze tuin")
    _open_for(app, editor, theirs, "Hun dak")
    hood = f"/neighbourhoods/{ours.neighbourhood_id}?lang=en"

    login_tenant(client, tenant)
    page = client.get(hood).get_data(as_text=True)
    assert "Onze tuin" in page and "Hun dak" not in page and NOTHING not in page
    with app.test_request_context():
        answering.submit_response(mine, unit_key=invitations.unit_key_for(mine, tenant), answers={
            mine.sections[0].questions[0].id: True}, channel=Channel.ONLINE, person=tenant)
    db.session.commit()
    page = client.get(hood).get_data(as_text=True)
    assert "Onze tuin" not in page and "Hun dak" not in page and NOTHING in page

    client.post_form("/sign-out", token_from="/my")
    login_staff(client, make_staff(corporation, "partner"))
    page = client.get(hood).get_data(as_text=True)
    assert "Onze tuin" in page and "Hun dak" in page
