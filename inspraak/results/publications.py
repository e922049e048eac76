"""Published versions of results and the consultations staff prepare them for."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from inspraak.consultations.models import Consultation, ConsultationStatus
from inspraak.core.errors import NotFound
from inspraak.extensions import db
from inspraak.results.models import Publication

VISIBLE = (ConsultationStatus.PUBLISHED, ConsultationStatus.ARCHIVED)


def get_consultation(corporation_id: int, consultation_id: int) -> Consultation:
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None or consultation.corporation_id != corporation_id:
        raise NotFound(str(_l("This consultation does not exist.")))
    return consultation


def list_publications(consultation_id: int) -> list[Publication]:
    """Every version, newest first."""
    return list(db.session.scalars(
        sa.select(Publication).where(Publication.consultation_id == consultation_id)
        .order_by(Publication.version.desc())
    ))


def latest_publication(consultation_id: int) -> Publication | None:
    return db.session.scalar(
        sa.select(Publication).where(Publication.consultation_id == consultation_id)
        .order_by(Publication.version.desc()).limit(1)
    )


def list_for_staff(corporation_id: int) -> list[Consultation]:
    """Closed, published and archived consultations: those with results to preview or publish."""
    return list(db.session.scalars(
        sa.select(Consultation)
        .where(Consultation.corporation_id == corporation_id,
               Consultation.status.in_([ConsultationStatus.CLOSED, *VISIBLE]))
        .order_by(Consultation.closed_at.desc(), Consultation.id.desc())
    ))
