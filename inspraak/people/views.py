"""Tenant-facing pages: my page and my account."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from inspraak.core.permissions import tenant_required
from inspraak.extensions import db
from inspraak.people import services
from inspraak.people.forms import LanguageForm

bp = Blueprint("people", __name__, template_folder="templates")


@bp.get("/my")
@tenant_required
def my_page():
    """A tenant's start page: their home and what they can take part in."""
    return render_template("people/my_page.html", person=current_user, tenancy=current_user.tenancy)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """Language and sign-out settings, for tenants and staff alike."""
    form = LanguageForm(language=current_user.preferred_language)
    if form.validate_on_submit():
        services.set_language(current_user, form.language.data, current_app.config["LANGUAGES"])
        db.session.commit()
        flash(_("Your choice has been saved."), "success")
        return redirect(url_for("people.account", lang=form.language.data))
    return render_template("people/account.html", form=form), 400 if form.errors else 200
