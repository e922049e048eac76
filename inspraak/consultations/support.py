"""Support measurement (draagvlakmeting, Civil Code 7:220 lid 3): one complex, one answer per dwelling."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from inspraak.consultations import authoring, invitations, questions
from inspraak.consultations.models import (
    Answer,
    AudienceScope,
    Consultation,
    ConsultationKind,
    CountingUnit,
    PrivacyMode,
    QuestionType,
    Response,
)
from inspraak.extensions import db
from inspraak.people.models import Complex, StaffUser


# Marked with ``_l`` so that ``pybabel extract`` finds it; translated per language below.
AGREE_QUESTION = _l("Do you agree with the proposal?")


def _in_every_language(message: LazyString) -> dict[str, str]:
    """The message translated into every language of the installation (content is stored as data)."""
    texts = {}
    for lang in current_app.config["LANGUAGES"]:
        with force_locale(lang):
            texts[lang] = str(message)
    return texts


def create_support_measurement(
    corporation_id: int, complex_: Complex, *, title: dict[str, str], source_language: str, by: StaffUser
) -> Consultation:
    """A draft support measurement for one complex, counted per dwelling, with its agree question.

    Raises:
        DomainError: the complex has fewer dwellings than the legal minimum, or no title.
    """
    consultation = authoring.create_consultation(
        corporation_id, title=title, source_language=source_language, by=by, kind=ConsultationKind.SUPPORT_MEASUREMENT
    )
    consultation.audience_scope = AudienceScope.COMPLEXES
    consultation.complexes = [complex_]
    consultation.counting_unit = CountingUnit.DWELLING
    # Signed agreement forms are personal: the corporation must know which dwelling agreed.
    consultation.privacy_mode = PrivacyMode.CONFIDENTIAL
    invitations.check_support_complex(consultation)
    questions.add_question(
        consultation,
        consultation.sections[0],
        type=QuestionType.AGREEMENT,
        text=_in_every_language(AGREE_QUESTION),
        required=True,
        by=by,
    )
    return consultation


@dataclass(frozen=True)
class SupportResult:
    """Agreeing dwellings over every dwelling of the complex; no answer counts as not agreeing."""

    agreeing: int
    disagreeing: int
    total_dwellings: int
    threshold: Decimal

    @property
    def not_responding(self) -> int:
        return self.total_dwellings - self.agreeing - self.disagreeing

    @property
    def share(self) -> Decimal:
        if not self.total_dwellings:
            return Decimal(0)
        return Decimal(self.agreeing) / Decimal(self.total_dwellings)

    @property
    def presumed_reasonable(self) -> bool:
        return self.total_dwellings > 0 and self.share >= self.threshold


def support_result(consultation: Consultation) -> SupportResult:
    """Count a support measurement (works while open, too: then it is the state so far).

    Once the answers were removed (``results.retention``), the count kept at that moment.
    """
    if consultation.kept_counts and "support" in consultation.kept_counts:
        kept = consultation.kept_counts["support"]
        return SupportResult(kept["agreeing"], kept["disagreeing"], kept["total_dwellings"], Decimal(kept["threshold"]))
    question = next(q for q in consultation.questions if q.type is QuestionType.AGREEMENT)
    counts = dict(
        db.session.execute(
            sa.select(Answer.number, sa.func.count())
            .join(Response, Answer.response_id == Response.id)
            .where(Response.consultation_id == consultation.id, Answer.question_id == question.id)
            .group_by(Answer.number)
        ).all()
    )
    agreeing = sum(n for value, n in counts.items() if value is not None and Decimal(value) == 1)
    disagreeing = sum(n for value, n in counts.items() if value is not None and Decimal(value) == 0)
    total = consultation.total_units
    if total is None:
        total = invitations.complex_size(consultation.complexes[0].id) if consultation.complexes else 0
    return SupportResult(agreeing, disagreeing, total, Decimal(str(current_app.config["SUPPORT_THRESHOLD"])))
