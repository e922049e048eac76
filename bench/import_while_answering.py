"""Benchmark: tenants sending answers while an admin imports a large tenant file, on SQLite.

gunicorn with 3 workers on one SQLite file. A few tenants keep sending a consultation's answers
(GET the page, POST "Send my answers") while an admin uploads a file of 50,000 dwellings at
/staff/import: first into an empty register, then the same file again, then next month's file
(bench/import.py makes both). SQLite has one write lock for the whole database, so the import's
write transaction holds up every tenant's; a tenant who waits longer than the busy timeout
(10 s) is refused. Prints per import its time, and the POSTs sent while it ran: how many, their
median and longest time, and how many failed (by status). Last, one ``name=value`` line per figure.

    .venv/bin/python bench/import_while_answering.py [DWELLINGS] [--clients 4]
"""
from __future__ import annotations

import argparse
import importlib.util
import secrets
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.submit import CSRF_RE, Browser, free_port, prepare, serve, stop  # noqa: E402


def _bench_import():  # noqa: ANN202
    """bench/import.py (``import`` is a keyword, so it is loaded by path)."""
    spec = importlib.util.spec_from_file_location("bench_import", ROOT / "bench" / "import.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def admin_cookie(secret: str) -> str:
    """A signed-in admin of a second corporation (the write lock is one for the whole database)."""
    from bench.support.submit_apps import inspraak_app
    from inspraak.auth.models import SignInSession
    from inspraak.core.db import utcnow
    from inspraak.core.security import token_digest
    from inspraak.extensions import db
    from inspraak.people.models import Corporation, Role, StaffRole, StaffUser

    app = inspraak_app()
    with app.test_request_context():
        corporation = Corporation(name="Woonstad", slug="woonstad")
        db.session.add(corporation)
        db.session.flush()
        admin = StaffUser(corporation_id=corporation.id, email="admin@example.org", name="Admin",
                          role_rows=[StaffRole(role=Role.ADMIN)])
        db.session.add(admin)
        db.session.flush()
        token = secrets.token_urlsafe(32)
        db.session.add(SignInSession(token_digest=token_digest(token), staff_user_id=admin.id,
                                     expires_at=utcnow() + timedelta(days=1), method="bench"))
        db.session.commit()
        return app.session_interface.get_signing_serializer(app).dumps({"_user_id": token, "_fresh": True})


def upload(port: int, cookie: str, data: bytes) -> tuple[int, float]:
    """POST the file to /staff/import (import, not a check); its status and seconds."""
    browser = Browser(port, cookie, timeout=900)  # a large import on a busy machine takes minutes
    status, _loc, page = browser.request("GET", "/staff/import")
    token = CSRF_RE.search(page).group(1) if status == 200 else ""
    boundary = uuid.uuid4().hex
    # partial_confirmed: each file is the whole register (the upload page holds back one that ends many households).
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"partial_confirmed\"\r\n\r\ny\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"huurders.csv\"\r\n"
            "Content-Type: text/csv\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    started = time.perf_counter()
    status, _loc, _page = browser.request("POST", "/staff/import", body=body,
                                          content_type=f"multipart/form-data; boundary={boundary}")
    return status, time.perf_counter() - started


def answering(port: int, base: str, answers: dict, cookies: list[str], stop_at: list[float],
              posts: list[tuple[float, float, int]], lock: threading.Lock) -> None:
    """One tenant after another: GET the page, POST the answers; records (sent at, seconds, status)."""
    while cookies and time.perf_counter() < stop_at[0]:
        with lock:
            cookie = cookies.pop() if cookies else None
        if cookie is None:
            return
        browser = Browser(port, cookie)
        sent = time.perf_counter()
        try:
            status, _loc, page = browser.request("GET", f"{base}/page/1")
            token = CSRF_RE.search(page).group(1) if status == 200 else ""
            sent = time.perf_counter()
            status, _loc, _ = browser.request("POST", f"{base}/page/1",
                                              {**answers, "action": "send", "csrf_token": token})
        except OSError:  # the server dropped the connection: a failure, status 0
            status = 0
        with lock:
            posts.append((sent, time.perf_counter() - sent, status))


def during(posts: list[tuple[float, float, int]], started: float, ended: float) -> dict[str, float]:
    """The POSTs that overlapped the import: count, median and longest seconds, failures."""
    overlapping = [(seconds, status) for sent, seconds, status in posts if sent < ended and sent + seconds > started]
    times = [seconds for seconds, _status in overlapping]
    failed = Counter(status for _seconds, status in overlapping if status != 302)
    return {"posts": len(overlapping), "median": statistics.median(times) if times else 0.0,
            "longest": max(times, default=0.0), "failed": sum(failed.values()),
            "server_errors": sum(n for status, n in failed.items() if status >= 500), "statuses": dict(failed)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dwellings", type=int, nargs="?", default=50_000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--tenants", type=int, default=2500)
    args = parser.parse_args()

    import os

    os.environ.setdefault("MAX_UPLOAD_MB", "200")
    bench_import = _bench_import()
    workdir = Path(tempfile.mkdtemp(prefix="inspraak-bench-"))
    url, secret = f"sqlite:///{workdir / 'inspraak.db'}", secrets.token_hex(32)
    print(f"bench/import_while_answering: {args.dwellings:,} dwellings, {args.clients} tenants answering, "
          f"preparing {args.tenants} tenants ...", flush=True)
    consultation_id, answers, cookies = prepare(url, secret, args.tenants)
    admin = admin_cookie(secret)
    records = bench_import.generate(args.dwellings)
    files = [("first import", bench_import.to_csv(records).encode()),
             ("same file again", bench_import.to_csv(records).encode()),
             ("next month's file", bench_import.to_csv(bench_import.newer(records)).encode())]
    port = free_port()
    server = serve("bench.support.submit_apps:inspraak_app()", port, 3,
                   {"BENCH_DATABASE_URL": url, "BENCH_SECRET_KEY": secret, "MAX_UPLOAD_MB": os.environ["MAX_UPLOAD_MB"],
                    "GUNICORN_CMD_ARGS": "--timeout 600"})  # an import may take longer than gunicorn's 30 s
    figures: dict[str, float] = {}
    try:
        base, lock = f"/consultations/{consultation_id}", threading.Lock()
        for name, data in files:
            posts: list[tuple[float, float, int]] = []
            stop_at = [float("inf")]
            threads = [threading.Thread(target=answering, args=(port, base, answers, cookies, stop_at, posts, lock))
                       for _ in range(args.clients)]
            for thread in threads:
                thread.start()
            time.sleep(2)
            started = time.perf_counter()
            status, seconds = upload(port, admin, data)
            ended = time.perf_counter()
            stop_at[0] = ended + 2
            for thread in threads:
                thread.join()
            seen = during(posts, started, ended)
            print(f"  {name}: {seconds:6.2f} s (status {status}); while it ran {seen['posts']} answers sent: "
                  f"median {seen['median']:.2f} s, longest {seen['longest']:.2f} s, failed {seen['failed']} "
                  f"{seen['statuses'] or ''}", flush=True)
            key = name.split()[0].replace("'s", "")
            figures |= {f"{key}_import_seconds": seconds, f"{key}_longest_answer_seconds": seen["longest"],
                        f"{key}_median_answer_seconds": seen["median"], f"{key}_failed_answers": seen["failed"],
                        f"{key}_answers_with_5xx": seen["server_errors"]}
    finally:
        stop(server)
    for name, value in figures.items():
        print(f"{name}={value:.2f}")


if __name__ == "__main__":
    main()
