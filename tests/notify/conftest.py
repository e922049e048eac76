"""A real SMTP server on loopback (aiosmtpd) that records mail and can refuse it on demand."""
from __future__ import annotations

import asyncio
import email
import socket
import threading
from collections import deque
from datetime import date, datetime, timezone
from email.message import EmailMessage
from email.policy import default
from types import SimpleNamespace

import pytest
from aiosmtpd.controller import Controller

from inspraak.extensions import db


class RecordingHandler:
    """Accepts mail and keeps it; ``refuse_data``/``refuse_rcpt`` script the next answers."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.messages: list[EmailMessage] = []
            self.data_answers: deque[str] = deque()
            self.refused_rcpt: dict[str, str] = {}
            self.delay = 0.0  # seconds to think before answering DATA

    def refuse_data(self, *answers: str) -> None:
        """Answer the next DATA commands with these replies (e.g. "451 4.3.0 Try again later")."""
        with self.lock:
            self.data_answers.extend(answers)

    def refuse_rcpt(self, address: str, answer: str) -> None:
        with self.lock:
            self.refused_rcpt[address] = answer

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: ANN001, ANN201, N802
        with self.lock:
            refused = self.refused_rcpt.get(address)
        if refused:
            return refused
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201, N802
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            if self.data_answers:
                return self.data_answers.popleft()
            message = email.message_from_bytes(envelope.original_content or envelope.content, policy=default)
            self.messages.append(message)
            return f"250 2.0.0 Ok: queued as Q{len(self.messages)}"

    @property
    def message_ids(self) -> list[str]:
        with self.lock:
            return [m["Message-ID"] for m in self.messages]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def smtp_server():  # noqa: ANN201
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), enable_SMTPUTF8=True)
    controller.start()
    try:
        yield SimpleNamespace(handler=handler, port=controller.port)
    finally:
        controller.stop()


@pytest.fixture
def smtp(smtp_server):  # noqa: ANN001, ANN201
    """The loopback SMTP server, emptied for this test."""
    smtp_server.handler.reset()
    return smtp_server.handler


@pytest.fixture
def config_overrides(smtp_server) -> dict:  # noqa: ANN001
    return {
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_server.port,
        "MAIL_SECURITY": "none",
        "MAIL_TIMEOUT": 5,
        "MAIL_DEFAULT_SENDER": "inspraak@corporation.example",
        "BASE_URL": "https://inspraak.example",
    }


def sample_context(corporation) -> dict:  # noqa: ANN001
    """Every variable the mail templates document, with recognisable values."""
    return {
        "name": "Ayşe Yılmaz",
        "corporation": corporation,
        "title": {"nl": "Nieuwe keukens", "en": "New kitchens"},
        "link": "https://inspraak.example/c/42",
        "closes_at": datetime(2026, 12, 4, 16, 0, tzinfo=timezone.utc),
        "meeting_date": datetime(2026, 12, 10, 18, 30, tzinfo=timezone.utc),
        "deadline": date(2027, 1, 15),
        "council": "Huurdersraad De Linde",
        "location": "Buurthuis De Schakel",
        "location_language": "nl",
        "summary": "Wij willen de keukens vervangen.",
        "minutes": 15,
        "source_language": "nl",
    }


@pytest.fixture
def queue_mail(make_corporation):  # noqa: ANN001, ANN201
    """Queue ``n`` messages of a kind and commit; returns the rows' ids."""
    from inspraak.notify.services import enqueue

    def queue(n: int = 1, *, kind: str = "results_published", to: str | None = None, corporation=None,  # noqa: ANN001
              language: str = "nl", **kwargs):  # noqa: ANN003
        corporation = corporation or make_corporation()
        ids = []
        for i in range(n):
            message = enqueue(
                kind, to_address=to or f"tenant{i}@example.org", language=language,
                context=sample_context(corporation), corporation_id=corporation.id, **kwargs,
            )
            ids.append(message.id if message else None)
        db.session.commit()
        return ids

    return queue


@pytest.fixture
def sign_in_staff(login_staff):  # noqa: ANN001, ANN201
    """login_staff, after ending the test's own transaction: on SQLite an open one would block the request."""

    def sign_in(client, staff):  # noqa: ANN001, ANN202
        email = staff.email
        db.session.rollback()
        return login_staff(client, SimpleNamespace(email=email))

    return sign_in
