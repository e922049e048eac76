"""Numbers and dates from addresses, query strings and forms stay within what the database and the
calendar hold: beyond, the reader gets a message, never an error page."""
from __future__ import annotations

import pytest
import wtforms
from flask_babel import force_locale
from flask_wtf import FlaskForm
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from wtforms.validators import NumberRange, Optional

from inspraak.core.forms import (
    DATE_OUT_OF_RANGE,
    OUT_OF_RANGE,
    DateField,
    DateTimeLocalField,
    IntegerField,
    Length,
    WebAddress,
)
from inspraak.core.security import MAX_INTEGER, bounded_int


@given(st.integers(min_value=-(2**80), max_value=2**80) | st.integers(-MAX_INTEGER - 2, -MAX_INTEGER + 2)
       | st.integers(MAX_INTEGER - 2, MAX_INTEGER + 2))
def test_bounded_int_takes_exactly_the_integer_range(n):
    if abs(n) <= MAX_INTEGER:
        assert bounded_int(str(n)) == n
    else:
        with pytest.raises(ValueError):
            bounded_int(str(n))


@pytest.mark.parametrize("raw", ["", "x", "1.5", "1e3", "NaN", "--1"])
def test_bounded_int_refuses_what_is_not_a_whole_number(raw):
    with pytest.raises(ValueError):
        bounded_int(raw)


@pytest.mark.parametrize(("raw", "page"), [("3", 3), ("99999999999999999999", 1), ("-5", -5), ("x", 1)])
def test_a_query_string_number_beyond_the_range_is_the_default(raw, page):
    assert MultiDict({"page": raw}).get("page", 1, type=bounded_int) == page


class _Form(FlaskForm):
    class Meta:
        csrf = False

    count = IntegerField("Count", validators=[Optional(), NumberRange(min=0)])


@pytest.mark.parametrize(("raw", "ok", "message"), [
    ("12", True, None),
    (str(MAX_INTEGER), True, None),
    (str(MAX_INTEGER + 1), False, OUT_OF_RANGE),
    ("99999999999999999999999999999", False, OUT_OF_RANGE),
    ("-99999999999999999999999999999", False, OUT_OF_RANGE),  # before the field's own "at least 0"
    ("-1", False, None),
    ("", True, None),
])
def test_a_form_refuses_a_number_no_column_holds_with_a_message_beside_the_field(app, raw, ok, message):
    with app.test_request_context(method="POST", data={"count": raw}):
        form = _Form()
        assert form.validate() is ok
        if message is not None:
            assert form.count.errors == [str(message)] and form.count.data is None


@pytest.mark.parametrize("lang", ["nl", "en", "tr", "ar", "pl"])
def test_the_messages_are_translated(app, lang):
    from flask_babel import force_locale

    with app.test_request_context(), force_locale(lang):
        number, day = str(OUT_OF_RANGE), str(DATE_OUT_OF_RANGE) % {"first": 1900, "last": 2199}
    assert (lang == "en") == (number == "This number is too large or too small.")
    assert "1900" in day and "2199" in day
    assert (lang == "en") == day.startswith("Choose a date between the years")


class _DatesForm(FlaskForm):
    class Meta:
        csrf = False

    day = DateField("Day", validators=[Optional()])
    moment = DateTimeLocalField("Moment", validators=[Optional()])


@pytest.mark.parametrize(("day", "moment", "ok"), [
    ("2026-11-28", "2026-11-28T20:00", True),
    ("1900-01-01", "2199-12-31T23:59", True),
    ("9999-12-31", "", False),
    ("", "9999-12-31T23:59", False),
    ("0001-01-01", "", False),
    ("1899-12-31", "2200-01-01T00:00", False),
])
def test_a_date_outside_the_years_people_mean_is_refused_with_a_message(app, day, moment, ok):
    with app.test_request_context(method="POST", data={"day": day, "moment": moment}):
        form = _DatesForm()
        assert form.validate() is ok
        for field in (form.day, form.moment):
            if field.errors:
                assert field.errors == [str(DATE_OUT_OF_RANGE) % {"first": 1900, "last": 2199}]
                assert field.data is None


@pytest.mark.parametrize(("day", "moment"), [("2026-02-31", "2026-02-31T20:00"), ("31-02-2026", "morgen"),
                                           ("\u0663\u0661", "2026-11-28 25:00")])
def test_what_cannot_be_read_as_a_date_says_choose_a_date_in_the_readers_language(app, day, moment):
    """WTForms' own "Not a valid date value." stood beside some date fields, "Choose a date." beside others."""
    with app.test_request_context("/?lang=pl", method="POST", data={"day": day, "moment": moment}):
        form = _DatesForm()
        assert form.validate() is False
        assert form.day.errors == ["Proszę wybrać datę."] and form.day.data is None
        assert form.moment.errors == ["Proszę wybrać datę i godzinę."] and form.moment.data is None


class _TextForm(FlaskForm):
    class Meta:
        csrf = False

    name = wtforms.StringField("Name", validators=[Length(max=5)])
    link = wtforms.StringField("Link", validators=[Optional(), WebAddress()])


@pytest.mark.parametrize("lang", ["nl", "en", "tr", "ar", "pl"])
def test_too_long_text_is_said_in_the_readers_language(app, lang):
    """WTForms' own Arabic catalogue lacks the plural for most lengths: the message came out in English."""
    with app.test_request_context(method="POST", data={"name": "x" * 200}), force_locale(lang):
        form = _TextForm()
        assert not form.validate()
        (message,) = form.name.errors
    assert "5" in message
    assert (lang == "en") == (message == "Write at most 5 characters.")
    assert "Field cannot be longer" not in message


@pytest.mark.parametrize(("lang", "limit", "told"), [
    ("en", 1, "Write at most 1 character."), ("nl", 1, "Schrijf hoogstens 1 teken."),
    ("pl", 1, "Proszę wpisać najwyżej 1 znak."), ("pl", 3, "Proszę wpisać najwyżej 3 znaki."),
    ("pl", 5, "Proszę wpisać najwyżej 5 znaków."), ("ar", 2, "اكتب حرفين على الأكثر."),
    ("ar", 5, "اكتب 5 أحرف على الأكثر."), ("ar", 11, "اكتب 11 حرفًا على الأكثر."), ("en", 2000, "Write at most 2,000 characters."),
])
def test_too_long_text_takes_the_plural_of_the_limit(app, lang, limit, told):
    """"Write at most 1 characters"; Polish "5 znaków" but "3 znaki", Arabic "5 أحرف" but "11 حرفًا"."""
    class LimitedForm(FlaskForm):
        class Meta:
            csrf = False

        name = wtforms.StringField("Name", validators=[Length(max=limit)])

    with app.test_request_context(method="POST", data={"name": "x" * (limit + 1)}), force_locale(lang):
        form = LimitedForm()
        assert not form.validate()
        assert form.name.errors == [told]


@pytest.mark.parametrize(("link", "ok"), [
    ("https://example.org/voorstel.pdf", True), ("http://example.org", True), ("HTTPS://EXAMPLE.ORG", True),
    ("javascript://example.com/%0Aalert(1)", False), ("data://example.com/x", False), ("ftp://example.org", False),
    ("https://", False), ("voorstel.pdf", False),
])
def test_a_link_must_be_a_web_address(app, link, ok):
    with app.test_request_context(method="POST", data={"link": link}):
        assert _TextForm().validate() is ok
