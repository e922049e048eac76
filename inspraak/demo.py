"""Demo data for trying inspraak locally: one corporation with places, households and staff."""
from __future__ import annotations

import random
from datetime import date, timedelta

import sqlalchemy as sa

from inspraak.auth import services as auth_services
from inspraak.core.security import format_code
from inspraak.extensions import db
from inspraak.people import services as people_services
from inspraak.people.importer import to_csv
from inspraak.people.imports import import_tenant_file
from inspraak.people.models import Corporation, Person, Role

DEMO_PASSWORD = "inspraak-demo-2026"
DEMO_SLUG = "de-linde"

NAMES = {
    "nl": (["Jan", "Ans", "Kees", "Fatma", "Wim", "Ria", "Henk", "Joke", "Sanne", "Dirk"],
           ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder"]),
    "en": (["John", "Mary", "Grace", "Peter"], ["Smith", "Brown", "Taylor", "Wilson"]),
    "tr": (["Ayşe", "Mehmet", "Emine", "Mustafa", "Zeynep"], ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik"]),
    "ar": (["Fatima", "Mohammed", "Amina", "Youssef", "Khadija"], ["El Amrani", "Haddad", "Mansour", "Bakr"]),
    "pl": (["Anna", "Piotr", "Katarzyna", "Tomasz", "Magdalena"], ["Kowalski", "Nowak", "Wiśniewska", "Zieliński"]),
}
LANGUAGE_WEIGHTS = {"nl": 60, "en": 8, "tr": 12, "ar": 12, "pl": 8}
PLACES = [
    ("Kanaleneiland", "WK034405", [("1001", "Marshalllaan flats", "Marshalllaan", 70), ("1002", "Columbuslaan", "Columbuslaan", 40)]),
    ("Overvecht", "WK034411", [("2001", "Zamenhofdreef", "Zamenhofdreef", 60), ("2002", "Neckardreef", "Neckardreef", 30)]),
    ("Lunetten", "WK034408", [("3001", "Hondsrug", "Hondsrug", 50), ("3002", "Drentse Aa", "Drentse Aa", 50)]),
]
STAFF = [
    ("beheer@delinde.example", "Anouk Admin", {Role.ADMIN}, ""),
    ("redactie@delinde.example", "Erik Editor", {Role.EDITOR}, ""),
    ("publicatie@delinde.example", "Priya Publisher", {Role.PUBLISHER}, ""),
    ("invoer@delinde.example", "Daan Datainvoer", {Role.DATA_ENTRY}, ""),
    ("gemeente@delinde.example", "Gert Gemeente", {Role.PARTNER}, "Gemeente Utrecht"),
]


def demo_exists() -> bool:
    return db.session.scalar(sa.select(Corporation.id).where(Corporation.slug == DEMO_SLUG)) is not None


def load_demo(seed: int = 2026) -> list[str]:
    """Create the demo corporation and return the lines that tell how to sign in."""
    rng = random.Random(seed)
    corporation = Corporation(
        name="Woonstichting De Linde",
        slug=DEMO_SLUG,
        contact_email="info@delinde.example",
        contact_phone="030 123 45 67",
        postal_address="Postbus 100, 3500 AA Utrecht",
    )
    db.session.add(corporation)
    db.session.flush()

    _import(corporation, _demo_records(rng))

    for email, name, roles, organisation in STAFF:
        staff = people_services.create_staff(
            corporation, email=email, name=name, roles=roles, organisation=organisation, created_by=None
        )
        staff.password_hash = auth_services.hash_password(DEMO_PASSWORD)
    _second_corporation()
    db.session.flush()
    return sign_in_lines()


def sign_in_lines() -> list[str]:
    """How to sign in to the demo; gives one tenant per language a fresh letter code."""
    corporation = db.session.scalar(sa.select(Corporation).where(Corporation.slug == DEMO_SLUG))
    lines = [f"Staff of {corporation.name} (password for all: {DEMO_PASSWORD}), at /staff/sign-in:"]
    for email, _name, roles, _organisation in STAFF:
        lines.append(f"  {', '.join(sorted(r.value for r in roles)):<11} {email}")
    lines.append("Tenants, at /sign-in with a letter code (or ask for an email link and read it in this terminal):")
    for language in LANGUAGE_WEIGHTS:
        person = db.session.scalar(
            sa.select(Person)
            .where(Person.corporation_id == corporation.id, Person.preferred_language == language, Person.email.is_not(None))
            .order_by(Person.id)
            .limit(1)
        )
        if person is None:
            continue
        code = auth_services.issue_letter_code(person, None)
        lines.append(f"  {language}  code {format_code(code)}  {person.name} <{person.email}>")
    return lines


def _demo_records(rng: random.Random) -> list[dict]:
    """One line per person, in the shape of the tenant CSV file."""
    records = []
    unit = 0
    for hood_name, cbs, complexes in PLACES:
        for number, name, street, size in complexes:
            for house in range(1, size + 1):
                unit += 1
                start = date(2010, 1, 1) + timedelta(days=rng.randrange(5000))
                language = rng.choices(list(LANGUAGE_WEIGHTS), weights=list(LANGUAGE_WEIGHTS.values()))[0]
                first_names, last_names = NAMES[language]
                for member in range(rng.choice([1, 1, 2, 2, 3])):
                    records.append({
                        "unit_number": f"VHE{unit:05d}",
                        "street": street,
                        "house_number": house,
                        "house_number_addition": "" if house % 7 else "A",
                        "postcode": f"35{20 + int(number) % 80:02d} {chr(65 + house % 20)}{chr(66 + house % 19)}",
                        "city": "Utrecht",
                        "complex_number": number,
                        "complex_name": name,
                        "neighbourhood": hood_name,
                        "neighbourhood_cbs_code": cbs,
                        "tenancy_number": f"HC{unit:06d}",
                        "tenancy_start": start.isoformat(),
                        "person_number": f"P{unit:05d}{member}",
                        "name": f"{rng.choice(first_names)} {rng.choice(last_names)}",
                        "email": f"huurder{unit}.{member}@example.org" if rng.random() < 0.6 else None,
                        "phone": f"06 {rng.randrange(10000000, 99999999)}" if rng.random() < 0.8 else None,
                        "language": language,
                    })
    return records


def _import(corporation: Corporation, records: list[dict]) -> None:
    """Build households through the tenant import, the path real data takes."""
    result = import_tenant_file(corporation, to_csv(records).encode(), dry_run=False, actor=None)
    if not result.ok:
        raise RuntimeError("demo data does not import: " + "; ".join(f"line {e.line}: {e.message}" for e in result.errors))


def _second_corporation() -> None:
    """A small second corporation, to show that nothing crosses between them."""
    other = Corporation(name="Woonpartners Oost", slug="woonpartners-oost", contact_phone="053 765 43 21")
    db.session.add(other)
    db.session.flush()
    _import(other, [
        {
            "unit_number": f"WO{house:04d}", "street": "Stationsplein", "house_number": house, "postcode": "7511 AB",
            "city": "Enschede", "complex_number": "9001", "complex_name": "Stationsplein", "neighbourhood": "Centrum",
            "tenancy_number": f"WO-{house}", "tenancy_start": "2015-03-01", "person_number": f"WOP{house}",
            "name": f"Bewoner {house}",
        }
        for house in range(1, 13)
    ])
    staff = people_services.create_staff(
        other, email="beheer@woonpartners.example", name="Olga Oost", roles={Role.ADMIN}, created_by=None
    )
    staff.password_hash = auth_services.hash_password(DEMO_PASSWORD)
