"""Published results for tenants, partners and staff; the neighbourhood page; open data."""
from __future__ import annotations

from flask import Blueprint, abort, jsonify, render_template, url_for
from flask_login import current_user, login_required

from inspraak.consultations.models import Consultation
from inspraak.core.permissions import public, tenant_required
from inspraak.extensions import db
from inspraak.people.models import Neighbourhood
from inspraak.results import reading, texts
from inspraak.results.fragments import results_html
from inspraak.results.presenting import outcome_status

bp = Blueprint("results", __name__, template_folder="templates")
bp.add_app_template_global(outcome_status)


@bp.app_template_global()
def published_results_url(consultation: Consultation) -> str | None:
    """For a consultation's own pages (consultations/show.html): the address of its published results,
    when there are any and the signed-in user may read them; None otherwise."""
    if not current_user.is_authenticated or not reading.has_readable_results(current_user, consultation):
        return None
    return url_for("results.show", consultation_id=consultation.id)


@bp.get("/results")
@tenant_required
def my_results():
    """Results of the consultations I was asked about, and a link to my neighbourhood."""
    return render_template("results/my.html", items=reading.list_published_for(current_user),
                           neighbourhood_id=reading.neighbourhood_of(current_user))


@bp.get("/results/<int:consultation_id>")
@login_required
def show(consultation_id: int):
    """The newest published version: summary first, then each question with chart and table."""
    page = reading.results_page(current_user, consultation_id)
    latest = page.latest
    return render_template(
        "results/show.html", consultation=page.consultation, publication=latest, corrections=page.versions[:-1],
        results_html=results_html(latest, texts.published_quotes(latest), page.consultation.updated_at),
        outcomes=page.outcomes)


@bp.get("/neighbourhoods/<int:neighbourhood_id>")
@login_required
def neighbourhood(neighbourhood_id: int):
    """Published results and actions, council decisions and open consultations, for one neighbourhood."""
    hood = db.session.get(Neighbourhood, neighbourhood_id)
    if hood is None or hood.corporation_id != current_user.corporation_id:
        abort(404)
    if not current_user.is_staff and reading.neighbourhood_of(current_user) != hood.id:
        abort(404)
    published = reading.list_published_covering(hood)
    ids = [c.id for c in published]
    return render_template(
        "results/neighbourhood.html", neighbourhood=hood, published=published,
        publications=reading.latest_versions(ids), outcomes=reading.outcomes_of(ids),
        decisions=reading.council_decisions(hood, current_user),
        open_consultations=reading.list_open_covering(hood, current_user))


@bp.get("/open-data/consultations/<int:consultation_id>.json")
@public
def open_data(consultation_id: int):
    """The newest published numbers (after small-group suppression) at a stable address."""
    return jsonify(reading.open_data(consultation_id))
