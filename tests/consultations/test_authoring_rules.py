"""Authoring rules: limits a question may have, and what a condition may point to."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from inspraak.consultations import services
from inspraak.consultations.models import Question, QuestionType
from inspraak.core.errors import DomainError
from inspraak.extensions import db


def _draft(make_survey, editor):  # noqa: ANN001, ANN202
    survey = make_survey(editor, open=False)
    consultation = survey.consultation
    return survey, consultation, consultation.sections[0]


# ---------------------------------------------------------------- scales

def test_a_scale_has_at_most_eleven_points(app, editor, make_survey):
    _survey, consultation, section = _draft(make_survey, editor)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        services.add_question(consultation, section, type=QuestionType.SCALE, text={"nl": "Cijfer"}, required=False,
                              settings={"min": 0, "max": 10}, by=editor)
        for low, high in ((0, 11), (-2000000000, 2000000000), (1, 12)):
            with pytest.raises(DomainError, match="at most 11 points"):
                services.add_question(consultation, section, type=QuestionType.SCALE, text={"nl": "Cijfer"}, required=False,
                                      settings={"min": low, "max": high}, by=editor)
    db.session.rollback()


def test_an_editor_cannot_save_a_huge_scale(client, editor, make_survey, login_staff):
    _survey, consultation, section = _draft(make_survey, editor)
    login_staff(client, editor)
    new_q = f"/staff/consultations/{consultation.id}/sections/{section.id}/questions/new"
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Question))
    r = client.post_form(new_q + "?lang=en", {"type": "scale", "text_nl": "Hoe tevreden?", "match": "all",
                                              "min": "-2000000000", "max": "2000000000"}, token_from=new_q)
    assert r.status_code == 400 and "at most 11 points" in r.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Question)) == before


def test_a_condition_on_a_scale_from_zero_offers_zero(client, editor, make_survey, login_staff):
    _survey, consultation, section = _draft(make_survey, editor)
    with client.application.test_request_context():
        scale = services.add_question(consultation, section, type=QuestionType.SCALE, text={"nl": "Cijfer"}, required=False,
                                      settings={"min": 0, "max": 4}, by=editor)
    db.session.commit()
    login_staff(client, editor)
    new_q = f"/staff/consultations/{consultation.id}/sections/{section.id}/questions/new"
    page = client.get(new_q).get_data(as_text=True)
    assert f'value="{scale.id}|0"' in page and f'value="{scale.id}|4"' in page
    assert f'value="{scale.id}|5"' not in page
