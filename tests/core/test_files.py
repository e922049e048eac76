"""Uploaded files on disk follow their transaction: a file written by a transaction that rolls back is removed."""
from __future__ import annotations

import io

import pytest

from inspraak.core import files
from inspraak.core.actions import act
from inspraak.core.errors import DomainError
from inspraak.extensions import db

PDF = b"%PDF-1.7\n%test"


def _store(folder) -> files.StoredFile:  # noqa: ANN001
    return files.store_file(io.BytesIO(PDF), "plan.pdf", folder, max_bytes=1024)


def test_a_file_written_in_a_transaction_that_commits_stays(app, tmp_path) -> None:  # noqa: ANN001
    stored = _store(tmp_path)
    db.session.commit()
    db.session.rollback()  # a later transaction's rollback leaves the committed one's file alone
    assert (tmp_path / stored.stored_name).read_bytes() == PDF


def test_a_file_written_in_a_transaction_that_rolls_back_is_removed(app, tmp_path) -> None:  # noqa: ANN001
    kept = _store(tmp_path)
    db.session.commit()
    gone = [_store(tmp_path), _store(tmp_path)]
    assert all((tmp_path / g.stored_name).exists() for g in gone)
    db.session.rollback()
    assert sorted(p.name for p in tmp_path.iterdir()) == [kept.stored_name]


def test_a_file_of_a_request_that_ends_without_commit_is_removed(app, tmp_path) -> None:  # noqa: ANN001
    """A request that fails with an unexpected error never commits: the session is closed at its end
    (Flask-SQLAlchemy's teardown), which rolls the transaction back without a rollback() call."""
    _store(tmp_path)
    db.session.remove()
    assert list(tmp_path.iterdir()) == []


def test_a_savepoint_rolled_back_keeps_the_file_of_the_transaction_around_it(app, tmp_path) -> None:  # noqa: ANN001
    stored = _store(tmp_path)
    with db.session.begin_nested() as savepoint:
        savepoint.rollback()
    db.session.commit()
    assert [p.name for p in tmp_path.iterdir()] == [stored.stored_name]


def test_a_file_already_removed_before_the_rollback_is_no_error(app, tmp_path) -> None:  # noqa: ANN001
    stored = _store(tmp_path)
    (tmp_path / stored.stored_name).unlink()
    db.session.rollback()
    assert list(tmp_path.iterdir()) == []


def test_an_action_refused_after_it_stored_a_file_leaves_no_file(app, tmp_path) -> None:  # noqa: ANN001
    def action() -> None:
        _store(tmp_path)
        raise DomainError("Refused after the file was stored.")

    with app.test_request_context("/"):
        response = act(action, "done", "/next")
    assert response.status_code == 302
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("content", [b"", b"not a pdf at all"])
def test_a_refused_file_is_never_written(app, tmp_path, content: bytes) -> None:  # noqa: ANN001
    with app.test_request_context("/"), pytest.raises(files.FileRefused):
        files.store_file(io.BytesIO(content), "plan.pdf", tmp_path, max_bytes=1024)
    db.session.rollback()
    assert list(tmp_path.iterdir()) == []
