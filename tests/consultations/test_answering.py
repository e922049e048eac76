"""Tenants answer online: pages, drafts, review, one response per unit, anonymity."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from inspraak.consultations.models import Answer, Consultation, CountingUnit, Draft, Participation, PrivacyMode, Response
from inspraak.consultations import invitations
from inspraak.extensions import db


def _answer_all(client, survey, *, lang=None):  # noqa: ANN001, ANN202
    base = f"/consultations/{survey.id}"
    token_from = f"{base}/page/1"
    r = client.post_form(f"{base}/page/1", {f"q{survey.choice}": str(survey.bike), f"q{survey.why}": "Gezond",
                                            "action": "next"}, token_from=token_from)
    assert r.status_code == 302 and r.location.endswith("/page/2"), r.get_data(as_text=True)[:3000]
    r = client.post_form(f"{base}/page/2", {f"q{survey.score}": "8", "action": "next"}, token_from=token_from)
    assert r.status_code == 302 and r.location.endswith("/review")
    return client.post_form(f"{base}/review", {}, token_from=token_from)


def test_tenant_answers_page_by_page_and_sees_the_confirmation(client, editor, make_survey, make_tenant, login_tenant):
    survey = make_survey(editor, open=False)
    person = make_tenant(editor.corporation, language="tr")
    invitations.open_consultation(survey.consultation, by=editor)
    db.session.commit()
    login_tenant(client, person)
    listing = client.get("/consultations").get_data(as_text=True)
    assert "İşe nasıl gidiyorsunuz?" in listing
    assert client.get(f"/consultations/{survey.id}").status_code == 200
    page = client.get(f"/consultations/{survey.id}/page/1").get_data(as_text=True)
    assert "Bisiklet" in page and "Sayfa" in page or "1" in page
    response = _answer_all(client, survey)
    assert response.status_code == 302 and response.location.endswith("/done"), response.get_data(as_text=True)[:4000]
    assert client.get(f"/consultations/{survey.id}/done").status_code == 200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Draft)) == 0


def _tenant_with_survey(make_survey, make_tenant, editor, **kwargs):  # noqa: ANN001, ANN003, ANN202
    person = make_tenant(editor.corporation, **{k: kwargs.pop(k) for k in list(kwargs) if k in ("language",)})
    survey = make_survey(editor, **kwargs)
    return person, survey


@pytest.fixture
def signed_in_with_survey(client, editor, make_survey, make_tenant, login_tenant):  # noqa: ANN001, ANN201
    """Makes a tenant of the editor's corporation and a survey for them (``make_survey``'s options, ``language``
    for the tenant), and signs the tenant in on ``client``: returns (person, survey)."""

    def make(**kwargs):  # noqa: ANN003, ANN202
        person, survey = _tenant_with_survey(make_survey, make_tenant, editor, **kwargs)
        login_tenant(client, person)
        return person, survey

    return make


def _leave_page_one(client, survey, action: str) -> str:  # noqa: ANN001
    """Answer page 1 (by car) and press ``action``: the tenant goes on to page 2. Returns the consultation's path."""
    base = f"/consultations/{survey.id}"
    r = client.post_form(f"{base}/page/1", {f"q{survey.choice}": str(survey.car), "action": action},
                         token_from=f"{base}/page/1")
    assert r.status_code == 302 and r.location.endswith("/page/2")
    return base


def _check_page_summary(client, base: str) -> str:  # noqa: ANN001
    """The error summary of the check page, in English."""
    review = client.get(f"{base}/review?lang=en")
    assert review.status_code == 200
    return review.get_data(as_text=True).split('class="error-summary"')[1].split("</div>")[0]


