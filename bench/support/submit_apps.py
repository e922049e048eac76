"""The WSGI apps the benchmarks serve with gunicorn: inspraak, and bare Flask baselines beside it."""
from __future__ import annotations

import os

from flask import Flask


def inspraak_app() -> Flask:
    """inspraak on the benchmark's database, without sign-in throttling (every client is one address)."""
    from config import TestingConfig
    from inspraak import create_app

    config = type("BenchConfig", (TestingConfig,), {
        "TESTING": False,
        "SQLALCHEMY_DATABASE_URI": os.environ["BENCH_DATABASE_URL"],
        "SECRET_KEY": os.environ["BENCH_SECRET_KEY"],
        "RATELIMIT_ENABLED": False,
    })
    return create_app(config)


def bare_app() -> Flask:
    """One endpoint that inserts 20 answer rows in one transaction: the floor for any survey app."""
    import sqlalchemy as sa
    from flask_sqlalchemy import SQLAlchemy

    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["BENCH_BARE_DATABASE_URL"]
    db = SQLAlchemy(app)

    @sa.event.listens_for(sa.engine.Engine, "connect")
    def _wal(dbapi_connection, _record):  # noqa: ANN001, ANN202
        import sqlite3

        if not isinstance(dbapi_connection, sqlite3.Connection):
            return
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    table = sa.Table("answer", db.metadata, sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("question", sa.Integer), sa.Column("value", sa.String(200)))

    @app.post("/insert")
    def insert():  # noqa: ANN202
        from flask import request

        db.session.execute(table.insert(), [{"question": n, "value": request.form.get(f"q{n}", "")}
                                            for n in range(20)])
        db.session.commit()
        return "ok"

    with app.app_context():
        db.create_all()
    return app


def bare_page_app() -> Flask:
    """One endpoint that returns the bytes of a saved page: the floor for any page of that size."""
    from pathlib import Path

    app = Flask(__name__)
    body = Path(os.environ["BENCH_PAGE_FILE"]).read_bytes()

    @app.get("/page")
    def page():  # noqa: ANN202
        return body, 200, {"Content-Type": "text/html; charset=utf-8"}

    return app
