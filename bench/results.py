"""Benchmark: computing and showing results of a 20-question consultation with many responses.

Builds a closed consultation (single and multiple choice, scale, 0–10, yes/no, number,
ranking, matrix, text) with ``--responses`` responses (bulk inserted), then measures, in
one run on the database given (``--database-url``, default a temporary SQLite file):

* the time to compute the full protected results (``services.protected_results``), and
  the time of one raw SQL GROUP BY over the same answers (their ratio; goal ≤ 1.5);
* the p95 latency of the published results page under ``--clients`` concurrent clients
  (in-process Flask test clients, one signed-in partner each; goal ≤ 20 ms);
* the peak memory (tracemalloc) of streaming the raw CSV export (goal ≤ 100 MB).

Prints, last, ``results_compute_seconds=…``, ``results_ratio_vs_groupby=…``,
``results_page_p95_ms=…`` and ``raw_export_peak_mb=…``.

    .venv/bin/python bench/results.py [--responses 100000] [--clients 16] [--database-url URL]
"""
from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import threading
import time
import tracemalloc
import uuid
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
PASSWORD = "bench password 123"


def build(app, responses: int) -> int:  # noqa: ANN001
    """A closed consultation with 20 questions and ``responses`` responses; returns its id."""
    import sqlalchemy as sa

    from inspraak.consultations.models import (
        Answer, Channel, Consultation, ConsultationStatus, MatrixRow, Option, Participation, Question, QuestionType,
        Response, Section,
    )
    from inspraak.core.security import hash_password
    from inspraak.extensions import db
    from inspraak.people.models import Corporation, Role, StaffRole, StaffUser

    kinds = [QuestionType.SINGLE_CHOICE] * 5 + [QuestionType.MULTIPLE_CHOICE] * 3 + [QuestionType.SCALE] * 3 + [
        QuestionType.SCORE, QuestionType.SCORE, QuestionType.YES_NO, QuestionType.YES_NO, QuestionType.NUMBER,
        QuestionType.RANKING, QuestionType.MATRIX, QuestionType.LONG_TEXT, QuestionType.SHORT_TEXT]
    with app.app_context():
        db.create_all()
        corporation = Corporation(name="Bench", slug=f"bench-{uuid.uuid4().hex[:6]}")
        db.session.add(corporation)
        db.session.flush()
        staff = StaffUser(corporation_id=corporation.id, email="partner@bench.test", name="Partner",
                          password_hash=hash_password(PASSWORD))
        staff.role_rows = [StaffRole(role=Role.PARTNER)]
        db.session.add(staff)
        c = Consultation(corporation_id=corporation.id, title={"nl": "Bench"}, status=ConsultationStatus.CLOSED)
        section = Section(position=1, title={})
        c.sections.append(section)
        db.session.add(c)
        db.session.flush()
        questions = []
        for position, kind in enumerate(kinds, start=1):
            q = Question(consultation=c, section=section, position=position, type=kind, text={"nl": f"Vraag {position}"},
                         settings={"min": 1, "max": 5} if kind is QuestionType.SCALE else {})
            if kind in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE, QuestionType.RANKING,
                        QuestionType.MATRIX):
                q.options = [Option(position=i, label={"nl": f"Keuze {i}"}) for i in range(1, 5)]
            if kind is QuestionType.MATRIX:
                q.rows = [MatrixRow(position=i, label={"nl": f"Rij {i}"}) for i in range(1, 4)]
            db.session.add(q)
            questions.append(q)
        db.session.commit()
        rng = random.Random(5)
        specs = [(q.id, q.type, [o.id for o in q.options], [r.id for r in q.rows]) for q in questions]
        consultation_id = c.id
        batch_r, batch_p, batch_a = [], [], []
        for n in range(responses):
            rid = uuid.uuid4().hex
            batch_r.append({"id": rid, "consultation_id": consultation_id, "submitted_on": date.today()})
            batch_p.append({"consultation_id": consultation_id, "unit_key": f"b{n}", "taken_part_on": date.today(),
                            "channel": rng.choice([Channel.ONLINE, Channel.ONLINE, Channel.PAPER, Channel.ASSISTED])})
            for qid, kind, options, rows in specs:
                base = {"response_id": rid, "question_id": qid, "option_id": None, "row_id": None, "number": None,
                        "text": None, "rank": None}
                if kind is QuestionType.SINGLE_CHOICE:
                    batch_a.append({**base, "item": 0, "option_id": rng.choice(options)})
                elif kind is QuestionType.MULTIPLE_CHOICE:
                    for item, option in enumerate(rng.sample(options, rng.randint(1, 3))):
                        batch_a.append({**base, "item": item, "option_id": option})
                elif kind is QuestionType.SCALE:
                    batch_a.append({**base, "item": 0, "number": rng.randint(1, 5)})
                elif kind is QuestionType.SCORE:
                    batch_a.append({**base, "item": 0, "number": rng.randint(0, 10)})
                elif kind is QuestionType.YES_NO:
                    batch_a.append({**base, "item": 0, "number": rng.randint(0, 1)})
                elif kind is QuestionType.NUMBER:
                    batch_a.append({**base, "item": 0, "number": rng.randint(0, 40)})
                elif kind is QuestionType.RANKING:
                    for rank, option in enumerate(rng.sample(options, len(options)), start=1):
                        batch_a.append({**base, "item": rank - 1, "option_id": option, "rank": rank})
                elif kind is QuestionType.MATRIX:
                    for item, row in enumerate(rows):
                        batch_a.append({**base, "item": item, "row_id": row, "option_id": rng.choice(options)})
                elif rng.random() < 0.3:
                    batch_a.append({**base, "item": 0, "text": "De tuin is mooi maar de lift is vaak kapot."})
            if len(batch_a) > 20000 or n == responses - 1:
                db.session.execute(sa.insert(Response), batch_r)
                db.session.execute(sa.insert(Participation.__table__), batch_p)
                db.session.execute(sa.insert(Answer), batch_a)
                db.session.commit()
                batch_r, batch_p, batch_a = [], [], []
    return consultation_id


