"""Models of places, households, persons and staff accounts."""
from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspraak.core.db import TimestampMixin, UTCDateTime, enum_column
from inspraak.extensions import db


class Corporation(TimestampMixin, db.Model):
    """A housing corporation; nothing crosses between corporations."""

    __tablename__ = "corporation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    slug: Mapped[str] = mapped_column(sa.String(60), nullable=False, unique=True)
    contact_email: Mapped[str | None] = mapped_column(sa.String(254))
    contact_phone: Mapped[str | None] = mapped_column(sa.String(40))
    postal_address: Mapped[str | None] = mapped_column(sa.String(300))

    neighbourhoods: Mapped[list[Neighbourhood]] = relationship(back_populates="corporation")


class Neighbourhood(TimestampMixin, db.Model):
    """A wijk, often with a CBS code."""

    __tablename__ = "neighbourhood"

    id: Mapped[int] = mapped_column(primary_key=True)
    corporation_id: Mapped[int] = mapped_column(sa.ForeignKey("corporation.id"), nullable=False)
    name: Mapped[str] = mapped_column(sa.String(120), nullable=False)
    cbs_code: Mapped[str | None] = mapped_column(sa.String(20))

    corporation: Mapped[Corporation] = relationship(back_populates="neighbourhoods")
    complexes: Mapped[list[Complex]] = relationship(back_populates="neighbourhood")

    __table_args__ = (sa.UniqueConstraint("corporation_id", "name"),)


class Complex(TimestampMixin, db.Model):
    """A numbered group of dwellings."""

    __tablename__ = "complex"

    id: Mapped[int] = mapped_column(primary_key=True)
    corporation_id: Mapped[int] = mapped_column(sa.ForeignKey("corporation.id"), nullable=False)
    neighbourhood_id: Mapped[int] = mapped_column(sa.ForeignKey("neighbourhood.id"), nullable=False, index=True)
    number: Mapped[str] = mapped_column(sa.String(30), nullable=False)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")

    neighbourhood: Mapped[Neighbourhood] = relationship(back_populates="complexes")
    dwellings: Mapped[list[Dwelling]] = relationship(back_populates="complex")

    __table_args__ = (sa.UniqueConstraint("corporation_id", "number"),)

    @property
    def label(self) -> str:
        return f"{self.number} {self.name}".strip()


class Dwelling(TimestampMixin, db.Model):
    """A rental unit (verhuureenheid)."""

    __tablename__ = "dwelling"

    id: Mapped[int] = mapped_column(primary_key=True)
    corporation_id: Mapped[int] = mapped_column(sa.ForeignKey("corporation.id"), nullable=False)
    complex_id: Mapped[int | None] = mapped_column(sa.ForeignKey("complex.id"), index=True)
    unit_number: Mapped[str] = mapped_column(sa.String(40), nullable=False)
    street: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    house_number: Mapped[int] = mapped_column(nullable=False)
    house_number_addition: Mapped[str] = mapped_column(sa.String(20), nullable=False, default="")
    postcode: Mapped[str] = mapped_column(sa.String(10), nullable=False)
    city: Mapped[str] = mapped_column(sa.String(100), nullable=False)

    complex: Mapped[Complex | None] = relationship(back_populates="dwellings")
    tenancies: Mapped[list[Tenancy]] = relationship(back_populates="dwelling", order_by="Tenancy.start_date")

    __table_args__ = (
        sa.UniqueConstraint("corporation_id", "unit_number"),
        sa.CheckConstraint("house_number > 0", name="house_number_positive"),
    )

    @property
    def address_line(self) -> str:
        addition = f" {self.house_number_addition}" if self.house_number_addition else ""
        return f"{self.street} {self.house_number}{addition}"

    @property
    def postcode_city(self) -> str:
        return f"{self.postcode} {self.city}"


