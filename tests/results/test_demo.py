"""The demo holds a closed survey that a publisher can publish with real (unsuppressed) numbers."""
from __future__ import annotations

import sqlalchemy as sa

from inspraak.consultations.models import Consultation, ConsultationStatus
from inspraak.extensions import db
from inspraak.people.models import StaffUser
from inspraak.results import services


def _closed_demo_survey(app) -> Consultation:  # noqa: ANN001
    from inspraak.demo import load_demo

    with app.test_request_context():
        load_demo()
    db.session.commit()
    return db.session.scalar(sa.select(Consultation).where(Consultation.status == ConsultationStatus.CLOSED))


def test_demo_closed_survey_has_publishable_numbers_in_page_order(app):
    survey = _closed_demo_survey(app)
    with app.test_request_context():
        results = services.protected_results(survey)
    # Questions come in the order of the pages (the 0–10 mark is the first question of page 2).
    assert [q["type"] for q in results["questions"]] == [
        "yes_no", "scale", "single_choice", "multiple_choice", "score", "long_text"]
    assert results["participants"] >= 40
    for question in results["questions"][:4]:
        assert question["respondents"] == results["participants"]
        assert all(isinstance(option["count"], int) and option["count"] >= 10 for option in question["options"])
    assert all(isinstance(channel["count"], int) for channel in results["channels"])


def test_demo_publisher_previews_and_chooses_quotes_for_the_closed_survey(app, client):
    from inspraak.demo import DEMO_PASSWORD

    survey = _closed_demo_survey(app)
    publisher = db.session.scalar(sa.select(StaffUser).where(StaffUser.email == "publicatie@delinde.example"))
    client.post_form("/staff/sign-in", {"email": publisher.email, "password": DEMO_PASSWORD}, token_from="/staff/sign-in")
    preview = client.get(f"/staff/results/{survey.id}?lang=en").get_data(as_text=True)
    assert "Clean and safe stairwells" in preview and "Not published yet" in preview
    answers = client.get(f"/staff/results/{survey.id}/answers?lang=en")
    page = answers.get_data(as_text=True)
    assert "Een lamp met een bewegingssensor bij de voordeur." in page
    assert "May identify someone: a phone number" in page
