"""Staff pages for reaching tenants: letters, mail, reminders, paper forms and answers entered by staff."""
from __future__ import annotations

import segno
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from inspraak.consultations import addressing, answering, invitations, queries
from inspraak.consultations.answer_conversion import answers_to_form
from inspraak.consultations.answering import IncompleteAnswers
from inspraak.consultations.forms import (
    ActionForm,
    CodeForm,
    FindInvitationForm,
    PersonForm,
    answer_errors,
    languages,
)
from inspraak.consultations.manage import (back_to_consultation, bp, check_action_form, get_consultation_or_404,
                                            shown_language)
from inspraak.consultations.models import Channel, Consultation, ConsultationStatus, Invitation
from inspraak.consultations.validation import Form
from inspraak.core import once
from inspraak.core.errors import Conflict, DomainError, NotFound
from inspraak.core.i18n import localize, text_direction
from inspraak.core.permissions import staff_required
from inspraak.core.security import bounded_int, format_code, normalize_code
from inspraak.core.timeutil import local_today
from inspraak.extensions import db
from inspraak.people import services as people
from inspraak.people.models import Role

LETTERS_PER_PAGE = 100
FOUND_LIMIT = 20  # invitations shown for a search for a lost code


def _letter(consultation: Consultation, invitation: Invitation, who: addressing.Addressee | None, short_url: str,
            phone: str) -> dict | None:
    """One letter: the address, the code, a QR code that signs in, the text in the tenant's language and Dutch."""
    if who is None:
        return None
    code = invitations.code_of(invitation)
    base = current_app.config["BASE_URL"].rstrip("/")
    bodies = []
    for lang in dict.fromkeys([who.language, current_app.config["BABEL_DEFAULT_LOCALE"]]):
        with force_locale(lang):
            html = render_template(
                "consultations/manage/_letter_body.html", consultation=consultation, name=who.greeting_name(),
                title=localize(consultation.title, consultation.source_language, lang).text,
                code=format_code(code), short_url=short_url, phone=phone, replaces=invitation.code_generation > 1,
            )
        bodies.append({"lang": lang, "dir": text_direction(lang), "html": Markup(html)})
    qr_uri = segno.make(base + url_for("auth.sign_in_qr", code=code), error="m").svg_data_uri(scale=4, border=2)
    return {"who": who, "code": format_code(code), "bodies": bodies, "qr_uri": qr_uri}


def _get_opened(consultation_id: int) -> Consultation:
    """A consultation that has been opened (it has invitations and codes); 404 for a draft.

    Raises:
        Conflict: its personal codes were removed (a set time after the results were published).
    """
    consultation = get_consultation_or_404(consultation_id)
    if consultation.is_draft:
        abort(404)
    if consultation.responses_removed_at is not None:
        raise Conflict(_("The answers and personal codes of this consultation were removed on %(date)s.",
                         date=format_date(consultation.responses_removed_at, "long")))
    return consultation


def _code_error(error: DomainError) -> str:
    """A refused paper-form code as staff should read it: the tenant's "already answered, thank you" as a fact."""
    if isinstance(error, Conflict) and error.message == str(answering.ALREADY_ANSWERED):
        return _("This code has been used: this person or home has answered already.")
    return error.message


def _person_error(error: DomainError) -> str:
    """A refused tenant, when answering with them, as staff should read it (not the tenant's "thank you")."""
    if isinstance(error, Conflict) and error.message == str(answering.ALREADY_ANSWERED):
        return _("This person or home has answered already. Only one answer counts.")
    return error.message


def _letter_contacts() -> tuple[str, str]:
    """The short sign-in address and the corporation's phone number printed on every letter."""
    base = current_app.config["BASE_URL"].rstrip("/")
    return base.split("://", 1)[-1] + url_for("auth.sign_in_short"), current_user.corporation.contact_phone or ""


@bp.get("/<int:consultation_id>/letters")
@staff_required(Role.EDITOR, Role.DATA_ENTRY)
def letters(consultation_id: int):
    """Print-ready letters, A4, one per page, 100 per batch; ``?open=1`` only for who has not answered."""
    consultation = _get_opened(consultation_id)
    if consultation.status is not ConsultationStatus.OPEN:  # a letter asks its reader to answer
        raise Conflict(_("This consultation is not open, so no letters can be printed: they would ask tenants to "
                         "answer it."))
    page = max(request.args.get("page", 1, type=bounded_int), 1)
    only_open = request.args.get("open") == "1"
    batch = invitations.list_invitations(consultation, only_open=only_open, page=page, per_page=LETTERS_PER_PAGE)
    short_url, phone = _letter_contacts()
    who = addressing.addressees(batch, local_today())
    items = [letter for letter in (_letter(consultation, i, w, short_url, phone) for i, w in zip(batch, who, strict=True))
             if letter]
    return render_template("consultations/manage/letters.html", consultation=consultation, letters=items,
                           page=page, only_open=only_open, more=len(batch) == LETTERS_PER_PAGE)


