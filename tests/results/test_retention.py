"""Retention: raw answers, drafts, records of taking part and codes go a set time after publishing; results stay."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

import sqlalchemy as sa

from inspraak.consultations.models import Answer, Draft, Invitation, Participation, Response
from inspraak.core.audit import AuditEntry
from inspraak.core.db import utcnow
from inspraak.extensions import db
from inspraak.people.models import Corporation
from inspraak.results import publications, retention, services
from inspraak.results.models import Publication
from tests.results.conftest import full_answer


def _published_days_ago(consultation_id: int, days: int) -> None:
    db.session.execute(sa.update(Publication).where(Publication.consultation_id == consultation_id)
                       .values(created_at=utcnow() - timedelta(days=days)))
    db.session.commit()


def _count(model, consultation_id: int) -> int:  # noqa: ANN001
    if model is Answer:
        return db.session.scalar(sa.select(sa.func.count()).select_from(Answer).join(Response)
                                 .where(Response.consultation_id == consultation_id))
    return db.session.scalar(sa.select(sa.func.count()).select_from(model)
                             .where(model.consultation_id == consultation_id))


def test_answers_and_codes_go_a_year_after_publishing_and_the_results_stay(app, client, published, make_world,
                                                                          make_staff, login_tenant):
    world, staff, tenant, _outsider = published
    cid = world.consultation.id
    db.session.add(Draft(consultation_id=cid, person_id=tenant.id, answers={"1": "x"}))
    # Another consultation of the same corporation, published last month: not due yet.
    recent = make_world(db.session.get(Corporation, world.consultation.corporation_id))
    recent.answer(full_answer(recent, "a", ["a"], 4, 9, True, "3", ["a", "b", "c"], "good", "bad"))
    with app.test_request_context():
        services.publish(recent.consultation, summary={"nl": "Kort"}, correction_note=None, by=staff)
    db.session.commit()
    _published_days_ago(cid, 366)
    _published_days_ago(recent.consultation.id, 30)
    before = publications.latest_publication(cid).snapshot
    assert _count(Response, cid) == 12 and _count(Answer, cid) > 12 and _count(Participation, cid) == 12

    assert retention.due() == [cid]
    with app.test_request_context():
        [removed] = retention.remove_due()
    db.session.commit()
    assert (removed.responses, removed.participations, removed.drafts, removed.codes) == (12, 12, 1, 1)
    for model in (Response, Answer, Participation, Draft):
        assert _count(model, cid) == 0, model
    invitation = db.session.scalar(sa.select(Invitation).where(Invitation.consultation_id == cid))
    assert invitation.person_id == tenant.id and invitation.code_salt is None and invitation.code_digest is None
    consultation = db.session.get(type(world.consultation), cid)
    assert consultation.responses_removed_at is not None
    assert consultation.kept_counts["rate"] == {"invited": 1, "by_channel": {"online": 12, "paper": 0, "assisted": 0}}
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "results.answers_removed"))
    assert entry.details["responses"] == 12 and entry.details["kept_days"] == 365
    assert _count(Response, recent.consultation.id) == 1  # not due yet
    assert retention.due() == []  # done once

    # The tenant reads the same results as before; the snapshot is untouched.
    assert publications.latest_publication(cid).snapshot == before
    login_tenant(client, tenant)
    page = client.get(f"/results/{cid}?lang=en")
    assert page.status_code == 200 and "Question choice" in page.get_data(as_text=True)


def test_staff_see_the_published_numbers_and_a_correction_keeps_them(app, client, published, make_staff,
                                                                      login_staff):
    world, staff, _tenant, _outsider = published
    cid = world.consultation.id
    _published_days_ago(cid, 400)
    with app.test_request_context():
        numbers = services.current_numbers(world.consultation)
        retention.remove_due()
    db.session.commit()
    login_staff(client, staff)
    page = client.get(f"/staff/results/{cid}?lang=en").get_data(as_text=True)
    assert "The answers and personal codes were removed on" in page
    assert "Download all answers" not in page and "Choose quotes from the written answers" not in page
    exported = client.get(f"/staff/results/{cid}/responses.csv?lang=en", follow_redirects=True)
    assert "The answers were removed on" in exported.get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(client.get(f"/staff/results/{cid}/results.csv?lang=en").get_data(as_text=True))))
    assert len(rows) > 10 and all("fewer than" in r[2] or r[2].replace(",", "").isdigit() or r[2] == "hidden (protects a small group)"
                                  for r in rows[1:])
    assert services.current_numbers(db.session.get(type(world.consultation), cid)) == {
        key: value for key, value in publications.latest_publication(cid).snapshot.items() if key != "quotes"}
    response = client.post_form(f"/staff/results/{cid}/publish?lang=en",
                                {"summary_nl": "Bijna iedereen fietst nog.", "note_nl": "Samenvatting bijgewerkt."},
                                token_from=f"/staff/results/{cid}")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    latest = publications.latest_publication(cid)
    assert latest.version == 2
    assert {key: value for key, value in latest.snapshot.items() if key != "quotes"} == numbers
    # The consultation's own page (for editors) keeps its counts of who took part; its letters are gone.
    editor = client.application.test_client()
    login_staff(editor, make_staff(db.session.get(Corporation, world.consultation.corporation_id), "editor"))
    page = editor.get(f"/staff/consultations/{cid}?lang=en").get_data(as_text=True)
    assert "Took part" in page and ">12 (" in page
    letters = editor.get(f"/staff/consultations/{cid}/letters?lang=en")
    assert letters.status_code == 409 and "were removed on" in letters.get_data(as_text=True)


def test_a_published_consultation_says_when_its_answers_will_go(client, published, login_staff):
    world, staff, _tenant, _outsider = published
    _published_days_ago(world.consultation.id, 100)
    login_staff(client, staff)
    page = client.get(f"/staff/results/{world.consultation.id}?lang=en").get_data(as_text=True)
    assert "The answers and personal codes will be removed on" in page
    assert retention.due() == []


def test_the_clock_removes_what_is_due(app, runner, published):
    world, _staff, _tenant, _outsider = published
    cid = world.consultation.id  # the command ends the session: the object is detached afterwards
    _published_days_ago(cid, 366)
    result = runner.invoke(args=["inspraak", "tick", "--once"])
    assert result.exit_code == 0, result.output
    assert f"Removed the answers of consultation {cid}" in result.output
    assert "12 responses" in result.output
    assert _count(Response, cid) == 0
    assert runner.invoke(args=["inspraak", "tick", "--once"]).output == ""


def test_the_time_kept_is_configurable(app, published):
    world, _staff, _tenant, _outsider = published
    _published_days_ago(world.consultation.id, 40)
    assert retention.due() == []
    app.config["RESPONSES_KEPT_DAYS"] = 30
    try:
        assert retention.due() == [world.consultation.id]
    finally:
        app.config.pop("RESPONSES_KEPT_DAYS")
