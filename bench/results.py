"""Benchmark: computing, showing and exporting the results of a 20-question consultation.

Builds a closed consultation (single and multiple choice, scale, 0–10, yes/no, number,
ranking, matrix, text) with ``--responses`` responses (default 100,000, bulk inserted:
``executemany`` on SQLite, ``COPY`` on PostgreSQL), then measures, on SQLite and on
PostgreSQL in the same run:

* the time to compute the full protected results (``services.protected_results``), and
  the time of one raw SQL GROUP BY over the same answers, each the median of 5 paired
  rounds, and the median of the rounds' ratios (goal ≤ 1.5);
* the p95 latency of the published results page under ``--clients`` concurrent HTTP
  clients, each a signed-in partner, against gunicorn (``--workers`` workers; goal ≤ 20 ms),
  the same for one client alone, and the server's CPU time per page (which, times the
  clients over the cores, is the least the p95 can be on this machine); then, as the
  floor on this machine in the same run, the same bytes served by a bare Flask endpoint
  with the same server, workers and clients (``bare_page_p95_ms`` and the ratio
  ``results_page_p95_vs_bare``);
* the peak memory of streaming the raw CSV export, in a process of its own: its peak
  resident size (interpreter and app included; goal ≤ 100 MB) and how much of it the
  export added to what the process held before streaming.

PostgreSQL: ``--pg-url`` (or ``BENCH_PG_URL``), default the database ``bench_results`` on
127.0.0.1:5432. A database that does not exist is created and dropped afterwards; one that
exists must hold no tables (the bench drops every table it creates). ``--pg-url none`` skips it.

Prints, last, one ``name=value`` line per figure, with ``_sqlite`` and ``_pg`` suffixes.

    .venv/bin/python bench/results.py [--responses 100000] [--clients 16] [--seconds 5] [--pg-url URL]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
PASSWORD = "bench password 123"
PARTNER = "partner@bench.test"
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_results"
ANSWER_COLUMNS = ("response_id", "question_id", "item", "option_id", "row_id", "number", "text", "rank")


def bench_app(url: str, secret: str):  # noqa: ANN201
    """The app the server runs too (``bench.support.submit_apps.inspraak_app``), on ``url``."""
    os.environ["BENCH_DATABASE_URL"] = url
    os.environ["BENCH_SECRET_KEY"] = secret
    from bench.support.submit_apps import inspraak_app

    return inspraak_app()


# ---------------------------------------------------------------- data

def _questions(db, consultation):  # noqa: ANN001, ANN202
    from inspraak.consultations.models import MatrixRow, Option, Question, QuestionType

    kinds = [QuestionType.SINGLE_CHOICE] * 5 + [QuestionType.MULTIPLE_CHOICE] * 3 + [QuestionType.SCALE] * 3 + [
        QuestionType.SCORE, QuestionType.SCORE, QuestionType.YES_NO, QuestionType.YES_NO, QuestionType.NUMBER,
        QuestionType.RANKING, QuestionType.MATRIX, QuestionType.LONG_TEXT, QuestionType.SHORT_TEXT]
    section = consultation.sections[0]
    questions = []
    for position, kind in enumerate(kinds, start=1):
        q = Question(consultation=consultation, section=section, position=position, type=kind,
                     text={"nl": f"Vraag {position}", "en": f"Question {position}"},
                     settings={"min": 1, "max": 5} if kind is QuestionType.SCALE else {})
        if kind in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE, QuestionType.RANKING,
                    QuestionType.MATRIX):
            q.options = [Option(position=i, label={"nl": f"Keuze {i}", "en": f"Choice {i}"}) for i in range(1, 5)]
        if kind is QuestionType.MATRIX:
            q.rows = [MatrixRow(position=i, label={"nl": f"Rij {i}", "en": f"Row {i}"}) for i in range(1, 4)]
        db.session.add(q)
        questions.append(q)
    return questions


def _answers(rid: str, specs, rng: random.Random):  # noqa: ANN001, ANN202
    """The answer rows of one response, as tuples in ``ANSWER_COLUMNS`` order."""
    from inspraak.consultations.models import QuestionType as T

    for qid, kind, options, rows in specs:
        if kind is T.SINGLE_CHOICE:
            yield rid, qid, 0, rng.choice(options), None, None, None, None
        elif kind is T.MULTIPLE_CHOICE:
            for item, option in enumerate(rng.sample(options, rng.randint(1, 3))):
                yield rid, qid, item, option, None, None, None, None
        elif kind in (T.SCALE, T.SCORE, T.YES_NO, T.NUMBER):
            top = {T.SCALE: 5, T.SCORE: 10, T.YES_NO: 1, T.NUMBER: 40}[kind]
            yield rid, qid, 0, None, None, rng.randint(1 if kind is T.SCALE else 0, top), None, None
        elif kind is T.RANKING:
            for rank, option in enumerate(rng.sample(options, len(options)), start=1):
                yield rid, qid, rank - 1, option, None, None, None, rank
        elif kind is T.MATRIX:
            for item, row in enumerate(rows):
                yield rid, qid, item, rng.choice(options), row, None, None, None
        elif rng.random() < 0.3:
            yield rid, qid, 0, None, None, None, "De tuin is mooi maar de lift is vaak kapot.", None


def _copy_rows(connection, table: str, columns: tuple[str, ...], rows) -> None:  # noqa: ANN001
    """Bulk insert on the raw driver connection: COPY on PostgreSQL, executemany on SQLite."""
    raw = connection.connection.driver_connection
    names = ", ".join(f'"{c}"' for c in columns)
    if connection.dialect.name == "postgresql":
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        raw.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})", rows)


def build(app, responses: int, complexes: tuple[int, int] | None = None) -> int:  # noqa: ANN001
    """A closed consultation with 20 questions and ``responses`` responses; returns its id.

    ``complexes=(neighbourhoods, per neighbourhood)``: broken down per complex, each response
    recorded in a complex drawn with uneven weights (small complexes are the hard case).
    """
    from inspraak.consultations.models import Breakdown, Consultation, ConsultationStatus, Section
    from inspraak.people.models import Complex, Neighbourhood
    from inspraak.core.security import hash_password
    from inspraak.extensions import db
    from inspraak.people.models import Corporation, Role, StaffRole, StaffUser

    with app.app_context():
        db.create_all()
        corporation = Corporation(name="Bench", slug=f"bench-{uuid.uuid4().hex[:6]}")
        db.session.add(corporation)
        db.session.flush()
        staff = StaffUser(corporation_id=corporation.id, email=PARTNER, name="Partner",
                          password_hash=hash_password(PASSWORD))
        staff.role_rows = [StaffRole(role=Role.PARTNER)]
        db.session.add(staff)
        c = Consultation(corporation_id=corporation.id, title={"nl": "Bench", "en": "Bench"},
                         status=ConsultationStatus.CLOSED,
                         breakdown=Breakdown.COMPLEX if complexes else Breakdown.NONE)
        places: list[tuple[int, int]] = []
        for h in range(complexes[0] if complexes else 0):
            hood = Neighbourhood(corporation_id=corporation.id, name=f"Wijk {h + 1}")
            db.session.add(hood)
            db.session.flush()
            for n in range(complexes[1]):
                complex_ = Complex(corporation_id=corporation.id, neighbourhood_id=hood.id, number=f"{h + 1}-{n + 1}")
                db.session.add(complex_)
                db.session.flush()
                places.append((hood.id, complex_.id))
        c.sections.append(Section(position=1, title={}))
        db.session.add(c)
        db.session.flush()
        questions = _questions(db, c)
        db.session.commit()
        consultation_id = c.id
        specs = [(q.id, q.type, [o.id for o in q.options], [r.id for r in q.rows]) for q in questions]
        sqlite = db.engine.dialect.name == "sqlite"
        superuser = not sqlite and db.session.scalar(
            db.text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"))
        today = date.today().isoformat() if sqlite else date.today()
        rng = random.Random(5)
        channels = ["online", "online", "paper", "assisted"]
        weights = [rng.choice([1, 2, 4, 8]) for _ in places]
        # Random ids, inserted in key order: the same table as answers arriving one by one, built in a fraction
        # of the time (appending to the primary key's B-tree instead of splitting pages all over it).
        all_ids = sorted(uuid.UUID(int=rng.getrandbits(128)).hex for _ in range(responses))
        step = 10_000
        for start in range(0, responses, step):
            ids = all_ids[start:start + step]
            connection = db.session.connection()
            if superuser:
                # The rows are consistent by construction: skip the per-row foreign-key triggers while loading
                # (they would triple the time of COPY). Only a superuser may, as the default URL's user is.
                connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
            if places:
                _copy_rows(connection, "consultation_response",
                           ("id", "consultation_id", "submitted_on", "neighbourhood_id", "complex_id"),
                           [(rid, consultation_id, today, *rng.choices(places, weights)[0]) for rid in ids])
            else:
                _copy_rows(connection, "consultation_response", ("id", "consultation_id", "submitted_on"),
                           [(rid, consultation_id, today) for rid in ids])
            _copy_rows(connection, "consultation_participation",
                       ("consultation_id", "unit_key", "channel", "taken_part_on"),
                       [(consultation_id, f"b{start + n}", rng.choice(channels), today) for n in range(len(ids))])
            _copy_rows(connection, "consultation_answer", ANSWER_COLUMNS,
                       [row for rid in ids for row in _answers(rid, specs, rng)])
            db.session.commit()
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()
    return consultation_id


# ---------------------------------------------------------------- compute vs GROUP BY

def raw_group_by(consultation_id: int) -> None:
    """The floor: one GROUP BY over every answer of the consultation, written by hand, nothing else."""
    from inspraak.extensions import db

    db.session.execute(db.text(
        "SELECT question_id, row_id, option_id, rank, number, count(*) FROM consultation_answer"
        " WHERE question_id IN (SELECT id FROM consultation_question WHERE consultation_id = :c)"
        " GROUP BY question_id, row_id, option_id, rank, number"
    ), {"c": consultation_id}).all()


def best_of(runs: int, fn) -> float:  # noqa: ANN001
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def compute_and_publish(app, consultation_id: int, rounds: int = 5) -> tuple[float, float, float]:  # noqa: ANN001
    """Median times of the protected results and of the raw GROUP BY, and the median of their ratio,
    over ``rounds`` paired rounds (each round runs both, one after the other, so both see the same
    cache and the same neighbours' load; on this shared machine the best of a few runs of each
    could pair a lucky GROUP BY with an unlucky computation); then publish."""
    from statistics import median

    from inspraak.consultations.models import Consultation
    from inspraak.extensions import db
    from inspraak.people.models import StaffUser
    from inspraak.results import services

    with app.test_request_context():
        consultation = db.session.get(Consultation, consultation_id)
        computes, group_bys = [], []
        for _ in range(rounds):
            computes.append(best_of(1, lambda: services.protected_results(consultation)))
            group_bys.append(best_of(1, lambda: raw_group_by(consultation_id)))
        staff = db.session.scalar(db.select(StaffUser).where(StaffUser.email == PARTNER))
        services.publish(consultation, summary={"nl": "Samenvatting", "en": "Summary"}, correction_note=None, by=staff)
        db.session.commit()
    return median(computes), median(group_bys), median(c / g for c, g in zip(computes, group_bys, strict=True))


# ---------------------------------------------------------------- raw export

def _status_mb(field: str) -> float:
    """A memory figure of this process from /proc/self/status (Linux), in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024 / 1e6
    raise KeyError(field)


