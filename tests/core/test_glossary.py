"""Turkish and Polish say one thing with one word, address the reader one way, and keep placeholders whole."""
import ast
import re
from pathlib import Path

import pytest

from inspraak.core.catalogues import TRANSLATIONS, read_catalogue

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")

# (language, word that must not appear, the one word the catalogue uses instead)
AVOIDED_WORDS = [
    ("nl", r"\bbuurt(en)?\b", "a neighbourhood is “wijk”, as its page and CBS code say; a “buurt” is a smaller CBS area"),
    ("tr", r"yayınla|yayınlan", "publish is “yayımlamak”; “yayınlamak” is to broadcast"),
    ("tr", r"görüşünüz", "a tenant's opinion is “fikir”; “görüş” is the advice of a council"),
    ("tr", r"\beylem", "a planned action is “çalışma”; “eylem” also reads as a protest"),
    ("tr", r"soru turu", "a consultation is “anket”"),
    ("tr", r"\bmesaj", "a mail message is “ileti”"),
    ("tr", r"mevcut değil", "what does not exist is “Böyle bir … yok”"),
    ("pl", r"dzielnic|okolic", "a neighbourhood is “osiedle”"),
    ("pl", r"posiedzeni|spotkań", "a meeting is “zebranie”"),
    ("pl", r"\bszkic", "a draft is “wersja robocza”"),
    ("pl", r"\bczas (zamknięcia|otwarcia)", "a closing time is “termin zamknięcia”"),
    ("pl", r"\brunda pytań", "a consultation is “konsultacja”"),
]


def _catalogue(language):
    return read_catalogue(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po")


def _entries(language):
    """(message id, [translated forms]) for every message of a language."""
    for message in _catalogue(language):
        if message.id:
            strings = message.string if isinstance(message.string, (tuple, list)) else [message.string]
            yield message.id, list(strings)


@pytest.mark.parametrize(("language", "avoided", "why"), AVOIDED_WORDS)
def test_one_word_for_one_thing(language, avoided, why):
    found = [strings for _id, strings in _entries(language) if re.search(avoided, " ".join(strings), re.IGNORECASE)]
    assert not found, f"{why}: {found[:5]}"


def test_polish_advice_request_is_not_a_motion():
    """“Wniosek” is a motion the council votes on; what the corporation sends is a “prośba” (o opinię)."""
    mixed = [strings for message_id, strings in _entries("pl")
             if re.search(r"\brequests?\b", str(message_id), re.IGNORECASE)
             and re.search(r"wniosek|wniosk", " ".join(strings), re.IGNORECASE)]
    assert not mixed, mixed


@pytest.mark.parametrize(("language", "advice_word"), [("pl", r"opini"), ("tr", r"görüş")])
def test_a_tenants_opinion_is_not_the_councils_advice(language, advice_word):
    mixed = [strings for message_id, strings in _entries(language)
             if "opinion" in str(message_id) and re.search(advice_word, " ".join(strings), re.IGNORECASE)]
    assert not mixed, mixed


POLISH_IMPERATIVE = re.compile(r"(Wybierz|Wpisz|Napisz|Podaj|Użyj|Sprawdź|Wydrukuj|Znajdź|Szukaj|Przeczytaj"
                               r"|Spróbuj|Poczekaj)\b.*[.!?]$")
POLISH_INFORMAL = re.compile(r"\b(możesz|masz|twoj\w*|twój|korzystasz|czujesz|dajesz)\b", re.IGNORECASE)


def _informal_polish(text):
    return POLISH_INFORMAL.search(text) or any(POLISH_IMPERATIVE.match(s) for s in re.split(r"(?<=[.!?:])\s+", text))


def test_polish_sentences_use_the_polite_form():
    """A sentence says “Proszę wybrać …”, never the informal “Wybierz …” (a button may)."""
    found = [text for _id, strings in _entries("pl") for text in strings if _informal_polish(text)]
    assert not found, found


def _demo_texts(language):
    """The texts in ``language`` of the demo data (``{"nl": …, "pl": …}`` literals in inspraak/demo.py)."""
    tree = ast.parse((Path(__file__).resolve().parents[2] / "inspraak" / "demo.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == language and isinstance(value, ast.Constant) \
                        and isinstance(value.value, str):
                    yield value.value


def test_the_demo_speaks_as_the_catalogues_do():
    """A Polish tenant reads the demo's questions beside the catalogue's sentences: the same polite
    form; a Turkish tenant the same words (what a newcomer sees first should not mix two voices)."""
    polish = list(_demo_texts("pl"))
    assert polish and not [text for text in polish if _informal_polish(text)]
    turkish = list(_demo_texts("tr"))
    assert turkish and not [text for text in turkish for _language, avoided, _why in AVOIDED_WORDS
                            if _language == "tr" and re.search(avoided, text, re.IGNORECASE)]


def test_polish_count_without_plural_form_takes_no_counted_noun():
    """“%(n)d znaków” is wrong Polish for 2–4 and 22–24: a message without plural forms says “Limit znaków: %(n)d”."""
    counted = re.compile(r"%\(\w+\)[sd] (znak\w*|minut\w*|punkt\w*|osób|osoby|cyfr\w*)\b")
    found = [strings[0] for message_id, strings in _entries("pl")
             if not isinstance(message_id, (tuple, list)) and counted.search(strings[0])]
    assert not found, found


def test_turkish_dwelling_is_ev():
    """A home is “ev” for tenants and staff alike; “konut” stays only in “konut şirketi” and “konut kompleksi”."""
    mixed = [strings for message_id, strings in _entries("tr")
             if re.search(r"\b(dwellings?|homes?)\b", str(message_id), re.IGNORECASE)
             and re.search(r"konut(?!\s*(şirket|komplek))", " ".join(strings), re.IGNORECASE)]
    assert not mixed, mixed


def test_turkish_adds_no_suffix_to_a_placeholder():
    """A suffix has to follow the vowels of the word it sits on; on a name or number it cannot."""
    found = [text for _id, strings in _entries("tr") for text in strings
             if re.search(r"%\(\w+\)[sd]['’]?[a-zçğıöşü]", text)]
    assert not found, found


@pytest.mark.parametrize("language", ["tr", "pl"])
def test_translations_keep_the_placeholders(language):
    """Every form keeps the msgid's placeholders; only Polish form one (n = 1) may say “one” instead of %(n)s."""
    wrong = []
    for message_id, strings in _entries(language):
        ids = message_id if isinstance(message_id, (tuple, list)) else [message_id]
        wanted = set(PLACEHOLDER.findall(" ".join(ids)))
        for form, text in enumerate(strings):
            found = set(PLACEHOLDER.findall(text))
            spared = {"%(n)s", "%(n)d"} if language == "pl" and form == 0 and len(strings) == 3 else set()
            if not (wanted - spared <= found <= wanted):
                wrong.append((ids[0], form, text))
    assert not wrong, wrong[:5]
