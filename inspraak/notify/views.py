"""Tenant-facing mail pages: which mail I get, and stopping a kind of mail from a link in it."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from inspraak.core.errors import NotFound
from inspraak.core.permissions import public, tenant_required
from inspraak.extensions import csrf, db
from inspraak.notify import services
from inspraak.notify.forms import ButtonForm, chosen, preferences_form
from inspraak.notify.kinds import KINDS

bp = Blueprint("notify", __name__, template_folder="templates")


@bp.route("/account/mail", methods=["GET", "POST"])
@tenant_required
def preferences():
    """Switch each kind of optional mail on or off."""
    form = preferences_form(services.list_preferences(current_user.id))
    if form.validate_on_submit():
        services.set_preferences(current_user.id, chosen(form))
        db.session.commit()
        flash(_("Your choice has been saved."), "success")
        return redirect(url_for("notify.preferences"))
    essential = [kind for kind in KINDS.values() if kind.essential and kind.for_tenants]
    return render_template("notify/preferences.html", form=form, essential=essential), 400 if form.errors else 200


@bp.route("/mail/unsubscribe/<token>", methods=["GET", "POST"])
@public
@csrf.exempt  # the signed token protects it; the page's own form still sends and checks a CSRF token
def unsubscribe(token: str):
    """Stop one kind of mail without signing in: a page with a button, or a mail program's one-click POST.

    Mail programs that support RFC 8058 POST ``List-Unsubscribe=One-Click`` without a CSRF token.
    """
    try:
        _person_id, kind = services.read_unsubscribe_token(token)
    except NotFound:
        return render_template("notify/unsubscribe_invalid.html"), 404
    form = ButtonForm()
    if request.method == "POST":
        if request.form.get("List-Unsubscribe") != "One-Click":
            csrf.protect()
        services.unsubscribe(token)
        db.session.commit()
        return render_template("notify/unsubscribed.html", kind=KINDS[kind])
    return render_template("notify/unsubscribe.html", kind=KINDS[kind], form=form, token=token)
