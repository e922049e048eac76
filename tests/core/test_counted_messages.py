"""Every message with a count takes the form the reader's language needs for that number.

English and Dutch say "1 email", "2 emails"; Polish has three forms (1, 2–4 and 22–24, the rest);
Arabic six (0, 1, 2, 3–10, 11–99, 100 and on). A message that once held two counts now gives each
its own sentence, so each noun agrees with its own number.
"""
from __future__ import annotations

import pytest
from flask import render_template_string
from flask_babel import force_locale

# (singular, plural, the parameter holding the count, other parameters, {lang: {count: text the form holds}})
MESSAGES = [
    ("%(language)s: %(n)s text missing", "%(language)s: %(n)s texts missing", "n", {"language": "X"},
     {"en": {1: "X: 1 text missing", 2: "X: 2 texts missing"}, "nl": {1: "1 tekst ontbreekt", 2: "2 teksten ontbreken"},
      "pl": {1: "brakuje 1 tekstu", 3: "brakuje 3 tekstów", 5: "brakuje 5 tekstów"},
      "ar": {1: "ينقص نص واحد", 2: "ينقص نصّان", 3: "تنقص 3 نصوص", 11: "ينقص 11 نصًّا", 100: "ينقص 100 نصّ"}}),
    ("%(n)s email is waiting to be sent.", "%(n)s emails are waiting to be sent.", "n", {},
     {"en": {1: "1 email is waiting", 4: "4 emails are waiting"}, "nl": {1: "1 e-mail staat", 4: "4 e-mails staan"},
      "pl": {1: "1 e-mail czeka", 3: "3 e-maile czekają", 5: "5 e-maili czeka", 22: "22 e-maile czekają"},
      "ar": {0: "عدد الرسائل الإلكترونية التي تنتظر الإرسال: 0", 1: "رسالة إلكترونية واحدة", 2: "رسالتان",
             3: "3 رسائل إلكترونية", 11: "11 رسالةً إلكترونيةً", 100: "100 رسالة إلكترونية"}}),
    ("The consultation is open. %(n)s person or home is invited. Print the letters now.",
     "The consultation is open. %(n)s persons or homes are invited. Print the letters now.", "n", {},
     {"en": {1: "1 person or home is invited", 3: "3 persons or homes are invited"},
      "pl": {1: "Zaproszono 1 osobę lub mieszkanie", 3: "Zaproszono 3 osoby lub mieszkania", 5: "Zaproszono 5 osób lub mieszkań"},
      "ar": {3: "دُعي 3 أشخاص أو مساكن", 11: "دُعي 11 شخصًا أو مسكنًا", 100: "دُعي 100 شخص أو مسكن"}}),
    ("A member may hold at most %(cap)s proxy.", "A member may hold at most %(cap)s proxies.", "cap", {},
     {"en": {1: "at most 1 proxy.", 2: "at most 2 proxies."},
      "pl": {1: "najwyżej 1 pełnomocnictwo.", 2: "najwyżej 2 pełnomocnictwa.", 5: "najwyżej 5 pełnomocnictw."},
      "ar": {1: "توكيلًا واحدًا", 2: "توكيلين", 3: "3 توكيلات", 11: "11 توكيلًا", 100: "100 توكيل"}}),
    ("And %(count)s more error. Fix the errors above first.", "And %(count)s more errors. Fix the errors above first.",
     "count", {},
     {"en": {1: "And 1 more error.", 7: "And 7 more errors."}, "nl": {1: "Er is nog 1 fout.", 7: "Er zijn nog 7 fouten."},
      "pl": {1: "Jest jeszcze 1 błąd.", 2: "Są jeszcze 2 błędy.", 5: "Jest jeszcze 5 błędów."},
      "ar": {1: "خطأ آخر", 2: "خطآن آخران", 3: "3 أخطاء أخرى", 11: "11 خطأً آخر", 100: "100 خطأ آخر"}}),
    ("Careful: %(missing)s of %(total)s households is not in this file. Its tenancy ends. Is this the complete list of tenants?",
     "Careful: %(missing)s of %(total)s households are not in this file. They end. Is this the complete list of tenants?",
     "missing", {"total": 40},
     {"en": {1: "1 of 40 households is not", 2: "2 of 40 households are not"},
      "nl": {1: "1 van de 40 huishoudens staat niet", 2: "2 van de 40 huishoudens staan niet"},
      "pl": {1: "brakuje 1 z 40 gospodarstw domowych. Umowa najmu tego gospodarstwa",
             2: "brakuje 2 z 40 gospodarstw domowych. Ich umowy", 5: "brakuje 5 z 40 gospodarstw domowych. Ich umowy"},
      "ar": {1: "أسرة واحدة من أصل 40 غير موجودة", 2: "أسرتان من أصل 40 غير موجودتين", 3: "3 أسر من أصل 40",
             11: "11 أسرةً من أصل 40", 100: "100 أسرة من أصل 40"}}),
    ("Each answer then records the neighbourhood (and complex) of the home, so results can be shown per area. Groups of "
     "fewer than %(n)s person are never shown. This cannot change once the consultation is open.",
     "Each answer then records the neighbourhood (and complex) of the home, so results can be shown per area. Groups of "
     "fewer than %(n)s people are never shown. This cannot change once the consultation is open.", "n", {},
     {"en": {1: "fewer than 1 person are", 10: "fewer than 10 people are"},
      "pl": {1: "mniej niż 1 osobę", 4: "mniej niż 4 osoby", 10: "mniej niż 10 osób"},
      "ar": {2: "تضم أقل من شخصين", 10: "تضم أقل من 10 أشخاص", 11: "تضم أقل من 11 شخصًا", 100: "تضم أقل من 100 شخص"}}),
    ("Write the reason in at most %(n)s character.", "Write the reason in at most %(n)s characters.", "n", {},
     {"en": {1: "at most 1 character.", 500: "at most 500 characters."},
      "pl": {1: "najwyżej 1 znak.", 2: "najwyżej 2 znaki.", 500: "najwyżej 500 znaków."},
      "ar": {1: "في حرف واحد", 3: "في 3 أحرف", 11: "في 11 حرفًا", 500: "في 500 حرف"}}),
    ("Only the first %(n)s result is shown. Search more precisely, for example by postcode and house number.",
     "Only the first %(n)s results are shown. Search more precisely, for example by postcode and house number.", "n", {},
     {"en": {1: "Only the first 1 result is shown.", 50: "Only the first 50 results are shown."},
      "pl": {1: "Pokazano tylko pierwszy wynik.", 24: "Pokazano tylko pierwsze 24 wyniki.", 50: "Pokazano tylko pierwszych 50 wyników."},
      "ar": {2: "أول نتيجتين", 10: "أول 10 نتائج", 50: "أول 50 نتيجةً", 200: "أول 200 نتيجة"}}),
    ("Use at least %(n)s character.", "Use at least %(n)s characters.", "n", {},
     {"en": {1: "Use at least 1 character.", 12: "Use at least 12 characters."},
      "pl": {1: "co najmniej 1 znaku.", 12: "co najmniej 12 znaków."},
      "ar": {1: "حرفًا واحدًا على الأقل", 8: "استخدم 8 أحرف", 12: "استخدم 12 حرفًا", 100: "استخدم 100 حرف"}}),
    ("Use at least %(n)s character. A few words in a row are easy to remember.",
     "Use at least %(n)s characters. A few words in a row are easy to remember.", "n", {},
     {"en": {1: "Use at least 1 character. A few", 12: "Use at least 12 characters. A few"},
      "ar": {8: "استخدم 8 أحرف على الأقل. من السهل", 12: "استخدم 12 حرفًا على الأقل. من السهل"}}),
    ("%(text)s is too long: use at most %(n)s character.", "%(text)s is too long: use at most %(n)s characters.", "n",
     {"text": "Summary"},
     {"en": {1: "Summary is too long: use at most 1 character.", 3: "use at most 3 characters."},
      "ar": {3: "«Summary» طويل جدًا: استخدم 3 أحرف", 11: "استخدم 11 حرفًا", 100: "استخدم 100 حرف"}}),
    ("A scale has at most %(points)s point, for example 0 to 10.", "A scale has at most %(points)s points, for example 0 to 10.",
     "points", {},
     {"en": {1: "at most 1 point,", 11: "at most 11 points,"},
      "pl": {1: "najwyżej 1 punkt,", 3: "najwyżej 3 punkty,", 11: "najwyżej 11 punktów,"},
      "ar": {10: "على 10 نقاط", 11: "على 11 نقطةً"}}),
    ("The link works once, for %(minutes)s minute.", "The link works once, for %(minutes)s minutes.", "minutes", {},
     {"en": {1: "for 1 minute.", 30: "for 30 minutes."}, "nl": {1: "1 minuut lang", 30: "30 minuten lang"},
      "pl": {1: "przez 1 minutę.", 2: "przez 2 minuty.", 30: "przez 30 minut."},
      "ar": {1: "لمدة دقيقة واحدة", 2: "لمدة دقيقتين", 10: "لمدة 10 دقائق", 30: "لمدة 30 دقيقةً", 120: "لمدة 120 دقيقة"}}),
    ("Use this link to sign in. It works once, for %(minutes)s minute.",
     "Use this link to sign in. It works once, for %(minutes)s minutes.", "minutes", {},
     {"en": {1: "for 1 minute.", 30: "for 30 minutes."}, "pl": {2: "przez 2 minuty.", 30: "przez 30 minut."},
      "ar": {10: "لمدة 10 دقائق", 30: "لمدة 30 دقيقةً"}}),
    ("Use this link to choose a new password. It works once, for %(minutes)s minute.",
     "Use this link to choose a new password. It works once, for %(minutes)s minutes.", "minutes", {},
     {"en": {1: "for 1 minute.", 60: "for 60 minutes."}, "pl": {1: "przez 1 minutę.", 60: "przez 60 minut."},
      "ar": {10: "لمدة 10 دقائق", 60: "لمدة 60 دقيقةً"}}),
    ("The file has more than %(max)s tenant. That is more than this installation accepts.",
     "The file has more than %(max)s tenants. That is more than this installation accepts.", "max", {},
     {"en": {1: "more than 1 tenant.", 5: "more than 5 tenants."},
      "ar": {3: "أكثر من 3 مستأجرين", 50: "أكثر من 50 مستأجرًا", 5000: "أكثر من 5000 مستأجر"}}),
    ("%(column)s is too long: at most %(max)s character.", "%(column)s is too long: at most %(max)s characters.", "max",
     {"column": "street"},
     {"en": {1: "street is too long: at most 1 character.", 200: "at most 200 characters."},
      "pl": {1: "najwyżej 1 znak.", 2: "najwyżej 2 znaki.", 200: "najwyżej 200 znaków."},
      "ar": {3: "المسموح به 3 أحرف", 20: "المسموح به 20 حرفًا", 200: "المسموح به 200 حرف"}}),
    ("Write at most %(max)s character.", "Write at most %(max)s characters.", "max", {},
     {"en": {1: "Write at most 1 character.", 5: "Write at most 5 characters."},
      "pl": {1: "najwyżej 1 znak.", 4: "najwyżej 4 znaki.", 5: "najwyżej 5 znaków."},
      "ar": {1: "اكتب حرفًا واحدًا", 2: "اكتب حرفين", 5: "اكتب 5 أحرف", 80: "اكتب 80 حرفًا", 200: "اكتب 200 حرف"}}),
    ("In total, %(n)s person took part.", "In total, %(n)s people took part.", "n", {},
     {"en": {1: "In total, 1 person took part.", 2: "In total, 2 people took part."},
      "nl": {1: "In totaal deed 1 persoon mee.", 2: "In totaal deden 2 mensen mee."},
      "pl": {1: "udział wzięła 1 osoba.", 3: "udział wzięły 3 osoby.", 5: "udział wzięło 5 osób."},
      "ar": {3: "شارك 3 أشخاص.", 11: "شارك 11 شخصًا.", 100: "شارك 100 شخص."}}),
    ("We asked %(invited)s person.", "We asked %(invited)s people.", "invited", {},
     {"en": {1: "We asked 1 person.", 40: "We asked 40 people."},
      "pl": {1: "Zapytaliśmy 1 osobę.", 2: "Zapytaliśmy 2 osoby.", 40: "Zapytaliśmy 40 osób."},
      "ar": {1: "سألنا شخصًا واحدًا.", 2: "سألنا شخصين.", 3: "سألنا 3 أشخاص.", 11: "سألنا 11 شخصًا.", 100: "سألنا 100 شخص."}}),
]
CASES = [pytest.param(singular, plural, count, params, lang, n, told, id=f"{singular[:30]}-{lang}-{n}")
         for singular, plural, count, params, by_lang in MESSAGES
         for lang, by_count in by_lang.items() for n, told in by_count.items()]


