"""Migrations keep the rows they find: on SQLite, batch mode rebuilds a table by copying it and dropping the old one."""
from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from inspraak import create_app
from inspraak.extensions import db
from tests.conftest import make_config
from tests.core.migration_rows import fill, lost_rows, snapshot

MIGRATIONS = os.path.join(os.path.dirname(__file__), "..", "..", "migrations")

# Columns a CHECK wants empty when another column of the row is set (one of person or dwelling, ...).
LEAVE_EMPTY = {
    "email_token": {"person_id"},
    "sign_in_session": {"person_id"},
    "consultation_invitation": {"dwelling_id"},
    "council": {"complex_id"},
    "council_attachment": {"advice_request_id"},
}
# What a migration means to change: (revision, direction) -> {table: columns}.
REWRITTEN = {
    ("5a7c2e9b4d13", "upgrade"): {"council_secret_ballot": {"key"}},  # every secret ballot written anew
}


@pytest.fixture
def sqlite_app(empty_database_url):  # noqa: ANN001, ANN201
    if not empty_database_url.startswith("sqlite"):
        pytest.skip("batch mode rebuilds tables on SQLite only; PostgreSQL alters them in place")
    app = create_app(make_config(empty_database_url))
    with app.app_context():
        yield app
        db.engine.dispose()


def _fill_and_snapshot() -> dict:
    with db.engine.begin() as connection:
        metadata = sa.MetaData()
        metadata.reflect(connection)
        fill(connection, metadata, sa.inspect(connection), LEAVE_EMPTY)
        return snapshot(connection)


def _after() -> dict:
    with db.engine.connect() as connection:
        return snapshot(connection)


def test_every_migration_keeps_the_rows_of_every_table_up_and_down(sqlite_app):
    """Each step, from the first revision to the head, with rows in every table: upgrading keeps them all,
    and so does going back down (tables the step creates go, as they must)."""
    revisions = list(reversed(list(ScriptDirectory(MIGRATIONS).walk_revisions())))
    upgrade(directory=MIGRATIONS, revision=revisions[0].revision)
    problems = []
    for script in revisions[1:]:
        before = _fill_and_snapshot()
        upgrade(directory=MIGRATIONS, revision=script.revision)
        problems += [f"upgrade to {script.revision}: {problem}" for problem in
                     lost_rows(before, _after(), REWRITTEN.get((script.revision, "upgrade"), {}))]
        before = _fill_and_snapshot()
        downgrade(directory=MIGRATIONS, revision=script.down_revision)
        problems += [f"downgrade of {script.revision}: {problem}" for problem in
                     lost_rows(before, _after(), REWRITTEN.get((script.revision, "downgrade"), {}))]
        upgrade(directory=MIGRATIONS, revision=script.revision)
    assert problems == []


def _referring_to(metadata: sa.MetaData, name: str) -> set[str]:
    """The tables whose rows refer to the table's rows, directly or through another table."""
    found: set[str] = set()
    todo = [name]
    while todo:
        target = todo.pop()
        for table in metadata.sorted_tables:
            if table.name not in found and any(key.referred_table.name == target for key in table.foreign_key_constraints):
                found.add(table.name)
                todo.append(table.name)
    return found


def test_the_breakdown_migration_keeps_consultations_and_everything_that_refers_to_them(sqlite_app):
    """b0b84d0fb856 rebuilds consultation and consultation_response; with foreign keys on, dropping the
    old tables deleted every response, answer, invitation, draft, publication... of every consultation."""
    upgrade(directory=MIGRATIONS, revision="e7eafb4ffabe")
    before = _fill_and_snapshot()
    with db.engine.connect() as connection:
        metadata = sa.MetaData()
        metadata.reflect(connection)
    family = {"consultation"} | _referring_to(metadata, "consultation")
    assert {"consultation_response", "consultation_answer", "consultation_invitation", "consultation_participation",
            "consultation_draft", "results_publication", "results_outcome", "results_quote"} <= family
    assert all(sum(before[name][1].values()) > 0 for name in family)

    upgrade(directory=MIGRATIONS)

    after = _after()
    assert lost_rows({name: before[name] for name in family}, after, {}) == []
