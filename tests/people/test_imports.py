"""Importing tenants: idempotent, updates details, ends what is gone, never deletes, all or nothing, per corporation."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspraak.core.audit import AuditEntry
from inspraak.core.timeutil import local_today
from inspraak.extensions import db
from inspraak.people.import_format import MANDATORY_COLUMNS
from inspraak.people.importer import parse_tenant_file, to_csv
from inspraak.people.imports import TENANCY_MOVED, import_tenants
from inspraak.people.models import Complex, Dwelling, Neighbourhood, Person, Tenancy
from tests.people.conftest import make_record


def household(n: int, members: int = 2, **overrides: object) -> list[dict]:
    """Records for a household of several persons in dwelling n."""
    first = make_record(n, **overrides)
    return [first] + [
        {**first, "person_number": f"{first['person_number']}-{m}", "name": f"Huisgenoot {n}.{m}", "email": ""}
        for m in range(1, members)
    ]


def snapshot(corporation_id: int) -> dict:
    """Every imported field of a corporation, to compare before and after."""
    out = {}
    for model in (Neighbourhood, Complex, Dwelling, Tenancy, Person):
        rows = db.session.execute(sa.select(model.__table__).where(model.corporation_id == corporation_id)).all()
        out[model.__name__] = sorted(tuple(v for k, v in r._mapping.items() if k != "created_at") for r in rows)
    return out


def get(model, **where):  # noqa: ANN001, ANN003, ANN201
    db.session.expire_all()
    return db.session.scalar(sa.select(model).filter_by(**where))


def test_first_import_creates_everything(make_corporation, run_import):
    corporation = make_corporation()
    records = household(1, 3) + household(2, 1) + household(3, 2)
    result = run_import(corporation, records)
    assert result.imported
    summary = result.summary
    assert (summary.neighbourhoods.created, summary.complexes.created) == (2, 3)
    assert (summary.dwellings.created, summary.tenancies.created, summary.persons.created) == (3, 3, 6)
    person = get(Person, person_number="P000001-2")
    assert person.tenancy.dwelling.complex.neighbourhood.name == "Wijk 1"
    assert person.tenancy.contract_number == "T000001"
    assert person.preferred_language == "nl" and person.corporation_id == corporation.id
    assert get(Dwelling, unit_number="VHE00003").complex.number == "C0"


def test_the_same_file_twice_changes_nothing(make_corporation, run_import):
    corporation = make_corporation()
    records = household(1, 2) + household(2, 1, tenancy_end="2030-01-01") + household(3, 3, language="ar")
    run_import(corporation, records)
    before = snapshot(corporation.id)
    result = run_import(corporation, records)
    assert result.summary.changes == 0
    assert result.summary.persons.unchanged == 6 and result.summary.dwellings.unchanged == 3
    assert snapshot(corporation.id) == before


def test_a_newer_file_updates_details(make_corporation, run_import):
    corporation = make_corporation()
    run_import(corporation, household(1, 2) + household(2, 1))
    newer = household(1, 2, street="Nieuwe Laan", postcode="3512cd", complex_name="Renamed", language="pl",
                      email="nieuw@example.org", neighbourhood_cbs_code="WK999") + household(2, 1)
    result = run_import(corporation, newer)
    s = result.summary
    assert (s.dwellings.updated, s.dwellings.unchanged) == (1, 1)
    assert (s.complexes.updated, s.neighbourhoods.updated) == (1, 1)
    assert (s.persons.updated, s.persons.unchanged) == (2, 1)  # both members got Polish; one also a new email
    dwelling = get(Dwelling, unit_number="VHE00001")
    assert (dwelling.street, dwelling.postcode, dwelling.complex.name) == ("Nieuwe Laan", "3512 CD", "Renamed")
    assert dwelling.complex.neighbourhood.cbs_code == "WK999"
    person = get(Person, person_number="P000001")
    assert (person.email, person.preferred_language) == ("nieuw@example.org", "pl")


def test_a_tenancy_missing_from_the_file_ends_today_and_is_kept(make_corporation, run_import):
    corporation = make_corporation()
    run_import(corporation, household(1) + household(2))
    result = run_import(corporation, household(2))
    assert result.summary.tenancies_ended == 1 and result.summary.persons_left == 0
    gone = get(Tenancy, contract_number="T000001")
    assert gone.end_date == local_today()
    assert len(gone.persons) == 2  # the household and its persons are history, not deleted
    assert get(Tenancy, contract_number="T000002").end_date is None
    assert run_import(corporation, household(2)).summary.changes == 0


def test_a_file_that_ends_many_households_looks_partial(make_corporation, run_import):
    corporation = make_corporation()
    run_import(corporation, [make_record(n) for n in range(1, 21)])
    assert not run_import(corporation, [make_record(n) for n in range(1, 17)], dry_run=True).summary.looks_partial
    summary = run_import(corporation, [make_record(n) for n in range(1, 16)], dry_run=True).summary
    assert (summary.tenancies_missing, summary.households_before, summary.looks_partial) == (5, 20, True)


def test_the_complete_file_after_a_partial_one_starts_the_households_again(make_corporation, run_import):
    corporation = make_corporation()
    complete = household(1) + household(2)
    run_import(corporation, complete)
    run_import(corporation, household(2))
    result = run_import(corporation, complete)
    assert result.summary.tenancies.updated == 1
    assert get(Tenancy, contract_number="T000001").end_date is None


def test_a_missing_household_ends_when_the_next_one_in_its_dwelling_began(make_corporation, run_import):
    corporation = make_corporation()
    run_import(corporation, household(1, 1))
    successor = household(1, 1, tenancy_number="T-NEXT", person_number="P-NEXT", tenancy_start="2025-02-01")
    result = run_import(corporation, successor)
    assert result.ok and result.summary.tenancies_ended == 1
    assert get(Tenancy, contract_number="T000001").end_date == date(2025, 2, 1)
    assert run_import(corporation, successor).summary.changes == 0


def test_a_tenancy_with_an_end_date_in_the_file_ends_then(make_corporation, run_import):
    corporation = make_corporation()
    run_import(corporation, household(1))
    result = run_import(corporation, household(1, tenancy_end="01-03-2026"))
    assert result.summary.tenancies_ended == 1
    assert get(Tenancy, contract_number="T000001").end_date == date(2026, 3, 1)


def test_a_new_household_follows_an_ended_one_in_the_same_dwelling(make_corporation, run_import):
    corporation = make_corporation()
    run_import(corporation, household(1))
    ended = household(1, tenancy_end="2025-06-01")
    successor = [{**r, "tenancy_number": "T-NEW", "person_number": "PN" + r["person_number"], "tenancy_start": "2025-06-01",
                  "tenancy_end": ""} for r in household(1, 1)]
    result = run_import(corporation, ended + successor)
    assert result.ok, result.errors
    dwelling = get(Dwelling, unit_number="VHE00001")
    assert [t.contract_number for t in dwelling.tenancies] == ["T000001", "T-NEW"]


def test_persons_missing_from_a_household_that_goes_on_have_left(make_corporation, run_import):
    corporation = make_corporation()
    run_import(corporation, household(1, 3))
    result = run_import(corporation, household(1, 2))
    assert result.summary.persons_left == 1 and result.summary.tenancies_ended == 0
    left = get(Person, person_number="P000001-2")
    assert left.left_on == local_today() and not left.is_current(local_today())
    assert get(Person, person_number="P000001").left_on is None
    assert run_import(corporation, household(1, 2)).summary.changes == 0
    back = run_import(corporation, household(1, 3))  # they came back
    assert back.summary.persons.updated == 1
    assert get(Person, person_number="P000001-2").left_on is None


def test_a_person_who_moves_to_another_household_moves_with_their_history(make_corporation, run_import):
    corporation = make_corporation()
    run_import(corporation, household(1, 2) + household(2, 1))
    moved = {**household(1, 2)[1], **{k: v for k, v in make_record(2).items() if k != "person_number" and k != "name"}}
    result = run_import(corporation, household(1, 1) + household(2, 1) + [moved])
    assert result.ok and result.summary.persons.updated == 1 and result.summary.persons_left == 0
    assert get(Person, person_number="P000001-1").tenancy.contract_number == "T000002"


def test_a_known_tenancy_cannot_move_to_another_dwelling(make_corporation, run_import):
    corporation = make_corporation()
    run_import(corporation, household(1) + household(2))
    before = snapshot(corporation.id)
    moved = household(2, tenancy_number="T000001", person_number="P-X")
    result = run_import(corporation, household(1, 1, tenancy_number="T-OTHER", person_number="P-Y") + moved)
    assert not result.ok and not result.imported
    assert [(e.line, e.template) for e in result.errors] == [(3, TENANCY_MOVED)]
    assert snapshot(corporation.id) == before


def test_a_file_with_any_error_imports_nothing(make_corporation, run_import, csv_bytes):
    corporation = make_corporation()
    records = [make_record(n) for n in range(1, 50)]
    records[30]["postcode"] = "not a postcode"
    result = run_import(corporation, records)
    assert not result.ok and not result.imported and result.summary is None
    assert [e.line for e in result.errors] == [32]
    assert snapshot(corporation.id) == {m: [] for m in ("Neighbourhood", "Complex", "Dwelling", "Tenancy", "Person")}


def test_a_dry_run_changes_nothing_but_tells_what_would_change(make_corporation, run_import):
    corporation = make_corporation()
    run_import(corporation, household(1) + household(2))
    before = snapshot(corporation.id)
    audits = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))
    result = run_import(corporation, household(1, street="Elders") + household(3), dry_run=True)
    assert result.ok and not result.imported
    s = result.summary
    assert (s.dwellings.created, s.dwellings.updated, s.tenancies_ended) == (1, 1, 1)
    assert snapshot(corporation.id) == before
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == audits


def test_corporations_are_kept_apart(make_corporation, run_import):
    ours, theirs = make_corporation(), make_corporation()
    run_import(theirs, household(1) + household(2))
    before = snapshot(theirs.id)
    # The same numbers in another corporation are other dwellings, households and persons.
    result = run_import(ours, household(1, street="Onze straat"))
    assert result.summary.dwellings.created == 1 and result.summary.tenancies_ended == 0
    run_import(ours, household(3))  # ends our T000001, never theirs
    assert snapshot(theirs.id) == before
    assert get(Tenancy, corporation_id=ours.id, contract_number="T000001").end_date == local_today()


def test_optional_columns_left_out_are_not_changed(make_corporation, run_import, csv_bytes):
    corporation = make_corporation()
    run_import(corporation, household(1, 1, language="tr", email="a@example.org", house_number_addition="bis"))
    result = run_import(corporation, csv_bytes(household(1, 1), columns=MANDATORY_COLUMNS))
    assert result.summary.changes == 0
    person = get(Person, person_number="P000001")
    assert (person.preferred_language, person.email, person.tenancy.dwelling.house_number_addition) == ("tr", "a@example.org", "bis")


def test_an_empty_language_keeps_the_tenants_own_choice(make_corporation, run_import):
    corporation = make_corporation()
    run_import(corporation, household(1, 1))
    person = get(Person, person_number="P000001")
    person.preferred_language = "ar"  # chosen by the tenant on their account page
    db.session.commit()
    assert run_import(corporation, household(1, 1, language="")).summary.changes == 0
    assert get(Person, person_number="P000001").preferred_language == "ar"


def test_the_import_is_in_the_audit_log(make_corporation, make_staff, run_import):
    corporation = make_corporation()
    staff = make_staff(corporation)
    run_import(corporation, household(1, 2), actor=staff)
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "tenants.imported"))
    assert entry.corporation_id == corporation.id and entry.actor_id == staff.id
    assert entry.details["rows"] == 2 and entry.details["persons"] == {"created": 2, "updated": 0}


def test_objects_held_by_the_caller_see_the_import(make_corporation, run_import):
    corporation = make_corporation()
    run_import(corporation, household(1, 1))
    person = db.session.scalar(sa.select(Person))
    run_import(corporation, household(1, 1, name="Nieuwe Naam"))
    assert person.name == "Nieuwe Naam"


def test_import_tenants_takes_rows_and_refuses_nothing_valid(app, make_corporation):
    corporation = make_corporation()
    parsed = parse_tenant_file(to_csv(household(5, 2)).encode())
    result = import_tenants(corporation, parsed.rows, dry_run=False, actor=None, columns=parsed.columns)
    db.session.commit()
    assert result.imported and result.summary.persons.created == 2


# ------------------------------------------------------------------ property: any valid file imports and re-imports

names = st.text(st.characters(codec="cp1252", categories=("L",)), min_size=1, max_size=12)


@st.composite
def tenant_files(draw):  # noqa: ANN001, ANN201
    """A valid file: up to 6 households of 1 to 3 persons, any dates, names, separator and encoding."""
    records = []
    for n in range(1, draw(st.integers(1, 6)) + 1):
        start = draw(st.dates(date(1990, 1, 1), date(2030, 1, 1)))
        end = draw(st.none() | st.dates(start, date(2040, 1, 1)))
        first = make_record(
            n,
            street=draw(names),
            house_number=draw(st.integers(1, 99999)),
            house_number_addition=draw(st.sampled_from(["", "A", "bis", "2 hoog"])),
            tenancy_start=draw(st.sampled_from([start.isoformat(), start.strftime("%d-%m-%Y")])),
            tenancy_end=end.isoformat() if end else "",
            language=draw(st.sampled_from(["", "nl", "EN", "tr", "ar", "pl"])),
        )
        for m in range(draw(st.integers(1, 3))):
            email = draw(st.sampled_from(["", f"p{n}.{m}@example.org"]))
            records.append({**first, "person_number": f"P{n}-{m}", "name": draw(names), "email": email})
    return records, draw(st.sampled_from([";", ","])), draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tenant_files())
def test_any_valid_file_imports_and_imports_again_without_change(make_corporation, run_import, example):
    records, separator, encoding = example
    corporation = make_corporation()
    data = to_csv(records, separator=separator).encode(encoding)
    first = run_import(corporation, data)
    assert first.ok, first.errors
    assert first.summary.persons.created == len(records)
    before = snapshot(corporation.id)
    again = run_import(corporation, data)
    assert again.summary.changes == 0
    assert snapshot(corporation.id) == before