@bp.get("/<int:consultation_id>/codes")
@staff_required(Role.EDITOR, Role.DATA_ENTRY)
def find_code(consultation_id: int):
    """Find an invited person or household whose letter was lost (search by GET: nothing changes)."""
    consultation = _get_opened(consultation_id)
    form = FindInvitationForm(request.args, meta={"csrf": False})
    found = None
    if "query" in request.args and form.validate():
        matches = invitations.find_invitations(consultation, form.query.data, limit=FOUND_LIMIT)
        answered = invitations.taken_part_among(consultation.id, [i.unit_key for i in matches])
        found = [(i, who, i.unit_key in answered)
                 for i, who in zip(matches, addressing.addressees(matches, local_today()), strict=True)]
    return render_template("consultations/manage/codes.html", consultation=consultation, form=form, found=found,
                           limit=FOUND_LIMIT, action=ActionForm()), 400 if form.errors else 200


@bp.post("/<int:consultation_id>/invitations/<int:invitation_id>/reissue")
@staff_required(Role.EDITOR, Role.DATA_ENTRY)
def reissue_code(consultation_id: int, invitation_id: int):
    """Make a new code for a lost letter: the old code stops working; then print the new letter."""
    consultation = get_consultation_or_404(consultation_id)
    invitation = invitations.get_invitation(consultation, invitation_id)
    check_action_form()
    generation = request.form.get("generation", type=bounded_int)
    if generation is None:  # the code's hidden generation left out or changed by hand
        raise once.FormDamaged()
    sent = once.claim(by=current_user)
    try:
        invitations.reissue_code(consultation, invitation, generation=generation, by=current_user)
    except Conflict as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for(".find_code", consultation_id=consultation.id))
    flash(_("The old code no longer works. Print this letter and send it."), "success")
    return once.finish(sent, url_for(".letter", consultation_id=consultation.id, invitation_id=invitation_id))


@bp.get("/<int:consultation_id>/invitations/<int:invitation_id>/letter")
@staff_required(Role.EDITOR, Role.DATA_ENTRY)
def letter(consultation_id: int, invitation_id: int):
    """One letter, to print again (after a new code was made, for example)."""
    consultation = _get_opened(consultation_id)
    invitation = invitations.get_invitation(consultation, invitation_id)
    short_url, phone = _letter_contacts()
    item = _letter(consultation, invitation, addressing.addressee(invitation, local_today()), short_url, phone)
    return render_template("consultations/manage/letters.html", consultation=consultation,
                           letters=[item] if item else [], page=1, only_open=False, more=False, single=True)


@bp.post("/<int:consultation_id>/mail/<kind>")
@staff_required(Role.EDITOR)
def send_mail(consultation_id: int, kind: str):
    """Mail the invitations (once) or a reminder to who has not answered (once)."""
    consultation = get_consultation_or_404(consultation_id)
    check_action_form()
    if kind not in ("invitations", "reminders"):
        abort(404)
    sent = addressing.send_invitations(consultation, reminder=kind == "reminders", by=current_user)
    db.session.commit()
    flash(addressing.EMAILS_WAITING.render(n=sent), "success")
    return back_to_consultation(consultation)


@bp.get("/<int:consultation_id>/paper")
@staff_required(Role.EDITOR, Role.DATA_ENTRY)
def paper_form(consultation_id: int):
    """A blank form to print, in one language (``?as=tr``)."""
    consultation = get_consultation_or_404(consultation_id)
    lang = shown_language(consultation)
    with force_locale(lang):
        return render_template("consultations/manage/paper.html", consultation=consultation, lang=lang,
                               questions=queries.ordered_questions(consultation), values=Form(),
                               languages=languages())


def _entry_page(consultation: Consultation, hidden: dict, values, errors: dict, *, helped=None, status: int = 200):  # noqa: ANN001, ANN202
    """A paper form's answers to type in, or (``helped``: the tenant) the answers given with a tenant's help."""
    return render_template(
        "consultations/manage/entry_form.html", consultation=consultation, hidden=hidden, values=values,
        errors=answer_errors(errors), questions=queries.ordered_questions(consultation),
        form=ActionForm(), helped=helped, shown_code=format_code(hidden["code"]) if "code" in hidden else None,
    ), status


@bp.route("/entry", methods=["GET", "POST"])
@staff_required(Role.DATA_ENTRY)
def entry():
    """Paper forms: type the code of a returned form, then its answers."""
    form = CodeForm()
    if form.validate_on_submit():
        try:
            invitation = answering.invitation_for_entry(current_user.corporation_id, normalize_code(form.code.data))
        except DomainError as error:
            db.session.rollback()
            form.code.errors.append(_code_error(error))
        else:
            return _entry_page(invitation.consultation, {"code": normalize_code(form.code.data)}, Form(), {})
    return render_template("consultations/manage/entry.html", form=form), 400 if form.errors else 200


