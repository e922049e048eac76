"""Sign-in and sign-out pages for tenants and staff."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from inspraak.auth import services, sessions
from inspraak.auth.forms import (
    ConfirmLinkForm,
    EmailLinkForm,
    ForgotPasswordForm,
    LetterCodeForm,
    ResetPasswordForm,
    SignOutForm,
    StaffSignInForm,
)
from inspraak.core.errors import DomainError, NotAllowed
from inspraak.core.i18n import LANG_CHOSEN_SESSION_KEY, LANG_SESSION_KEY
from inspraak.core.permissions import public
from inspraak.core.security import normalize_code, safe_next, token_digest
from inspraak.extensions import db, limiter

bp = Blueprint("auth", __name__, template_folder="templates")


def _address_limit() -> str:
    return current_app.config["SIGNIN_LIMIT_PER_ADDRESS"]


def _account_limit() -> str:
    return current_app.config["SIGNIN_LIMIT_PER_ACCOUNT"]


def _account_key() -> str:
    """The account a sign-in attempt is for: the email, or the code (as a digest)."""
    email = (request.form.get("email") or "").strip().lower()
    if email:
        return "account:" + email
    return "code:" + token_digest(normalize_code(request.form.get("code") or ""))[:32]


ADDRESS_SCOPE, ACCOUNT_SCOPE = "sign-in-address", "sign-in-account"

# Every attempt takes its place in the counters before it is checked (one atomic increment), so
# guesses sent at the same moment cannot all slip in before the first failure is counted. Only
# failed attempts keep their place (and every request for a mailed link): the others give it back
# (give_back_unfailed_attempts), so a community centre, an office or a proxy where many tenants
# share one address is not locked out by successful sign-ins, nor by attempts already refused.
per_address = limiter.limit(_address_limit, methods=["POST"], scope=ADDRESS_SCOPE)
per_account = limiter.limit(_account_limit, key_func=_account_key, methods=["POST"], scope=ACCOUNT_SCOPE)


@bp.after_request
def give_back_unfailed_attempts(response: Response) -> Response:
    """An attempt the view did not mark as failed (``g.sign_in_failed``) leaves the sign-in counters as they were."""
    if not g.get("sign_in_failed"):
        for limit in limiter.current_limits:
            if limit.request_args[-1].endswith((ADDRESS_SCOPE, ACCOUNT_SCOPE)):
                limiter.limiter.hit(limit.limit, *limit.request_args, cost=-1)
    return response


def _complete_sign_in(account, method: str, default_next: str):  # noqa: ANN001
    """Start a fresh session (never reuse the old one) and go where the user was heading.

    A language chosen before signing in is the user's choice and is saved to their profile, as it
    would be once signed in; one merely left by someone who signed out here is not.
    """
    lang = session.get(LANG_SESSION_KEY)
    chosen = session.get(LANG_CHOSEN_SESSION_KEY)
    if current_user.is_authenticated:
        sessions.end_session(current_user.session_token)
    session.clear()
    if lang:
        session[LANG_SESSION_KEY] = lang
        if chosen:
            account.preferred_language = lang
    sessions.start_session(account, method)
    login_user(account)
    db.session.commit()
    return redirect(safe_next(request.form.get("next") or request.args.get("next"), default_next))


@bp.get("/sign-in")
@public
def sign_in():
    """The tenant sign-in page: a letter code or an email link."""
    code_form = LetterCodeForm(next=request.args.get("next", ""))
    return render_template("auth/sign_in.html", code_form=code_form, email_form=EmailLinkForm())


@bp.get("/code")
@public
def sign_in_short():
    """The short address printed on letters."""
    return redirect(url_for("auth.sign_in"))


@bp.get("/c/<code>")
@public
def sign_in_qr(code: str):
    """Where a letter's QR code leads: the code is filled in, one press signs in."""
    form = LetterCodeForm(code=normalize_code(code)[:40])
    return render_template("auth/confirm_code.html", form=form)


@bp.post("/sign-in/code")
@public
@per_address
@per_account
def sign_in_with_code():
    """Sign a tenant in with the personal code from a letter."""
    code_form = LetterCodeForm()
    if code_form.validate_on_submit():
        try:
            match = services.authenticate_letter_code(code_form.code.data)
        except DomainError as error:
            g.sign_in_failed = True
            db.session.rollback()
            code_form.code.errors.append(error.message)
        else:
            return _complete_sign_in(match.person, "letter_code", match.next_url or url_for("core.home"))
    return render_template("auth/sign_in.html", code_form=code_form, email_form=EmailLinkForm()), 400


