"""Staff pages (publisher): preview results, choose quotes, write the summary, publish, planned actions, exports."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import BooleanField, HiddenField

from inspraak.consultations.forms import languages, texts_form, texts_from
from inspraak.consultations.models import Consultation, ConsultationStatus
from inspraak.core import audit, once
from inspraak.core.db import take_write_lock
from inspraak.core.edits import EditClash, fingerprint
from inspraak.core.errors import DomainError
from inspraak.core.forms import FlaskForm, page_status, refuse_field, refused_status, show_clash
from inspraak.core.permissions import staff_required
from inspraak.core.security import bounded_int
from inspraak.extensions import db
from inspraak.people.models import Role
from inspraak.results import exports, outcomes, publications, quoting, retention, services, texts
from inspraak.results.forms import ActionForm, OutcomeForm, OutcomeStatusForm, PickQuoteForm, QuoteForm
from inspraak.results.models import OutcomeStatus
from inspraak.results.presenting import FLAG_LABELS, OUTCOME_LABELS, present

bp = Blueprint("results_manage", __name__, template_folder="templates")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

def _get(consultation_id: int) -> Consultation:
    consultation = publications.get_consultation(current_user.corporation_id, consultation_id)
    if consultation.status not in (ConsultationStatus.CLOSED, *publications.VISIBLE):
        abort(404)
    return consultation


def _publish_form(latest=None):  # noqa: ANN001, ANN202
    """The publish form; a correction starts from the newest summary with its translations."""
    # The version the publisher saw: a second press of the button (or a second publisher) finds a newer one.
    based_on = HiddenField(default=str(latest.version if latest is not None else 0))
    return texts_form({"summary": (_("Summary in plain words"), True),
                       "note": (_("What was corrected (only for a new version)"), True)},
                      {"summary": latest.summary} if latest is not None else None, {"based_on": based_on},
                      long_max=texts.MAX_LENGTH)


def _texts_form(fields: list[texts.TextField], data: dict | None):  # noqa: ANN202
    """Every translatable text side by side; a source text that is frozen is shown read only."""
    confirm = BooleanField(_l("I checked the translated quotes: nobody can be recognised from them"))
    form = texts_form({f.name: (f.label, True) for f in fields}, data, {"confirmed": confirm}, long_max=texts.MAX_LENGTH)
    for f in fields:
        if not f.source_editable:
            box = form[f"{f.name}_{f.source_language}"]
            box.render_kw = {**(box.render_kw or {}), "readonly": True}
    return form


def _back(consultation: Consultation, anchor: str = ""):  # noqa: ANN202
    return redirect(url_for(".show", consultation_id=consultation.id) + anchor)


@bp.get("")
@staff_required(Role.PUBLISHER)
def index():
    """Consultations with results to prepare or already published."""
    return render_template("results/manage/index.html", items=publications.list_for_staff(current_user.corporation_id))


@bp.get("/<int:consultation_id>")
@staff_required(Role.PUBLISHER)
def show(consultation_id: int):
    """Preview of the protected numbers, with quotes, summary, actions and versions (staff only)."""
    return _show(_get(consultation_id))


def _show(consultation: Consultation, *, outcome_form: OutcomeForm | None = None,
          failed: tuple[int, OutcomeStatusForm | QuoteForm] | None = None, publish_form: FlaskForm | None = None):  # noqa: ANN202
    """The preparation page; a refused form (an action, a quote, the publication) comes back filled in, its errors
    beside its fields (400; 409 for an action or quote someone else changed at the same moment)."""
    versions = publications.list_publications(consultation.id)
    quotes, actions = quoting.list_quotes(consultation.id), outcomes.list_outcomes(consultation.id)
    quote_forms = {q.id: QuoteForm(formdata=None, text=q.text.get(q.source_language, ""), language=q.source_language,
                                   seen=fingerprint(values=quoting.quote_values(q))) for q in quotes}
    status_forms = {o.id: OutcomeStatusForm(formdata=None, status=o.status.value, due_on=o.due_on,
                                            note=(o.status_note or {}).get(o.source_language, ""),
                                            seen=fingerprint(values=outcomes.outcome_values(o))) for o in actions}
    if failed is not None:
        (quote_forms if isinstance(failed[1], QuoteForm) else status_forms)[failed[0]] = failed[1]
    page = render_template(
        "results/manage/show.html", consultation=consultation,
        results=present(services.current_numbers(consultation)), publications=versions,
        removal=retention.removal_date(versions[-1].created_at) if versions else None,
        quotes=quotes, outcomes=actions, quote_forms=quote_forms, status_forms=status_forms,
        publish_form=publish_form or _publish_form(versions[0] if versions else None),
        outcome_form=outcome_form or OutcomeForm(), action_form=ActionForm(), languages=languages(),
        labels=OUTCOME_LABELS, flag_labels=FLAG_LABELS,
        missing=texts.completeness(texts.text_fields(consultation), [code for code, _name in languages()]))
    return page, refused_status(failed[1]) if failed else 400 if outcome_form or publish_form else 200


@bp.route("/<int:consultation_id>/texts", methods=["GET", "POST"])
@staff_required(Role.PUBLISHER)
def edit_texts(consultation_id: int):
    """Summary, correction notes, actions and quotes in every language, also after publishing."""
    consultation = _get(consultation_id)
    fields = texts.text_fields(consultation)
    form = _texts_form(fields, None if request.method == "POST" else {f.name: f.texts for f in fields})
    refused: int | None = None  # the status of a save the service refused (a clash: 409)
    if form.validate_on_submit():
        try:
            changed = texts.save_translations(consultation, fields, {f.name: texts_from(form, f.name) for f in fields},
                                              confirmed=form.confirmed.data, by=current_user, seen=form.seen.data)
        except DomainError as error:
            db.session.rollback()
            if isinstance(error, EditClash):
                show_clash(form, error)
            else:
                refuse_field(form, error)  # a text refused: also beside its box
            flash(str(error), "error")
            refused = refused_status(form)
        else:
            db.session.commit()
            flash(_("The translations have been saved.") if changed else _("Nothing was changed."), "success")
            return redirect(url_for(".edit_texts", consultation_id=consultation.id))
    return render_template("results/manage/texts.html", consultation=consultation, form=form, fields=fields,
                           languages=languages(),
                           missing=texts.completeness(fields, [code for code, _name in languages()])), \
        refused or page_status(form)


@bp.get("/<int:consultation_id>/answers")
@staff_required(Role.PUBLISHER)
def answers(consultation_id: int):
    """Free-text answers with what may identify someone, to choose quotes from."""
    consultation = _get(consultation_id)
    return render_template("results/manage/answers.html", consultation=consultation,
                           groups=quoting.review_answers(consultation), form=PickQuoteForm(),
                           flag_labels=FLAG_LABELS)


@bp.post("/<int:consultation_id>/quotes")
@staff_required(Role.PUBLISHER)
def pick_quote(consultation_id: int):
    consultation = _get(consultation_id)
    form = PickQuoteForm()
    if not form.validate_on_submit():  # nothing typed: the button's hidden fields left out or changed
        raise once.FormDamaged()
    try:  # hidden fields: anything but a whole number in the database's range is a forged form
        question_id, item = bounded_int(form.question_id.data), bounded_int(form.item.data)
    except ValueError:
        raise once.FormDamaged() from None
    sent = once.claim(by=current_user)
    quoting.pick_quote(consultation, form.response_id.data, question_id, item, by=current_user)
    flash(_("The quote was added. Check and edit it below."), "success")
    return once.finish(sent, url_for(".show", consultation_id=consultation.id, _anchor="quotes"))


@bp.post("/quotes/<int:quote_id>")
@staff_required(Role.PUBLISHER)
def edit_quote(quote_id: int):
    quote = quoting.get_quote(current_user.corporation_id, quote_id)
    form = QuoteForm()
    if not form.validate_on_submit():  # the page again, the quote as typed and the message beside it (400)
        return _show(publications.get_consultation(current_user.corporation_id, quote.consultation_id),
                     failed=(quote.id, form))
    try:
        quoting.edit_quote(quote, form.text.data, confirmed=form.confirmed.data, by=current_user, seen=form.seen.data,
                           language=form.language.data)
    except EditClash as clash:
        return _refused(quote.consultation_id, quote.id, form, clash)
    except DomainError as error:  # a text of spaces only
        db.session.rollback()
        form.text.errors.append(error.message)
        return _show(publications.get_consultation(current_user.corporation_id, quote.consultation_id),
                     failed=(quote.id, form))
    db.session.commit()
    flash(_("The quote was saved."), "success")
    return redirect(url_for(".show", consultation_id=quote.consultation_id) + "#quotes")


def _refused(consultation_id: int, item_id: int, form: QuoteForm | OutcomeStatusForm, clash: EditClash):  # noqa: ANN202
    """A quote or action someone else changed at the same moment: the page again, the form marked (409)."""
    db.session.rollback()
    show_clash(form, clash)
    flash(clash.message, "error")
    return _show(publications.get_consultation(current_user.corporation_id, consultation_id), failed=(item_id, form))


@bp.post("/quotes/<int:quote_id>/remove")
@staff_required(Role.PUBLISHER)
def remove_quote(quote_id: int):
    quote = quoting.get_quote(current_user.corporation_id, quote_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    consultation_id = quote.consultation_id
    quoting.remove_quote(quote, by=current_user)
    db.session.commit()
    return redirect(url_for(".show", consultation_id=consultation_id) + "#quotes")


@bp.post("/<int:consultation_id>/publish")
@staff_required(Role.PUBLISHER)
def publish(consultation_id: int):
    """Freeze the results as a new version and (the first time) tell everyone invited."""
    consultation = _get(consultation_id)
    form = _publish_form()
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            abort(400)
        flash(_("Please check the form."), "error")
        return _show(consultation, publish_form=form)
    try:
        publication = services.publish(consultation, summary=texts_from(form, "summary"),
                                       correction_note=texts_from(form, "note"), by=current_user,
                                       based_on=_version_number(form.based_on.raw_data))
    except DomainError as error:  # no summary or note, a quote not checked, another version meanwhile
        db.session.rollback()
        flash(str(error), "error")
        refuse_field(form, error)  # no summary or note: also beside the box of the source language
        return _show(consultation, publish_form=form)[0], error.status_code
    db.session.commit()
    flash(_("Version %(n)s of the results is published.", n=publication.version), "success")
    return _back(consultation)


def _version_number(sent: list[str] | None) -> int | None:
    """The version a publish form was shown with; None from a form without one (nothing to compare)."""
    value = sent[0] if sent else ""
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


@bp.post("/<int:consultation_id>/outcomes")
@staff_required(Role.PUBLISHER)
def add_outcome(consultation_id: int):
    consultation = _get(consultation_id)
    form = OutcomeForm()
    if not form.validate_on_submit():
        return _show(consultation, outcome_form=form)
    sent = once.claim(by=current_user)
    try:
        outcomes.add_outcome(consultation, text=form.text.data, due_on=form.due_on.data, by=current_user)
    except DomainError as error:  # not closed yet (Conflict) is said beside the text
        db.session.rollback()
        refuse_field(form, error, beside="text")
        return _show(consultation, outcome_form=form)
    return once.finish(sent, url_for(".show", consultation_id=consultation.id, _anchor="outcomes"))


@bp.post("/outcomes/<int:outcome_id>")
@staff_required(Role.PUBLISHER)
def update_outcome(outcome_id: int):
    outcome = outcomes.get_outcome(current_user.corporation_id, outcome_id)
    form = OutcomeStatusForm()
    if form.validate_on_submit():
        try:
            outcomes.update_outcome(outcome, status=OutcomeStatus(form.status.data), due_on=form.due_on.data,
                                    note=form.note.data, by=current_user, seen=form.seen.data)
        except EditClash as clash:
            return _refused(outcome.consultation_id, outcome.id, form, clash)
        except outcomes.InvalidOutcome as error:
            db.session.rollback()
            form[error.field].errors.append(error.message)
        else:
            db.session.commit()
            flash(_("The action is saved."), "success")
            return redirect(url_for(".show", consultation_id=outcome.consultation_id) + "#outcomes")
    return _show(publications.get_consultation(current_user.corporation_id, outcome.consultation_id),
                 failed=(outcome.id, form))


def _csv(rows, filename: str) -> Response:  # noqa: ANN001
    return Response(stream_with_context(exports.in_chunks(rows)), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/<int:consultation_id>/results.csv")
@staff_required(Role.PUBLISHER)
def export_results(consultation_id: int):
    """The protected numbers (the same as published) as CSV."""
    consultation = _get(consultation_id)
    return _csv(exports.aggregate_rows(services.current_numbers(consultation)), f"results-{consultation.id}.csv")


@bp.get("/<int:consultation_id>/results.xlsx")
@staff_required(Role.PUBLISHER)
def export_results_xlsx(consultation_id: int):
    """The protected numbers (the same as the CSV) as an XLSX workbook: the whole, and per area."""
    consultation = _get(consultation_id)
    workbook = exports.aggregate_workbook(services.current_numbers(consultation))
    return Response(workbook, mimetype=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="results-{consultation.id}.xlsx"'})


@bp.get("/<int:consultation_id>/responses.csv")
@staff_required(Role.PUBLISHER)
def export_responses(consultation_id: int):
    """Every response, streamed; names only for named consultations."""
    consultation = _get(consultation_id)
    if consultation.responses_removed_at is not None:
        flash(_("The answers were removed on %(date)s. Only the published numbers remain.",
                date=format_date(consultation.responses_removed_at, "long")), "error")
        return _back(consultation)
    take_write_lock(db.session)  # a GET reads in a plain transaction; its one write must not meet a stale read
    audit.record("results.responses_exported", actor=current_user, corporation_id=consultation.corporation_id,
                 obj=consultation)
    db.session.commit()
    return _csv(exports.raw_rows(consultation), f"responses-{consultation.id}.csv")
