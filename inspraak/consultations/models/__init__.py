"""The consultation models, importable from one place."""
from inspraak.consultations.models.consultation import (
    AudienceScope, Breakdown, Channel, Consultation, ConsultationKind, ConsultationStatus, CountingUnit, Document,
    PrivacyMode, QuestionType, consultation_complex, consultation_neighbourhood,
)
from inspraak.consultations.models.questions import MatrixRow, Option, Question, Section
from inspraak.consultations.models.responses import Answer, Draft, Invitation, Participation, Response, new_response_id

__all__ = [
    "Answer", "AudienceScope", "Breakdown", "Channel", "Consultation", "ConsultationKind", "ConsultationStatus",
    "CountingUnit", "Document", "Draft", "Invitation", "MatrixRow", "Option", "Participation", "PrivacyMode",
    "Question", "QuestionType", "Response", "Section", "consultation_complex", "consultation_neighbourhood",
    "new_response_id",
]
