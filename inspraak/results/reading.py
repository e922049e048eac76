"""Who may read which published results, and what covers a neighbourhood."""
from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import abort

from inspraak.consultations import answering, invitations
from inspraak.consultations.models import (
    AudienceScope,
    Consultation,
    ConsultationStatus,
    Invitation,
    consultation_complex,
    consultation_neighbourhood,
)
from inspraak.council import access as council_access
from inspraak.council import records
from inspraak.council.models import Council, CouncilKind, Motion
from inspraak.extensions import db
from inspraak.people.models import Complex, Neighbourhood
from inspraak.results.fragments import app_cache
from inspraak.results.models import Outcome, OutcomeStatus, Publication
from inspraak.results.publications import VISIBLE


_invitation = Invitation.__table__
# Built once (Core, on the table): it runs with every results page a tenant opens.
_INVITED = sa.select(_invitation.c.id).where(
    _invitation.c.consultation_id == sa.bindparam("consultation_id"),
    _invitation.c.unit_key.in_(sa.bindparam("keys", expanding=True)),
).limit(1)


def _invited(consultation_id: int, person: Any) -> bool:
    keys = [invitations.person_unit_key(person.id), invitations.dwelling_unit_key(person.tenancy.dwelling_id)]
    return db.session.scalar(_INVITED, {"consultation_id": consultation_id, "keys": keys}) is not None


# ---------------------------------------------------------------- the results page

@dataclass(frozen=True)
class PublishedVersion:
    """One publication as the results page reads it; its numbers come from :func:`snapshot_of`."""

    id: int
    consultation_id: int
    version: int
    created_at: datetime
    source_language: str
    summary: dict[str, str]
    correction_note: dict[str, str]

    @property
    def snapshot(self) -> dict[str, Any]:
        return snapshot_of(self.id, self.created_at)


@dataclass(frozen=True)
class ResultsPage:
    """What the results page shows besides the numbers: read as plain rows, in one small query."""

    consultation: ConsultationHeading
    versions: list[PublishedVersion]  # newest first, at least one
    outcomes: list[Any]  # OutcomeRow (the columns of results_outcome), in order

    @property
    def latest(self) -> PublishedVersion:
        return self.versions[0]


_consultation, _publication, _outcome = Consultation.__table__, Publication.__table__, Outcome.__table__
# Built once (Core, on the tables): these run with every results page.
_CONSULTATION = sa.select(
    _consultation.c.id, _consultation.c.corporation_id, _consultation.c.status, _consultation.c.title,
    _consultation.c.source_language, _consultation.c.updated_at,
).where(_consultation.c.id == sa.bindparam("id"))
_VERSION_NAMES = ("id", "consultation_id", "version", "created_at", "source_language", "summary", "correction_note")
_VERSION_COLUMNS = sa.select(*(_publication.c[name] for name in _VERSION_NAMES)).order_by(_publication.c.version.desc())
_OUTCOMES = sa.select(_outcome).where(_outcome.c.consultation_id.in_(sa.bindparam("ids", expanding=True))) \
    .order_by(_outcome.c.id)
_LATEST_VERSIONS = _VERSION_COLUMNS.where(_publication.c.consultation_id.in_(sa.bindparam("ids", expanding=True)))
_SNAPSHOT = sa.select(_publication.c.snapshot).where(_publication.c.id == sa.bindparam("id"))


_OUTCOME_NAMES = tuple(column.key for column in _outcome.c)
# The consultation with its published versions, newest first, and its planned actions in order, in one
# query: a row per version and action (a handful of each; one round trip less on every results page).
# Version or action columns are empty where there is none.
_PAGE = (
    sa.select(*_CONSULTATION.selected_columns,
              *(_publication.c[name].label(f"version_{name}") for name in _VERSION_NAMES),
              *(_outcome.c[name].label(f"outcome_{name}") for name in _OUTCOME_NAMES))
    .select_from(_consultation
                 .outerjoin(_publication, _publication.c.consultation_id == _consultation.c.id)
                 .outerjoin(_outcome, _outcome.c.consultation_id == _consultation.c.id))
    .where(_consultation.c.id == sa.bindparam("id"))
    .order_by(_publication.c.version.desc(), _outcome.c.id)
)


# A planned action as the results page shows it: the columns of results_outcome, by name.
OutcomeRow = namedtuple("OutcomeRow", _OUTCOME_NAMES)


@dataclass(frozen=True)
class ConsultationHeading:
    """The few columns of a consultation that the results page shows or checks."""

    id: int
    corporation_id: int
    status: ConsultationStatus
    title: dict[str, str]
    source_language: str
    updated_at: datetime


