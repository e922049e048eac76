"""Staff pages for building consultations (editor): texts, pages, questions, choices, audience, life cycle."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from inspraak.consultations import authoring, invitations, queries, support
from inspraak.consultations.forms import (
    CHANNEL_LABELS,
    QUESTION_TYPE_LABELS,
    STATUS_LABELS,
    ActionForm,
    DocumentForm,
    NewConsultationForm,
    SettingsForm,
    languages,
    proposal_url_field,
    texts_form,
    texts_from,
)
from inspraak.consultations.models import (
    AudienceScope,
    Breakdown,
    Consultation,
    ConsultationKind,
    CountingUnit,
    PrivacyMode,
)
from inspraak.consultations.validation import Form
from inspraak.core import once
from inspraak.core.edits import EditClash, fingerprint
from inspraak.core.errors import DomainError
from inspraak.core.forms import page_status, show_clash
from inspraak.core.plurals import Counted as _n
from inspraak.core.permissions import staff_required
from inspraak.core.timeutil import LOCAL_TZ
from inspraak.extensions import db
from inspraak.people.models import Complex, Neighbourhood, Role

bp = Blueprint("consultations_manage", __name__, template_folder="templates")


def get_consultation_or_404(consultation_id: int) -> Consultation:
    """The signed-in staff member's own consultation by id; 404 for one of another corporation or none."""
    return queries.get_consultation(current_user.corporation_id, consultation_id)


def check_action_form() -> None:
    """Abort with 400 unless the posted action form (CSRF token) is valid."""
    if not ActionForm().validate_on_submit():
        abort(400)


def back_to_consultation(consultation: Consultation, anchor: str = ""):  # noqa: ANN202
    """A redirect to the consultation's staff page, at ``anchor`` (e.g. ``"#pages"``)."""
    return redirect(url_for(".show", consultation_id=consultation.id) + anchor)


def show_form_error(form: Any, error: DomainError, field: str) -> None:
    """A refused save shown on its form: beside ``field``, or (a clash with someone else's save) on each box both changed."""
    if isinstance(error, EditClash):
        show_clash(form, error)
        flash(error.message, "error")
    else:
        form[field].errors.append(error.message)


def _places(model: Any) -> list[Any]:
    """The corporation's neighbourhoods by name, or complexes by number: the order the consultation shows them in."""
    first = model.name if model is Neighbourhood else model.number
    return list(db.session.scalars(sa.select(model).where(model.corporation_id == current_user.corporation_id)
                                   .order_by(first, model.id)))


@bp.get("/")
@staff_required(Role.EDITOR, Role.DATA_ENTRY)
def index():
    """Every consultation of the corporation, newest first."""
    return render_template("consultations/manage/index.html",
                           consultations=queries.list_consultations(current_user.corporation_id),
                           status_labels=STATUS_LABELS)


@bp.route("/new", methods=["GET", "POST"])
@staff_required(Role.EDITOR)
def create():
    """Start a survey or a support measurement."""
    form = NewConsultationForm(source_language=current_user.preferred_language)
    form.source_language.choices = languages()
    form.complex_id.choices = [(0, "—")] + [(c.id, c.label) for c in _places(Complex)]
    if form.validate_on_submit():
        sent = once.claim(by=current_user)
        title = {form.source_language.data: form.title.data}
        try:
            if form.kind.data == ConsultationKind.SUPPORT_MEASUREMENT.value:
                complex_ = db.session.get(Complex, form.complex_id.data or 0)
                if complex_ is None or complex_.corporation_id != current_user.corporation_id:
                    raise DomainError(_("Choose the complex of the renovation."))
                consultation = support.create_support_measurement(
                    current_user.corporation_id, complex_, title=title, source_language=form.source_language.data,
                    by=current_user)
            else:
                consultation = authoring.create_consultation(
                    current_user.corporation_id, title=title, source_language=form.source_language.data,
                    by=current_user)
        except DomainError as error:
            db.session.rollback()
            (form.complex_id if form.kind.data == "support_measurement" else form.title).errors.append(error.message)
        else:
            return once.finish(sent, url_for(".show", consultation_id=consultation.id))
    return render_template("consultations/manage/new.html", form=form), 400 if form.errors else 200


