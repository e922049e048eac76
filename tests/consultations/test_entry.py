"""Paper forms typed in by data entry, and answers given with help from staff."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from inspraak.consultations import invitations
from inspraak.consultations.models import Answer, Invitation, Participation, Response
from inspraak.core.audit import AuditEntry
from inspraak.core.once import new_token
from inspraak.core.security import format_code
from inspraak.extensions import db


@pytest.fixture
def paper_form(app, editor, make_tenant, make_survey):  # noqa: ANN001, ANN201
    """A survey with one invited tenant, committed: the survey and the code on that tenant's paper form."""
    make_tenant(editor.corporation)
    survey = make_survey(editor)
    with app.test_request_context():
        code = invitations.code_of(db.session.scalar(sa.select(Invitation)))
    db.session.commit()
    return survey, code


def test_a_paper_form_is_entered_once_by_its_code(client, editor, make_staff, paper_form, login_staff):
    survey, code = paper_form
    clerk = make_staff(editor.corporation, "data_entry")
    login_staff(client, clerk)
    r = client.post_form("/staff/consultations/entry", {"code": code.lower()}, token_from="/staff/consultations/entry")
    assert r.status_code == 200 and f'name="q{survey.choice}"' in r.get_data(as_text=True)
    answers = {"code": code, f"q{survey.choice}": str(survey.bike), f"q{survey.score}": "11",
               f"q{survey.why}": "x" * 2000}
    r = client.post_form("/staff/consultations/entry/answers", {**answers, "once": new_token()},
                         token_from="/staff/consultations/entry")
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and f'id="q{survey.why}-error"' in html and f'id="q{survey.score}-error"' in html
    answers.update({f"q{survey.why}": "Gezond", f"q{survey.score}": "10"})
    r = client.post_form("/staff/consultations/entry/answers", {**answers, "once": new_token()},
                         token_from="/staff/consultations/entry")
    assert r.status_code == 302
    assert db.session.scalar(sa.select(Participation.channel)).value == "paper"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 1
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "consultation.paper_response_entered"))
    assert entry.actor_id == clerk.id and "Gezond" not in str(entry.details)
    db.session.commit()
    again = client.post_form("/staff/consultations/entry?lang=en", {"code": code}, token_from="/staff/consultations/entry")
    page = again.get_data(as_text=True)
    assert again.status_code == 400
    assert "This code has been used: this person or home has answered already." in page  # said to staff
    assert "Thank you" not in page  # the tenant's words are not


def test_staff_answer_with_a_named_tenant(client, editor, make_staff, make_tenant, make_survey, login_staff):
    person = make_tenant(editor.corporation)
    survey = make_survey(editor)
    clerk = make_staff(editor.corporation, "data_entry")
    login_staff(client, clerk)
    assist = f"/staff/consultations/{survey.id}/assist"
    r = client.post_form(assist, {"person_number": person.person_number}, token_from=assist)
    assert r.status_code == 200 and person.name in r.get_data(as_text=True)
    assert "Read this to the tenant" not in r.get_data(as_text=True)  # anonymous: nothing to agree to
    r = client.post_form(f"{assist}/answers", {"person_number": person.person_number, "once": new_token(),
                                              f"q{survey.choice}": str(survey.car), f"q{survey.score}": "6"},
                         token_from=assist)
    assert r.status_code == 302
    assert db.session.scalar(sa.select(Participation.channel)).value == "assisted"
    db.session.commit()
    r = client.post_form(assist, {"person_number": "nobody"}, token_from=assist)
    assert r.status_code == 400


def _answering_with(client, person, survey, lang: str) -> str:  # noqa: ANN001
    """The answering page data entry gets for a tenant's person number, in ``lang``."""
    assist = f"/staff/consultations/{survey.id}/assist"
    return client.post_form(f"{assist}?lang={lang}", {"person_number": person.person_number},
                            token_from=assist).get_data(as_text=True)


