"""Reading and checking a tenant CSV file: encoding, separator, headers, rows and cross-row rules.

Pure: no Flask, no database. Messages are English templates marked with ``N_`` (or ``_n`` for those
with a count) so that ``pybabel extract`` collects them; views translate them with
``gettext(template, **params)`` (a counted one with ``template.render(**params)``).
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from inspraak.core.plurals import Counted
from inspraak.core.plurals import Counted as _n
from inspraak.core.timeutil import FIRST_YEAR, LAST_YEAR


def N_(message: str) -> str:  # noqa: N802 - the name pybabel knows for "mark, translate later"
    """Mark a message for translation without translating it here."""
    return message


# --------------------------------------------------------------------------- columns

MANDATORY_COLUMNS = (
    "unit_number",
    "street",
    "house_number",
    "postcode",
    "city",
    "tenancy_number",
    "tenancy_start",
    "person_number",
    "name",
)
OPTIONAL_COLUMNS = (
    "house_number_addition",
    "complex_number",
    "complex_name",
    "neighbourhood",
    "neighbourhood_cbs_code",
    "tenancy_end",
    "email",
    "phone",
    "language",
)
# The documented order, as in README.md.
ALL_COLUMNS = (
    "unit_number",
    "street",
    "house_number",
    "house_number_addition",
    "postcode",
    "city",
    "complex_number",
    "complex_name",
    "neighbourhood",
    "neighbourhood_cbs_code",
    "tenancy_number",
    "tenancy_start",
    "tenancy_end",
    "person_number",
    "name",
    "email",
    "phone",
    "language",
)
# Longest value per column: the sizes of the database columns.
MAX_LENGTHS = {
    "unit_number": 40,
    "street": 200,
    "house_number_addition": 20,
    "city": 100,
    "complex_number": 30,
    "complex_name": 200,
    "neighbourhood": 120,
    "neighbourhood_cbs_code": 20,
    "tenancy_number": 40,
    "person_number": 40,
    "name": 200,
    "email": 254,
    "phone": 40,
}
MAX_HOUSE_NUMBER = 99999
SEPARATORS = (";", ",")
DEFAULT_LANGUAGE = "nl"

# --------------------------------------------------------------------------- messages

EMPTY_FILE = N_("The file is empty. Choose a CSV file with one line per tenant.")
EXCEL_FILE = N_("This is an Excel file, not a CSV file. In Excel, choose 'Save as' and then 'CSV UTF-8'.")
NOT_CSV = N_("This is not a CSV file. Choose a CSV file with one line per tenant.")
UTF16_FILE = N_("This file is saved as UTF-16. Save it as 'CSV UTF-8' and try again.")
BAD_ENCODING = N_("We cannot read the letters in this file. Save it as 'CSV UTF-8' and try again.")
UNREADABLE = N_("We cannot read this line. Check the double quotes in it.")
NO_ROWS = N_("The file has a first line with column names, but no tenants.")
TOO_MANY_ROWS = _n("The file has more than %(max)s tenant. That is more than this installation accepts.",
                   "The file has more than %(max)s tenants. That is more than this installation accepts.", count="max")
NO_HEADER = N_(
    "We do not recognise the first line. It must name the columns, such as unit_number;street;house_number, "
    "separated by ; or ,."
)
MISSING_COLUMN = N_("The column %(column)s is missing from the first line.")
DUPLICATE_COLUMN = N_("The column %(column)s appears twice in the first line.")
COLUMN_NEEDS_COLUMN = N_("The column %(column)s needs the column %(other)s as well.")
UNUSED_COLUMNS = N_("These columns are not used: %(columns)s.")
FIELD_COUNT = _n(  # one count takes the noun: each language needs only its plural
    "This line has %(found)s value instead of %(expected)s, one for each column of the first line. "
    "A value with %(separator)s in it must be in double quotes.",
    "This line has %(found)s values instead of %(expected)s, one for each column of the first line. "
    "A value with %(separator)s in it must be in double quotes.",
    count="found",
)
REQUIRED = N_("%(column)s is empty. Fill it in.")
TOO_LONG = _n("%(column)s is too long: at most %(max)s character.", "%(column)s is too long: at most %(max)s characters.",
              count="max")
BAD_DATE = N_("%(column)s '%(value)s' is not a date. Write it as 2024-03-31 or 31-03-2024.")
END_BEFORE_START = N_("tenancy_end %(end)s is before tenancy_start %(start)s.")
BAD_HOUSE_NUMBER = N_(
    "house_number '%(value)s' is not a whole number above 0. Put letters such as A or bis in house_number_addition."
)
BAD_POSTCODE = N_("postcode '%(value)s' is not a Dutch postcode. Write it as 1234 AB.")
BAD_EMAIL = N_("email '%(value)s' is not an email address.")
BAD_LANGUAGE = N_("language '%(value)s' is not one of %(choices)s. Leave it empty for Dutch.")
COMPLEX_WITHOUT_NEIGHBOURHOOD = N_("complex_number is filled in, but neighbourhood is empty. Every complex lies in a neighbourhood.")
NEIGHBOURHOOD_WITHOUT_COMPLEX = N_("neighbourhood is filled in, but complex_number is empty. A dwelling is linked to its neighbourhood through its complex.")
DUPLICATE_PERSON = N_("person_number %(value)s is on line %(first)s as well. Each person may appear only once.")
TENANCY_TWO_DWELLINGS = N_(
    "tenancy_number %(value)s is for dwelling %(first_unit)s on line %(first)s, but for dwelling %(unit)s here. "
    "A tenancy belongs to one dwelling."
)
TENANCY_CONFLICT = N_("tenancy_number %(value)s has a different %(column)s on line %(first)s. Use the same value on every line.")
DWELLING_CONFLICT = N_("Dwelling %(value)s has a different %(column)s on line %(first)s. Use the same address on every line.")
COMPLEX_CONFLICT = N_("Complex %(value)s has a different %(column)s on line %(first)s. Use the same value on every line.")
NEIGHBOURHOOD_CONFLICT = N_("Neighbourhood %(value)s has a different %(column)s on line %(first)s. Use the same value on every line.")
TENANCY_OVERLAP = N_("tenancy_number %(value)s overlaps in time with tenancy %(other)s on line %(first)s, in the same dwelling %(unit)s.")


@dataclass(frozen=True)
class Problem:
    """An error (or warning) about one line of the file; line 1 is the header."""

    line: int
    template: str | Counted
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        """The message in English (the CLI); views translate ``template`` with ``params`` instead."""
        if isinstance(self.template, Counted):
            return self.template.in_english(**self.params)
        return self.template % self.params if self.params else self.template


@dataclass(slots=True)
class TenantRow:
    """One valid line: a person in a household in a dwelling. Optional text is "" when empty."""

    line: int
    unit_number: str
    street: str
    house_number: int
    house_number_addition: str
    postcode: str
    city: str
    complex_number: str
    complex_name: str
    neighbourhood: str
    neighbourhood_cbs_code: str
    tenancy_number: str
    tenancy_start: date
    tenancy_end: date | None
    person_number: str
    name: str
    email: str | None
    phone: str | None
    language: str | None  # None when empty: Dutch for a new tenant, unchanged for a known one


@dataclass
class ParsedFile:
    """What a file holds: valid rows, or errors (then ``rows`` must not be imported)."""

    rows: list[TenantRow] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    columns: frozenset[str] = frozenset()
    encoding: str = ""
    separator: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors


# --------------------------------------------------------------------------- entry point


def parse_tenant_file(
    data: bytes, *, languages: Iterable[str] = ("nl", "en", "tr", "ar", "pl"), max_rows: int | None = None
) -> ParsedFile:
    """Read a tenant CSV file and check every line and the lines against each other.

    Args:
        data: the raw bytes of the file.
        languages: the language codes a tenant may have.
        max_rows: refuse files with more lines of tenants than this.

    Returns:
        A ParsedFile. When ``errors`` is not empty the file must not be imported at all.
    """
    result = ParsedFile()
    text = _decode(data, result)
    if text is None:
        return result
    lines = io.StringIO(text, newline="")
    first_line = lines.readline()
    lines.seek(0)
    separator = _detect_separator(first_line)
    result.separator = separator
    # The csv module refuses a cell over 128 KiB as unreadable; a cell as long as the file is read
    # (the upload is size-limited), so that a very long value is named as too long.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.reader(lines, delimiter=separator, quotechar='"', strict=True)
    try:
        header = next(reader, None)
    except csv.Error:
        header = None
    if not header or not any(cell.strip() for cell in header):
        result.errors.append(Problem(1, EMPTY_FILE if not text.strip() else NO_HEADER))
        return result
    positions = _map_header(header, result)
    if result.errors:
        return result
    _read_rows(reader, _width(header), len(header), positions, separator, set(languages), max_rows, result)
    if not result.errors and not result.rows:
        result.errors.append(Problem(1, NO_ROWS))
    _check_across_rows(result)
    result.errors.sort(key=lambda problem: problem.line)
    return result


def to_csv(
    records: Iterable[dict[str, Any]], *, separator: str = ";", columns: Iterable[str] = ALL_COLUMNS
) -> str:
    """Write records (column name → value; missing or None is empty) as a tenant CSV file with a header."""
    columns = list(columns)
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=separator, lineterminator="\r\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow(["" if record.get(name) is None else record[name] for name in columns])
    return out.getvalue()


# --------------------------------------------------------------------------- file level


def _decode(data: bytes, result: ParsedFile) -> str | None:
    """The text of the file: UTF-8 (with or without BOM) or else Windows-1252."""
    data = data.rstrip(b"\x1a")  # the end-of-file mark some old Windows programs still write
    if not data.strip():
        result.errors.append(Problem(1, EMPTY_FILE))
        return None
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        result.errors.append(Problem(1, EXCEL_FILE))
        return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        result.errors.append(Problem(1, UTF16_FILE))
        return None
    if b"\x00" in data[:4096]:
        result.errors.append(Problem(1, NOT_CSV))
        return None
    if b"\x00" in data:  # a NUL further on: no text file has one, and no database column takes one
        result.errors.append(Problem(data[: data.index(b"\x00")].count(b"\n") + 1, BAD_ENCODING))
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    else:
        try:
            data.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            encoding = "cp1252"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        result.errors.append(Problem(line, BAD_ENCODING))
        return None
    if any(ch in text for ch in "\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x1a\x1b"):
        result.errors.append(Problem(1, NOT_CSV))
        return None
    result.encoding = "utf-8" if encoding == "utf-8-sig" else encoding
    return text


def _width(header: list[str]) -> int:
    """How many values a line must have: up to the last named column (trailing separators are fine)."""
    named = [index for index, cell in enumerate(header) if cell.strip()]
    return named[-1] + 1 if named else 0


def _normalise_header(cell: str) -> str:
    return re.sub(r"[\s_\-]+", "_", cell.strip().strip("\ufeff").lower()).strip("_")


def _detect_separator(first_line: str) -> str:
    """The separator that turns the header into the most known column names (ties: the most used)."""

    def score(separator: str) -> tuple[int, int]:
        try:
            cells = next(csv.reader([first_line.rstrip("\r\n")], delimiter=separator), [])
        except csv.Error:
            cells = []
        known = sum(1 for cell in cells if _normalise_header(cell) in ALL_COLUMNS)
        return known, first_line.count(separator)

    return max(SEPARATORS, key=score)


def _map_header(header: list[str], result: ParsedFile) -> dict[str, int]:
    """Column name → position; records missing, doubled and unused columns."""
    positions: dict[str, int] = {}
    unused: list[str] = []
    for index, cell in enumerate(header):
        name = _normalise_header(cell)
        if name in ALL_COLUMNS:
            if name in positions:
                result.errors.append(Problem(1, DUPLICATE_COLUMN, {"column": name}))
            positions[name] = index
        elif name:
            unused.append(cell.strip())
    if not positions:
        result.errors.append(Problem(1, NO_HEADER))
        return positions
    for name in MANDATORY_COLUMNS:
        if name not in positions:
            result.errors.append(Problem(1, MISSING_COLUMN, {"column": name}))
    for column, other in (
        ("complex_number", "neighbourhood"),
        ("neighbourhood", "complex_number"),
        ("complex_name", "complex_number"),
        ("neighbourhood_cbs_code", "neighbourhood"),
    ):
        if column in positions and other not in positions:
            result.errors.append(Problem(1, COLUMN_NEEDS_COLUMN, {"column": column, "other": other}))
    if unused:
        result.warnings.append(Problem(1, UNUSED_COLUMNS, {"columns": ", ".join(unused)}))
    result.columns = frozenset(positions)
    return positions


# --------------------------------------------------------------------------- rows

_POSTCODE = re.compile(r"([1-9][0-9]{3})\s*([A-Za-z]{2})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DUTCH_DATE = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})")
_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)
_HOUSE_NUMBER = re.compile(r"[0-9]{1,9}")


@lru_cache(maxsize=65536)
def parse_date(value: str) -> date | None:
    """A date written as YYYY-MM-DD or DD-MM-YYYY; None when it is neither, does not exist, or lies
    outside the years people mean (``FIRST_YEAR`` to ``LAST_YEAR``)."""
    match = _ISO_DATE.fullmatch(value)
    if match:
        year, month, day = match.groups()
    else:
        match = _DUTCH_DATE.fullmatch(value)
        if not match:
            return None
        day, month, year = match.groups()
    try:
        parsed = date(int(year), int(month), int(day))
    except ValueError:
        return None
    return parsed if FIRST_YEAR <= parsed.year <= LAST_YEAR else None


@lru_cache(maxsize=65536)
def normalise_postcode(value: str) -> str | None:
    """A Dutch postcode as "1234 AB"; None when the value is not one."""
    match = _POSTCODE.fullmatch(value.strip())
    return f"{match.group(1)} {match.group(2).upper()}" if match else None


def is_email(value: str) -> bool:
    return len(value) <= MAX_LENGTHS["email"] and _EMAIL.fullmatch(value) is not None


def _shown(value: str) -> str:
    """A value as quoted in a message: short enough to read."""
    return value if len(value) <= 40 else value[:37] + "..."


def _read_rows(
    reader: Any,
    width: int,
    header_length: int,
    positions: dict[str, int],
    separator: str,
    languages: set[str],
    max_rows: int | None,
    result: ParsedFile,
) -> None:
    """Check every line after the header; a line's number is the physical line where it starts."""
    end_of_previous = reader.line_num
    seen = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error:
            result.errors.append(Problem(end_of_previous + 1, UNREADABLE))
            return
        line = end_of_previous + 1
        end_of_previous = reader.line_num
        if not "".join(cells).strip():
            continue  # an empty line, or only separators
        seen += 1
        if max_rows is not None and seen > max_rows:
            result.errors.append(Problem(line, TOO_MANY_ROWS, {"max": max_rows}))
            return
        if not width <= len(cells) <= max(header_length, width) or "".join(cells[width:]).strip():
            result.errors.append(Problem(line, FIELD_COUNT, {"found": len(cells), "expected": width, "separator": separator}))
            continue
        row = _read_row(line, cells, positions, languages, result.errors)
        if row is not None:
            result.rows.append(row)


