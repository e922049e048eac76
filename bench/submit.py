"""Benchmark: tenants submitting a 20-question consultation, against a bare Flask + SQLAlchemy insert.

gunicorn with 3 workers, on SQLite and then on PostgreSQL; 16 concurrent clients. A complete
response is the issue's tenant flow: GET the page, POST the answers with "Send my answers",
follow to the confirmation (3 requests). The flow through the check page (GET page, POST,
GET check page, POST, GET confirmation: 5 requests) is measured too, as a second figure.
The ratio compares the storing POST with a bare endpoint that inserts the same 20 rows into
the same kind of database, in the same run. Prints, last, one ``name=value`` line per figure:
``submit_responses_per_second`` (SQLite, the issue's figure), ``submit_ratio_vs_bare``
(SQLite), and the same with ``_pg``, plus the check-page flow and the raw POST rates.

    .venv/bin/python bench/submit.py [--seconds 10] [--clients 16] [--workers 3] [--no-pg]
"""
from __future__ import annotations

import argparse
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
QUESTIONS = 20


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(database_url: str, secret: str, tenants: int) -> tuple[int, dict[str, str], list[str]]:
    """Build one open consultation with 20 questions on one page and signed-in tenants (as cookies)."""
    os.environ["BENCH_DATABASE_URL"] = database_url
    os.environ["BENCH_SECRET_KEY"] = secret
    from bench.support.submit_apps import inspraak_app
    from inspraak.auth.models import SignInSession
    from inspraak.consultations import authoring, invitations, questions
    from inspraak.consultations.models import QuestionType
    from inspraak.core.db import utcnow
    from inspraak.core.security import token_digest
    from inspraak.extensions import db
    from inspraak.people.models import Complex, Corporation, Dwelling, Neighbourhood, Person, Role, StaffRole, StaffUser, Tenancy

    app = inspraak_app()
    with app.test_request_context():
        db.create_all()
        corporation = Corporation(name="Bench", slug="bench")
        db.session.add(corporation)
        db.session.flush()
        hood = Neighbourhood(corporation_id=corporation.id, name="Wijk")
        db.session.add(hood)
        db.session.flush()
        complex_ = Complex(corporation_id=corporation.id, neighbourhood_id=hood.id, number="1")
        db.session.add(complex_)
        db.session.flush()
        staff = StaffUser(corporation_id=corporation.id, email="bench@example.org", name="Bench",
                          role_rows=[StaffRole(role=Role.EDITOR)])
        db.session.add(staff)
        persons = []
        for n in range(tenants):
            dwelling = Dwelling(corporation_id=corporation.id, complex_id=complex_.id, unit_number=f"U{n}",
                                street="Benchstraat", house_number=n + 1, postcode="3500 AA", city="Utrecht")
            tenancy = Tenancy(corporation_id=corporation.id, dwelling=dwelling, contract_number=f"T{n}",
                              start_date=date(2020, 1, 1))
            person = Person(corporation_id=corporation.id, tenancy=tenancy, person_number=f"P{n}", name=f"P {n}")
            db.session.add_all([dwelling, tenancy, person])
            persons.append(person)
        db.session.flush()
        c = authoring.create_consultation(corporation.id, title={"nl": "Bench"}, source_language="nl", by=staff)
        section = c.sections[0]
        form: dict[str, str] = {}
        for n in range(QUESTIONS):
            kind = [QuestionType.SINGLE_CHOICE, QuestionType.SCALE, QuestionType.YES_NO, QuestionType.SHORT_TEXT][n % 4]
            q = questions.add_question(c, section, type=kind, text={"nl": f"Vraag {n + 1}"}, required=True, by=staff)
            if kind is QuestionType.SINGLE_CHOICE:
                options = [questions.add_option(q, label={"nl": label}) for label in ("Ja", "Nee", "Weet niet")]
                form[f"q{q.id}"] = str(options[n % 3].id)
            elif kind is QuestionType.SCALE:
                form[f"q{q.id}"] = str(1 + n % 5)
            elif kind is QuestionType.YES_NO:
                form[f"q{q.id}"] = "yes"
            else:
                form[f"q{q.id}"] = f"Antwoord {n}"
        invitations.open_consultation(c, by=staff)
        serializer = app.session_interface.get_signing_serializer(app)
        cookies = []
        expires = utcnow() + timedelta(days=1)
        for person in persons:
            token = secrets.token_urlsafe(32)
            db.session.add(SignInSession(token_digest=token_digest(token), person_id=person.id, expires_at=expires,
                                         method="bench"))
            cookies.append(serializer.dumps({"_user_id": token, "_fresh": True}))
        db.session.commit()
        return c.id, form, cookies


