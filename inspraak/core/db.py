"""Declarative base with a constraint naming convention, and common column helpers."""
from __future__ import annotations

import enum
import sqlite3
from collections.abc import Callable
from contextvars import ContextVar
from datetime import datetime, timezone
from functools import lru_cache
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


# SQLite: how long a write waits for another one (a large tenant import holds the lock longer: see is_busy).
SQLITE_BUSY_TIMEOUT_MS = 10_000


@sa.event.listens_for(sa.engine.Engine, "connect")
def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    """SQLite: enforce foreign keys, write-ahead log, wait for locks; we issue BEGIN ourselves."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None  # let the "begin" hook below choose the kind of BEGIN
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_TIMEOUT_MS)}")
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
    raw = connection.connection.dbapi_connection
    if immediate:  # may wait and fail ("database is locked"): through SQLAlchemy, whose error the app handles
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:  # takes no lock, so cannot fail: straight to the driver (a statement through SQLAlchemy costs ~50 µs)
        raw.execute("BEGIN")
    connection.info["sqlite_write_locked"] = immediate
    connection.info["sqlite_changes_at_begin"] = raw.total_changes


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
    raw.execute("COMMIT")  # ends a transaction that only read: releases its snapshot, never waits
    connection.exec_driver_sql("BEGIN IMMEDIATE")
    connection.info["sqlite_write_locked"] = True


def lock_for_change(instance: Any) -> None:  # noqa: ANN401
    """Before a check that decides a change: hold ``instance``'s row until the commit and read it afresh.

    Two requests at the same moment (a double press, two staff members, two workers) each load
    the object first; without the lock both would see the old state (not sent, not published)
    and both would act, on PostgreSQL. With it the second waits for the first and then sees its
    change, so its check refuses cleanly. On SQLite the request holds the write lock already
    (BEGIN IMMEDIATE); the fresh read is what counts there. Call it before changing the object:
    the fresh read replaces what was loaded.
    """
    session = sa.orm.object_session(instance)
    mapper = sa.inspect(instance).mapper
    key = mapper.primary_key_from_instance(instance)
    session.scalars(  # the rows are read (all()): only rows read refresh the object
        sa.select(mapper).where(*(column == value for column, value in zip(mapper.primary_key, key, strict=True)))
        .with_for_update().execution_options(populate_existing=True)
    ).all()


# PostgreSQL's SQLSTATEs of a transaction that lost to another one and may simply be sent again:
# serialization failure, deadlock, lock not available.
_RETRYABLE_SQLSTATES = {"40001", "40P01", "55P03"}


def is_busy(error: BaseException) -> bool:
    """Whether a database error means "busy, send it again": nothing is wrong with the request.

    On SQLite, a writer that waited ``SQLITE_BUSY_TIMEOUT_MS`` for another (a large tenant import
    holds the write lock for many seconds) gets "database is locked"; on PostgreSQL a
    transaction can lose a deadlock. Either way the transaction was rolled back whole.
    """
    original = getattr(error, "orig", error)
    if isinstance(original, sqlite3.OperationalError):
        name = getattr(original, "sqlite_errorname", None) or ""
        return name.startswith("SQLITE_BUSY") or "database is locked" in str(original)
    return getattr(original, "sqlstate", None) in _RETRYABLE_SQLSTATES


# ---------------------------------------------------------------- PostgreSQL: BEGIN at the first write

# What turns a SELECT into more than a read: row locks, advisory locks, sequences, settings, SELECT INTO.
_MORE_THAN_A_READ = ("for update", "for no key update", "for share", "for key share", "advisory", "nextval",
                     "setval", "set_config", " into ")


@lru_cache(maxsize=4096)
def is_plain_read(statement: str) -> bool:
    """Whether a statement only reads: a SELECT that locks nothing and changes nothing.

    Anything else, a WITH included (it may hold an INSERT), counts as a write; so does a
    SELECT with a lock or a side effect. Erring that way costs only a BEGIN.
    """
    if not statement.lstrip(" \t\r\n(").lower().startswith("select"):
        return False
    lowered = " ".join(statement.lower().split())
    return not any(word in lowered for word in _MORE_THAN_A_READ)


@sa.event.listens_for(sa.engine.Engine, "before_cursor_execute")
def _postgres_begin_at_first_write(conn: sa.engine.Connection, cursor: Any, statement: str, _parameters: Any,
                                   _context: Any, executemany: bool) -> None:
    """PostgreSQL: a transaction begins at the first statement that writes or locks, not at the first read.

    Until then reads run without one (psycopg's autocommit). Under READ COMMITTED, which
    inspraak uses everywhere, each statement reads its own snapshot inside a transaction or
    out of it, so a read sees the same rows either way. What changes is the cost: a page
    that only reads sends no BEGIN and no ROLLBACK, and a ROLLBACK also throws away
    psycopg's prepared statements, so every page planned its queries afresh. (The results
    page on PostgreSQL: 3.2 to 2.6 ms in-process; PostgreSQL's own CPU 0.58 to 0.14 ms.)

    Once a transaction has begun, everything up to its COMMIT or ROLLBACK runs inside it,
    reads too, so a request reads its own writes and a lock holds until the end. A
    server-side cursor (streamed exports) needs a transaction, and gets one.
    """
    if conn.dialect.driver != "psycopg" or "isolation_level" in conn.get_execution_options():
        return  # an isolation level the caller chose (AUTOCOMMIT for CREATE DATABASE, say) is theirs
    from psycopg import ServerCursor
    from psycopg.pq import TransactionStatus

    raw = cursor.connection
    if raw.info.transaction_status != TransactionStatus.IDLE:
        return  # inside a transaction: stay in it
    record = conn.connection.info  # kept with the DBAPI connection while it lives in the pool
    if raw.autocommit and not record.get("begin_at_first_write"):
        return  # in autocommit from its engine's settings, not from here
    reads_only = not executemany and not isinstance(cursor, ServerCursor) and is_plain_read(statement)
    if raw.autocommit != reads_only:
        raw.autocommit = reads_only
        record["begin_at_first_write"] = True