def _reset_peak() -> None:
    """Start the peak resident size (VmHWM) afresh, so that it measures what follows (Linux ≥ 4.0)."""
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")


def export_child(url: str, secret: str, consultation_id: int) -> None:
    """In a process of its own: stream the raw CSV export to nowhere; print memory figures as JSON."""
    from inspraak.consultations.models import Consultation
    from inspraak.extensions import db
    from inspraak.results import exports

    app = bench_app(url, secret)
    with app.test_request_context():
        consultation = db.session.get(Consultation, consultation_id)
        consultation.questions  # noqa: B018 - loaded before the baseline, as the export view does
        _reset_peak()  # the app's start-up has its own short peak; measure the export alone
        before = _status_mb("VmRSS")
        started = time.perf_counter()
        size = lines = 0
        for piece in exports.in_chunks(exports.raw_rows(consultation)):  # what the export view sends
            size += len(piece)
            lines += piece.count("\n")
        seconds = time.perf_counter() - started
        peak = _status_mb("VmHWM")
    print(json.dumps({"responses": lines - 1, "peak_mb": peak, "before_mb": before, "seconds": seconds,
                      "csv_mb": size / 1e6}))


def measure_export(url: str, secret: str, consultation_id: int) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--export-child", url, secret, str(consultation_id)],
                         check=True, capture_output=True, text=True, cwd=ROOT).stdout
    return json.loads(out.strip().splitlines()[-1])


