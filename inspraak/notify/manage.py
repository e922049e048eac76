"""Staff pages for the outbox (admins): counts per kind, failed messages, sending again."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from inspraak.core.actions import act
from inspraak.core.errors import NotFound
from inspraak.core.permissions import staff_required
from inspraak.extensions import db
from inspraak.notify import services
from inspraak.notify.forms import ButtonForm
from inspraak.notify.kinds import KINDS

bp = Blueprint("notify_manage", __name__, template_folder="templates")

ADMIN = "admin"  # notify imports no other package; roles are checked by name


@bp.get("/")
@staff_required(ADMIN)
def overview():
    """How much mail is waiting, sent and failed, and which messages failed."""
    corporation_id = current_user.corporation_id
    return render_template(
        "notify/manage/outbox.html",
        counts=services.list_counts(corporation_id),
        failed=services.list_failed(corporation_id),
        oldest_waiting=services.oldest_waiting(corporation_id),
        kinds=KINDS,
        form=ButtonForm(),
    )


@bp.post("/<int:message_id>/resend")
@staff_required(ADMIN)
def resend(message_id: int):
    """Queue one failed message again."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        message = services.get_message(current_user.corporation_id, message_id)
    except NotFound:
        abort(404)
    return act(lambda: services.resend_failed(message, actor=current_user), _("The message will be sent again."),
               url_for("notify_manage.overview"))


@bp.post("/resend-failed")
@staff_required(ADMIN)
def resend_all():
    """Queue every failed message again."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    count = services.resend_all_failed(current_user.corporation_id, actor=current_user)
    db.session.commit()
    flash(ngettext("%(num)d message will be sent again.", "%(num)d messages will be sent again.", count), "success")
    return redirect(url_for("notify_manage.overview"))
