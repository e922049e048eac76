"""A lost letter: staff find the invited person or household, make a new code, print one letter."""
from __future__ import annotations

import sqlalchemy as sa

from inspraak.consultations import invitations
from inspraak.consultations.models import CountingUnit, Invitation
from inspraak.core.audit import AuditEntry
from inspraak.core.once import new_token
from inspraak.core.security import format_code
from inspraak.extensions import db


def _invitation(survey_id: int) -> Invitation:
    db.session.expire_all()
    return db.session.scalar(sa.select(Invitation).where(Invitation.consultation_id == survey_id))


def _code(app, invitation: Invitation) -> str:  # noqa: ANN001
    with app.test_request_context():
        return invitations.code_of(invitation)


def test_data_entry_finds_a_tenant_and_the_new_code_replaces_the_old(app, client, editor, make_staff, make_tenant,
                                                                      make_survey, login_staff):
    tenant = make_tenant(editor.corporation, name="Fatma Demir")
    survey = make_survey(editor)
    old = _code(app, _invitation(survey.id))
    clerk = make_staff(editor.corporation, "data_entry")
    login_staff(client, clerk)
    base = f"/staff/consultations/{survey.id}"
    assert "A new code for a lost letter" in client.get(base + "?lang=en").get_data(as_text=True)
    for query in ("demir", tenant.person_number, "3500AA", f"3500 aa {tenant.tenancy.dwelling.house_number}"):
        html = client.get(f"{base}/codes", query_string={"query": query, "lang": "en"}).get_data(as_text=True)
        assert "Fatma Demir" in html, query
    assert "Nobody invited" in client.get(f"{base}/codes?query=9999ZZ&lang=en").get_data(as_text=True)
    invitation = _invitation(survey.id)
    r = client.post_form(f"{base}/invitations/{invitation.id}/reissue", {"generation": "1", "once": new_token()}, token_from=f"{base}/codes")
    assert r.status_code == 302 and r.location.endswith(f"/invitations/{invitation.id}/letter")
    invitation = _invitation(survey.id)
    new = _code(app, invitation)
    assert new != old and invitation.code_generation == 2
    letter = client.get(r.location + "?lang=en").get_data(as_text=True)
    # The letter is in the tenant's language (Dutch here) with Dutch beside it, whatever the clerk reads.
    assert letter.count('class="letter"') == 1 and "De code van de vorige brief werkt niet meer." in letter
    assert format_code(new) in letter
    [entry] = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "consultation.code_reissued"))
    assert entry.actor_id == clerk.id and entry.details == {"consultation_id": survey.id, "generation": 2}
    assert old not in str(entry.details) and new not in str(entry.details)
    tenant_client = app.test_client()
    assert tenant_client.post_form("/sign-in/code", {"code": old}).status_code == 400
    assert tenant_client.post_form("/sign-in/code", {"code": new}).status_code == 302


def test_a_second_click_does_not_make_yet_another_code(app, client, editor, make_tenant, make_survey, login_staff):
    make_tenant(editor.corporation)
    survey = make_survey(editor)
    login_staff(client, editor)
    client.get("/staff/consultations/?lang=en")  # messages are written in the reader's language when they arise
    invitation = _invitation(survey.id)
    url = f"/staff/consultations/{survey.id}/invitations/{invitation.id}/reissue"
    form = {"generation": "1", "once": new_token()}
    first = client.post_form(url, form, token_from="/staff/consultations/")
    assert first.status_code == 302
    code = _code(app, _invitation(survey.id))
    # The same form again (a double click, the browser resending it): the letter with the one new code.
    again = client.post_form(url, form, token_from="/staff/consultations/")
    assert again.status_code == 302 and again.location == first.location and first.location.endswith("/letter")
    assert _code(app, _invitation(survey.id)) == code and _invitation(survey.id).code_generation == 2
    # The same letter from another page (a second tab, a colleague): told, not given yet another code.
    r = client.post_form(url, {"generation": "1", "once": new_token()}, token_from="/staff/consultations/")
    assert r.status_code == 302 and r.location.endswith(f"/consultations/{survey.id}/codes")
    assert _code(app, _invitation(survey.id)) == code
    assert "Someone has just made a new code" in client.get(r.location + "?lang=en").get_data(as_text=True)


def test_no_new_code_once_the_household_has_answered(app, client, editor, make_tenant, make_survey, login_staff,
                                                     login_tenant):
    tenant = make_tenant(editor.corporation)
    survey = make_survey(editor, unit=CountingUnit.DWELLING)
    login_tenant(client, tenant)
    page = f"/consultations/{survey.id}/page/1"
    client.post_form(page, {f"q{survey.choice}": str(survey.car), "action": "next"}, token_from=page)
    client.post_form(f"/consultations/{survey.id}/page/2", {f"q{survey.score}": "7", "action": "next"}, token_from=page)
    assert client.post_form(f"/consultations/{survey.id}/review", {}, token_from=page).status_code == 302
    staff = app.test_client()
    login_staff(staff, editor)
    invitation = _invitation(survey.id)
    base = f"/staff/consultations/{survey.id}"
    html = staff.get(f"{base}/codes?query={tenant.person_number}&lang=en").get_data(as_text=True)
    assert "Has answered already" in html and "/reissue" not in html  # a household is found by a resident
    r = staff.post_form(f"{base}/invitations/{invitation.id}/reissue", {"generation": "1", "once": new_token()}, token_from=base)
    assert r.status_code == 302 and _invitation(survey.id).code_generation == 1


def test_reissue_needs_a_token_a_generation_and_an_open_consultation(app, client, editor, make_staff, make_tenant,
                                                                     make_survey, login_staff):
    make_tenant(editor.corporation)
    survey = make_survey(editor)
    draft = make_survey(editor, open=False)
    invitation = _invitation(survey.id)
    base = f"/staff/consultations/{survey.id}"
    login_staff(client, make_staff(editor.corporation, "publisher"))
    assert client.get(f"{base}/codes").status_code == 403
    login_staff(client, editor)
    assert client.post(f"{base}/invitations/{invitation.id}/reissue", data={"generation": "1"}).status_code == 400
    assert client.post_form(f"{base}/invitations/{invitation.id}/reissue", {}, token_from=base).status_code == 400
    assert client.get(f"/staff/consultations/{draft.id}/codes").status_code == 404
    assert client.get(f"/staff/consultations/{draft.id}/invitations/{invitation.id}/letter").status_code == 404
    assert client.get(f"{base}/codes?query=&lang=en").status_code == 400
    assert client.get(f"{base}/codes?lang=en").status_code == 200  # no search yet: no error
    client.post_form(f"{base}/close", {}, token_from=base)
    r = client.post_form(f"{base}/invitations/{invitation.id}/reissue", {"generation": "1", "once": new_token()}, token_from=base)
    assert r.status_code == 302 and _invitation(survey.id).code_generation == 1
    assert "only reissued while the consultation is open" in client.get(r.location + "?lang=en").get_data(as_text=True)
