"""The home page and the health check."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from inspraak.core.permissions import public

bp = Blueprint("core", __name__)


@bp.get("/")
@public
def home():
    """Welcome page; signed-in people go to their own start page."""
    if current_user.is_authenticated:
        return redirect(url_for("people_manage.dashboard" if current_user.is_staff else "people.my_page"))
    return render_template("core/home.html")


@bp.get("/health")
@public
def health():
    """For load balancers: the app answers."""
    return {"status": "ok"}
