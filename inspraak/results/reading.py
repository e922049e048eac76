"""Who may read which published results, and what covers a neighbourhood."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort

from inspraak.consultations import invitations
from inspraak.consultations.models import (
    AudienceScope,
    Consultation,
    ConsultationStatus,
    Invitation,
    consultation_complex,
    consultation_neighbourhood,
)
from inspraak.council import access as council_access
from inspraak.council import services as council_services
from inspraak.council.models import Council, CouncilKind, Motion
from inspraak.extensions import db
from inspraak.people.models import Complex, Neighbourhood
from inspraak.results.models import Publication
from inspraak.results.services import VISIBLE, latest_publication, list_outcomes


def _invited(consultation_id: int, person: Any) -> bool:
    keys = [invitations.person_unit_key(person.id), invitations.dwelling_unit_key(person.tenancy.dwelling_id)]
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Invitation)
        .where(Invitation.consultation_id == consultation_id, Invitation.unit_key.in_(keys))
    ) > 0


def get_published_for(user: Any, consultation_id: int) -> Consultation:
    """A consultation with published results that the user may read: staff and partners of the
    corporation, and tenants who were in its audience. 404 otherwise."""
    consultation = db.session.get(Consultation, consultation_id)
    if (consultation is None or consultation.corporation_id != user.corporation_id
            or consultation.status not in VISIBLE or latest_publication(consultation.id) is None):
        abort(404)
    if not user.is_staff and not _invited(consultation.id, user):
        abort(404)
    return consultation


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


def _covering(hood: Neighbourhood, statuses: list[ConsultationStatus]) -> list[Consultation]:
    complex_ids = sa.select(Complex.id).where(Complex.neighbourhood_id == hood.id)
    by_hood = sa.select(consultation_neighbourhood.c.consultation_id).where(
        consultation_neighbourhood.c.neighbourhood_id == hood.id)
    by_complex = sa.select(consultation_complex.c.consultation_id).where(
        consultation_complex.c.complex_id.in_(complex_ids))
    return list(db.session.scalars(
        sa.select(Consultation)
        .where(Consultation.corporation_id == hood.corporation_id, Consultation.status.in_(statuses),
               sa.or_(Consultation.audience_scope == AudienceScope.CORPORATION,
                      Consultation.id.in_(by_hood), Consultation.id.in_(by_complex)))
        .order_by(Consultation.closed_at.desc(), Consultation.id.desc())
    ))


def list_published_covering(hood: Neighbourhood) -> list[Consultation]:
    """Consultations with published results whose audience included this neighbourhood (or all)."""
    return _covering(hood, list(VISIBLE))


def list_open_covering(hood: Neighbourhood) -> list[Consultation]:
    return _covering(hood, [ConsultationStatus.OPEN])


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
        "committees": council_services.list_recent_decisions(
            [c for c in councils if c.kind is CouncilKind.RESIDENTS_COMMITTEE], limit),
        "organisation": council_services.list_recent_decisions(
            [c for c in councils if c.kind is CouncilKind.TENANT_ORGANISATION], limit),
    }


def open_data(consultation_id: int) -> dict[str, Any]:
    """The newest publication's protected numbers, summary and actions, without quotes; 404 if none."""
    consultation = db.session.get(Consultation, consultation_id)
    publication: Publication | None = latest_publication(consultation_id) if consultation else None
    if consultation is None or consultation.status not in VISIBLE or publication is None:
        abort(404)
    snapshot = {key: value for key, value in publication.snapshot.items() if key != "quotes"}
    return {
        "consultation_id": consultation.id,
        "version": publication.version,
        "published_at": publication.created_at.isoformat(),
        "source_language": publication.source_language,
        "summary": publication.summary,
        "correction_note": publication.correction_note,
        "results": snapshot,
        "planned_actions": [
            {"text": o.text, "source_language": o.source_language, "status": o.status.value,
             "due_on": o.due_on.isoformat() if o.due_on else None}
            for o in list_outcomes(consultation.id)
        ],
    }
