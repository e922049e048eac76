"""The demo data holds an open survey with a condition and a support measurement that staff can work with
(and a closed survey for the publisher: tests/results/test_demo.py)."""
from __future__ import annotations

import sqlalchemy as sa

from inspraak.consultations.models import Consultation, ConsultationStatus
from inspraak.extensions import db
from inspraak.people.models import StaffUser


def test_demo_consultations_are_open_and_render(app, client):
    from inspraak.demo import DEMO_PASSWORD, load_demo

    with app.test_request_context():
        load_demo()
    db.session.commit()
    consultations = db.session.scalars(sa.select(Consultation).order_by(Consultation.id)).all()
    assert [c.status for c in consultations] == [ConsultationStatus.OPEN, ConsultationStatus.OPEN,
                                                  ConsultationStatus.CLOSED]
    assert any(q.condition for q in consultations[0].questions)
    assert consultations[1].is_support_measurement and consultations[1].total_units == 30
    [document] = consultations[1].documents
    assert document.original_name == "Renovatieplan_Neckardreef.pdf"
    ids = [c.id for c in consultations[:2]]
    editor = db.session.scalar(sa.select(StaffUser).where(StaffUser.email == "redactie@delinde.example"))
    db.session.commit()
    client.post_form("/staff/sign-in", {"email": editor.email, "password": DEMO_PASSWORD})
    for cid in ids:
        assert client.get(f"/staff/consultations/{cid}").status_code == 200
        letters = client.get(f"/staff/consultations/{cid}/letters")
        assert letters.status_code == 200 and 'class="letter"' in letters.get_data(as_text=True)
    assert "presumed reasonable" in client.get(f"/staff/consultations/{ids[1]}?lang=en").get_data(as_text=True)
    pdf = client.get(f"/staff/consultations/{ids[1]}/documents/{document.id}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-") and pdf.data.endswith(b"%%EOF\n")
