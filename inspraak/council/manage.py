"""Staff pages: councils and members, what councils publish, and advice requests with their register."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from inspraak.core import files, once
from inspraak.core.actions import act
from inspraak.core.edits import EditClash, fingerprint
from inspraak.core.errors import DomainError
from inspraak.core.forms import keep_stored_choices, refuse_field, show_clash
from inspraak.core.permissions import staff_required
from inspraak.council import access, advice, agendas, attachments, membership, records
from inspraak.council.forms import (
    AdviceRequestForm, ButtonForm, CouncilForm, MemberForm, ReasonsForm, ResponseForm, StatutesForm,
)
from inspraak.council.models import Attachment, CouncilKind, Follows, Member, Position, RequestKind, Subject
from inspraak.council.rules import Majority, QuorumRule
from inspraak.extensions import db
from inspraak.people.models import Complex, Person, Role

bp = Blueprint("council_manage", __name__, template_folder="templates")

# Corporation staff (an admin holds every role). Partners (municipality, welfare, care) read only what
# councils have published, like tenants: ``published`` and ``show_minutes``.
CORPORATION_STAFF = (Role.EDITOR, Role.PUBLISHER, Role.DATA_ENTRY)


@bp.get("/")
@staff_required(*CORPORATION_STAFF)
def list_councils():
    """The corporation's councils and the advice register."""
    return _councils_page(CouncilForm())


def _councils_page(form: CouncilForm, status: int = 200):  # noqa: ANN202
    return render_template("council/manage/councils.html", councils=membership.list_councils(current_user.corporation_id),
                           form=form), status


@bp.post("/")
@staff_required(Role.ADMIN)
def create_council():
    """Register a tenant organisation (no complex) or a residents' committee (with a complex number)."""
    form = CouncilForm()
    if not form.validate_on_submit():  # no name, or one too long: what was typed stays
        flash(_("Please check the form."), "error")
        return _councils_page(form, 400)
    complex_ = None
    if form.complex_number.data.strip():
        complex_ = db.session.scalar(sa.select(Complex).where(
            Complex.corporation_id == current_user.corporation_id, Complex.number == form.complex_number.data.strip()))
        if complex_ is None:
            return _council_refused(form, _("There is no complex with this number."))
    kind = CouncilKind.RESIDENTS_COMMITTEE if complex_ else CouncilKind.TENANT_ORGANISATION
    sent = once.claim(by=current_user)
    try:
        council = membership.create_council(current_user.corporation, name=form.name.data, kind=kind, complex_=complex_)
    except DomainError as error:  # the complex has a committee already
        db.session.rollback()
        return _council_refused(form, error.message, error.status_code)
    return once.finish(sent, url_for("council_manage.show_council", council_id=council.id))


def _council_refused(form: CouncilForm, message: str, status: int = 400):  # noqa: ANN202
    """The councils page again, with what was typed and the message beside the complex number."""
    form.complex_number.errors.append(message)
    flash(_("Please check the form."), "error")
    return _councils_page(form, status)


@bp.get("/<int:council_id>")
@staff_required(*CORPORATION_STAFF)
def show_council(council_id: int):
    """A council as staff see it: members, what it published, and advice requests."""
    council = access.get_council(current_user.corporation_id, council_id)
    return _council_page(council)


def _council_page(council, sent: MemberForm | StatutesForm | None = None, status: int = 400):  # noqa: ANN001, ANN202
    """The council's page; a refused new member or statutes (``sent``) come back as sent, with their messages (400,
    or ``status``), the statutes' box open."""
    member_form = sent if isinstance(sent, MemberForm) else MemberForm(formdata=None)
    statutes_form = sent if isinstance(sent, StatutesForm) else _statutes_form(council)
    current, past = membership.split_terms(council)
    return render_template(
        "council/manage/council.html", council=council, member_form=member_form, button=ButtonForm(),
        statutes_form=statutes_form, statutes_open=isinstance(sent, StatutesForm), current_terms=current,
        past_terms=past, meetings=agendas.list_meetings(council, published_only=True),
        decisions=records.list_decisions(council),
        register=advice.list_register(council.corporation_id, council_id=council.id),
    ), status if sent else 200


def _statutes_form(council) -> StatutesForm:  # noqa: ANN001
    """The statutes form holding the rules of now, and their fingerprint (``core.edits``)."""
    values = membership.statute_values(council)
    return StatutesForm(formdata=None, seen=fingerprint(values=values),
                        **{name: getattr(value, "value", value) for name, value in values.items()})