def test_invalid_input_keeps_every_answer_and_shows_each_error(client, signed_in_with_survey):
    _person, survey = signed_in_with_survey()
    page = f"/consultations/{survey.id}/page/1"
    r = client.post_form(page, {f"q{survey.choice}": str(survey.other), f"q{survey.other}_other": "",
                                "action": "next"}, token_from=page)
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    assert f'id="q{survey.choice}-error"' in html
    assert f'value="{survey.other}" checked' in html
    r = client.post_form(page, {f"q{survey.choice}": str(survey.bike), "action": "next"}, token_from=page)
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and f'id="q{survey.why}-error"' in html
    assert f'value="{survey.bike}" checked' in html
    # Focus starts at the list of errors (its links lead to the questions), for keyboard and screen reader users.
    assert html.count("autofocus") == 1 and '<div class="error-summary" role="alert" tabindex="-1" autofocus>' in html


def test_save_and_continue_later_keeps_the_draft_for_this_person(client, signed_in_with_survey):
    person, survey = signed_in_with_survey()
    page = f"/consultations/{survey.id}/page/1"
    r = client.post_form(page, {f"q{survey.choice}": str(survey.car), "action": "save"}, token_from=page)
    assert r.status_code == 302
    assert "Continue" in client.get(f"/consultations/{survey.id}?lang=en").get_data(as_text=True)
    assert f'value="{survey.car}" checked' in client.get(page).get_data(as_text=True)
    draft = db.session.scalar(sa.select(Draft))
    assert draft.person_id == person.id


def test_a_closed_consultation_says_so_and_stores_nothing(client, signed_in_with_survey, editor):
    from inspraak.consultations import invitations as inv

    _person, survey = signed_in_with_survey()
    page = f"/consultations/{survey.id}/page/1"
    token = client.csrf_token(page)
    inv.close_consultation(survey.consultation, by=editor)
    db.session.commit()
    r = client.post(page + "?lang=en", data={"csrf_token": token, f"q{survey.choice}": str(survey.car), "action": "next"})
    assert r.status_code == 409
    assert "closed" in r.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Draft)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 0


def test_anonymous_answers_are_final_and_a_second_submit_is_told(client, signed_in_with_survey):
    _person, survey = signed_in_with_survey()
    assert _answer_all(client, survey).status_code == 302
    again = client.get(f"/consultations/{survey.id}/page/1?lang=en")
    assert "already been answered" in again.get_data(as_text=True) or "anonymous" in again.get_data(as_text=True)
    token = client.csrf_token(f"/consultations/{survey.id}")
    r = client.post(f"/consultations/{survey.id}/review", data={"csrf_token": token})
    assert r.status_code == 409
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 1


def test_named_answers_can_be_changed_until_closing(client, signed_in_with_survey):
    person, survey = signed_in_with_survey(privacy=PrivacyMode.NAMED)
    review = client.get(f"/consultations/{survey.id}/review?lang=en").get_data(as_text=True)
    assert "By sending you agree that we keep your answers with your name." in review  # said where consent is given
    assert _answer_all(client, survey).status_code == 302
    page = f"/consultations/{survey.id}/page/2"
    assert 'value="8" checked' in client.get(page).get_data(as_text=True)
    client.post_form(page, {f"q{survey.score}": "3", "action": "next"}, token_from=page)
    assert client.post_form(f"/consultations/{survey.id}/review", {}, token_from=page).status_code == 302
    responses = db.session.scalars(sa.select(Response)).all()
    assert len(responses) == 1 and responses[0].person_id == person.id
    score = db.session.scalar(sa.select(Answer.number).where(Answer.question_id == survey.score))
    assert int(score) == 3
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Participation)) == 1


def test_a_hidden_answer_is_not_stored(client, signed_in_with_survey):
    _person, survey = signed_in_with_survey()
    page = f"/consultations/{survey.id}/page/1"
    client.post_form(page, {f"q{survey.choice}": str(survey.car), f"q{survey.why}": "Snel", "action": "next"},
                     token_from=page)
    client.post_form(f"/consultations/{survey.id}/page/2", {f"q{survey.score}": "6", "action": "next"},
                     token_from=page)
    assert client.post_form(f"/consultations/{survey.id}/review", {}, token_from=page).status_code == 302
    stored = db.session.scalars(sa.select(Answer.question_id)).all()
    assert survey.why not in stored and survey.choice in stored


