"""The worker delivers through a real SMTP server, retries, gives up, and never loses or doubles a mail."""
from __future__ import annotations

import io
import logging
import sqlite3
import threading
from collections import Counter
from datetime import timedelta

import pytest
import sqlalchemy as sa

from inspraak.core.db import utcnow
from inspraak.extensions import db
from inspraak.notify.models import MessageStatus, OutboxMessage
from inspraak.notify.worker import ConsoleBackend, SMTPBackend, drain


def rows() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


def send_due(app, **kwargs):  # noqa: ANN001, ANN003, ANN201
    return drain(SMTPBackend(app.config), **kwargs)


def make_due_now() -> None:
    """Time passes: every waiting message may be tried again."""
    db.session.execute(sa.update(OutboxMessage).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()


def test_delivers_text_and_html_with_the_stored_message_id(app, smtp, queue_mail):
    queue_mail(3, language="pl")
    report = send_due(app)
    assert report.sent == 3
    assert sorted(smtp.message_ids) == sorted(r.message_id for r in rows())
    mail = smtp.messages[0]
    assert mail["From"] == "inspraak@corporation.example"
    assert mail["Content-Language"] == "pl"
    assert mail.get_body(("plain",)) is not None and mail.get_body(("html",)) is not None
    for row in rows():
        assert row.status is MessageStatus.SENT and row.attempts == 1 and row.sent_at is not None
        assert row.server_response.startswith("250 2.0.0 Ok: queued as Q")


def test_temporary_failure_is_retried_later_then_delivered(app, smtp, queue_mail):
    queue_mail(1)
    smtp.refuse_data("451 4.3.0 Try again later")
    report = send_due(app)
    assert (report.sent, report.retried) == (0, 1)
    [row] = rows()
    assert row.status is MessageStatus.QUEUED and row.attempts == 1
    assert "451" in row.last_error
    assert timedelta(seconds=50) < row.next_attempt_at - utcnow() <= timedelta(minutes=1)
    assert send_due(app).sent == 0, "not due yet"
    make_due_now()
    assert send_due(app).sent == 1
    [row] = rows()
    assert row.status is MessageStatus.SENT and row.attempts == 2
    assert len(smtp.messages) == 1


def test_retry_delays_grow(app, smtp, queue_mail):
    queue_mail(1)
    waits = []
    for _ in range(3):
        smtp.refuse_data("421 4.7.0 Busy")
        send_due(app)
        [row] = rows()
        waits.append(row.next_attempt_at - utcnow())
        make_due_now()
    assert waits[0] < timedelta(minutes=1, seconds=1) < waits[1] <= timedelta(minutes=5) < waits[2]


def test_gives_up_after_the_last_attempt(app, smtp, queue_mail):
    app.config["MAIL_MAX_ATTEMPTS"] = 2
    queue_mail(1)
    smtp.refuse_data("451 4.3.0 Try again later", "451 4.3.0 Still busy")
    send_due(app)
    make_due_now()
    report = send_due(app)
    assert report.failed == 1
    [row] = rows()
    assert row.status is MessageStatus.FAILED and row.attempts == 2 and "Still busy" in row.last_error
    make_due_now()
    assert send_due(app).claimed == 0
    assert smtp.messages == []


def test_permanent_failure_is_final_at_once(app, smtp, queue_mail):
    queue_mail(1)
    smtp.refuse_data("550 5.1.1 Mailbox unavailable")
    report = send_due(app)
    assert report.failed == 1
    [row] = rows()
    assert row.status is MessageStatus.FAILED and row.attempts == 1 and "550" in row.last_error


def test_refused_recipient_fails_and_the_others_still_go(app, smtp, queue_mail):
    queue_mail(1, to="gone@example.org")
    queue_mail(2)
    smtp.refuse_rcpt("gone@example.org", "550 5.1.1 No such user")
    report = send_due(app)
    assert (report.sent, report.failed) == (2, 1)
    assert [r.status for r in rows()] == [MessageStatus.FAILED, MessageStatus.SENT, MessageStatus.SENT]


def test_unreachable_server_keeps_the_batch_for_later(app, smtp, queue_mail):
    from tests.notify.conftest import free_port

    queue_mail(3)
    app.config["MAIL_PORT"] = free_port()  # nobody listens here
    report = send_due(app)
    assert (report.sent, report.retried, report.released) == (0, 1, 2)
    first, *rest = rows()
    assert first.status is MessageStatus.QUEUED and first.attempts == 1 and "cannot connect" in first.last_error
    assert all(r.status is MessageStatus.QUEUED and r.attempts == 0 and r.claimed_until is None for r in rest)


class WorkerKilled(BaseException):
    """The process dies: nothing after this line runs."""


class DiesAfterSending(SMTPBackend):
    """Hands the n-th message to the server, then dies before the worker records it."""

    def __init__(self, config, n: int) -> None:  # noqa: ANN001
        super().__init__(config)
        self.n = n
        self.count = 0

    def send(self, message, sender, recipient):  # noqa: ANN001, ANN201
        answer = super().send(message, sender, recipient)
        self.count += 1
        if self.count == self.n:
            raise WorkerKilled
        return answer


def test_worker_killed_mid_batch_delivers_each_message_once_by_message_id(app, smtp, queue_mail):
    queue_mail(6)
    with pytest.raises(WorkerKilled):
        drain(DiesAfterSending(app.config, n=3), batch_size=6)
    db.session.remove()
    statuses = Counter(r.status for r in rows())
    assert statuses == {MessageStatus.SENT: 2, MessageStatus.SENDING: 4}

    # A new worker started at once leaves the dead worker's claims alone until their lease ends.
    assert send_due(app).claimed == 0
    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.status == MessageStatus.SENDING)
        .values(claimed_until=utcnow() - timedelta(seconds=1))
    )
    db.session.commit()
    assert send_due(app).sent == 4

    final = rows()
    assert all(r.status is MessageStatus.SENT for r in final)
    received = Counter(smtp.message_ids)
    assert set(received) == {r.message_id for r in final}, "every message arrived, under its own Message-ID"
    [(twice, n)] = [(mid, n) for mid, n in received.items() if n > 1]
    assert n == 2 and twice == final[2].message_id, "only the mail in flight went twice, as the same mail"
    copies = [m for m in smtp.messages if m["Message-ID"] == twice]
    assert copies[0].as_bytes() == copies[1].as_bytes()


