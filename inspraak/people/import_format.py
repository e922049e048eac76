"""The tenant CSV file: its columns, the problems a file can have, and what reading it gives.

Pure: no Flask, no database. Messages are English templates marked with ``N_`` (or ``_n`` for those
with a count) so that ``pybabel extract`` collects them; views translate them with
``gettext(template, **params)`` (a counted one with ``template.render(**params)``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from inspraak.core.plurals import Counted
from inspraak.core.plurals import Counted as _n


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
