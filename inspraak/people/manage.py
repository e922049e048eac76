"""Staff pages: overview, tenants, the tenant import, and the audit log."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import RequestEntityTooLarge

from inspraak.core import audit
from inspraak.core.db import late_write_lock
from inspraak.core.errors_views import render_error
from inspraak.core.i18n_setup import html_message, isolate
from inspraak.core.permissions import staff_required
from inspraak.core.plurals import Counted
from inspraak.core.security import bounded_int
from inspraak.extensions import db
from inspraak.people import imports, services
from inspraak.people.forms import TenantImportForm, TenantSearchForm
from inspraak.people.import_format import ALL_COLUMNS, MANDATORY_COLUMNS, Problem
from inspraak.people.models import Role
from inspraak.people.roles import audit_detail

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
    page = request.args.get("page", 1, type=bounded_int)
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
    page = max(request.args.get("page", 1, type=bounded_int), 1)
    entries = audit.list_entries(current_user.corporation_id, limit=100, offset=(page - 1) * 100)
    return render_template("people/manage/audit.html", entries=entries, page=page, detail=audit_detail)


def describe(problem: Problem) -> Markup:
    """A problem with an imported file, in the reader's language, each value from the file (a column name, a
    postcode, a person number …) isolated from the sentence: in Arabic "'1234 AB'" read "'AB 1234'"."""
    params = {name: isolate(value) if isinstance(value, str) else value for name, value in problem.params.items()}
    if isinstance(problem.template, Counted):
        return problem.template.render_html(**params)
    return html_message(_(problem.template), **params)


@bp.route("/import", methods=["GET", "POST"])
@staff_required(Role.ADMIN)
@late_write_lock  # reading the file and a check only take no write lock (SQLite): others go on saving meanwhile
def import_tenants():
    """Upload a CSV file of tenants: check it, or import it (all or nothing)."""
    form = TenantImportForm()
    result = None
    status = 200
    if form.validate_on_submit():
        data = form.file.data.read()
        try:
            result = imports.import_tenant_file(
                current_user.corporation, data, dry_run=form.dry_run.data, actor=current_user,
                partial_confirmed=form.partial_confirmed.data,
            )
        except IntegrityError:  # another import or an edit raced this one; nothing was kept
            db.session.rollback()
            form.file.errors.append(_("Someone changed tenants at the same moment. Nothing was imported. Try again."))
            status = 409
        else:
            if result.imported:
                db.session.commit()
            else:
                db.session.rollback()
                status = 400 if result.held_back or not result.ok else 200
    elif form.errors:
        status = 400
    return _import_page(form, result), status


@bp.errorhandler(RequestEntityTooLarge)
def file_too_large(error: RequestEntityTooLarge):  # noqa: ANN201
    """A file above MAX_CONTENT_LENGTH: say so on the import page itself."""
    if request.endpoint != "people_manage.import_tenants" or not current_user.is_authenticated:
        return render_error(413)
    form = TenantImportForm(formdata=None)
    megabytes = (current_app.config.get("MAX_CONTENT_LENGTH") or 0) // (1024 * 1024)
    form.file.errors = [_("The file is too large. It may be at most %(size)s MB.", size=max(megabytes, 1))]
    return _import_page(form, None), 413


def _import_page(form: TenantImportForm, result: imports.ImportResult | None) -> str:
    columns = [(name, name in MANDATORY_COLUMNS) for name in ALL_COLUMNS]
    return render_template("people/manage/import.html", form=form, result=result, describe=describe, columns=columns)
