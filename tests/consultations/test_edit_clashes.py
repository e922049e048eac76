"""Two editors saving one question's rules, one page's condition or one consultation's settings at once.

Each form carries a fingerprint of what it showed (core.edits): a field its sender left as shown keeps
what the other editor saved meanwhile; a field both changed is refused to the second, with the first
one's value beside it, and the second editor's own input stays in the form.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from inspraak.consultations.models import (
    AudienceScope,
    Breakdown,
    Consultation,
    CountingUnit,
    PrivacyMode,
    Question,
    Section,
)
from inspraak.extensions import db
from tests.concurrency import at_the_same_moment, fresh, one_after_the_other, read_forms, told


@pytest.fixture
def editors(editor, make_staff):  # noqa: ANN001, ANN201
    return editor, make_staff(editor.corporation, "editor")


@pytest.fixture
def draft(editors, make_survey):  # noqa: ANN001, ANN201
    """A factory: a draft survey of the first editor and the staff page two editors then save, (survey, page).

    ``draft()`` its settings; ``draft(question="why")`` the page of the question the survey names so;
    ``draft(section=1)`` the page of its second page of questions.
    """
    def make(*, question: str | None = None, section: int | None = None) -> tuple:
        survey = make_survey(editors[0], open=False)
        base = f"/staff/consultations/{survey.id}"
        if question is not None:
            return survey, f"{base}/questions/{getattr(survey, question)}"
        if section is not None:
            section_id = survey.consultation.sections[section].id
            db.session.commit()
            return survey, f"{base}/sections/{section_id}"
        return survey, f"{base}/settings"

    return make


# ---------------------------------------------------------------- a question's rules

def test_a_limit_changed_by_two_editors_is_refused_to_the_second_with_the_first_ones(app, editors, draft, login_staff):
    survey, page = draft(question="why")
    second, refused = one_after_the_other(app, login_staff, editors, page, {"max_length": "200"},
                                          {"max_length": "300", "text_pl": "Dlaczego rower?"})
    body = told(refused, "200")
    question = fresh(Question, survey.why)
    assert question.settings["max_length"] == 200 and "pl" not in question.text  # nothing of the second form
    again = read_forms(body)[""]  # the second editor's own input stays in the form
    assert again["max_length"] == "300" and again["text_pl"] == "Dlaczego rower?"
    assert second.post(page, data=again).status_code == 302  # saved again, knowingly
    question = fresh(Question, survey.why)
    assert question.settings["max_length"] == 300 and question.text["pl"] == "Dlaczego rower?"


def test_rules_left_as_shown_keep_what_another_editor_saved_meanwhile(app, editors, draft, login_staff):
    survey, page = draft(question="why")
    _second, saved = one_after_the_other(app, login_staff, editors, page, {"required": None}, {"max_length": "150"})
    assert saved.status_code == 302
    question = fresh(Question, survey.why)
    assert question.required is False and question.settings["max_length"] == 150


def test_the_lowest_and_highest_value_changed_by_two_editors_are_checked_together(app, editors, draft, login_staff):
    """Each change alone is fine; together the lowest would be above the highest. The second editor is told."""
    survey, page = draft(question="score")
    _second, refused = one_after_the_other(app, login_staff, editors, page, {"max": "4"}, {"min": "6"})
    told(refused, "4")
    assert fresh(Question, survey.score).settings.get("min") is None


def test_two_editors_saving_one_questions_rules_at_the_same_moment_keep_both_or_aretold(app, editors, draft,
                                                                                        login_staff):
    survey, page = draft(question="why")
    assert at_the_same_moment(app, login_staff, editors, page, [{"required": None}, {"max_length": "80"}]) == [302, 302]
    question = fresh(Question, survey.why)
    assert question.required is False and question.settings["max_length"] == 80
    statuses = at_the_same_moment(app, login_staff, editors, page, [{"max_length": "90"}, {"max_length": "95"}])
    assert sorted(statuses) == [302, 409]
    assert fresh(Question, survey.why).settings["max_length"] == (90 if statuses[0] == 302 else 95)


# ---------------------------------------------------------------- conditions of questions and pages

def test_a_condition_changed_by_two_editors_is_refused_to_the_second_as_a_whole(app, editors, draft, login_staff):
    """The rules of a condition are read together: one editor changing the answer and another the test of
    the same rule would make a rule neither meant. The second is told what the rule is now."""
    survey, page = draft(question="why")
    _second, refused = one_after_the_other(app, login_staff, editors, page,
                                           {"rule1_target": f"{survey.choice}|{survey.car}"}, {"rule1_op": "is_not"})
    body = told(refused, "Question 1: Car")
    rules = [{"question": survey.choice, "op": "is", "value": survey.car}]
    assert fresh(Question, survey.why).condition["rules"] == rules
    again = read_forms(body)[""]
    assert again["rule1_op"] == "is_not" and again["rule1_target"] == f"{survey.choice}|{survey.car}"


def test_a_condition_and_another_rule_changed_by_two_editors_are_both_kept(app, editors, draft, login_staff):
    survey, page = draft(question="why")
    _second, saved = one_after_the_other(app, login_staff, editors, page,
                                         {"rule1_target": f"{survey.choice}|{survey.car}"}, {"required": None})
    assert saved.status_code == 302
    question = fresh(Question, survey.why)
    assert question.required is False and question.condition["rules"][0]["value"] == survey.car


def test_a_pages_condition_and_title_changed_by_two_editors_are_both_kept(app, editors, draft, login_staff):
    survey, page = draft(section=1)
    answered = {"rule1_target": f"{survey.choice}|", "rule1_op": "answered"}
    _second, saved = one_after_the_other(app, login_staff, editors, page, answered, {"title_tr": "Mahalleniz"})
    assert saved.status_code == 302
    section = fresh(Section, int(page.rsplit("/", 1)[1]))
    assert section.title["tr"] == "Mahalleniz" and section.condition["rules"] == [{"question": survey.choice,
                                                                                  "op": "answered"}]


def test_a_pages_condition_changed_by_two_editors_is_refused_to_the_second(app, editors, draft, login_staff):
    survey, page = draft(section=1)
    _second, refused = one_after_the_other(
        app, login_staff, editors, page, {"rule1_target": f"{survey.choice}|", "rule1_op": "unanswered"},
        {"rule1_target": f"{survey.choice}|{survey.bike}", "rule1_op": "is"})
    told(refused, "is not answered")
    section = fresh(Section, int(page.rsplit("/", 1)[1]))
    assert section.condition["rules"] == [{"question": survey.choice, "op": "unanswered"}]


def test_two_editors_saving_one_pages_title_and_condition_at_the_same_moment_keep_both(app, editors, draft,
                                                                                      login_staff):
    survey, page = draft(section=1)
    changes = [{"rule1_target": f"{survey.choice}|", "rule1_op": "answered"}, {"title_pl": "Państwa osiedle"}]
    assert at_the_same_moment(app, login_staff, editors, page, changes) == [302, 302]
    section = fresh(Section, int(page.rsplit("/", 1)[1]))
    assert section.title["pl"] == "Państwa osiedle" and section.condition["rules"][0]["op"] == "answered"


# ---------------------------------------------------------------- audience, privacy and dates

def test_a_setting_changed_by_two_editors_is_refused_to_the_second_in_the_words_of_the_form(app, editors, draft,
                                                                                           login_staff):
    survey, page = draft()
    _second, refused = one_after_the_other(app, login_staff, editors, page, {"privacy_mode": "confidential"},
                                           {"privacy_mode": "named", "results_expected_on": "2026-09-01"})
    body = told(refused, "Confidential: linked to the tenant, only totals are shown")
    consultation = fresh(Consultation, survey.id)
    assert consultation.privacy_mode is PrivacyMode.CONFIDENTIAL and consultation.results_expected_on is None
    again = read_forms(body)[""]
    assert again["privacy_mode"] == "named" and again["results_expected_on"] == "2026-09-01"


def test_settings_left_as_shown_keep_what_another_editor_saved_meanwhile(app, editors, draft, login_staff):
    survey, page = draft()
    _second, saved = one_after_the_other(app, login_staff, editors, page, {"counting_unit": "dwelling"},
                                         {"results_expected_on": "2026-09-01"})
    assert saved.status_code == 302
    consultation = fresh(Consultation, survey.id)
    assert consultation.counting_unit is CountingUnit.DWELLING and consultation.results_expected_on == date(2026, 9, 1)


def test_who_is_invited_is_changed_as_a_whole(app, editors, draft, make_complex, login_staff):
    """The kind of audience and its places go together: one editor choosing neighbourhoods and another
    complexes is refused to the second, who is told which neighbourhood is chosen now."""
    complex_ = make_complex(editors[0].corporation, neighbourhood_name="Oosterpark")
    survey, page = draft()
    _second, refused = one_after_the_other(
        app, login_staff, editors, page, {"audience_scope": "neighbourhoods", "neighbourhoods": str(complex_.neighbourhood_id)},
        {"audience_scope": "complexes", "complexes": str(complex_.id)})
    told(refused, "Tenants in chosen neighbourhoods", "Oosterpark")
    consultation = fresh(Consultation, survey.id)
    assert consultation.audience_scope is AudienceScope.NEIGHBOURHOODS and consultation.complexes == []


def test_the_opening_and_closing_time_changed_by_two_editors_are_checked_together(app, editors, draft, login_staff):
    survey, page = draft()
    _second, refused = one_after_the_other(app, login_staff, editors, page, {"closes_at": "2030-05-01T12:00"},
                                           {"opens_at": "2030-06-01T12:00"})
    told(refused, "May 1, 2030, 12:00")
    assert fresh(Consultation, survey.id).opens_at is None


def test_two_editors_saving_the_settings_at_the_same_moment_keep_both_or_aretold(app, editors, draft, login_staff):
    survey, page = draft()
    changes = [{"privacy_mode": "confidential"}, {"breakdown": "neighbourhood"}]
    assert at_the_same_moment(app, login_staff, editors, page, changes) == [302, 302]
    consultation = fresh(Consultation, survey.id)
    assert consultation.privacy_mode is PrivacyMode.CONFIDENTIAL and consultation.breakdown is Breakdown.NEIGHBOURHOOD
    changes = [{"privacy_mode": "named"}, {"privacy_mode": "anonymous"}]
    assert sorted(at_the_same_moment(app, login_staff, editors, page, changes)) == [302, 409]


# ---------------------------------------------------------------- the closing time of an open or closed consultation

def test_a_closing_time_moved_by_two_editors_is_refused_to_the_second(app, editors, make_survey, make_tenant,
                                                                      login_staff):
    """Both move the closing time of an open consultation: the second is told the time the first chose,
    instead of moving it again without knowing (tenants would get two mails with two times)."""
    make_tenant(editors[0].corporation)
    survey = make_survey(editors[0], closes_at=datetime(2030, 5, 1, 10, tzinfo=timezone.utc))
    page = f"/staff/consultations/{survey.id}/closing"
    second, refused = one_after_the_other(app, login_staff, editors, page,
                                          {"closes_at": "2030-05-10T12:00", "reason": "Later"},
                                          {"closes_at": "2030-05-20T12:00", "reason": "Veel later"})
    body = told(refused, "May 10, 2030, 12:00")
    assert fresh(Consultation, survey.id).closes_at == datetime(2030, 5, 10, 10, tzinfo=timezone.utc)
    again = read_forms(body)[""]
    assert again["reason"] == "Veel later" and again["closes_at"].startswith("2030-05-20")
    assert second.post(page, data=again).status_code == 302
    assert fresh(Consultation, survey.id).closes_at == datetime(2030, 5, 10, 10, tzinfo=timezone.utc) + timedelta(days=10)


def test_a_consultation_opened_again_by_two_editors_is_opened_once(app, editors, make_survey, make_tenant,
                                                                  login_staff):
    """Both open a closed consultation again: before, the second one's form moved the first one's closing
    time without a word, as if it were a change of the closing time."""
    make_tenant(editors[0].corporation)
    survey = make_survey(editors[0])
    base = f"/staff/consultations/{survey.id}"
    client = app.test_client()
    login_staff(client, editors[0])
    assert client.post_form(f"{base}/close", {}, token_from=base).status_code == 302
    _second, refused = one_after_the_other(app, login_staff, editors, f"{base}/closing",
                                           {"closes_at": "2030-05-10T12:00", "reason": "Te weinig"},
                                           {"closes_at": "2030-05-20T12:00", "reason": "Te weinig reacties"})
    told(refused, "May 10, 2030, 12:00")
    assert fresh(Consultation, survey.id).closes_at == datetime(2030, 5, 10, 10, tzinfo=timezone.utc)


# ---------------------------------------------------------------- the link to a renovation proposal

@pytest.fixture
def measurement(app, editor, make_complex, make_tenant):  # noqa: ANN001, ANN201
    """A support measurement for a complex of ten homes: its texts page."""
    from inspraak.consultations import support

    complex_ = make_complex(editor.corporation)
    for _ in range(10):
        make_tenant(editor.corporation, complex_=complex_)
    with app.test_request_context():
        consultation = support.create_support_measurement(editor.corporation_id, complex_, title={"nl": "Renovatie"},
                                                          source_language="nl", by=editor)
    db.session.commit()
    return consultation.id, f"/staff/consultations/{consultation.id}/texts"


def test_the_proposals_link_changed_by_two_editors_is_refused_to_the_second(app, editors, measurement, login_staff):
    consultation_id, page = measurement
    _second, refused = one_after_the_other(app, login_staff, editors, page,
                                           {"proposal_url": "https://example.org/plan-a.pdf"},
                                           {"proposal_url": "https://example.org/plan-b.pdf", "title_en": "Renovation"})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "It now reads: “<bdi>https://example.org/plan-a.pdf</bdi>”" in body
    consultation = fresh(Consultation, consultation_id)
    assert consultation.proposal_url == "https://example.org/plan-a.pdf" and "en" not in consultation.title


def test_the_proposals_link_left_as_shown_keeps_the_one_another_editor_saved(app, editors, measurement, login_staff):
    consultation_id, page = measurement
    _second, saved = one_after_the_other(app, login_staff, editors, page,
                                         {"proposal_url": "https://example.org/plan-a.pdf"}, {"title_en": "Renovation"})
    assert saved.status_code == 302
    consultation = fresh(Consultation, consultation_id)
    assert consultation.proposal_url == "https://example.org/plan-a.pdf" and consultation.title["en"] == "Renovation"
