"""Who may see and answer what: invitations, drafts, corporations and roles."""
from __future__ import annotations

import sqlalchemy as sa

from inspraak.consultations.models import AudienceScope, Draft
from inspraak.extensions import db
from inspraak.people.models import Neighbourhood


def test_a_tenant_cannot_see_another_neighbourhoods_consultation(client, editor, make_complex, make_tenant,
                                                                 make_survey, login_tenant):
    here = make_complex(editor.corporation, neighbourhood_name="Noord")
    there = make_complex(editor.corporation, neighbourhood_name="Zuid")
    inside = make_tenant(complex_=here)
    outside = make_tenant(complex_=there)
    hood = db.session.scalar(sa.select(Neighbourhood).where(Neighbourhood.name == "Noord"))
    survey = make_survey(editor, scope=AudienceScope.NEIGHBOURHOODS, neighbourhoods=[hood])
    login_tenant(client, outside)
    assert "Hoe gaat u" not in client.get("/consultations").get_data(as_text=True)
    assert client.get(f"/consultations/{survey.id}").status_code == 404
    page = f"/consultations/{survey.id}/page/1"
    token = client.csrf_token("/account")
    assert client.post(page, data={"csrf_token": token, f"q{survey.choice}": "1"}).status_code == 404
    login_tenant(client, inside)
    assert client.get(f"/consultations/{survey.id}").status_code == 200


def test_the_audience_is_frozen_when_it_opens(client, editor, make_survey, make_tenant, login_tenant):
    make_tenant(editor.corporation)
    survey = make_survey(editor)
    newcomer = make_tenant(editor.corporation)
    login_tenant(client, newcomer)
    assert client.get(f"/consultations/{survey.id}").status_code == 404


def test_a_draft_belongs_to_one_person(client, editor, make_survey, make_tenant, login_tenant):
    from inspraak.consultations.models import CountingUnit

    first = make_tenant(editor.corporation)
    partner = make_tenant(tenancy=first.tenancy)
    survey = make_survey(editor, unit=CountingUnit.DWELLING)
    login_tenant(client, first)
    page = f"/consultations/{survey.id}/page/1"
    client.post_form(page, {f"q{survey.choice}": str(survey.car), "action": "save"}, token_from=page)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Draft)) == 1
    login_tenant(client, partner)
    assert f'value="{survey.car}" checked' not in client.get(page).get_data(as_text=True)


def test_staff_pages_need_the_right_role_and_corporation(client, editor, make_staff, make_corporation, make_survey,
                                                         login_staff, make_tenant):
    make_tenant(editor.corporation)
    survey = make_survey(editor)
    assert client.get(f"/staff/consultations/{survey.id}").status_code == 302  # sign in first
    partner = make_staff(editor.corporation, "partner")
    login_staff(client, partner)
    assert client.get(f"/staff/consultations/{survey.id}").status_code == 403
    stranger = make_staff(make_corporation(), "editor")
    login_staff(client, stranger)
    assert client.get(f"/staff/consultations/{survey.id}").status_code == 404
    assert client.get(f"/staff/consultations/{survey.id}/letters").status_code == 404
    data_entry = make_staff(editor.corporation, "data_entry")
    login_staff(client, data_entry)
    assert client.get(f"/staff/consultations/{survey.id}").status_code == 200
    assert client.post_form(f"/staff/consultations/{survey.id}/close", {}, token_from="/account").status_code == 403


def test_a_post_without_csrf_token_is_refused(client, editor, make_survey, login_staff):
    survey = make_survey(editor, open=False)
    login_staff(client, editor)
    assert client.post(f"/staff/consultations/{survey.id}/open").status_code == 400


def test_a_tenant_post_without_csrf_token_is_refused(client, editor, make_survey, make_tenant, login_tenant):
    person = make_tenant(editor.corporation)
    survey = make_survey(editor)
    login_tenant(client, person)
    assert client.post(f"/consultations/{survey.id}/review").status_code == 400
    assert client.post(f"/consultations/{survey.id}/page/1", data={"action": "next"}).status_code == 400


def test_staff_see_the_audience_by_name_and_number_in_the_order_they_pick_it(client, editor, make_complex,
                                                                              make_survey, login_staff):
    """Listed as the database happened to return them, the chosen neighbourhoods and complexes came in another
    order on PostgreSQL than on SQLite, and in another order than on the settings page."""
    places = [make_complex(editor.corporation, neighbourhood_name=hood, number=number)
              for hood, number in (("Zuid", "300"), ("Centrum", "100"), ("Noord", "200"))]
    hoods = [db.session.get(Neighbourhood, c.neighbourhood_id) for c in reversed(places)]
    by_hood = make_survey(editor, scope=AudienceScope.NEIGHBOURHOODS, neighbourhoods=hoods, open=False)
    by_complex = make_survey(editor, scope=AudienceScope.COMPLEXES, complexes=places, open=False)
    login_staff(client, editor)
    assert "Centrum, Noord, Zuid" in client.get(f"/staff/consultations/{by_hood.id}").get_data(as_text=True)
    shown = client.get(f"/staff/consultations/{by_complex.id}").get_data(as_text=True)
    assert "100 Complex, 200 Complex, 300 Complex" in shown
    settings = client.get(f"/staff/consultations/{by_hood.id}/settings").get_data(as_text=True)
    assert settings.index("Centrum</label>") < settings.index("Noord</label>") < settings.index("Zuid</label>")
    assert settings.index("100 Complex</label>") < settings.index("200 Complex</label>") < settings.index(
        "300 Complex</label>")
