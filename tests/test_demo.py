"""Every text of the demo that a tenant, council member or partner reads is there in every language of the
installation: a Polish or Arabic tenant trying the demo reads no Dutch fallback."""
from __future__ import annotations

import re
from datetime import timedelta
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from config import Config
from inspraak.core.i18n import missing_languages
from inspraak.extensions import db

LANGUAGES = list(Config.LANGUAGES)


def _text_maps(value: Any, path: str) -> Iterator[tuple[str, dict]]:
    """The {language: text} maps in a JSON value, nested ones too (a scale's end labels sit in its settings)."""
    if isinstance(value, dict):
        if value and set(value) <= set(LANGUAGES) and all(isinstance(v, str | None) for v in value.values()):
            if any((text or "").strip() for text in value.values()):
                yield path, value
            return
        for key, item in value.items():
            yield from _text_maps(item, f"{path}.{key}")
    elif isinstance(value, list):
        for number, item in enumerate(value):
            yield from _text_maps(item, f"{path}[{number}]")


def _stored_text_maps() -> Iterator[tuple[str, dict]]:
    """Every {language: text} map in a JSON column of the database, with where it is."""
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, sa.JSON)]
        if not columns:
            continue
        for row in db.session.execute(sa.select(*table.primary_key.columns, *columns)).mappings():
            key = ",".join(str(row[c.name]) for c in table.primary_key.columns)
            for column in columns:
                yield from _text_maps(row[column.name], f"{table.name}[{key}].{column.name}")


@pytest.fixture
def demo(app: Flask) -> None:
    from inspraak.demo import load_demo

    with app.test_request_context():
        load_demo()
    db.session.commit()


def test_every_demo_text_a_tenant_reads_is_in_every_language(demo):
    texts = list(_stored_text_maps())
    tables = {path.split("[")[0] for path, _texts in texts}
    # The walk finds the demo's texts: consultations, their pages, questions and choices, and the council's.
    assert {"consultation", "consultation_section", "consultation_question", "consultation_option",
            "council_agenda_item", "council_motion", "council_minutes_revision", "council_advice_request"} <= tables
    incomplete = [(path, missing_languages(text, LANGUAGES), text.get("nl"))
                  for path, text in texts if missing_languages(text, LANGUAGES)]
    assert not incomplete, incomplete


def test_no_demo_consultation_promises_a_month(demo):
    """The demo's dates move with the day it is loaded: a text saying "in June" stood beside a page saying
    results come in February. The page states the date; the texts name no month."""
    from babel.dates import get_month_names

    from inspraak.consultations.models import Consultation

    promised = []
    for consultation in db.session.scalars(sa.select(Consultation)):
        for field in ("title", "intro", "outro"):
            for language, text in (getattr(consultation, field) or {}).items():
                months = [m.lower() for width in ("wide", "abbreviated") for m in
                          get_month_names(width, locale=language).values() if len(m) > 3]
                promised += [(consultation.id, field, language, m) for m in months if m in text.lower()]
    assert not promised, promised


def test_the_demo_council_names_its_presenters(demo):
    """The presenter of an agenda item is one text for every reader: a person's name, not a Dutch title
    such as 'Penningmeester' that a Polish or Arabic member cannot read."""
    from inspraak.council.models import AgendaItem, Member
    from inspraak.people.models import Person

    presenters = set(db.session.scalars(sa.select(AgendaItem.presenter).where(AgendaItem.presenter != "")))
    members = set(db.session.scalars(sa.select(Person.name).join(Member, Member.person_id == Person.id)))
    assert presenters and presenters <= members


def test_polish_demo_surnames_fit_both_women_and_men():
    """First and last names are drawn apart: a surname that changes with gender (Kowalski, Kowalska)
    would give 'Magdalena Kowalski' or 'Piotr Wiśniewska'."""
    from inspraak.demo import NAMES

    _first_names, last_names = NAMES["pl"]
    assert not [name for name in last_names if re.search(r"(sk|ck|dzk)[ia]$", name)]


def test_the_demo_queues_only_mail_about_what_is_going_on_now(demo):
    """`make run` prints the mail the demo queued. It printed the agenda "for the next meeting" of the meeting held a
    month ago, at the minute the demo was loaded, and the request whose advice was given weeks ago. That mail is now
    marked sent back then; what is queued is about the coming meeting and the open request, and meetings start at
    half past seven in the evening, Dutch time."""
    from inspraak.core.db import utcnow
    from inspraak.core.timeutil import LOCAL_TZ
    from inspraak.council.models import Meeting
    from inspraak.notify.models import MessageStatus, OutboxMessage

    meetings = db.session.scalars(sa.select(Meeting).order_by(Meeting.starts_at)).all()
    assert [m.starts_at.astimezone(LOCAL_TZ).strftime("%H:%M") for m in meetings] == ["19:30"] * len(meetings)
    queued = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.status == MessageStatus.QUEUED)).all()
    texts = " ".join(m.body_text for m in queued)
    past, coming = meetings
    assert f"/council/meetings/{past.id}\n" not in texts and f"/council/meetings/{coming.id}\n" in texts
    assert "Huurverhoging juli" not in texts
    assert any(m.kind == "agenda_published" for m in queued) and any(m.kind == "advice_request_received" for m in queued)
    sent = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.status == MessageStatus.SENT)).all()
    assert sent and all(m.sent_at < utcnow() - timedelta(days=30) for m in sent)


def test_the_demo_dates_its_advice_requests_and_plans_on_the_dutch_date(app, machine_on_another_day):
    """The demo took the machine's own date (``date.today()``) for 'today': on a server in UTC at night, or
    abroad, its advice requests were received a day off, their deadlines with them. It takes the Dutch date now."""
    from datetime import date, timedelta

    from inspraak.consultations.models import Consultation
    from inspraak.core.timeutil import local_today
    from inspraak.council.models import AdviceRequest
    from inspraak.demo import load_demo

    before = local_today()
    assert date.today() != before  # the machine is on another day than the Netherlands
    with app.test_request_context():
        load_demo()
    days = {before, local_today()}  # one day, unless the demo ran over midnight
    received = set(db.session.scalars(sa.select(AdviceRequest.received_on)))
    assert received and received <= {day - timedelta(days=n) for day in days for n in (10, 60)}
    expected = set(db.session.scalars(sa.select(Consultation.results_expected_on)
                                      .where(Consultation.results_expected_on.is_not(None))))
    assert expected and expected <= {day + timedelta(days=n) for day in days for n in (14, 60)}
