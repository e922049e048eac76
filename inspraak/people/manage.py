"""Staff pages: overview, tenants, and the audit log."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from inspraak.core import audit
from inspraak.core.permissions import staff_required
from inspraak.people import services
from inspraak.people.forms import TenantSearchForm
from inspraak.people.models import Role

bp = Blueprint("people_manage", __name__, template_folder="templates")


@bp.get("/")
@staff_required()
def dashboard():
    """The staff start page."""
    counts = services.corporation_counts(current_user.corporation_id)
    return render_template("people/manage/dashboard.html", counts=counts)


@bp.get("/tenants")
@staff_required(Role.EDITOR, Role.DATA_ENTRY)
def list_tenants():
    """Search current tenants."""
    form = TenantSearchForm(request.args)
    query = form.q.data or "" if form.validate() else ""
    page = request.args.get("page", 1, type=int)
    result = services.list_tenants(current_user.corporation_id, query, page=page)
    return render_template("people/manage/tenants.html", form=form, result=result, query=query)


@bp.get("/tenants/<int:person_id>")
@staff_required(Role.EDITOR, Role.DATA_ENTRY)
def show_tenant(person_id: int):
    """One tenant and their household."""
    person = services.get_person(current_user.corporation_id, person_id)
    return render_template("people/manage/tenant.html", person=person)


@bp.get("/audit")
@staff_required(Role.ADMIN)
def audit_log():
    """What staff and the system did, newest first."""
    page = max(request.args.get("page", 1, type=int), 1)
    entries = audit.list_entries(current_user.corporation_id, limit=100, offset=(page - 1) * 100)
    return render_template("people/manage/audit.html", entries=entries, page=page)
