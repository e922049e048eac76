"""Texts saved by two people at once (core.edits): each one's changes are kept; one text changed by both clashes."""
from __future__ import annotations

import enum
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspraak.core.edits import EditClash, fingerprint, merge, merge_all, merge_values

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


# ---------------------------------------------------------------- values (settings, choices, dates, tick boxes)

class Unit(enum.Enum):
    PERSON = "person"
    DWELLING = "dwelling"


RULES = {"required": True, "min": 1, "max": 5, "unit": Unit.PERSON, "on": date(2026, 5, 1)}


def test_a_value_left_as_shown_keeps_what_someone_else_saved_meanwhile() -> None:
    stored = {**RULES, "max": 7}  # someone else raised the highest value
    sent = {**RULES, "required": False, "unit": "dwelling"}  # the sender changed two other fields (a choice as sent)
    assert merge_values(fingerprint(values=RULES), stored, sent) == {**RULES, "max": 7, "required": False,
                                                                     "unit": "dwelling"}


def test_one_value_changed_by_both_is_a_clash_with_what_is_stored_now(app) -> None:  # noqa: ANN001
    stored = {**RULES, "on": date(2026, 6, 1), "required": False}
    sent = {**RULES, "on": date(2026, 7, 1), "max": 9}
    with app.test_request_context("/?lang=en"), pytest.raises(EditClash) as clash:
        merge_values(fingerprint(values=RULES), stored, sent)
    assert clash.value.clashes == [("on", None, date(2026, 6, 1))]
    assert clash.value.values == {**RULES, "on": date(2026, 7, 1), "max": 9, "required": False}
    assert str(clash.value) == "Someone else saved this page at the same moment. Your changes are not saved yet. " \
                               "Check the marked fields and save again."
    # Sent again from the form the clash showed, it is taken.
    assert merge_values(clash.value.seen, stored, clash.value.values) == clash.value.values


def test_fields_kept_together_clash_when_both_changed_something_in_the_group(app) -> None:  # noqa: ANN001
    stored = {**RULES, "max": 3}  # someone else lowered the highest value
    sent = {**RULES, "min": 4}  # the sender raised the lowest: each alone is fine, together not
    with app.test_request_context(), pytest.raises(EditClash) as clash:
        merge_values(fingerprint(values=RULES), stored, sent, together=[("min", "max")])
    assert clash.value.clashes == [("max", None, 3)]  # the field the other person changed is marked
    assert clash.value.values == {**RULES, "min": 4, "max": 3}
    # Changed on one side only, a group is merged as one.
    assert merge_values(fingerprint(values=RULES), stored, {**RULES, "unit": Unit.DWELLING},
                        together=[("min", "max")]) == {**RULES, "max": 3, "unit": Unit.DWELLING}


def test_a_set_is_merged_per_member() -> None:
    shown = {"roles": {"editor"}}
    stored = {"roles": {"editor", "publisher"}}  # someone else added a role
    sent = {"roles": {"admin"}}  # the sender added another and took one away
    assert merge_values(fingerprint(values=shown), stored, sent) == {"roles": {"admin", "publisher"}}


def test_the_same_change_by_both_moments_to_the_minute_and_empty_texts_are_no_clash() -> None:
    shown = {"opens": datetime(2026, 5, 1, 8, 0, 30, tzinfo=timezone.utc), "note": None, "n": 1}
    stored = {"opens": datetime(2026, 5, 1, 10, 0, tzinfo=timezone(timedelta(hours=2))), "note": "x", "n": 2}
    sent = {"opens": datetime(2026, 5, 1, 8, 0, tzinfo=timezone.utc), "note": "x\r\n", "n": 2}
    assert merge_values(fingerprint(values=shown), stored, sent) == stored


def test_a_form_without_a_fingerprint_of_its_values_is_saved_as_sent() -> None:
    sent = {**RULES, "max": 2}
    assert merge_values(None, {**RULES, "max": 9}, sent) == sent
    assert merge_values(fingerprint({"text": {"nl": "Vraag"}}), {**RULES, "max": 9}, sent) == sent  # shown before


def test_texts_and_values_clash_together_and_nothing_is_kept(app) -> None:  # noqa: ANN001
    shown_texts, stored_texts = {"text": {"nl": "Vraag"}}, {"text": {"nl": "Vraag?"}}
    with app.test_request_context(), pytest.raises(EditClash) as clash:
        merge_all(fingerprint(shown_texts, RULES), (stored_texts, {"text": {"nl": "Vraag!"}}),
                  ({**RULES, "min": 2}, {**RULES, "min": 3}))
    assert clash.value.clashes == [("text", "nl", "Vraag?"), ("min", None, 2)]
    assert clash.value.seen == fingerprint(stored_texts, {**RULES, "min": 2})


values = st.fixed_dictionaries({"a": st.one_of(st.none(), st.integers(0, 3)), "b": st.booleans(),
                                "c": st.one_of(st.none(), st.integers(0, 3))})


@given(shown=values, mine=values, theirs=values, grouped=st.booleans())
def test_a_merge_of_values_keeps_every_change_that_is_not_a_clash(shown, mine, theirs, grouped) -> None:  # noqa: ANN001
    groups = [("a", "b"), ("c",)] if grouped else [("a",), ("b",), ("c",)]

    def changed(side: dict, group: tuple) -> bool:
        return any(side[n] != shown[n] for n in group)

    try:
        merged = merge_values(fingerprint(values=shown), theirs, mine, together=groups[:1] if grouped else [])
    except EditClash as clash:
        for name, lang, their_value in clash.clashes:
            assert lang is None and their_value == theirs[name] and theirs[name] != shown[name]
        assert any(changed(mine, g) and changed(theirs, g) and any(mine[n] != theirs[n] for n in g) for g in groups)
        return
    for group in groups:
        mine_counts = any(mine[n] != shown[n] and mine[n] != theirs[n] for n in group)  # not the same change as theirs
        for name in group:
            if mine_counts:
                assert merged[name] == mine[name]  # what I changed is saved, with its group
            else:
                assert merged[name] == theirs[name]  # what I left (or changed as they did) keeps theirs


