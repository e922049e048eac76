"""On PostgreSQL a transaction begins at the first statement that writes or locks (core.db).

Reads before it run without a transaction; from the first write or lock to the commit or
rollback everything runs in one, so writes stay atomic, a request reads its own writes
and locks hold to the end.
"""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from inspraak.core.db import is_plain_read
from inspraak.extensions import db
from inspraak.people.models import Corporation


@pytest.mark.parametrize("statement", [
    "SELECT corporation.id FROM corporation WHERE corporation.id = %(id)s",
    "\n  select 1",
    "(SELECT a FROM t) UNION (SELECT b FROM u)",
    "SELECT count(*) FROM answer GROUP BY question_id",
    "SELECT t.into_date FROM t",  # a name that holds "into" is not SELECT … INTO
])
def test_plain_reads(statement: str) -> None:
    assert is_plain_read(statement)


@pytest.mark.parametrize("statement", [
    "SELECT id FROM motion WHERE id = %(id)s FOR UPDATE",
    "SELECT id FROM outbox\nFOR  UPDATE SKIP LOCKED",
    "SELECT id FROM meeting FOR NO KEY UPDATE",
    "SELECT id FROM meeting FOR SHARE",
    "SELECT id FROM meeting FOR KEY SHARE",
    "SELECT pg_advisory_xact_lock(1)",
    "SELECT nextval('seq')",
    "SELECT setval('seq', 3)",
    "SELECT set_config('x.y', '1', true)",
    "SELECT * INTO copy FROM corporation",
    "WITH moved AS (DELETE FROM a RETURNING *) SELECT * FROM moved",
    "INSERT INTO corporation (name) VALUES ('x')",
    "UPDATE corporation SET name = 'x'",
    "DELETE FROM corporation",
    "SAVEPOINT sa_savepoint_1",
    "LOCK TABLE corporation",
    "CREATE TABLE t (id int)",
])
def test_statements_that_need_a_transaction(statement: str) -> None:
    assert not is_plain_read(statement)


@pytest.fixture
def postgres_only(app):  # noqa: ANN001, ANN201
    if db.engine.dialect.name != "postgresql":
        pytest.skip("psycopg's transaction state is PostgreSQL's")


def _in_transaction() -> bool:
    from psycopg.pq import TransactionStatus

    raw = db.session.connection().connection.dbapi_connection
    return raw.info.transaction_status != TransactionStatus.IDLE


def test_reads_run_without_a_transaction(app, postgres_only, make_corporation) -> None:  # noqa: ANN001
    corporation_id = make_corporation().id
    db.session.remove()
    assert db.session.scalar(sa.select(Corporation.name).where(Corporation.id == corporation_id))
    assert db.session.get(Corporation, corporation_id) is not None
    assert not _in_transaction()


def test_a_lock_begins_a_transaction_that_holds_it_until_the_end(app, postgres_only, make_corporation) -> None:  # noqa: ANN001
    corporation_id = make_corporation().id
    db.session.remove()
    row = sa.select(Corporation.id).where(Corporation.id == corporation_id)
    db.session.scalar(row)
    db.session.execute(row.with_for_update())
    assert _in_transaction()
    db.session.scalar(row)  # a read in between
    with db.engine.connect() as other, pytest.raises(sa.exc.OperationalError, match="could not obtain lock"):
        other.execute(row.with_for_update(nowait=True))
    db.session.rollback()
    with db.engine.connect() as other:  # released with the rollback
        assert other.execute(row.with_for_update(nowait=True)).scalar() == corporation_id


def test_writes_after_reads_are_one_transaction(app, postgres_only, make_corporation) -> None:  # noqa: ANN001
    taken_slug = make_corporation().slug
    db.session.remove()
    db.session.scalar(sa.select(sa.func.count()).select_from(Corporation))
    db.session.add(Corporation(name="First", slug="first-of-two"))
    db.session.flush()
    assert _in_transaction()
    # The request reads its own write; another connection does not see it before the commit.
    assert db.session.scalar(sa.select(Corporation.id).where(Corporation.slug == "first-of-two"))
    with db.engine.connect() as other:
        assert other.scalar(sa.select(Corporation.id).where(Corporation.slug == "first-of-two")) is None
    db.session.add(Corporation(name="Second", slug=taken_slug))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()
    assert db.session.scalar(sa.select(Corporation.id).where(Corporation.slug == "first-of-two")) is None


def test_after_a_commit_reads_run_without_a_transaction_again(app, postgres_only) -> None:  # noqa: ANN001
    db.session.add(Corporation(name="Committed", slug="committed"))
    db.session.commit()
    assert db.session.scalar(sa.select(Corporation.name).where(Corporation.slug == "committed")) == "Committed"
    assert not _in_transaction()


def test_a_streamed_read_runs_in_a_transaction(app, postgres_only, make_corporation) -> None:  # noqa: ANN001
    for _ in range(3):
        make_corporation()
    db.session.remove()
    rows = db.session.execute(sa.select(Corporation.id).execution_options(yield_per=2))
    first = next(rows)
    assert _in_transaction()  # a server-side cursor lives only inside a transaction
    assert len([first, *rows]) == 3
