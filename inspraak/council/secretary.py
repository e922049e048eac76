"""Pages for the chair and the secretary: plan meetings, agenda, attendance, proxies, votes and minutes."""
from __future__ import annotations

from datetime import datetime, time

from flask import Blueprint, abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from inspraak.core import once
from inspraak.core.actions import act
from inspraak.core.edits import EditClash, fingerprint
from inspraak.core.errors import DomainError
from inspraak.core.forms import FlaskForm, changed_to
from inspraak.core.i18n import localize
from inspraak.core.permissions import tenant_required
from inspraak.core.timeutil import LOCAL_TZ
from inspraak.council import access, advice, agendas, attachments, membership, presence, records, voting
from inspraak.council.forms import (
    AdviceForm, AgendaItemForm, AttachmentForm, ButtonForm, CountsForm, MeetingForm, MinutesForm, MotionForm,
    OpenVoteForm, ProxyForm,
)
from inspraak.council.labels import label
from inspraak.council.models import AttendanceStatus, Ballot, Channel, ItemKind, Member, Motion, Proxy
from inspraak.council.rules import Majority, Outcome, Tally
from inspraak.extensions import db

bp = Blueprint("council_secretary", __name__, template_folder="templates")


def _local(value: datetime) -> datetime:
    """A form's naive local date-time as an aware UTC moment."""
    return value.replace(tzinfo=LOCAL_TZ)


def _manage_url(meeting_id: int, anchor: str | None = None) -> str:
    return url_for("council_secretary.manage_meeting", meeting_id=meeting_id, _anchor=anchor)


@bp.route("/<int:council_id>/meetings/new", methods=["GET", "POST"])
@tenant_required
def plan_meeting(council_id: int):
    """Plan a new meeting."""
    council, member = access.council_for_member(current_user, council_id)
    access.require_manager(member)
    form = MeetingForm()
    if form.validate_on_submit():
        sent = once.claim(by=current_user)
        try:
            meeting = agendas.plan_meeting(council, title=form.title.data, starts_at=_local(form.starts_at.data),
                                           place=form.place.data or "", online_link=form.online_link.data or "",
                                           source_language=form.language.data, by=member)
        except DomainError as error:
            db.session.rollback()
            form.place.errors = [error.message]
        else:
            return once.finish(sent, _manage_url(meeting.id))
    return render_template("council/secretary/plan_meeting.html", council=council, form=form), 400 if form.errors else 200


@bp.get("/meetings/<int:meeting_id>/manage")
@tenant_required
def manage_meeting(meeting_id: int):
    """Everything the secretary does for one meeting, on one page."""
    meeting, member = access.managed_meeting(current_user, meeting_id)
    return _meeting_page(meeting, member)


def _meeting_page(meeting, member, clash: EditClash | None = None, *,  # noqa: ANN001, ANN202
                  item_form: AgendaItemForm | None = None, minutes_form: MinutesForm | None = None,
                  proxy_form: ProxyForm | None = None, sent: tuple[str, int, FlaskForm] | None = None):
    """The meeting's page; after a clash in the attendance register, the register as its sender left it, each
    member someone else entered otherwise marked with what is stored now (409). A refused agenda item, minutes
    or proxy, or a form refused for one item or motion (``sent``: "motion" or "attachment" and the item's id, or
    "open" or "counts" and the motion's id, and the form), come back as sent, with their messages beside the fields
    (400)."""
    motions = agendas.load_agenda(meeting)
    members = membership.meeting_members(meeting)
    refused = bool(clash or item_form or minutes_form or proxy_form or sent)
    proxy_form = proxy_form or ProxyForm()
    proxy_form.giver.choices = proxy_form.holder.choices = [(m.id, m.person.name) for m in members]
    attendance = presence.list_attendance(meeting)
    seen = fingerprint(values=presence.attendance_values({m.id: attendance.get(m.id) for m in members}))
    notes = {}
    if clash is not None:
        attendance.update({int(name.removeprefix("member-")): status for name, status in clash.values.items()})
        notes = {int(name.removeprefix("member-")): changed_to(label(theirs) if theirs else _("empty"))
                 for name, _lang, theirs in clash.clashes}
        seen = clash.seen
    return render_template(
        "council/secretary/manage_meeting.html", meeting=meeting, member=member, members=members,
        attendance=attendance, attendance_seen=seen, attendance_notes=notes, proxies=presence.list_proxies(meeting),
        used=voting.votes_used_by_motion(motions), statuses=list(AttendanceStatus),
        item_form=item_form or AgendaItemForm(), motion_form=MotionForm(), sent=sent, open_form=OpenVoteForm(),
        counts_form=CountsForm(), proxy_form=proxy_form, minutes_form=minutes_form or _minutes_form(meeting),
        button=ButtonForm(), attachment_form=AttachmentForm(),
    ), 409 if clash else 400 if refused else 200


