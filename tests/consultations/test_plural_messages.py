"""A message with a count takes the form the reader's language needs for that number (1 answer, 2 answers)."""
from __future__ import annotations

import pytest
from flask_babel import force_locale

from inspraak.consultations.forms import ERROR_MESSAGES, LIMIT_MESSAGES, Counted, error_message
from inspraak.consultations.validation import Invalid
from tests.core.test_catalogues import PLURAL_RULES

# What "Choose at least n answers.", "Use at most n characters." and "Choose from 1 to n answers." read.
EXPECTED = {
    "ar": {
        1: ("اختر إجابة واحدة على الأقل.", "استخدم حرفًا واحدًا على الأكثر.", None),
        2: ("اختر إجابتين على الأقل.", "استخدم حرفين على الأكثر.", "اختر من 1 إلى 2 من الإجابات."),
        5: ("اختر 5 إجابات على الأقل.", "استخدم 5 أحرف على الأكثر.", "اختر من 1 إلى 5 إجابات."),
        11: ("اختر 11 إجابةً على الأقل.", "استخدم 11 حرفًا على الأكثر.", "اختر من 1 إلى 11 إجابةً."),
        22: ("اختر 22 إجابةً على الأقل.", "استخدم 22 حرفًا على الأكثر.", "اختر من 1 إلى 22 إجابةً."),
        100: ("اختر 100 إجابة على الأقل.", "استخدم 100 حرف على الأكثر.", "اختر من 1 إلى 100 إجابة."),
    },
    "pl": {
        1: ("Proszę wybrać co najmniej jedną odpowiedź.", "Proszę wpisać najwyżej 1 znak.", None),
        2: ("Proszę wybrać co najmniej 2 odpowiedzi.", "Proszę wpisać najwyżej 2 znaki.",
            "Proszę wybrać od 1 do 2 odpowiedzi."),
        5: ("Proszę wybrać co najmniej 5 odpowiedzi.", "Proszę wpisać najwyżej 5 znaków.",
            "Proszę wybrać od 1 do 5 odpowiedzi."),
        11: ("Proszę wybrać co najmniej 11 odpowiedzi.", "Proszę wpisać najwyżej 11 znaków.",
             "Proszę wybrać od 1 do 11 odpowiedzi."),
        22: ("Proszę wybrać co najmniej 22 odpowiedzi.", "Proszę wpisać najwyżej 22 znaki.",
             "Proszę wybrać od 1 do 22 odpowiedzi."),
    },
    "nl": {1: ("Kies minstens 1 antwoord.", "Gebruik maximaal 1 teken.", None),
           2: ("Kies minstens 2 antwoorden.", "Gebruik maximaal 2 tekens.", "Kies 1 tot en met 2 antwoorden.")},
    "en": {1: ("Choose at least 1 answer.", "Use at most 1 character.", None),
           2: ("Choose at least 2 answers.", "Use at most 2 characters.", "Choose from 1 to 2 answers.")},
    "tr": {1: ("En az 1 cevap seçin.", "En fazla 1 karakter kullanın.", None),
           2: ("En az 2 cevap seçin.", "En fazla 2 karakter kullanın.", "1 ile 2 arasında cevap seçin.")},
}
CASES = [(lang, n, told) for lang, by_count in EXPECTED.items() for n, told in by_count.items()]


@pytest.mark.parametrize(("lang", "n", "told"), CASES)
def test_a_count_picks_the_plural_form_of_the_language(app, lang, n, told):
    at_least, characters, between = told
    with app.test_request_context(), force_locale(lang):
        assert error_message(Invalid("too_few", n=n)) == at_least
        assert error_message(Invalid("too_long", n=n)).endswith(" " + characters)
        if between:
            assert error_message(Invalid("choose_between", min=1, max=n), LIMIT_MESSAGES) == between


COUNTED = {code: message for code, message in LIMIT_MESSAGES.items() if isinstance(message, Counted)}


@pytest.mark.parametrize("lang", list(PLURAL_RULES))
def test_every_counted_message_follows_the_plural_rule_of_the_language(app, lang):
    """A wrong Plural-Forms line in a catalogue picks a wrong form for some numbers (Arabic 11–99 once did)."""
    from babel.messages.mofile import read_mo
    from flask_babel import format_decimal

    from inspraak.core.catalogues import TRANSLATIONS

    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.mo").open("rb") as handle:
        catalogue = read_mo(handle)
    assert set(COUNTED) >= {"too_few", "too_many", "too_long", "too_many_decimals", "choose_exactly", "choose_between"}
    with app.test_request_context(), force_locale(lang):
        for code, message in COUNTED.items():
            forms = catalogue.get((message.singular, message.plural)).string
            for n in range(2, 1001):  # from 2: "choose from 1 to n" needs n above 1
                params = {"n": n, "min": 1, "max": n}
                written = {name: format_decimal(value) for name, value in params.items()}
                assert error_message(Invalid(code, **params), LIMIT_MESSAGES) == forms[PLURAL_RULES[lang](n)] % written, (code, n)


def test_error_and_limit_messages_share_the_counted_texts():
    assert all(LIMIT_MESSAGES[code] is message for code, message in ERROR_MESSAGES.items())
