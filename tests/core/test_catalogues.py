"""The translation template is up to date and every language is complete."""
import re

import pytest

from config import Config
from inspraak.core.catalogues import catalogue_gaps, extracted_ids, template_ids


def test_messages_pot_is_not_stale():
    in_code, in_template = extracted_ids(), template_ids()
    assert not in_code - in_template, f"run `make translations`: new strings {sorted(in_code - in_template)[:10]}"
    assert not in_template - in_code, f"run `make translations`: removed strings {sorted(in_template - in_code)[:10]}"


# Each language's plural rule (GNU gettext's, after the CLDR): which form a count takes.
PLURAL_RULES = {
    "nl": lambda n: int(n != 1), "en": lambda n: int(n != 1), "tr": lambda n: int(n != 1),
    "ar": lambda n: (0 if n == 0 else 1 if n == 1 else 2 if n == 2 else 3 if 3 <= n % 100 <= 10
                     else 4 if n % 100 >= 11 else 5),
    "pl": lambda n: 0 if n == 1 else 1 if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else 2,
}


@pytest.mark.parametrize("language", list(Config.LANGUAGES))
def test_catalogue_has_the_plural_rule_of_its_language(language):
    """Babel's own table once gave Arabic 100–102 a form of their own instead of 11–99, and Turkish one form."""
    import gettext

    from inspraak.core.catalogues import TRANSLATIONS, read_catalogue

    catalogue = read_catalogue(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po")
    rule = gettext.c2py(catalogue.plural_expr)
    assert catalogue.num_plurals == len({PLURAL_RULES[language](n) for n in range(1000)})
    assert [rule(n) for n in range(1000)] == [PLURAL_RULES[language](n) for n in range(1000)]


@pytest.mark.parametrize("language", list(Config.LANGUAGES))
def test_catalogue_is_complete(language):
    gaps = catalogue_gaps(language)
    assert gaps == {"missing": [], "untranslated": [], "fuzzy": []}


# Tenant-facing texts: Polish addresses the reader as "Państwo", never with the informal "ty".
TENANT_TEXTS_PL = [
    "You can check all your answers before sending, or send them now.",  # the last page of a consultation
    "A question round you have not answered yet closes at another time, or opens again.",  # mail preferences
]


@pytest.mark.parametrize("message_id", TENANT_TEXTS_PL)
def test_polish_tenant_texts_use_the_polite_form(message_id):
    from inspraak.core.catalogues import TRANSLATIONS, read_catalogue

    translated = read_catalogue(TRANSLATIONS / "pl" / "LC_MESSAGES" / "messages.po").get(message_id).string
    assert "Państw" in translated, translated
    assert not re.search(r"\b(możesz|masz|twoj\w*|twój)\b", translated, re.IGNORECASE), translated


def test_turkish_says_answer_with_one_word():
    """“Answer” is “cevap” everywhere in Turkish, never also “yanıt”: one word for one thing."""
    from inspraak.core.catalogues import TRANSLATIONS, read_catalogue

    catalogue = read_catalogue(TRANSLATIONS / "tr" / "LC_MESSAGES" / "messages.po")
    mixed = [message.id for message in catalogue if message.id
             and re.search("yanıt", "".join(message.string), re.IGNORECASE)]
    assert not mixed, mixed[:10]


def _arabic_translations():
    from inspraak.core.catalogues import TRANSLATIONS, read_catalogue

    catalogue = read_catalogue(TRANSLATIONS / "ar" / "LC_MESSAGES" / "messages.po")
    return [message for message in catalogue if message.id]


def _forms(message):
    return list(message.string) if isinstance(message.string, (list, tuple)) else [message.string]


PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]")


def test_arabic_keeps_the_placeholders_of_each_message():
    """Each Arabic text names the msgid's placeholders; only the forms for one and two may spell the number out."""
    wrong = []
    for message in _arabic_translations():
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = set().union(*(PLACEHOLDER.findall(text) for text in ids))
        for slot, text in enumerate(_forms(message)):
            found = set(PLACEHOLDER.findall(text))
            if found - wanted or (found != wanted and not (isinstance(message.id, tuple) and slot in (1, 2))):
                wrong.append((ids[0], text))
    assert not wrong, wrong[:10]


@pytest.mark.parametrize(("term", "pattern"), [
    ("a title is quoted «…», not with “…”, which turn around in right-to-left text", "[“”]"),
    ("advice is المشورة, never also الرأي الاستشاري or استشارة", "استشار"),
    ("a document is مستند, never also وثيقة", "وثيق|وثائق"),
    ("the audit log is سجل العمليات, never also سجل التدقيق", "التدقيق"),
], ids=["quotes", "advice", "document", "audit-log"])
def test_arabic_says_one_thing_with_one_word(term, pattern):
    mixed = [message.id for message in _arabic_translations()
             if any(re.search(pattern, text) for text in _forms(message))]
    assert not mixed, (term, mixed[:10])


def test_arabic_spells_out_one_and_two():
    """Arabic writes "two messages" as one word (رسالتين), never "2 رسالتين": where the count is the only
    placeholder, the forms for one and two name no number. Except where the placeholder may hold words: the
    turnout's count can read "fewer than 10" (small-group privacy), so there it stays, as "label: number"."""
    may_hold_words = {"In total, %(n)s people took part.", "In total, %(n)s homes took part."}
    doubled = []
    for message in _arabic_translations():
        if (isinstance(message.id, tuple) and len(set(PLACEHOLDER.findall(message.id[1]))) == 1
                and message.id[1] not in may_hold_words):
            doubled += [text for text in message.string[1:3] if PLACEHOLDER.search(text)]
    assert not doubled, doubled
