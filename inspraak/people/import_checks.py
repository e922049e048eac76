"""Rules across a tenant file's lines: one line per person, one dwelling per tenancy, one address per dwelling.

Pure: no Flask, no database. Complexes and neighbourhoods keep one value, and a dwelling's tenancies do not overlap.
"""
from __future__ import annotations

from collections.abc import Iterable

from inspraak.people.import_format import (COMPLEX_CONFLICT, DUPLICATE_PERSON, DWELLING_CONFLICT,
                                           NEIGHBOURHOOD_CONFLICT, TENANCY_CONFLICT, TENANCY_OVERLAP,
                                           TENANCY_TWO_DWELLINGS, ParsedFile, Problem, TenantRow)


_DWELLING_FIELDS = ("street", "house_number", "house_number_addition", "postcode", "city", "complex_number")
_COMPLEX_FIELDS = ("complex_name", "neighbourhood")
_TENANCY_FIELDS = ("tenancy_start", "tenancy_end")


def check_across_rows(result: ParsedFile) -> None:
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
