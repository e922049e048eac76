"""Consultations as tenants read them, kept per process between requests.

Every tenant request needs the whole consultation: its pages, questions, choices and
matrix rows, in every language. Loading and building those objects was most of the work
of a tenant's page. They change rarely (questions are locked once anyone answered), so each
process keeps a read-only copy keyed on the consultation's ``updated_at``, which moves with
any change to the consultation or to one of its pages, questions, choices or rows (see
``models.questions._touch_consultations``). One small query per request checks the stamp.

The copies are detached from any database session: tenant code reads them and writes by id,
never through their relationships. Staff pages never use this cache.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from inspraak.consultations import queries
from inspraak.consultations.models import Consultation
from inspraak.core.errors import NotFound
from inspraak.extensions import db

MAX_ENTRIES = 64

_lock = threading.Lock()
# Built once (Core, on the table): the stamp is read with every tenant request.
_STAMP = sa.select(Consultation.__table__.c.updated_at).where(
    Consultation.__table__.c.id == sa.bindparam("id"),
    Consultation.__table__.c.corporation_id == sa.bindparam("corporation_id"),
)


def _entries() -> OrderedDict[int, tuple[datetime, Consultation]]:
    """This application's entries (one app per process in production; each test has its own)."""
    return current_app.extensions.setdefault("inspraak.consultation_cache", OrderedDict())


def get(corporation_id: int, consultation_id: int) -> Consultation:
    """A read-only, fully loaded consultation of this corporation.

    Raises:
        NotFound: no such consultation in this corporation.
    """
    stamp = db.session.scalar(_STAMP, {"id": consultation_id, "corporation_id": corporation_id})
    if stamp is None:
        raise NotFound(str(_l("This consultation does not exist.")))
    return get_stamped(corporation_id, consultation_id, stamp)


def get_stamped(corporation_id: int, consultation_id: int, stamp: datetime) -> Consultation:
    """The same, when the caller has just read the consultation's ``updated_at`` (``stamp``) itself."""
    entries = _entries()
    with _lock:
        entry = entries.get(consultation_id)
        if entry is not None and entry[0] == stamp:
            entries.move_to_end(consultation_id)
            return entry[1]
    consultation = queries.get_consultation(corporation_id, consultation_id)
    consultation.documents  # noqa: B018  (loaded before detaching: a support measurement lists them)
    _detach(consultation)
    # Worked out once per copy, as the copy never changes: the order, the rules, and the
    # rendered blank questions per language (filled by the tenant views).
    ordered = tuple(queries.ordered_questions(consultation))
    for question in ordered:
        question.__dict__["_spec"] = queries.spec_of(question)
    consultation.__dict__["_ordered_questions"] = ordered
    consultation.__dict__["_rendered_blank"] = {}
    with _lock:
        entries[consultation_id] = (consultation.updated_at, consultation)
        entries.move_to_end(consultation_id)
        while len(entries) > MAX_ENTRIES:
            entries.popitem(last=False)
    return consultation


def clear() -> None:
    with _lock:
        _entries().clear()


def _detach(consultation: Consultation) -> None:
    """Take the loaded objects out of the session so a later commit cannot expire them."""
    objects = [consultation, *consultation.sections, *consultation.documents]
    for question in consultation.questions:
        objects += [question, *question.options, *question.rows]
    for obj in objects:
        if obj in db.session:
            db.session.expunge(obj)
