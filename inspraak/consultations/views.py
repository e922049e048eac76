"""Tenant pages: my consultations, one page per section, review, and the confirmation."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, get_template_attribute, redirect, render_template, request, url_for
from markupsafe import Markup
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from inspraak.consultations import answering, conditions, documents, queries
from inspraak.consultations.answer_conversion import answers_to_form
from inspraak.consultations.answering import IncompleteAnswers, Standing
from inspraak.consultations.forms import ActionForm, AnswerError, answer_errors, limits_hint
from inspraak.consultations.models import Channel, Consultation, CountingUnit, Question
from inspraak.consultations.presenting import describe_answer
from inspraak.consultations.validation import Form, check_complete, parse_page
from inspraak.core import files
from inspraak.core.db import late_write_lock, utcnow
from inspraak.core.errors import Conflict
from inspraak.core.i18n_setup import switch_language
from inspraak.core.permissions import tenant_required
from inspraak.extensions import db

bp = Blueprint("consultations", __name__, template_folder="templates")

CLOSED_BEFORE_ANSWER = _l("This consultation is closed. You cannot answer any more.")
CLOSED_AFTER_ANSWER = _l("This consultation is closed. We received your answers. Thank you!")
HOUSEHOLD_ANSWERED = _l("Your household has answered. Each home gives one answer. Thank you!")
HOUSEHOLD_NOT_SAVED = _l("Your household has already answered. Each home gives one answer, "
                         "so what you sent was not saved.")


@bp.get("/consultations")
@tenant_required
def my_consultations():
    """The open consultations that apply to me."""
    return render_template("consultations/my.html", items=answering.list_my_consultations(current_user))


@bp.app_template_global()
def my_open_consultations() -> list[Consultation]:
    """For the tenant's start page (people/my_page.html): open consultations not answered yet."""
    return [consultation for consultation, answered in answering.list_my_consultations(current_user) if not answered]


@bp.app_template_global()
def answer_limits_hint(question: Question) -> str:
    """Under a question (answering pages, the paper form): what its answer must be, or ""."""
    return limits_hint(queries.spec_of(question))


def _load(consultation_id: int) -> Standing:
    return answering.standing_of(current_user, consultation_id)


def _state(consultation: Consultation, answered: bool, mine: bool = True) -> dict[str, Any]:
    """What the tenant may do now. ``mine``: stored answers are theirs to change (not another
    adult's of the household: those they may not read, see ``answering.Standing``)."""
    accepting = consultation.is_accepting(utcnow())
    return {"answered": answered, "accepting": accepting,
            "household": answered and consultation.counting_unit is CountingUnit.DWELLING
            and (consultation.is_anonymous or not mine),
            "may_answer": accepting and (not answered or (consultation.answers_changeable and mine))}


def _standing_state(standing: Standing) -> dict[str, Any]:
    return _state(standing.consultation, standing.answered, standing.answers_are_mine)


@bp.get("/consultations/<int:consultation_id>")
@tenant_required
def show(consultation_id: int):
    """The introduction, or a message that it is closed or answered."""
    standing = _load(consultation_id)
    state = _standing_state(standing)
    has_draft = bool(answering.answers_to_continue(standing)) if state["may_answer"] else False
    unsent = state["may_answer"] and state["answered"] and standing.draft is not None
    return render_template("consultations/show.html", consultation=standing.consultation, has_draft=has_draft,
                           unsent=unsent, **state)


def _visible(consultation: Consultation, answers: dict[int, Any]) -> tuple[list, set[int]]:
    specs = queries.specs_of(consultation)
    shown = set(conditions.visible_questions(consultation.sections, specs, answers))
    sections = [s for s in consultation.sections if any(q.section_id == s.id and q.id in shown for q in specs)]
    return sections, shown


def _page_questions(consultation: Consultation, section_id: int, shown: set[int]) -> list:
    """The questions of a page: those shown, and those whose condition waits on an answer on this page."""
    on_page = [q for q in queries.ordered_questions(consultation) if q.section_id == section_id]
    page_ids = {q.id for q in on_page}
    return [q for q in on_page if q.id in shown or conditions.referenced_questions(q.condition) & page_ids]


