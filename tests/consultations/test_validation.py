"""Every question type accepts valid answers and refuses invalid ones with a reason."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from inspraak.consultations.answer_conversion import answer_rows, to_form, value_from_rows
from inspraak.consultations.validation import (
    Form,
    Invalid,
    QuestionSpec,
    answer_limits,
    check_complete,
    parse_answer,
    parse_page,
    plain_number,
)

SINGLE = QuestionSpec(1, "single_choice", option_ids=(10, 11, 12), other_option_ids=frozenset({12}))
MULTI = QuestionSpec(2, "multiple_choice", settings={"min": 2, "max": 3}, option_ids=(20, 21, 22, 23),
                     other_option_ids=frozenset({23}))
SCALE = QuestionSpec(3, "scale", settings={"min": 1, "max": 5})
SCORE = QuestionSpec(4, "score")
YES_NO = QuestionSpec(5, "yes_no")
SHORT = QuestionSpec(6, "short_text", settings={"max_length": 10})
LONG = QuestionSpec(7, "long_text", settings={"max_length": 20})
WHOLE = QuestionSpec(8, "number", settings={"min": 0, "max": 10})
DECIMAL = QuestionSpec(9, "number", settings={"decimals": 2, "min": -1.5, "max": 100})
RANKING = QuestionSpec(10, "ranking", option_ids=(30, 31, 32))
MATRIX = QuestionSpec(11, "matrix", required=True, option_ids=(40, 41), row_ids=(50, 51))
AGREE = QuestionSpec(12, "agreement", required=True)


def parse(spec: QuestionSpec, **fields):  # noqa: ANN003, ANN201
    return parse_answer(spec, Form({k: v if isinstance(v, list) else [v] for k, v in fields.items()}))


def problem(spec: QuestionSpec, **fields) -> str:  # noqa: ANN003
    with pytest.raises(Invalid) as caught:
        parse(spec, **fields)
    return caught.value.code


def test_single_choice():
    assert parse(SINGLE, q1="10") == {"option": 10}
    assert parse(SINGLE, q1="12", q1_other="Tram") == {"option": 12, "other": "Tram"}
    assert parse(SINGLE) is None
    assert problem(SINGLE, q1="99") == "invalid_choice"
    assert problem(SINGLE, q1="abc") == "invalid_choice"
    assert problem(SINGLE, q1="12", q1_other="  ") == "other_required"
    assert problem(SINGLE, q1="12", q1_other="x" * 201) == "too_long"


def test_multiple_choice_counts_between_min_and_max():
    assert parse(MULTI, q2=["21", "20"]) == {"options": [20, 21]}
    assert parse(MULTI, q2=["20", "23"], q2_other="Bus") == {"options": [20, 23], "other": "Bus"}
    assert problem(MULTI, q2=["20"]) == "too_few"
    assert problem(MULTI, q2=["20", "21", "22", "23"], q2_other="x") == "too_many"
    assert problem(MULTI, q2=["20", "77"]) == "invalid_choice"


def test_labelled_scale_and_score():
    assert parse(SCALE, q3="1") == 1 and parse(SCALE, q3="5") == 5
    assert problem(SCALE, q3="6") == "out_of_range"
    assert problem(SCALE, q3="0") == "out_of_range"
    assert problem(SCALE, q3="two") == "out_of_range"
    assert parse(SCORE, q4="0") == 0 and parse(SCORE, q4="10") == 10
    assert problem(SCORE, q4="11") == "out_of_range"


def test_yes_no_and_agreement():
    assert parse(YES_NO, q5="yes") is True and parse(YES_NO, q5="no") is False
    assert problem(YES_NO, q5="maybe") == "invalid_choice"
    assert parse(AGREE, q12="yes") is True
    assert problem(AGREE) == "required"


def test_texts_respect_the_maximum_length():
    assert parse(SHORT, q6="  Kort  ") == "Kort"
    assert problem(SHORT, q6="x" * 11) == "too_long"
    assert parse(LONG, q7="a\r\nb") == "a\nb"
    assert problem(LONG, q7="x" * 21) == "too_long"
    assert parse(SHORT, q6="   ") is None


def test_whole_numbers():
    assert parse(WHOLE, q8="7") == "7"
    assert parse(WHOLE, q8="7,0") == "7"
    assert problem(WHOLE, q8="7,5") == "whole_number"
    assert problem(WHOLE, q8="11") == "too_large"
    assert problem(WHOLE, q8="-1") == "too_small"
    assert problem(WHOLE, q8="zeven") == "not_a_whole_number"  # its message gives a whole number as example
    assert problem(WHOLE, q8="nan") == "not_a_whole_number"
    assert problem(WHOLE, q8="1.000") == "ambiguous_whole_number"
    assert problem(DECIMAL, q9="zeven") == "not_a_number"


def test_decimal_numbers_accept_a_comma():
    assert parse(DECIMAL, q9="3,25") == "3.25"
    assert parse(DECIMAL, q9="-1.5") == "-1.5"
    assert problem(DECIMAL, q9="3.1254") == "too_many_decimals"
    assert problem(DECIMAL, q9="3.125") == "ambiguous_number"  # 3125 in Dutch, 3.125 in English
    assert problem(DECIMAL, q9="-2") == "too_small"
    assert problem(DECIMAL, q9="1e5") == "too_large"


UNLIMITED = QuestionSpec(13, "number", settings={"decimals": 6})


@pytest.mark.parametrize(("spec", "limits"), [
    (MULTI, [("choose_between", {"min": 2, "max": 3})]),
    (QuestionSpec(2, "multiple_choice", settings={"min": 2, "max": 2}), [("choose_exactly", {"n": 2})]),
    (QuestionSpec(2, "multiple_choice", settings={"min": 2}), [("too_few", {"n": 2})]),
    (QuestionSpec(2, "multiple_choice", settings={"max": 3}), [("too_many", {"n": 3})]),
    (QuestionSpec(2, "multiple_choice", settings={"min": 1, "max": ""}), []),
    (WHOLE, [("number_between", {"min": 0, "max": 10}), ("whole_number", {})]),
    (DECIMAL, [("number_between", {"min": Decimal("-1.5"), "max": 100}), ("too_many_decimals", {"n": 2})]),
    (QuestionSpec(9, "number", settings={"min": "5"}), [("too_small", {"n": 5}), ("whole_number", {})]),
    (QuestionSpec(9, "number", settings={"max": 7, "decimals": 1}), [("too_large", {"n": 7}),
                                                                     ("too_many_decimals", {"n": 1})]),
    (SINGLE, []), (SCALE, []), (QuestionSpec(6, "short_text"), []),
    # A text the editor limited was cut off while typing, without a word why.
    (LONG, [("write_at_most", {"n": 20})]), (SHORT, [("write_at_most", {"n": 10})]),
])
def test_the_limits_of_an_answer_are_named_before_answering(spec, limits):
    assert [(limit.code, limit.params) for limit in answer_limits(spec)] == limits


def test_a_number_without_limits_of_its_own_still_fits_the_column():
    assert parse(UNLIMITED, q13="999999999999") == "999999999999"
    assert parse(UNLIMITED, q13="-999999999998,25") == "-999999999998.25"
    assert parse(UNLIMITED, q13="0,000001") == "0.000001"
    assert problem(UNLIMITED, q13="1000000000000") == "too_large"
    assert problem(UNLIMITED, q13="-1e12") == "too_small"
    assert problem(UNLIMITED, q13="1e400") == "too_large"
    assert problem(UNLIMITED, q13="0,0000001") == "too_many_decimals"


@given(st.decimals(allow_nan=True, allow_infinity=True) | st.integers(-(10**30), 10**30).map(Decimal)
       | st.text(alphabet="0123456789,.-e ", max_size=40))
@example("1e1000000")  # beyond decimal's exponent limit: normalize() overflowed into an error page
@example("-1e1000000")
def test_every_number_taken_fits_numeric_18_6(raw):
    try:
        value = parse(UNLIMITED, q13=str(raw))
    except Invalid:
        return
    if value is not None:
        number = Decimal(value)
        assert abs(number) < 10**12 and -number.as_tuple().exponent <= 6


def test_ranking_needs_every_place_once():
    assert parse(RANKING, q10_o30="2", q10_o31="3", q10_o32="1") == [32, 30, 31]
    assert parse(RANKING) is None
    assert problem(RANKING, q10_o30="1", q10_o31="2") == "rank_all"
    assert problem(RANKING, q10_o30="1", q10_o31="1", q10_o32="2") == "rank_unique"
    assert problem(RANKING, q10_o30="1", q10_o31="2", q10_o32="4") == "rank_unique"


def test_matrix_rows_share_the_options():
    assert parse(MATRIX, q11_r50="40", q11_r51="41") == {"50": 40, "51": 41}
    assert problem(MATRIX, q11_r50="40") == "matrix_incomplete"
    assert problem(MATRIX, q11_r50="40", q11_r51="99") == "invalid_choice"
    assert problem(MATRIX) == "required"


def test_required_questions_need_an_answer():
    required = QuestionSpec(13, "short_text", required=True)
    assert problem(required) == "required"


def test_a_page_saved_for_later_may_leave_required_questions_open_but_not_wrong():
    required = QuestionSpec(13, "short_text", required=True)
    form = Form({"q1": ["10"], "q3": ["9"]})  # q3: a scale of 1-5; q11 (matrix) and q13 left open
    specs = [SINGLE, SCALE, MATRIX, required]
    answers, errors = parse_page(specs, form)
    assert {qid: p.code for qid, p in errors.items()} == {3: "out_of_range", 11: "required", 13: "required"}
    answers, errors = parse_page(specs, form, require=False)
    assert {qid: p.code for qid, p in errors.items()} == {3: "out_of_range"}
    assert answers == {1: {"option": 10}, 11: None, 13: None}


@pytest.mark.parametrize(
    "spec, fields",
    [
        (SINGLE, {"q1": "12", "q1_other": "Tram"}),
        (MULTI, {"q2": ["20", "23"], "q2_other": "Bus"}),
        (SCALE, {"q3": "4"}),
        (SCORE, {"q4": "0"}),
        (YES_NO, {"q5": "no"}),
        (SHORT, {"q6": "Kort"}),
        (LONG, {"q7": "Lang\nverhaal"}),
        (DECIMAL, {"q9": "3,25"}),
        (RANKING, {"q10_o30": "3", "q10_o31": "1", "q10_o32": "2"}),
        (MATRIX, {"q11_r50": "41", "q11_r51": "40"}),
    ],
)
def test_answers_survive_storage_and_showing_again(spec, fields):  # noqa: ANN001
    value = parse(spec, **fields)
    stored = [dict({"option_id": None, "row_id": None, "number": None, "text": None, "rank": None}, **row)
              for row in answer_rows(spec, value)]
    assert value_from_rows(spec, stored) == value
    assert parse_answer(spec, Form(to_form(spec, value))) == value


@pytest.mark.parametrize(("lang", "low", "limit"), [
    ("nl", "-1,5", "999.999.999.999"), ("en", "-1.5", "999,999,999,999"), ("tr", "-1,5", "999.999.999.999"),
    ("pl", "-1,5", "999\u00a0999\u00a0999\u00a0999"), ("ar", "1.5", "999,999,999,999"),
])
def test_the_limits_in_a_message_are_written_the_readers_way(app, lang, low, limit):
    from flask_babel import force_locale

    from inspraak.consultations.forms import error_message

    with app.test_request_context(), force_locale(lang):
        too_small = error_message(Invalid("too_small", n=-1.5))
        too_large = error_message(Invalid("too_large", n=Decimal("999999999999")))
        characters = error_message(Invalid("too_long", n=20))
    assert low in too_small and limit in too_large and "20" in characters


def test_a_limit_of_any_size_is_written_in_a_message(app):
    """A scale from 10**30 (old data; a hand-made answer outside it): Babel's 28 digits gave an error page."""
    from flask_babel import force_locale

    from inspraak.consultations.forms import error_message

    with app.test_request_context(), force_locale("nl"):
        message = error_message(Invalid("out_of_range", min=10**30, max=10**30 + 10))
    assert "1." + ".".join(["000"] * 10) in message and ".010" in message


