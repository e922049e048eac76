"""The breakdown setting: chosen while a draft, told to tenants, and the place recorded for every channel."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from inspraak.consultations import authoring, invitations
from inspraak.consultations.models import AudienceScope, Breakdown, CountingUnit, Invitation, PrivacyMode, Response
from inspraak.core.errors import Conflict
from inspraak.core.once import new_token
from inspraak.extensions import db


def _answer_online(client, survey, page_token_from: str | None = None) -> None:  # noqa: ANN001
    page = f"/consultations/{survey.id}/page/1"
    client.post_form(page, {f"q{survey.choice}": str(survey.car), "action": "next"}, token_from=page)
    client.post_form(f"/consultations/{survey.id}/page/2", {f"q{survey.score}": "7", "action": "next"},
                     token_from=page)
    assert client.post_form(f"/consultations/{survey.id}/review", {}, token_from=page).status_code == 302


def _code_of(app, person) -> str:  # noqa: ANN001
    invitation = db.session.scalar(sa.select(Invitation).where(Invitation.person_id == person.id))
    with app.test_request_context():
        return invitations.code_of(invitation)


def _place(person) -> tuple[int, int]:  # noqa: ANN001
    complex_ = person.tenancy.dwelling.complex
    return complex_.neighbourhood_id, complex_.id


@pytest.mark.parametrize("privacy", [PrivacyMode.ANONYMOUS, PrivacyMode.CONFIDENTIAL])
def test_every_channel_records_the_place(app, editor, make_staff, make_tenant, make_survey, login_tenant,
                                         login_staff, privacy):
    online, by_code, paper, assisted = (make_tenant(editor.corporation) for _ in range(4))
    survey = make_survey(editor, breakdown=Breakdown.COMPLEX, privacy=privacy)
    codes = {p.id: _code_of(app, p) for p in (by_code, paper)}
    db.session.commit()

    tenant_client = app.test_client()
    login_tenant(tenant_client, online)
    _answer_online(tenant_client, survey)
    code_client = app.test_client()
    assert code_client.post_form("/sign-in/code", {"code": codes[by_code.id]}).status_code == 302
    _answer_online(code_client, survey)

    clerk = make_staff(editor.corporation, "data_entry")
    staff_client = app.test_client()
    login_staff(staff_client, clerk)
    entry = "/staff/consultations/entry"
    r = staff_client.post_form(f"{entry}/answers", {"code": codes[paper.id], "once": new_token(),
                                                    f"q{survey.choice}": str(survey.car),
                                                    f"q{survey.score}": "5"}, token_from=entry)
    assert r.status_code == 302
    assist = f"/staff/consultations/{survey.id}/assist"
    r = staff_client.post_form(f"{assist}/answers", {"person_number": assisted.person_number, "once": new_token(),
                                                     f"q{survey.choice}": str(survey.car), f"q{survey.score}": "6"},
                               token_from=assist)
    assert r.status_code == 302

    places = db.session.execute(sa.select(Response.neighbourhood_id, Response.complex_id)).all()
    assert sorted(places) == sorted(_place(p) for p in (online, by_code, paper, assisted))


def test_per_neighbourhood_records_no_complex(app, client, editor, make_tenant, make_survey, login_tenant):
    person = make_tenant(editor.corporation)
    survey = make_survey(editor, breakdown=Breakdown.NEIGHBOURHOOD)
    login_tenant(client, person)
    _answer_online(client, survey)
    assert db.session.execute(sa.select(Response.neighbourhood_id, Response.complex_id)).one() == (
        _place(person)[0], None)


def test_a_household_records_its_dwellings_place(app, client, editor, make_tenant, make_survey, login_tenant):
    person = make_tenant(editor.corporation)
    survey = make_survey(editor, breakdown=Breakdown.COMPLEX, unit=CountingUnit.DWELLING)
    login_tenant(client, person)
    _answer_online(client, survey)
    assert db.session.execute(sa.select(Response.neighbourhood_id, Response.complex_id)).one() == _place(person)


def test_the_breakdown_is_locked_once_open(app, editor, make_tenant, make_survey):
    make_tenant(editor.corporation)
    survey = make_survey(editor, breakdown=Breakdown.NEIGHBOURHOOD)
    consultation = survey.consultation
    with app.test_request_context(), pytest.raises(Conflict):
        authoring.update_settings(
            consultation, source_language="nl", audience_scope=AudienceScope.CORPORATION, neighbourhood_ids=[],
            complex_ids=[], counting_unit=CountingUnit.PERSON, privacy_mode=PrivacyMode.ANONYMOUS, opens_at=None,
            closes_at=None, results_expected_on=None, by=editor, breakdown=Breakdown.NONE)
    db.session.rollback()
    assert db.session.get(type(consultation), survey.id).breakdown is Breakdown.NEIGHBOURHOOD


def test_the_editor_chooses_the_breakdown_on_the_settings_page(client, editor, make_survey, login_staff):
    survey = make_survey(editor, open=False)
    login_staff(client, editor)
    settings = f"/staff/consultations/{survey.id}/settings"
    assert 'name="breakdown"' in client.get(settings).get_data(as_text=True)
    r = client.post_form(settings, {"source_language": "nl", "audience_scope": "corporation", "counting_unit": "person",
                                    "privacy_mode": "anonymous", "breakdown": "complex"}, token_from=settings)
    assert r.status_code == 302
    db.session.expire_all()
    assert survey.consultation.breakdown is Breakdown.COMPLEX
    r = client.post(settings, data={"source_language": "nl", "audience_scope": "corporation",
                                    "counting_unit": "person", "privacy_mode": "anonymous", "breakdown": "none"})
    assert r.status_code == 400  # no CSRF token
    db.session.expire_all()
    assert survey.consultation.breakdown is Breakdown.COMPLEX


def test_tenants_are_told_their_place_is_recorded(client, editor, make_tenant, make_survey, login_tenant):
    person = make_tenant(editor.corporation)
    survey = make_survey(editor, breakdown=Breakdown.COMPLEX)
    login_tenant(client, person)
    page = client.get(f"/consultations/{survey.id}?lang=en").get_data(as_text=True)
    assert "Your neighbourhood and complex are recorded with your answers" in page
    assert "Groups of fewer than 10 people are never shown" in page


def test_no_notice_without_a_breakdown(client, editor, make_tenant, make_survey, login_tenant):
    person = make_tenant(editor.corporation)
    survey = make_survey(editor)
    login_tenant(client, person)
    assert "recorded with your answers" not in client.get(f"/consultations/{survey.id}?lang=en").get_data(as_text=True)


def test_the_paper_form_tells_the_place_is_recorded(client, editor, make_tenant, make_survey, login_staff):
    make_tenant(editor.corporation)
    survey = make_survey(editor, breakdown=Breakdown.NEIGHBOURHOOD)
    login_staff(client, editor)
    page = client.get(f"/staff/consultations/{survey.id}/paper?as=en").get_data(as_text=True)
    assert "Your neighbourhood is recorded with your answers" in page


# The threshold's plural form: Polish 2–4 "osoby", 5+ (and 12–14, 22+ again "osoby") "osób"; Arabic 3–10, 11–99, 100+.
SMALLEST_GROUP = [
    ("pl", 3, "Grup liczących mniej niż 3 osoby nigdy nie pokazujemy.", "3 osób"),
    ("pl", 5, "Grup liczących mniej niż 5 osób nigdy nie pokazujemy.", "5 osoby"),
    ("pl", 22, "Grup liczących mniej niż 22 osoby nigdy nie pokazujemy.", "22 osób"),
    ("ar", 10, "لا نعرض أبدًا المجموعات التي تضم أقل من 10 أشخاص.", "10 شخص"),
    ("ar", 11, "لا نعرض أبدًا المجموعات التي تضم أقل من 11 شخصًا.", "11 أشخاص"),
    ("ar", 100, "لا نعرض أبدًا المجموعات التي تضم أقل من 100 شخص.", "100 أشخاص"),
    ("en", 1, "Groups of fewer than 1 person are never shown.", "1 people"),
    ("nl", 1, "Groepen van minder dan 1 persoon laten wij nooit zien.", "1 mensen"),
]


@pytest.mark.parametrize("breakdown", [Breakdown.COMPLEX, Breakdown.NEIGHBOURHOOD])
@pytest.mark.parametrize(("lang", "threshold", "told", "wrong"), SMALLEST_GROUP)
def test_the_smallest_group_takes_the_plural_form_of_the_threshold(app, client, editor, make_tenant, make_survey,
                                                                   login_tenant, monkeypatch, breakdown, lang,
                                                                   threshold, told, wrong):
    """"mniej niż 3 osób" is wrong Polish (2–4 take "osoby"); "fewer than 1 people" is wrong English."""
    monkeypatch.setitem(app.config, "RESULTS_PRIVACY_THRESHOLD", threshold)
    person = make_tenant(editor.corporation)
    survey = make_survey(editor, breakdown=breakdown)
    login_tenant(client, person)
    page = client.get(f"/consultations/{survey.id}?lang={lang}").get_data(as_text=True)
    assert told in page and wrong not in page
