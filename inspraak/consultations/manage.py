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

from inspraak.consultations import authoring, invitations, queries, questions, structure, support
from inspraak.consultations.forms import (
    CHANNEL_LABELS,
    CONDITION_RULES,
    QUESTION_TYPE_LABELS,
    STATUS_LABELS,
    ActionForm,
    DocumentForm,
    NewConsultationForm,
    SettingsForm,
    label_form,
    languages,
    proposal_url_field,
    question_form,
    section_form,
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
    Question,
    QuestionType,
)
from inspraak.consultations.validation import Form, QuestionSpec, scale_bounds
from inspraak.core import once
from inspraak.core.edits import EditClash, fingerprint
from inspraak.core.errors import DomainError
from inspraak.core.forms import show_clash
from inspraak.core.i18n import localize
from inspraak.core.plurals import Counted as _n
from inspraak.core.permissions import staff_required
from inspraak.core.timeutil import LOCAL_TZ
from inspraak.extensions import db
from inspraak.people.models import Complex, Neighbourhood, Role

bp = Blueprint("consultations_manage", __name__, template_folder="templates")


def _get(consultation_id: int) -> Consultation:
    return queries.get_consultation(current_user.corporation_id, consultation_id)


def _check_action() -> None:
    if not ActionForm().validate_on_submit():
        abort(400)


def _back(consultation: Consultation, anchor: str = ""):  # noqa: ANN202
    return redirect(url_for(".show", consultation_id=consultation.id) + anchor)


def _form_error(form: Any, error: DomainError, field: str) -> None:
    """A refused save shown on its form: beside ``field``, or (a clash with someone else's save) on each box both changed."""
    if isinstance(error, EditClash):
        show_clash(form, error)
        flash(error.message, "error")
    else:
        form[field].errors.append(error.message)


def _places(model: Any) -> list[Any]:
    return list(db.session.scalars(sa.select(model).where(model.corporation_id == current_user.corporation_id)
                                   .order_by(model.id)))


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
    consultation = _get(consultation_id)
    rate = invitations.response_rate(consultation) if not consultation.is_draft else None
    result = support.support_result(consultation) if consultation.is_support_measurement and not consultation.is_draft else None
    return render_template(
        "consultations/manage/show.html", consultation=consultation, missing=queries.completeness(consultation),
        problems=queries.check_ready(consultation) if consultation.is_draft else [],
        questions=queries.ordered_questions(consultation), rate=rate, result=result, form=ActionForm(),
        status_labels=STATUS_LABELS, type_labels=QUESTION_TYPE_LABELS, channel_labels=CHANNEL_LABELS,
        languages=languages(), threshold=current_app.config["SUPPORT_THRESHOLD"], document_form=DocumentForm(),
    )


@bp.route("/<int:consultation_id>/texts", methods=["GET", "POST"])
@staff_required(Role.EDITOR)
def edit_texts(consultation_id: int):
    """Title, introduction and closing text in every language, side by side."""
    consultation = _get(consultation_id)
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
            _form_error(form, error, f"title_{consultation.source_language}")
        else:
            db.session.commit()
            flash(_("The texts have been saved."), "success")
            return _back(consultation)
    return render_template("consultations/manage/texts.html", consultation=consultation, form=form,
                           fields=list(fields), languages=languages()), 400 if form.errors else 200


def _local_input(value: datetime | None) -> datetime | None:
    return value.astimezone(LOCAL_TZ).replace(tzinfo=None) if value else None


def _from_local(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=LOCAL_TZ).astimezone(timezone.utc) if value else None


