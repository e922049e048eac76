"""Hostile input on the staff's answer entry (paper and assisted), the reissued letter code and the tenant's
review step: never a server error, a refused form is a 400 that stores nothing, another corporation's objects
stay out of reach."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from inspraak.consultations import invitations
from inspraak.consultations.models import Answer, Invitation, Participation, Response
from inspraak.core.once import new_token
from inspraak.extensions import db
from tests.hostile import VALUES, post_raw, send_all
from tests.once import damaged_form_comes_back


def _count(model) -> int:  # noqa: ANN001
    value = db.session.scalar(sa.select(sa.func.count()).select_from(model))
    db.session.commit()
    return value


@pytest.fixture
def two(app, editor, make_staff, make_tenant, make_survey, make_corporation):  # noqa: ANN001, ANN201
    """A survey of our corporation and one of another, each with an invited tenant; a clerk of ours."""
    person = make_tenant(editor.corporation)
    survey = make_survey(editor)
    other_editor = make_staff(make_corporation(), "editor")
    stranger = make_tenant(other_editor.corporation)
    theirs = make_survey(other_editor)
    with app.test_request_context():
        ours = db.session.scalar(sa.select(Invitation).where(Invitation.consultation_id == survey.id))
        their = db.session.scalar(sa.select(Invitation).where(Invitation.consultation_id == theirs.id))
        codes = invitations.code_of(ours), invitations.code_of(their)
        ids = ours.id, their.id
    clerk = make_staff(editor.corporation, "data_entry", "editor")
    db.session.commit()
    return {"survey": survey, "theirs": theirs, "person": person, "stranger": stranger, "codes": codes,
            "invitations": ids, "clerk": clerk}


def _fields(survey, extra: dict) -> dict:  # noqa: ANN001
    return {**extra, "once": new_token(), f"q{survey.choice}": str(survey.car), f"q{survey.score}": "6",
            f"q{survey.why}": "Gezond"}


def _refused_stores_nothing(what, response) -> None:  # noqa: ANN001
    if response.status_code >= 400:
        assert _count(Response) == 0 and _count(Answer) == 0 and _count(Participation) == 0, what


def _kept_beside_the_field(response, survey, value: str) -> None:  # noqa: ANN001
    """A refused answer is shown again as typed, its message beside it in the page's language (Polish here)."""
    html = response.get_data(as_text=True)
    assert 'lang="pl"' in html
    if value.strip("\x00\u200b\u200c\u200d\ufeff\u2060"):  # not blank once cleaned
        assert f'id="q{survey.score}-error"' in html, value[:12]
    if value in ("-1", "NaN", str(10**30)):
        assert f'value="{value}"' in html, value[:12]
        assert "Choose a number from 0 to 10." not in html  # translated


def test_paper_entry_survives_hostile_input(client, two, login_staff):
    survey = two["survey"]
    login_staff(client, two["clerk"])
    fields = _fields(survey, {"code": two["codes"][0]})
    for value in VALUES:  # a blank paper form is refused too: nothing typed
        r = post_raw(client, "/staff/consultations/entry/answers?lang=pl",
                     [("csrf_token", client.csrf_token("/staff/consultations/entry")), ("once", new_token()),
                      ("code", two["codes"][0]), (f"q{survey.score}", value), (f"q{survey.choice}", value),
                      (f"q{survey.why}", value)])
        assert r.status_code == 400, value[:12]
        _refused_stores_nothing(value[:12], r)
        _kept_beside_the_field(r, survey, value)
    assert send_all(client, "/staff/consultations/entry/answers", fields,
                    lambda: client.csrf_token("/staff/consultations/entry")) > 40


def _entry_form(two, route: str):  # noqa: ANN001, ANN202
    """The page, the address and a complete form of answers for paper entry (a code) or assisted entry (a tenant)."""
    survey = two["survey"]
    if route == "paper":
        page, path, fields = "/staff/consultations/entry", "/staff/consultations/entry/answers", {"code": two["codes"][0]}
    else:
        page = f"/staff/consultations/{survey.id}/assist"
        path, fields = f"{page}/answers", {"person_number": two["person"].person_number}
    return page, path, _fields(survey, fields)


@pytest.mark.parametrize("route", ["paper", "assisted"])
def test_the_same_answers_sent_twice_are_stored_once(client, two, login_staff, route):
    login_staff(client, two["clerk"])
    page, path, fields = _entry_form(two, route)
    first = client.post_form(path, fields, token_from=page)
    second = client.post_form(path, fields, token_from=page)
    assert first.status_code == second.status_code == 302 and first.location == second.location
    assert _count(Response) == 1 and _count(Participation) == 1


def test_paper_entry_of_another_corporation_is_refused(client, two, login_staff):
    login_staff(client, two["clerk"])
    theirs = two["theirs"]
    r = client.post_form("/staff/consultations/entry?lang=en", {"code": two["codes"][1]},
                         token_from="/staff/consultations/entry")
    assert r.status_code == 400 and f'name="q{theirs.choice}"' not in r.get_data(as_text=True)
    r = client.post_form("/staff/consultations/entry/answers?lang=en",
                         _fields(theirs, {"code": two["codes"][1]}), token_from="/staff/consultations/entry")
    assert r.status_code in (400, 404) and _count(Response) == 0
    assert two["codes"][1] in r.get_data(as_text=True).replace("-", "") or r.status_code == 404


