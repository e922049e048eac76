"""Fixtures: an app per test over a shared schema (SQLite by default, PostgreSQL when asked)."""
from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import date
from itertools import count

import pytest
import sqlalchemy as sa
from flask import Flask, has_app_context
from flask.testing import FlaskClient
from hypothesis import HealthCheck, settings

from config import TestingConfig
from inspraak import create_app
from inspraak.core.db import lock_outside_requests
from inspraak.extensions import db

pytest_plugins = ["tests.consultations.factories", "tests.council.factories"]

# The machines are shared and often loaded: how long an example takes, or how long drawing
# it takes, is never what a property test checks. Tests may still set their own settings.
settings.register_profile("inspraak", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("inspraak")

PG_ENV = "INSPRAAK_TEST_DATABASE_URL"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def pytest_report_header(config: pytest.Config) -> str:
    return f"inspraak database: {os.environ.get(PG_ENV) or 'SQLite (temporary file)'}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """SQLite: a temporary file (one per xdist worker, as tmp_path_factory is). PostgreSQL: the database
    named by INSPRAAK_TEST_DATABASE_URL, or under pytest-xdist a database of each worker's own beside it
    (``test_gw0``...), created afresh and dropped at the end, so that workers never share tables."""
    url = os.environ.get(PG_ENV)
    if not url:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        return
    url = url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url
    try:
        engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect():
            pass
    except sa.exc.OperationalError as error:  # pragma: no cover - depends on the machine
        if os.environ.get("CI"):
            pytest.exit(f"PostgreSQL at {url} is unreachable in CI: {error}", returncode=3)
        pytest.skip(f"PostgreSQL unreachable: {error}")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        engine.dispose()
        yield url
        return
    own = sa.engine.make_url(url)
    own = own.set(database=f"{own.database}_{worker}")
    drop = sa.text(f'DROP DATABASE IF EXISTS "{own.database}" WITH (FORCE)')
    with engine.connect() as connection:
        connection.execute(drop)
        connection.execute(sa.text(f'CREATE DATABASE "{own.database}"'))
    try:
        yield own.render_as_string(hide_password=False)
    finally:
        with engine.connect() as connection:
            connection.execute(drop)
        engine.dispose()


def make_config(url: str, **overrides: object) -> type:
    return type("TestConfig", (TestingConfig,), {"SQLALCHEMY_DATABASE_URI": url, **overrides})


@pytest.fixture(scope="session")
def _schema(database_url: str) -> Iterator[None]:
    app = create_app(make_config(database_url))
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


class Client(FlaskClient):
    """A test client whose requests each get their own app context and database session,
    as in production, so tests cannot lean on objects the test itself has loaded."""

    def open(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        outer = has_app_context()  # False in the threads of concurrency tests
        if outer:
            db.session.commit()  # the test's own changes become visible, and it holds no lock
        try:
            with self.application.app_context():
                return super().open(*args, **kwargs)
        finally:
            if outer:
                db.session.commit()  # end the test's snapshot: it sees what the request wrote

    def csrf_token(self, path: str = "/sign-in") -> str:
        page = self.get(path).get_data(as_text=True)
        match = CSRF_RE.search(page)
        assert match, f"no CSRF token on {path}"
        return match.group(1) or match.group(2)

    def post_form(self, path: str, data: dict | None = None, *, token_from: str = "/sign-in", **kwargs):  # noqa: ANN201, ANN003
        """POST a form with a valid CSRF token, as a browser would."""
        payload = dict(data or {})
        payload.setdefault("csrf_token", self.csrf_token(token_from))
        return self.post(path, data=payload, **kwargs)


@pytest.fixture
def config_overrides() -> dict:
    """Override in a test module or with indirect parametrisation to change settings."""
    return {}


@pytest.fixture
def app(_schema: None, database_url: str, config_overrides: dict) -> Iterator[Flask]:
    app = create_app(make_config(database_url, **config_overrides))
    app.test_client_class = Client
    lock_token = lock_outside_requests.set(False)
    ctx = app.app_context()
    ctx.push()
    try:
        yield app
    finally:
        db.session.rollback()
        _empty_tables()
        db.session.remove()
        db.engine.dispose()
        ctx.pop()
        lock_outside_requests.reset(lock_token)


def _empty_tables() -> None:
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture
def client(app: Flask) -> Client:
    return app.test_client()  # type: ignore[return-value]


@pytest.fixture
def runner(app: Flask):  # noqa: ANN201
    return app.test_cli_runner()


@pytest.fixture
def machine_on_another_day() -> Iterator[str]:
    """The machine's own time zone set to one whose date is not the Dutch date now (a server abroad, or
    a CI machine at night): code that takes ``date.today()`` or ``datetime.now()`` for the Dutch date shows it.

    UTC-12 is a day behind Amsterdam from midnight until 13:00 (summer 14:00) Dutch time, UTC+14 a day
    ahead from 11:00 (summer 12:00) until midnight; the one that disagrees for at least another hour is
    taken. POSIX zone strings need no tz database. Yields the zone.
    """
    import time
    from datetime import datetime

    from inspraak.core.timeutil import LOCAL_TZ

    zone = "<-12>+12" if datetime.now(LOCAL_TZ).hour < 12 else "<+14>-14"
    before = os.environ.get("TZ")
    os.environ["TZ"] = zone
    time.tzset()
    try:
        yield zone
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()


@pytest.fixture
def one_dutch_day(monkeypatch: pytest.MonkeyPatch) -> date:
    """The Dutch date held still for one test: ``local_today()``, in the test and in the app's requests,
    answers the date it had when the test began. A test that types "today" (or today + N days) into a form
    and expects the app to take it as today failed when Dutch midnight fell between the two readings (CI
    runs at any hour). Only the date stands still: ``utcnow()`` and the stored timestamps run on. Yields
    that date."""
    from inspraak.core import timeutil

    moment = timeutil.utcnow()
    monkeypatch.setattr(timeutil, "utcnow", lambda: moment)
    return timeutil.local_today()


# ------------------------------------------------------------------ factories

_seq = count(1)


@pytest.fixture
def make_corporation():  # noqa: ANN201
    from inspraak.people.models import Corporation

    def make(**overrides):  # noqa: ANN003, ANN202
        n = next(_seq)
        corporation = Corporation(
            name=overrides.pop("name", f"Corporation {n}"),
            slug=overrides.pop("slug", f"corp-{n}"),
            contact_phone=overrides.pop("contact_phone", "030 000 00 00"),
            **overrides,
        )
        db.session.add(corporation)
        db.session.commit()
        return corporation

    return make


@pytest.fixture
def make_complex(make_corporation):  # noqa: ANN001, ANN201
    from inspraak.people.models import Complex, Neighbourhood

    def make(corporation=None, *, neighbourhood_name=None, number=None, name="Complex"):  # noqa: ANN001, ANN202
        corporation = corporation or make_corporation()
        n = next(_seq)
        hood = db.session.scalar(
            sa.select(Neighbourhood).where(
                Neighbourhood.corporation_id == corporation.id, Neighbourhood.name == (neighbourhood_name or f"Wijk {n}")
            )
        ) or Neighbourhood(corporation_id=corporation.id, name=neighbourhood_name or f"Wijk {n}")
        db.session.add(hood)
        db.session.flush()
        complex_ = Complex(corporation_id=corporation.id, neighbourhood_id=hood.id, number=number or f"C{n}", name=name)
        db.session.add(complex_)
        db.session.commit()
        return complex_

    return make


@pytest.fixture
def make_tenant(make_corporation, make_complex):  # noqa: ANN001, ANN201
    """A person in a household in a dwelling; pass ``tenancy=`` to add a person to a household."""
    from inspraak.people.models import Corporation, Dwelling, Person, Tenancy

    def make(corporation=None, *, complex_=None, tenancy=None, email=None, language="nl",  # noqa: ANN001, ANN202
             start=date(2020, 1, 1), end=None, name=None):
        if tenancy is None:
            if corporation is None:
                corporation = db.session.get(Corporation, complex_.corporation_id) if complex_ else make_corporation()
            complex_ = complex_ or make_complex(corporation)
            n = next(_seq)
            dwelling = Dwelling(
                corporation_id=corporation.id, complex_id=complex_.id, unit_number=f"U{n}", street="Teststraat",
                house_number=n, postcode="3500 AA", city="Utrecht",
            )
            db.session.add(dwelling)
            db.session.flush()
            tenancy = Tenancy(corporation_id=corporation.id, dwelling_id=dwelling.id, contract_number=f"T{n}",
                              start_date=start, end_date=end)
            db.session.add(tenancy)
            db.session.flush()
        n = next(_seq)
        person = Person(corporation_id=tenancy.corporation_id, tenancy_id=tenancy.id, person_number=f"P{n}",
                        name=name or f"Tenant {n}", email=email, preferred_language=language)
        db.session.add(person)
        db.session.commit()
        return person

    return make


STAFF_PASSWORD = "correct horse battery"


@pytest.fixture
def make_staff(make_corporation):  # noqa: ANN001, ANN201
    from inspraak.core.security import hash_password
    from inspraak.people.models import Role, StaffRole, StaffUser

    def make(corporation=None, *roles: str, email=None, password=STAFF_PASSWORD, active=True):  # noqa: ANN001, ANN202
        corporation = corporation or make_corporation()
        n = next(_seq)
        staff = StaffUser(
            corporation_id=corporation.id, email=email or f"staff{n}@example.org", name=f"Staff {n}",
            password_hash=hash_password(password), active=active,
            role_rows=[StaffRole(role=Role(r)) for r in (roles or ("admin",))],
        )
        db.session.add(staff)
        db.session.commit()
        return staff

    return make


@pytest.fixture
def login_staff():  # noqa: ANN201
    def login(client: Client, staff, password: str = STAFF_PASSWORD):  # noqa: ANN001, ANN202
        response = client.post_form("/staff/sign-in", {"email": staff.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        return response

    return login


@pytest.fixture
def login_tenant():  # noqa: ANN201
    from inspraak.auth.services import issue_letter_code

    def login(client: Client, person):  # noqa: ANN001, ANN202
        code = issue_letter_code(person, None)
        db.session.commit()
        response = client.post_form("/sign-in/code", {"code": code})
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        return code

    return login