@bp.post("/<int:council_id>/statutes")
@staff_required(Role.ADMIN)
def update_statutes(council_id: int):
    """Change the council's decision rules, as its statutes say."""
    council = access.get_council(current_user.corporation_id, council_id)
    form = StatutesForm()
    if not form.validate_on_submit():  # a cap that is no number from 0 to 10: every choice made stays
        keep_stored_choices(form, membership.statute_values(council))  # a choice not on the list: the rule of now
        flash(_("Please check the form."), "error")
        return _council_page(council, form)
    try:
        membership.update_statutes(
            council, by=current_user, seen=form.seen.data, quorum_rule=QuorumRule(form.quorum_rule.data),
            proxies_count_for_quorum=form.proxies_count_for_quorum.data,
            default_majority=Majority(form.default_majority.data),
            abstentions_count_as_cast=form.abstentions_count_as_cast.data, proxies_allowed=form.proxies_allowed.data,
            proxy_cap=form.proxy_cap.data, secret_ballots_allowed=form.secret_ballots_allowed.data,
        )
    except DomainError as error:  # the form comes back open, the admin's choices in it, the reason at the top
        db.session.rollback()
        if isinstance(error, EditClash):  # and the rules of now beside the choices (409)
            show_clash(form, error)
        flash(error.message, "error")
        return _council_page(council, form, error.status_code)
    db.session.commit()
    flash(_("The rules have been saved."), "success")
    return redirect(url_for("council_manage.show_council", council_id=council.id, _anchor="statutes"))


@bp.post("/<int:council_id>/members")
@staff_required(Role.ADMIN)
def add_member(council_id: int):
    """Seat a tenant on the council for a term, found by person number; a refusal keeps what was typed."""
    council = access.get_council(current_user.corporation_id, council_id)
    form = MemberForm()
    if not form.validate_on_submit():
        flash(_("Please check the form."), "error")
        return _council_page(council, form)
    person = db.session.scalar(sa.select(Person).where(
        Person.corporation_id == council.corporation_id, Person.person_number == form.person_number.data.strip()))
    if person is None:
        return _member_refused(council, form, "person_number", _("There is no tenant with this person number."))
    sent = once.claim(by=current_user)  # sent twice (a double click, the form resent): seated once
    try:
        membership.add_member(council, person, position=Position(form.position.data), term_start=form.term_start.data,
                              term_end=form.term_end.data, by=current_user)
    except (membership.MembershipRefused, membership.MembershipRaced) as error:
        db.session.rollback()
        return _member_refused(council, form, error.field, error.message, error.status_code)
    flash(_("The member has been added."), "success")
    return once.finish(sent, url_for("council_manage.show_council", council_id=council.id, _anchor="members"))


def _member_refused(council, form, field, message, status=400):  # noqa: ANN001, ANN202
    """The council page again, with what was typed and the message at the field it concerns."""
    form[field].errors.append(message)
    flash(_("Please check the form."), "error")
    return _council_page(council, form, status)


@bp.post("/<int:council_id>/members/<int:member_id>/remove")
@staff_required(Role.ADMIN)
def remove_member(council_id: int, member_id: int):
    """End a member's term at once; their access ends and the term is kept as a past term."""
    council = access.get_council(current_user.corporation_id, council_id)
    ButtonForm().validate_on_submit() or abort(400)
    member = db.session.get(Member, member_id)
    if member is None or member.council_id != council.id:
        abort(404)
    return act(lambda: membership.remove_member(member, by=current_user), _("The member has been removed."),
               url_for("council_manage.show_council", council_id=council.id, _anchor="members"))


@bp.get("/<int:council_id>/published")
@staff_required()
def published(council_id: int):
    """What a council has shared with tenants, for partners and staff: decisions, minutes, advice and responses."""
    council = access.get_council(current_user.corporation_id, council_id)
    return render_template(
        "council/published.html", council=council, minutes_endpoint="council_manage.show_minutes",
        meetings=agendas.list_meetings(council, published_only=True), decisions=records.list_decisions(council),
        register=advice.list_published_register(council),
    )


@bp.get("/minutes/<int:meeting_id>")
@staff_required()
def show_minutes(meeting_id: int):
    """Published minutes of a council meeting."""
    meeting = agendas.get_published_meeting(current_user.corporation_id, meeting_id)
    return render_template("council/minutes.html", meeting=meeting, revision=meeting.approved_revision)