_EMPTY_VALUES = dict.fromkeys(ALL_COLUMNS, "")
_LENGTH_LIMITS = tuple(MAX_LENGTHS.items())


@lru_cache(maxsize=4096)
def _house_number(raw: str) -> int | None:
    if _HOUSE_NUMBER.fullmatch(raw) and 0 < int(raw) <= MAX_HOUSE_NUMBER:
        return int(raw)
    return None


def _read_row(
    line: int, cells: list[str], positions: dict[str, int], languages: set[str], errors: list[Problem]
) -> TenantRow | None:
    """One line as a TenantRow, or None after adding its errors (all of them, not just the first)."""
    values = {**_EMPTY_VALUES, **{name: cells[index].strip() for name, index in positions.items()}}
    problems: list[Problem] = []
    for name in MANDATORY_COLUMNS:
        if not values[name]:
            problems.append(Problem(line, REQUIRED, {"column": name}))
    for name, limit in _LENGTH_LIMITS:
        if len(values[name]) > limit:
            problems.append(Problem(line, TOO_LONG, {"column": name, "max": limit}))

    raw = values["house_number"]
    house_number = _house_number(raw) if raw else 0
    if house_number is None:
        problems.append(Problem(line, BAD_HOUSE_NUMBER, {"value": _shown(raw)}))

    postcode = values["postcode"]
    if postcode:
        postcode = normalise_postcode(postcode)
        if postcode is None:
            problems.append(Problem(line, BAD_POSTCODE, {"value": _shown(values["postcode"])}))

    start = end = None
    raw = values["tenancy_start"]
    if raw:
        start = parse_date(raw)
        if start is None:
            problems.append(Problem(line, BAD_DATE, {"column": "tenancy_start", "value": _shown(raw)}))
    raw = values["tenancy_end"]
    if raw:
        end = parse_date(raw)
        if end is None:
            problems.append(Problem(line, BAD_DATE, {"column": "tenancy_end", "value": _shown(raw)}))
    if start and end and end < start:
        problems.append(Problem(line, END_BEFORE_START, {"start": start.isoformat(), "end": end.isoformat()}))

    email = values["email"].lower() or None
    if email is not None and not is_email(email):
        problems.append(Problem(line, BAD_EMAIL, {"value": _shown(values["email"])}))

    language = values["language"].lower() or None
    if language is not None and language not in languages:
        choices = ", ".join(sorted(languages))
        problems.append(Problem(line, BAD_LANGUAGE, {"value": _shown(values["language"]), "choices": choices}))

    complex_number = values["complex_number"]
    neighbourhood = values["neighbourhood"]
    if complex_number and not neighbourhood:
        problems.append(Problem(line, COMPLEX_WITHOUT_NEIGHBOURHOOD))
    if neighbourhood and not complex_number:
        problems.append(Problem(line, NEIGHBOURHOOD_WITHOUT_COMPLEX))

    if problems:
        errors.extend(problems)
        return None
    return TenantRow(
        line,
        values["unit_number"],
        values["street"],
        house_number,  # type: ignore[arg-type] - checked above
        values["house_number_addition"],
        postcode,  # type: ignore[arg-type]
        values["city"],
        complex_number,
        values["complex_name"],
        neighbourhood,
        values["neighbourhood_cbs_code"],
        values["tenancy_number"],
        start,  # type: ignore[arg-type] - mandatory, checked above
        end,
        values["person_number"],
        values["name"],
        email,
        values["phone"] or None,
        language,
    )