def _refuse(consultation: Consultation, state: dict[str, Any]):  # noqa: ANN202
    """The page that says why nothing can be stored (closed, or answered and final).

    A POST is told that what it sent was not saved; a GET (a bookmark, the back button, a
    link in a mail) only why it cannot answer, and that its answers arrived if they did.
    """
    if request.method == "POST":
        message = HOUSEHOLD_NOT_SAVED if state["accepting"] and state["household"] else None
        return render_template("consultations/closed.html", consultation=consultation, message=message, **state), 409
    if not state["accepting"]:
        message = CLOSED_AFTER_ANSWER if state["answered"] else CLOSED_BEFORE_ANSWER
    else:
        message = HOUSEHOLD_ANSWERED if state["household"] else answering.ALREADY_ANSWERED
    return render_template("consultations/closed.html", consultation=consultation, message=message, **state)


@bp.route("/consultations/<int:consultation_id>/page/<int:number>", methods=["GET", "POST"])
@tenant_required
@late_write_lock
def page(consultation_id: int, number: int):
    """One section; its answers are kept in my draft when I go on, back, save for later or change language."""
    action = "language" if request.method == "POST" and "lang" in request.form else request.form.get("action")
    if action == "language":  # first: it commits the choice, so before anything this view uses is loaded
        switch_language(request.form["lang"])
    standing = _load(consultation_id)
    consultation, unit_key = standing.consultation, standing.unit_key
    state = _standing_state(standing)
    if not state["may_answer"]:
        return _refuse(consultation, state)
    answers = answering.answers_to_continue(standing)
    sections, shown = _visible(consultation, answers)
    if not 1 <= number <= len(sections):
        return redirect(url_for(".review", consultation_id=consultation.id))
    section = sections[number - 1]
    questions = _page_questions(consultation, section.id, shown)
    specs = [queries.spec_of(q) for q in questions]
    values, errors = answers_to_form(specs, answers), {}
    if request.method == "POST":  # CSRFProtect has checked the token before the view runs
        # Saving for later, going back or changing language keeps what was typed: an open required
        # question only has to be answered before going on or sending.
        parsed, problems = parse_page(specs, request.form, require=action not in ("save", "back", "language"))
        merged = {**answers, **{qid: v for qid, v in parsed.items() if qid not in problems}}
        _sections, now_shown = _visible(consultation, merged)
        parsed = {qid: (value if qid in now_shown else None) for qid, value in parsed.items()}
        values = request.form
        errors = answer_errors({qid: p for qid, p in problems.items() if qid in now_shown})
        if not errors:
            saved = {qid: value for qid, value in {**answers, **parsed}.items() if value is not None}
            if action == "send" and number == len(_visible(consultation, saved)[0]):
                return _send(consultation, unit_key, saved, parsed)
            answering.save_draft(consultation, current_user, parsed)
            target = _after_page(consultation, number, action, saved)
            db.session.commit()
            return target
    known = {qid: value for qid, value in answers.items() if qid in shown}
    on_page = [q.id for q in questions]
    return render_template(
        "consultations/page.html", consultation=consultation, section=section, questions=questions,
        values=values, errors=errors, number=number, total=len(sections), form=ActionForm(),
        blank=_blank_questions(consultation, questions) if not values and not errors else {},
        browser_conditions={q.id: conditions.for_browser(q.condition, known, on_page) for q in questions
                            if q.condition},
    ), 400 if errors else 200


def _blank_questions(consultation: Consultation, questions: list) -> dict[int, Markup]:
    """Unanswered questions as HTML, rendered once per cached consultation and language.

    A question's HTML depends only on the question, the consultation and the reader's
    language while it holds no answer and no error, which is how most pages are first seen.
    """
    store = consultation.__dict__.get("_rendered_blank")
    if store is None:  # not a cached copy
        return {}
    language = str(get_locale())
    render = get_template_attribute("consultations/_question.html", "question")
    empty = Form()
    rendered = {}
    for question in questions:
        html = store.get((language, question.id))
        if html is None:
            html = store[(language, question.id)] = Markup(render(question, consultation, empty))
        rendered[question.id] = html
    return rendered