@pytest.mark.parametrize(("singular", "plural", "count", "params", "lang", "n", "told"), CASES)
def test_a_counted_message_takes_the_form_of_its_number(app, singular, plural, count, params, lang, n, told):
    with app.test_request_context(), force_locale(lang):
        shown = render_template_string("{{ ngettext(singular, plural, n, **params) }}", singular=singular, plural=plural,
                                       n=n, params={**params, count: n})
    assert told in shown.replace("&#34;", '"')


def test_english_plural_forms_are_not_used_for_one():
    """The bug that started it: "1 emails are waiting", "1 texts missing"."""
    from inspraak.core.plurals import Counted

    message = Counted("%(n)s email is waiting to be sent.", "%(n)s emails are waiting to be sent.")
    assert message.in_english(n=1) == "1 email is waiting to be sent."
    assert message.in_english(n=3) == "3 emails are waiting to be sent."


@pytest.mark.parametrize(("lang", "n", "told"), [
    ("en", 1, "1 email is waiting to be sent."), ("en", 1500, "1,500 emails are waiting to be sent."),
    ("nl", 1500, "1.500 e-mails staan klaar om te versturen."), ("pl", 3, "3 e-maile czekają na wysłanie."),
    ("pl", 12, "12 e-maili czeka na wysłanie."), ("ar", 11, "11 رسالةً إلكترونيةً تنتظر الإرسال."),
])
def test_a_counted_message_writes_its_number_the_readers_way(app, lang, n, told):
    from inspraak.consultations.addressing import EMAILS_WAITING

    with app.test_request_context(), force_locale(lang):
        assert EMAILS_WAITING.render(n=n) == told
