"""Tenant-facing council pages: members' meetings and votes, and the published minutes and decisions."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from inspraak.core import files
from inspraak.core.db import utcnow
from inspraak.core.errors import DomainError
from inspraak.core.permissions import tenant_required
from inspraak.council import access, advice, agendas, membership, records, voting
from inspraak.council.forms import VoteForm
from inspraak.council.labels import label
from inspraak.council.models import Attachment, MeetingStatus, Motion
from inspraak.council.rules import Choice
from inspraak.extensions import db

bp = Blueprint("council", __name__, template_folder="templates")


@bp.app_context_processor
def _council_helpers() -> dict:
    return {"council_label": label}


@bp.app_template_filter("council_choice")
def _council_choice(value: str) -> Choice:
    return Choice(value)


@bp.get("/")
@tenant_required
def my_councils():
    """The councils the tenant sits on, and the councils that speak for them."""
    memberships = access.list_my_memberships(current_user)
    serving = [c for c in membership.list_councils(current_user.corporation_id) if access.council_serves(c, current_user)]
    return render_template("council/my_councils.html", memberships=memberships, serving=serving)


@bp.get("/<int:council_id>")
@tenant_required
def show_council(council_id: int):
    """A member's view of their council: meetings and advice requests."""
    council, member = access.council_for_member(current_user, council_id)
    meetings = agendas.list_meetings(council)
    register = advice.list_register(council.corporation_id, council_id=council.id)
    return render_template("council/council.html", council=council, member=member, meetings=meetings, register=register)


@bp.get("/meetings/<int:meeting_id>")
@tenant_required
def show_meeting(meeting_id: int):
    """The agenda of a meeting, with the motions a member can vote on."""
    meeting, member = access.meeting_for_member(current_user, meeting_id)
    if meeting.status is MeetingStatus.PLANNED and not member.manages:
        abort(404)
    return _meeting_page(meeting, member)


def _meeting_page(meeting, member, vote_error: tuple[int, int | None] | None = None) -> str:  # noqa: ANN001
    """The meeting's agenda; ``vote_error`` names the vote form (motion, proxy giver) sent without a choice."""
    motions = agendas.load_agenda(meeting)
    rights, interim, used, voted = voting.overview(motions, member, meeting)
    names = {m.id: m.person.name for m in meeting.council.members}
    return render_template("council/meeting.html", meeting=meeting, member=member, rights=rights, names=names, now=utcnow(),
                           interim=interim, used=used, voted=voted, form=VoteForm(), votes_here=member.is_active(meeting.day),
                           vote_error=vote_error)


@bp.post("/motions/<int:motion_id>/vote")
@tenant_required
def cast_vote(motion_id: int):
    """Cast one vote, for oneself or as a proxy holder; the choice is never logged."""
    motion = db.session.get(Motion, motion_id) or abort(404)
    meeting, member = access.meeting_for_member(current_user, motion.agenda_item.meeting_id)
    form = VoteForm()
    if not form.validate_on_submit():
        if form.for_member.errors:  # not a form of the page (no member number): the meeting, and why; nothing counted
            flash(_("This vote form does not name a member. Please vote again from this page."), "error")
            return _meeting_page(meeting, member), 400
        # Sent without a choice: the page again, the message in that vote's own box (where focus goes).
        return _meeting_page(meeting, member, vote_error=(motion.id, form.for_member_id())), 400
    try:
        voting.cast_vote(motion.id, member, Choice(form.choice.data), for_member_id=form.for_member_id())
    except DomainError as error:  # cast already, voting closed meanwhile, no such member or proxy: the meeting, and why
        db.session.rollback()
        flash(error.message, "error")
        return _meeting_page(meeting, member), error.status_code
    db.session.commit()
    flash(_("Your vote has been counted."), "success")
    return redirect(url_for("council.show_meeting", meeting_id=meeting.id, _anchor=f"motion-{motion.id}"))


@bp.get("/attachments/<int:attachment_id>")
@tenant_required
def download_attachment(attachment_id: int):
    """A document for members of the council only, always as a download."""
    from inspraak.council.attachments import attachment_path

    attachment = db.session.get(Attachment, attachment_id) or abort(404)
    council_id = (attachment.agenda_item.meeting.council_id if attachment.agenda_item_id
                  else advice.get_request(current_user.corporation_id, attachment.advice_request_id).council_id)
    access.council_for_member(current_user, council_id)
    return files.download(attachment_path(attachment), attachment.content_type, attachment.original_name)


@bp.get("/<int:council_id>/published")
@tenant_required
def published(council_id: int):
    """What a council has shared with tenants: minutes, decisions, advice and responses."""
    council = access.public_council(current_user, council_id)
    return render_template(
        "council/published.html", council=council,
        meetings=agendas.list_meetings(council, published_only=True), decisions=records.list_decisions(council),
        register=advice.list_published_register(council),
    )


@bp.get("/minutes/<int:meeting_id>")
@tenant_required
def show_minutes(meeting_id: int):
    """The approved minutes of a meeting, once published."""
    meeting = agendas.get_published_meeting(current_user.corporation_id, meeting_id)
    access.public_council(current_user, meeting.council_id)
    return render_template("council/minutes.html", meeting=meeting, revision=meeting.approved_revision)