def _minutes_form(meeting) -> MinutesForm:  # noqa: ANN001
    """The minutes form holding the latest version, in its language: saved unchanged, it is no new version."""
    latest = meeting.latest_revision
    if latest is None:
        return MinutesForm(prefix="minutes")
    return MinutesForm(prefix="minutes", text=latest.text.get(latest.source_language, ""), language=latest.source_language)


@bp.post("/meetings/<int:meeting_id>/items")
@tenant_required
def add_item(meeting_id: int):
    """Add an agenda item, with an optional document."""
    meeting, member = access.managed_meeting(current_user, meeting_id)
    form = AgendaItemForm()
    if not form.validate_on_submit():  # a title too long, not only none: what was typed stays
        flash(_("Please check the form."), "error")
        return _meeting_page(meeting, member, item_form=form)

    def action() -> None:
        lang = form.language.data
        item = agendas.add_agenda_item(
            meeting, kind=ItemKind(form.kind.data), title={lang: form.title.data},
            description={lang: form.description.data or ""}, source_language=lang, presenter=form.presenter.data or "",
        )
        upload = form.document.data
        if upload and upload.filename:
            attachments.store_attachment(upload.stream, upload.filename, agenda_item_id=item.id)

    return act(action, _("The item has been added."), _manage_url(meeting.id, "agenda"), creates=True,
               form=form, again=lambda: _meeting_page(meeting, member, item_form=form))  # the item as typed, why not


@bp.post("/meetings/<int:meeting_id>/items/<int:item_id>/attachments")
@tenant_required
def add_attachment(meeting_id: int, item_id: int):
    """Attach a document to an agenda item."""
    meeting, member = access.managed_meeting(current_user, meeting_id)
    item = access.item_of(meeting, item_id)
    form = AttachmentForm()
    if not form.validate_on_submit():  # no file chosen: the page again, the message beside this item's file field
        if "csrf_token" in form.errors:
            _bad_form()
        flash(_("Please check the form."), "error")
        return _meeting_page(meeting, member, sent=("attachment", item.id, form))
    upload = form.document.data
    return act(lambda: attachments.store_attachment(upload.stream, upload.filename, agenda_item_id=item.id),
               _("The document has been added."), _manage_url(meeting.id, "agenda"), creates=True,
               form=form, again=lambda: _meeting_page(meeting, member, sent=("attachment", item.id, form)))


@bp.post("/meetings/<int:meeting_id>/items/<int:item_id>/move/<any(up, down):direction>")
@tenant_required
def move_item(meeting_id: int, item_id: int, direction: str):
    """Move an agenda item one place up or down (no JavaScript needed)."""
    meeting, _member = access.managed_meeting(current_user, meeting_id)
    item = access.item_of(meeting, item_id)
    ButtonForm().validate_on_submit() or _bad_form()
    return act(lambda: agendas.move_agenda_item(item, -1 if direction == "up" else 1),
               _("The agenda order has been changed."), _manage_url(meeting.id, f"item-{item.id}"))


def _bad_form() -> None:
    abort(400)


@bp.post("/meetings/<int:meeting_id>/<any(publish, open, close):step>")
@tenant_required
def meeting_step(meeting_id: int, step: str):
    """Publish the agenda (members are notified), open or close the session."""
    meeting, member = access.managed_meeting(current_user, meeting_id)
    ButtonForm().validate_on_submit() or _bad_form()
    actions = {
        "publish": (lambda: agendas.publish_agenda(meeting, by=member), _("The agenda is published. Members get an email.")),
        "open": (lambda: agendas.open_meeting(meeting, by=member), _("The meeting has started.")),
        "close": (lambda: agendas.close_meeting(meeting, by=member), _("The meeting is closed.")),
    }
    action, message = actions[step]
    return act(action, message, _manage_url(meeting.id))


