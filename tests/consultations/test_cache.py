"""The tenant-side cache of consultations follows every change staff make (inspraak/consultations/cache.py)."""
from __future__ import annotations

from inspraak.consultations import cache, invitations, queries, questions
from inspraak.extensions import db


def _page(client, survey, number=1):  # noqa: ANN001, ANN202
    return client.get(f"/consultations/{survey.id}/page/{number}?lang=en").get_data(as_text=True)


def test_a_corrected_question_text_and_choice_label_show_at_once(app, client, editor, make_survey, make_tenant,
                                                                  login_tenant):
    person = make_tenant(editor.corporation)
    survey = make_survey(editor)
    login_tenant(client, person)
    assert "How do you travel?" in _page(client, survey)  # now cached
    with app.test_request_context():
        consultation = queries.get_consultation(editor.corporation_id, survey.id)
        question = queries.get_question(consultation, survey.choice)
        questions.update_question(question, text={**question.text, "en": "How do you usually travel?"},
                                  help=question.help, required=question.required, settings=question.settings,
                                  condition=question.condition)
        db.session.commit()
    assert "How do you usually travel?" in _page(client, survey)
    with app.test_request_context():
        consultation = queries.get_consultation(editor.corporation_id, survey.id)
        option = next(o for o in queries.get_question(consultation, survey.choice).options if o.id == survey.car)
        questions.update_label(option, {**option.label, "en": "Motor car"}, "nl")
        db.session.commit()
    assert "Motor car" in _page(client, survey)


def test_closing_shows_at_once(app, client, editor, make_survey, make_tenant, login_tenant):
    person = make_tenant(editor.corporation)
    survey = make_survey(editor)
    login_tenant(client, person)
    assert 'value="next"' in _page(client, survey)
    with app.test_request_context():
        invitations.close_consultation(queries.get_consultation(editor.corporation_id, survey.id), by=editor)
        db.session.commit()
    assert 'value="next"' not in _page(client, survey)


def test_cached_copies_belong_to_one_application_and_are_read_only(app, client, editor, make_survey, make_tenant,
                                                                    login_tenant):
    person = make_tenant(editor.corporation)
    survey = make_survey(editor)
    login_tenant(client, person)
    _page(client, survey)
    with app.test_request_context():
        first = cache.get(editor.corporation_id, survey.id)
        assert first is cache.get(editor.corporation_id, survey.id)
        assert first not in db.session  # detached: a commit elsewhere cannot expire it
        assert {q.id for q in first.questions} == {survey.choice, survey.why, survey.score}
        cache.clear()
        assert cache.get(editor.corporation_id, survey.id) is not first
