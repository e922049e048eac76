"""Anonymous responses cannot be linked to anyone; participation rows carry no answer."""
from __future__ import annotations

import sqlalchemy as sa

from inspraak.consultations.models import Answer, Participation, Response
from inspraak.extensions import db

# The place columns are coarse (neighbourhood, complex), filled only when staff chose a breakdown.
ALLOWED_RESPONSE_COLUMNS = {"id", "consultation_id", "submitted_on", "unit_key", "person_id", "channel", "changed_on",
                            "neighbourhood_id", "complex_id"}


def test_the_tables_have_no_link_and_no_fine_time():
    response_columns = {c.name for c in Response.__table__.columns}
    assert response_columns == ALLOWED_RESPONSE_COLUMNS
    assert isinstance(Response.__table__.c.submitted_on.type, sa.Date)
    participation_columns = {c.name for c in Participation.__table__.columns}
    assert participation_columns == {"id", "consultation_id", "unit_key", "channel", "taken_part_on"}
    assert isinstance(Participation.__table__.c.taken_part_on.type, sa.Date)
    assert not [fk for fk in Participation.__table__.foreign_keys if fk.column.table is not None
                and fk.column.table.name in ("consultation_response", "consultation_answer")]
    assert {c.name for c in Answer.__table__.columns} >= {"response_id"}
    assert "person_id" not in {c.name for c in Answer.__table__.columns}


def test_an_anonymous_response_stores_no_person_unit_or_time(client, editor, make_survey, make_tenant, login_tenant):
    person = make_tenant(editor.corporation)
    survey = make_survey(editor)
    login_tenant(client, person)
    page = f"/consultations/{survey.id}/page/1"
    client.post_form(page, {f"q{survey.choice}": str(survey.car), "action": "next"}, token_from=page)
    client.post_form(f"/consultations/{survey.id}/page/2", {f"q{survey.score}": "4", "action": "next"},
                     token_from=page)
    assert client.post_form(f"/consultations/{survey.id}/review", {}, token_from=page).status_code == 302
    response = db.session.scalar(sa.select(Response))
    assert response.person_id is None and response.unit_key is None and response.channel is None
    assert response.neighbourhood_id is None and response.complex_id is None  # no breakdown chosen
    assert len(response.id) == 32 and not response.id.isdigit()  # random, not a sequence
    participation = db.session.scalar(sa.select(Participation))
    assert participation.unit_key == f"p{person.id}"
    db.session.commit()


def test_on_sqlite_responses_are_not_stored_in_insertion_order(app):
    if db.engine.dialect.name != "sqlite":
        return
    sql = db.session.scalars(sa.text(
        "SELECT sql FROM sqlite_master WHERE name IN ('consultation_response', 'consultation_answer')")).all()
    db.session.commit()
    assert len(sql) == 2 and all("WITHOUT ROWID" in s for s in sql)