@pytest.mark.parametrize("typed, meant", [
    ("1.000.000", "1000000"), ("1.234,5", "1234.5"), ("1,234.5", "1234.5"), ("12 345", "12345"),
    ("0,125", "0.125"), ("0.500", "0.500"), ("1234.000", "1234.000"), ("-1,5", "-1.5"),
    ("\u0661\u0662\u066b\u0665", "\u0661\u0662.\u0665"), ("\u0661\u066c\u0660\u0660\u0660", "\u0661\u0660\u0660\u0660"),
])
def test_numbers_are_read_the_way_people_write_them(typed, meant):
    assert plain_number(typed) == meant


def test_three_decimals_where_the_question_allows_them():
    assert plain_number("1.000", decimals=3) == "1.000" and plain_number("2,125", decimals=3) == "2.125"


@pytest.mark.parametrize("typed, code", [
    ("1.000", "ambiguous_number"), ("2,500", "ambiguous_number"), ("-999.999", "ambiguous_number"),
    ("1.2.3", "not_a_number"), ("1.23,4", "not_a_number"), ("1,2.3,4", "not_a_number"), ("1\u066b5.0", "not_a_number"),
])
def test_numbers_that_could_be_misread_are_refused(typed, code):
    with pytest.raises(Invalid) as refused:
        plain_number(typed)
    assert refused.value.code == code