@bp.route("/<int:council_id>/advice/new", methods=["GET", "POST"])
@staff_required(Role.EDITOR)
def new_request(council_id: int):
    """Send an advice, consent or information request to a council."""
    council = access.get_council(current_user.corporation_id, council_id)
    form, refusal, status = AdviceRequestForm(), None, None
    if form.validate_on_submit():
        sent = once.claim(by=current_user)
        lang = form.language.data
        try:
            item = advice.send_request(
                council, subject=Subject(form.subject.data), kind=RequestKind(form.kind.data),
                title={lang: form.title.data}, body={lang: form.body.data}, source_language=lang,
                received_on=form.received_on.data, period_days=form.period_days.data, by=current_user,
                subject_other=form.subject_other.data or "",
            )
            upload = form.document.data
            if upload and upload.filename:
                attachments.store_attachment(upload.stream, upload.filename, advice_request_id=item.id)
        except DomainError as error:  # nothing was sent: the request as typed, the message beside its field or on top
            db.session.rollback()
            refusal, status = None if refuse_field(form, error) else error.message, error.status_code
        else:
            flash(_("The request has been sent."), "success")
            return once.finish(sent, url_for("council_manage.show_request", request_id=item.id))
    return render_template("council/manage/new_request.html", council=council, form=form, refusal=refusal), \
        status or (400 if form.errors else 200)


@bp.get("/advice")
@staff_required(*CORPORATION_STAFF)
def register():
    """Every advice request with its timeline; late steps stand out."""
    return render_template("council/manage/register.html", register=advice.list_register(current_user.corporation_id))


@bp.get("/advice/<int:request_id>")
@staff_required(*CORPORATION_STAFF)
def show_request(request_id: int):
    """One request: its timeline, and the corporation's response and reasons."""
    return _request_page(advice.get_request(current_user.corporation_id, request_id))


def _request_page(item, sent: ResponseForm | ReasonsForm | None = None, status: int = 400):  # noqa: ANN001, ANN202
    """A request's page; a refused response or reasons come back as sent, with their messages (400; ``act`` answers
    a refusal by the service with its own status, 409 when another editor recorded them meanwhile)."""
    response_form = sent if isinstance(sent, ResponseForm) else ResponseForm(prefix="response")
    reasons_form = sent if isinstance(sent, ReasonsForm) else ReasonsForm(prefix="reasons")
    return render_template("council/manage/request.html", timeline=advice.timeline(item),
                           response_form=response_form, reasons_form=reasons_form), status if sent else 200


@bp.post("/advice/<int:request_id>/response")
@staff_required(Role.EDITOR)
def record_response(request_id: int):
    """Record the corporation's response to the advice."""
    item = advice.get_request(current_user.corporation_id, request_id)
    form = ResponseForm(prefix="response")
    return _save(form, item, lambda: advice.record_response(
        item, text=form.text.data, language=form.language.data, follows=Follows(form.follows.data),
        responded_on=form.responded_on.data, by=current_user),
        day=form.responded_on, day_problem=advice.response_day_problem)


@bp.post("/advice/<int:request_id>/reasons")
@staff_required(Role.EDITOR)
def send_reasons(request_id: int):
    """Record the written reasons for not following the advice fully."""
    item = advice.get_request(current_user.corporation_id, request_id)
    form = ReasonsForm(prefix="reasons")
    return _save(form, item, lambda: advice.send_reasons(item, text=form.text.data, language=form.language.data,
                                                         sent_on=form.sent_on.data, by=current_user),
                 day=form.sent_on, day_problem=advice.reasons_day_problem)


def _save(form, item, action, *, day, day_problem):  # noqa: ANN001, ANN202
    valid = form.validate_on_submit()
    if valid and (problem := day_problem(item, day.data)) is not None:  # beside the date, not at the top
        day.errors.append(problem)
        valid = False
    if not valid:  # too long, a date left out or out of range: what was typed stays
        flash(_("Please check the form."), "error")
        return _request_page(item, form)
    return act(action, _("Saved."), url_for("council_manage.show_request", request_id=item.id),
               form=form, again=lambda: _request_page(item, form), beside="text")  # recorded by someone else meanwhile


@bp.get("/documents/<int:attachment_id>")
@staff_required(*CORPORATION_STAFF)
def download_document(attachment_id: int):
    """A document of an advice request, as a download; agenda documents stay with the council."""
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.advice_request_id is None:
        abort(404)
    advice.get_request(current_user.corporation_id, attachment.advice_request_id)
    return files.download(attachments.attachment_path(attachment), attachment.content_type, attachment.original_name)
