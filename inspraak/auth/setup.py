"""Flask-Login wiring: sessions are looked up on the server on every request."""
from __future__ import annotations

from flask import Flask, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import LoginManager

from inspraak.auth import sessions


def init_login(app: Flask, login_manager: LoginManager) -> None:
    login_manager.session_protection = None  # the server-side session row is the protection

    @login_manager.user_loader
    def load_user(token: str):  # noqa: ANN202
        return sessions.load_session_account(token)

    @login_manager.unauthorized_handler
    def unauthorized():  # noqa: ANN202
        staff_area = request.path.startswith("/staff")
        target = "auth.staff_sign_in" if staff_area else "auth.sign_in"
        flash(_("Please sign in first."), "info")
        return redirect(url_for(target, next=request.full_path.rstrip("?")))
