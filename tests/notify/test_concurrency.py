"""On PostgreSQL, workers running at the same time never claim or send the same message."""
from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest
import sqlalchemy as sa

from inspraak.extensions import db
from inspraak.notify import delivery
from inspraak.notify.models import MessageStatus, OutboxMessage
from inspraak.notify.worker import SMTPBackend, drain


@pytest.fixture
def postgres_only(app):  # noqa: ANN001, ANN201
    if db.engine.dialect.name != "postgresql":
        pytest.skip("FOR UPDATE SKIP LOCKED needs PostgreSQL")


def test_a_claim_skips_rows_another_worker_has_locked(app, postgres_only, queue_mail):
    queue_mail(10)
    with db.engine.connect() as other_worker:
        with other_worker.begin():
            locked = other_worker.scalars(
                sa.select(OutboxMessage.id).order_by(OutboxMessage.id).limit(4).with_for_update(skip_locked=True)
            ).all()
            mine = delivery.claim_due(10, timedelta(minutes=5))
            assert {c.id for c in mine}.isdisjoint(locked)
            assert len(mine) == 6


def test_two_workers_at_once_send_every_message_exactly_once(app, postgres_only, smtp, queue_mail):
    queue_mail(120)
    db.session.remove()
    errors: list[BaseException] = []
    sent_by: list[int] = []
    start = threading.Barrier(2)

    def worker() -> None:
        try:
            with app.app_context():
                start.wait()
                sent = 0
                while report := drain(SMTPBackend(app.config), batch_size=7):
                    if not report.claimed:
                        break
                    sent += report.sent
                sent_by.append(sent)
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    assert len(sent_by) == 2 and all(sent_by), f"both workers took part: {sent_by}"
    received = Counter(smtp.message_ids)
    assert len(received) == 120 and set(received.values()) == {1}
    statuses = db.session.scalars(sa.select(OutboxMessage.status)).all()
    assert Counter(statuses) == {MessageStatus.SENT: 120}