@bp.post("/sign-in/email")
@public
@per_address
@per_account
def send_sign_in_link():
    """Mail a sign-in link; the answer is the same whether the address is known or not."""
    email_form = EmailLinkForm()
    if not email_form.validate_on_submit():
        return render_template("auth/sign_in.html", code_form=LetterCodeForm(), email_form=email_form), 400
    g.sign_in_failed = True  # every request for a link counts towards the account's limit
    services.request_sign_in_link(email_form.email.data)
    db.session.commit()
    # A page of its own: its language menu, a reload or the back button do not send the form again.
    return redirect(url_for("auth.link_sent"), 303)


@bp.get("/sign-in/email/sent")
@public
def link_sent():
    """Look in your mail (shown to everyone who asked, whether the address is known or not)."""
    return render_template("auth/link_sent.html", minutes=current_app.config["SIGNIN_LINK_MINUTES"])


@bp.get("/sign-in/code")
@bp.get("/sign-in/email")
@public
def back_to_sign_in():
    """The addresses the sign-in forms are sent to, opened as a page (the language menu of a refused
    form, a bookmark): the sign-in page, with the language and where the visitor was going."""
    kept = {key: request.args[key] for key in ("lang", "next") if request.args.get(key)}
    return redirect(url_for("auth.sign_in", **kept))


@bp.route("/sign-in/link/<token>", methods=["GET", "POST"])
@public
@per_address
def email_link(token: str):
    """Ask to confirm, then use a sign-in link once."""
    form = ConfirmLinkForm()
    try:
        if form.validate_on_submit():
            person = services.redeem_sign_in_link(token)
            return _complete_sign_in(person, "email_link", url_for("core.home"))
        services.check_sign_in_link(token)
    except DomainError as error:
        db.session.rollback()
        g.sign_in_failed = True
        return render_template("auth/link_invalid.html", message=error.message), 410
    return render_template("auth/confirm_link.html", form=form, token=token)


@bp.route("/staff/sign-in", methods=["GET", "POST"])
@public
@per_address
@per_account
def staff_sign_in():
    """Staff sign in with email and password."""
    form = StaffSignInForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            staff = services.authenticate_staff(form.email.data, form.password.data)
        except DomainError as error:
            g.sign_in_failed = True
            form.password.errors.append(error.message)
            return render_template("auth/staff_sign_in.html", form=form), 400
        return _complete_sign_in(staff, "password", url_for("people_manage.dashboard"))
    status = 400 if form.errors else 200
    return render_template("auth/staff_sign_in.html", form=form), status


@bp.route("/staff/password/forgot", methods=["GET", "POST"])
@public
@per_address
@per_account
def forgot_password():
    """Mail a password reset link; the same answer for known and unknown addresses."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        g.sign_in_failed = True
        services.request_password_reset(form.email.data)
        db.session.commit()
        return render_template("auth/reset_sent.html")
    return render_template("auth/forgot_password.html", form=form), 400 if form.errors else 200


@bp.route("/staff/password/reset/<token>", methods=["GET", "POST"])
@public
@per_address
def reset_password(token: str):
    """Choose a new password with a reset link."""
    form = ResetPasswordForm()
    try:
        services.check_password_reset_link(token)
        if form.validate_on_submit():
            services.reset_password(token, form.password.data)
            db.session.commit()
            flash(_("Your password has been changed. Sign in with your new password."), "success")
            return redirect(url_for("auth.staff_sign_in"))
    except NotAllowed as error:
        db.session.rollback()
        g.sign_in_failed = True
        return render_template("auth/link_invalid.html", message=error.message), 410
    except DomainError as error:
        db.session.rollback()
        form.password.errors.append(error.message)
    return render_template("auth/reset_password.html", form=form, token=token), 400 if form.errors else 200


@bp.post("/sign-out")
@public
def sign_out():
    """End this browser's session on the server."""
    form = SignOutForm()
    lang = _reading_language()
    if form.validate_on_submit() and current_user.is_authenticated:
        sessions.end_session(current_user.session_token)
        db.session.commit()
    logout_user()
    _clear_session(keep_language=lang)
    flash(_("You are signed out."), "success")
    return redirect(url_for("core.home"))


@bp.post("/sign-out/everywhere")
@login_required
def sign_out_everywhere():
    """End every session of this account, on every device."""
    form = SignOutForm()
    lang = _reading_language()
    if form.validate_on_submit():
        sessions.end_all_sessions(current_user._get_current_object())
        db.session.commit()
    logout_user()
    _clear_session(keep_language=lang)
    flash(_("You are signed out on all your devices."), "success")
    return redirect(url_for("core.home"))


def _reading_language() -> str | None:
    """The language the visitor reads in now, so that signing out does not switch it back to Dutch."""
    if current_user.is_authenticated and current_user.preferred_language:
        return current_user.preferred_language
    return session.get(LANG_SESSION_KEY)


def _clear_session(keep_language: str | None) -> None:
    session.clear()
    if keep_language:
        session[LANG_SESSION_KEY] = keep_language