@bp.route("/<int:consultation_id>/settings", methods=["GET", "POST"])
@staff_required(Role.EDITOR)
def edit_settings(consultation_id: int):
    """Audience, counting unit, privacy and dates (while a draft)."""
    consultation = _get(consultation_id)
    form = SettingsForm(
        source_language=consultation.source_language, audience_scope=consultation.audience_scope.value,
        neighbourhoods=[n.id for n in consultation.neighbourhoods], complexes=[c.id for c in consultation.complexes],
        counting_unit=consultation.counting_unit.value, privacy_mode=consultation.privacy_mode.value,
        breakdown=consultation.breakdown.value,
        opens_at=_local_input(consultation.opens_at), closes_at=_local_input(consultation.closes_at),
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
                privacy_mode=PrivacyMode(form.privacy_mode.data), breakdown=Breakdown(form.breakdown.data), opens_at=_from_local(form.opens_at.data),
                closes_at=_from_local(form.closes_at.data), results_expected_on=form.results_expected_on.data,
                by=current_user, seen=form.seen.data)
        except DomainError as error:
            db.session.rollback()
            _form_error(form, error, "audience_scope")
        else:
            db.session.commit()
            flash(_("The settings have been saved."), "success")
            return _back(consultation)
    return render_template("consultations/manage/settings.html", consultation=consultation, form=form), \
        400 if form.errors else 200


# ---------------------------------------------------------------- conditions

def _condition_choices(consultation: Consultation, before: list[Question]) -> list[tuple[str, str]]:
    """Choices for a condition rule: 'question N: any answer' and 'question N: <choice>'."""
    numbers = {q.id: n for n, q in enumerate(queries.ordered_questions(consultation), start=1)}
    choices = []
    for q in before:
        n = numbers[q.id]
        text = localize(q.text, consultation.source_language).text[:60]
        choices.append((f"{q.id}|", _("Question %(n)d (%(text)s): any answer", n=n, text=text)))
        values: list[tuple[str, str]] = []
        if q.type in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE, QuestionType.MATRIX):
            values = [(str(o.id), localize(o.label, consultation.source_language).text) for o in q.options]
        elif q.type in (QuestionType.YES_NO, QuestionType.AGREEMENT):
            values = [("true", _("Yes")), ("false", _("No"))]
        elif q.type in (QuestionType.SCALE, QuestionType.SCORE):
            low, high = scale_bounds(QuestionSpec(id=q.id, type=q.type.value, settings=q.settings))
            if high - low < questions.MAX_SCALE_POINTS:  # a longer scale (older data) offers "any answer" only
                values = [(str(v), str(v)) for v in range(low, high + 1)]
        choices += [(f"{q.id}|{value}", _("Question %(n)d: %(answer)s", n=n, answer=label)) for value, label in values]
    return choices


def _condition_from(form: Any, consultation: Consultation) -> dict | None:
    types = {q.id: q.type for q in consultation.questions}
    rules = []
    for n in range(1, CONDITION_RULES + 1):
        # A select's Optional() lets text of spaces through unchecked: spaces choose nothing, like "—".
        target = (form[f"rule{n}_target"].data or "").strip()
        if not target:
            continue
        qid_text, _sep, raw = target.partition("|")
        qid, op = int(qid_text), form[f"rule{n}_op"].data or "is"
        rule: dict[str, Any] = {"question": qid, "op": op}
        if op not in ("answered", "unanswered"):
            if not raw:
                raise DomainError(_("Rule %(n)d: choose an answer, not “any answer”, for this test.", n=n))
            rule["value"] = (raw == "true") if types.get(qid) in (QuestionType.YES_NO, QuestionType.AGREEMENT) \
                else int(raw) if raw.lstrip("-").isdigit() else raw
        rules.append(rule)
    return {"match": form.match.data or "all", "rules": rules} if rules else None


# ---------------------------------------------------------------- pages

@bp.post("/<int:consultation_id>/sections")
@staff_required(Role.EDITOR)
def add_section(consultation_id: int):
    """Add an empty page at the end."""
    consultation = _get(consultation_id)
    _check_action()
    sent = once.claim(by=current_user)
    structure.add_section(consultation, title={}, by=current_user)
    return once.finish(sent, url_for(".show", consultation_id=consultation.id, _anchor="pages"))