def test_a_rolled_back_change_sends_nothing(app, smtp, make_corporation):
    from tests.notify.conftest import sample_context

    from inspraak.notify.services import enqueue

    corporation = make_corporation()
    enqueue("results_published", to_address="a@example.org", language="nl",
            context=sample_context(corporation), corporation_id=corporation.id)
    db.session.rollback()
    assert send_due(app).claimed == 0
    assert rows() == [] and smtp.messages == []


def test_sign_in_link_is_sent_then_wiped_and_never_logged(app, smtp, make_tenant, caplog, monkeypatch):
    from inspraak.auth.services import request_sign_in_link

    make_tenant(email="ayse@example.org", language="tr")
    with app.test_request_context("/sign-in/link", method="POST"):
        assert request_sign_in_link("Ayse@Example.org") == 1
    db.session.commit()
    caplog.set_level(logging.DEBUG)
    from inspraak.notify import worker

    monkeypatch.setattr(worker.log, "disabled", False)  # alembic's fileConfig in other tests disables loggers
    assert send_due(app).sent == 1
    [mail] = smtp.messages
    body = mail.get_body(("plain",)).get_content()
    link = next(word for word in body.split() if "/sign-in/" in word)
    assert link.startswith("https://inspraak.example/")
    assert "List-Unsubscribe" not in mail, "essential mail has no unsubscribe link"
    [row] = rows()
    assert row.status is MessageStatus.SENT and row.holds_secret
    assert (row.subject, row.body_text, row.body_html) == ("", "", "")
    assert row.kind == "sign_in_link" and row.to_address == "ayse@example.org" and row.message_id
    token = link.rsplit("/", 1)[-1]
    ours = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("mail.log"))  # not the test server's
    assert "sent message" in ours
    assert token not in ours and "ayse@example.org" not in ours


def test_failed_secret_mail_is_wiped_too(app, smtp, make_tenant):
    from inspraak.auth.services import request_sign_in_link

    make_tenant(email="x@example.org")
    with app.test_request_context("/sign-in/link", method="POST"):
        request_sign_in_link("x@example.org")
    db.session.commit()
    smtp.refuse_data("554 5.7.1 Rejected")
    send_due(app)
    [row] = rows()
    assert row.status is MessageStatus.FAILED and row.body_text == "" and row.body_html == ""


def test_console_backend_prints_the_mail(app, queue_mail):
    queue_mail(1, language="en")
    out = io.StringIO()
    assert drain(ConsoleBackend(out)).sent == 1
    printed = out.getvalue()
    assert "Mail to tenant0@example.org (en)" in printed and "https://inspraak.example/c/42" in printed
    [row] = rows()
    assert row.status is MessageStatus.SENT and row.server_response == "printed to the terminal"


