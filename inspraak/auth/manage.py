"""Staff pages for accounts (admin) and tenants' sign-in codes (admin, data entry)."""
from __future__ import annotations

import segno
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup
from flask_login import current_user

from inspraak.auth import services
from inspraak.auth.forms import SignOutForm, StaffAccountForm
from inspraak.core import once
from inspraak.core.edits import EditClash, fingerprint
from inspraak.core.errors import DomainError
from inspraak.core.forms import page_status, show_clash
from inspraak.core.i18n import text_direction
from inspraak.core.permissions import staff_required
from inspraak.core.security import format_code
from inspraak.extensions import db
from inspraak.people import services as people
from inspraak.people.models import Person, Role
from inspraak.people.roles import role_names

bp = Blueprint("auth_manage", __name__, template_folder="templates")


def letter_parts(person: Person, code: str) -> dict:
    """The pieces of a sign-in letter: the text in the tenant's language and in Dutch, and a QR code."""
    base = current_app.config["BASE_URL"].rstrip("/")
    short_url = base.split("://", 1)[-1] + url_for("auth.sign_in_short")
    qr_url = base + url_for("auth.sign_in_qr", code=code)
    phone = current_user.corporation.contact_phone or ""
    bodies = []
    for lang in dict.fromkeys([person.preferred_language, current_app.config["BABEL_DEFAULT_LOCALE"]]):
        with force_locale(lang):
            html = render_template(
                "auth/manage/_letter_body.html", name=person.name, code=format_code(code), short_url=short_url, phone=phone
            )
        bodies.append({"lang": lang, "dir": text_direction(lang), "html": Markup(html)})
    qr_uri = segno.make(qr_url, error="m").svg_data_uri(scale=4, border=2)
    return {"bodies": bodies, "qr_uri": qr_uri, "short_url": short_url}


@bp.get("/accounts")
@staff_required(Role.ADMIN)
def list_staff():
    """Every staff and partner account of the corporation."""
    return render_template(
        "auth/manage/accounts.html", accounts=people.list_staff(current_user.corporation_id), role_names=role_names
    )


@bp.route("/accounts/new", methods=["GET", "POST"])
@staff_required(Role.ADMIN)
def create_staff():
    """Create an account; the new colleague receives a link to choose a password."""
    form = StaffAccountForm()
    form.meta.creates = True  # a one-time token (core.once): sent twice (a double click, a resend), made once
    if form.validate_on_submit():
        sent = once.claim(by=current_user)
        try:
            staff = people.create_staff(
                current_user.corporation,
                email=form.email.data,
                name=form.name.data,
                organisation=form.organisation.data or "",
                roles={Role(value) for value in form.roles.data},
                language=form.language.data,
                created_by=current_user,
            )
            services.request_password_reset(staff.email)
        except DomainError as error:
            db.session.rollback()
            form.email.errors.append(error.message)
        else:
            flash(_("The account has been made. We sent a link to choose a password."), "success")
            return once.finish(sent, url_for("auth_manage.list_staff"))
    return render_template("auth/manage/account_form.html", form=form, account=None), 400 if form.errors else 200


@bp.route("/accounts/<int:staff_id>", methods=["GET", "POST"])
@staff_required(Role.ADMIN)
def edit_staff(staff_id: int):
    """Change roles, or stop an account from signing in (takes effect on its next request)."""
    staff = people.get_staff(current_user.corporation_id, staff_id)
    # Not obj=staff: its roles are enums, which tick no box (the page showed an account without roles).
    form = StaffAccountForm(email=staff.email, name=staff.name, organisation=staff.organisation, active=staff.active,
                            roles=[r.value for r in staff.roles], language=staff.preferred_language,
                            seen=fingerprint(values=people.staff_values(staff)) if request.method == "GET" else None)
    form.email.render_kw = {"readonly": True}
    if form.validate_on_submit():
        try:
            people.update_staff(
                staff,
                name=form.name.data,
                organisation=form.organisation.data or "",
                roles={Role(value) for value in form.roles.data},
                active=form.active.data,
                by=current_user,
                seen=form.seen.data,
            )
        except EditClash as clash:
            db.session.rollback()
            show_clash(form, clash)
            flash(clash.message, "error")
        except DomainError as error:
            db.session.rollback()
            form.roles.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("The changes have been saved."), "success")
            return redirect(url_for("auth_manage.list_staff"))
    return render_template("auth/manage/account_form.html", form=form, account=staff), page_status(form)


@bp.get("/tenants/<int:person_id>/code")
@staff_required(Role.DATA_ENTRY)
def tenant_codes(person_id: int):
    """A tenant's personal sign-in codes (never shown again after printing)."""
    person = people.get_person(current_user.corporation_id, person_id)
    return render_template(
        "auth/manage/codes.html", person=person, codes=services.list_letter_codes(person), form=SignOutForm()
    )


@bp.post("/tenants/<int:person_id>/code")
@staff_required(Role.DATA_ENTRY)
def issue_code(person_id: int):
    """Give a tenant a new code (the old one stops working) and show the letter to print."""
    person = people.get_person(current_user.corporation_id, person_id)
    if not SignOutForm().validate_on_submit():
        abort(400)
    code = services.issue_letter_code(person, current_user)
    db.session.commit()
    return render_template("auth/manage/letter.html", person=person, code=format_code(code), **letter_parts(person, code))


@bp.post("/tenants/<int:person_id>/code/revoke")
@staff_required(Role.DATA_ENTRY)
def revoke_codes(person_id: int):
    """Stop every code of a tenant from working, for example after a lost letter."""
    person = people.get_person(current_user.corporation_id, person_id)
    if not SignOutForm().validate_on_submit():
        abort(400)
    services.revoke_letter_codes(person, current_user)
    db.session.commit()
    flash(_("The codes of this tenant no longer work."), "success")
    return redirect(url_for("auth_manage.tenant_codes", person_id=person.id))
