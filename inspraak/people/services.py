"""Queries and changes for places, households, persons and staff accounts."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from inspraak.core import audit, edits
from inspraak.core.db import lock_for_change
from inspraak.core.errors import Conflict, DomainError, NotFound
from inspraak.core.timeutil import local_today
from inspraak.extensions import db
from inspraak.people.models import (
    Complex,
    Corporation,
    Dwelling,
    Neighbourhood,
    Person,
    Role,
    StaffRole,
    StaffUser,
    Tenancy,
)


def get_person(corporation_id: int, person_id: int) -> Person:
    """A person of this corporation.

    Raises:
        NotFound: no such person in this corporation.
    """
    person = db.session.scalar(
        sa.select(Person)
        .options(joinedload(Person.tenancy).joinedload(Tenancy.dwelling))
        .where(Person.id == person_id, Person.corporation_id == corporation_id)
    )
    if person is None:
        raise NotFound(str(_l("This tenant does not exist.")))
    return person


def get_staff(corporation_id: int, staff_id: int) -> StaffUser:
    """A staff account of this corporation.

    Raises:
        NotFound: no such account in this corporation.
    """
    staff = db.session.scalar(
        sa.select(StaffUser).where(StaffUser.id == staff_id, StaffUser.corporation_id == corporation_id)
    )
    if staff is None:
        raise NotFound(str(_l("This account does not exist.")))
    return staff


@dataclass(frozen=True)
class TenantPage:
    rows: list[Person]
    page: int
    pages: int
    total: int


def list_tenants(corporation_id: int, query: str = "", *, page: int = 1, per_page: int = 50) -> TenantPage:
    """Current tenants of a corporation, searchable by name, address, postcode or unit number."""
    today = local_today()
    stmt = (
        sa.select(Person)
        .join(Tenancy, Person.tenancy_id == Tenancy.id)
        .join(Dwelling, Tenancy.dwelling_id == Dwelling.id)
        .options(joinedload(Person.tenancy).joinedload(Tenancy.dwelling))
        .where(
            Person.corporation_id == corporation_id,
            Tenancy.start_date <= today,
            sa.or_(Tenancy.end_date.is_(None), Tenancy.end_date > today),
            sa.or_(Person.left_on.is_(None), Person.left_on > today),
        )
    )
    query = query.strip()
    if query:
        like = f"%{query.lower()}%"
        compact = query.replace(" ", "").upper()
        stmt = stmt.where(
            sa.or_(
                sa.func.lower(Person.name).like(like),
                sa.func.lower(Dwelling.street).like(like),
                sa.func.replace(Dwelling.postcode, " ", "") == compact,
                Dwelling.unit_number == query,
                Person.person_number == query,
            )
        )
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    rows = db.session.scalars(
        stmt.order_by(Dwelling.postcode, Dwelling.house_number, Dwelling.house_number_addition, Person.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return TenantPage(list(rows), page, pages, total)


def corporation_counts(corporation_id: int) -> dict[str, int]:
    """How many neighbourhoods, complexes, dwellings and current households a corporation has."""
    today = local_today()

    def count(model, *where):  # noqa: ANN001, ANN202
        return db.session.scalar(
            sa.select(sa.func.count()).select_from(model).where(model.corporation_id == corporation_id, *where)
        )

    return {
        "neighbourhoods": count(Neighbourhood),
        "complexes": count(Complex),
        "dwellings": count(Dwelling),
        "households": count(
            Tenancy, Tenancy.start_date <= today, sa.or_(Tenancy.end_date.is_(None), Tenancy.end_date > today)
        ),
    }


def list_staff(corporation_id: int) -> list[StaffUser]:
    return list(
        db.session.scalars(
            sa.select(StaffUser).where(StaffUser.corporation_id == corporation_id).order_by(StaffUser.name)
        )
    )


EMAIL_IN_USE = _l("There is already an account with this email address.")


def create_staff(
    corporation: Corporation,
    *,
    email: str,
    name: str,
    roles: set[Role],
    organisation: str = "",
    language: str = "nl",
    created_by: StaffUser | None,
) -> StaffUser:
    """Create a staff account without a password; the person sets one through a reset link.

    Raises:
        Conflict: the email address is already in use.
        DomainError: no role chosen.
    """
    email = email.strip().lower()
    if not roles:
        raise DomainError(str(_l("Choose at least one role.")))
    if db.session.scalar(sa.select(StaffUser.id).where(StaffUser.email == email)):
        raise Conflict(str(EMAIL_IN_USE))
    staff = StaffUser(
        corporation_id=corporation.id,
        email=email,
        name=name.strip(),
        organisation=organisation.strip(),
        preferred_language=language,
        role_rows=[StaffRole(role=role) for role in sorted(roles, key=lambda r: r.value)],
    )
    try:
        with db.session.begin_nested():  # two admins (or a double click) making the same account at once
            db.session.add(staff)
            db.session.flush()
    except sa.exc.IntegrityError:
        raise Conflict(str(EMAIL_IN_USE)) from None
    audit.record(
        "staff.created",
        actor=created_by,
        corporation_id=corporation.id,
        obj=staff,
        details={"roles": sorted(r.value for r in roles)},
    )
    return staff


def staff_values(staff: StaffUser) -> dict[str, object]:
    """An account as its form shows it (``core.edits`` compares them)."""
    return {"name": staff.name, "organisation": staff.organisation, "roles": staff.roles, "active": staff.active}


def update_staff(staff: StaffUser, *, name: str, organisation: str, roles: set[Role], active: bool, by: StaffUser,
                 seen: str | None = None) -> None:
    """Change an account's name, roles and whether it may sign in.

    ``seen``: the fingerprint of the account the form showed (``core.edits``): what the sender left
    as shown keeps what another admin saved meanwhile; roles count one by one, so one admin adding a
    role and another adding another keeps both.

    Raises:
        DomainError: no role chosen, or an admin would remove their own admin role or deactivate themselves.
        EditClash: another admin changed the name or organisation the sender changed, at the same moment.
    """
    # Two saves at once (a double click, two admins): the second waits for the first and then compares
    # with what the first saved.
    lock_for_change(staff)
    db.session.expire(staff, ["role_rows"])
    values = edits.merge_values(seen, staff_values(staff), {"name": name, "organisation": organisation,
                                                           "roles": set(roles), "active": active})
    name, organisation, roles, active = (values["name"] or "", values["organisation"] or "", set(values["roles"] or ()),
                                         values["active"])
    if not roles:
        raise DomainError(str(_l("Choose at least one role.")))
    if staff.id == by.id and (Role.ADMIN not in roles or not active):
        raise DomainError(str(_l("You cannot remove your own admin role or deactivate yourself.")))
    staff.name = name.strip()
    staff.organisation = organisation.strip()
    current = staff.roles
    for row in list(staff.role_rows):
        if row.role not in roles:
            staff.role_rows.remove(row)
    for role in roles - current:
        staff.role_rows.append(StaffRole(role=role))
    # A deactivated account is refused on its very next request: the session loader checks `active`.
    staff.active = active
    audit.record(
        "staff.updated",
        actor=by,
        corporation_id=staff.corporation_id,
        obj=staff,
        details={"roles": sorted(r.value for r in roles), "active": active},
    )


def set_language(account: Person | StaffUser, language: str, languages: dict) -> None:
    """Save the language someone wants to read in.

    Raises:
        DomainError: the language is not offered.
    """
    if language not in languages:
        raise DomainError(str(_l("This language is not available.")))
    account.preferred_language = language
