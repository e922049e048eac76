"""Two editors saving one question's rules, one page's condition or one consultation's settings at once.

Each form carries a fingerprint of what it showed (core.edits): a field its sender left as shown keeps
what the other editor saved meanwhile; a field both changed is refused to the second, with the first
one's value beside it, and the second editor's own input stays in the form.
"""
from __future__ import annotations

from inspraak.consultations.models import Question
from inspraak.extensions import db
from tests.concurrency import open_form, race_posts, read_forms

CLASH = "Someone else changed this at the same moment. It is now: %s. Choose what you want and save again."


def _question(question_id: int) -> Question:
    db.session.expire_all()
    question = db.session.get(Question, question_id)
    db.session.commit()
    return question


def test_a_limit_changed_by_two_editors_is_refused_to_the_second_with_the_first_ones(app, editor, make_survey,
                                                                                    make_staff, login_staff):
    survey = make_survey(editor, open=False)
    page = f"/staff/consultations/{survey.id}/questions/{survey.why}"
    first, first_form = open_form(app, login_staff, editor, page)
    second, second_form = open_form(app, login_staff, make_staff(editor.corporation, "editor"), page)
    assert first.post(page, data={**first_form, "max_length": "200"}).status_code == 302
    refused = second.post(f"{page}?lang=en", data={**second_form, "max_length": "300", "text_pl": "Dlaczego rower?"})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert CLASH % "200" in body
    question = _question(survey.why)
    assert question.settings["max_length"] == 200 and "pl" not in question.text  # nothing of the second form
    again = read_forms(body)[""]  # the second editor's own input stays in the form
    assert again["max_length"] == "300" and again["text_pl"] == "Dlaczego rower?"
    assert second.post(page, data=again).status_code == 302  # saved again, knowingly
    question = _question(survey.why)
    assert question.settings["max_length"] == 300 and question.text["pl"] == "Dlaczego rower?"


def test_rules_left_as_shown_keep_what_another_editor_saved_meanwhile(app, editor, make_survey, login_staff):
    survey = make_survey(editor, open=False)
    page = f"/staff/consultations/{survey.id}/questions/{survey.why}"
    first, first_form = open_form(app, login_staff, editor, page)
    second, second_form = open_form(app, login_staff, editor, page)
    del first_form["required"]  # the first editor makes the answer optional
    assert first.post(page, data=first_form).status_code == 302
    assert second.post(page, data={**second_form, "max_length": "150"}).status_code == 302
    question = _question(survey.why)
    assert question.required is False and question.settings["max_length"] == 150


def test_the_lowest_and_highest_value_changed_by_two_editors_are_checked_together(app, editor, make_survey,
                                                                                 login_staff):
    """Each change alone is fine; together the lowest would be above the highest. The second editor is told."""
    survey = make_survey(editor, open=False)
    page = f"/staff/consultations/{survey.id}/questions/{survey.score}"
    first, first_form = open_form(app, login_staff, editor, page)
    second, second_form = open_form(app, login_staff, editor, page)
    assert first.post(page, data={**first_form, "max": "4"}).status_code == 302
    refused = second.post(f"{page}?lang=en", data={**second_form, "min": "6"})
    assert refused.status_code == 400
    assert CLASH % "4" in refused.get_data(as_text=True)
    assert _question(survey.score).settings.get("min") is None


def test_two_editors_saving_one_questions_rules_at_the_same_moment_keep_both_or_are_told(app, editor, make_survey,
                                                                                        login_staff):
    survey = make_survey(editor, open=False)
    page = f"/staff/consultations/{survey.id}/questions/{survey.why}"
    (first, first_form), (second, second_form) = (open_form(app, login_staff, editor, page) for _ in range(2))
    del first_form["required"]
    assert race_posts(app, [(first, page, first_form), (second, page, {**second_form, "max_length": "80"})]) == [302, 302]
    question = _question(survey.why)
    assert question.required is False and question.settings["max_length"] == 80

    (first, first_form), (second, second_form) = (open_form(app, login_staff, editor, page) for _ in range(2))
    statuses = race_posts(app, [(first, page, {**first_form, "max_length": "90"}),
                                (second, page, {**second_form, "max_length": "95"})])
    assert sorted(statuses) == [302, 400]
    assert _question(survey.why).settings["max_length"] == (90 if statuses[0] == 302 else 95)