def test_assisted_entry_survives_hostile_input(client, two, login_staff):
    survey = two["survey"]
    login_staff(client, two["clerk"])
    path = f"/staff/consultations/{survey.id}/assist/answers"
    for value in VALUES:
        r = post_raw(client, path + "?lang=pl", [("csrf_token", client.csrf_token(path[:-8])), ("once", new_token()),
                                    ("person_number", two["person"].person_number), (f"q{survey.score}", value),
                                    (f"q{survey.choice}", value), (f"q{survey.why}", value)])
        assert r.status_code < 500, value[:12]
        if value:
            assert r.status_code == 400, value[:12]
            _refused_stores_nothing(value[:12], r)
            _kept_beside_the_field(r, survey, value)
        db.session.execute(sa.delete(Answer)); db.session.execute(sa.delete(Response))  # noqa: E702
        db.session.execute(sa.delete(Participation)); db.session.commit()  # noqa: E702
    fields = _fields(survey, {"person_number": two["person"].person_number})
    assert send_all(client, path, fields, lambda: client.csrf_token(path[:-8])) > 40


def test_assisted_entry_for_another_corporation_is_refused(client, two, login_staff):
    login_staff(client, two["clerk"])
    survey, theirs = two["survey"], two["theirs"]
    # their tenant on our survey: not found among ours
    path = f"/staff/consultations/{survey.id}/assist/answers?lang=en"
    r = client.post_form(path, _fields(survey, {"person_number": two["stranger"].person_number}),
                         token_from=f"/staff/consultations/{survey.id}/assist")
    assert r.status_code in (400, 404) and _count(Response) == 0
    # their survey in the address
    r = client.post_form(f"/staff/consultations/{theirs.id}/assist/answers",
                         _fields(theirs, {"person_number": two["stranger"].person_number}),
                         token_from=f"/staff/consultations/{survey.id}/assist")
    assert r.status_code == 404 and _count(Response) == 0


def test_reissue_survives_hostile_input_and_stays_in_its_corporation(client, two, login_staff):
    survey, theirs = two["survey"], two["theirs"]
    ours, their = two["invitations"]
    login_staff(client, two["clerk"])
    base = f"/staff/consultations/{survey.id}"
    before = {i.id: (i.code_digest, i.code_generation) for i in db.session.scalars(sa.select(Invitation))}
    db.session.commit()
    send_all(client, f"{base}/invitations/{their}/reissue", {"generation": "1", "once": new_token()},
             lambda: client.csrf_token(f"{base}/codes"))
    send_all(client, f"/staff/consultations/{theirs.id}/invitations/{their}/reissue",
             {"generation": "1", "once": new_token()}, lambda: client.csrf_token(f"{base}/codes"))
    after = {i.id: (i.code_digest, i.code_generation) for i in db.session.scalars(sa.select(Invitation))}
    db.session.commit()
    assert after == before  # nothing of theirs touched, nothing of ours either
    for value in VALUES:
        r = post_raw(client, f"{base}/invitations/{ours}/reissue",
                     [("csrf_token", client.csrf_token(f"{base}/codes")), ("once", new_token()), ("generation", value)])
        assert r.status_code < 500, value[:12]
        assert r.status_code in (302, 400), (value[:12], r.status_code)
    send_all(client, f"{base}/invitations/{ours}/reissue", {"generation": "1", "once": new_token()},
             lambda: client.csrf_token(f"{base}/codes"))


def test_review_survives_hostile_input(client, two, login_tenant):
    survey = two["survey"]
    login_tenant(client, two["person"])
    path = f"/consultations/{survey.id}/review"
    send_all(client, path, {"x": "1"}, lambda: client.csrf_token(path))
    assert _count(Response) == 0  # the required score is not answered: every send was refused
    # another corporation's consultation in the address
    r = client.post_form(f"/consultations/{two['theirs'].id}/review", {}, token_from=path)
    assert r.status_code == 404


@pytest.mark.parametrize("route", ["paper", "assisted"])
@pytest.mark.parametrize("once", [None, "not a token!"])
def test_answers_whose_token_was_left_out_or_changed_come_back_as_typed(client, two, login_staff, route, once):
    """The one-time token left out or changed by hand: the answers come back as typed with a message (400), not a
    bare error page that lost them; nothing is stored, and the page carries a fresh token to send them again."""
    survey = two["survey"]
    login_staff(client, two["clerk"])
    page, path, fields = _entry_form(two, route)
    fields.pop("once")
    r = client.post_form(path, fields if once is None else {**fields, "once": once}, token_from=page)
    damaged_form_comes_back(r, {f"q{survey.why}": "Gezond"})
    assert 'value="6"' in r.get_data(as_text=True) and 'name="once"' in r.get_data(as_text=True)
    assert _count(Response) == 0 and _count(Participation) == 0


@pytest.mark.parametrize("generation", [None, "x1"])
def test_a_reissue_whose_generation_was_left_out_or_changed_says_so(client, two, login_staff, generation):
    survey = two["survey"]
    login_staff(client, two["clerk"])
    page = f"/staff/consultations/{survey.id}/codes"
    data = {"once": new_token()} if generation is None else {"once": new_token(), "generation": generation}
    r = client.post_form(f"/staff/consultations/{survey.id}/invitations/{two['invitations'][0]}/reissue", data,
                         token_from=page)
    damaged_form_comes_back(r, {})
    db.session.commit()