def test_sending_straight_from_the_last_page_stores_the_response(client, signed_in_with_survey):
    _person, survey = signed_in_with_survey()
    base = _leave_page_one(client, survey, "next")
    last = client.get(f"{base}/page/2?lang=en").get_data(as_text=True)
    assert 'value="send"' in last and "Check your answers" in last
    assert 'value="send"' not in client.get(f"{base}/page/1").get_data(as_text=True)
    r = client.post_form(f"{base}/page/2", {f"q{survey.score}": "6", "action": "send"}, token_from=f"{base}/page/1")
    assert r.status_code == 302 and r.location.endswith("/done")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 1
    stored = db.session.scalars(sa.select(Answer.number).where(Answer.question_id == survey.score)).all()
    assert [int(n) for n in stored] == [6]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Draft)) == 0
    again = client.post_form(f"{base}/page/2", {f"q{survey.score}": "7", "action": "send"},
                             token_from=f"{base}/done")
    assert again.status_code == 409
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 1


def test_sending_with_an_earlier_page_unanswered_goes_to_the_check_page_and_keeps_the_answer(
        client, signed_in_with_survey):
    _person, survey = signed_in_with_survey()
    base = f"/consultations/{survey.id}"
    r = client.post_form(f"{base}/page/2?lang=en", {f"q{survey.score}": "9", "action": "send"},
                         token_from=f"{base}/page/1")
    assert r.status_code == 302 and r.location.endswith("/review")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Participation)) == 0
    draft = db.session.scalar(sa.select(Draft))
    assert draft is not None and draft.answers == {str(survey.score): 9}
    summary = _check_page_summary(client, base)
    assert "How do you travel? – Please answer this question." in summary  # which one, not only that one is open
    assert "mark for your area" not in summary
    # ... and leads to its first choice, on its page
    assert f'<a href="{base}/page/1#q{survey.choice}-{survey.bike}">How do you travel?' in summary


def test_the_check_page_leads_to_a_question_still_open_on_a_later_page(client, signed_in_with_survey):
    _person, survey = signed_in_with_survey()
    base = _leave_page_one(client, survey, "next")
    summary = _check_page_summary(client, base)
    assert f'<a href="{base}/page/2#q{survey.score}-0">' in summary
    assert "How do you travel?" not in summary


def test_send_on_a_page_that_is_not_the_last_only_saves_and_goes_on(client, signed_in_with_survey):
    _person, survey = signed_in_with_survey()
    _leave_page_one(client, survey, "send")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 0


def test_linked_answers_say_what_sending_agrees_to_beside_the_button(client, signed_in_with_survey, editor, make_survey,
                                                                     make_tenant):
    """Identity only with explicit consent (DOMAIN): confidential and named say it where the tenant sends."""
    _person, survey = signed_in_with_survey(privacy=PrivacyMode.CONFIDENTIAL)
    for path in (f"/consultations/{survey.id}/page/2?lang=en", f"/consultations/{survey.id}/review?lang=en"):
        assert "we know which answers are yours; we only ever show totals" in client.get(path).get_data(as_text=True)
    anonymous = _tenant_with_survey(make_survey, make_tenant, editor)[1]
    response = client.get(f"/consultations/{anonymous.id}/review?lang=en")
    assert response.status_code == 200 and "By sending you agree" not in response.get_data(as_text=True)


