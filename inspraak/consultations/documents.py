"""The proposal documents of a support measurement: PDF files for those invited, stored through core.files."""
from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from flask import current_app
from flask_babel import lazy_gettext as _l

from inspraak.consultations import authoring
from inspraak.consultations.models import Consultation, Document
from inspraak.core import audit, files
from inspraak.core.errors import Conflict, NotFound
from inspraak.extensions import db
from inspraak.people.models import StaffUser


def storage_dir() -> Path:
    return files.storage_dir("CONSULTATION_DOCUMENT_DIR", "consultation_documents")


def document_path(document: Document) -> str:
    return files.stored_path(storage_dir(), document.stored_name)


def get_document(consultation: Consultation, document_id: int) -> Document:
    """A document of this consultation. Raises NotFound otherwise."""
    document = db.session.get(Document, document_id)
    if document is None or document.consultation_id != consultation.id:
        raise NotFound(str(_l("This document does not exist.")))
    return document


def _require_changeable(consultation: Consultation) -> None:
    authoring.lock_consultation(consultation)
    if not consultation.is_support_measurement:
        raise NotFound(str(_l("Only a support measurement has proposal documents.")))
    if not consultation.documents_changeable:
        if consultation.structure_locked:
            raise Conflict(str(_l("A dwelling has answered already. The proposal documents can no longer change.")))
        raise Conflict(str(_l("This support measurement is closed. Its documents can no longer change.")))


def add_document(consultation: Consultation, stream: BinaryIO, filename: str, *, by: StaffUser) -> Document:
    """Attach a PDF to a support measurement's proposal.

    Raises:
        NotFound: the consultation is not a support measurement.
        Conflict: it is closed, or someone has answered already.
        FileRefused: not a PDF, empty, or too large.
    """
    _require_changeable(consultation)
    limit = current_app.config.get("CONSULTATION_DOCUMENT_MAX_BYTES", files.DEFAULT_MAX_BYTES)
    stored = files.store_file(stream, filename, storage_dir(), max_bytes=limit, allowed=("pdf",))
    document = Document(consultation_id=consultation.id, stored_name=stored.stored_name,
                        original_name=stored.original_name, content_type=stored.content_type, size=stored.size)
    db.session.add(document)
    db.session.flush()
    audit.record("consultation.document_added", actor=by, corporation_id=consultation.corporation_id,
                 obj=consultation, details={"document_id": document.id, "name": document.original_name})
    return document


def remove_document(consultation: Consultation, document: Document, *, by: StaffUser) -> str:
    """Take a document off the proposal. Returns its stored name: remove the file once committed.

    Raises:
        Conflict: the support measurement is closed, or someone has answered already.
    """
    _require_changeable(consultation)
    audit.record("consultation.document_removed", actor=by, corporation_id=consultation.corporation_id,
                 obj=consultation, details={"document_id": document.id, "name": document.original_name})
    db.session.delete(document)
    db.session.flush()
    return document.stored_name
