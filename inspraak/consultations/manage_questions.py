"""Staff pages for building the questionnaire: pages, questions, their choices and rows, and display conditions."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from inspraak.consultations import queries, questions, structure
from inspraak.consultations.forms import (
    CONDITION_RULES,
    ActionForm,
    label_form,
    languages,
    question_form,
    section_form,
    texts_from,
)
from inspraak.consultations.manage import (back_to_consultation, bp, check_action_form, get_consultation_or_404,
                                            show_form_error)
from inspraak.consultations.models import Consultation, Question, QuestionType
from inspraak.consultations.validation import QuestionSpec, scale_bounds
from inspraak.core import once
from inspraak.core.errors import DomainError
from inspraak.core.forms import page_status
from inspraak.core.i18n import localize
from inspraak.core.permissions import staff_required
from inspraak.extensions import db
from inspraak.people.models import Role


# ---------------------------------------------------------------- conditions

def _with_condition(make: Callable[[list[tuple[str, str]]], Any], consultation: Consultation,
                    before: list[Question]) -> Any:
    """The form ``make(choices)`` builds, its condition rules choosing among the questions ``before``:
    'question N: any answer' and 'question N: <choice>'; and those questions in full (``earlier_questions``:
    number and text), which the page shows above the rules.

    A choice names its question by number only: a list cannot wrap its text, and on a 360 px phone "Question 2
    (How safe do you feel…" was cut before the answer it is about."""
    numbers = {q.id: n for n, q in enumerate(queries.ordered_questions(consultation), start=1)}
    choices = []
    for q in before:
        n = numbers[q.id]
        choices.append((f"{q.id}|", _("Question %(n)d: any answer", n=n)))
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
    form = make(choices)
    form.earlier_questions = [(numbers[q.id], localize(q.text, consultation.source_language).text) for q in before]
    return form


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
    consultation = get_consultation_or_404(consultation_id)
    check_action_form()
    sent = once.claim(by=current_user)
    structure.add_section(consultation, title={}, by=current_user)
    return once.finish(sent, url_for(".show", consultation_id=consultation.id, _anchor="pages"))


@bp.route("/<int:consultation_id>/sections/<int:section_id>", methods=["GET", "POST"])
@staff_required(Role.EDITOR)
def edit_section(consultation_id: int, section_id: int):
    """A page's title in every language, and when it is shown."""
    consultation = get_consultation_or_404(consultation_id)
    section = queries.get_section(consultation, section_id)
    before = structure.questions_before_section(section)
    data = None if request.method == "POST" else {"texts": {"title": section.title},
                                                  "plain": structure.condition_values(section.condition)}
    form = _with_condition(lambda choices: section_form(choices, data), consultation, before)
    if form.validate_on_submit():
        try:
            structure.update_section(section, title=texts_from(form, "title"),
                                     condition=_condition_from(form, consultation), seen=form.seen.data)
        except DomainError as error:
            db.session.rollback()
            show_form_error(form, error, "match")
        else:
            db.session.commit()
            flash(_("The page has been saved."), "success")
            return back_to_consultation(consultation, "#pages")
    return render_template("consultations/manage/section.html", consultation=consultation, section=section,
                           form=form, languages=languages(), rules=CONDITION_RULES), page_status(form)


@bp.post("/<int:consultation_id>/sections/<int:section_id>/move/<direction>")
@staff_required(Role.EDITOR)
def move_section(consultation_id: int, section_id: int, direction: str):
    """Move a page up or down (no JavaScript needed)."""
    consultation = get_consultation_or_404(consultation_id)
    check_action_form()
    structure.move_section(queries.get_section(consultation, section_id), -1 if direction == "up" else 1)
    db.session.commit()
    return back_to_consultation(consultation, "#pages")


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
    consultation = get_consultation_or_404(consultation_id)
    section = queries.get_section(consultation, section_id)
    before = queries.ordered_questions(consultation)
    form = _with_condition(question_form, consultation, before)
    form.meta.creates = True  # its one-time token is checked with the fields (core.forms): the question stays as typed
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
    consultation = get_consultation_or_404(consultation_id)
    question = queries.get_question(consultation, question_id)
    form = _edit_form(consultation, question, None if request.method == "POST" else _question_data(question))
    if form.validate_on_submit():
        try:
            questions.update_question(question, text=texts_from(form, "text"), help=texts_from(form, "help"),
                                      required=form.required.data, settings=_settings_from(form),
                                      condition=_condition_from(form, consultation), seen=form.seen.data)
        except DomainError as error:
            db.session.rollback()
            show_form_error(form, error, "required")
        else:
            db.session.commit()
            flash(_("The question has been saved."), "success")
            return redirect(url_for(".edit_question", consultation_id=consultation.id, question_id=question.id))
    return _question_page(consultation, question, form)


def _edit_form(consultation: Consultation, question: Question, data: dict | None, shown: bool = False) -> Any:
    """The form of an existing question: its kind fixed, a condition only on the questions before it."""
    ordered = queries.ordered_questions(consultation)
    before = ordered[: ordered.index(question)]
    form = _with_condition(lambda choices: question_form(choices, data, shown), consultation, before)
    form.type.render_kw = {"disabled": True}
    form.type.validators = []
    form.type.data = question.type.value
    return form


def _question_page(consultation: Consultation, question: Question, form: Any, refused: Any = None,
                   kind: str = "", status: int = 400) -> Any:
    """A question's page; a refused new choice or row (``refused``, of ``kind``) comes back as typed, its message
    beside the box (``status``), the question's own form as stored."""
    option_form = refused if kind == "options" else label_form(with_other=True, prefix="options")
    row_form = refused if kind == "rows" else label_form(prefix="rows")
    return render_template(
        "consultations/manage/question.html", consultation=consultation, question=question, form=form,
        languages=languages(), rules=CONDITION_RULES, action=ActionForm(), option_form=option_form, row_form=row_form,
    ), status if refused is not None else page_status(form)


@bp.post("/<int:consultation_id>/questions/<int:question_id>/move/<direction>")
@staff_required(Role.EDITOR)
def move_question(consultation_id: int, question_id: int, direction: str):
    consultation = get_consultation_or_404(consultation_id)
    check_action_form()
    structure.move_question(queries.get_question(consultation, question_id), -1 if direction == "up" else 1)
    db.session.commit()
    return back_to_consultation(consultation, "#pages")


@bp.post("/<int:consultation_id>/questions/<int:question_id>/delete")
@staff_required(Role.EDITOR)
def delete_question(consultation_id: int, question_id: int):
    consultation = get_consultation_or_404(consultation_id)
    check_action_form()
    questions.delete_question(queries.get_question(consultation, question_id))
    db.session.commit()
    flash(_("The question has been removed."), "success")
    return back_to_consultation(consultation, "#pages")


@bp.post("/<int:consultation_id>/questions/<int:question_id>/<kind>")
@staff_required(Role.EDITOR)
def add_choice(consultation_id: int, question_id: int, kind: str):
    """Add a choice (kind=options) or a matrix row (kind=rows)."""
    consultation = get_consultation_or_404(consultation_id)
    question = queries.get_question(consultation, question_id)
    form = label_form(with_other=kind == "options", prefix=kind)
    form.meta.creates = True  # its one-time token is checked with the fields (core.forms): the text stays as typed
    if kind not in ("options", "rows") or (not form.validate_on_submit() and "csrf_token" in form.errors):
        abort(400)
    if form.errors:  # a text too long: the page again, with what was typed
        return _choice_refused(consultation, question, kind, form)
    sent = once.claim(by=current_user)
    back = url_for(".edit_question", consultation_id=consultation.id, question_id=question.id, _anchor="choices")
    try:
        if kind == "options":
            questions.add_option(question, label=texts_from(form, "label"), is_other=form.is_other.data)
        else:
            questions.add_row(question, label=texts_from(form, "label"))
    except DomainError as error:  # no text in the source language, or answers came in (the form is gone then)
        db.session.rollback()
        form[f"label_{consultation.source_language}"].errors.append(error.message)
        return _choice_refused(consultation, question, kind, form, error.message, error.status_code)
    return once.finish(sent, back)


def _choice_refused(consultation: Consultation, question: Question, kind: str, form: Any, message: str = "",
                    status: int = 400) -> Any:
    """The question's page again after a new choice or row was refused: it comes back as typed, with its message
    at the top and beside the box; it went back by a redirect before, and what was typed in every language was gone."""
    flash(message or _("Please check the form."), "error")
    shown = _edit_form(consultation, question, _question_data(question), shown=True)
    return _question_page(consultation, question, shown, refused=form, kind=kind, status=status)


def _choice(question: Question, kind: str, item_id: int) -> Any:
    items = question.options if kind == "options" else question.rows if kind == "rows" else abort(404)
    item = next((i for i in items if i.id == item_id), None)
    return item if item is not None else abort(404)


@bp.route("/<int:consultation_id>/questions/<int:question_id>/<kind>/<int:item_id>", methods=["GET", "POST"])
@staff_required(Role.EDITOR)
def edit_choice(consultation_id: int, question_id: int, kind: str, item_id: int):
    """Correct the text of a choice or row in every language (allowed after the first response)."""
    consultation = get_consultation_or_404(consultation_id)
    question = queries.get_question(consultation, question_id)
    item = _choice(question, kind, item_id)
    form = label_form(None if request.method == "POST" else item.label)
    if form.validate_on_submit():
        try:
            questions.update_label(item, texts_from(form, "label"), consultation.source_language, seen=form.seen.data)
        except DomainError as error:
            db.session.rollback()
            show_form_error(form, error, f"label_{consultation.source_language}")
        else:
            db.session.commit()
            return redirect(url_for(".edit_question", consultation_id=consultation.id, question_id=question.id))
    return render_template("consultations/manage/choice.html", consultation=consultation, question=question,
                           form=form, languages=languages()), page_status(form)


@bp.post("/<int:consultation_id>/questions/<int:question_id>/<kind>/<int:item_id>/<action>")
@staff_required(Role.EDITOR)
def change_choice(consultation_id: int, question_id: int, kind: str, item_id: int, action: str):
    """Move a choice or row up or down, or remove it."""
    consultation = get_consultation_or_404(consultation_id)
    question = queries.get_question(consultation, question_id)
    item = _choice(question, kind, item_id)
    check_action_form()
    if action in ("up", "down"):
        structure.move_choice(question, kind, item, -1 if action == "up" else 1)
    elif action == "delete":
        (questions.delete_option if kind == "options" else questions.delete_row)(question, item)
    else:
        abort(404)
    db.session.commit()
    return redirect(url_for(".edit_question", consultation_id=consultation.id, question_id=question.id) + "#choices")