def test_the_paper_form_says_who_sees_the_answers_in_its_language(client, editor, make_survey, make_tenant,
                                                                    login_staff):
    make_tenant(editor.corporation)
    named = make_survey(editor, privacy=PrivacyMode.NAMED)
    anonymous = make_survey(editor)
    login_staff(client, editor)
    page = client.get(f"/staff/consultations/{named.id}/paper?as=en").get_data(as_text=True)
    assert "Your answers are stored with your name. By sending you agree that we keep your answers with your name." in page
    turkish = client.get(f"/staff/consultations/{named.id}/paper?as=tr").get_data(as_text=True)
    assert "Göndererek cevaplarınızı adınızla birlikte saklamamızı kabul etmiş olursunuz." in turkish
    page = client.get(f"/staff/consultations/{anonymous.id}/paper?as=en").get_data(as_text=True)
    assert "Your answers are anonymous." in page and "By sending you agree" not in page


def test_a_number_beyond_what_is_stored_is_refused_beside_the_question(app, client, editor, make_tenant, login_tenant):
    """A number question without limits of its own: 13 digits do not fit NUMERIC(18, 6) (PostgreSQL
    would refuse the row); the tenant sees the limit beside the question, and 12 digits are stored."""
    from inspraak.consultations import authoring, questions
    from inspraak.consultations.models import QuestionType

    person = make_tenant(editor.corporation)
    with app.test_request_context():
        c = authoring.create_consultation(editor.corporation_id, title={"nl": "Getallen"}, source_language="nl",
                                          by=editor)
        q = questions.add_question(c, c.sections[0], type=QuestionType.NUMBER, text={"nl": "Hoeveel?"},
                                   required=True, by=editor)
        invitations.open_consultation(c, by=editor)
        cid, qid = c.id, q.id
    db.session.commit()
    login_tenant(client, person)
    page = f"/consultations/{cid}/page/1"
    for raw, limit in (("1000000000000", "dan 999.999.999.999."), ("-99999999999999999999", "dan -999.999.999.999."),
                       ("1e15", "dan 999.999.999.999.")):  # the limit written the Dutch way
        r = client.post_form(page, {f"q{qid}": raw, "action": "send"}, token_from=page)
        html = r.get_data(as_text=True)
        assert r.status_code == 400 and f'id="q{qid}-error"' in html and limit in html, raw
        assert f'value="{raw}"' in html  # what was typed stays, to correct it
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 0
    r = client.post_form(page, {f"q{qid}": "999999999999", "action": "send"}, token_from=page)
    assert r.status_code == 302
    assert db.session.scalar(sa.select(Answer.number).where(Answer.question_id == qid)) == 999999999999


def _two_adults_of_one_home(app, editor, make_survey, make_tenant, login_tenant, privacy):  # noqa: ANN001, ANN202
    """A survey with one answer per home, and a signed-in client for each of the home's two adults."""
    first = make_tenant(editor.corporation)
    second = make_tenant(tenancy=first.tenancy)
    survey = make_survey(editor, unit=CountingUnit.DWELLING, privacy=privacy)
    sender, other = app.test_client(), app.test_client()
    login_tenant(sender, first)
    login_tenant(other, second)
    return first, survey, sender, other


@pytest.mark.parametrize("privacy", [PrivacyMode.CONFIDENTIAL, PrivacyMode.NAMED])
def test_another_adult_of_the_household_cannot_read_or_change_the_households_answers(
        app, editor, make_survey, make_tenant, login_tenant, privacy):
    """One answer per home: the one who sent it may change it; the other adult hears that the home
    answered, and never sees the sender's answers (free text included)."""
    first, survey, sender, other = _two_adults_of_one_home(app, editor, make_survey, make_tenant, login_tenant, privacy)
    assert _answer_all(sender, survey).status_code == 302
    base = f"/consultations/{survey.id}"
    intro = other.get(f"{base}?lang=en").get_data(as_text=True)
    assert "Your household has answered" in intro and "Change my answers" not in intro
    assert "Your household has answered" in other.get("/consultations?lang=en").get_data(as_text=True)
    for path in (f"{base}/review", f"{base}/page/1", f"{base}/page/2"):
        page = other.get(path)
        assert page.status_code == 200 and "Gezond" not in page.get_data(as_text=True)
    refused = other.post_form(f"{base}/page/1", {f"q{survey.choice}": str(survey.car), "action": "next"},
                              token_from=f"{base}")
    assert refused.status_code == 409
    assert other.post_form(f"{base}/review", {}, token_from=f"{base}").status_code == 409
    response = db.session.scalar(sa.select(Response))
    assert response.person_id == first.id
    assert db.session.scalar(sa.select(Answer.text).where(Answer.text.is_not(None))) == "Gezond"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Draft)) == 0
    mine = sender.get(f"{base}?lang=en").get_data(as_text=True)
    assert "Change my answers" in mine
    assert "Gezond" in sender.get(f"{base}/review").get_data(as_text=True)