def _send(consultation: Consultation, unit_key: str, answers: dict[int, Any], page_answers: dict[int, Any]):  # noqa: ANN202
    """Send straight from the last page; if an earlier page still needs an answer, show the check page."""
    try:
        answering.submit_response(consultation, unit_key=unit_key, answers=answers, channel=Channel.ONLINE,
                                  person=current_user)
    except IncompleteAnswers:
        db.session.rollback()
        answering.save_draft(consultation, current_user, page_answers)
        db.session.commit()
        flash(_("Some questions still need an answer"), "error")
        return redirect(url_for(".review", consultation_id=consultation.id))
    except Conflict as problem:
        db.session.rollback()
        return _not_saved(consultation.id, problem.message)
    db.session.commit()
    return redirect(url_for(".done", consultation_id=consultation.id))


def _not_saved(consultation_id: int, message: str):  # noqa: ANN202
    """Sending lost a race (closed, or answered in another tab or by another adult of the home): why, as it
    stands now, and that nothing was saved."""
    standing = _load(consultation_id)
    state = _standing_state(standing)
    if state["accepting"] and state["household"]:
        message = str(HOUSEHOLD_NOT_SAVED)
    return render_template("consultations/closed.html", consultation=standing.consultation, message=message,
                           **state), 409


def _after_page(consultation: Consultation, number: int, action: str | None, saved: dict[int, Any]):  # noqa: ANN202
    """Where to go after saving a page (worked out before the commit, while everything is loaded)."""
    if action == "save":
        flash(_("Your answers are saved. You can continue later."), "success")
        return redirect(url_for(".show", consultation_id=consultation.id))
    if action in ("back", "language"):  # a new language shows the same page again
        shown = max(number - 1, 1) if action == "back" else number
        return redirect(url_for(".page", consultation_id=consultation.id, number=shown))
    sections, _shown = _visible(consultation, saved)
    if number < len(sections):
        return redirect(url_for(".page", consultation_id=consultation.id, number=number + 1))
    return redirect(url_for(".review", consultation_id=consultation.id))


@bp.route("/consultations/<int:consultation_id>/review", methods=["GET", "POST"])
@tenant_required
@late_write_lock
def review(consultation_id: int):
    """Check my answers, then send them."""
    standing = _load(consultation_id)
    consultation, unit_key = standing.consultation, standing.unit_key
    state = _standing_state(standing)
    if not state["may_answer"]:
        return _refuse(consultation, state)
    answers = answering.answers_to_continue(standing)
    errors: dict[int, AnswerError] = {}
    if request.method == "POST":  # CSRFProtect has checked the token before the view runs
        try:
            answering.submit_response(consultation, unit_key=unit_key, answers=answers, channel=Channel.ONLINE,
                                      person=current_user)
        except IncompleteAnswers as problem:
            db.session.rollback()
            errors = answer_errors(problem.errors)
        except Conflict as problem:
            db.session.rollback()
            return _not_saved(consultation_id, problem.message)
        else:
            db.session.commit()
            return redirect(url_for(".done", consultation_id=consultation_id))
    sections, shown = _visible(consultation, answers)
    if request.method == "GET":  # say at once which questions still need an answer (as sending would)
        missing = check_complete([spec for spec in queries.specs_of(consultation) if spec.id in shown], answers)
        errors = answer_errors(missing)
    return render_template(
        "consultations/review.html", consultation=consultation, sections=sections, shown=shown, answers=answers,
        questions=queries.ordered_questions(consultation), errors=errors, describe=describe_answer,
        form=ActionForm(),
    ), 400 if errors and request.method == "POST" else 200


@bp.get("/consultations/<int:consultation_id>/documents/<int:document_id>")
@tenant_required
def download_document(consultation_id: int, document_id: int):
    """A proposal document, for those invited (anyone else gets a 404)."""
    consultation = _load(consultation_id).consultation
    document = documents.get_document(consultation, document_id)
    return files.download(documents.document_path(document), document.content_type, document.original_name)


@bp.get("/consultations/<int:consultation_id>/done")
@tenant_required
def done(consultation_id: int):
    """Thank you: what happens next and when the results come."""
    standing = _load(consultation_id)
    # Another adult's answer for the home is not "your answers" (anonymous ones cannot be told apart).
    if not standing.answered or not (standing.answers_are_mine or standing.consultation.is_anonymous):
        return redirect(url_for(".show", consultation_id=consultation_id))
    return render_template("consultations/done.html", consultation=standing.consultation)
