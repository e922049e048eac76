"""Every kind of mail renders in every language, as text and HTML, with the corporation's contact."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from config import Config
from inspraak.extensions import db
from inspraak.notify.kinds import KINDS
from inspraak.notify.services import enqueue
from tests.notify.conftest import sample_context


@pytest.mark.parametrize("language", list(Config.LANGUAGES))
@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_renders_in_every_language(app, make_corporation, make_tenant, kind, language):
    corporation = make_corporation(name="Woonstichting De Linde", contact_phone="030 123 45 67",
                                   contact_email="info@delinde.example")
    person = make_tenant(corporation, email="t@example.org", language=language)
    message = enqueue(kind, to_address="t@example.org", language=language, context=sample_context(corporation),
                      corporation_id=corporation.id, person_id=person.id)
    assert message is not None and message.language == language
    assert message.subject and "\n" not in message.subject
    for body in (message.body_text, message.body_html):
        assert "Woonstichting De Linde" in body and "030 123 45 67" in body and "info@delinde.example" in body
        assert "https://inspraak.example/c/42" in body or kind in ("sign_in_link", "password_reset")
        assert "{{" not in body and "{%" not in body and "None" not in body and "Undefined" not in body
    assert "Ayşe Yılmaz" in message.body_text
    direction = "rtl" if language == "ar" else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in message.body_html
    if KINDS[kind].essential:
        assert message.unsubscribe_url is None and "/mail/unsubscribe/" not in message.body_text
    else:
        assert message.unsubscribe_url and f"lang={language}" in message.unsubscribe_url
        assert message.unsubscribe_url in message.body_text
        assert message.unsubscribe_url.replace("&", "&amp;") in message.body_html or message.unsubscribe_url in message.body_html
        assert "/account/mail" in message.body_text


def test_staff_content_is_picked_in_the_recipients_language(app, make_corporation):
    corporation = make_corporation()
    context = sample_context(corporation)
    english = enqueue("results_published", to_address="a@example.org", language="en", context=context)
    turkish = enqueue("results_published", to_address="b@example.org", language="tr", context=context)
    assert "New kitchens" in english.subject
    assert "Nieuwe keukens" in turkish.subject, "no Turkish title: the source language, not the request's"


HOSTILE = "<script>x</script> (fase 2)"
FSI, PDI = "\u2068", "\u2069"


def test_names_in_an_arabic_mail_are_isolated_and_escaped(app, make_corporation):
    corporation = make_corporation(name="Woonstichting De Linde")
    context = {"name": "Jan", "corporation": corporation, "title": HOSTILE, "link": "https://x.example/1"}
    message = enqueue("consultation_invitation", to_address="a@example.org", language="ar", context=context)
    assert f"نريد أن نعرف رأيك: «{FSI}{HOSTILE}{PDI}»." in message.body_text
    assert f"مرحبًا {FSI}Jan{PDI}،" in message.body_text
    assert "«<bdi>&lt;script&gt;x&lt;/script&gt; (fase 2)</bdi>»" in message.body_html
    assert "<script>x" not in message.body_html
    assert message.subject == f"شارك برأيك مع {FSI}Woonstichting De Linde{PDI}"


def test_a_dutch_mail_isolates_only_names_written_right_to_left(app, make_corporation):
    corporation = make_corporation(name="Woonstichting De Linde")
    context = {"name": "أمينة حداد", "corporation": corporation, "title": "Groen (fase 2)", "link": "https://x.example/1"}
    message = enqueue("consultation_invitation", to_address="a@example.org", language="nl", context=context)
    assert f"Beste {FSI}أمينة حداد{PDI}," in message.body_text
    assert "We willen weten wat u vindt: “Groen (fase 2)”." in message.body_text
    assert message.subject == "Geef uw mening aan Woonstichting De Linde"
    assert "Beste <bdi>أمينة حداد</bdi>," in message.body_html


def test_optional_parts_leave_no_gaps(app, make_corporation):
    corporation = make_corporation()
    context = {"name": "Jan", "corporation": corporation, "title": "Groen", "link": "https://x.example/1"}
    message = enqueue("consultation_invitation", to_address="a@example.org", language="nl", context=context)
    assert "\n\n\n" not in message.body_text


def test_unknown_kind_is_refused(app):
    with pytest.raises(ValueError, match="unknown mail kind"):
        enqueue("newsletter", to_address="a@example.org", language="nl", context={})


def test_unknown_language_falls_back_to_dutch(app, make_corporation):
    corporation = make_corporation()
    message = enqueue("results_published", to_address="a@example.org", language="xx", context=sample_context(corporation))
    assert message.language == "nl" and '<html lang="nl" dir="ltr">' in message.body_html
    db.session.rollback()


@pytest.mark.parametrize("kind", ["consultation_invitation", "results_published", "vote_opened", "deadline_approaching",
                                  "advice_request_received"])
def test_a_title_in_the_html_mail_says_its_own_language(app, make_corporation, kind):
    """A title without a translation was shown in its source language (Dutch) inside an Arabic mail marked as
    Arabic, so a screen reader read it out with an Arabic voice; the HTML now says the language it is shown in."""
    corporation = make_corporation()
    context = {**sample_context(corporation), "title": {"nl": "Nieuwe keukens", "ar": "مطابخ جديدة"},
               "source_language": "nl"}
    arabic = enqueue(kind, to_address="a@example.org", language="ar", context=context)
    assert '<bdi lang="ar">مطابخ جديدة</bdi>' in arabic.body_html
    polish = enqueue(kind, to_address="b@example.org", language="pl", context=context)
    assert '<bdi lang="nl">Nieuwe keukens</bdi>' in polish.body_html  # no Polish title: the Dutch one, said so
    assert "Nieuwe keukens" in polish.body_text and "<bdi" not in polish.body_text + polish.subject


def test_invitation_mails_carry_the_titles_language(app, editor, make_tenant, make_survey):
    """The invitation gave enqueue the title already picked, as text alone; it now gives the map, so the title comes
    with the language it is shown in."""
    from inspraak.consultations import addressing
    from inspraak.consultations.models import Consultation, Invitation
    from inspraak.notify.models import OutboxMessage

    make_tenant(editor.corporation, email="ar@example.org", language="ar")
    make_tenant(editor.corporation, email="tr@example.org", language="tr")
    survey = make_survey(editor)  # titled in Dutch, English and Turkish
    consultation = db.session.get(Consultation, survey.id)
    with app.test_request_context():
        mailed = addressing.mail_invited(consultation, sa.select(Invitation).where(
            Invitation.consultation_id == consultation.id), "consultation_invitation")
    assert len(mailed) == 2
    bodies = {m.language: m.body_html for m in db.session.scalars(sa.select(OutboxMessage))}
    assert '<bdi lang="nl">Hoe gaat u naar uw werk?</bdi>' in bodies["ar"]
    assert '<bdi lang="tr">İşe nasıl gidiyorsunuz?</bdi>' in bodies["tr"]