def test_unsent_changes_to_a_sent_answer_are_pointed_out(client, signed_in_with_survey):
    _person, survey = signed_in_with_survey(privacy=PrivacyMode.NAMED)
    assert _answer_all(client, survey).status_code == 302
    base = f"/consultations/{survey.id}"
    assert "not sent yet" not in client.get(f"{base}?lang=en").get_data(as_text=True)
    client.post_form(f"{base}/page/1", {f"q{survey.choice}": str(survey.car), "action": "save"}, token_from=base)
    assert "You have changes that you have not sent yet." in client.get(f"{base}?lang=en").get_data(as_text=True)


def test_a_closed_consultation_opened_later_says_whether_the_answers_arrived(
        client, editor, make_survey, make_tenant, login_tenant):
    answered, late = make_tenant(editor.corporation), make_tenant(editor.corporation)
    survey = make_survey(editor)
    login_tenant(client, answered)
    assert _answer_all(client, survey).status_code == 302
    invitations.close_consultation(db.session.get(Consultation, survey.id), by=editor)
    db.session.commit()
    base = f"/consultations/{survey.id}"
    for path in (base, f"{base}/page/1"):
        page = client.get(f"{path}?lang=en").get_data(as_text=True)
        assert "We received your answers" in page and "not saved" not in page
    client.get("/sign-out")
    login_tenant(client, late)
    page = client.get(f"{base}/page/1?lang=en").get_data(as_text=True)
    assert "You cannot answer any more" in page and "not saved" not in page


def test_save_for_later_and_back_keep_what_was_typed_while_a_required_question_is_open(client, signed_in_with_survey):
    _person, survey = signed_in_with_survey()
    page = f"/consultations/{survey.id}/page/1"
    # "Why the bike?" is required once the bike is chosen, and left open here.
    assert client.post_form(page, {f"q{survey.choice}": str(survey.bike), "action": "next"},
                            token_from=page).status_code == 400
    saved = client.post_form(page, {f"q{survey.choice}": str(survey.bike), "action": "save"}, token_from=page)
    assert saved.status_code == 302
    assert db.session.scalar(sa.select(Draft.answers)) == {str(survey.choice): {"option": survey.bike}}
    client.post_form(page, {f"q{survey.choice}": str(survey.bike), f"q{survey.why}": "Gezond", "action": "next"},
                     token_from=page)
    # Back from page 2 with the mark open, and with the earlier answer cleared: nothing is kept that was not there.
    back = client.post_form(f"/consultations/{survey.id}/page/2", {"action": "back"}, token_from=page)
    assert back.status_code == 302 and back.location.endswith("/page/1")
    cleared = client.post_form(page, {f"q{survey.why}": "Gezond", "action": "save"}, token_from=page)
    assert cleared.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(sa.select(Draft.answers)) == {}  # the choice was cleared, so "why" is hidden


