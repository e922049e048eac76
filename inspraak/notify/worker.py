"""The mail worker: claims due outbox messages, sends them by SMTP (or prints them), records the answer."""
from __future__ import annotations

import hashlib
import logging
import smtplib
import ssl
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from email.charset import QP, Charset
from email.header import Header, decode_header, make_header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import SMTPUTF8, compat32
from email.utils import format_datetime, formataddr, parseaddr
from typing import Any, Protocol, TextIO

from flask import current_app
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from inspraak.core.db import is_busy, utcnow
from inspraak.extensions import db
from inspraak.notify import delivery
from inspraak.notify.delivery import Claimed

# Logged: message row ids, kinds, counts and server answers. Never addresses, subjects or
# bodies: they hold sign-in links and personal data.
log = logging.getLogger("inspraak.notify.worker")


class DeliveryError(Exception):
    """A message could not be handed to the mail server.

    temporary: worth trying again later (4xx answers, network trouble).
    connection: the connection itself failed; the rest of the batch waits for the next round.
    """

    def __init__(self, text: str, *, temporary: bool, connection: bool = False, response: str | None = None) -> None:
        super().__init__(text)
        self.text = text
        self.temporary = temporary
        self.connection = connection
        self.response = response


class Backend(Protocol):
    def send(self, message: Message, sender: str, recipient: str) -> str: ...

    def close(self) -> None: ...


def build_message(claim: Claimed, sender: str) -> Message:
    """The mail as it goes out: text and HTML parts, the stored Message-ID and a stable Date.

    Built from the classic MIME classes (several times faster than EmailMessage), with a
    boundary derived from the Message-ID, so that every attempt sends the very same bytes.
    """
    boundary = "=_" + hashlib.sha256(claim.message_id.encode()).hexdigest()[:40]
    message = MIMEMultipart("alternative", boundary=boundary)
    message["From"] = _address(sender)
    message["To"] = _address(claim.to_address)
    message["Subject"] = _header(claim.subject)
    message["Message-ID"] = claim.message_id
    message["Date"] = format_datetime(claim.created_at)
    message["Content-Language"] = claim.language
    message["Auto-Submitted"] = "auto-generated"
    if claim.unsubscribe_url:
        message["List-Unsubscribe"] = f"<{claim.unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.attach(MIMEText(claim.body_text, "plain", UTF8_QP))
    message.attach(MIMEText(claim.body_html, "html", UTF8_QP))
    return message


SMTP_COMPAT32 = compat32.clone(linesep="\r\n")
UTF8_QP = Charset("utf-8")
UTF8_QP.body_encoding = QP  # readable in the raw message, unlike base64


def _header(value: str) -> str:
    return value if value.isascii() else Header(value, "utf-8").encode()


def _address(value: str) -> str:
    name, address = parseaddr(value)
    local, _, domain = address.rpartition("@")
    if not local or not domain or any(ch.isspace() for ch in address):
        raise ValueError("not an email address")
    return formataddr((name, address), charset="utf-8") if name else address


