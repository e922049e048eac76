"""An import reads and works out its changes without SQLite's write lock: tenants go on sending answers meanwhile."""
from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from inspraak.consultations.models import Response
from inspraak.extensions import db
from inspraak.people import imports
from inspraak.people.models import Person, Tenancy
from tests.people.conftest import make_record
from tests.people.test_import_page import count, upload

# Objects the test made stay readable after a commit, without a transaction that the import would wait for.
pytestmark = pytest.mark.usefixtures("keep_loaded_objects")


@pytest.fixture
def paused_import(app, monkeypatch):  # noqa: ANN001, ANN201
    """``start(client, data)`` uploads a file in a thread of its own and pauses it while it works out its
    changes (after reading the tables); ``finish()`` lets it go on and returns its status."""
    planning, go_on = threading.Event(), threading.Event()
    outcome: dict[str, int] = {}
    work_out = imports._Plan.work_out

    def paused(plan):  # noqa: ANN001, ANN202
        if threading.current_thread().name == "import" and not planning.is_set():
            planning.set()
            go_on.wait(timeout=30)
        return work_out(plan)

    monkeypatch.setattr(imports._Plan, "work_out", paused)

    def run(client, data: bytes) -> None:  # noqa: ANN001
        with app.app_context():
            # Confirmed as the whole list: the other import's households, not in this file, end.
            outcome["status"] = upload(client, data, confirmed=True).status_code

    thread = None

    def start(client, data: bytes) -> None:  # noqa: ANN001
        nonlocal thread
        thread = threading.Thread(target=run, args=(client, data), name="import")
        thread.start()
        assert planning.wait(timeout=30), "the import did not get to its plan"

    def finish() -> int:
        go_on.set()
        thread.join(timeout=60)
        return outcome["status"]

    yield start, finish
    go_on.set()


@pytest.fixture
def admin_client(app, make_staff, login_staff):  # noqa: ANN001, ANN201
    client = app.test_client()
    staff = make_staff(None, "admin")
    login_staff(client, staff)
    db.session.commit()
    return client, staff.corporation_id


def _send_answers(client, survey) -> int:  # noqa: ANN001
    page = f"/consultations/{survey.id}/page/1"
    client.post_form(page, {f"q{survey.choice}": str(survey.car), "action": "next"}, token_from=page)
    client.post_form(f"/consultations/{survey.id}/page/2", {f"q{survey.score}": "7", "action": "next"}, token_from=page)
    token = client.csrf_token(f"/consultations/{survey.id}")
    return client.post(f"/consultations/{survey.id}/review", data={"csrf_token": token}).status_code


def test_a_tenant_sends_answers_while_an_import_works_out_its_changes(app, admin_client, editor, make_survey,
                                                                      make_tenant, login_tenant, csv_bytes,
                                                                      paused_import):
    """Before, the import held the write lock from reading to the commit (13 s for 50,000 dwellings):
    a tenant sending answers meanwhile waited, and after the busy timeout was refused."""
    start, finish = paused_import
    tenant_client = app.test_client()
    login_tenant(tenant_client, make_tenant(editor.corporation))
    survey = make_survey(editor)
    client, corporation_id = admin_client
    start(client, csv_bytes([make_record(n) for n in range(1, 30)]))

    assert _send_answers(tenant_client, survey) == 302

    assert finish() == 200
    assert count(Person, corporation_id) == 29
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 1


def test_an_import_saved_while_another_worked_out_its_changes_is_taken_into_account(admin_client, run_import,
                                                                                     csv_bytes, paused_import):
    """The later import works out its changes again under the lock: it does not insert what the other did."""
    from inspraak.people.models import Corporation

    start, finish = paused_import
    client, corporation_id = admin_client
    start(client, csv_bytes([make_record(n) for n in range(1, 11)]))
    run_import(db.session.get(Corporation, corporation_id), [make_record(n) for n in range(5, 16)])

    assert finish() == 200
    db.session.expire_all()
    current = db.session.scalars(sa.select(Tenancy.contract_number).where(
        Tenancy.corporation_id == corporation_id, Tenancy.end_date.is_(None))).all()
    assert sorted(current) == [f"T{n:06d}" for n in range(1, 11)]
    assert count(Tenancy, corporation_id) == 15


def test_an_import_that_fails_while_writing_leaves_nothing_behind(admin_client, csv_bytes, monkeypatch):
    """All or nothing: the writes are one transaction, even when the last of them fails."""
    client, corporation_id = admin_client

    def failing_person_insert(plan, model, kind, key_column, refs):  # noqa: ANN001, ANN202
        if kind == "person":
            raise sa.exc.IntegrityError("INSERT INTO person", {}, Exception("a clash"))
        return insert(plan, model, kind, key_column, refs)

    insert = imports._Plan._insert
    monkeypatch.setattr(imports._Plan, "_insert", failing_person_insert)
    assert upload(client, csv_bytes([make_record(n) for n in range(1, 11)])).status_code == 409
    assert count(Tenancy, corporation_id) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(imports.AuditEntry).where(
        imports.AuditEntry.action == imports.IMPORTED)) == 0
