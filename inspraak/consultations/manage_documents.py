"""Staff pages for the proposal documents of a support measurement: add, remove, download."""
from __future__ import annotations

from flask import abort, flash, url_for
from flask_babel import gettext as _
from flask_login import current_user

from inspraak.consultations import documents
from inspraak.consultations.forms import DocumentForm
from inspraak.consultations.manage import (back_to_consultation, bp, check_action_form, get_consultation_or_404,
                                            show_page)
from inspraak.core import files
from inspraak.core.actions import act
from inspraak.core.permissions import staff_required
from inspraak.extensions import db
from inspraak.people.models import Role


@bp.post("/<int:consultation_id>/documents")
@staff_required(Role.EDITOR)
def add_document(consultation_id: int):
    """Attach a PDF to the proposal (until the first dwelling answers)."""
    consultation = get_consultation_or_404(consultation_id)
    form = DocumentForm()
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            abort(400)
        return show_page(consultation, form)  # no file chosen: the page again, the message beside the file field
    if not consultation.is_support_measurement:  # only a support measurement has proposal documents
        abort(404)
    upload = form.document.data
    return act(lambda: documents.add_document(consultation, upload.stream, upload.filename or "", by=current_user),
               _("The document has been added to the proposal."),
               url_for(".show", consultation_id=consultation.id, _anchor="documents"), creates=True,
               form=form, again=lambda: show_page(consultation, form))  # the message beside the file field


@bp.post("/<int:consultation_id>/documents/<int:document_id>/delete")
@staff_required(Role.EDITOR)
def remove_document(consultation_id: int, document_id: int):
    """Take a document off the proposal (until the first dwelling answers)."""
    consultation = get_consultation_or_404(consultation_id)
    document = documents.get_document(consultation, document_id)
    check_action_form()
    stored_name = documents.remove_document(consultation, document, by=current_user)
    db.session.commit()
    files.remove_file(documents.storage_dir(), stored_name)
    flash(_("The document has been removed."), "success")
    return back_to_consultation(consultation, "#documents")


@bp.get("/<int:consultation_id>/documents/<int:document_id>")
@staff_required(Role.EDITOR, Role.DATA_ENTRY)
def download_document(consultation_id: int, document_id: int):
    """A proposal document, as staff see it."""
    consultation = get_consultation_or_404(consultation_id)
    document = documents.get_document(consultation, document_id)
    return files.download(documents.document_path(document), document.content_type, document.original_name)