@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
       st.sampled_from(["nl", "en", "tr", "pl", "ar"]), st.booleans())
def test_a_number_written_in_any_language_is_read_as_written_or_refused(number, language, grouping):
    """Never a different number: 1.000 in Dutch is not read as 1."""
    from babel.numbers import format_decimal

    typed = format_decimal(number, format="#,##0.##" if grouping else "0.##", locale=language)
    try:
        read = Decimal(plain_number(typed, decimals=2))
    except Invalid as refused:
        assert refused.code == "ambiguous_number"
    else:
        assert read == number


def test_a_number_answer_is_shown_the_readers_way(app):
    from types import SimpleNamespace

    from flask_babel import force_locale

    from inspraak.consultations.presenting import describe_answer

    question = SimpleNamespace(options=[], rows=[], type=SimpleNamespace(value="number"))
    with app.test_request_context():
        with force_locale("nl"):
            assert describe_answer(question, "1234.5", "nl") == "1.234,5"
        with force_locale("en"):
            assert describe_answer(question, "1234.5", "nl") == "1,234.5"


def test_chosen_answers_are_listed_with_the_readers_punctuation(app):
    """Arabic separates the chosen answers with its own comma (،) and table rows with its own semicolon (؛)."""
    from types import SimpleNamespace

    from flask_babel import force_locale

    from inspraak.consultations.presenting import describe_answer

    options = [SimpleNamespace(id=1, label={"nl": "Bankjes", "ar": "مقاعد"}),
               SimpleNamespace(id=2, label={"nl": "Bomen", "ar": "أشجار"})]
    choices = SimpleNamespace(options=options, rows=[], type=SimpleNamespace(value="multiple_choice"))
    table = SimpleNamespace(options=options, type=SimpleNamespace(value="matrix"),
                            rows=[SimpleNamespace(id=7, label={"nl": "Portiek", "ar": "الدرج"}),
                                  SimpleNamespace(id=8, label={"nl": "Tuin", "ar": "الحديقة"})])
    with app.test_request_context():
        with force_locale("ar"):
            assert describe_answer(choices, {"options": [1, 2]}, "nl") == "مقاعد\u060c أشجار"
            assert describe_answer(table, {"7": 1, "8": 2}, "nl") == "الدرج: مقاعد\u061b الحديقة: أشجار"
        with force_locale("nl"):
            assert describe_answer(choices, {"options": [1, 2]}, "nl") == "Bankjes, Bomen"
            assert describe_answer(table, {"7": 1, "8": 2}, "nl") == "Portiek: Bankjes; Tuin: Bomen"