def _plain_text(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    return ""


class SMTPBackend:
    """Sends over one SMTP connection, opened when first needed and reused for a batch."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.host = config["MAIL_SERVER"]
        self.port = int(config["MAIL_PORT"])
        self.security = (config.get("MAIL_SECURITY") or "none").lower()
        self.username = config.get("MAIL_USERNAME")
        self.password = config.get("MAIL_PASSWORD")
        self.timeout = float(config.get("MAIL_TIMEOUT") or 20)
        if self.security not in ("none", "starttls", "tls"):
            raise ValueError("MAIL_SECURITY must be none, starttls or tls")
        self._conn: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        if self._conn is not None:
            return self._conn
        try:
            if self.security == "tls":
                conn: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=self.timeout, context=ssl.create_default_context()
                )
            else:
                conn = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            conn.ehlo()
            if self.security == "starttls":
                conn.starttls(context=ssl.create_default_context())
                conn.ehlo()
            if self.username:
                conn.login(self.username, self.password or "")
        except (OSError, smtplib.SMTPException) as error:
            raise DeliveryError(f"cannot connect to {self.host}:{self.port}: {error}", temporary=True,
                                connection=True) from error
        self._conn = conn
        return conn

    def send(self, message: Message, sender: str, recipient: str) -> str:
        """Hand one message to the server and return its answer.

        Raises:
            DeliveryError: temporary for 4xx answers and network trouble, permanent for 5xx.
        """
        conn = self._connect()
        envelope_from = parseaddr(sender)[1]  # the bare address, without a display name
        international = not (envelope_from + recipient).isascii()
        if international and not conn.has_extn("smtputf8"):
            raise DeliveryError("the mail server does not accept addresses with non-ASCII letters", temporary=False)
        data = message.as_bytes(policy=SMTPUTF8 if international else SMTP_COMPAT32)
        try:
            self._expect(conn, conn.mail(envelope_from, ["SMTPUTF8"] if international else []), (250,))
            self._expect(conn, conn.rcpt(recipient), (250, 251))
            code, answer = conn.data(data)
            self._expect(conn, (code, answer), (250,))
        except smtplib.SMTPResponseException as error:  # raised by data() when the server refuses to start
            self._reset()
            raise _answer_error(error.smtp_code, error.smtp_error) from error
        except (OSError, smtplib.SMTPServerDisconnected) as error:
            self._reset()
            raise DeliveryError(f"connection lost: {error}", temporary=True, connection=True) from error
        return _text(code, answer)

    def _expect(self, conn: smtplib.SMTP, reply: tuple[int, bytes], ok: tuple[int, ...]) -> None:
        code, answer = reply
        if code in ok:
            return
        if code == -1:  # smtplib's way of saying the connection closed
            self._reset()
            raise DeliveryError(f"connection lost: {_text(code, answer)}", temporary=True, connection=True)
        try:
            conn.rset()
        except (OSError, smtplib.SMTPException):
            self._reset()
        raise _answer_error(code, answer)

    def _reset(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except OSError:
                pass

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.quit()
            except (OSError, smtplib.SMTPException):
                conn.close()


def _text(code: int, answer: bytes | str) -> str:
    """A server reply as one line of text: "250 2.0.0 Ok: queued as 4F3A"."""
    if isinstance(answer, bytes):
        answer = answer.decode("utf-8", "replace")
    return f"{code} {' '.join(answer.split())}"[:1000]


def _answer_error(code: int, answer: bytes | str) -> DeliveryError:
    """4xx answers are worth another try later; 5xx (and anything unexpected) are final."""
    text = _text(code, answer)
    return DeliveryError(f"the mail server answered: {text}", temporary=400 <= code < 500, response=text)


class ConsoleBackend:
    """Prints each mail to the terminal instead of sending it: for development (`make run`)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    def send(self, message: Message, sender: str, recipient: str) -> str:
        stream = self.stream or sys.stdout
        rule = "-" * 72
        subject = str(make_header(decode_header(message["Subject"])))
        stream.write(
            f"\n{rule}\nMail to {recipient} ({message['Content-Language']})\n"
            f"Subject: {subject}\nMessage-ID: {message['Message-ID']}\n\n"
            f"{_plain_text(message)}\n{rule}\n"
        )
        stream.flush()
        return "printed to the terminal"

    def close(self) -> None:
        pass


def make_backend(config: dict[str, Any]) -> Backend:
    """The backend MAIL_BACKEND names: ``smtp`` or ``console``."""
    name = (config.get("MAIL_BACKEND") or "smtp").lower()
    if name == "console":
        return ConsoleBackend()
    if name == "smtp":
        return SMTPBackend(config)
    raise ValueError("MAIL_BACKEND must be smtp or console")


@dataclass
class Report:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    released: int = 0
    lost: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def claimed(self) -> int:
        return self.sent + self.retried + self.failed + self.released + self.lost


def send_batch(backend: Backend, *, batch_size: int = 50, stop: threading.Event | None = None) -> Report:
    """Claim up to ``batch_size`` due messages and try each once.

    Stops early, giving the rest back, when the connection to the server fails or the
    lease is about to run out (so no other worker can take a message while it is sent).
    """
    config = current_app.config
    lease = timedelta(seconds=config["MAIL_LEASE_SECONDS"])
    margin = min(timedelta(seconds=2 * float(config["MAIL_TIMEOUT"]) + 5), lease / 2)
    sender = config["MAIL_DEFAULT_SENDER"]
    report = Report()
    claims = delivery.claim_due(batch_size, lease)
    for index, claim in enumerate(claims):
        if utcnow() > claim.claimed_until - margin or (stop is not None and stop.is_set()):
            delivery.release(claims[index:])
            report.released += len(claims) - index
            break
        try:
            message = build_message(claim, sender)
            answer = backend.send(message, sender, claim.to_address)
        except DeliveryError as error:
            kept = _settle(claim, lambda claim=claim, error=error: delivery.record_failure(
                claim, error.text, temporary=error.temporary, server_response=error.response))
            _count_failure(report, claim, error, kept)
            if error.connection:
                delivery.release(claims[index + 1 :])
                report.released += len(claims) - index - 1
                break
        except (ValueError, TypeError, UnicodeError) as error:  # a message that cannot be built
            kept = delivery.record_failure(claim, f"cannot build the message: {error}", temporary=False)
            _count_failure(report, claim, DeliveryError(str(error), temporary=False), kept)
        else:
            if _settle(claim, lambda claim=claim, answer=answer: delivery.record_sent(claim, answer)):
                report.sent += 1
                log.info("sent message %s (%s): %s", claim.id, claim.kind, answer)
            else:
                report.lost += 1
                log.warning("message %s was sent after its lease ran out; another worker may send it too", claim.id)
    return report


# How long the worker waits before it tries again to record a message it has sent, while the database is busy.
BUSY_PAUSE_SECONDS = 0.5


def _settle(claim: Claimed, record: Callable[[], bool]) -> bool:
    """Record what became of a message that was just tried, waiting while the database is busy.

    The message has gone out (or failed) already. Given up, the record would leave it claimed, and
    once its lease ran out it would go out a second time: on SQLite a large tenant import holds
    the database longer than a write waits ("database is locked"). Recording is safe to repeat:
    it changes the message only while it is still this worker's claim.
    """
    while True:
        try:
            return record()
        except OperationalError as error:
            db.session.rollback()
            if not is_busy(error) or utcnow() >= claim.claimed_until:
                raise
            log.warning("database busy; recording message %s again in %s seconds", claim.id, BUSY_PAUSE_SECONDS)
            time.sleep(BUSY_PAUSE_SECONDS)


def _count_failure(report: Report, claim: Claimed, error: DeliveryError, kept: bool) -> None:
    if not kept:
        report.lost += 1
        return
    final = not error.temporary or claim.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]
    if final:
        report.failed += 1
        log.error("message %s (%s) failed after %s attempts: %s", claim.id, claim.kind, claim.attempts, error.text)
    else:
        report.retried += 1
        log.warning("message %s (%s) will be tried again: %s", claim.id, claim.kind, error.text)
    report.errors.append(error.text)


