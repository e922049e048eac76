"""Factories for the tenant import: valid records, CSV files made of them, and an import helper."""
from __future__ import annotations

import pytest

from inspraak.people.importer import to_csv


def make_record(n: int, **overrides: object) -> dict:
    """A valid line for person n, alone in household n in dwelling n."""
    record = {
        "unit_number": f"VHE{n:05d}",
        "street": "Dorpsstraat",
        "house_number": n,
        "house_number_addition": "",
        "postcode": "3511 AB",
        "city": "Utrecht",
        "complex_number": f"C{n % 3}",
        "complex_name": f"Complex {n % 3}",
        "neighbourhood": f"Wijk {n % 3 % 2}",
        "neighbourhood_cbs_code": f"WK0344{n % 3 % 2:02d}",
        "tenancy_number": f"T{n:06d}",
        "tenancy_start": "2019-05-01",
        "tenancy_end": "",
        "person_number": f"P{n:06d}",
        "name": f"Huurder {n}",
        "email": f"huurder{n}@example.org",
        "phone": "06 12345678",
        "language": "",
    }
    record.update(overrides)
    return record


@pytest.fixture
def record():  # noqa: ANN201
    return make_record


@pytest.fixture
def csv_bytes():  # noqa: ANN201
    """CSV bytes for records: ``csv_bytes(records, separator=";", encoding="utf-8", columns=None)``."""

    def make(records, *, separator=";", encoding="utf-8", columns=None):  # noqa: ANN001, ANN202
        kwargs = {"columns": columns} if columns else {}
        return to_csv(records, separator=separator, **kwargs).encode(encoding)

    return make


@pytest.fixture
def run_import(app, csv_bytes):  # noqa: ANN001, ANN201
    """Import records or bytes for a corporation and commit, as the CLI does."""
    from inspraak.extensions import db
    from inspraak.people.imports import import_tenant_file

    def run(corporation, records_or_bytes, *, dry_run=False, actor=None):  # noqa: ANN001, ANN202
        data = records_or_bytes if isinstance(records_or_bytes, bytes) else csv_bytes(records_or_bytes)
        result = import_tenant_file(corporation, data, dry_run=dry_run, actor=actor)
        if result.imported:
            db.session.commit()
        else:
            db.session.rollback()
        return result

    return run