@bp.post("/meetings/<int:meeting_id>/attendance")
@tenant_required
def register_attendance(meeting_id: int):
    """Save the attendance register."""
    meeting, member = access.managed_meeting(current_user, meeting_id)
    ButtonForm().validate_on_submit() or _bad_form()
    entries = {}
    for other in meeting.council.members:
        value = request.form.get(f"member-{other.id}")
        if value in {s.value for s in AttendanceStatus}:
            entries[other.id] = AttendanceStatus(value)
    return act(lambda: presence.register_attendance(meeting, entries, by=member, seen=request.form.get("seen")),
               _("The attendance register has been saved."), _manage_url(meeting.id, "attendance"),
               clash=lambda clash: _meeting_page(meeting, member, clash))


@bp.post("/meetings/<int:meeting_id>/proxies")
@tenant_required
def record_proxy(meeting_id: int):
    """Record a written proxy."""
    meeting, member = access.managed_meeting(current_user, meeting_id)
    form = ProxyForm()
    ids = [m.id for m in meeting.council.members]
    form.giver.choices = form.holder.choices = [(i, str(i)) for i in ids]
    if not form.validate_on_submit():  # what was chosen stays, with the message beside the field
        flash(_("Choose both members and the date of the proxy."), "error")
        return _meeting_page(meeting, member, proxy_form=form)
    giver, holder = db.session.get(Member, form.giver.data), db.session.get(Member, form.holder.data)
    signed = datetime.combine(form.signed_on.data, time(12), tzinfo=LOCAL_TZ)
    return act(lambda: presence.record_proxy(meeting, giver, holder, signed_on=signed, by=member),
               _("The proxy has been recorded."), _manage_url(meeting.id, "proxies"))


@bp.post("/meetings/<int:meeting_id>/proxies/<int:proxy_id>/withdraw")
@tenant_required
def withdraw_proxy(meeting_id: int, proxy_id: int):
    """Withdraw a proxy that has not been used."""
    meeting, member = access.managed_meeting(current_user, meeting_id)
    ButtonForm().validate_on_submit() or _bad_form()
    proxy = db.session.get(Proxy, proxy_id)
    if proxy is None or proxy.meeting_id != meeting.id:
        _not_found()
    return act(lambda: presence.withdraw_proxy(proxy, by=member), _("The proxy has been withdrawn."),
               _manage_url(meeting.id, "proxies"))


def _not_found() -> None:
    abort(404)


@bp.post("/meetings/<int:meeting_id>/items/<int:item_id>/motions")
@tenant_required
def propose_motion(meeting_id: int, item_id: int):
    """Put a motion on a decision or advice item."""
    meeting, member = access.managed_meeting(current_user, meeting_id)
    item = access.item_of(meeting, item_id)
    form = MotionForm()
    if not form.validate_on_submit():  # no text, or too long: what was typed stays, in this item's box
        flash(_("Please check the form."), "error")
        return _meeting_page(meeting, member, sent=("motion", item.id, form))
    return act(lambda: voting.propose_motion(
        item, text={form.language.data: form.text.data}, source_language=form.language.data,
        ballot=Ballot(form.ballot.data), channel=Channel(form.channel.data),
        majority=Majority(form.majority.data) if form.majority.data else None,
    ), _("The motion has been added."), _manage_url(meeting.id, f"item-{item.id}"), creates=True)


@bp.post("/meetings/<int:meeting_id>/motions/<int:motion_id>/open")
@tenant_required
def open_vote(meeting_id: int, motion_id: int):
    """Open voting on a motion."""
    meeting, member = access.managed_meeting(current_user, meeting_id)
    motion = access.motion_of(meeting, motion_id)
    form = OpenVoteForm()
    if not form.validate_on_submit():  # what was typed stays, with the message beside the field
        flash(_("Check the closing time."), "error")
        return _meeting_page(meeting, member, sent=("open", motion.id, form))
    closes_at = _local(form.closes_at.data) if form.closes_at.data else None
    return act(lambda: voting.open_vote(motion, closes_at=closes_at, by=member), _("Voting is open."),
               _manage_url(meeting.id, f"motion-{motion.id}"))