# --------------------------------------------------------------------------- across rows

_DWELLING_FIELDS = ("street", "house_number", "house_number_addition", "postcode", "city", "complex_number")
_COMPLEX_FIELDS = ("complex_name", "neighbourhood")
_TENANCY_FIELDS = ("tenancy_start", "tenancy_end")


def _check_across_rows(result: ParsedFile) -> None:
    """Rules between lines: one line per person, one dwelling per tenancy, one address per dwelling."""
    errors = result.errors
    people: dict[str, int] = {}
    dwellings: dict[str, tuple[TenantRow, tuple]] = {}
    complexes: dict[str, tuple[TenantRow, tuple]] = {}
    neighbourhoods: dict[str, TenantRow] = {}
    tenancies: dict[str, TenantRow] = {}
    for row in result.rows:
        first = people.setdefault(row.person_number, row.line)
        if first != row.line:
            errors.append(Problem(row.line, DUPLICATE_PERSON, {"value": row.person_number, "first": first}))

        address = (row.street, row.house_number, row.house_number_addition, row.postcode, row.city, row.complex_number)
        earlier, earlier_address = dwellings.setdefault(row.unit_number, (row, address))
        if earlier_address != address:
            column = _first_difference(earlier, row, _DWELLING_FIELDS)
            errors.append(Problem(row.line, DWELLING_CONFLICT, {"value": row.unit_number, "column": column, "first": earlier.line}))

        if row.complex_number:
            details = (row.complex_name, row.neighbourhood)
            earlier, earlier_details = complexes.setdefault(row.complex_number, (row, details))
            if earlier_details != details:
                column = _first_difference(earlier, row, _COMPLEX_FIELDS)
                errors.append(Problem(row.line, COMPLEX_CONFLICT, {"value": row.complex_number, "column": column, "first": earlier.line}))
        if row.neighbourhood:
            earlier = neighbourhoods.setdefault(row.neighbourhood, row)
            if earlier.neighbourhood_cbs_code != row.neighbourhood_cbs_code:
                errors.append(
                    Problem(
                        row.line,
                        NEIGHBOURHOOD_CONFLICT,
                        {"value": row.neighbourhood, "column": "neighbourhood_cbs_code", "first": earlier.line},
                    )
                )

        earlier = tenancies.setdefault(row.tenancy_number, row)
        if earlier is row:
            continue
        if earlier.unit_number != row.unit_number:
            errors.append(
                Problem(
                    row.line,
                    TENANCY_TWO_DWELLINGS,
                    {"value": row.tenancy_number, "first_unit": earlier.unit_number, "unit": row.unit_number, "first": earlier.line},
                )
            )
        elif earlier.tenancy_start != row.tenancy_start or earlier.tenancy_end != row.tenancy_end:
            column = _first_difference(earlier, row, _TENANCY_FIELDS)
            errors.append(Problem(row.line, TENANCY_CONFLICT, {"value": row.tenancy_number, "column": column, "first": earlier.line}))
    if not errors:  # dates and dwellings of each tenancy are known to agree
        _check_overlaps(tenancies.values(), errors)


def _first_difference(earlier: TenantRow, row: TenantRow, fields: tuple[str, ...]) -> str | None:
    for name in fields:
        if getattr(earlier, name) != getattr(row, name):
            return name
    return None


def _check_overlaps(tenancies: Iterable[TenantRow], errors: list[Problem]) -> None:
    """Two households cannot rent one dwelling at the same time (an end date is the first day without)."""
    by_dwelling: dict[str, list[TenantRow]] = {}
    for row in tenancies:
        by_dwelling.setdefault(row.unit_number, []).append(row)
    for unit, rows in by_dwelling.items():
        if len(rows) < 2:
            continue
        rows.sort(key=lambda r: (r.tenancy_start, r.line))
        latest = rows[0]
        for row in rows[1:]:
            if latest.tenancy_end is None or latest.tenancy_end > row.tenancy_start:
                errors.append(
                    Problem(row.line, TENANCY_OVERLAP, {"value": row.tenancy_number, "other": latest.tenancy_number, "first": latest.line, "unit": unit})
                )
            if latest.tenancy_end is not None and (row.tenancy_end is None or row.tenancy_end > latest.tenancy_end):
                latest = row
