"""Outbox throughput: 10,000 queued messages through a local SMTP server, with one worker and with two.

Runs the real worker (`flask inspraak send-mail --once`) in separate processes against a
temporary SQLite database, and against a temporary PostgreSQL database when one is
reachable (INSPRAAK_BENCH_PG_URL, default postgresql+psycopg://postgres@127.0.0.1:5432/postgres).
Ends with the SQLite figures:
    outbox_msgs_per_second_1_worker=N
    outbox_msgs_per_second_2_workers=N
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from aiosmtpd.controller import Controller  # noqa: E402

MESSAGES = int(os.environ.get("BENCH_OUTBOX_MESSAGES", "10000"))
BATCH = int(os.environ.get("BENCH_OUTBOX_BATCH", "100"))
PG_ADMIN_URL = os.environ.get("INSPRAAK_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


class CountingHandler:
    """Accepts every mail and notes its Message-ID and when it arrived."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.ids: list[str] = []
            self.first = self.last = 0.0

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201, N802
        content = envelope.original_content or envelope.content
        start = content.find(b"Message-ID: ")
        message_id = content[start + 12 : content.find(b"\r\n", start)].decode() if start >= 0 else ""
        now = time.perf_counter()
        with self.lock:
            if not self.ids:
                self.first = now
            self.ids.append(message_id)
            self.last = now
        return "250 2.0.0 Ok: queued"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fill_outbox(url: str, n: int) -> None:
    """Create the schema and queue n messages: one rendered by enqueue, the rest copies of it."""
    from config import TestingConfig
    from inspraak import create_app
    from inspraak.extensions import db
    from inspraak.notify.models import OutboxMessage
    from inspraak.notify.services import enqueue

    config = type("BenchConfig", (TestingConfig,), {"SQLALCHEMY_DATABASE_URI": url, "BASE_URL": "https://bench.example"})
    app = create_app(config)
    with app.app_context():
        db.drop_all()
        db.create_all()
        corporation = SimpleNamespace(name="Woonstichting De Linde", contact_phone="030 123 45 67",
                                      contact_email="info@delinde.example")
        sample = enqueue(
            "results_published", to_address="tenant@example.org", language="nl",
            context={"name": "Jan Jansen", "corporation": corporation, "title": "Nieuwe keukens",
                     "link": "https://bench.example/c/1"},
        )
        template = {c.key: getattr(sample, c.key) for c in OutboxMessage.__table__.columns if c.key != "id"}
        db.session.rollback()
        rows = [
            {**template, "to_address": f"tenant{i}@example.org", "message_id": f"<{uuid.uuid4().hex}@bench.example>"}
            for i in range(n)
        ]
        for start in range(0, n, 2000):
            db.session.execute(sa.insert(OutboxMessage), rows[start : start + 2000])
        db.session.commit()
        db.engine.dispose()


def count_sent(url: str) -> int:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        sent = connection.scalar(sa.text("SELECT count(*) FROM outbox_message WHERE status = 'sent'"))
    engine.dispose()
    return int(sent)


def run_workers(url: str, workers: int, port: int, handler: CountingHandler) -> dict[str, float]:
    """Fill the outbox, start the workers together, wait for them; return the rates."""
    fill_outbox(url, MESSAGES)
    handler.reset()
    env = {
        **os.environ, "DATABASE_URL": url, "FLASK_APP": "inspraak", "INSPRAAK_CONFIG": "development",
        "FLASK_DEBUG": "0", "MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(port),
        "MAIL_SECURITY": "none", "MAIL_DEFAULT_SENDER": "inspraak@bench.example",
    }
    command = [sys.executable, "-m", "flask", "inspraak", "send-mail", "--once", "--batch", str(BATCH)]
    started = time.perf_counter()
    processes = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                 for _ in range(workers)]
    for process in processes:
        _, err = process.communicate(timeout=1800)
        if process.returncode:
            raise SystemExit(f"worker failed:\n{err.decode()[-2000:]}")
    wall = time.perf_counter() - started
    received = Counter(handler.ids)
    sent = count_sent(url)
    if sent != MESSAGES or len(received) != MESSAGES or max(received.values()) != 1:
        raise SystemExit(f"lost or doubled mail: {sent} rows sent, {len(received)} distinct of {len(handler.ids)} received")
    window = max(handler.last - handler.first, 1e-9)
    return {"rate": MESSAGES / window, "wall_rate": MESSAGES / wall, "wall": wall}


def postgres_database() -> tuple[str, callable] | None:
    """A fresh PostgreSQL database for the run, and a function that drops it; None when unreachable."""
    name = f"bench_outbox_{os.getpid()}"
    try:
        admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as error:
        print(f"PostgreSQL not reachable, skipped: {str(error).splitlines()[0]}")
        return None

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return str(sa.engine.make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)), drop


def report(label: str, workers: int, result: dict[str, float]) -> None:
    print(f"{label:<10} {workers} worker{'s' if workers > 1 else ' '}: {result['rate']:8.0f} msgs/s while sending "
          f"({result['wall_rate']:.0f} msgs/s over {result['wall']:.1f} s including process start-up)")


def main() -> None:
    handler = CountingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    print(f"{MESSAGES} messages, batches of {BATCH}, SMTP server on 127.0.0.1:{port}, {os.cpu_count()} CPUs")
    results: dict[tuple[str, int], dict[str, float]] = {}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for workers in (1, 2):
                url = f"sqlite:///{tmp}/outbox-{workers}.db"
                results["sqlite", workers] = run_workers(url, workers, port, handler)
                report("SQLite", workers, results["sqlite", workers])
        pg = postgres_database()
        if pg:
            url, drop = pg
            try:
                for workers in (1, 2):
                    results["postgresql", workers] = run_workers(url, workers, port, handler)
                    report("PostgreSQL", workers, results["postgresql", workers])
            finally:
                drop()
    finally:
        controller.stop()
    for workers in (1, 2):
        if ("postgresql", workers) in results:
            suffix = "1_worker" if workers == 1 else "2_workers"
            print(f"outbox_postgresql_msgs_per_second_{suffix}={results['postgresql', workers]['rate']:.0f}")
    print(f"outbox_msgs_per_second_1_worker={results['sqlite', 1]['rate']:.0f}")
    print(f"outbox_msgs_per_second_2_workers={results['sqlite', 2]['rate']:.0f}")


if __name__ == "__main__":
    main()