def test_the_check_page_marks_untranslated_choices_with_their_language(client, signed_in_with_survey):
    """The choices have no Arabic yet: on the Arabic check page they read left to right, as Dutch;
    what the tenant typed is shown as text, never as HTML."""
    _person, survey = signed_in_with_survey()
    page = f"/consultations/{survey.id}/page/1"
    client.post_form(page, {f"q{survey.choice}": str(survey.other), f"q{survey.choice}_other": "<b>Lopen</b>",
                            "action": "next"}, token_from=page)
    review = client.get(f"/consultations/{survey.id}/review?lang=ar").get_data(as_text=True)
    assert '<span lang="nl" dir="ltr">Anders</span>: &lt;b&gt;Lopen&lt;/b&gt;' in review
    english = client.get(f"/consultations/{survey.id}/review?lang=en").get_data(as_text=True)
    assert "Other: &lt;b&gt;Lopen&lt;/b&gt;" in english and 'lang="nl" dir="ltr">Anders' not in english


def test_the_error_summary_marks_an_untranslated_question_with_its_language(client, signed_in_with_survey):
    """The questions have no Arabic yet: in the Arabic error summary their Dutch text reads left to right."""
    _person, survey = signed_in_with_survey()
    page = f"/consultations/{survey.id}/page/1"
    r = client.post_form(page + "?lang=ar", {f"q{survey.choice}": str(survey.bike), "action": "next"},
                         token_from=page)
    assert r.status_code == 400
    summary = r.get_data(as_text=True).split('class="error-summary"')[1].split("</div>")[0]
    assert f'<a href="#q{survey.why}"><span lang="nl" dir="ltr">Waarom de fiets?</span> – ' in summary
    english = client.post_form(page + "?lang=en", {f"q{survey.choice}": str(survey.bike), "action": "next"},
                               token_from=page).get_data(as_text=True)
    assert f'<a href="#q{survey.why}">Why the bike? – ' in english


def test_the_other_text_box_is_described_by_the_question_error(client, signed_in_with_survey):
    _person, survey = signed_in_with_survey()
    page = f"/consultations/{survey.id}/page/1"
    blank = client.get(page + "?lang=en").get_data(as_text=True)
    assert f'name="q{survey.choice}_other" maxlength="200" value="">' in blank  # no error: described by nothing
    r = client.post_form(page + "?lang=en", {f"q{survey.choice}": str(survey.other), "action": "next"},
                         token_from=page)
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    assert f'id="q{survey.choice}-error"' in html
    assert (f'name="q{survey.choice}_other" maxlength="200" value="" aria-describedby="q{survey.choice}-error" '
            'aria-invalid="true">') in html


def test_the_start_page_lists_what_is_left_to_answer(client, signed_in_with_survey):
    _person, survey = signed_in_with_survey()
    start = client.get("/my?lang=en").get_data(as_text=True)
    assert f'href="/consultations/{survey.id}"' in start and "How do you get to work?" in start
    assert _answer_all(client, survey).status_code == 302
    start = client.get("/my?lang=en").get_data(as_text=True)
    assert f'href="/consultations/{survey.id}"' not in start
    assert "There is nothing to answer for you right now." in start


def test_a_sent_answer_is_changed_only_by_its_sender_and_never_by_a_paper_form(app, editor, make_survey, make_tenant,
                                                                                make_staff):
    """What the pages check beforehand, the service checks again under the lock (a race gets past the pages)."""
    from inspraak.consultations import answering, cache
    from inspraak.consultations.models import Channel
    from inspraak.core.errors import Conflict

    first = make_tenant(editor.corporation)
    second = make_tenant(tenancy=first.tenancy)
    clerk = make_staff(editor.corporation, "data_entry")
    survey = make_survey(editor, unit=CountingUnit.DWELLING, privacy=PrivacyMode.CONFIDENTIAL)
    answers = {survey.choice: {"option": survey.car}, survey.score: 7}
    with app.test_request_context():
        consultation = cache.get(editor.corporation_id, survey.id)
        unit = invitations.unit_key_for(consultation, first)
        answering.submit_response(consultation, unit_key=unit, answers=answers, channel=Channel.ONLINE, person=first)
        db.session.commit()
        for person, channel, entered_by in ((second, Channel.ONLINE, None), (None, Channel.PAPER, clerk)):
            with pytest.raises(Conflict):
                answering.submit_response(consultation, unit_key=unit, answers={**answers, survey.score: 2},
                                          channel=channel, person=person, entered_by=entered_by)
            db.session.rollback()
        answering.submit_response(consultation, unit_key=unit, answers={**answers, survey.score: 9},
                                  channel=Channel.ONLINE, person=first)
        db.session.commit()
    assert db.session.scalar(sa.select(Answer.number).where(Answer.question_id == survey.score)) == 9