@bp.post("/entry/answers")
@staff_required(Role.DATA_ENTRY)
def save_entry():
    """Store the answers of a paper form; the code is then used and the channel is paper.

    Saved twice (a double click, the browser sending it again), it leads to the next form once
    more. Refused (someone else entered this code meanwhile, or it closed), it says so beside the code.
    """
    form = ActionForm(meta={"creates": True})
    if not form.validate_on_submit() and "csrf_token" in form.errors:
        abort(400)
    damaged = bool(form.errors)  # its one-time token (core.forms): the answers come back as typed, nothing saved
    sent = None if damaged else once.claim(by=current_user)
    code = normalize_code(request.form.get("code", ""))
    try:
        invitation = answering.invitation_for_entry(current_user.corporation_id, code)
        consultation = queries.get_consultation(current_user.corporation_id, invitation.consultation_id)
        # A question the tenant left blank on paper stays without an answer, required or not: refusing
        # the form would lose every other answer on it.
        answers, errors = answering.parse_all(consultation, request.form, blanks_allowed=True)
        if not errors and not damaged:
            answering.submit_response(consultation, unit_key=invitation.unit_key, answers=answers,
                                      channel=Channel.PAPER, person=invitation.person, entered_by=current_user,
                                      blanks_allowed=True)
    except IncompleteAnswers as problem:
        errors = problem.errors
    except DomainError as error:
        db.session.rollback()
        form = CodeForm(formdata=None, code=format_code(code))
        form.code.errors = [_code_error(error)]
        return render_template("consultations/manage/entry.html", form=form), error.status_code
    if not errors and not damaged:
        flash(_("The form has been saved. Type the code of the next form."), "success")
        return once.finish(sent, url_for(".entry"))
    db.session.rollback()  # nothing saved, the token with it: the form can be sent again
    return _entry_page(consultation, {"code": code}, request.form, errors, status=400)


@bp.route("/<int:consultation_id>/assist", methods=["GET", "POST"])
@staff_required(Role.DATA_ENTRY)
def assist(consultation_id: int):
    """Answer together with a tenant at the door or by phone: find the tenant first."""
    consultation = get_consultation_or_404(consultation_id)
    form = PersonForm()
    if form.validate_on_submit():
        try:
            person = _person_by_number(form.person_number.data)
            answering.invitation_for_person(consultation, person)
        except (NotFound, Conflict) as error:
            db.session.rollback()
            form.person_number.errors.append(_person_error(error))
        else:
            existing = answering.stored_answers(consultation, invitations.unit_key_for(consultation, person))
            values = answers_to_form(queries.specs_of(consultation), existing)
            return _entry_page(consultation, {"person_number": person.person_number}, values, {}, helped=person)
    return render_template("consultations/manage/assist.html", consultation=consultation, form=form), \
        400 if form.errors else 200


def _person_by_number(number: str):  # noqa: ANN202
    from inspraak.people.models import Person

    person = db.session.scalar(
        db.select(Person).where(Person.corporation_id == current_user.corporation_id,
                                Person.person_number == number.strip())
    )
    if person is None or not person.is_current(local_today()):
        raise NotFound(_("There is no current tenant with this person number."))
    return people.get_person(current_user.corporation_id, person.id)


@bp.post("/<int:consultation_id>/assist/answers")
@staff_required(Role.DATA_ENTRY)
def save_assisted(consultation_id: int):
    """Store the answers given with help; the channel is 'assisted'."""
    consultation = get_consultation_or_404(consultation_id)
    form = ActionForm(meta={"creates": True})
    if not form.validate_on_submit() and "csrf_token" in form.errors:
        abort(400)
    damaged = bool(form.errors)  # its one-time token (core.forms): the answers come back as typed, nothing saved
    sent = None if damaged else once.claim(by=current_user)
    number = request.form.get("person_number", "")
    try:
        person = _person_by_number(number)
        invitation = answering.invitation_for_person(consultation, person)
        answers, errors = answering.parse_all(consultation, request.form)
        if not errors and not damaged:
            answering.submit_response(consultation, unit_key=invitation.unit_key, answers=answers,
                                      channel=Channel.ASSISTED, person=person, entered_by=current_user)
    except IncompleteAnswers as problem:
        errors = problem.errors
    except DomainError as error:
        db.session.rollback()
        form = PersonForm(formdata=None, person_number=number)
        form.person_number.errors = [_person_error(error)]
        return render_template("consultations/manage/assist.html", consultation=consultation, form=form), \
            error.status_code
    if not errors and not damaged:
        flash(_("The answers have been saved."), "success")
        return once.finish(sent, url_for(".show", consultation_id=consultation.id))
    db.session.rollback()  # nothing saved, the token with it: the form can be sent again
    return _entry_page(consultation, {"person_number": person.person_number}, request.form, errors,
                       helped=person, status=400)
