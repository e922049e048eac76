"""Opening freezes the audience; personal codes sign in once; letters, mail, reminders and rates."""
from __future__ import annotations

import re

import sqlalchemy as sa

from inspraak.consultations import addressing, invitations
from inspraak.consultations.models import AudienceScope, CountingUnit, Invitation
from inspraak.extensions import db
from inspraak.notify.models import OutboxMessage


def _codes(app, survey_id: int) -> list[str]:  # noqa: ANN001
    rows = db.session.scalars(sa.select(Invitation).where(Invitation.consultation_id == survey_id)).all()
    with app.test_request_context():
        return [invitations.code_of(row) for row in rows]


def test_opening_invites_current_tenants_of_the_chosen_complexes(app, editor, make_complex, make_tenant, make_survey):
    chosen = make_complex(editor.corporation)
    other = make_complex(editor.corporation)
    first = make_tenant(complex_=chosen)
    make_tenant(tenancy=first.tenancy)
    make_tenant(complex_=chosen, end=first.tenancy.start_date.replace(year=2021))  # moved out
    make_tenant(complex_=other)
    by_person = make_survey(editor, scope=AudienceScope.COMPLEXES, complexes=[chosen])
    by_home = make_survey(editor, scope=AudienceScope.COMPLEXES, complexes=[chosen], unit=CountingUnit.DWELLING)
    count = lambda sid: db.session.scalar(  # noqa: E731
        sa.select(sa.func.count()).select_from(Invitation).where(Invitation.consultation_id == sid))
    assert count(by_person.id) == 2
    assert count(by_home.id) == 1


def test_codes_are_stored_as_digests_only(app, editor, make_tenant, make_survey):
    make_tenant(editor.corporation)
    survey = make_survey(editor)
    code = _codes(app, survey.id)[0]
    stored = db.session.scalar(sa.select(Invitation))
    assert code not in (stored.code_digest, stored.code_salt) and len(stored.code_digest) == 64


def test_a_code_signs_in_to_the_consultation_and_works_once(app, client, editor, make_tenant, make_survey):
    make_tenant(editor.corporation)
    survey = make_survey(editor)
    code = _codes(app, survey.id)[0]
    db.session.commit()
    r = client.post_form("/sign-in/code", {"code": code})
    assert r.status_code == 302 and r.location.endswith(f"/consultations/{survey.id}")
    page = f"/consultations/{survey.id}/page/1"
    client.post_form(page, {f"q{survey.choice}": str(survey.car), "action": "next"}, token_from=page)
    client.post_form(f"/consultations/{survey.id}/page/2", {f"q{survey.score}": "9", "action": "next"},
                     token_from=page)
    assert client.post_form(f"/consultations/{survey.id}/review", {}, token_from=page).status_code == 302
    other = app.test_client()
    assert other.post_form("/sign-in/code", {"code": code}).status_code == 400


def test_a_household_code_signs_in_the_first_current_person(app, client, editor, make_tenant, make_survey):
    first = make_tenant(editor.corporation, name="Eerste Bewoner")
    make_tenant(tenancy=first.tenancy, name="Tweede Bewoner")
    survey = make_survey(editor, unit=CountingUnit.DWELLING)
    code = _codes(app, survey.id)[0]
    db.session.commit()
    assert client.post_form("/sign-in/code", {"code": code}).status_code == 302
    assert "Eerste Bewoner" in client.get("/my").get_data(as_text=True)


def test_letters_print_one_page_per_invitation_with_a_qr_code(client, editor, make_tenant, make_survey, login_staff):
    make_tenant(editor.corporation, language="ar")
    make_tenant(editor.corporation)
    survey = make_survey(editor)
    login_staff(client, editor)
    html = client.get(f"/staff/consultations/{survey.id}/letters").get_data(as_text=True)
    assert html.count('class="letter"') == 2
    assert html.count("data:image/svg+xml") == 2
    assert 'lang="ar" dir="rtl"' in html and 'lang="nl" dir="ltr"' in html


