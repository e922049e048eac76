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


def test_the_sign_in_help_leads_each_demo_tenant_to_something_to_do(app, monkeypatch):
    """What `make run` prints: whole addresses on the port it serves, a letter's QR address, the five tenants
    (who live where the open survey asks), a home of the Neckardreef complex for the support measurement,
    and that the closed survey's results wait for the publisher."""
    import re

    from inspraak.demo import load_demo

    monkeypatch.setitem(app.config, "BASE_URL", "http://127.0.0.1:5104")
    with app.test_request_context():
        text = "\n".join(load_demo())
    db.session.commit()
    survey, measurement, closed = db.session.scalars(sa.select(Consultation.id).order_by(Consultation.id)).all()
    assert "http://127.0.0.1:5104/staff/sign-in" in text and "http://127.0.0.1:5104/sign-in" in text

    def consultations_of(code: str, via_qr: bool = False) -> str:
        client = app.test_client()
        page = f"/c/{code.replace('-', '')}" if via_qr else "/sign-in"
        assert client.get(page).status_code == 200
        assert client.post_form("/sign-in/code", {"code": code}, token_from=page).status_code == 302
        return client.get("/consultations").get_data(as_text=True)

    tenants = re.findall(r"^  (nl|en|tr|ar|pl)  code (\S+) ", text, re.M)
    assert len(tenants) == 5
    for _lang, code in tenants:
        assert f"/consultations/{survey}" in consultations_of(code)
    qr = re.search(r"http://127\.0\.0\.1:5104/c/([A-Z0-9]{12})\b", text).group(1)
    assert f"/consultations/{survey}" in consultations_of(qr, via_qr=True)
    home = re.search(r"support measurement.*\n  .*code (\S+) ", text).group(1)
    assert f"/consultations/{measurement}" in consultations_of(home)
    assert re.search(r"publisher.*publish", text, re.I) and db.session.get(Consultation, closed).title["nl"] in text