def test_a_condition_changed_by_two_editors_is_refused_to_the_second_as_a_whole(app, editor, make_survey,
                                                                               login_staff):
    """The rules of a condition are read together: one editor changing the answer and another the test of
    the same rule would make a rule neither meant. The second is told what the rule is now."""
    survey = make_survey(editor, open=False)
    page = f"/staff/consultations/{survey.id}/questions/{survey.why}"
    first, first_form = open_form(app, login_staff, editor, page)
    second, second_form = open_form(app, login_staff, editor, page)
    assert first.post(page, data={**first_form, "rule1_target": f"{survey.choice}|{survey.car}"}).status_code == 302
    refused = second.post(f"{page}?lang=en", data={**second_form, "rule1_op": "is_not"})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert CLASH % "Question 1: Car" in body
    assert _question(survey.why).condition["rules"] == [{"question": survey.choice, "op": "is", "value": survey.car}]
    again = read_forms(body)[""]
    assert again["rule1_op"] == "is_not" and again["rule1_target"] == f"{survey.choice}|{survey.car}"


def test_a_condition_and_another_rule_changed_by_two_editors_are_both_kept(app, editor, make_survey, login_staff):
    survey = make_survey(editor, open=False)
    page = f"/staff/consultations/{survey.id}/questions/{survey.why}"
    first, first_form = open_form(app, login_staff, editor, page)
    second, second_form = open_form(app, login_staff, editor, page)
    assert first.post(page, data={**first_form, "rule1_target": f"{survey.choice}|{survey.car}"}).status_code == 302
    del second_form["required"]
    assert second.post(page, data=second_form).status_code == 302
    question = _question(survey.why)
    assert question.required is False and question.condition["rules"][0]["value"] == survey.car


def test_a_pages_condition_and_title_saved_by_two_editors(app, editor, make_survey, login_staff):
    """A title and a condition changed by two editors are both kept; two conditions clash."""
    from inspraak.consultations.models import Section

    survey = make_survey(editor, open=False)
    section_id = survey.consultation.sections[1].id
    db.session.commit()
    page = f"/staff/consultations/{survey.id}/sections/{section_id}"
    (first, first_form), (second, second_form) = (open_form(app, login_staff, editor, page) for _ in range(2))
    answered = {"rule1_target": f"{survey.choice}|", "rule1_op": "answered"}
    assert first.post(page, data={**first_form, **answered}).status_code == 302
    assert second.post(page, data={**second_form, "title_tr": "Mahalleniz"}).status_code == 302
    db.session.expire_all()
    section = db.session.get(Section, section_id)
    assert section.title["tr"] == "Mahalleniz" and section.condition["rules"] == [{"question": survey.choice,
                                                                                  "op": "answered"}]
    db.session.commit()

    (first, first_form), (second, second_form) = (open_form(app, login_staff, editor, page) for _ in range(2))
    assert first.post(page, data={**first_form, "rule1_op": "unanswered"}).status_code == 302
    refused = second.post(f"{page}?lang=en", data={**second_form, "rule1_target": f"{survey.choice}|{survey.bike}",
                                                   "rule1_op": "is"})
    assert refused.status_code == 400
    assert CLASH % "is not answered" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Section, section_id).condition["rules"] == [{"question": survey.choice, "op": "unanswered"}]
    db.session.commit()


def test_two_editors_saving_one_pages_title_and_condition_at_the_same_moment_keep_both(app, editor, make_survey,
                                                                                      login_staff):
    from inspraak.consultations.models import Section

    survey = make_survey(editor, open=False)
    section_id = survey.consultation.sections[1].id
    db.session.commit()
    page = f"/staff/consultations/{survey.id}/sections/{section_id}"
    (first, first_form), (second, second_form) = (open_form(app, login_staff, editor, page) for _ in range(2))
    posts = [(first, page, {**first_form, "rule1_target": f"{survey.choice}|", "rule1_op": "answered"}),
             (second, page, {**second_form, "title_pl": "Państwa osiedle"})]
    assert race_posts(app, posts) == [302, 302]
    db.session.expire_all()
    section = db.session.get(Section, section_id)
    assert section.title["pl"] == "Państwa osiedle" and section.condition["rules"][0]["op"] == "answered"
    db.session.commit()
