"""Flagging free-text answers that may identify someone, and redacting them."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspraak.results.quotes import (
    ADDRESS,
    EMAIL,
    IBAN,
    NAME,
    PHONE,
    POSTCODE,
    NameIndex,
    flag_answer,
    fold,
    reasons,
    redact,
)

REGISTER = ["Jan de Vries", "Fatima El Amrani", "Anna Bakker", "Mehmet Özdemir", "Łukasz Nowak", "Kees Bos",
            "Berg, Piet van den", "Li Wu", "Ben Li"]


def found(text, names=REGISTER):
    return [(f.reason, text[f.start : f.end]) for f in flag_answer(text, names)]


@pytest.mark.parametrize(
    "phone",
    ["06-12345678", "06 12345678", "06 12 34 56 78", "0612345678", "06-1234 5678", "+31 6 12345678",
     "+31612345678", "0031 6 1234 5678", "+31 (0)6 1234 5678", "010-1234567", "010 123 45 67",
     "(010) 123 45 67", "0111-123456", "020.123.4567", "+32 2 123 45 67", "0049 30 1234567"],
)
def test_phone_numbers_are_flagged_whole(phone):
    assert found(f"Bel me op {phone} na zes uur.") == [(PHONE, phone)]


@pytest.mark.parametrize(
    "text",
    ["Het kost 1.250 euro per jaar.", "Ik woon hier sinds 1998.", "Op 12-05-2024 om 10.30 uur.",
     "Blok 3, verdieping 12, 45 woningen.", "Tussen 2020 en 2024 is er 3 keer geschilderd.",
     "Nummer 14 en 16 hebben lekkage.", "0800-1234 is gratis"],
)
def test_ordinary_numbers_are_not_flagged(text):
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "span", "reason"),
    [
        ("Mijn adres: 1234 AB 12.", "1234 AB 12", ADDRESS),
        ("Postcode 1234AB, nr 5 graag", "1234AB, nr 5", ADDRESS),
        ("ik woon op 1234ab 5a", "1234ab 5a", ADDRESS),
        ("huisnummer 12-2, 3011 XY Rotterdam", "huisnummer 12-2, 3011 XY", ADDRESS),
        ("Dorpsstraat 8 1234 AB", "8 1234 AB", ADDRESS),
        ("in de buurt van 3011 XY", "3011 XY", POSTCODE),
    ],
)
def test_postcodes_with_and_without_house_number(text, span, reason):
    assert found(text) == [(reason, span)]


def test_a_year_followed_by_a_small_word_is_not_a_postcode():
    assert found("In 2024 en 2025 was het slecht, 1500 op 2000 woningen") == []
    assert found("in 2024 EN 12") == [(ADDRESS, "2024 EN 12")]  # capitals: a postcode


@pytest.mark.parametrize("email", ["jan@example.nl", "a.b-c+d@mail.co.uk", "info (at) huurders.nl", "x[at]y.org"])
def test_email_addresses_are_flagged(email):
    assert found(f"Mail {email}, graag.") == [(EMAIL, email)]


def test_iban_wins_over_the_phone_number_inside_it():
    assert found("Rekening NL91 ABNA 0417 1643 00 klopt niet") == [(IBAN, "NL91 ABNA 0417 1643 00")]


def test_full_names_match_case_and_diacritic_insensitively():
    assert found("JAN DE VRIES heeft gelijk") == [(NAME, "JAN DE VRIES")]
    assert found("buurman ozdemir helpt") == [(NAME, "buurman ozdemir")]
    assert found("ÖZDEMİR helpt") == [(NAME, "ÖZDEMİR")]
    assert found("Lukasz Nowak ook") == [(NAME, "Lukasz Nowak")]
    assert found("nowak") == [(NAME, "nowak")]


def test_surnames_alone_match_with_their_particles():
    assert found("de familie El Amrani en Amrani") == [(NAME, "familie El Amrani"), (NAME, "Amrani")]
    assert found("mevrouw van den Berg belde") == [(NAME, "mevrouw van den Berg")]
    # "van" here is a preposition, not the surname's particle: the highlight stays on the name.
    assert found("last van Özdemir") == [(NAME, "Özdemir")]


def test_common_word_surnames_match_only_after_a_form_of_address():
    assert found("De bakker is dicht en het bos is mooi.") == []
    assert found("Mevrouw Bakker en meneer Bos klagen.") == [(NAME, "Mevrouw Bakker"), (NAME, "meneer Bos")]
    assert found("de berg op") == []
    assert found("Anna Bakker belde") == [(NAME, "Anna Bakker")]


def test_given_names_and_short_names_alone_do_not_match():
    assert found("Jan en Anna en Fatima waren er") == []
    assert found("Wu") == []
    assert found("meneer Wu") == []  # shorter than 3 letters: never alone
    assert found("li kwam") == []  # a 2-letter given name alone: never


def test_short_full_names_match_when_given_name_and_surname_are_together():
    assert found("Li Wu kwam") == [(NAME, "Li Wu")]
    assert found("Gisteren belde BEN LI weer", ["Ben Li"]) == [(NAME, "BEN LI")]
    assert found("ben li", ["Ben Li"]) == [(NAME, "ben li")]
    # Alone, the short words are far more often ordinary words than this person.
    assert found("Ik ben blij, li is kort", ["Ben Li"]) == []
    assert found("meneer Li", ["Ben Li"]) == []
    # Initials with a short surname are too little to go on.
    assert found("J. Li", ["J. Li"]) == []


def test_words_are_whole_words():
    assert found("Nowakowski en Amranistraat") == []


def test_name_index_is_reusable_and_takes_custom_common_words():
    index = NameIndex(["Piet Yilmaz"], common_words=["yilmaz"])
    assert flag_answer("Yilmaz", index) == []
    assert [f.reason for f in flag_answer("meneer Yilmaz", index)] == [NAME]


def test_redact_replaces_every_flag():
    text = "Bel Jan de Vries op 06-12345678 of mail jan@example.nl (1234 AB 12)."
    assert redact(text, names=REGISTER) == "Bel […] op […] of mail […] ([…])."
    assert reasons(flag_answer(text, REGISTER)) == [NAME, ADDRESS, PHONE, EMAIL]


def test_fold_removes_case_and_diacritics():
    assert fold("ÖZDEMİR") == "ozdemir"
    assert fold("Łukasz") == "lukasz"
    assert fold("Şahin Çelik") == "sahin celik"
    assert fold("Søren") == "soren"


# --- properties -------------------------------------------------------------

SEPARATORS = st.sampled_from(["", " ", "-", ".", "  "])
ORDINARY = ["het", "dak", "lekt", "al", "maanden", "bakker", "bos", "woning", "trap", "schoon", "en", "op",
            "niemand", "doet", "iets", "graag", "beter", "onderhoud", "lift", "kapot", "tuin", "buren", "ik", "ben"]


@st.composite
def dutch_phones(draw):
    digits = draw(st.text("0123456789", min_size=8, max_size=8))
    groups = [digits[:2], digits[2:4], digits[4:6], digits[6:]] if draw(st.booleans()) else [digits[:4], digits[4:]]
    sep = draw(SEPARATORS)
    body = sep.join(groups)
    prefix = draw(st.sampled_from(["06", "06-", "06 ", "+31 6 ", "+316", "0031 6 ", "+31 (0)6 ", "0031-6-"]))
    return prefix + body


@settings(deadline=None)  # the machine is shared: timing is not what these test
@given(dutch_phones(), st.lists(st.sampled_from(ORDINARY), max_size=6))
def test_any_dutch_mobile_number_is_flagged_and_redacted(phone, words):
    text = " ".join(words + [phone] + words)
    flags = flag_answer(text, REGISTER)
    assert any(f.reason == PHONE and text[f.start : f.end] == phone for f in flags)
    assert PHONE not in reasons(flag_answer(redact(text, flags)))


@settings(deadline=None)  # the machine is shared: timing is not what these test
@given(st.sampled_from(["10", "20", "30", "70", "111", "513", "592"]), st.text("0123456789", min_size=7, max_size=7), SEPARATORS)
def test_any_landline_is_flagged(area, digits, sep):
    number = "0" + area + sep + digits[: 9 - len(area)]
    text = f"tel {number}."
    assert (PHONE, number) in found(text)


@settings(deadline=None)  # the machine is shared: timing is not what these test
@given(st.integers(1000, 9999), st.sampled_from(["AB", "XY", "ab", "Zk"]), st.integers(1, 999), st.sampled_from([" ", ""]),
       st.sampled_from([" ", ", ", ", nr ", " nr. ", " huisnummer "]))
def test_any_postcode_with_house_number_is_flagged(digits, letters, number, gap, between):
    address = f"{digits}{gap}{letters}{between}{number}"
    assert (ADDRESS, address) in found(f"Ik woon op {address} sinds kort")


@settings(deadline=None)  # the machine is shared: timing is not what these test
@given(st.from_regex(r"[a-z][a-z0-9._-]{0,10}@[a-z]{2,8}\.(nl|com|org)", fullmatch=True), st.sampled_from(ORDINARY))
def test_any_email_is_flagged(email, word):
    assert (EMAIL, email) in found(f"{word} {email} {word}")


@settings(deadline=None, max_examples=200)
@given(st.lists(st.one_of(st.sampled_from(ORDINARY), st.integers(1, 999).map(str)), max_size=25))
def test_ordinary_answers_raise_no_flags(words):
    assert found(" ".join(words)) == []


@settings(deadline=None)  # the machine is shared: timing is not what these test
@given(st.text(max_size=200))
def test_flags_are_sorted_disjoint_spans_inside_the_text(text):
    flags = flag_answer(text, REGISTER)
    assert flags == sorted(flags)
    for flag in flags:
        assert 0 <= flag.start < flag.end <= len(text)
    for a, b in zip(flags, flags[1:]):
        assert a.end <= b.start
    assert redact(text, []) == text


@settings(deadline=None)  # the machine is shared: timing is not what these test
@given(st.sampled_from(REGISTER[:5]), st.sampled_from([str.upper, str.lower, str.title]))
def test_registered_full_names_are_found_in_any_case(name, case):
    text = f"Ik sprak {case(name)} gisteren"
    assert [r for r, _ in found(text)] == [NAME]


# --- names with a possessive or case suffix ---------------------------------

@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Amrani's hond blaft", "Amrani"),
        ("El Amrani’s auto staat voor de deur", "El Amrani"),  # typographic apostrophe
        ("Yılmaz'ın kapısı", "Yılmaz"),
        ("Yılmazʼın kapısı", "Yılmaz"),  # modifier letter apostrophe
        ("Celik'in bahçesi", "Celik"),
        ("Özdemir's kat", "Özdemir"),
    ],
)
def test_a_possessive_or_case_suffix_does_not_hide_a_surname(text, span):
    assert found(text, REGISTER + ["Ahmet Yılmaz", "Emre Celik"]) == [(NAME, span)]


def test_a_one_letter_prefix_with_an_apostrophe_stays_part_of_the_name():
    assert found("O'Brien's hond", ["Sean O'Brien"]) == [(NAME, "O'Brien")]
    assert found("zo'n auto's, m'n buren", ["Sean O'Brien"]) == []


@settings(deadline=None)  # the machine is shared: timing is not what these test
@given(st.sampled_from(["'", "’", "ʼ"]), st.sampled_from(["s", "ın", "in", "nın", "e", "den", "un"]),
       st.sampled_from(["Amrani", "Özdemir", "Nowak", "NOWAK"]))
def test_any_apostrophe_suffix_after_a_surname_is_flagged(apostrophe, suffix, surname):
    assert (NAME, surname) in found(f"de deur van {surname}{apostrophe}{suffix} is kapot")


# --- Unicode dashes and spaces ------------------------------------------------

UNICODE_DASHES = ["\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212", "\uff0d"]
UNICODE_SPACES = ["\u00a0", "\u202f", "\u2009", "\u2007", "\u3000"]


@pytest.mark.parametrize("phone", ["06–12345678", "06‑12345678", "06—12345678", "06−12345678", "06\u00a012345678",
                                   "06\u202f12\u202f34\u202f56\u202f78", "+31\u00a06\u20091234\u20095678", "010–123\u00a045\u00a067"])
def test_phone_numbers_with_unicode_dashes_and_spaces_are_flagged_whole(phone):
    assert found(f"Bel mij op {phone} na zes uur.") == [(PHONE, phone)]


def test_postcodes_with_a_no_break_space_are_flagged():
    assert found("Mijn adres: 1234\u00a0AB\u00a012.") == [(ADDRESS, "1234\u00a0AB\u00a012")]


@settings(deadline=None)  # the machine is shared: timing is not what these test
@given(dutch_phones(), st.sampled_from(UNICODE_DASHES + UNICODE_SPACES), st.lists(st.sampled_from(ORDINARY), max_size=4))
def test_any_dutch_mobile_number_with_unicode_separators_is_flagged(phone, separator, words):
    phone = phone.replace("-", separator).replace(" ", separator)
    text = " ".join(words + [phone] + words)
    flags = flag_answer(text, REGISTER)
    assert any(f.reason == PHONE and text[f.start : f.end] == phone for f in flags)
    assert PHONE not in reasons(flag_answer(redact(text, flags)))


# --- obfuscated email addresses -----------------------------------------------

@pytest.mark.parametrize(
    "email",
    ["j a n @ example . org", "jan@example . org", "jan (at) example (dot) org", "jan [at] example [dot] org",
     "jan(at)example(dot)nl", "jan at example dot org", "jan AT huurders DOT co DOT uk", "jan at example punt nl",
     "j.de.vries [at] mail.example.com"],
)
def test_obfuscated_email_addresses_are_flagged_whole(email):
    assert found(f"Mail {email}, graag.") == [(EMAIL, email)]


@pytest.mark.parametrize(
    "text",
    ["We kijken at home naar tv. Nl is mooi", "I looked at the map. Dot org", "Ik was er at 5 uur. Com",
     "Het kost 12 . 50 euro", "Mail jan@example. Groeten"],
)
def test_at_and_dot_in_ordinary_text_are_not_an_email(text):
    assert found(text) == []


def test_a_sentence_after_an_email_address_stays_out_of_the_flag():
    assert found("Mail jan@example.org. Dat is het") == [(EMAIL, "jan@example.org")]


@settings(deadline=None)  # the machine is shared: timing is not what these test
@given(st.from_regex(r"[a-z][a-z0-9._-]{0,10}", fullmatch=True), st.from_regex(r"[a-z]{2,8}", fullmatch=True),
       st.sampled_from(["nl", "com", "org"]),
       st.sampled_from(["@", " @ ", "  @", "(at)", " (at) ", "[at]", " [ at ] ", " AT "]),
       st.sampled_from([".", " . ", ". ", " .", "(dot)", " (dot) ", " [dot] ", " DOT "]),
       st.booleans(), st.sampled_from(ORDINARY))
def test_any_obfuscated_email_is_flagged(local, domain, tld, at, dot, spell_out, word):
    if (at.strip() == "AT") != (dot.strip() == "DOT"):  # plain words only as a pair, see the module
        at, dot = " (at) ", " (dot) "
    if spell_out and at.strip() != "AT":  # and not after a spelt-out name: too loose
        local = " ".join(local)
    email = f"{local}{at}{domain}{dot}{tld}"
    assert (EMAIL, email) in found(f"{word} {email} {word}")


@settings(deadline=None)  # the machine is shared: timing is not what these test
@given(st.text(max_size=60))
def test_spelt_out_text_does_not_make_email_matching_slow(text):
    flag_answer(("a " * 2000) + text + " @")


# --- a house or complex number after a name ------------------------------------

@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("Meneer Jansen van 1002 is vervelend", "[…] van […] is vervelend"),
        ("Jansen van nummer 12a klaagt", "[…] van nummer […] klaagt"),
        ("Amrani (nr 12) belt steeds", "[…] (nr […]) belt steeds"),
        ("Mevrouw Bakker, 3 hoog, is aardig", "[…], […] hoog, is aardig"),
        ("Jansen heeft veel last sinds 2019", "[…] heeft veel last sinds 2019"),  # three words on: not hers
        ("Blok 1002 heeft lekkage", "Blok 1002 heeft lekkage"),  # no name: numbers stay
    ],
)
def test_a_number_just_after_a_name_is_removed_with_it(text, cleaned):
    assert redact(text, names=REGISTER + ["Piet Jansen"]) == cleaned


def test_a_number_after_a_name_is_flagged_as_an_address():
    assert found("Meneer Jansen van 1002 is vervelend", ["Piet Jansen"]) == [(NAME, "Meneer Jansen"), (ADDRESS, "1002")]


@settings(deadline=None)  # the machine is shared: timing is not what these test
@given(st.sampled_from(["Amrani", "meneer Bos", "Jan de Vries"]), st.lists(st.sampled_from(["van", "op", "nr", "uit", ","]), max_size=2),
       st.integers(1, 99999), st.sampled_from(["", "a", "B"]))
def test_any_number_within_two_words_after_a_name_is_removed(name, between, number, suffix):
    text = " ".join(["klacht over", name, *between, f"{number}{suffix}", "graag oplossen"])
    cleaned = redact(text, names=REGISTER)
    assert str(number) not in cleaned
    assert cleaned.endswith(" graag oplossen")