class Browser:
    """One tenant's browser: its session cookie, one connection per request (as gunicorn's sync workers
    close each one), HTTP/1.1 on a plain socket.

    Lean on purpose: the clients share the machine's two cores with the server they measure, and
    ``http.client`` spent about 0.3 ms of CPU on each page (its header parsing and buffered reads), a
    sixth of what the server spends on a results page; this reads the whole answer in a few
    ``recv`` calls and picks out the three headers the benchmarks use.
    """

    def __init__(self, port: int, cookie: str, timeout: float = 60) -> None:
        self.port = port
        self.cookie = cookie
        self.timeout = timeout

    def request(self, method: str, path: str, form: dict[str, str] | None = None, *, body: bytes | None = None,
                content_type: str = "application/x-www-form-urlencoded") -> tuple[int, str, str]:
        """Send one request; its status, Location (or "") and body as text. Raises OSError if the server
        drops the connection or answers something that is not HTTP."""
        if form is not None:
            body = urlencode(form).encode()
        head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        if self.cookie:
            head += f"Cookie: inspraak_session={self.cookie}\r\n"
        if body is not None:
            head += f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
        with socket.create_connection(("127.0.0.1", self.port), timeout=self.timeout) as sock:
            sock.sendall(head.encode() + b"\r\n" + (body or b""))
            pieces = []
            while piece := sock.recv(262144):
                pieces.append(piece)
        answer = b"".join(pieces)
        header_end = answer.find(b"\r\n\r\n")
        if not answer.startswith(b"HTTP/1.") or header_end < 0:
            raise ConnectionError(f"not an HTTP answer: {answer[:40]!r}")
        lines = answer[:header_end].decode("latin-1").split("\r\n")
        status, location = int(lines[0].split(" ", 2)[1]), ""
        for line in lines[1:]:
            name, _, value = line.partition(":")
            name = name.lower()
            if name == "location":
                location = value.strip()
            elif name == "set-cookie" and value.lstrip().startswith("inspraak_session="):
                self.cookie = value.split(";", 1)[0].split("=", 1)[1]
        return status, location, answer[header_end + 4:].decode()


def serve(app_spec: str, port: int, workers: int, env: dict[str, str]) -> subprocess.Popen:
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "--chdir", str(ROOT), "-w", str(workers), "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", app_spec],
        env={**os.environ, **env}, start_new_session=True,
    )
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"{app_spec} did not start")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def run_clients(clients: int, seconds: float, work) -> tuple[int, int, float]:  # noqa: ANN001
    """Run ``work(deadline)`` in each client thread; it returns (done, errors)."""
    results: list[tuple[int, int]] = []
    lock = threading.Lock()
    start = time.perf_counter()
    deadline = start + seconds

    def loop() -> None:
        try:
            outcome = work(deadline)
        except OSError as error:  # a refused or reset connection counts as a failure, not a crash
            print(f"client stopped: {error}", flush=True)
            outcome = (0, 1)
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=loop) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    return sum(r[0] for r in results), sum(r[1] for r in results), elapsed


PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def pg_database(name: str) -> str | None:
    """A fresh PostgreSQL database for the bench (never the tests' database), or None if unreachable."""
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    except Exception as error:  # noqa: BLE001 - no server: the PostgreSQL half is skipped, said so
        print(f"PostgreSQL unavailable ({error.__class__.__name__}): skipping its half", flush=True)
        return None
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def drop_pg_database(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def measure(label: str, database_url: str, bare_url: str, args: argparse.Namespace) -> dict[str, float]:
    """Both flows and the storing POST on inspraak, then the bare insert, on one kind of database."""
    secret = secrets.token_hex(32)
    print(f"[{label}] preparing {args.tenants} tenants and a {QUESTIONS}-question consultation ...", flush=True)
    consultation_id, answers, cookies = prepare(database_url, secret, args.tenants)
    base = f"/consultations/{consultation_id}"
    pool = list(reversed(cookies))
    pool_lock = threading.Lock()

    def next_cookie() -> str | None:
        with pool_lock:
            return pool.pop() if pool else None

    port = free_port()
    server = serve("bench.support.submit_apps:inspraak_app()", port, args.workers,
                   {"BENCH_DATABASE_URL": database_url, "BENCH_SECRET_KEY": secret})
    figures: dict[str, float] = {}
    try:
        def flow(send_from_page: bool):  # noqa: ANN202
            steps = 3 if send_from_page else 5
            step_times = [0.0] * steps
            step_lock = threading.Lock()

            def timed(step: int, call):  # noqa: ANN001, ANN202
                began = time.perf_counter()
                result = call()
                with step_lock:
                    step_times[step] += time.perf_counter() - began
                return result

            def work(deadline: float) -> tuple[int, int]:
                done = errors = 0
                while time.perf_counter() < deadline:
                    cookie = next_cookie()
                    if cookie is None:
                        break
                    browser = Browser(port, cookie)
                    status, _loc, page = timed(0, lambda: browser.request("GET", f"{base}/page/1"))
                    token = CSRF_RE.search(page).group(1) if status == 200 else ""
                    action = "send" if send_from_page else "next"
                    status, loc, _ = timed(1, lambda: browser.request(
                        "POST", f"{base}/page/1", {**answers, "action": action, "csrf_token": token}))
                    if send_from_page:
                        ok = status == 302 and loc.endswith("/done")
                        ok = ok and timed(2, lambda: browser.request("GET", f"{base}/done"))[0] == 200
                    else:
                        ok = status == 302 and loc.endswith("/review")
                        if ok:
                            timed(2, lambda: browser.request("GET", f"{base}/review"))
                            status, loc, _ = timed(3, lambda: browser.request(
                                "POST", f"{base}/review", {"csrf_token": token}))
                            ok = status == 302 and loc.endswith("/done")
                        ok = ok and timed(4, lambda: browser.request("GET", f"{base}/done"))[0] == 200
                    done, errors = (done + 1, errors) if ok else (done, errors + 1)
                return done, errors

            return work, step_times

        # Warm up: every worker compiles its templates and loads its catalogues before the clock starts.
        run_clients(args.workers * 2, 1.0, flow(True)[0])
        for send_from_page, name in ((True, "submit_responses_per_second"),
                                     (False, "submit_with_check_page_per_second")):
            work, step_times = flow(send_from_page)
            done, errors, elapsed = run_clients(args.clients, args.seconds, work)
            figures[name] = done / elapsed
            steps = ("GET page", "POST send", "GET confirmation") if send_from_page else (
                "GET page", "POST answers", "GET check page", "POST send", "GET confirmation")
            print(f"[{label}] {'page → send → confirmation' if send_from_page else 'with the check page'}: "
                  f"{done} complete responses in {elapsed:.1f}s ({errors} failed)", flush=True)
            if done:
                print("  mean latency: " + ", ".join(f"{n} {t / done * 1000:.0f} ms" for n, t in zip(steps, step_times)))

        # The storing POST alone: tenants who have the page open (GET untimed) send their answers.
        count = min(len(pool), int(max(figures["submit_responses_per_second"], 20) * args.seconds * 3))
        ready: list[tuple[str, str]] = []
        for _ in range(count):
            browser = Browser(port, next_cookie())
            _status, _loc, page = browser.request("GET", f"{base}/page/1")
            ready.append((browser.cookie, CSRF_RE.search(page).group(1)))
        ready.reverse()

        def submit_only(deadline: float) -> tuple[int, int]:
            done = errors = 0
            while time.perf_counter() < deadline:
                with pool_lock:
                    item = ready.pop() if ready else None
                if item is None:
                    break
                browser = Browser(port, item[0])
                status, loc, _ = browser.request("POST", f"{base}/page/1",
                                                 {**answers, "action": "send", "csrf_token": item[1]})
                done, errors = (done + 1, errors) if status == 302 and loc.endswith("/done") else (done, errors + 1)
            return done, errors

        posts, post_errors, post_elapsed = run_clients(args.clients, args.seconds, submit_only)
        figures["submit_posts_per_second"] = posts / post_elapsed
        print(f"[{label}] storing POST alone: {posts} in {post_elapsed:.1f}s ({post_errors} failed)", flush=True)
    finally:
        stop(server)

    os.environ["BENCH_BARE_DATABASE_URL"] = bare_url
    from bench.support.submit_apps import bare_app

    bare_app()  # create the table once, before the workers start
    bare_port = free_port()
    bare = serve("bench.support.submit_apps:bare_app()", bare_port, args.workers, {"BENCH_BARE_DATABASE_URL": bare_url})
    try:
        def bare_posts(deadline: float) -> tuple[int, int]:
            done = errors = 0
            browser = Browser(bare_port, "")
            answers = {f"q{n}": f"Antwoord {n}" for n in range(QUESTIONS)}
            while time.perf_counter() < deadline:
                # A new connection per POST, as the inspraak clients above make.
                status = browser.request("POST", "/insert", answers)[0]
                done, errors = (done + 1, errors) if status == 200 else (done, errors + 1)
            return done, errors

        bare_done, bare_errors, bare_elapsed = run_clients(args.clients, args.seconds, bare_posts)
        figures["bare_posts_per_second"] = bare_done / bare_elapsed
        print(f"[{label}] bare insert: {bare_done} in {bare_elapsed:.1f}s ({bare_errors} failed)", flush=True)
    finally:
        stop(bare)
    figures["submit_ratio_vs_bare"] = (figures["submit_posts_per_second"] / figures["bare_posts_per_second"]
                                       if figures["bare_posts_per_second"] else 0.0)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--tenants", type=int, default=8000)
    parser.add_argument("--no-pg", action="store_true", help="only SQLite")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="inspraak-bench-"))
    results = {"": measure("SQLite", f"sqlite:///{workdir / 'inspraak.db'}", f"sqlite:///{workdir / 'bare.db'}", args)}
    if not args.no_pg:
        url = pg_database("bench_submit")
        bare_url = pg_database("bench_submit_bare") if url else None
        if url and bare_url:
            try:
                results["_pg"] = measure("PostgreSQL", url, bare_url, args)
            finally:
                drop_pg_database("bench_submit")
                drop_pg_database("bench_submit_bare")
    for suffix, figures in results.items():
        for name in ("submit_posts_per_second", "bare_posts_per_second", "submit_with_check_page_per_second",
                     "submit_responses_per_second", "submit_ratio_vs_bare"):
            print(f"{name}{suffix}={figures[name]:.2f}" if name.endswith("bare") else f"{name}{suffix}={figures[name]:.1f}")


if __name__ == "__main__":
    main()