def test_mail_goes_to_known_addresses_and_reminders_only_to_who_did_not_answer(
        app, client, editor, make_tenant, make_survey, login_staff):
    make_tenant(editor.corporation, email="een@example.org", language="tr")
    make_tenant(editor.corporation, email="twee@example.org")
    make_tenant(editor.corporation)
    survey = make_survey(editor)
    with app.test_request_context():
        assert addressing.send_invitations(survey.consultation, reminder=False, by=editor) == 2
        assert addressing.send_invitations(survey.consultation, reminder=False, by=editor) == 0
    db.session.commit()
    turkish = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.to_address == "een@example.org"))
    assert turkish.language == "tr" and "/c/" in turkish.body_text
    from inspraak.consultations import answering
    from inspraak.consultations.models import Channel

    invitation = db.session.scalar(sa.select(Invitation).where(Invitation.person_id.is_not(None))
                                   .join(Invitation.person).where(sa.text("person.email = 'twee@example.org'")))
    with app.test_request_context():
        answering.submit_response(survey.consultation, unit_key=invitation.unit_key,
                                  answers={survey.choice: {"option": survey.car}, survey.score: 5},
                                  channel=Channel.ONLINE)
        assert addressing.send_invitations(survey.consultation, reminder=True, by=editor) == 1
        rate = invitations.response_rate(survey.consultation)
    db.session.commit()
    assert rate.invited == 3 and rate.by_channel == {"online": 1, "paper": 0, "assisted": 0}


def test_letters_keep_address_code_and_phone_left_to_right_in_arabic(client, editor, make_tenant, make_survey,
                                                                    login_staff):
    """In an Arabic sentence a phone number's groups came out in reverse ("00 00 000 030"): each is isolated."""
    make_tenant(editor.corporation, language="ar")
    survey = make_survey(editor)
    login_staff(client, editor)
    html = client.get(f"/staff/consultations/{survey.id}/letters").get_data(as_text=True)
    arabic = html.split('lang="ar" dir="rtl"', 1)[1].split('lang="nl"', 1)[0]
    assert '<span dir="ltr">030 000 00 00</span>' in arabic
    assert re.search(r'<span dir="ltr">[^<]*/code</span>', arabic)
    assert re.search(r'<span dir="ltr">[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}</span>', arabic)
    # The sender and the address for the window envelope are a Dutch postal address: left to right, whatever the
    # language of the page that prints them.
    arabic_page = client.get(f"/staff/consultations/{survey.id}/letters?lang=ar").get_data(as_text=True)
    assert '<div class="letter-sender" dir="ltr">' in arabic_page and '<address class="letter-address" dir="ltr">' in arabic_page


def test_letters_isolate_and_escape_the_name_and_the_title_in_arabic(client, editor, make_tenant, make_survey,
                                                                      login_staff):
    """The Dutch title's question mark stood at its start in the Arabic sentence."""
    make_tenant(editor.corporation, language="ar", name="<script>x</script> (fase 2)")
    survey = make_survey(editor)
    login_staff(client, editor)
    html = client.get(f"/staff/consultations/{survey.id}/letters").get_data(as_text=True)
    assert "<p>عزيزي/عزيزتي <bdi>&lt;script&gt;x&lt;/script&gt; (fase 2)</bdi>،</p>" in html
    assert "<p>نريد أن نعرف رأيك: «<bdi>Hoe gaat u naar uw werk?</bdi>».</p>" in html
    assert "<script>x" not in html


def test_a_letter_without_a_phone_number_does_not_ask_to_call(client, editor, make_tenant, make_survey, login_staff):
    editor.corporation.contact_phone = None
    make_tenant(editor.corporation)
    survey = make_survey(editor)
    db.session.commit()
    login_staff(client, editor)
    html = client.get(f"/staff/consultations/{survey.id}/letters").get_data(as_text=True)
    assert "Bel ons op" not in html and "Houd deze code voor uzelf." in html


