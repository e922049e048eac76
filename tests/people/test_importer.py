"""Reading a tenant CSV file: encodings, separators, headers, and an error with a line number for every mistake."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspraak.people import import_format
from inspraak.people.import_format import ALL_COLUMNS, MANDATORY_COLUMNS
from inspraak.people.importer import normalise_postcode, parse_date, parse_tenant_file, to_csv
from tests.people.conftest import make_record


def parse(records, *, separator=";", encoding="utf-8", columns=ALL_COLUMNS, **kwargs):  # noqa: ANN001, ANN003, ANN201
    return parse_tenant_file(to_csv(records, separator=separator, columns=columns).encode(encoding), **kwargs)


def errors(result) -> list[tuple[int, str]]:  # noqa: ANN001
    return [(problem.line, problem.template) for problem in result.errors]


def test_a_valid_file_gives_typed_rows():
    result = parse([make_record(1, house_number="12", tenancy_end="31-12-2030", language="TR", email="A@Example.org")])
    assert result.ok and result.encoding == "utf-8" and result.separator == ";"
    row = result.rows[0]
    assert row.line == 2
    assert row.house_number == 12
    assert row.tenancy_start == date(2019, 5, 1) and row.tenancy_end == date(2030, 12, 31)
    assert row.language == "tr"
    assert row.email == "a@example.org"


@pytest.mark.parametrize("separator", [";", ","])
def test_both_separators_are_detected(separator):
    result = parse([make_record(1, street="Laan, van Nieuw; Oost"), make_record(2)], separator=separator)
    assert result.ok, result.errors
    assert result.separator == separator
    assert result.rows[0].street == "Laan, van Nieuw; Oost"


def test_utf8_with_and_without_bom():
    records = [make_record(1, name="Şükrü Çelik", city="Ĳsselstein")]
    plain = parse(records)
    with_bom = parse_tenant_file(b"\xef\xbb\xbf" + to_csv(records).encode())
    assert plain.ok and with_bom.ok
    assert plain.rows[0].name == with_bom.rows[0].name == "Şükrü Çelik"
    assert with_bom.rows[0].unit_number == "VHE00001"  # the BOM is not part of the first column name


def test_windows_1252_as_exported_by_housing_systems():
    result = parse([make_record(1, name="Zoë Müller-Françoise", street="Señorstraße")], encoding="cp1252")
    assert result.ok, result.errors
    assert result.encoding == "cp1252"
    assert result.rows[0].name == "Zoë Müller-Françoise"
    assert result.rows[0].street == "Señorstraße"


def test_an_old_end_of_file_mark_is_ignored():
    assert parse_tenant_file(to_csv([make_record(1)]).encode("cp1252") + b"\x1a").ok


def test_headers_ignore_case_spaces_and_underscores():
    header = "Unit Number;STREET;house-number;Postcode;city;Tenancy  Number;tenancy_start;Person_Number;Name\r\n"
    data = header + "VHE1;Kerkstraat;3;1234ab;Utrecht;T1;2020-01-01;P1;Anna\r\n"
    result = parse_tenant_file(data.encode())
    assert result.ok, result.errors
    assert result.rows[0].postcode == "1234 AB"
    assert result.columns == frozenset(MANDATORY_COLUMNS)


def test_only_mandatory_columns_are_needed():
    result = parse([make_record(1)], columns=MANDATORY_COLUMNS)
    assert result.ok
    assert result.rows[0].language is None and result.rows[0].email is None


@pytest.mark.parametrize("missing", MANDATORY_COLUMNS)
def test_a_missing_mandatory_column_is_named(missing):
    result = parse([make_record(1)], columns=[c for c in ALL_COLUMNS if c != missing])
    assert errors(result) == [(1, import_format.MISSING_COLUMN)]
    assert missing in result.errors[0].message


def test_a_column_twice_and_unknown_columns():
    data = "unit_number;street;house_number;postcode;city;tenancy_number;tenancy_start;person_number;name;name;remarks\r\n"
    result = parse_tenant_file(data.encode())
    assert errors(result) == [(1, import_format.DUPLICATE_COLUMN)]
    assert "name" in result.errors[0].message
    assert "remarks" in result.warnings[0].message


def test_complex_columns_come_together():
    result = parse([make_record(1)], columns=[c for c in ALL_COLUMNS if c != "neighbourhood"])
    assert (1, import_format.COLUMN_NEEDS_COLUMN) in errors(result)


@pytest.mark.parametrize(
    ("data", "template"),
    [
        (b"", import_format.EMPTY_FILE),
        (b" \r\n\r\n", import_format.EMPTY_FILE),
        (b"PK\x03\x04\x14\x00\x06\x00rest of a zip", import_format.EXCEL_FILE),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old excel", import_format.EXCEL_FILE),
        ("unit_number;name\r\n".encode("utf-16"), import_format.UTF16_FILE),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", import_format.NOT_CSV),
        (b"%PDF-1.7\n\x01\x02\x03 binary", import_format.NOT_CSV),
        (b"just some words\r\nand more words\r\n", import_format.NO_HEADER),
    ],
)
def test_files_that_are_not_tenant_csv_files(data, template):
    result = parse_tenant_file(data)
    assert errors(result) == [(1, template)]


def test_bytes_that_are_not_windows_1252_give_an_encoding_error_with_the_line():
    data = to_csv([make_record(1), make_record(2)]).encode("cp1252") + b"VHE3;Stra\x81t\r\n"
    result = parse_tenant_file(data)
    assert errors(result) == [(4, import_format.BAD_ENCODING)]


def test_a_nul_byte_past_the_start_gives_an_encoding_error_with_its_line():
    records = [make_record(n) for n in range(1, 120)]
    text = to_csv(records)
    assert len(text.encode()) > 4096
    data = text.encode() + b"VHE999;Stra\x00t\r\n"
    result = parse_tenant_file(data)
    assert errors(result) == [(len(records) + 2, import_format.BAD_ENCODING)]


def test_a_header_without_tenants():
    result = parse([])
    assert errors(result) == [(1, import_format.NO_ROWS)]


@pytest.mark.parametrize(
    ("overrides", "template"),
    [
        ({"unit_number": ""}, import_format.REQUIRED),
        ({"name": "  "}, import_format.REQUIRED),
        ({"tenancy_start": ""}, import_format.REQUIRED),
        ({"street": "x" * 201}, import_format.TOO_LONG),
        ({"house_number": "12a"}, import_format.BAD_HOUSE_NUMBER),
        ({"house_number": "0"}, import_format.BAD_HOUSE_NUMBER),
        ({"house_number": "-3"}, import_format.BAD_HOUSE_NUMBER),
        ({"house_number": "100000"}, import_format.BAD_HOUSE_NUMBER),
        ({"postcode": "0123 AB"}, import_format.BAD_POSTCODE),
        ({"postcode": "12345"}, import_format.BAD_POSTCODE),
        ({"postcode": "B-1000"}, import_format.BAD_POSTCODE),
        ({"tenancy_start": "2020-02-30"}, import_format.BAD_DATE),
        ({"tenancy_start": "01/02/2020"}, import_format.BAD_DATE),
        ({"tenancy_end": "next year"}, import_format.BAD_DATE),
        ({"tenancy_end": "2019-04-30"}, import_format.END_BEFORE_START),
        ({"email": "jan@"}, import_format.BAD_EMAIL),
        ({"email": "jan at example.org"}, import_format.BAD_EMAIL),
        ({"email": "jan..de.vries@example.org"}, import_format.BAD_EMAIL),
        ({"language": "de"}, import_format.BAD_LANGUAGE),
        ({"neighbourhood": ""}, import_format.COMPLEX_WITHOUT_NEIGHBOURHOOD),
        ({"complex_number": "", "complex_name": ""}, import_format.NEIGHBOURHOOD_WITHOUT_COMPLEX),
    ],
)
def test_each_bad_value_gives_its_error_on_its_line(overrides, template):
    result = parse([make_record(1), make_record(2), make_record(3, **overrides)])
    assert errors(result) == [(4, template)]
    assert not result.ok


def test_every_error_of_a_line_is_reported():
    result = parse([make_record(1, house_number="x", postcode="?", email="?")])
    assert {t for _line, t in errors(result)} == {import_format.BAD_HOUSE_NUMBER, import_format.BAD_POSTCODE, import_format.BAD_EMAIL}


def test_a_line_with_too_many_or_too_few_values():
    data = to_csv([make_record(1)]) + "VHE2;Straat;2\r\n" + to_csv([make_record(3, street="Laan")]).split("\r\n", 1)[1]
    data = data.replace("Laan;", "Laan;extra;", 1)
    result = parse_tenant_file(data.encode())
    assert errors(result) == [(3, import_format.FIELD_COUNT), (4, import_format.FIELD_COUNT)]


def test_trailing_separators_and_empty_lines_are_fine():
    text = to_csv([make_record(1)], columns=MANDATORY_COLUMNS)
    header, line = text.rstrip("\r\n").split("\r\n")
    data = f"{header};;\r\n\r\n{line};;\r\n;;;;;;;;;;;\r\n"
    result = parse_tenant_file(data.encode())
    assert result.ok, result.errors
    assert [row.line for row in result.rows] == [3]


def test_line_numbers_count_physical_lines_with_newlines_inside_quotes():
    records = [make_record(1, street="Lange\nStraat"), make_record(2, postcode="wrong")]
    result = parse(records)
    assert errors(result) == [(4, import_format.BAD_POSTCODE)]


def test_a_broken_quote_is_an_error_not_a_crash():
    data = to_csv([make_record(1)], columns=MANDATORY_COLUMNS) + 'VHE2;"Straat"x;2;1234 AB;Utrecht;T2;2020-01-01;P2;Jan\r\n'
    result = parse_tenant_file(data.encode())
    assert errors(result) == [(3, import_format.UNREADABLE)]


def test_too_many_rows():
    result = parse([make_record(n) for n in range(1, 5)], max_rows=3)
    assert errors(result) == [(5, import_format.TOO_MANY_ROWS)]


def test_the_same_person_twice():
    result = parse([make_record(1), make_record(2), make_record(3, person_number="P000001")])
    assert errors(result) == [(4, import_format.DUPLICATE_PERSON)]
    assert "line 2" in result.errors[0].message


def test_one_tenancy_on_two_dwellings():
    result = parse([make_record(1), make_record(2, tenancy_number="T000001")])
    assert errors(result) == [(3, import_format.TENANCY_TWO_DWELLINGS)]
    assert "VHE00001" in result.errors[0].message and "VHE00002" in result.errors[0].message


def test_one_tenancy_with_two_start_dates():
    household = make_record(1)
    result = parse([household, {**household, "person_number": "P9", "tenancy_start": "2019-05-02"}])
    assert errors(result) == [(3, import_format.TENANCY_CONFLICT)]


@pytest.mark.parametrize("column", ["street", "house_number", "house_number_addition", "postcode", "city", "complex_number"])
def test_a_dwelling_with_conflicting_addresses(column):
    first = make_record(1)
    other = {"street": "Kerkstraat", "house_number": 99, "house_number_addition": "B", "postcode": "3512 CD",
             "city": "Zeist", "complex_number": "C2"}[column]
    second = {**first, "person_number": "P9", column: other}
    result = parse([first, second])
    assert errors(result) == [(3, import_format.DWELLING_CONFLICT)]
    assert column in result.errors[0].message


def test_a_complex_and_a_neighbourhood_with_conflicting_details():
    result = parse([make_record(3), make_record(6, complex_name="Other name"), make_record(9, neighbourhood_cbs_code="WK9")])
    assert errors(result) == [(3, import_format.COMPLEX_CONFLICT), (4, import_format.NEIGHBOURHOOD_CONFLICT)]


def test_households_that_overlap_in_one_dwelling():
    old = make_record(1, tenancy_end="2021-01-01")
    new = {**old, "tenancy_number": "T2", "person_number": "P2", "tenancy_start": "2021-01-01", "tenancy_end": ""}
    assert parse([old, new]).ok  # the end date is the first day of the next household
    overlapping = {**new, "tenancy_start": "2020-12-31"}
    assert errors(parse([old, overlapping])) == [(3, import_format.TENANCY_OVERLAP)]


@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)))
def test_both_date_forms_read_back_within_the_years_people_mean(day):
    expected = day if 1900 <= day.year <= 2199 else None  # year 9999 is a slip, not a tenancy
    assert parse_date(day.isoformat()) == expected
    assert parse_date(day.strftime("%d-%m-%Y")) == expected
    assert parse_date(f"{day.day}-{day.month}-{day.year}") == expected


@given(st.integers(1000, 9999), st.text("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=2), st.sampled_from(["", " ", "  "]))
def test_postcodes_are_normalised(digits, letters, gap):
    assert normalise_postcode(f"{digits}{gap}{letters}") == f"{digits} {letters.upper()}"


@given(st.text(max_size=12))
def test_parsing_never_crashes(text):
    result = parse_tenant_file(text.encode("utf-8"))
    assert result.ok or all(problem.line >= 1 and problem.message for problem in result.errors)


def test_a_value_longer_than_the_csv_modules_cell_limit_is_named_too_long():
    result = parse([make_record(1, name="N" * 200_000)])
    assert errors(result) == [(2, import_format.TOO_LONG)]
    assert result.errors[0].params["column"] == "name"


@pytest.mark.parametrize(("lang", "limit", "told"), [
    ("en", 1, "<bdi>street</bdi> is too long: at most 1 character."),
    ("pl", 2, "Wartość w kolumnie <bdi>street</bdi> jest za długa: może mieć najwyżej 2 znaki."),
    ("pl", 200, "Wartość w kolumnie <bdi>street</bdi> jest za długa: może mieć najwyżej 200 znaków."),
    ("ar", 3, "المسموح به 3 أحرف على الأكثر."),
    ("ar", 11, "المسموح به 11 حرفًا على الأكثر."),
])
def test_a_too_long_value_is_told_in_the_plural_of_the_limit(app, lang, limit, told):
    from flask_babel import force_locale

    from inspraak.people.manage import describe

    problem = import_format.Problem(4, import_format.TOO_LONG, {"column": "street", "max": limit})
    with app.test_request_context(), force_locale(lang):
        assert describe(problem) == told if lang == "en" else told in describe(problem)


@pytest.mark.parametrize(("lang", "found", "told"), [
    ("en", 1, "This line has 1 value instead of 9, one for each column"),
    ("en", 2, "This line has 2 values instead of 9, one for each column"),
    ("pl", 1, "Ten wiersz ma 1 wartość zamiast 9"),
    ("pl", 5, "Ten wiersz ma 5 wartości zamiast 9"),
    ("ar", 2, "في هذا السطر قيمتان بدلًا من 9"),
    ("ar", 12, "في هذا السطر 12 قيمةً بدلًا من 9"),
])
def test_a_line_with_the_wrong_number_of_values_agrees_with_its_own_count(app, lang, found, told):
    """The message held two counts (values, columns); now only the line's own count takes a noun."""
    from flask_babel import force_locale

    from inspraak.people.manage import describe

    problem = import_format.Problem(3, import_format.FIELD_COUNT, {"found": found, "expected": 9, "separator": ";"})
    with app.test_request_context(), force_locale(lang):
        assert told in describe(problem)


def test_the_command_line_reads_a_counted_message_in_english():
    problem = import_format.Problem(5, import_format.TOO_MANY_ROWS, {"max": 1})
    assert problem.message == "The file has more than 1 tenant. That is more than this installation accepts."
    assert import_format.Problem(5, import_format.TOO_MANY_ROWS, {"max": 3}).message.startswith("The file has more than 3 tenants.")