def test_cli_send_mail_once(app, smtp, queue_mail, runner):
    queue_mail(2)
    result = runner.invoke(args=["inspraak", "send-mail", "--once", "--batch", "1"])
    assert result.exit_code == 0, result.output
    assert "sent=2" in result.output
    assert len(smtp.messages) == 2


def test_non_ascii_names_subjects_and_addresses(app, smtp, queue_mail):
    app.config["MAIL_DEFAULT_SENDER"] = "Woonstichting Düne <inspraak@corporation.example>"
    queue_mail(1, to="jürgen@example.org", language="tr")
    queue_mail(1, to="ayşe@example.org", language="ar")
    assert send_due(app).sent == 2
    first, second = smtp.messages
    assert str(first["To"]) == "jürgen@example.org" and "Düne" in str(first["From"])
    assert first["Subject"] and "Ayşe Yılmaz" in first.get_body(("plain",)).get_content()
    assert 'dir="rtl"' in second.get_body(("html",)).get_content()


def test_an_address_that_is_no_address_fails_at_once(app, smtp, queue_mail):
    queue_mail(1, to="not an address")
    assert send_due(app).failed == 1
    [row] = rows()
    assert row.status is MessageStatus.FAILED and "address" in row.last_error


def test_worker_process_killed_mid_batch_and_restarted_sends_each_mail_once(app, smtp, queue_mail, database_url):
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    queue_mail(8)
    db.session.remove()
    smtp.delay = 0.3
    env = {**os.environ, "DATABASE_URL": database_url, "FLASK_APP": "inspraak", "INSPRAAK_CONFIG": "development",
           "MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(app.config["MAIL_PORT"])}
    worker = subprocess.Popen([sys.executable, "-m", "flask", "inspraak", "send-mail", "--batch", "8"],
                              env=env, cwd=Path(__file__).resolve().parents[2],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 90
        while len(smtp.messages) < 3 and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.05)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    assert 3 <= len(smtp.messages) < 8, "killed in the middle of the batch"
    smtp.delay = 0
    time.sleep(0.4)  # the server finishes the DATA the dead worker had started
    left_sending = [r.message_id for r in rows() if r.status is MessageStatus.SENDING]
    assert left_sending
    db.session.execute(sa.update(OutboxMessage).values(claimed_until=utcnow() - timedelta(seconds=1))
                       .where(OutboxMessage.status == MessageStatus.SENDING))
    db.session.commit()
    send_due(app)

    final = rows()
    assert all(r.status is MessageStatus.SENT for r in final)
    received = Counter(smtp.message_ids)
    assert set(received) == {r.message_id for r in final}
    doubled = {mid for mid, n in received.items() if n > 1}
    assert all(received[mid] == 2 for mid in doubled) and doubled <= set(left_sending)
    assert len(doubled) <= 1, "at most the one mail the server took as the worker died"


class BusyWhileSending(SMTPBackend):
    """While the message is on its way, a large tenant import takes the database (SQLite) for a moment."""

    def __init__(self, config, path: str) -> None:  # noqa: ANN001
        super().__init__(config)
        self.path = path
        self.released = threading.Event()

    def send(self, message, sender, recipient):  # noqa: ANN001, ANN201
        answer = super().send(message, sender, recipient)
        importer = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        importer.execute("BEGIN IMMEDIATE")

        def finish_import() -> None:
            importer.execute("ROLLBACK")
            importer.close()
            self.released.set()

        threading.Timer(0.3, finish_import).start()
        return answer


def test_a_message_sent_while_the_database_is_busy_is_recorded_and_not_sent_again(app, smtp, queue_mail, monkeypatch):
    """SQLite (`make run`): recording "sent" met "database is locked" and was given up, so the message stayed
    claimed, and once the lease ran out it went out a second time. The worker now waits to record it."""
    from inspraak.core import db as core_db
    from inspraak.notify import worker

    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's single writer")
    monkeypatch.setattr(core_db, "SQLITE_BUSY_TIMEOUT_MS", 50)
    monkeypatch.setattr(worker, "BUSY_PAUSE_SECONDS", 0.05, raising=False)
    queue_mail(1)
    db.engine.dispose()  # new connections wait 50 ms for a lock instead of 10 s
    backend = BusyWhileSending(app.config, db.engine.url.database)
    assert drain(backend).sent == 1
    assert backend.released.is_set()
    assert [r.status for r in rows()] == [MessageStatus.SENT]
    db.session.execute(sa.update(OutboxMessage).values(claimed_until=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert send_due(app).claimed == 0  # the lease ran out: nothing to send again
    assert len(smtp.message_ids) == 1