def results_page(user: Any, consultation_id: int) -> ResultsPage:
    """A consultation's published results with what the page shows around them; 404 unless the user may read them.

    Readers: staff and partners of the corporation, tenants who were in its audience, and
    tenants of a neighbourhood it covered (its neighbourhood page lists it: one rule for both
    pages; published numbers are open data anyway); only once a version is published.
    """
    rows = db.session.execute(_PAGE, {"id": consultation_id}).all()
    if not rows:
        abort(404)
    first = rows[0]
    consultation = ConsultationHeading(**{f.name: getattr(first, f.name) for f in fields(ConsultationHeading)})
    if not _in_reach(user, consultation):
        abort(404)
    versions: dict[int, PublishedVersion] = {}
    for row in rows:
        if row.version_id is not None and row.version_id not in versions:
            versions[row.version_id] = PublishedVersion(**{name: getattr(row, f"version_{name}") for name in _VERSION_NAMES})
    if not versions or not _may_read(user, consultation.id):
        abort(404)
    # The newest version's rows hold every action once, in order.
    outcomes = [OutcomeRow(*(getattr(row, f"outcome_{name}") for name in _OUTCOME_NAMES))
                for row in rows if row.version_id == first.version_id and row.outcome_id is not None]
    return ResultsPage(consultation, list(versions.values()), outcomes)


def _in_reach(user: Any, consultation: Any) -> bool:  # noqa: ANN401
    """The user's own corporation's consultation, in a state whose results may be read."""
    return consultation.corporation_id == user.corporation_id and consultation.status in VISIBLE


def _may_read(user: Any, consultation_id: int) -> bool:
    """Staff and partners, the invited, and tenants of a covered neighbourhood (see :func:`results_page`)."""
    return user.is_staff or _invited(consultation_id, user) or _covers_home_of(consultation_id, user)


def has_readable_results(user: Any, consultation: Consultation) -> bool:
    """Whether :func:`results_page` would show this consultation's results to the user (no 404)."""
    if not _in_reach(user, consultation):
        return False
    published = sa.select(_publication.c.id).where(_publication.c.consultation_id == consultation.id).limit(1)
    return db.session.scalar(published) is not None and _may_read(user, consultation.id)


def latest_versions(consultation_ids: list[int]) -> dict[int, PublishedVersion | None]:
    """The newest published version of each consultation (None where there is none), in one query."""
    latest: dict[int, PublishedVersion | None] = dict.fromkeys(consultation_ids)
    if consultation_ids:
        for row in db.session.execute(_LATEST_VERSIONS, {"ids": consultation_ids}):
            if latest[row.consultation_id] is None:  # newest first
                latest[row.consultation_id] = PublishedVersion(**row._mapping)
    return latest


def outcomes_of(consultation_ids: list[int]) -> dict[int, list[Any]]:
    """The planned actions of each consultation, in order, as rows, in one query."""
    outcomes: dict[int, list[Any]] = {cid: [] for cid in consultation_ids}
    if consultation_ids:
        for row in db.session.execute(_OUTCOMES, {"ids": consultation_ids}):
            outcomes[row.consultation_id].append(row)
    return outcomes


def snapshot_of(publication_id: int, created_at: datetime) -> dict[str, Any]:
    """A publication's snapshot, read and parsed once per process: it never changes.

    Keyed on the time of publishing too, so that an id reused after a rollback is a new key.
    Callers must not change what they get.
    """
    def load() -> dict[str, Any]:
        return db.session.scalar(_SNAPSHOT, {"id": publication_id})

    return app_cache("results_snapshots", size=32).get_or_render((publication_id, created_at), load)


def list_published_for(person: Any) -> list[Consultation]:
    """Consultations with published results that the tenant was invited to, newest first."""
    keys = [invitations.person_unit_key(person.id), invitations.dwelling_unit_key(person.tenancy.dwelling_id)]
    invited = sa.select(Invitation.consultation_id).where(Invitation.unit_key.in_(keys))
    return list(db.session.scalars(
        sa.select(Consultation)
        .where(Consultation.corporation_id == person.corporation_id, Consultation.status.in_(list(VISIBLE)),
               Consultation.id.in_(invited))
        .order_by(Consultation.closed_at.desc(), Consultation.id.desc())
    ))


def neighbourhood_of(person: Any) -> int | None:
    """The neighbourhood of a tenant's home, if the home is in a complex."""
    complex_ = person.tenancy.dwelling.complex
    return complex_.neighbourhood_id if complex_ is not None else None


