"""The tenant import: bring a corporation's places, households and persons in line with a CSV file.

Fast on purpose (50,000 dwellings in seconds): existing keys are loaded into dicts once,
changes are planned in memory, and written with bulk INSERT and UPDATE statements.
"""
from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import current_app

from inspraak.core import audit
from inspraak.core.audit import AuditEntry
from inspraak.core.db import take_write_lock, utcnow
from inspraak.core.timeutil import local_today
from inspraak.extensions import db
from inspraak.people.import_format import ALL_COLUMNS, DEFAULT_LANGUAGE, N_, Problem, TenantRow
from inspraak.people.importer import parse_tenant_file
from inspraak.people.models import Complex, Corporation, Dwelling, Neighbourhood, Person, Tenancy

IMPORTED = "tenants.imported"
TENANCY_MOVED = N_(
    "tenancy_number %(value)s belongs to dwelling %(unit)s in inspraak, not to %(new_unit)s. "
    "A tenancy cannot move to another dwelling: give the new tenancy its own number."
)


@dataclass
class Counts:
    """What happened to one kind of record named in the file."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportSummary:
    """What an import changed (or, in a dry run, would change)."""

    rows: int = 0
    neighbourhoods: Counts = field(default_factory=Counts)
    complexes: Counts = field(default_factory=Counts)
    dwellings: Counts = field(default_factory=Counts)
    tenancies: Counts = field(default_factory=Counts)
    persons: Counts = field(default_factory=Counts)
    tenancies_ended: int = 0  # an end date was set: from the file, or because the tenancy left the file
    tenancies_missing: int = 0  # of which: not in the file any more
    persons_left: int = 0  # left a household that goes on
    households_before: int = 0  # households without an end date before the import

    # A file that ends this share of the households or more is probably not the whole list.
    PARTIAL_SHARE = 0.2

    KINDS = ("neighbourhoods", "complexes", "dwellings", "tenancies", "persons")

    @property
    def changes(self) -> int:
        """How many records were created or changed; 0 means the database already matched the file."""
        counted = sum(getattr(self, kind).created + getattr(self, kind).updated for kind in self.KINDS)
        return counted + self.tenancies_ended + self.persons_left

    @property
    def looks_partial(self) -> bool:
        """True when many households would end because they are missing: perhaps the wrong or a partial file."""
        return self.tenancies_missing >= 5 and self.tenancies_missing >= self.PARTIAL_SHARE * self.households_before

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ImportResult:
    """The outcome: a summary, or the errors that stopped the import (then nothing changed)."""

    dry_run: bool
    summary: ImportSummary | None = None
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    # An import that looked partial (``ImportSummary.looks_partial``) and was not confirmed: nothing changed.
    held_back: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def imported(self) -> bool:
        """True when the database was changed to match the file."""
        return self.ok and not self.dry_run and not self.held_back


def import_tenant_file(corporation: Corporation, data: bytes, *, dry_run: bool, actor: Any | None,
                       partial_confirmed: bool = True) -> ImportResult:
    """Read a tenant CSV file and import it for one corporation, all or nothing.

    Args:
        corporation: whose tenants the file lists; no other corporation's rows are read or changed.
        data: the bytes of the file (UTF-8 with or without BOM, or Windows-1252; ``;`` or ``,``).
        dry_run: only work out what would change; change nothing.
        actor: the staff member importing, or None for the command line.
        partial_confirmed: see ``import_tenants``.

    Returns:
        An ImportResult with the summary, or with every error (line number and message) and no change.
    """
    parsed = parse_tenant_file(
        data, languages=current_app.config["LANGUAGES"], max_rows=current_app.config["IMPORT_MAX_ROWS"]
    )
    if parsed.errors:
        return ImportResult(dry_run=dry_run, errors=parsed.errors, warnings=parsed.warnings)
    result = import_tenants(corporation, parsed.rows, dry_run=dry_run, actor=actor, columns=parsed.columns,
                            partial_confirmed=partial_confirmed)
    result.warnings = parsed.warnings
    return result


def import_tenants(
    corporation: Corporation,
    rows: Iterable[TenantRow],
    *,
    dry_run: bool,
    actor: Any | None,
    columns: Collection[str] = ALL_COLUMNS,
    today: date | None = None,
    partial_confirmed: bool = True,
) -> ImportResult:
    """Make a corporation's neighbourhoods, complexes, dwellings, tenancies and persons match valid rows.

    The file is the whole picture of the current tenants: a tenancy missing from it has ended
    (on ``today``), and a person missing from a household that goes on has left it. Nothing is
    ever deleted. Optional columns that the file leaves out are not changed; an empty cell in
    a column that is there empties the field (an empty language keeps the tenant's choice).
    The same rows imported twice change nothing the second time.

    Args:
        corporation: whose rows to change; nothing of another corporation is read or written.
        rows: rows checked by ``importer.parse_tenant_file`` (cross-row rules included).
        dry_run: plan only; the summary tells what would change and the database stays as it was.
        actor: the staff member importing (for the audit log), or None for the system.
        columns: the columns the file has.
        today: the import date (default: today in the Netherlands).
        partial_confirmed: False to hold back an import that looks partial (it would end many households,
            ``ImportSummary.looks_partial``): nothing is changed, and the result says so (``held_back``),
            so that the upload page can ask whether the file really is the whole list first.

    Returns:
        An ImportResult. It has errors, and nothing is changed, when the rows contradict the
        database (a tenancy number that belongs to another dwelling).
    """
    db.session.flush()
    rows, columns, today = list(rows), frozenset(columns), today or local_today()
    # Reading what is there and working out the changes take seconds on a large file: on SQLite that is done
    # without the write lock (the upload page and the command line start in a read transaction), so that
    # tenants and staff go on saving meanwhile. Only the writes hold it.
    seen = _imports_so_far(corporation.id)
    plan, errors = _make_plan(corporation.id, rows, columns, today)
    if errors:
        return ImportResult(dry_run=dry_run, errors=errors)
    if dry_run:
        return ImportResult(dry_run=True, summary=plan.summary)
    if plan.summary.looks_partial and not partial_confirmed:
        return ImportResult(dry_run=False, summary=plan.summary, held_back=True)
    # One import per corporation at a time: SQLite's write lock, PostgreSQL's row lock. Another import that
    # was saved since the plan read the tables makes the plan stale: it is made again, now under the lock.
    take_write_lock(db.session)
    db.session.execute(sa.select(Corporation.id).where(Corporation.id == corporation.id).with_for_update())
    if _imports_so_far(corporation.id) != seen:
        plan, errors = _make_plan(corporation.id, rows, columns, today)
        if errors:
            return ImportResult(dry_run=False, errors=errors)
        if plan.summary.looks_partial and not partial_confirmed:
            return ImportResult(dry_run=False, summary=plan.summary, held_back=True)
    plan.write()
    audit.record(
        IMPORTED,
        actor=actor,
        corporation_id=corporation.id,
        obj=corporation,
        details={"rows": plan.summary.rows, "changes": plan.summary.changes, **_audit_counts(plan.summary)},
    )
    db.session.flush()
    db.session.expire_all()  # bulk statements bypass the identity map: reload what callers hold
    return ImportResult(dry_run=False, summary=plan.summary)


def _make_plan(corporation_id: int, rows: list[TenantRow], columns: frozenset[str], today: date) -> tuple[_Plan, list[Problem]]:
    """Read what the corporation has, check the rows against it and, when they fit, work out the changes."""
    plan = _Plan(corporation_id, rows, columns, today)
    errors = plan.check()
    if not errors:
        plan.work_out()
    return plan, errors


def _imports_so_far(corporation_id: int) -> tuple[int, int | None]:
    """How many imports the corporation's audit log holds, and the last one's id: an import that writes
    records it in the same transaction. Nothing else changes what the plan compares, except a tenant's
    chosen language, and a plan that missed that still ends as if the import came before or after it."""
    return tuple(db.session.execute(
        sa.select(sa.func.count(), sa.func.max(AuditEntry.id))
        .where(AuditEntry.corporation_id == corporation_id, AuditEntry.action == IMPORTED)
    ).one())


def _audit_counts(summary: ImportSummary) -> dict[str, Any]:
    counts: dict[str, Any] = {
        kind: {"created": c.created, "updated": c.updated}
        for kind in ImportSummary.KINDS
        if (c := getattr(summary, kind)).created or c.updated
    }
    counts["tenancies_ended"] = summary.tenancies_ended
    counts["persons_left"] = summary.persons_left
    return counts


class _Plan:
    """Existing records in dicts, desired records from the rows, and the inserts and updates between."""

    def __init__(self, corporation_id: int, rows: list[TenantRow], columns: frozenset[str], today: date) -> None:
        self.corporation_id = corporation_id
        self.rows = rows
        self.columns = columns
        self.today = today
        self.summary = ImportSummary(rows=len(rows))
        self._load()
        # Desired state, one entry per key (the parser made sure the lines of one key agree).
        self.hood_rows = _first_by(rows, "neighbourhood")
        self.complex_rows = _first_by(rows, "complex_number")
        self.dwelling_rows = _first_by(rows, "unit_number")
        self.tenancy_rows = _first_by(rows, "tenancy_number")
        # Writes, filled by work_out(): new records keyed by their natural key, updates by id.
        self.inserts: dict[str, list[dict[str, Any]]] = {}
        self.updates: dict[str, list[dict[str, Any]]] = {}

    # ------------------------------------------------------------------ reading

    def _select(self, *columns: Any) -> list[sa.Row]:
        model = columns[0].class_
        return db.session.execute(sa.select(*columns).where(model.corporation_id == self.corporation_id)).all()

    def _load(self) -> None:
        """Every existing key of this corporation, in five queries."""
        self.hoods = {r.name: r for r in self._select(Neighbourhood.id, Neighbourhood.name, Neighbourhood.cbs_code)}
        self.complexes = {
            r.number: r for r in self._select(Complex.id, Complex.number, Complex.name, Complex.neighbourhood_id)
        }
        self.dwellings = {
            r.unit_number: r
            for r in self._select(
                Dwelling.id, Dwelling.unit_number, Dwelling.street, Dwelling.house_number,
                Dwelling.house_number_addition, Dwelling.postcode, Dwelling.city, Dwelling.complex_id,
            )
        }
        self.tenancies = {
            r.contract_number: r
            for r in self._select(Tenancy.id, Tenancy.contract_number, Tenancy.dwelling_id, Tenancy.start_date, Tenancy.end_date)
        }
        self.persons = {
            r.person_number: r
            for r in self._select(
                Person.id, Person.person_number, Person.tenancy_id, Person.name, Person.email, Person.phone,
                Person.preferred_language, Person.left_on,
            )
        }
        self.hood_names = {r.id: name for name, r in self.hoods.items()}
        self.complex_numbers = {r.id: number for number, r in self.complexes.items()}
        self.unit_numbers = {r.id: unit for unit, r in self.dwellings.items()}
        self.tenancy_numbers = {r.id: number for number, r in self.tenancies.items()}

    def check(self) -> list[Problem]:
        """Rules between the file and the database: a known tenancy stays with its dwelling."""
        errors = []
        for number, row in self.tenancy_rows.items():
            known = self.tenancies.get(number)
            if known is not None and self.unit_numbers[known.dwelling_id] != row.unit_number:
                errors.append(
                    Problem(
                        row.line,
                        TENANCY_MOVED,
                        {"value": number, "unit": self.unit_numbers[known.dwelling_id], "new_unit": row.unit_number},
                    )
                )
        return errors

    # ------------------------------------------------------------------ planning

    def _has(self, column: str) -> bool:
        return column in self.columns

    def _plan(self, kind: str, counts: Counts, known: sa.Row | None, wanted: dict[str, Any], **parents: Any) -> None:
        """Count and queue one record: insert when unknown, update when any wanted field differs.

        ``parents`` gives the known record's parents by natural key (number or name), as ``wanted`` has them.
        """
        if known is None:
            counts.created += 1
            self.inserts.setdefault(kind, []).append(wanted)
        elif any((parents[name] if name in parents else getattr(known, name)) != value for name, value in wanted.items()):
            counts.updated += 1
            self.updates.setdefault(kind, []).append({"id": known.id, **wanted})
        else:
            counts.unchanged += 1

    def work_out(self) -> ImportSummary:
        """Plan every insert and update; returns the summary. References to new records use their keys."""
        s = self.summary
        for name, row in self.hood_rows.items():
            wanted = {"cbs_code": row.neighbourhood_cbs_code or None} if self._has("neighbourhood_cbs_code") else {}
            self._plan("neighbourhood", s.neighbourhoods, self.hoods.get(name), {"name": name, **wanted})

        for number, row in self.complex_rows.items():
            known = self.complexes.get(number)
            wanted = {"number": number, "neighbourhood": row.neighbourhood}
            if self._has("complex_name"):
                wanted["name"] = row.complex_name
            self._plan("complex", s.complexes, known, wanted, neighbourhood=self._hood_name(known))

        for unit, row in self.dwelling_rows.items():
            known = self.dwellings.get(unit)
            wanted = {
                "unit_number": unit, "street": row.street, "house_number": row.house_number,
                "postcode": row.postcode, "city": row.city,
            }
            if self._has("house_number_addition"):
                wanted["house_number_addition"] = row.house_number_addition
            if self._has("complex_number"):
                wanted["complex"] = row.complex_number or None
            complex_number = self.complex_numbers.get(known.complex_id) if known is not None else None
            self._plan("dwelling", s.dwellings, known, wanted, complex=complex_number)

        in_file = set(self.tenancy_rows)
        for number, row in self.tenancy_rows.items():
            known = self.tenancies.get(number)
            wanted = {"contract_number": number, "dwelling": row.unit_number, "start_date": row.tenancy_start,
                      "end_date": row.tenancy_end}
            self._plan("tenancy", s.tenancies, known, wanted, dwelling=row.unit_number)
            if known is not None and known.end_date is None and row.tenancy_end is not None:
                s.tenancies_ended += 1
        # A household missing from the file has ended: today, or when the next household in its dwelling began.
        starts_by_unit: dict[str, list[date]] = {}
        for row in self.tenancy_rows.values():
            starts_by_unit.setdefault(row.unit_number, []).append(row.tenancy_start)
        s.households_before = sum(1 for known in self.tenancies.values() if known.end_date is None)
        for number, known in self.tenancies.items():
            if number not in in_file and known.end_date is None:
                s.tenancies_missing += 1
                later = [d for d in starts_by_unit.get(self.unit_numbers[known.dwelling_id], ()) if d > known.start_date]
                end = min([self.today, *later])
                s.tenancies_ended += 1
                self.updates.setdefault("tenancy", []).append({"id": known.id, "end_date": max(end, known.start_date)})

        self._work_out_persons()
        return s

    def _work_out_persons(self) -> None:
        s = self.summary
        in_file = set()
        for row in self.rows:
            in_file.add(row.person_number)
            known = self.persons.get(row.person_number)
            wanted: dict[str, Any] = {"person_number": row.person_number, "tenancy": row.tenancy_number,
                                      "name": row.name, "left_on": None}
            if self._has("email"):
                wanted["email"] = row.email
            if self._has("phone"):
                wanted["phone"] = row.phone
            if row.language is not None:
                wanted["preferred_language"] = row.language
            elif known is None:
                wanted["preferred_language"] = DEFAULT_LANGUAGE
            tenancy = self.tenancy_numbers.get(known.tenancy_id) if known is not None else None
            self._plan("person", s.persons, known, wanted, tenancy=tenancy)
        # Someone missing from a household that is in the file has left it; the household goes on.
        continuing = {self.tenancies[n].id: self.tenancies[n] for n in self.tenancy_rows if n in self.tenancies}
        for number, known in self.persons.items():
            if number in in_file or known.left_on is not None or known.tenancy_id not in continuing:
                continue
            s.persons_left += 1
            left_on = max(self.today, continuing[known.tenancy_id].start_date)
            self.updates.setdefault("person", []).append({"id": known.id, "left_on": left_on})

    def _hood_name(self, known: Any) -> str | None:
        return self.hood_names.get(known.neighbourhood_id) if known is not None else None

    # ------------------------------------------------------------------ writing

    def write(self) -> None:
        """Apply the plan: parents first, so that children can refer to their new ids."""
        hood_ids = {name: r.id for name, r in self.hoods.items()}
        hood_ids |= self._insert(Neighbourhood, "neighbourhood", "name", {})
        self._update(Neighbourhood, "neighbourhood", {})

        complex_ids = {number: r.id for number, r in self.complexes.items()}
        refs = {"neighbourhood": ("neighbourhood_id", hood_ids)}
        complex_ids |= self._insert(Complex, "complex", "number", refs)
        self._update(Complex, "complex", refs)

        dwelling_ids = {unit: r.id for unit, r in self.dwellings.items()}
        refs = {"complex": ("complex_id", complex_ids)}
        dwelling_ids |= self._insert(Dwelling, "dwelling", "unit_number", refs)
        self._update(Dwelling, "dwelling", refs)

        tenancy_ids = {number: r.id for number, r in self.tenancies.items()}
        refs = {"dwelling": ("dwelling_id", dwelling_ids)}
        tenancy_ids |= self._insert(Tenancy, "tenancy", "contract_number", refs)
        self._update(Tenancy, "tenancy", refs)

        refs = {"tenancy": ("tenancy_id", tenancy_ids)}
        self._insert(Person, "person", None, refs)
        self._update(Person, "person", refs)

    def _resolve(self, values: dict[str, Any], refs: dict[str, tuple[str, dict[str, int]]]) -> dict[str, Any]:
        """Replace natural keys of parents by their ids."""
        out = {name: value for name, value in values.items() if name not in refs}
        for name, (column, ids) in refs.items():
            if name in values:
                out[column] = ids[values[name]] if values[name] is not None else None
        return out

    def _insert(self, model: type, kind: str, key_column: str | None, refs: dict) -> dict[str, int]:
        """Insert the new records of one kind in one executemany; returns natural key → id of every record."""
        planned = self.inserts.get(kind)
        if not planned:
            return {}
        values = [{**self._resolve(v, refs), "corporation_id": self.corporation_id} for v in planned]
        # The time stamps come from the database: one value per statement, not one per row to convert.
        db.session.execute(sa.insert(model.__table__).values(created_at=sa.func.now(), updated_at=sa.func.now()), values)
        if key_column is None:
            return {}
        key = getattr(model, key_column)
        return dict(db.session.execute(sa.select(key, model.id).where(model.corporation_id == self.corporation_id)).all())

    def _update(self, model: type, kind: str, refs: dict) -> None:
        """Update changed records by primary key, grouped by the set of columns they change."""
        planned = self.updates.get(kind)
        if not planned:
            return
        now = utcnow()
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for values in planned:
            resolved = {**self._resolve(values, refs), "updated_at": now}
            groups.setdefault(tuple(sorted(resolved)), []).append(resolved)
        for group in groups.values():
            db.session.execute(sa.update(model), group)


def _first_by(rows: list[TenantRow], key: str) -> dict[str, TenantRow]:
    """The first row of each non-empty key, so that messages point at the first line."""
    first: dict[str, TenantRow] = {}
    for row in rows:
        value = getattr(row, key)
        if value and value not in first:
            first[value] = row
    return first