# ---------------------------------------------------------------- a ranking or matrix answered in part

def test_saving_for_later_keeps_a_ranking_and_a_required_matrix_answered_in_part():
    """Save for later, back and a new language keep the part given; going on or sending still refuses it."""
    form = Form({"q10_o32": ["1"], "q11_r51": ["41"]})
    answers, errors = parse_page([RANKING, MATRIX], form, require=False)
    assert errors == {}
    assert answers == {10: [32, None, None], 11: {"51": 41}}
    # What the page shows again is what was chosen.
    assert to_form(RANKING, answers[10]) == {"q10_o32": ["1"]}
    assert to_form(MATRIX, answers[11]) == {"q11_r51": ["41"]}
    # Neither may be sent as it is: the check page and sending say what is left.
    missing = check_complete([RANKING, MATRIX], answers)
    assert {qid: problem.code for qid, problem in missing.items()} == {10: "rank_all", 11: "matrix_incomplete"}
    _answers, errors = parse_page([RANKING, MATRIX], form, require=True)
    assert {qid: problem.code for qid, problem in errors.items()} == {10: "rank_all", 11: "matrix_incomplete"}


@pytest.mark.parametrize("places", [{"q10_o30": "1", "q10_o31": "1"}, {"q10_o30": "4"}, {"q10_o30": "een"},
                                    {"q10_o30": "0"}])
def test_a_ranking_in_part_must_still_give_each_place_once_from_1_to_n(places):
    form = Form({name: [value] for name, value in places.items()})
    _answers, errors = parse_page([RANKING], form, require=False)
    assert errors[10].code == "rank_unique"


def test_a_whole_answer_and_an_optional_matrix_in_part_are_complete():
    optional = QuestionSpec(14, "matrix", option_ids=(40, 41), row_ids=(50, 51))
    answers = {10: [31, 30, 32], 11: {"50": 40, "51": 41}, 14: {"50": 40}}
    assert check_complete([RANKING, MATRIX, optional], answers) == {}
    assert check_complete([RANKING, MATRIX, optional], {})[11].code == "required"
    assert 10 not in check_complete([RANKING], {})  # an optional ranking may be left open, not half done


@given(st.lists(st.sampled_from([30, 31, 32]), unique=True, max_size=3), st.permutations([1, 2, 3]))
def test_a_ranking_in_part_comes_back_as_given(options, places):
    given_places = dict(zip(options, places))
    form = Form({f"q10_o{option}": [str(place)] for option, place in given_places.items()})
    answers, errors = parse_page([RANKING], form, require=False)
    assert errors == {}
    shown = to_form(RANKING, answers[10])
    assert {name: value[0] for name, value in shown.items()} == {f"q10_o{o}": str(p) for o, p in given_places.items()}
    assert (10 in check_complete([RANKING], answers)) == (0 < len(options) < 3)