@bp.post("/meetings/<int:meeting_id>/motions/<int:motion_id>/close")
@tenant_required
def close_vote(meeting_id: int, motion_id: int):
    """Close voting; for a show of hands with the counts entered."""
    meeting, member = access.managed_meeting(current_user, meeting_id)
    motion = access.motion_of(meeting, motion_id)
    counts = None
    if motion.channel is Channel.SHOW_OF_HANDS:
        form = CountsForm()
        if not form.validate_on_submit():  # the counts typed stay, each message beside its count
            flash(_("Enter the number of votes for, against and abstain."), "error")
            return _meeting_page(meeting, member, sent=("counts", motion.id, form))
        counts = Tally(form.votes_for.data, form.votes_against.data, form.abstentions.data)
    else:
        ButtonForm().validate_on_submit() or _bad_form()
    return act(lambda: voting.close_vote(motion, by=member, counts=counts), _("Voting is closed."),
               _manage_url(meeting.id, f"motion-{motion.id}"))


@bp.post("/meetings/<int:meeting_id>/minutes")
@tenant_required
def save_minutes(meeting_id: int):
    """Save a new revision of the minutes."""
    meeting, member = access.managed_meeting(current_user, meeting_id)
    form = MinutesForm(prefix="minutes")
    if not form.validate_on_submit():  # empty, or too long: what was typed stays
        flash(_("Please check the form."), "error")
        return _meeting_page(meeting, member, minutes_form=form)
    return act(lambda: records.save_minutes(meeting, {form.language.data: form.text.data},
                                            source_language=form.language.data, by=member),
               lambda revision: _("The minutes have been saved.") if revision else
               _("The minutes are the same as the latest version: no new version was saved."),
               _manage_url(meeting.id, "minutes"), creates=True, form=form,
               again=lambda: _meeting_page(meeting, member, minutes_form=form), beside="text")  # approved meanwhile


@bp.post("/meetings/<int:meeting_id>/minutes/<any(approve, publish):step>")
@tenant_required
def minutes_step(meeting_id: int, step: str):
    """Approve the minutes, or publish them to tenants."""
    meeting, member = access.managed_meeting(current_user, meeting_id)
    ButtonForm().validate_on_submit() or _bad_form()
    if step == "approve":
        return act(lambda: records.approve_minutes(meeting, by=member), _("The minutes are approved."),
                   _manage_url(meeting.id, "minutes"))
    return act(lambda: records.publish_minutes(meeting, by=member), _("The minutes and decisions are published."),
               _manage_url(meeting.id, "minutes"))


def _motion_choice(motion: Motion) -> str:
    """An adopted motion as the secretary knows it: meeting, agenda item and its words (not its number)."""
    item = motion.agenda_item
    words = localize(motion.text, motion.source_language).text
    return " · ".join([item.meeting.title, localize(item.title, item.source_language).text,
                       words if len(words) <= 80 else words[:79] + "…"])


@bp.route("/<int:council_id>/advice/<int:request_id>", methods=["GET", "POST"])
@tenant_required
def advice_request(council_id: int, request_id: int):
    """An advice request as the council sees it; the chair or secretary sends the advice."""
    council, member = access.council_for_member(current_user, council_id)
    item = advice.get_request(council.corporation_id, request_id)
    if item.council_id != council.id:
        _not_found()
    form = AdviceForm()
    motions = [m for meeting in agendas.list_meetings(council) for i in meeting.items for m in i.motions
               if m.result and m.result.outcome is Outcome.ADOPTED]
    form.motion_id.choices = [(0, _("None"))] + [(m.id, _motion_choice(m)) for m in motions]
    form.consultation_id.choices = [(0, _("None"))] + [
        (c.id, localize(c.title, c.source_language).text) for c in advice.consultation_choices(council.corporation_id)]
    if form.validate_on_submit():
        access.require_manager(member)
        motion = next((m for m in motions if m.id == form.motion_id.data), None)

        def action() -> None:
            advice.link_request(item, meeting=motion.agenda_item.meeting if motion else None, motion=motion,
                                consultation_id=form.consultation_id.data or None, by=member)
            advice.send_advice(item, text=form.text.data, language=form.language.data, sent_on=form.sent_on.data,
                               no_objection=form.no_objection.data, by=member)

        return act(action, _("The advice has been recorded as sent."),
                   url_for("council_secretary.advice_request", council_id=council.id, request_id=item.id))
    return render_template("council/advice_request.html", council=council, member=member,
                           timeline=advice.timeline(item), form=form), 400 if form.errors else 200
