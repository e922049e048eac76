"""Tenants answer online: pages, drafts, review, one response per unit, anonymity."""
from __future__ import annotations

import sqlalchemy as sa

from inspraak.consultations.models import Answer, Draft, Participation, PrivacyMode, Response
from inspraak.consultations import invitations
from inspraak.extensions import db


def _answer_all(client, survey, *, lang=None):  # noqa: ANN001, ANN202
    base = f"/consultations/{survey.id}"
    token_from = f"{base}/page/1"
    r = client.post_form(f"{base}/page/1", {f"q{survey.choice}": str(survey.bike), f"q{survey.why}": "Gezond",
                                            "action": "next"}, token_from=token_from)
    assert r.status_code == 302 and r.location.endswith("/page/2"), r.get_data(as_text=True)[:3000]
    r = client.post_form(f"{base}/page/2", {f"q{survey.score}": "8", "action": "next"}, token_from=token_from)
    assert r.status_code == 302 and r.location.endswith("/review")
    return client.post_form(f"{base}/review", {}, token_from=token_from)


def test_tenant_answers_page_by_page_and_sees_the_confirmation(client, editor, make_survey, make_tenant, login_tenant):
    survey = make_survey(editor, open=False)
    person = make_tenant(editor.corporation, language="tr")
    invitations.open_consultation(survey.consultation, by=editor)
    db.session.commit()
    login_tenant(client, person)
    listing = client.get("/consultations").get_data(as_text=True)
    assert "İşe nasıl gidiyorsunuz?" in listing
    assert client.get(f"/consultations/{survey.id}").status_code == 200
    page = client.get(f"/consultations/{survey.id}/page/1").get_data(as_text=True)
    assert "Bisiklet" in page and "Sayfa" in page or "1" in page
    response = _answer_all(client, survey)
    assert response.status_code == 302 and response.location.endswith("/done"), response.get_data(as_text=True)[:4000]
    assert client.get(f"/consultations/{survey.id}/done").status_code == 200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Draft)) == 0