@bp.route("/<int:consultation_id>/sections/<int:section_id>", methods=["GET", "POST"])
@staff_required(Role.EDITOR)
def edit_section(consultation_id: int, section_id: int):
    """A page's title in every language, and when it is shown."""
    consultation = _get(consultation_id)
    section = queries.get_section(consultation, section_id)
    before = [q for q in queries.ordered_questions(consultation)
              if structure._section_pos(consultation, q.section_id) < section.position]
    data = None if request.method == "POST" else {"texts": {"title": section.title},
                                                  "plain": structure.condition_values(section.condition)}
    form = section_form(_condition_choices(consultation, before), data)
    if form.validate_on_submit():
        try:
            structure.update_section(section, title=texts_from(form, "title"),
                                     condition=_condition_from(form, consultation), seen=form.seen.data)
        except DomainError as error:
            db.session.rollback()
            _form_error(form, error, "match")
        else:
            db.session.commit()
            flash(_("The page has been saved."), "success")
            return _back(consultation, "#pages")
    return render_template("consultations/manage/section.html", consultation=consultation, section=section,
                           form=form, languages=languages(), rules=CONDITION_RULES), 400 if form.errors else 200


@bp.post("/<int:consultation_id>/sections/<int:section_id>/move/<direction>")
@staff_required(Role.EDITOR)
def move_section(consultation_id: int, section_id: int, direction: str):
    """Move a page up or down (no JavaScript needed)."""
    consultation = _get(consultation_id)
    _check_action()
    structure.move_section(queries.get_section(consultation, section_id), -1 if direction == "up" else 1)
    db.session.commit()
    return _back(consultation, "#pages")


# ---------------------------------------------------------------- questions

def _settings_from(form: Any) -> dict[str, Any]:
    settings: dict[str, Any] = {}
    for key in questions.LIMITS:
        if form[key].data is not None:
            settings[key] = form[key].data
    for key in ("min_label", "max_label"):
        texts = {k: v for k, v in texts_from(form, key).items() if v}
        if texts:
            settings[key] = texts
    return settings


def _question_data(question: Question) -> dict[str, Any]:
    settings = question.settings or {}
    values = questions.question_values(question)
    plain = {"type": question.type.value, **values}
    return {"texts": {"text": question.text, "help": question.help, "min_label": settings.get("min_label", {}),
                      "max_label": settings.get("max_label", {})}, "plain": plain, "values": values}


@bp.route("/<int:consultation_id>/sections/<int:section_id>/questions/new", methods=["GET", "POST"])
@staff_required(Role.EDITOR)
def add_question(consultation_id: int, section_id: int):
    """Add a question at the end of a page."""
    consultation = _get(consultation_id)
    section = queries.get_section(consultation, section_id)
    form = question_form(_condition_choices(consultation, queries.ordered_questions(consultation)))
    if form.validate_on_submit():
        sent = once.claim(by=current_user)
        try:
            question = questions.add_question(
                consultation, section, type=QuestionType(form.type.data), text=texts_from(form, "text"),
                help=texts_from(form, "help"), required=form.required.data, settings=_settings_from(form),
                by=current_user)
            condition = _condition_from(form, consultation)
            if condition:
                questions.update_question(question, text=question.text, help=question.help,
                                          required=question.required, settings=question.settings, condition=condition)
        except DomainError as error:
            db.session.rollback()
            form[f"text_{consultation.source_language}"].errors.append(error.message)
        else:
            return once.finish(sent, url_for(".edit_question", consultation_id=consultation.id, question_id=question.id))
    return render_template("consultations/manage/question.html", consultation=consultation, question=None,
                           form=form, languages=languages(), rules=CONDITION_RULES), 400 if form.errors else 200


