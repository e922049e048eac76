"""Authoring rules: limits a question may have, and what a condition may point to."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from inspraak.consultations import queries, questions, structure
from inspraak.consultations.models import Consultation, Question, QuestionType
from inspraak.core.errors import DomainError
from inspraak.core.once import new_token
from inspraak.extensions import db


def _draft(make_survey, editor):  # noqa: ANN001, ANN202
    survey = make_survey(editor, open=False)
    consultation = survey.consultation
    return survey, consultation, consultation.sections[0]



def test_a_multiple_choice_question_counts_choices_from_zero(app, editor, make_survey):
    """Its min and max are numbers of choices: a negative one made a question nothing could answer, told
    under it as 'Choose at most -1 answers.'"""
    _survey, consultation, section = _draft(make_survey, editor)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        for settings in ({"min": -3, "max": -1}, {"max": -1}, {"min": -1}):
            with pytest.raises(DomainError, match="cannot be negative"):
                questions.add_question(consultation, section, type=QuestionType.MULTIPLE_CHOICE, text={"nl": "Welke?"},
                                       required=False, settings=settings, by=editor)
        questions.add_question(consultation, section, type=QuestionType.NUMBER, text={"nl": "Graden?"}, required=False,
                               settings={"min": -20, "max": -1}, by=editor)  # a number below zero is an answer
    db.session.rollback()



def test_a_question_no_answer_can_meet_stops_the_opening(app, editor, make_survey):
    """More choices asked than a multiple choice offers, or limits the wrong way round (left from before the
    editor refused them): no answer could pass, so a required one would keep every tenant from sending."""
    survey, consultation, section = _draft(make_survey, editor)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        many = questions.add_question(consultation, section, type=QuestionType.MULTIPLE_CHOICE, text={"nl": "Welke?"},
                                      required=True, settings={"min": 3}, by=editor)
        for label in ("A", "B"):
            questions.add_option(many, label={"nl": label})
        assert "Question 3 has limits no answer can meet." in " ".join(queries.check_ready(consultation))
        many.settings = {"max": 0}  # nothing may be chosen
        assert "Question 3 has limits no answer can meet." in " ".join(queries.check_ready(consultation))
        many.settings = {"min": 2, "max": 2}
        assert queries.check_ready(consultation) == []
        db.session.get(Question, survey.score).settings = {"min": 8, "max": 3}  # old data: a score has none
        number = questions.add_question(consultation, section, type=QuestionType.NUMBER, text={"nl": "Hoeveel?"},
                                        required=False, by=editor)
        number.settings = {"min": 10, "max": 0}
        assert queries.check_ready(consultation) == ["Question 4 has limits no answer can meet. Change its lowest "
                                                     "or highest value."]
    db.session.rollback()


# ---------------------------------------------------------------- scales

def test_a_scale_has_at_most_eleven_points(app, editor, make_survey):
    _survey, consultation, section = _draft(make_survey, editor)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        questions.add_question(consultation, section, type=QuestionType.SCALE, text={"nl": "Cijfer"}, required=False,
                               settings={"min": 0, "max": 10}, by=editor)
        for low, high in ((0, 11), (-2000000000, 2000000000), (1, 12)):
            with pytest.raises(DomainError, match="at most 11 points"):
                questions.add_question(consultation, section, type=QuestionType.SCALE, text={"nl": "Cijfer"}, required=False,
                                       settings={"min": low, "max": high}, by=editor)
    db.session.rollback()


def test_an_editor_cannot_save_a_huge_scale(client, editor, make_survey, login_staff):
    _survey, consultation, section = _draft(make_survey, editor)
    login_staff(client, editor)
    new_q = f"/staff/consultations/{consultation.id}/sections/{section.id}/questions/new"
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Question))
    r = client.post_form(new_q + "?lang=en", {"type": "scale", "text_nl": "Hoe tevreden?", "match": "all",
                                              "min": "-2000000000", "max": "2000000000",
                                              "once": new_token()}, token_from=new_q)
    assert r.status_code == 400 and "at most 11 points" in r.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Question)) == before


def test_a_condition_on_a_scale_from_zero_offers_zero(client, editor, make_survey, login_staff):
    _survey, consultation, section = _draft(make_survey, editor)
    with client.application.test_request_context():
        scale = questions.add_question(consultation, section, type=QuestionType.SCALE, text={"nl": "Cijfer"}, required=False,
                                       settings={"min": 0, "max": 4}, by=editor)
    db.session.commit()
    login_staff(client, editor)
    new_q = f"/staff/consultations/{consultation.id}/sections/{section.id}/questions/new"
    page = client.get(new_q).get_data(as_text=True)
    assert f'value="{scale.id}|0"' in page and f'value="{scale.id}|4"' in page
    assert f'value="{scale.id}|5"' not in page


# ---------------------------------------------------------------- conditions pointing at choices

def test_a_choice_a_condition_tests_for_cannot_be_deleted(client, editor, make_survey, login_staff):
    survey, consultation, _section = _draft(make_survey, editor)
    login_staff(client, editor)
    page = f"/staff/consultations/{consultation.id}/questions/{survey.choice}"
    r = client.post_form(f"{page}/options/{survey.bike}/delete?lang=en", {}, token_from=page)
    assert r.status_code == 409 and "depends on this choice" in r.get_data(as_text=True)
    db.session.expire_all()
    assert {o.id for o in db.session.get(Question, survey.choice).options} == {survey.bike, survey.car, survey.other}
    db.session.commit()
    # A choice no condition tests for can go.
    assert client.post_form(f"{page}/options/{survey.car}/delete", {}, token_from=page).status_code == 302
    db.session.expire_all()
    assert {o.id for o in db.session.get(Question, survey.choice).options} == {survey.bike, survey.other}


def test_a_matrix_column_a_page_condition_tests_for_cannot_be_deleted(app, editor, make_survey):
    _survey, consultation, section = _draft(make_survey, editor)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        matrix = questions.add_question(consultation, section, type=QuestionType.MATRIX, text={"nl": "Tevreden?"},
                                        required=False, by=editor)
        good = questions.add_option(matrix, label={"nl": "Goed"})
        questions.add_option(matrix, label={"nl": "Slecht"})
        row = questions.add_row(matrix, label={"nl": "Tuin"})
        page = structure.add_section(consultation, title={"nl": "Meer"}, by=editor)
        structure.update_section(page, title=page.title,
                                 condition={"match": "all", "rules": [{"question": matrix.id, "op": "includes",
                                                                      "value": good.id}]})
        with pytest.raises(DomainError, match="depends on this choice"):
            questions.delete_option(matrix, good)
        questions.delete_row(matrix, row)  # conditions test for chosen columns, never for rows: a row may go
    db.session.rollback()


# ---------------------------------------------------------------- copy as new draft

def test_a_copy_remaps_choices_but_keeps_numbers_that_equal_a_choice_id(client, editor, make_survey, login_staff):
    survey, consultation, section = _draft(make_survey, editor)
    with client.application.test_request_context():
        number = questions.add_question(consultation, section, type=QuestionType.NUMBER, text={"nl": "Hoeveel?"},
                                        required=False, by=editor)
        later = questions.add_question(consultation, section, type=QuestionType.SHORT_TEXT, text={"nl": "Waarom?"},
                                       required=False, by=editor)
        # The number tested for happens to be the id of a choice of another question.
        questions.update_question(later, text=later.text, help={}, required=False, settings={},
                                  condition={"match": "all", "rules": [{"question": number.id, "op": "is",
                                                                       "value": survey.car}]})
    db.session.commit()
    login_staff(client, editor)
    base = f"/staff/consultations/{consultation.id}"
    r = client.post_form(f"{base}/duplicate", {"once": new_token()}, token_from=base)
    assert r.status_code == 302
    copy_ = db.session.get(Consultation, int(re.search(r"/(\d+)(?:#.*)?$", r.location).group(1)))
    by_text = {q.text["nl"]: q for q in copy_.questions}
    new_choice = by_text["Hoe reist u?"]
    new_bike = next(o.id for o in new_choice.options if o.label["nl"] == "Fiets")
    assert by_text["Waarom de fiets?"].condition["rules"] == [{"question": new_choice.id, "op": "is", "value": new_bike}]
    assert by_text["Waarom?"].condition["rules"] == [
        {"question": by_text["Hoeveel?"].id, "op": "is", "value": survey.car}]
    db.session.commit()


# ---------------------------------------------------------------- an open consultation, before its first answer

def test_an_open_question_cannot_be_given_limits_no_answer_can_meet(app, editor, make_survey, make_tenant):
    """Open and not yet answered, its rules may change; a multiple choice of three that asked for at least
    999 choices was saved, and no tenant could answer it. A draft may, until it opens (its choices may come later)."""
    make_tenant(editor.corporation)
    survey = make_survey(editor)
    consultation = survey.consultation
    with app.test_request_context(headers={"Accept-Language": "en"}):
        many = questions.add_question(consultation, consultation.sections[0], type=QuestionType.MULTIPLE_CHOICE,
                                     text={"nl": "Welke?"}, required=False, by=editor)
        for label in ("A", "B", "C"):
            questions.add_option(many, label={"nl": label})
        db.session.commit()
        for settings in ({"min": 999}, {"max": 0}):
            with pytest.raises(DomainError, match="Question 3 has limits no answer can meet"):
                questions.update_question(many, text=many.text, help={}, required=False, settings=settings,
                                          condition=None)
            db.session.rollback()
        questions.update_question(many, text=many.text, help={}, required=False, settings={"min": 3}, condition=None)
        draft, section = _draft(make_survey, editor)[1:]
        later = questions.add_question(draft, section, type=QuestionType.MULTIPLE_CHOICE, text={"nl": "Welke?"},
                                      required=False, by=editor)
        questions.update_question(later, text=later.text, help={}, required=False, settings={"min": 4}, condition=None)
    db.session.rollback()


def test_an_open_question_keeps_two_choices(client, editor, make_survey, make_tenant, login_staff):
    make_tenant(editor.corporation)
    survey = make_survey(editor)
    login_staff(client, editor)
    page = f"/staff/consultations/{survey.id}/questions/{survey.choice}"
    assert client.post_form(f"{page}/options/{survey.car}/delete", {}, token_from=page).status_code == 302
    r = client.post_form(f"{page}/options/{survey.other}/delete?lang=pl", {}, token_from=page)
    assert r.status_code == 409 and "Pytanie 1 musi mieć co najmniej dwie opcje." in r.get_data(as_text=True)
    db.session.expire_all()
    assert {o.id for o in db.session.get(Question, survey.choice).options} == {survey.bike, survey.other}


def test_a_condition_names_questions_by_number_and_lists_their_texts_in_full(client, editor, make_survey, login_staff):
    """The rule's list showed "Question 1 (Hoe tevreden bent u over de speeltuin…): any answer": a list cannot wrap,
    and on a 360 px phone the answer the rule is about was cut off. The list now names the question by number, and
    the questions stand above the rules in full; "all rules" or "one of them" are radio buttons, whose labels wrap."""
    _survey, consultation, section = _draft(make_survey, editor)
    long_text = "Hoe tevreden bent u over de speeltuin, de bankjes en het groen in de binnentuin van uw complex?"
    with client.application.test_request_context():
        questions.add_question(consultation, section, type=QuestionType.YES_NO, text={"nl": long_text}, required=False,
                               by=editor)
    db.session.commit()
    login_staff(client, editor)
    page = client.get(f"/staff/consultations/{consultation.id}/sections/{section.id}/questions/new?lang=en")
    html = page.get_data(as_text=True)
    options = re.findall(r'<option[^>]*value="\d+\|[^"]*"[^>]*>([^<]*)</option>', html)
    assert options and all(long_text[:20] not in label for label in options), options
    assert re.search(r'Question \d+: any answer', html)
    listed = re.search(r'<ol class="earlier-questions">(.*?)</ol>', html, re.S).group(1)
    assert long_text in listed
    match = re.findall(r'<input[^>]*name="match"[^>]*>', html)
    assert len(match) == 2 and all('type="radio"' in box for box in match) and "checked" in match[0], match