def drain(backend: Backend, *, batch_size: int = 50, stop: threading.Event | None = None) -> Report:
    """Send batches until nothing is due (or ``stop`` is set); close the connection at the end."""
    total = Report()
    try:
        while not (stop and stop.is_set()):
            report = send_batch(backend, batch_size=batch_size, stop=stop)
            for name in ("sent", "retried", "failed", "released", "lost"):
                setattr(total, name, getattr(total, name) + getattr(report, name))
            total.errors.extend(report.errors)
            if report.claimed == 0 or report.released:
                break
    finally:
        backend.close()
    return total


def run(backend: Backend, *, batch_size: int = 50, interval: float = 5.0, once: bool = False,
        stop: threading.Event | None = None) -> Report:
    """Send what is due; unless ``once``, keep looking every ``interval`` seconds until ``stop`` is set."""
    stop = stop or threading.Event()
    total = Report()
    while True:
        try:
            report = drain(backend, batch_size=batch_size, stop=stop)
        except (OSError, SQLAlchemyError) as error:
            if once:
                raise
            log.error("mail worker round failed, trying again in %s seconds: %s", interval, error)
            report = Report()
        finally:
            db.session.remove()
        total.sent += report.sent
        total.retried += report.retried
        total.failed += report.failed
        if once or stop.wait(interval):
            return total


def run_from_cli(*, once: bool, batch_size: int, interval: float) -> None:
    """`flask inspraak send-mail`: run until Ctrl+C or SIGTERM, finishing the message in hand."""
    import click

    from inspraak.core.signals import stop_on_signals

    config = current_app.config
    backend = make_backend(config)
    where = "the terminal" if isinstance(backend, ConsoleBackend) else f"{config['MAIL_SERVER']}:{config['MAIL_PORT']}"
    if not once:
        click.echo(f"Mail worker: sending to {where}, looking every {interval:g} seconds.", err=True)
    with stop_on_signals() as stop:
        total = run(backend, batch_size=batch_size, interval=interval, once=once, stop=stop)
    if once:
        click.echo(f"sent={total.sent} retried={total.retried} failed={total.failed}", err=True)
