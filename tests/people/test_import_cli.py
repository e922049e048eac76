"""`flask inspraak import-tenants FILE --corporation SLUG [--dry-run]`."""
from __future__ import annotations

import sqlalchemy as sa

from inspraak.extensions import db
from inspraak.people.models import Person
from tests.people.conftest import make_record


def persons(corporation_id: int) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(Person).where(Person.corporation_id == corporation_id))


def test_imports_a_file_and_prints_the_summary(runner, make_corporation, csv_bytes, tmp_path):
    corporation = make_corporation(name="De Linde", slug="de-linde")
    path = tmp_path / "huurders.csv"
    path.write_bytes(csv_bytes([make_record(1), make_record(2)], separator=",", encoding="cp1252"))
    result = runner.invoke(args=["inspraak", "import-tenants", str(path), "--corporation", "de-linde"])
    assert result.exit_code == 0, result.output
    assert "Imported for De Linde: 2 lines read." in result.output
    assert persons(corporation.id) == 2
    again = runner.invoke(args=["inspraak", "import-tenants", str(path), "--corporation", "de-linde"])
    assert again.exit_code == 0 and "No changes" in again.output


def test_dry_run_changes_nothing(runner, make_corporation, csv_bytes, tmp_path):
    corporation = make_corporation(slug="droog")
    path = tmp_path / "huurders.csv"
    path.write_bytes(csv_bytes([make_record(1)]))
    result = runner.invoke(args=["inspraak", "import-tenants", str(path), "--corporation", "droog", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "nothing changed" in result.output
    assert "Careful" not in result.output
    assert persons(corporation.id) == 0


def test_a_file_that_would_end_every_household_gets_a_warning(runner, make_corporation, csv_bytes, tmp_path, run_import):
    corporation = make_corporation(slug="bijna-leeg")
    run_import(corporation, [make_record(n) for n in range(1, 9)])
    path = tmp_path / "huurders.csv"
    path.write_bytes(csv_bytes([make_record(99)]))
    result = runner.invoke(args=["inspraak", "import-tenants", str(path), "--corporation", "bijna-leeg", "--dry-run"])
    assert "Careful: 8 of 8 households are not in this file" in result.output


def test_errors_are_printed_with_line_numbers_and_exit_non_zero(runner, make_corporation, csv_bytes, tmp_path):
    corporation = make_corporation(slug="fout")
    path = tmp_path / "huurders.csv"
    path.write_bytes(csv_bytes([make_record(1), make_record(2, postcode="9999"), make_record(3, house_number="drie")]))
    result = runner.invoke(args=["inspraak", "import-tenants", str(path), "--corporation", "fout"])
    assert result.exit_code != 0
    assert "Line 3: postcode '9999' is not a Dutch postcode" in result.output
    assert "Line 4: house_number 'drie'" in result.output
    assert "2 error(s). Nothing was imported." in result.output
    assert persons(corporation.id) == 0


def test_an_unknown_corporation_is_refused(runner, app, csv_bytes, tmp_path):
    path = tmp_path / "huurders.csv"
    path.write_bytes(csv_bytes([make_record(1)]))
    result = runner.invoke(args=["inspraak", "import-tenants", str(path), "--corporation", "nobody"])
    assert result.exit_code != 0 and "no corporation" in result.output