def test_staff_read_the_consent_to_a_tenant_of_a_named_consultation(client, editor, make_staff, make_tenant,
                                                                     make_survey, login_staff):
    from inspraak.consultations.models import PrivacyMode

    login_staff(client, make_staff(editor.corporation, "data_entry"))
    page = _answering_with(client, make_tenant(editor.corporation), make_survey(editor, privacy=PrivacyMode.NAMED), "en")
    assert "Read this to the tenant before you save" in page
    assert "By sending you agree that we keep your answers with your name." in page


def test_the_entry_form_shows_its_code_and_starts_at_the_answers_not_the_menu(client, editor, make_staff, paper_form,
                                                                              login_staff):
    """Keyboard entry: focus starts at the form's heading (the next Tab is the first answer), or at the errors."""
    _survey, code = paper_form
    login_staff(client, make_staff(editor.corporation, "data_entry"))
    html = client.post_form("/staff/consultations/entry?lang=ar", {"code": code.lower()},
                            token_from="/staff/consultations/entry").get_data(as_text=True)
    shown = f"{code[:4]}-{code[4:8]}-{code[8:]}"
    assert f'رمز هذه الاستمارة: <span dir="ltr">{shown}</span>' in html
    assert html.count("autofocus") == 1 and '<h1 id="entry-start" tabindex="-1" autofocus>' in html
    r = client.post_form("/staff/consultations/entry/answers", {"code": code, "once": new_token()},
                         token_from="/staff/consultations/entry")
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and html.count("autofocus") == 1
    assert '<div class="error-summary" role="alert" tabindex="-1" autofocus>' in html


def test_a_paper_form_saved_twice_leads_to_the_next_form_and_a_clash_is_told_beside_the_code(
        client, editor, make_staff, paper_form, login_staff):
    """A double click on Save, or the browser sending the form again, showed the tenant's page "This has
    already been answered. Thank you!" with a link to the start page; the clerk could not tell it was saved."""
    survey, code = paper_form
    login_staff(client, make_staff(editor.corporation, "data_entry"))
    answers = {"code": code, f"q{survey.choice}": str(survey.bike), f"q{survey.why}": "Gezond",
               f"q{survey.score}": "8", "once": new_token()}
    first = client.post_form("/staff/consultations/entry/answers?lang=en", answers, token_from="/staff/consultations/entry")
    again = client.post_form("/staff/consultations/entry/answers?lang=en", answers, token_from="/staff/consultations/entry")
    assert first.status_code == again.status_code == 302
    assert again.location == first.location and again.location.endswith("/staff/consultations/entry")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 1
    db.session.commit()
    # Another clerk's form for the same code (another token): said beside the code, in words for staff.
    other = client.post_form("/staff/consultations/entry/answers?lang=en", {**answers, "once": new_token()},
                             token_from="/staff/consultations/entry")
    page = other.get_data(as_text=True)
    assert other.status_code == 409
    assert "This code has been used: this person or home has answered already." in page
    assert f'value="{format_code(code)}"' in page and "Thank you" not in page


def test_answering_with_a_tenant_who_answered_already_is_told_in_words_for_staff(
        client, editor, make_staff, make_tenant, make_survey, login_staff):
    person = make_tenant(editor.corporation)
    survey = make_survey(editor)  # anonymous: an answer cannot be changed
    login_staff(client, make_staff(editor.corporation, "data_entry"))
    assist = f"/staff/consultations/{survey.id}/assist"
    answers = {"person_number": person.person_number, f"q{survey.choice}": str(survey.car), f"q{survey.score}": "6"}
    sent = {**answers, "once": new_token()}
    assert client.post_form(f"{assist}/answers", sent, token_from=assist).status_code == 302
    assert client.post_form(f"{assist}/answers", sent, token_from=assist).status_code == 302  # sent again
    db.session.commit()
    for refused in (client.post_form(f"{assist}/answers?lang=en", {**answers, "once": new_token()}, token_from=assist),
                    client.post_form(f"{assist}?lang=en", {"person_number": person.person_number}, token_from=assist)):
        page = refused.get_data(as_text=True)
        assert refused.status_code in (400, 409)
        assert "This person or home has answered already. Only one answer counts." in page and "Thank you" not in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 1