def raw_group_by(consultation_id: int) -> None:
    import sqlalchemy as sa

    from inspraak.consultations.models import Answer, Question
    from inspraak.extensions import db

    qids = sa.select(Question.id).where(Question.consultation_id == consultation_id)
    db.session.execute(
        sa.select(Answer.question_id, Answer.row_id, Answer.option_id, Answer.rank, Answer.number, sa.func.count())
        .where(Answer.question_id.in_(qids))
        .group_by(Answer.question_id, Answer.row_id, Answer.option_id, Answer.rank, Answer.number)
    ).all()


def best_of(runs: int, fn) -> float:  # noqa: ANN001
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=25, help="page requests per client")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    from config import TestingConfig
    from inspraak import create_app
    from inspraak.consultations.models import Consultation
    from inspraak.extensions import db
    from inspraak.people.models import StaffUser
    from inspraak.results import exports, services

    tmp = tempfile.TemporaryDirectory()
    url = args.database_url or f"sqlite:///{tmp.name}/bench.db"
    config = type("BenchConfig", (TestingConfig,), {"SQLALCHEMY_DATABASE_URI": url})
    app = create_app(config)
    started = time.perf_counter()
    consultation_id = build(app, args.responses)
    print(f"built {args.responses} responses in {time.perf_counter() - started:.1f} s on {url.split(':')[0]}")

    with app.test_request_context():
        consultation = db.session.get(Consultation, consultation_id)
        compute = best_of(3, lambda: services.protected_results(consultation))
        group_by = best_of(3, lambda: raw_group_by(consultation_id))
        staff = db.session.scalar(db.select(StaffUser).where(StaffUser.email == "partner@bench.test"))
        services.publish(consultation, summary={"nl": "Samenvatting"}, correction_note=None, by=staff)
        db.session.commit()

        tracemalloc.start()
        lines = sum(1 for _ in exports.raw_rows(db.session.get(Consultation, consultation_id)))
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    print(f"raw export: {lines - 1} responses")

    latencies: list[float] = []
    lock = threading.Lock()

    def client_run() -> None:
        client = app.test_client()
        page = client.get("/staff/sign-in").get_data(as_text=True)
        token = CSRF_RE.search(page).group(1)
        client.post("/staff/sign-in", data={"email": "partner@bench.test", "password": PASSWORD, "csrf_token": token})
        mine = []
        for _ in range(args.requests):
            start = time.perf_counter()
            response = client.get(f"/results/{consultation_id}")
            mine.append(time.perf_counter() - start)
            assert response.status_code == 200, response.status_code
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client_run) for _ in range(args.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))] * 1000 if latencies else float("nan")
    with app.app_context():
        db.drop_all()
    tmp.cleanup()
    print(f"results_compute_seconds={compute:.3f}")
    print(f"results_ratio_vs_groupby={compute / group_by:.2f}")
    print(f"results_page_p95_ms={p95:.1f}")
    print(f"raw_export_peak_mb={peak / 1e6:.1f}")


if __name__ == "__main__":
    main()
