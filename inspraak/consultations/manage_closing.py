"""Staff pages for the closing time: move it while open, or open a closed consultation once more."""
from __future__ import annotations

from flask import abort, flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from inspraak.consultations import addressing, closing
from inspraak.consultations.forms import ClosingForm
from inspraak.consultations.manage import (bp, back_to_consultation, from_local, get_consultation_or_404, local_input,
                                            show_form_error)
from inspraak.consultations.models import ConsultationStatus
from inspraak.core.edits import EditClash, fingerprint
from inspraak.core.forms import page_status
from inspraak.core.permissions import staff_required
from inspraak.extensions import db
from inspraak.people.models import Role


@bp.route("/<int:consultation_id>/closing", methods=["GET", "POST"])
@staff_required(Role.EDITOR)
def change_closing(consultation_id: int):
    """A new closing time, with a reason: later or earlier while open, or once more after closing."""
    consultation = get_consultation_or_404(consultation_id)
    reopening = consultation.status is ConsultationStatus.CLOSED
    if not (consultation.status is ConsultationStatus.OPEN or consultation.may_reopen):
        abort(404)
    form = ClosingForm(closes_at=local_input(consultation.closes_at) if not reopening else None,
                       seen=fingerprint(values={"closes_at": consultation.closes_at}) if request.method == "GET" else None)
    if form.validate_on_submit():
        change = closing.reopen_consultation if reopening else closing.change_closing_time
        try:
            mailed = change(consultation, from_local(form.closes_at.data), reason=form.reason.data,
                            notify=form.notify.data, by=current_user, seen=form.seen.data)
        except (closing.InvalidClosing, EditClash) as error:
            db.session.rollback()
            show_form_error(form, error, getattr(error, "field", "closes_at"))
        else:
            db.session.commit()
            flash(_("The consultation is open again.") if reopening else _("The closing time has been changed."),
                  "success")
            if form.notify.data:
                flash(addressing.EMAILS_WAITING.render(n=mailed), "success")
            return back_to_consultation(consultation)
    return render_template("consultations/manage/closing.html", consultation=consultation, form=form,
                           reopening=reopening), page_status(form)