@bp.get("/<int:consultation_id>")
@staff_required(Role.EDITOR, Role.DATA_ENTRY)
def show(consultation_id: int):
    """The consultation's overview: state, texts per language, pages and questions, actions."""
    return show_page(get_consultation_or_404(consultation_id))


def show_page(consultation: Consultation, document_form: DocumentForm | None = None):  # noqa: ANN201
    """The overview; a refused proposal document (``document_form``) comes back with its message beside the file (400)."""
    rate = invitations.response_rate(consultation) if not consultation.is_draft else None
    result = support.support_result(consultation) if consultation.is_support_measurement and not consultation.is_draft else None
    return render_template(
        "consultations/manage/show.html", consultation=consultation, missing=queries.completeness(consultation),
        problems=queries.check_ready(consultation) if consultation.is_draft else [],
        questions=queries.ordered_questions(consultation), rate=rate, result=result, form=ActionForm(),
        status_labels=STATUS_LABELS, type_labels=QUESTION_TYPE_LABELS, channel_labels=CHANNEL_LABELS,
        languages=languages(), threshold=current_app.config["SUPPORT_THRESHOLD"],
        document_form=document_form or DocumentForm(),
    ), 400 if document_form else 200


@bp.route("/<int:consultation_id>/texts", methods=["GET", "POST"])
@staff_required(Role.EDITOR)
def edit_texts(consultation_id: int):
    """Title, introduction and closing text in every language, side by side."""
    consultation = get_consultation_or_404(consultation_id)
    fields = {"title": (_("Title"), False), "intro": (_("Introduction"), True), "outro": (_("Closing text"), True)}
    extra = {}
    if consultation.is_support_measurement:
        fields["proposal"] = (_("The proposal"), True)
        extra["proposal_url"] = proposal_url_field()
    data = None if request.method == "POST" else {name: getattr(consultation, name) for name in fields}
    link = {"proposal_url": consultation.proposal_url} if consultation.is_support_measurement else None
    form = texts_form(fields, data, extra, values=link)
    if request.method == "GET" and link:
        form.proposal_url.data = consultation.proposal_url
    if form.validate_on_submit():
        try:
            authoring.update_texts(
                consultation, title=texts_from(form, "title"), intro=texts_from(form, "intro"),
                outro=texts_from(form, "outro"),
                proposal=texts_from(form, "proposal") if consultation.is_support_measurement else None,
                proposal_url=form.proposal_url.data or "" if consultation.is_support_measurement else None,
                by=current_user, seen=form.seen.data)
        except DomainError as error:
            db.session.rollback()
            show_form_error(form, error, f"title_{consultation.source_language}")
        else:
            db.session.commit()
            flash(_("The texts have been saved."), "success")
            return back_to_consultation(consultation)
    return render_template("consultations/manage/texts.html", consultation=consultation, form=form,
                           fields=list(fields), languages=languages()), page_status(form)


def local_input(value: datetime | None) -> datetime | None:
    """A stored UTC time as the naive Amsterdam time a datetime-local field shows."""
    return value.astimezone(LOCAL_TZ).replace(tzinfo=None) if value else None


def from_local(value: datetime | None) -> datetime | None:
    """A naive Amsterdam time from a datetime-local field as an aware UTC time."""
    return value.replace(tzinfo=LOCAL_TZ).astimezone(timezone.utc) if value else None


@bp.route("/<int:consultation_id>/settings", methods=["GET", "POST"])
@staff_required(Role.EDITOR)
def edit_settings(consultation_id: int):
    """Audience, counting unit, privacy and dates (while a draft)."""
    consultation = get_consultation_or_404(consultation_id)
    form = SettingsForm(
        source_language=consultation.source_language, audience_scope=consultation.audience_scope.value,
        neighbourhoods=[n.id for n in consultation.neighbourhoods], complexes=[c.id for c in consultation.complexes],
        counting_unit=consultation.counting_unit.value, privacy_mode=consultation.privacy_mode.value,
        breakdown=consultation.breakdown.value,
        opens_at=local_input(consultation.opens_at), closes_at=local_input(consultation.closes_at),
        results_expected_on=consultation.results_expected_on,
        seen=fingerprint(values=authoring.settings_values(consultation)) if request.method == "GET" else None,
    )
    form.source_language.choices = languages()
    form.neighbourhoods.choices = [(n.id, n.name) for n in _places(Neighbourhood)]
    form.complexes.choices = [(c.id, c.label) for c in _places(Complex)]
    if form.validate_on_submit():
        try:
            authoring.update_settings(
                consultation, source_language=form.source_language.data,
                audience_scope=AudienceScope(form.audience_scope.data), neighbourhood_ids=form.neighbourhoods.data,
                complex_ids=form.complexes.data, counting_unit=CountingUnit(form.counting_unit.data),
                privacy_mode=PrivacyMode(form.privacy_mode.data), breakdown=Breakdown(form.breakdown.data), opens_at=from_local(form.opens_at.data),
                closes_at=from_local(form.closes_at.data), results_expected_on=form.results_expected_on.data,
                by=current_user, seen=form.seen.data)
        except DomainError as error:
            db.session.rollback()
            show_form_error(form, error, "audience_scope")
        else:
            db.session.commit()
            flash(_("The settings have been saved."), "success")
            return back_to_consultation(consultation)
    return render_template("consultations/manage/settings.html", consultation=consultation, form=form), \
        page_status(form)


