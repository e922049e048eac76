"""Proposal documents of a support measurement: PDFs uploaded by editors, downloaded by invited tenants only."""
from __future__ import annotations

import io
import os
import re

import pytest

import sqlalchemy as sa

from inspraak.consultations import answering, documents, invitations, support
from inspraak.consultations.models import Channel, Consultation, Document
from inspraak.core.audit import AuditEntry
from inspraak.core.once import new_token
from inspraak.extensions import db
from tests.once import rows, sent_twice
from tests.uploads import refused_file_cases, without_a_file, without_a_file_cases

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"


def _measurement(app, editor, make_complex, make_tenant, *, open_it: bool = False):  # noqa: ANN001, ANN202
    complex_ = make_complex(editor.corporation)
    tenants = [make_tenant(complex_=complex_) for _ in range(10)]
    with app.test_request_context():
        consultation = support.create_support_measurement(
            editor.corporation_id, complex_, title={"nl": "Renovatie"}, source_language="nl", by=editor)
        db.session.flush()
        if open_it:
            invitations.open_consultation(consultation, by=editor)
    db.session.commit()
    return consultation.id, tenants


def _upload(client, cid: int, name: str = "plan.pdf", data: bytes = PDF):  # noqa: ANN001, ANN202
    base = f"/staff/consultations/{cid}"
    return client.post(f"{base}/documents", data={"csrf_token": client.csrf_token(base), "once": new_token(),
                                                  "document": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def _documents(cid: int) -> list[Document]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Document).where(Document.consultation_id == cid)))


def test_a_document_sent_twice_is_added_once(app, client, editor, make_complex, make_tenant, login_staff):
    cid, _tenants = _measurement(app, editor, make_complex, make_tenant)
    login_staff(client, editor)
    base = f"/staff/consultations/{cid}"
    location = sent_twice(client, f"{base}/documents", lambda: {"document": (io.BytesIO(PDF), "plan.pdf")}, page=base,
                          count=lambda: rows(Document, Document.consultation_id == cid))
    assert location.endswith(f"{base}#documents")


def test_an_editor_attaches_a_pdf_and_invited_tenants_download_it(app, client, editor, make_complex, make_tenant,
                                                                  login_staff, login_tenant):
    cid, tenants = _measurement(app, editor, make_complex, make_tenant)
    login_staff(client, editor)
    r = _upload(client, cid, "Renovatieplan 2027.pdf")
    assert r.status_code == 302 and r.location.endswith("#documents")
    [document] = _documents(cid)
    assert document.original_name == "Renovatieplan_2027.pdf" and document.content_type == "application/pdf"
    [entry] = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "consultation.document_added"))
    assert entry.details == {"document_id": document.id, "name": "Renovatieplan_2027.pdf"}
    staff_copy = client.get(f"/staff/consultations/{cid}/documents/{document.id}")
    assert staff_copy.status_code == 200 and staff_copy.data == PDF
    base = f"/staff/consultations/{cid}"
    assert client.post_form(f"{base}/open", {}, token_from=base).status_code == 302
    tenant = app.test_client()
    login_tenant(tenant, tenants[0])
    intro = tenant.get(f"/consultations/{cid}?lang=en").get_data(as_text=True)
    link = f"/consultations/{cid}/documents/{document.id}"
    assert link in intro and "Renovatieplan_2027.pdf" in intro
    assert link in tenant.get(f"/consultations/{cid}/page/1").get_data(as_text=True)
    download = tenant.get(link)
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert "attachment" in download.headers["Content-Disposition"]
    # A document added while open shows at once (the tenant-side copy of the consultation is renewed).
    assert _upload(client, cid, "Tekeningen.pdf").status_code == 302
    assert "Tekeningen.pdf" in tenant.get(f"/consultations/{cid}?lang=en").get_data(as_text=True)


def test_only_those_invited_download_the_documents(app, client, editor, make_complex, make_tenant, make_corporation,
                                                    login_staff, login_tenant):
    cid, _tenants = _measurement(app, editor, make_complex, make_tenant, open_it=True)
    with app.test_request_context():
        consultation = db.session.get(Consultation, cid)
        document = documents.add_document(consultation, io.BytesIO(PDF), "plan.pdf", by=editor)
    db.session.commit()
    link = f"/consultations/{cid}/documents/{document.id}"
    login_tenant(client, make_tenant(editor.corporation))  # same corporation, another complex: not invited
    assert client.get(link).status_code == 404
    login_tenant(client, make_tenant(make_corporation()))  # another corporation
    assert client.get(link).status_code == 404
    assert app.test_client().get(link).status_code == 302  # signed out: to the sign-in page


@refused_file_cases
def test_only_pdfs_and_a_clear_message_beside_the_file_field_otherwise(
        app, client, editor, make_complex, make_tenant, login_staff, filename, content, message):
    """A refused file redirected to the overview with its message at the top; the page now comes back (400) with the
    message beside the file field, which has the focus, and nothing stored."""
    app.config["CONSULTATION_DOCUMENT_MAX_BYTES"] = 1024 * 1024
    cid, _tenants = _measurement(app, editor, make_complex, make_tenant)
    login_staff(client, editor)
    client.get(f"/staff/consultations/{cid}?lang=en")  # messages are written in the reader's language when they arise
    stored = set(os.listdir(documents.storage_dir()))
    r = _upload(client, cid, filename.replace(".exe", ".docx"), content)
    body = r.get_data(as_text=True)
    assert r.status_code == 400
    message = message.replace("not allowed.", "not allowed. Use PDF.")
    assert f'<p class="error-message" id="document-error">{message}</p>' in body
    assert body.count(message) == 1 and body.count('class="error-message"') == 1  # beside the field, not at the top
    assert re.search(r'<input[^>]*aria-invalid="true"[^>]*autofocus[^>]*id="document"', body)
    assert _documents(cid) == []
    assert set(os.listdir(documents.storage_dir())) == stored