class Tenancy(TimestampMixin, db.Model):
    """A household renting a dwelling from a start date to an optional end date."""

    __tablename__ = "tenancy"

    id: Mapped[int] = mapped_column(primary_key=True)
    corporation_id: Mapped[int] = mapped_column(sa.ForeignKey("corporation.id"), nullable=False)
    dwelling_id: Mapped[int] = mapped_column(sa.ForeignKey("dwelling.id"), nullable=False, index=True)
    contract_number: Mapped[str] = mapped_column(sa.String(40), nullable=False)
    start_date: Mapped[date] = mapped_column(sa.Date, nullable=False)
    end_date: Mapped[date | None] = mapped_column(sa.Date)

    dwelling: Mapped[Dwelling] = relationship(back_populates="tenancies")
    persons: Mapped[list[Person]] = relationship(back_populates="tenancy", order_by="Person.id")

    __table_args__ = (
        sa.UniqueConstraint("corporation_id", "contract_number"),
        sa.CheckConstraint("end_date IS NULL OR end_date >= start_date", name="end_after_start"),
    )

    def is_current(self, on: date) -> bool:
        """True when the household rents the dwelling on the given day."""
        return self.start_date <= on and (self.end_date is None or self.end_date > on)


class Person(UserMixin, TimestampMixin, db.Model):
    """A tenant: a person in a household. Signs in without a password."""

    __tablename__ = "person"
    audit_kind = "tenant"

    id: Mapped[int] = mapped_column(primary_key=True)
    corporation_id: Mapped[int] = mapped_column(sa.ForeignKey("corporation.id"), nullable=False)
    tenancy_id: Mapped[int] = mapped_column(sa.ForeignKey("tenancy.id"), nullable=False, index=True)
    person_number: Mapped[str] = mapped_column(sa.String(40), nullable=False)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    email: Mapped[str | None] = mapped_column(sa.String(254), index=True)
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    preferred_language: Mapped[str] = mapped_column(sa.String(10), nullable=False, default="nl")
    # The day the person left the household while the tenancy went on (from the import).
    left_on: Mapped[date | None] = mapped_column(sa.Date)

    tenancy: Mapped[Tenancy] = relationship(back_populates="persons")

    __table_args__ = (sa.UniqueConstraint("corporation_id", "person_number"),)

    is_staff = False
    session_token = None  # set per request by the session loader; not a column

    def get_id(self) -> str | None:  # Flask-Login stores the server-side session token
        return self.session_token

    @property
    def audit_label(self) -> str:
        return f"tenant #{self.id}"

    def is_current(self, on: date) -> bool:
        """True while the person belongs to a current household."""
        return (self.left_on is None or self.left_on > on) and self.tenancy.is_current(on)


class Role(enum.Enum):
    """What a staff account may do."""

    ADMIN = "admin"
    EDITOR = "editor"
    PUBLISHER = "publisher"
    DATA_ENTRY = "data_entry"
    PARTNER = "partner"


class StaffUser(UserMixin, TimestampMixin, db.Model):
    """A corporation employee or a partner (municipality, welfare, care) with a password."""

    __tablename__ = "staff_user"
    audit_kind = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    corporation_id: Mapped[int] = mapped_column(sa.ForeignKey("corporation.id"), nullable=False, index=True)
    email: Mapped[str] = mapped_column(sa.String(254), nullable=False, unique=True)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    organisation: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    preferred_language: Mapped[str] = mapped_column(sa.String(10), nullable=False, default="nl")
    active: Mapped[bool] = mapped_column(nullable=False, default=True)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    corporation: Mapped[Corporation] = relationship()
    role_rows: Mapped[list[StaffRole]] = relationship(
        back_populates="staff_user", cascade="all, delete-orphan", lazy="selectin"
    )

    is_staff = True
    session_token = None  # set per request by the session loader; not a column

    def get_id(self) -> str | None:
        return self.session_token

    @property
    def audit_label(self) -> str:
        return self.email

    @property
    def roles(self) -> set[Role]:
        return {row.role for row in self.role_rows}

    def has_role(self, *roles: Role | str) -> bool:
        """True when the account holds any of the roles; an admin holds them all."""
        mine = self.roles
        wanted = {Role(role) for role in roles}
        return Role.ADMIN in mine or bool(mine & wanted)


class StaffRole(db.Model):
    """One role held by a staff account."""

    __tablename__ = "staff_role"

    staff_user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("staff_user.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"), primary_key=True)

    staff_user: Mapped[StaffUser] = relationship(back_populates="role_rows")