# ---------------------------------------------------------------- life cycle

@bp.post("/<int:consultation_id>/open")
@staff_required(Role.EDITOR)
def open_(consultation_id: int):
    """Open: freeze who is invited and make their personal codes."""
    consultation = get_consultation_or_404(consultation_id)
    check_action_form()
    invited = invitations.open_consultation(consultation, by=current_user)
    db.session.commit()
    flash(_n("The consultation is open. %(n)s person or home is invited. Print the letters now.",
             "The consultation is open. %(n)s persons or homes are invited. Print the letters now.").render(n=invited),
          "success")
    return back_to_consultation(consultation)


@bp.post("/<int:consultation_id>/close")
@staff_required(Role.EDITOR)
def close(consultation_id: int):
    consultation = get_consultation_or_404(consultation_id)
    check_action_form()
    invitations.close_consultation(consultation, by=current_user)
    db.session.commit()
    flash(_("The consultation is closed. No more answers are stored."), "success")
    return back_to_consultation(consultation)


@bp.post("/<int:consultation_id>/status/<action>")
@staff_required(Role.EDITOR)
def change_status(consultation_id: int, action: str):
    """Archive a closed or published consultation (only the results publisher publishes)."""
    consultation = get_consultation_or_404(consultation_id)
    check_action_form()
    if action != "archive":
        abort(404)
    invitations.change_status(consultation, action, by=current_user)
    db.session.commit()
    return back_to_consultation(consultation)


@bp.post("/<int:consultation_id>/duplicate")
@staff_required(Role.EDITOR)
def duplicate(consultation_id: int):
    """Copy as a new draft (a template)."""
    consultation = get_consultation_or_404(consultation_id)
    check_action_form()
    sent = once.claim(by=current_user)
    copy_ = authoring.duplicate_consultation(consultation, by=current_user)
    flash(_("This is a copy. Check the settings before you open it."), "success")
    return once.finish(sent, url_for(".show", consultation_id=copy_.id))


def shown_language(consultation: Consultation) -> str:
    """The language a preview or paper form is shown in (``?as=tr``); 404 for one not offered."""
    lang = request.args.get("as", consultation.source_language)
    if lang not in current_app.config["LANGUAGES"]:
        abort(404)
    return lang


@bp.get("/<int:consultation_id>/preview")
@staff_required(Role.EDITOR, Role.DATA_ENTRY)
def preview(consultation_id: int):
    """Every page as a tenant sees it, in the language chosen with ?lang= (nothing is stored)."""
    consultation = get_consultation_or_404(consultation_id)
    lang = shown_language(consultation)
    with force_locale(lang):  # only what tenants read; the notice around it stays in the staff member's language
        tenant_part = Markup(render_template("consultations/manage/_preview_body.html", consultation=consultation,
                                             questions=queries.ordered_questions(consultation), values=Form()))
    return render_template("consultations/manage/preview.html", consultation=consultation, lang=lang,
                           tenant_part=tenant_part, languages=languages(),
                           missing=queries.completeness(consultation)[lang])


# More staff routes, on the same blueprint (importing a module adds its routes):
from inspraak.consultations import entry, manage_closing, manage_documents, manage_questions  # noqa: E402

_ROUTE_MODULES = (entry, manage_closing, manage_documents, manage_questions)