# ---------------------------------------------------------------- page latency

def sign_in(port: int) -> object:
    from bench.submit import Browser

    browser = Browser(port, "")
    status, _loc, page = browser.request("GET", "/staff/sign-in")
    token = CSRF_RE.search(page).group(1)
    status, _loc, _page = browser.request("POST", "/staff/sign-in",
                                          {"email": PARTNER, "password": PASSWORD, "csrf_token": token})
    assert status == 302, f"sign-in failed: {status}"
    return browser


def _percentile(latencies: list[float], p: float) -> float:
    ordered = sorted(latencies)
    return ordered[int(p * (len(ordered) - 1))] * 1000 if ordered else float("nan")


def _cpu_seconds_of_children(pid: int) -> float:
    """CPU time (user + system) used so far by the worker processes of a gunicorn master (Linux /proc)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime and stime, fields 14 and 15 of stat
    return total / os.sysconf("SC_CLK_TCK")


def measure_page(url: str, secret: str, consultation_id: int, clients: int, seconds: float,
                 workers: int) -> dict[str, float]:
    """gunicorn on ``url``; signed-in partners request the page, first one alone (the time one page takes),
    then ``clients`` at once for ``seconds``. Returns p50/p95 in ms of both runs, pages served and errors."""
    from bench.submit import free_port, run_clients, serve, stop

    port = free_port()
    server = serve("bench.support.submit_apps:inspraak_app()", port, workers,
                   {"BENCH_DATABASE_URL": url, "BENCH_SECRET_KEY": secret})
    path = f"/results/{consultation_id}?lang=nl"
    try:
        browsers = [sign_in(port) for _ in range(clients)]
        lock = threading.Lock()
        latencies: list[float] = []

        def load(deadline: float) -> tuple[int, int]:
            with lock:
                browser = browsers.pop()
            done = errors = 0
            mine = []
            while time.perf_counter() < deadline:
                began = time.perf_counter()
                status, _loc, _page = browser.request("GET", path)
                mine.append(time.perf_counter() - began)
                done, errors = (done + 1, errors) if status == 200 else (done, errors + 1)
            with lock:
                latencies.extend(mine)
                browsers.append(browser)
            return done, errors

        run_clients(clients, 1.0, load)  # warm-up: every worker loads templates, catalogues and caches
        latencies.clear()
        run_clients(1, 2.0, load)
        alone = list(latencies)
        latencies.clear()
        server_cpu, client_cpu = _cpu_seconds_of_children(server.pid), time.process_time()
        done, errors, _elapsed = run_clients(clients, seconds, load)
        server_cpu = _cpu_seconds_of_children(server.pid) - server_cpu
        client_cpu = time.process_time() - client_cpu
        _status, _loc, body = browsers[0].request("GET", path)
    finally:
        stop(server)
    figures = {"alone_p50": _percentile(alone, 0.5), "alone_p95": _percentile(alone, 0.95),
               "p50": _percentile(latencies, 0.5), "p95": _percentile(latencies, 0.95), "served": done,
               "errors": errors, "server_cpu_ms": server_cpu / max(done, 1) * 1000,
               "client_cpu_ms": client_cpu / max(done, 1) * 1000}
    return {**figures, **{f"bare_{k}": v for k, v in measure_bare_page(body, clients, seconds, workers).items()}}


def measure_bare_page(body: str, clients: int, seconds: float, workers: int) -> dict[str, float]:
    """The floor, in the same run: bare Flask returning the same page's bytes, same server, workers and clients."""
    from bench.submit import Browser, free_port, run_clients, serve, stop

    with tempfile.NamedTemporaryFile("w", suffix=".html", encoding="utf-8") as saved:
        saved.write(body)
        saved.flush()
        port = free_port()
        server = serve("bench.support.submit_apps:bare_page_app()", port, workers, {"BENCH_PAGE_FILE": saved.name})
        try:
            browsers = [Browser(port, "") for _ in range(clients)]
            lock = threading.Lock()
            latencies: list[float] = []

            def load(deadline: float) -> tuple[int, int]:
                with lock:
                    browser = browsers.pop()
                mine, errors = [], 0
                while time.perf_counter() < deadline:
                    began = time.perf_counter()
                    status, _loc, _page = browser.request("GET", "/page")
                    mine.append(time.perf_counter() - began)
                    errors += status != 200
                with lock:
                    latencies.extend(mine)
                    browsers.append(browser)
                return len(mine) - errors, errors

            run_clients(clients, 1.0, load)
            latencies.clear()
            server_cpu = _cpu_seconds_of_children(server.pid)
            done, _errors, _elapsed = run_clients(clients, seconds, load)
            server_cpu = _cpu_seconds_of_children(server.pid) - server_cpu
        finally:
            stop(server)
    return {"p50": _percentile(latencies, 0.5), "p95": _percentile(latencies, 0.95), "served": done,
            "server_cpu_ms": server_cpu / max(done, 1) * 1000}