def test_a_clash_is_shown_on_the_form_in_the_words_of_its_fields(app) -> None:  # noqa: ANN001
    """The form keeps the sender's own change, shows the other person's change where the sender left a field,
    and says beside a field both changed what it holds now, as the form words it (a choice's label, yes or no)."""
    from wtforms import BooleanField, HiddenField, SelectField, StringField

    from inspraak.core.forms import DateField, FlaskForm, IntegerField, MultiCheckboxField, show_clash

    class SettingsForm(FlaskForm):
        seen = HiddenField()
        unit = SelectField("Unit", choices=[("person", "One answer per person"), ("dwelling", "One per home")])
        places = MultiCheckboxField("Places", choices=[(1, "North"), (2, "South")], coerce=int)
        required = BooleanField("Required")
        most = IntegerField("Most")
        on = DateField("On")
        name = StringField("Name")

    shown = {"unit": Unit.PERSON, "places": {1}, "required": True, "most": 5, "on": None, "name": "A"}
    stored = {"unit": Unit.DWELLING, "places": {1, 2}, "required": True, "most": 1000, "on": date(2026, 5, 1),
              "name": "B"}
    sent = {"unit": "person", "places": {1}, "required": False, "most": 6, "on": date(2026, 6, 1), "name": "C"}
    data = {"unit": "person", "places": ["1"], "most": "6", "on": "2026-06-01", "name": "C",
            "seen": fingerprint(values=shown)}
    with app.test_request_context("/?lang=en", method="POST", data=data):
        form = SettingsForm(meta={"csrf": False})
        assert form.validate()
        with pytest.raises(EditClash) as clash:
            merge_values(form.seen.data, stored, sent, together=[("unit", "required")])
        show_clash(form, clash.value)
        notes = {name: form[name].errors for name in ("unit", "places", "required", "most", "on", "name")}
        html = {name: str(form[name]()) for name in ("unit", "required", "most", "on", "places")}
    assert notes == {
        # The two are kept together: the sender changed one, the other person the other.
        "unit": ["Someone else changed this at the same moment. It is now: <bdi>One per home</bdi>. Choose what you want and "
                 "save again."],
        "required": [],
        "places": [],  # merged per member: the other person's place is added, nothing to choose
        "most": ["Someone else changed this at the same moment. It is now: <bdi>1,000</bdi>. Choose what you want and save "
                 "again."],
        "on": ["Someone else changed this at the same moment. It is now: <bdi>May 1, 2026</bdi>. Choose what you want and "
               "save again."],
        "name": ["Someone else changed this text at the same moment. It now reads: “<bdi>B</bdi>”. Keep the text you want and "
                 "save again."],
    }
    assert 'value="6"' in html["most"] and 'value="2026-06-01"' in html["on"]  # the sender's own changes stay
    assert 'selected value="dwelling"' in html["unit"] and "checked" not in html["required"]
    assert html["places"].count("checked") == 2  # the place the other person added is shown ticked
    assert form.seen.data == fingerprint(values=stored)


def test_values_are_described_in_the_readers_language(app) -> None:  # noqa: ANN001
    from wtforms import BooleanField, DateTimeLocalField

    from inspraak.core.forms import FlaskForm, describe

    class Form(FlaskForm):
        active = BooleanField("May sign in")
        opens = DateTimeLocalField("Opens")

    with app.test_request_context("/?lang=nl"):
        form = Form(meta={"csrf": False})
        assert describe(form.active, False) == "Nee"
        assert describe(form.opens, datetime(2026, 5, 1, 8, 30, tzinfo=timezone.utc)) == "1 mei 2026, 10:30"
        assert describe(form.opens, None) == "leeg"


def test_a_text_someone_else_emptied_is_said_to_be_empty(app) -> None:  # noqa: ANN001
    from wtforms import StringField

    from inspraak.core.forms import FlaskForm, clash_note

    class Form(FlaskForm):
        name = StringField("Name")

    with app.test_request_context("/?lang=en"):
        form = Form(meta={"csrf": False})
        assert clash_note(form.name, "") == ("Someone else changed this at the same moment. It is now: <bdi>empty</bdi>. "
                                             "Choose what you want and save again.")
        assert clash_note(form.name, "Anna") == ("Someone else changed this text at the same moment. It now reads: "
                                                 "“<bdi>Anna</bdi>”. Keep the text you want and save again.")


def test_a_clash_note_isolates_the_value_from_the_arabic_sentence_and_escapes_it(app) -> None:  # noqa: ANN001
    """A Dutch value on an Arabic page: without <bdi> 'Tuin 2.' came out as '2 Tuin.' and its full stop jumped."""
    from wtforms import SelectField, StringField

    from inspraak.core.forms import FlaskForm, clash_note

    class Form(FlaskForm):
        name = StringField("Name")
        unit = SelectField("Unit", choices=[("a", "Tuin 2")])

    with app.test_request_context("/?lang=ar"):
        form = Form(meta={"csrf": False})
        assert "<bdi>Tuin 2</bdi>" in clash_note(form.unit, "a")
        assert "<bdi>&lt;b&gt;Tuin 2&lt;/b&gt;</bdi>" in clash_note(form.name, "<b>Tuin 2</b>")