def test_a_file_without_a_csrf_token_is_refused(app, client, editor, make_complex, make_tenant, login_staff):
    cid, _tenants = _measurement(app, editor, make_complex, make_tenant)
    login_staff(client, editor)
    base = f"/staff/consultations/{cid}"
    r = client.post(f"{base}/documents", data={"document": (io.BytesIO(PDF), "plan.pdf"), "once": new_token()},
                    content_type="multipart/form-data")
    assert r.status_code == 400
    assert _documents(cid) == []


@pytest.mark.parametrize("lang, message", [("en", "Choose a PDF file."), ("nl", "Kies een PDF-bestand.")])
@without_a_file_cases
def test_a_document_sent_without_a_file_comes_back_with_the_message_beside_the_file_field(
        app, client, editor, make_complex, make_tenant, login_staff, empty_part, lang, message):
    """It redirected to the consultation with the message at the top; now the page comes back (400), the message
    beside the file field, which has the focus, and nothing is stored."""
    cid, _tenants = _measurement(app, editor, make_complex, make_tenant)
    login_staff(client, editor)
    base = f"/staff/consultations/{cid}"
    data = without_a_file({"csrf_token": client.csrf_token(base), "once": new_token()}, empty_part=empty_part)
    r = client.post(f"{base}/documents?lang={lang}", data=data, content_type="multipart/form-data")
    body = r.get_data(as_text=True)
    assert r.status_code == 400
    assert f'<p class="error-message" id="document-error">{message}</p>' in body
    assert re.search(r'<input[^>]*aria-describedby="document-error"[^>]*aria-invalid="true"[^>]*autofocus[^>]*'
                     r'id="document"[^>]*type="file"', body)
    assert f'action="{base}/documents"' in body and _documents(cid) == []


def test_documents_are_fixed_once_a_dwelling_has_answered(app, client, editor, make_complex, make_tenant,
                                                           login_staff):
    cid, _tenants = _measurement(app, editor, make_complex, make_tenant, open_it=True)
    login_staff(client, editor)
    assert _upload(client, cid).status_code == 302
    [document] = _documents(cid)
    with app.test_request_context():
        consultation = db.session.get(Consultation, cid)
        unit = invitations.list_invitations(consultation)[0].unit_key
        answering.submit_response(consultation, unit_key=unit, answers={consultation.questions[0].id: True},
                                  channel=Channel.PAPER)
    db.session.commit()
    base = f"/staff/consultations/{cid}"
    html = client.get(f"{base}?lang=en").get_data(as_text=True)
    assert "the documents can no longer change" in html and "Add the document" not in html
    _upload(client, cid, "later.pdf")
    assert "A dwelling has answered already." in client.get(f"{base}?lang=en").get_data(as_text=True)
    assert client.post_form(f"{base}/documents/{document.id}/delete", {}, token_from=base).status_code == 409
    assert [d.id for d in _documents(cid)] == [document.id]


def test_an_editor_removes_a_document_before_anyone_answers(app, client, editor, make_complex, make_tenant,
                                                            make_staff, make_survey, login_staff):
    cid, _tenants = _measurement(app, editor, make_complex, make_tenant)
    login_staff(client, editor)
    _upload(client, cid)
    [document] = _documents(cid)
    base = f"/staff/consultations/{cid}"
    with app.test_request_context():
        stored = documents.document_path(document)
    assert client.post_form(f"{base}/documents/{document.id}/delete", {}, token_from=base).status_code == 302
    assert _documents(cid) == []
    assert not os.path.exists(stored)
    # A survey has no proposal documents; data entry staff cannot add any.
    survey = make_survey(editor, open=False)
    assert _upload(client, survey.id).status_code == 404
    login_staff(client, make_staff(editor.corporation, "data_entry"))
    assert _upload(client, cid).status_code == 403


def test_a_document_whose_file_is_gone_is_not_found_and_logged(app, client, editor, make_complex, make_tenant,
                                                               login_staff, login_tenant, caplog):
    """A database restored without its files: the download answers the "not found" page, not an error page."""
    cid, tenants = _measurement(app, editor, make_complex, make_tenant)
    login_staff(client, editor)
    assert _upload(client, cid, "plan.pdf").status_code == 302
    [document] = _documents(cid)
    base = f"/staff/consultations/{cid}"
    assert client.post_form(f"{base}/open", {}, token_from=base).status_code == 302
    with app.app_context():
        os.remove(documents.document_path(document))
    tenant = app.test_client()
    login_tenant(tenant, tenants[0])
    for reader, link in ((client, f"{base}/documents/{document.id}"),
                         (tenant, f"/consultations/{cid}/documents/{document.id}")):
        response = reader.get(link + "?lang=nl")
        assert response.status_code == 404, link
        assert "<h1" in response.get_data(as_text=True)  # the site's own page
    assert "missing from disk" in caplog.text and document.stored_name in caplog.text
