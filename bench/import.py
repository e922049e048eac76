"""Benchmark of the tenant import: a generated file of 50,000 dwellings into a fresh SQLite file database.

Runs three imports of the same corporation and prints, for each, the time and dwellings per second:
the first import (everything new), the same file again (nothing changes), and a newer file
(details changed, households gone, new households). Goal: the first import in under 30 seconds.
Run with `make bench` (or `.venv/bin/python bench/import.py [DWELLINGS]`).
"""
from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # config.py lives in the project root

from config import Config  # noqa: E402
from inspraak import create_app  # noqa: E402
from inspraak.extensions import db  # noqa: E402
from inspraak.people.importer import to_csv  # noqa: E402
from inspraak.people.imports import import_tenant_file  # noqa: E402
from inspraak.people.models import Corporation  # noqa: E402

GOAL_SECONDS = 30
STREETS = ["Kerkstraat", "Dorpsstraat", "Stationsweg", "Molenweg", "Schoolstraat", "Julianastraat", "Beatrixlaan"]
FIRST = ["Jan", "Anna", "Mohammed", "Fatma", "Piotr", "Sanne", "Zoë", "René", "Ayse", "Grace"]
LAST = ["de Vries", "Jansen", "El Amrani", "Yilmaz", "Kowalski", "Bakker", "Müller", "Visser"]
LANGUAGES = ["", "", "", "nl", "en", "tr", "ar", "pl"]


def generate(dwellings: int, seed: int = 50_000) -> list[dict]:
    """One record per person: 1 to 4 persons per household, 40 dwellings per complex, 25 complexes per neighbourhood."""
    rng = random.Random(seed)
    records = []
    for n in range(1, dwellings + 1):
        complex_no = (n - 1) // 40 + 1
        hood_no = (complex_no - 1) // 25 + 1
        start = date(1995, 1, 1) + timedelta(days=rng.randrange(11000))
        base = {
            "unit_number": f"VHE{n:07d}",
            "street": STREETS[complex_no % len(STREETS)],
            "house_number": (n - 1) % 40 + 1,
            "house_number_addition": "" if n % 9 else "A",
            "postcode": f"{1000 + complex_no % 9000:04d} {chr(65 + n % 26)}{chr(65 + complex_no % 26)}",
            "city": "Utrecht",
            "complex_number": f"{complex_no:05d}",
            "complex_name": f"Complex {complex_no}",
            "neighbourhood": f"Wijk {hood_no}",
            "neighbourhood_cbs_code": f"WK{hood_no:06d}",
            "tenancy_number": f"HC{n:08d}",
            "tenancy_start": start.isoformat() if n % 2 else start.strftime("%d-%m-%Y"),
        }
        for m in range(rng.choice([1, 1, 2, 2, 2, 3, 4])):
            records.append({
                **base,
                "person_number": f"R{n:07d}{m}",
                "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                "email": f"huurder{n}.{m}@example.org" if rng.random() < 0.6 else "",
                "phone": f"06 {rng.randrange(10_000_000, 99_999_999)}" if rng.random() < 0.7 else "",
                "language": rng.choice(LANGUAGES),
            })
    return records


def newer(records: list[dict], seed: int = 7) -> list[dict]:
    """The next month's file: 2% of households gone, 5% of persons with new details, 1% new households."""
    rng = random.Random(seed)
    gone = {r["tenancy_number"] for r in records if rng.random() < 0.02}
    out = []
    for record in records:
        if record["tenancy_number"] in gone:
            continue
        if rng.random() < 0.05:
            record = {**record, "email": f"nieuw.{record['person_number']}@example.org", "language": "en"}
        out.append(record)
    for record in [r for r in records if r["tenancy_number"] in gone][: len(gone) // 2]:
        out.append({**record, "tenancy_number": "N" + record["tenancy_number"], "person_number": "N" + record["person_number"],
                    "tenancy_start": "2026-11-01"})
    return out


def timed_import(app, slug: str, path: Path) -> tuple[float, float, object]:  # noqa: ANN001
    """Import a file as the CLI does; returns wall-clock seconds, processor seconds and the summary."""
    with app.app_context():
        corporation = db.session.query(Corporation).filter_by(slug=slug).one()
        started, cpu = time.perf_counter(), time.process_time()
        result = import_tenant_file(corporation, path.read_bytes(), dry_run=False, actor=None)
        db.session.commit()
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu
        if not result.ok:
            raise SystemExit("bench file does not import: " + "; ".join(e.message for e in result.errors[:5]))
        return seconds, cpu, result.summary


def main() -> None:
    dwellings = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    with tempfile.TemporaryDirectory(prefix="inspraak-bench-") as tmp:
        folder = Path(tmp)
        url = f"sqlite:///{folder / 'bench.db'}"
        app = create_app(type("BenchConfig", (Config,), {"SQLALCHEMY_DATABASE_URI": url, "IMPORT_MAX_ROWS": 10**7}))
        with app.app_context():
            db.create_all()
            db.session.add(Corporation(name="Bench", slug="bench"))
            db.session.add(Corporation(name="Neighbour", slug="neighbour"))  # a second corporation, untouched
            db.session.commit()

        records = generate(dwellings)
        first_file = folder / "tenants.csv"
        first_file.write_bytes(to_csv(records).encode("utf-8"))
        second_file = folder / "tenants-next-month.csv"
        second_file.write_bytes(to_csv(newer(records), separator=",").encode("cp1252"))
        size_mb = first_file.stat().st_size / 1e6
        print(f"bench/import: {dwellings:,} dwellings, {len(records):,} persons, {size_mb:.1f} MB, SQLite file database")

        print("  (wall-clock seconds; processor seconds in brackets: on a busy machine the two differ)")
        seconds, cpu, summary = timed_import(app, "bench", first_file)
        print(f"  first import: {seconds:6.2f} s ({cpu:5.2f}) {dwellings / seconds:8,.0f} dwellings/s  ({summary.changes:,} records created)")
        re_seconds, re_cpu, re_summary = timed_import(app, "bench", first_file)
        print(f"  same again:   {re_seconds:6.2f} s ({re_cpu:5.2f}) {dwellings / re_seconds:8,.0f} dwellings/s  ({re_summary.changes} changes)")
        up_seconds, up_cpu, up_summary = timed_import(app, "bench", second_file)
        print(
            f"  newer file:   {up_seconds:6.2f} s ({up_cpu:5.2f}) {dwellings / up_seconds:8,.0f} dwellings/s  "
            f"({up_summary.persons.updated:,} persons changed, {up_summary.tenancies_ended:,} households ended, "
            f"{up_summary.tenancies.created:,} new)"
        )
        if re_summary.changes:
            raise SystemExit("the same file imported twice changed something")
        verdict = "within" if seconds < GOAL_SECONDS else "OVER"
        print(f"  goal: first import under {GOAL_SECONDS} s: {verdict}")
        print(f"import_dwellings_per_second={dwellings / seconds:.0f}")
        print(f"import_seconds={seconds:.2f}")
        print(f"import_cpu_seconds={cpu:.2f}")
        print(f"reimport_dwellings_per_second={dwellings / re_seconds:.0f}")
        print(f"reimport_seconds={re_seconds:.2f}")
        print(f"reimport_cpu_seconds={re_cpu:.2f}")
        print(f"update_import_seconds={up_seconds:.2f}")
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
