"""Checks on free-text answers before staff may publish them as quotes.

An answer is flagged for what could point to a person: an email address (also spelt out
to dodge harvesters: "j a n @ example . org", "jan (at) example (dot) org", "jan at example
dot org"; the plain-word form only ends in a known top-level domain and may still catch a
rare English phrase like "look at this dot com"), a phone
number (Dutch mobile and landline in national and international form, and any other
international number), an IBAN, a postcode (with or without house number) and a name
from the tenant register. Flags carry character spans so the review screen can
highlight them, and :func:`redact` replaces them with "[…]" for the editable suggestion.

Names, the rule (false hits on everyday words would bury staff in flags):

* Text and register are compared word by word, ignoring case and diacritics
  ("ÖZDEMİR" = "Ozdemir", "Łukasz" = "lukasz"); hyphens and punctuation split words, and
  so do apostrophes ("Amrani's", "Yılmaz'ın" → the surname and a suffix) except after a
  single letter ("O'Brien").
* A register name is matched in full ("Jan de Vries", "J. de Vries" when registered so)
  and as given name + surname ("Jan de Vries" for "Jan Pieter de Vries").
* A surname alone matches when its last word has at least 4 letters and is not a common
  word ("Yilmaz", "Amrani"); the registered particles in front of it ("de", "van der",
  "El") join the highlighted span when the text has them too.
* A surname that is also a common word ("Bakker", "Bos", "de Boer") or has 3 letters
  matches only after a form of address: "mevrouw Bakker", "meneer Bos", "buurman de Boer".
* Given name and surname together match even when short ("Ben Li", "Li Wu"), as long as
  they have 4 letters or more.
* Given names alone never match: they are shared by many people and used for others.
* Words shorter than 3 letters never match on their own.
* A number within two words after a name ("meneer Jansen van 1002") is flagged as an
  address, so the suggestion removes it with the name.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Sequence

EMAIL = "email"
PHONE = "phone"
IBAN = "iban"
ADDRESS = "address"
POSTCODE = "postcode"
NAME = "name"

PLACEHOLDER = "[…]"


@dataclass(frozen=True, order=True)
class Flag:
    """Something in an answer that may identify a person: ``text[start:end]``."""

    start: int
    end: int
    reason: str


_SEP = r"[ \t.\-/]{0,3}"
# Email addresses, also written to dodge harvesters: "j a n @ example . org",
# "jan (at) example (dot) org", "jan [at] example [dot] nl". Spaces around a dot only count
# before a known top-level domain, so "Ik was op jan@example.org. Dat" keeps "Dat" out.
_TLDS = r"(?:nl|be|de|eu|com|org|net|info|nu|biz|uk|fr|es|it|pl|tr|ma|io|me|email|online)"
_EMAIL_LOCAL = r"(?:(?:[\w.+-] ){1,40}[\w.+-]|[\w.+-]+)"  # "jan.de-vries" or spelt out: "j a n"
_EMAIL_AT = r"\s*(?:@|[(\[{<]\s*(?:at|@)\s*[)\]}>])\s*"
_EMAIL_DOT = r"(?:\.|\s*[(\[{<]\s*(?:dot|punt)\s*[)\]}>]\s*)"
_EMAIL_RE = re.compile(
    r"(?<![\w.+-])" + _EMAIL_LOCAL + _EMAIL_AT + r"[\w-]+(?:" + _EMAIL_DOT + r"[\w-]+)*"
    + r"(?:" + _EMAIL_DOT + r"[a-z]{2,24}|\s*\.\s*" + _TLDS + r")(?![\w-])",
    re.IGNORECASE,
)
# "jan at example dot org": "at" and "dot" as plain words only between word-like parts
# ending in a known top-level domain, which ordinary Dutch or English text hardly has.
_EMAIL_WORDS_RE = re.compile(
    r"(?<![\w.+-])[\w.+-]+\s+at\s+[\w-]+(?:\s+(?:dot|punt)\s+[\w-]+)*?\s+(?:dot|punt)\s+" + _TLDS + r"(?![\w-])",
    re.IGNORECASE,
)
_PHONE_RES = (
    # +31 6 1234 5678, 0031 (0)10 123 4567: a Dutch number in international form.
    re.compile(r"(?<![\w+])(?:\+|00)" + _SEP + r"31" + _SEP + r"(?:\(0\)" + _SEP + r")?[1-9](?:[ \t.\-/)]{0,3}\d){8}(?!\d)"),
    # 06-12345678, 010 123 45 67, (010) 1234567: national form, 0 and nine digits.
    re.compile(r"(?<![\w+])\(?0[1-9](?:[ \t.\-/)]{0,3}\d){8}(?!\d)"),
    # +32 2 123 45 67, 0049 30 1234567: any other international number.
    re.compile(r"(?<![\w+])(?:\+|00)[1-9]\d{0,2}(?:[ \t.\-/()]{0,3}\d){6,12}(?!\d)"),
)
_IBAN_RE = re.compile(r"(?<![\w])[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?(?![\w])", re.IGNORECASE)
_POSTCODE = r"[1-9]\d{3}(?:(?P<glued>[A-Za-z]{2})|[ \t]{1,2}(?P<spaced>[A-Za-z]{2}))(?![^\W\d_])"
_POSTCODE_RE = re.compile(r"(?<![\w])" + _POSTCODE)
_HOUSE_NUMBER = r"\d{1,5}(?:[ \t]?[-/]?[ \t]?(?:[A-Za-z](?![^\W\d_])|\d{1,4}))?"
_NUMBER_WORDS = r"(?:(?:huis)?(?:nummer|nr|no|n°|#)\.?[ \t]*)?"
_AFTER_RE = re.compile(r"[ \t]*,?[ \t]*" + _NUMBER_WORDS + _HOUSE_NUMBER + r"(?!\d)", re.IGNORECASE)
_BEFORE_RE = re.compile(r"(?<![\w])" + _NUMBER_WORDS + _HOUSE_NUMBER + r"[ \t]*,?[ \t]*$", re.IGNORECASE)
# Two-letter words that follow a number in ordinary Dutch ("in 2024 en 2025", "1500 op 2000").
_NOT_POSTCODE_LETTERS = frozenset(
    "en of op in is te om al nu er ze we je ik na af uit aan de het een na bij tot ca zo ja".split()
)

_PARTICLES = frozenset(
    "van de der den het 't te ter ten in op la le el al ben bin da di du dos des von zu vd v/d".split()
)
_TITLES = frozenset(
    """meneer mevrouw mevr mw mvr dhr heer mr mrs ms miss mister familie fam buurman buurvrouw
    juffrouw dokter bey bay hanım hanim pan pani""".split()
)
# Common Dutch (and a few English) words that are also surnames or given names in the
# Netherlands: alone they are far more often the word than the person.
COMMON_WORDS = frozenset(
    """
    aan af al alle alles als an and auto baas bakker bank beek been beer berg best beter
    bij blauw bloem boer boom boon bos bosch bouwer brand brouwer brug bruin buurman de dekker
    deur dijk dik dokter dorp droog een eend eik en engel es fiets gas geel goed goud graaf
    groen groot haan haas hal hart heer hek helder hemel hoek hof hol hond hoog hoorn
    hout huis in is jager jong jonge kaas kamp kan kapper kat kerk klein koning kok kool
    koster kraan kramer kroon kruis kuiper lam land lang lange last leeuw licht lief man
    markt meer melk meester mens metselaar molen mol mulder muur nacht nieuw noord nu oost
    oude paard park pas peer plas plein post prins raad rijk ring rood roos ruiter schaap
    schilder schip school schouten slot smid smit snel sneeuw spijker stal stad steen ster
    stern storm straat stroom tafel timmerman toren trap tuin veen vis visser vogel vos vries
    vrij wagenaar wal water weg wever wijk wind winter wit wolf wolters zand zee zomer zon
    zwart hagen baker smith cook young king hill wood rose may will mark rich
    ali can deniz umut ay gül bahar derya nur
    """.split()
)
# Apostrophes split words, so a possessive or case suffix ("Amrani's", "Yılmaz'ın", "Celik’in")
# leaves the name itself as a word; only a single letter before one joins the next word
# ("O'Brien", "d'Ancona"). "ʼ" and "ʻ" are letters to the regex module, so they are excluded.
_WORD_RE = re.compile(r"(?:[^\W\d_ʼʻ]['’ʼ](?=[^\W\d_ʼʻ]{2}))?[^\W\d_ʼʻ]+")
_EXTRA_FOLDS = str.maketrans(
    {"ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "ı": "i", "đ": "d", "Đ": "d", "æ": "ae", "Æ": "ae", "’": "'", "ʼ": "'"}
)


def fold(word: str) -> str:
    """Lower case without diacritics, for comparing names ("Özdemir" → "ozdemir")."""
    decomposed = unicodedata.normalize("NFKD", word.translate(_EXTRA_FOLDS).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _words(text: str) -> list[tuple[str, int, int]]:
    return [(fold(m.group()), m.start(), m.end()) for m in _WORD_RE.finditer(text)]


class NameIndex:
    """Register names prepared once for checking many answers."""

    def __init__(self, names: Iterable[str], common_words: Iterable[str] = COMMON_WORDS) -> None:
        self.common = frozenset(fold(w) for w in common_words)
        self.phrases: set[tuple[str, ...]] = set()  # matched anywhere, as they are
        self.surnames: set[str] = set()  # last word of a surname, matched alone
        self.addressed: set[str] = set()  # matched only after a form of address
        self.particles: dict[str, set[tuple[str, ...]]] = {}  # last word → particles before it
        for name in names:
            self._add(name)
        self._max_len = max((len(p) for p in self.phrases), default=0)

    def _add(self, name: str) -> None:
        if "," in name:  # "Vries, Jan de" or "de Vries, Jan"
            surname_part, _, given_part = name.partition(",")
            given_words = [w for w, _, _ in _words(given_part)]
            particles = [w for w in given_words if w in _PARTICLES]
            given = [w for w in given_words if w not in _PARTICLES]
            surname = particles + [w for w, _, _ in _words(surname_part)]
        else:
            words = [w for w, _, _ in _words(name)]
            if not words:
                return
            split = next((i for i, w in enumerate(words) if i > 0 and w in _PARTICLES), len(words) - 1)
            given, surname = words[:split], words[split:]
        core = [w for w in surname if w not in _PARTICLES]
        if not core:
            return
        full = tuple(given + surname)
        # Given name and surname together are specific even when short ("Ben Li", "Li Wu"):
        # every letter counts, a particle ("Ben", "El") too; only initials ("J. Li") are too little.
        if len(full) >= 2 and sum(len(w) for w in full) >= 4:
            self.phrases.add(full)
            if given:
                self.phrases.add((given[0], *surname))
        last = core[-1]
        before = tuple(surname[: len(surname) - 1 - surname[::-1].index(last)])
        leading = tuple(w for w in before if w in _PARTICLES)
        if leading:
            self.particles.setdefault(last, set()).add(leading)
        if len(last) >= 4 and last not in self.common:
            self.surnames.add(last)
        elif len(last) >= 3:
            self.addressed.add(last)

    def find(self, text: str) -> list[Flag]:
        """Spans of register names in ``text`` (see the module docstring for the rule)."""
        words = _words(text)
        flags: list[Flag] = []
        for i, (word, start, end) in enumerate(words):
            for size in range(min(self._max_len, len(words) - i), 1, -1):
                if tuple(w for w, _, _ in words[i : i + size]) in self.phrases:
                    flags.append(Flag(start, words[i + size - 1][2], NAME))
                    break
            first = i
            for particles in sorted(self.particles.get(word, ()), key=len, reverse=True):
                n = len(particles)
                if i >= n and tuple(w for w, _, _ in words[i - n : i]) == particles:
                    first = i - n
                    break
            addressed = first > 0 and words[first - 1][0] in _TITLES
            if word in self.surnames or (addressed and (word in self.addressed or word in self.surnames)):
                begin = words[first - 1][1] if addressed else words[first][1]
                flags.append(Flag(begin, end, NAME))
        return flags


def _phones(text: str) -> list[Flag]:
    flags = []
    for pattern in _PHONE_RES:
        flags.extend(Flag(m.start(), m.end(), PHONE) for m in pattern.finditer(text))
    return flags


def _postcodes(text: str) -> list[Flag]:
    flags = []
    for m in _POSTCODE_RE.finditer(text):
        spaced = m.group("spaced")
        if spaced and not spaced.isupper() and spaced.lower() in _NOT_POSTCODE_LETTERS:
            continue
        start, end, reason = m.start(), m.end(), POSTCODE
        after = _AFTER_RE.match(text, end)
        if after:
            end, reason = after.end(), ADDRESS
        before = _BEFORE_RE.search(text[max(0, start - 24) : start])
        if before:
            start, reason = max(0, start - 24) + before.start(), ADDRESS
        flags.append(Flag(start, end, reason))
    return flags


# Unicode dashes and spaces become their ASCII forms before matching, one character for
# one so the spans still fit the original text: "06–12345678", "06\u202f1234\u00a05678".
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\ufe58\ufe63\uff0d"
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_ASCII_SEPARATORS = str.maketrans({**dict.fromkeys(_DASHES, "-"), **dict.fromkeys(_SPACES, " ")})


def flag_answer(text: str, names: NameIndex | Iterable[str] = ()) -> list[Flag]:
    """Everything in ``text`` that may identify a person, sorted, overlaps resolved.

    ``names`` is a :class:`NameIndex` (build it once per corporation when checking many
    answers) or any iterable of register names. Where flags overlap the longer one wins
    (an IBAN contains digits that look like a phone number).
    """
    index = names if isinstance(names, NameIndex) else NameIndex(names)
    text = text.translate(_ASCII_SEPARATORS)
    found = [Flag(m.start(), m.end(), EMAIL) for pattern in (_EMAIL_RE, _EMAIL_WORDS_RE) for m in pattern.finditer(text)]
    found += [Flag(m.start(), m.end(), IBAN) for m in _IBAN_RE.finditer(text) if any(c.isdigit() for c in m.group()[4:])]
    found += _phones(text)
    found += _postcodes(text)
    names_found = index.find(text)
    found += names_found
    found += [_number_after(text, flag) for flag in names_found if _AFTER_NAME_RE.match(text, flag.end)]
    return _without_overlaps(found)


# A house or complex number within two words after a name ("meneer Jansen van 1002",
# "Amrani (nr 12)") says where that person lives: it goes with the name.
_AFTER_NAME_RE = re.compile(r"[ \t,(]*(?:[^\W\d_]+\.?[ \t,(]+){0,2}#?(?P<number>\d{1,5}(?:[-/]?[A-Za-z](?![^\W\d_]))?)(?!\w)")


def _number_after(text: str, name: Flag) -> Flag:
    match = _AFTER_NAME_RE.match(text, name.end)
    assert match is not None
    return Flag(match.start("number"), match.end("number"), ADDRESS)


def _without_overlaps(flags: Sequence[Flag]) -> list[Flag]:
    kept: list[Flag] = []
    for flag in sorted(flags, key=lambda f: (-(f.end - f.start), f.start)):
        if all(flag.end <= k.start or flag.start >= k.end for k in kept):
            kept.append(flag)
    return sorted(kept)


def reasons(flags: Iterable[Flag]) -> list[str]:
    """The distinct reasons, in a stable order, for the review screen's summary."""
    order = (NAME, ADDRESS, POSTCODE, PHONE, EMAIL, IBAN)
    present = {f.reason for f in flags}
    return [r for r in order if r in present]


def redact(text: str, flags: Iterable[Flag] | None = None, names: NameIndex | Iterable[str] = ()) -> str:
    """``text`` with every flagged span replaced by "[…]" (flags are found when not given)."""
    flags = flag_answer(text, names) if flags is None else _without_overlaps(list(flags))
    parts, position = [], 0
    for flag in flags:
        parts.append(text[position : flag.start])
        parts.append(PLACEHOLDER)
        position = flag.end
    parts.append(text[position:])
    return "".join(parts)