@bp.route("/<int:consultation_id>/questions/<int:question_id>", methods=["GET", "POST"])
@staff_required(Role.EDITOR)
def edit_question(consultation_id: int, question_id: int):
    """A question's texts, rules, condition, and its choices or rows."""
    consultation = _get(consultation_id)
    question = queries.get_question(consultation, question_id)
    ordered = queries.ordered_questions(consultation)
    before = ordered[: ordered.index(question)]
    form = question_form(_condition_choices(consultation, before),
                         None if request.method == "POST" else _question_data(question))
    form.type.render_kw = {"disabled": True}
    form.type.validators = []
    form.type.data = question.type.value
    if form.validate_on_submit():
        try:
            questions.update_question(question, text=texts_from(form, "text"), help=texts_from(form, "help"),
                                      required=form.required.data, settings=_settings_from(form),
                                      condition=_condition_from(form, consultation), seen=form.seen.data)
        except DomainError as error:
            db.session.rollback()
            _form_error(form, error, "required")
        else:
            db.session.commit()
            flash(_("The question has been saved."), "success")
            return redirect(url_for(".edit_question", consultation_id=consultation.id, question_id=question.id))
    return render_template(
        "consultations/manage/question.html", consultation=consultation, question=question, form=form,
        languages=languages(), rules=CONDITION_RULES, action=ActionForm(), option_form=label_form(with_other=True, prefix="options"),
        row_form=label_form(prefix="rows"),
    ), 400 if form.errors else 200


@bp.post("/<int:consultation_id>/questions/<int:question_id>/move/<direction>")
@staff_required(Role.EDITOR)
def move_question(consultation_id: int, question_id: int, direction: str):
    consultation = _get(consultation_id)
    _check_action()
    structure.move_question(queries.get_question(consultation, question_id), -1 if direction == "up" else 1)
    db.session.commit()
    return _back(consultation, "#pages")


@bp.post("/<int:consultation_id>/questions/<int:question_id>/delete")
@staff_required(Role.EDITOR)
def delete_question(consultation_id: int, question_id: int):
    consultation = _get(consultation_id)
    _check_action()
    questions.delete_question(queries.get_question(consultation, question_id))
    db.session.commit()
    flash(_("The question has been removed."), "success")
    return _back(consultation, "#pages")


@bp.post("/<int:consultation_id>/questions/<int:question_id>/<kind>")
@staff_required(Role.EDITOR)
def add_choice(consultation_id: int, question_id: int, kind: str):
    """Add a choice (kind=options) or a matrix row (kind=rows)."""
    consultation = _get(consultation_id)
    question = queries.get_question(consultation, question_id)
    form = label_form(with_other=kind == "options", prefix=kind)
    if kind not in ("options", "rows") or not form.validate_on_submit():
        abort(400)
    sent = once.claim(by=current_user)
    back = url_for(".edit_question", consultation_id=consultation.id, question_id=question.id, _anchor="choices")
    try:
        if kind == "options":
            questions.add_option(question, label=texts_from(form, "label"), is_other=form.is_other.data)
        else:
            questions.add_row(question, label=texts_from(form, "label"))
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(back)
    return once.finish(sent, back)


def _choice(question: Question, kind: str, item_id: int) -> Any:
    items = question.options if kind == "options" else question.rows if kind == "rows" else abort(404)
    item = next((i for i in items if i.id == item_id), None)
    return item if item is not None else abort(404)


@bp.route("/<int:consultation_id>/questions/<int:question_id>/<kind>/<int:item_id>", methods=["GET", "POST"])
@staff_required(Role.EDITOR)
def edit_choice(consultation_id: int, question_id: int, kind: str, item_id: int):
    """Correct the text of a choice or row in every language (allowed after the first response)."""
    consultation = _get(consultation_id)
    question = queries.get_question(consultation, question_id)
    item = _choice(question, kind, item_id)
    form = label_form(None if request.method == "POST" else item.label)
    if form.validate_on_submit():
        try:
            questions.update_label(item, texts_from(form, "label"), consultation.source_language, seen=form.seen.data)
        except DomainError as error:
            db.session.rollback()
            _form_error(form, error, f"label_{consultation.source_language}")
        else:
            db.session.commit()
            return redirect(url_for(".edit_question", consultation_id=consultation.id, question_id=question.id))
    return render_template("consultations/manage/choice.html", consultation=consultation, question=question,
                           form=form, languages=languages()), 400 if form.errors else 200


