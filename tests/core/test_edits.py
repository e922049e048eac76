"""Texts saved by two people at once (core.edits): each one's changes are kept; one text changed by both clashes."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspraak.core.edits import EditClash, fingerprint, merge

SHOWN = {"text": {"nl": "Hoe reist u?", "en": "How do you travel?"}, "help": {}}


def test_a_box_left_as_shown_keeps_what_someone_else_saved_meanwhile(app) -> None:  # noqa: ANN001
    stored = {"text": {**SHOWN["text"], "tr": "Nasıl seyahat?"}, "help": {}}  # a translator saved first
    sent = {"text": {"nl": "Hoe reist u?", "en": "How do you travel?", "tr": "", "ar": "كيف تسافر؟"}, "help": {"nl": ""}}
    merged = merge(fingerprint(SHOWN), stored, sent)
    assert merged["text"] == {"nl": "Hoe reist u?", "en": "How do you travel?", "tr": "Nasıl seyahat?", "ar": "كيف تسافر؟"}


def test_the_same_box_changed_by_both_is_a_clash_that_shows_both_texts(app) -> None:  # noqa: ANN001
    stored = {"text": {"nl": "Hoe reist u?", "en": "How do you get there?"}, "help": {"tr": "Yardım"}}
    sent = {"text": {"nl": "Hoe reist u?", "en": "How do you go?"}, "help": {"ar": "مساعدة"}}
    with app.test_request_context(), pytest.raises(EditClash) as clash:
        merge(fingerprint(SHOWN), stored, sent)
    assert clash.value.clashes == [("text", "en", "How do you get there?")]
    assert clash.value.texts == {"text": {"nl": "Hoe reist u?", "en": "How do you go?"},
                                 "help": {"ar": "مساعدة", "tr": "Yardım"}}
    # Sent again from the form the clash showed, it is taken.
    assert merge(clash.value.seen, stored, clash.value.texts) == clash.value.texts


def test_the_same_change_by_both_and_a_browsers_line_breaks_are_no_clash(app) -> None:  # noqa: ANN001
    stored = {"text": {"nl": "Regel een\nRegel twee"}}
    shown = {"text": {"nl": "Regel een"}}
    assert merge(fingerprint(shown), stored, {"text": {"nl": "Regel een\r\nRegel twee "}}) == {
        "text": {"nl": "Regel een\r\nRegel twee "}}


def test_a_form_without_a_fingerprint_is_saved_as_sent(app) -> None:  # noqa: ANN001
    sent = {"text": {"nl": "Nieuw"}}
    assert merge(None, SHOWN, sent) == sent
    assert merge("not json", SHOWN, sent) == sent
    assert merge('["a list"]', SHOWN, sent) == sent


def _norm(text: str) -> str:
    return text.replace("\r\n", "\n").strip()


texts = st.dictionaries(st.sampled_from(["nl", "en", "tr", "ar", "pl"]), st.text(max_size=8), max_size=5)


@given(shown=texts, mine=texts, theirs=texts)
def test_a_merge_keeps_every_change_that_is_not_a_clash(shown, mine, theirs) -> None:  # noqa: ANN001
    languages = ["nl", "en", "tr", "ar", "pl"]
    sent = {"f": {lang: mine.get(lang, shown.get(lang, "")) for lang in languages}}  # a form holds every language
    try:
        merged = merge(fingerprint({"f": shown}), {"f": theirs}, sent)["f"]
    except EditClash as clash:
        assert clash.clashes
        for _name, lang, their_text in clash.clashes:
            assert _norm(their_text) != _norm(shown.get(lang, "")) != _norm(sent["f"][lang])
            assert _norm(their_text) != _norm(sent["f"][lang])
        return
    for lang in languages:
        if _norm(sent["f"][lang]) != _norm(shown.get(lang, "")):
            assert merged[lang] == sent["f"][lang]  # what I changed is saved
        else:
            assert _norm(merged.get(lang, "")) == _norm(theirs.get(lang, ""))  # what I left keeps theirs
