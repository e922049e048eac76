"""A new consultation, page, question, choice or matrix row sent twice (a double click, a resent form) is made once."""
from __future__ import annotations

import sqlalchemy as sa

from inspraak.consultations.models import Consultation, MatrixRow, Option, Question, Section
from inspraak.extensions import db
from tests.once import rows, sent_twice


def test_a_new_consultation_sent_twice_is_made_once(client, editor, login_staff):
    login_staff(client, editor)
    page = "/staff/consultations/new"
    location = sent_twice(client, page, lambda: {"title": "Tuin", "source_language": "nl", "kind": "survey",
                                                 "complex_id": "0"}, page=page, count=lambda: rows(Consultation))
    made = db.session.scalar(sa.select(Consultation.id))
    db.session.commit()
    assert location.endswith(f"/staff/consultations/{made}")


def test_a_page_a_question_and_its_choices_sent_twice_are_added_once(client, editor, make_survey, login_staff):
    survey = make_survey(editor, open=False)
    cid = survey.id
    login_staff(client, editor)
    base = f"/staff/consultations/{cid}"
    location = sent_twice(client, f"{base}/sections", dict, page=base,
                          count=lambda: rows(Section, Section.consultation_id == cid))
    assert location.endswith(f"{base}#pages")
    section_id = db.session.scalar(sa.select(sa.func.max(Section.id)).where(Section.consultation_id == cid))
    db.session.commit()
    new_q = f"{base}/sections/{section_id}/questions/new"
    location = sent_twice(client, new_q, lambda: {"type": "matrix", "text_nl": "Hoe vindt u", "match": "all"},
                          page=new_q, count=lambda: rows(Question, Question.section_id == section_id))
    matrix = db.session.scalar(sa.select(Question.id).where(Question.section_id == section_id))
    db.session.commit()
    q_page = f"{base}/questions/{matrix}"
    assert location.endswith(q_page)
    for kind, model in (("options", Option), ("rows", MatrixRow)):
        location = sent_twice(client, f"{q_page}/{kind}", lambda kind=kind: {f"{kind}-label_nl": "Goed"}, page=q_page,
                              count=lambda model=model: rows(model, model.question_id == matrix))
        assert location.endswith(f"{q_page}#choices")