@bp.post("/<int:consultation_id>/questions/<int:question_id>/<kind>/<int:item_id>/<action>")
@staff_required(Role.EDITOR)
def change_choice(consultation_id: int, question_id: int, kind: str, item_id: int, action: str):
    """Move a choice or row up or down, or remove it."""
    consultation = _get(consultation_id)
    question = queries.get_question(consultation, question_id)
    item = _choice(question, kind, item_id)
    _check_action()
    if action in ("up", "down"):
        authoring._lock_consultation(consultation)
        authoring._require_structure_open(consultation)
        structure.move(question.options if kind == "options" else question.rows, item, -1 if action == "up" else 1)
    elif action == "delete":
        (questions.delete_option if kind == "options" else questions.delete_row)(question, item)
    else:
        abort(404)
    db.session.commit()
    return redirect(url_for(".edit_question", consultation_id=consultation.id, question_id=question.id) + "#choices")


# ---------------------------------------------------------------- life cycle

@bp.post("/<int:consultation_id>/open")
@staff_required(Role.EDITOR)
def open_(consultation_id: int):
    """Open: freeze who is invited and make their personal codes."""
    consultation = _get(consultation_id)
    _check_action()
    invited = invitations.open_consultation(consultation, by=current_user)
    db.session.commit()
    flash(_n("The consultation is open. %(n)s person or home is invited. Print the letters now.",
             "The consultation is open. %(n)s persons or homes are invited. Print the letters now.").render(n=invited),
          "success")
    return _back(consultation)


@bp.post("/<int:consultation_id>/close")
@staff_required(Role.EDITOR)
def close(consultation_id: int):
    consultation = _get(consultation_id)
    _check_action()
    invitations.close_consultation(consultation, by=current_user)
    db.session.commit()
    flash(_("The consultation is closed. No more answers are stored."), "success")
    return _back(consultation)


@bp.post("/<int:consultation_id>/status/<action>")
@staff_required(Role.EDITOR)
def change_status(consultation_id: int, action: str):
    """Archive a closed or published consultation (only the results publisher publishes)."""
    consultation = _get(consultation_id)
    _check_action()
    if action != "archive":
        abort(404)
    invitations.change_status(consultation, action, by=current_user)
    db.session.commit()
    return _back(consultation)


@bp.post("/<int:consultation_id>/duplicate")
@staff_required(Role.EDITOR)
def duplicate(consultation_id: int):
    """Copy as a new draft (a template)."""
    consultation = _get(consultation_id)
    _check_action()
    sent = once.claim(by=current_user)
    copy_ = authoring.duplicate_consultation(consultation, by=current_user)
    flash(_("This is a copy. Check the settings before you open it."), "success")
    return once.finish(sent, url_for(".show", consultation_id=copy_.id))


def _shown_language(consultation: Consultation) -> str:
    """The language a preview or paper form is shown in (``?as=tr``); 404 for one not offered."""
    lang = request.args.get("as", consultation.source_language)
    if lang not in current_app.config["LANGUAGES"]:
        abort(404)
    return lang


@bp.get("/<int:consultation_id>/preview")
@staff_required(Role.EDITOR, Role.DATA_ENTRY)
def preview(consultation_id: int):
    """Every page as a tenant sees it, in the language chosen with ?lang= (nothing is stored)."""
    consultation = _get(consultation_id)
    lang = _shown_language(consultation)
    with force_locale(lang):  # only what tenants read; the notice around it stays in the staff member's language
        tenant_part = Markup(render_template("consultations/manage/_preview_body.html", consultation=consultation,
                                             questions=queries.ordered_questions(consultation), values=Form()))
    return render_template("consultations/manage/preview.html", consultation=consultation, lang=lang,
                           tenant_part=tenant_part, languages=languages(),
                           missing=queries.completeness(consultation)[lang])


from inspraak.consultations import entry, manage_closing, manage_documents  # noqa: E402,F401  (more staff routes)