# ---------------------------------------------------------------- one database

def pg_database(url: str) -> tuple[bool, object]:
    """Create the PostgreSQL database of ``url`` if missing; returns (created, admin engine)."""
    import sqlalchemy as sa

    target = sa.engine.make_url(url)
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database})
        if not exists:
            conn.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    return not exists, admin


def run_on(url: str, args: argparse.Namespace, label: str) -> dict[str, float]:
    from inspraak.extensions import db

    secret = secrets.token_hex(32)
    app = bench_app(url, secret)
    started = time.perf_counter()
    consultation_id = build(app, args.responses)
    print(f"[{label}] built {args.responses} responses in {time.perf_counter() - started:.1f} s", flush=True)
    try:
        compute, group_by, ratio = compute_and_publish(app, consultation_id)
        print(f"[{label}] protected results {compute:.3f} s, raw GROUP BY {group_by:.3f} s (medians of 5 paired "
              f"rounds), ratio {ratio:.2f} (median of the rounds' ratios)", flush=True)
        with app.app_context():
            db.engine.dispose()  # the server and the export child open their own connections
        export = measure_export(url, secret, consultation_id)
        print(f"[{label}] raw export of {export['responses']} responses ({export['csv_mb']:.0f} MB of CSV) in "
              f"{export['seconds']:.1f} s: {export['before_mb']:.0f} MB resident before streaming (interpreter, app, "
              f"connection), a peak of {export['peak_mb']:.0f} MB while streaming", flush=True)
        page = measure_page(url, secret, consultation_id, args.clients, args.seconds, args.workers)
        print(f"[{label}] results page, one client alone: p50 {page['alone_p50']:.1f} ms, "
              f"p95 {page['alone_p95']:.1f} ms", flush=True)
        print(f"[{label}] results page, {args.clients} clients for {args.seconds:.0f} s: {page['served']} pages "
              f"({page['errors']} failed, {page['served'] / args.seconds:.0f}/s), p50 {page['p50']:.1f} ms, "
              f"p95 {page['p95']:.1f} ms", flush=True)
        print(f"[{label}] CPU per page: {page['server_cpu_ms']:.1f} ms in the server, {page['client_cpu_ms']:.1f} ms in "
              f"the clients; on {os.cpu_count()} cores {args.clients} clients cannot wait less than about "
              f"{args.clients * (page['server_cpu_ms'] + page['client_cpu_ms']) / os.cpu_count():.0f} ms a page",
              flush=True)
        print(f"[{label}] the same page's bytes from bare Flask, same "
              f"server and clients: {page['bare_served']} pages ({page['bare_served'] / args.seconds:.0f}/s), "
              f"p50 {page['bare_p50']:.1f} ms, p95 {page['bare_p95']:.1f} ms, {page['bare_server_cpu_ms']:.2f} ms of "
              f"server CPU a page; inspraak's p95 is {page['p95'] / page['bare_p95']:.1f}× that", flush=True)
    finally:
        with app.app_context():
            db.drop_all()
            db.engine.dispose()
    return {"results_compute_seconds": compute, "results_ratio_vs_groupby": ratio,
            "results_page_p95_ms": page["p95"], "results_page_alone_p95_ms": page["alone_p95"],
            "results_page_server_cpu_ms": page["server_cpu_ms"], "bare_page_p95_ms": page["bare_p95"],
            "results_page_p95_vs_bare": page["p95"] / page["bare_p95"], "raw_export_peak_mb": export["peak_mb"],
            "raw_export_growth_mb": export["peak_mb"] - export["before_mb"]}


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--export-child":
        export_child(sys.argv[2], sys.argv[3], int(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=5, help="seconds of page load per database")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2,
                        help="gunicorn workers serving the page (default: one per core; 4 on 2 cores had a p95 about "
                             "15%% worse on SQLite, and the bare floor's nearly twice as bad)")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", DEFAULT_PG_URL),
                        help="PostgreSQL URL, or 'none' to skip PostgreSQL")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)

    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, value in run_on(f"sqlite:///{tmp}/bench.db", args, "sqlite").items():
            figures[f"{name}_sqlite"] = value
    if args.pg_url.lower() != "none":
        import sqlalchemy as sa

        if sa.engine.make_url(args.pg_url).database == "test":
            sys.exit("bench/results.py: the database 'test' belongs to CI; choose another with --pg-url")
        try:
            created, admin = pg_database(args.pg_url)
        except sa.exc.OperationalError as error:
            print(f"PostgreSQL unreachable, skipped: {error}".splitlines()[0], flush=True)
        else:
            try:
                with sa.create_engine(args.pg_url).connect() as conn:
                    if sa.inspect(conn).get_table_names():
                        sys.exit(f"bench/results.py: {args.pg_url} holds tables; give an empty database")
                for name, value in run_on(args.pg_url, args, "pg").items():
                    figures[f"{name}_pg"] = value
            finally:
                if created:
                    with admin.connect() as conn:
                        conn.execute(sa.text(f'DROP DATABASE "{sa.engine.make_url(args.pg_url).database}" WITH (FORCE)'))
                admin.dispose()
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    for name, value in figures.items():
        print(f"{name}={value:.3f}" if "seconds" in name else f"{name}={value:.2f}")


if __name__ == "__main__":
    main()