def test_an_answer_sent_as_the_consultation_closes_is_not_stored(app, editor, make_survey, make_tenant):
    """The tenant's page read the consultation (a cached copy) while it was open; it closed before the send."""
    from inspraak.consultations import answering, cache
    from inspraak.consultations.models import Channel
    from inspraak.core.errors import Conflict

    person = make_tenant(editor.corporation)
    survey = make_survey(editor)
    with app.test_request_context():
        consultation = cache.get(editor.corporation_id, survey.id)
        invitations.close_consultation(db.session.get(Consultation, survey.id), by=editor)
        db.session.commit()
        assert consultation.is_accepting(datetime.now(UTC))  # the copy still says open
        with pytest.raises(Conflict):
            answering.submit_response(consultation, unit_key=invitations.unit_key_for(consultation, person),
                                      answers={survey.choice: {"option": survey.car}, survey.score: 7},
                                      channel=Channel.ONLINE, person=person)
        db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 0


@pytest.mark.parametrize("privacy", [PrivacyMode.ANONYMOUS, PrivacyMode.CONFIDENTIAL, PrivacyMode.NAMED])
def test_an_adult_whose_household_answered_first_is_told_their_answers_were_not_saved(
        app, editor, make_survey, make_tenant, login_tenant, privacy):
    """Both adults of a home fill in the form; the second to send is refused. "This has already been
    answered. Thank you!" thanked them for answers that were thrown away, without saying so."""
    _first, survey, sender, other = _two_adults_of_one_home(app, editor, make_survey, make_tenant, login_tenant,
                                                            privacy)
    base = f"/consultations/{survey.id}"
    other.post_form(f"{base}/page/1", {f"q{survey.choice}": str(survey.car), "action": "next"}, token_from=base)
    assert _answer_all(sender, survey).status_code == 302
    told = "Your household has already answered. Each home gives one answer, so what you sent was not saved."
    for path, data in ((f"{base}/page/2", {f"q{survey.score}": "3", "action": "send"}), (f"{base}/review", {})):
        refused = other.post_form(f"{path}?lang=en", data, token_from=f"{base}/page/1")
        page = refused.get_data(as_text=True)
        assert refused.status_code == 409 and told in page and "Thank you" not in page, path
    if privacy is not PrivacyMode.ANONYMOUS:  # the thank-you page is the sender's, who may change the answers
        assert other.get(f"{base}/done").status_code == 302
        assert sender.get(f"{base}/done").status_code == 200


def test_the_error_summary_puts_no_colon_after_a_questions_own_mark(client, signed_in_with_survey):
    """A question ends in "?" or ".": the summary read "How do you travel?: Please answer this question."."""
    _person, survey = signed_in_with_survey()
    page = f"/consultations/{survey.id}/page/1"
    r = client.post_form(f"{page}?lang=en", {"action": "next"}, token_from=page)
    assert r.status_code == 400
    summary = r.get_data(as_text=True).split('class="error-summary"')[1].split("</div>")[0]
    assert "How do you travel? – Please answer this question." in summary
    assert "?:" not in summary