def _covers(neighbourhood_id: int) -> sa.ColumnElement[bool]:
    """A consultation's audience covered this neighbourhood: everyone, the neighbourhood, or a complex in it."""
    complex_ids = sa.select(Complex.id).where(Complex.neighbourhood_id == neighbourhood_id)
    by_hood = sa.select(consultation_neighbourhood.c.consultation_id).where(
        consultation_neighbourhood.c.neighbourhood_id == neighbourhood_id)
    by_complex = sa.select(consultation_complex.c.consultation_id).where(
        consultation_complex.c.complex_id.in_(complex_ids))
    return sa.or_(Consultation.audience_scope == AudienceScope.CORPORATION,
                  Consultation.id.in_(by_hood), Consultation.id.in_(by_complex))


def _covers_home_of(consultation_id: int, person: Any) -> bool:
    """Whether the tenant lives in a neighbourhood the consultation covered (its neighbourhood page lists it)."""
    hood_id = neighbourhood_of(person)
    return hood_id is not None and db.session.scalar(
        sa.select(Consultation.id).where(Consultation.id == consultation_id, _covers(hood_id))) is not None


def _covering(hood: Neighbourhood, statuses: list[ConsultationStatus]) -> list[Consultation]:
    return list(db.session.scalars(
        sa.select(Consultation)
        .where(Consultation.corporation_id == hood.corporation_id, Consultation.status.in_(statuses),
               _covers(hood.id))
        .order_by(Consultation.closed_at.desc(), Consultation.id.desc())
    ))


def list_published_covering(hood: Neighbourhood) -> list[Consultation]:
    """Consultations with published results whose audience included this neighbourhood (or all)."""
    return _covering(hood, list(VISIBLE))


def list_open_covering(hood: Neighbourhood, user: Any) -> list[Consultation]:
    """Open consultations whose audience includes this neighbourhood, under "Give your opinion now".

    Staff and partners see them all; a tenant only those they can still answer: not one for another
    complex of the neighbourhood, nor one they (or their household) have answered.
    """
    covering = _covering(hood, [ConsultationStatus.OPEN])
    if user.is_staff:
        return covering
    mine = {consultation.id for consultation, answered in answering.list_my_consultations(user) if not answered}
    return [consultation for consultation in covering if consultation.id in mine]


def neighbourhood_councils(hood: Neighbourhood, user: Any) -> list[Council]:
    """The residents' committees of the neighbourhood's complexes and the tenant organisation.

    Staff and partners see them all; a tenant only the councils whose decisions they may read
    on the council's own pages (``council.access.council_serves``): the tenant organisation
    and the committee of their own complex.
    """
    complex_ids = sa.select(Complex.id).where(Complex.neighbourhood_id == hood.id)
    councils = db.session.scalars(
        sa.select(Council)
        .where(Council.corporation_id == hood.corporation_id,
               sa.or_(Council.kind == CouncilKind.TENANT_ORGANISATION, Council.complex_id.in_(complex_ids)))
        .order_by(Council.name, Council.id)
    )
    return [c for c in councils if user.is_staff or council_access.council_serves(c, user)]


def council_decisions(hood: Neighbourhood, user: Any, limit: int = 10) -> dict[str, list[Motion]]:
    """The newest public decisions for the neighbourhood page: its committees' and, apart, the tenant organisation's."""
    councils = neighbourhood_councils(hood, user)
    return {
        "committees": records.list_recent_decisions(
            [c for c in councils if c.kind is CouncilKind.RESIDENTS_COMMITTEE], limit),
        "organisation": records.list_recent_decisions(
            [c for c in councils if c.kind is CouncilKind.TENANT_ORGANISATION], limit),
    }


def open_data(consultation_id: int) -> dict[str, Any]:
    """The newest publication's protected numbers, summary and actions, without quotes; 404 if none."""
    consultation = db.session.execute(_CONSULTATION, {"id": consultation_id}).first()
    publication = latest_versions([consultation_id])[consultation_id] if consultation else None
    if consultation is None or consultation.status not in VISIBLE or publication is None:
        abort(404)
    snapshot = {key: value for key, value in publication.snapshot.items() if key != "quotes"}
    return {
        "consultation_id": consultation_id,
        "version": publication.version,
        "published_at": publication.created_at.isoformat(),
        "source_language": publication.source_language,
        "summary": publication.summary,
        "correction_note": publication.correction_note,
        "results": snapshot,
        "planned_actions": [
            {"text": o.text, "source_language": o.source_language, "status": o.status.value,
             "due_on": o.due_on.isoformat() if o.due_on else None,
             "why_not": o.status_note if o.status is OutcomeStatus.WITHDRAWN else None}
            for o in outcomes_of([consultation_id])[consultation_id]
        ],
    }
