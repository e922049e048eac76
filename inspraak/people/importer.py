"""Reading a tenant CSV file: encoding, separator, header and every line, then the rules across lines.

Pure: no Flask, no database. The columns, messages and results are in ``import_format``; the rules
across lines in ``import_checks``.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from typing import Any

from inspraak.core.timeutil import FIRST_YEAR, LAST_YEAR
from inspraak.people.import_checks import check_across_rows
from inspraak.people.import_format import (ALL_COLUMNS, BAD_DATE, BAD_EMAIL, BAD_ENCODING, BAD_HOUSE_NUMBER,
                                           BAD_LANGUAGE, BAD_POSTCODE, COLUMN_NEEDS_COLUMN,
                                           COMPLEX_WITHOUT_NEIGHBOURHOOD, DUPLICATE_COLUMN, EMPTY_FILE,
                                           END_BEFORE_START, EXCEL_FILE, FIELD_COUNT, MANDATORY_COLUMNS,
                                           MAX_HOUSE_NUMBER, MAX_LENGTHS, MISSING_COLUMN,
                                           NEIGHBOURHOOD_WITHOUT_COMPLEX, NOT_CSV, NO_HEADER, NO_ROWS, REQUIRED,
                                           SEPARATORS, TOO_LONG, TOO_MANY_ROWS, UNREADABLE, UNUSED_COLUMNS,
                                           UTF16_FILE, ParsedFile, Problem, TenantRow)


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
    check_across_rows(result)
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


