"""Declarative base with a constraint naming convention, and common column helpers."""
from __future__ import annotations

import enum
import sqlite3
from collections.abc import Callable
from contextvars import ContextVar
from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa
from sqlalchemy import JSON, DateTime, MetaData, TypeDecorator
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base class of every model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware.

    SQLite keeps no time zone; this type normalises on the way in and out so that
    code never compares naive and aware datetimes.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use inspraak.core.db.utcnow()")
        value = value.astimezone(timezone.utc)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


# JSON on every database, JSONB on PostgreSQL.
JSONType = JSON().with_variant(postgresql.JSONB(), "postgresql")


def enum_column(enum_cls: type[enum.Enum], name: str, **kwargs: Any) -> sa.Enum:
    """A string enum stored as its values, with a CHECK constraint named after the column."""
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_cls),
        values_callable=lambda cls: [m.value for m in cls],
        validate_strings=True,
        **kwargs,
    )


class TimestampMixin:
    """created_at and updated_at, set by the database session."""

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False
    )


@sa.event.listens_for(sa.engine.Engine, "connect")
def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    """SQLite: enforce foreign keys, write-ahead log, wait for locks; we issue BEGIN ourselves."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None  # let the "begin" hook below choose the kind of BEGIN
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    if cursor.execute("PRAGMA database_list").fetchone()[2]:  # a file, not :memory:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@sa.event.listens_for(sa.engine.Engine, "begin")
def _sqlite_on_begin(connection: sa.engine.Connection) -> None:
    """SQLite: requests that change data take the write lock up front (BEGIN IMMEDIATE).

    A deferred transaction that reads and then writes can fail at once when another
    writer got in between; taking the lock first makes racing writes wait and then
    see each other's rows, so constraints settle them cleanly. Reads stay concurrent.
    """
    if connection.dialect.name != "sqlite":
        return
    immediate = _wants_write_lock()
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
    connection.info["sqlite_write_locked"] = immediate
    connection.info["sqlite_changes_at_begin"] = connection.connection.dbapi_connection.total_changes


# Outside requests (CLI commands, the mail worker) transactions take the write lock too;
# the test suite switches this off for the test body, which only sets up and inspects data.
lock_outside_requests: ContextVar[bool] = ContextVar("sqlite_lock_outside_requests", default=True)


def _wants_write_lock() -> bool:
    from flask import current_app, has_request_context, request

    if has_request_context():
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return False
        view = current_app.view_functions.get(request.endpoint or "")
        return not getattr(view, "late_write_lock", False)
    return lock_outside_requests.get()


def late_write_lock(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a busy view that reads first and writes briefly at the end (tenants sending answers).

    On SQLite its transaction starts as a plain read; the view's service calls
    :func:`take_write_lock` just before it writes. Other writers wait only for the write
    itself instead of the whole request (page rendering, validation, loading). The mark
    is an attribute, so it survives the decorators above it (functools.wraps copies it).
    """
    view.late_write_lock = True  # type: ignore[attr-defined]
    return view


def take_write_lock(session: Any) -> None:
    """Before writing: on SQLite, turn this read transaction into a write transaction.

    The read transaction is ended (it changed nothing) and BEGIN IMMEDIATE waits for the
    write lock; what is read from here on is current, so checks that decide the write
    (has this unit answered? is there a draft?) come after this call. Objects loaded
    earlier stay loaded. A no-op on PostgreSQL, where constraints and row locks settle races,
    and when the transaction holds the write lock already.
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite" or connection.info.get("sqlite_write_locked", True):
        return
    raw = connection.connection.dbapi_connection
    if raw.total_changes != connection.info.get("sqlite_changes_at_begin", raw.total_changes):
        connection.info["sqlite_write_locked"] = True  # it wrote already, so it holds the lock
        return
    connection.exec_driver_sql("COMMIT")
    connection.exec_driver_sql("BEGIN IMMEDIATE")
    connection.info["sqlite_write_locked"] = True