def test_an_arabic_invitation_mail_keeps_the_code_and_the_phone_number_left_to_right(app, editor, make_tenant,
                                                                                    make_survey):
    make_tenant(editor.corporation, email="ar@example.org", language="ar")
    survey = make_survey(editor)
    with app.test_request_context():
        assert addressing.send_invitations(survey.consultation, reminder=False, by=editor) == 1
    db.session.commit()
    mail = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.to_address == "ar@example.org"))
    assert '<span dir="ltr">030 000 00 00</span>' in mail.body_html
    assert re.search(r'<span dir="ltr">[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}</span>', mail.body_html)
    assert "<span" not in mail.body_text


def test_no_letters_for_a_closed_consultation(app, client, editor, make_tenant, make_survey, login_staff):
    """A letter asks its reader to answer; reached by an old bookmark after closing, the page says why there are none."""
    make_tenant(editor.corporation)
    survey = make_survey(editor)
    with app.test_request_context():
        invitations.close_consultation(survey.consultation, by=editor)
    db.session.commit()
    login_staff(client, editor)
    for address in (f"/staff/consultations/{survey.id}/letters?lang=en", f"/staff/consultations/{survey.id}/letters?open=1"):
        r = client.get(address)
        html = r.get_data(as_text=True)
        assert r.status_code == 409 and 'class="letter"' not in html
    assert "so no letters can be printed" in client.get(f"/staff/consultations/{survey.id}/letters?lang=en").get_data(as_text=True)


def test_a_household_letter_greets_the_residents_in_each_letters_language(client, editor, make_tenant, make_survey,
                                                                          login_staff):
    """A Turkish household's letter said "Sayın De bewoners van …" (Dutch, from the staff page) and the Dutch one
    "Beste De bewoners van …": each body now greets the residents in its own language."""
    make_tenant(editor.corporation, language="tr")
    survey = make_survey(editor, unit=CountingUnit.DWELLING)
    login_staff(client, editor)
    html = client.get(f"/staff/consultations/{survey.id}/letters").get_data(as_text=True)
    turkish = html.split('class="letter-body" lang="tr"', 1)[1].split('class="letter-body"', 1)[0]
    dutch = html.split('class="letter-body" lang="nl"', 1)[1]
    assert "bewoners" not in turkish and "adresinde oturanlar" in turkish
    assert "Beste <bdi>bewoners van Teststraat" in dutch and "Beste De bewoners" not in html


def test_a_household_mail_names_the_residents_in_the_mails_language(app, editor, make_tenant, make_survey):
    make_tenant(editor.corporation, email="ev@example.org", language="tr")
    survey = make_survey(editor, unit=CountingUnit.DWELLING)
    with app.test_request_context():
        assert addressing.send_invitations(survey.consultation, reminder=False, by=editor) == 1
    db.session.commit()
    mail = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.to_address == "ev@example.org"))
    assert "bewoners" not in mail.body_text and "adresinde oturanlar" in mail.body_text


def test_a_letter_code_after_closing_says_why_it_may_not_work_and_what_to_do(app, client, editor, make_tenant,
                                                                             make_survey):
    """A tenant who came back with the letter's code to read the results was told to check the code and try
    again, which they did, in vain: the message now says a code stops once answered or closed, and what then."""
    make_tenant(editor.corporation, email="t@example.org")
    survey = make_survey(editor)
    code = _codes(app, survey.id)[0]
    with app.test_request_context():
        invitations.close_consultation(survey.consultation, by=editor)
    db.session.commit()
    client.get("/sign-in?lang=en")
    html = client.post_form("/sign-in/code", {"code": code}).get_data(as_text=True)
    assert "once you have answered or the consultation has closed" in html
    assert "Check the code on your letter and try again" not in html