def test_the_tenant_answered_with_is_isolated_in_the_heading_and_the_page_title(client, editor, make_staff, make_tenant,
                                                                                make_survey, login_staff):
    """A Latin name that ends in a number, in an Arabic sentence, keeps its number at its own end."""
    login_staff(client, make_staff(editor.corporation, "data_entry"))
    page = _answering_with(client, make_tenant(editor.corporation, name="Jan 2"), make_survey(editor), "ar")
    assert "<bdi>Jan 2</bdi></h1>" in page
    assert "\u2068Jan 2\u2069 · inspraak</title>" in page


def test_a_paper_form_with_a_required_question_left_blank_is_entered_as_it_is(
        client, editor, make_staff, paper_form, login_staff):
    """What the paper says is all there is: refusing the form for a blank would lose every other answer on it.
    A blank stays without an answer; an answer given must still be valid."""
    survey, code = paper_form
    login_staff(client, make_staff(editor.corporation, "data_entry"))
    page = client.post_form("/staff/consultations/entry?lang=en", {"code": code},
                            token_from="/staff/consultations/entry").get_data(as_text=True)
    assert "Leave a question blank if the tenant left it blank, also when it is required." in page
    # A form with nothing typed is a slip, not a response: it is not saved and the code stays unused.
    r = client.post_form("/staff/consultations/entry/answers?lang=en", {"code": code, "once": new_token()},
                         token_from="/staff/consultations/entry")
    assert r.status_code == 400 and "No answer has been typed." in r.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Participation)) == 0
    r = client.post_form("/staff/consultations/entry/answers", {"code": code, f"q{survey.score}": "12",
                                                               "once": new_token()},
                         token_from="/staff/consultations/entry")
    assert r.status_code == 400 and f'id="q{survey.score}-error"' in r.get_data(as_text=True)
    assert f'id="q{survey.choice}-error"' not in r.get_data(as_text=True)
    r = client.post_form("/staff/consultations/entry/answers", {"code": code, f"q{survey.score}": "7",
                                                               "once": new_token()},
                         token_from="/staff/consultations/entry")
    assert r.status_code == 302
    stored = db.session.execute(sa.select(Answer.question_id, Answer.number)).all()
    assert [(qid, int(number)) for qid, number in stored] == [(survey.score, 7)]
    assert db.session.scalar(sa.select(Participation.channel)).value == "paper"


def test_answers_given_with_a_tenants_help_still_need_every_required_question(
        client, editor, make_staff, make_tenant, make_survey, login_staff):
    """With the tenant on the phone or at the desk, staff can ask: a required question is still required."""
    person = make_tenant(editor.corporation)
    survey = make_survey(editor)
    login_staff(client, make_staff(editor.corporation, "data_entry"))
    assist = f"/staff/consultations/{survey.id}/assist"
    r = client.post_form(f"{assist}/answers", {"person_number": person.person_number, "once": new_token(),
                                              f"q{survey.score}": "6"}, token_from=assist)
    assert r.status_code == 400 and f'id="q{survey.choice}-error"' in r.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 0


def test_a_paper_form_of_a_consultation_whose_questions_were_all_removed_is_no_error(
        app, client, editor, make_staff, paper_form, login_staff):
    """Before the first response an editor may still remove questions, all of them too: entering a form
    then must not fail on the 'nothing typed' check, which has no question to be told at."""
    survey, code = paper_form
    login_staff(client, editor)
    base = f"/staff/consultations/{survey.id}"
    for question_id in (survey.why, survey.score, survey.choice):  # the one with a condition first
        page = f"{base}/questions/{question_id}"
        assert client.post_form(f"{page}/delete", {}, token_from=page).status_code == 302
    db.session.expire_all()
    login_staff(client, make_staff(editor.corporation, "data_entry"))
    r = client.post_form("/staff/consultations/entry/answers", {"code": code, "once": new_token()},
                         token_from="/staff/consultations/entry")
    assert r.status_code < 500
