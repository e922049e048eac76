"""The closing time: the clock closes what is due; editors move it (with a reason) or open once more."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from inspraak.consultations import invitations
from inspraak.consultations.closing import auto_close_due
from inspraak.consultations.models import Consultation, ConsultationStatus, Invitation
from inspraak.core.audit import AuditEntry
from inspraak.core.errors import InvalidTransition
from inspraak.core.db import utcnow
from inspraak.core.timeutil import LOCAL_TZ
from inspraak.extensions import db
from inspraak.notify.models import OutboxMessage


def _local(delta: timedelta) -> str:
    """A datetime-local form value, Amsterdam time, ``delta`` from now.

    Added in UTC: added to the Dutch clock, five minutes before 03:01 on the day summer time starts was
    02:56, an hour that does not exist there, read as 03:56, in the future.
    """
    return (utcnow() + delta).astimezone(LOCAL_TZ).strftime("%Y-%m-%dT%H:%M")


def _status(survey_id: int) -> ConsultationStatus:
    db.session.expire_all()
    return db.session.get(Consultation, survey_id).status


def _set_closing(survey_id: int, when: datetime) -> None:
    db.session.execute(sa.update(Consultation).where(Consultation.id == survey_id)
                       .values(opens_at=when - timedelta(days=1), closes_at=when))
    db.session.commit()


def _audit(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action)))


def _answer(app, client, survey) -> None:  # noqa: ANN001
    page = f"/consultations/{survey.id}/page/1"
    client.post_form(page, {f"q{survey.choice}": str(survey.car), "action": "next"}, token_from=page)
    client.post_form(f"/consultations/{survey.id}/page/2", {f"q{survey.score}": "7", "action": "next"},
                     token_from=page)
    assert client.post_form(f"/consultations/{survey.id}/review", {}, token_from=page).status_code == 302


# ---------------------------------------------------------------- the clock

def test_the_clock_closes_consultations_whose_closing_time_passed(app, runner, editor, make_tenant, make_survey):
    make_tenant(editor.corporation)
    due = make_survey(editor, closes_at=utcnow() + timedelta(days=1))
    later = make_survey(editor, closes_at=utcnow() + timedelta(days=1))
    endless = make_survey(editor)
    _set_closing(due.id, utcnow() - timedelta(minutes=1))
    result = runner.invoke(args=["inspraak", "tick", "--once"])
    assert result.exit_code == 0, result.output
    assert f"Closed consultation {due.id}" in result.output
    assert _status(due.id) is ConsultationStatus.CLOSED
    assert _status(later.id) is ConsultationStatus.OPEN and _status(endless.id) is ConsultationStatus.OPEN
    [entry] = _audit("consultation.closed")
    assert entry.actor_kind == "system" and entry.details == {"scheduled": True}
    assert runner.invoke(args=["inspraak", "tick", "--once"]).output == ""  # nothing left to do


def test_the_clock_leaves_a_closing_time_moved_later_in_the_meantime(app, editor, make_tenant, make_survey):
    make_tenant(editor.corporation)
    survey = make_survey(editor, closes_at=utcnow() + timedelta(hours=2))
    # The clock's "now" lies after the closing time it read, but the row says later when locked.
    assert auto_close_due(utcnow() + timedelta(hours=1)) == []
    assert _status(survey.id) is ConsultationStatus.OPEN


def test_staff_see_a_consultation_closed_by_the_clock_as_closed(app, client, runner, editor, make_tenant,
                                                                  make_survey, login_staff):
    make_tenant(editor.corporation)
    survey = make_survey(editor, closes_at=utcnow() + timedelta(days=1))
    _set_closing(survey.id, utcnow() - timedelta(seconds=1))
    runner.invoke(args=["inspraak", "tick", "--once"])
    login_staff(client, editor)
    html = client.get(f"/staff/consultations/{survey.id}?lang=en").get_data(as_text=True)
    assert "Archive" in html and "Close now" not in html


# ---------------------------------------------------------------- moving the closing time

def test_an_editor_extends_the_closing_time_with_a_reason(app, client, editor, make_tenant, make_survey, login_staff):
    make_tenant(editor.corporation, email="a@example.org")
    survey = make_survey(editor, closes_at=utcnow() + timedelta(days=1))
    login_staff(client, editor)
    page = f"/staff/consultations/{survey.id}/closing"
    assert client.get(page + "?lang=en").status_code == 200
    r = client.post_form(page, {"closes_at": _local(timedelta(days=14)), "reason": "Zomervakantie"}, token_from=page)
    assert r.status_code == 302
    db.session.expire_all()
    closes_at = db.session.get(Consultation, survey.id).closes_at
    assert closes_at - utcnow() > timedelta(days=13)
    [entry] = _audit("consultation.closing_changed")
    assert entry.details["reason"] == "Zomervakantie" and entry.details["mails"] == 0
    assert entry.actor_id == editor.id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0


def test_shortening_may_tell_only_those_who_have_not_answered(app, client, editor, make_tenant, make_survey,
                                                              login_staff, login_tenant):
    answered = make_tenant(editor.corporation, email="klaar@example.org")
    make_tenant(editor.corporation, email="nog-niet@example.org", language="tr")
    make_tenant(editor.corporation)  # no address: nothing to send
    survey = make_survey(editor, closes_at=utcnow() + timedelta(days=20))
    login_tenant(client, answered)
    _answer(app, client, survey)
    staff = app.test_client()
    login_staff(staff, editor)
    page = f"/staff/consultations/{survey.id}/closing"
    r = staff.post_form(page, {"closes_at": _local(timedelta(days=3)), "reason": "Besluit valt eerder",
                               "notify": "y"}, token_from=page)
    assert r.status_code == 302
    [mail] = db.session.scalars(sa.select(OutboxMessage)).all()
    assert mail.to_address == "nog-niet@example.org" and mail.kind == "consultation_closing_changed"
    assert mail.language == "tr" and "/c/" in mail.body_text and "nasıl" in mail.subject
    assert _audit("consultation.closing_changed")[0].details["mails"] == 1


@pytest.mark.parametrize(("data", "message"), [
    ({"closes_at": "", "reason": "x"}, "Fill this in."),
    ({"closes_at": "morgen", "reason": "x"}, "Choose a date and time."),
    ({"closes_at": None, "reason": "  "}, "Write why the closing time changes."),
    ({"closes_at": None, "reason": "x" * 501}, "Write at most 500 characters."),
])
def test_bad_closing_input_is_refused_with_a_message(app, client, editor, make_tenant, make_survey, login_staff,
                                                       data, message):
    make_tenant(editor.corporation)
    survey = make_survey(editor, closes_at=utcnow() + timedelta(days=1))
    login_staff(client, editor)
    page = f"/staff/consultations/{survey.id}/closing?lang=en"
    data = {**data, "closes_at": _local(timedelta(days=5)) if data["closes_at"] is None else data["closes_at"]}
    r = client.post_form(page, data, token_from=page)
    assert r.status_code == 400 and message in r.get_data(as_text=True)
    assert _audit("consultation.closing_changed") == []


def test_a_closing_time_in_the_past_is_refused(app, client, editor, make_tenant, make_survey, login_staff):
    make_tenant(editor.corporation)
    survey = make_survey(editor, closes_at=utcnow() + timedelta(days=1))
    login_staff(client, editor)
    page = f"/staff/consultations/{survey.id}/closing?lang=en"
    r = client.post_form(page, {"closes_at": _local(timedelta(minutes=-5)), "reason": "Oeps"}, token_from=page)
    assert r.status_code == 400 and "Choose a closing time in the future." in r.get_data(as_text=True)
    assert _status(survey.id) is ConsultationStatus.OPEN


def test_only_editors_move_the_closing_time_and_only_with_a_csrf_token(app, client, editor, make_staff, make_tenant,
                                                                        make_survey, login_staff):
    make_tenant(editor.corporation)
    survey = make_survey(editor, closes_at=utcnow() + timedelta(days=1))
    draft = make_survey(editor, open=False)
    page = f"/staff/consultations/{survey.id}/closing"
    login_staff(client, make_staff(editor.corporation, "data_entry"))
    assert client.get(page).status_code == 403
    login_staff(client, editor)
    assert client.get(f"/staff/consultations/{draft.id}/closing").status_code == 404
    r = client.post(page, data={"closes_at": _local(timedelta(days=5)), "reason": "x"})
    assert r.status_code == 400 and _audit("consultation.closing_changed") == []


# ---------------------------------------------------------------- opening once more

def test_a_closed_consultation_opens_once_more_and_codes_work_again(app, client, editor, make_tenant, make_survey,
                                                                    login_staff):
    make_tenant(editor.corporation, email="a@example.org")
    survey = make_survey(editor)
    with app.test_request_context():
        code = invitations.code_of(db.session.scalar(sa.select(Invitation)))
    login_staff(client, editor)
    base = f"/staff/consultations/{survey.id}"
    assert client.post_form(f"{base}/close", {}, token_from=base).status_code == 302
    assert "Open again" in client.get(base + "?lang=en").get_data(as_text=True)
    r = client.post_form(f"{base}/closing", {"closes_at": _local(timedelta(days=7)), "reason": "Te weinig reacties",
                                             "notify": "y"}, token_from=base)
    assert r.status_code == 302
    assert _status(survey.id) is ConsultationStatus.OPEN
    [entry] = _audit("consultation.reopened")
    assert entry.details["reason"] == "Te weinig reacties" and entry.details["mails"] == 1
    tenant = app.test_client()
    assert tenant.post_form("/sign-in/code", {"code": code}).status_code == 302
    # Once only: after closing again, there is no way back.
    assert client.post_form(f"{base}/close", {}, token_from=base).status_code == 302
    assert "Open again" not in client.get(base + "?lang=en").get_data(as_text=True)
    assert client.get(f"{base}/closing").status_code == 404


def test_a_published_consultation_does_not_open_again(app, client, editor, make_tenant, make_survey, login_staff):
    make_tenant(editor.corporation)
    survey = make_survey(editor)
    login_staff(client, editor)
    base = f"/staff/consultations/{survey.id}"
    client.post_form(f"{base}/close", {}, token_from=base)
    db.session.execute(sa.update(Consultation).where(Consultation.id == survey.id)
                       .values(status=ConsultationStatus.PUBLISHED))  # as the results publisher does
    assert client.get(f"{base}/closing").status_code == 404
    r = client.post_form(f"{base}/closing", {"closes_at": _local(timedelta(days=7)), "reason": "x"}, token_from=base)
    assert r.status_code == 404 and _status(survey.id) is ConsultationStatus.PUBLISHED


def test_an_editor_cannot_mark_results_published_without_a_publication(app, client, editor, make_tenant,
                                                                        make_survey, login_staff):
    """Only the results publisher publishes: a status without a publication gave tenants a link to a 404."""
    make_tenant(editor.corporation)
    survey = make_survey(editor)
    login_staff(client, editor)
    base = f"/staff/consultations/{survey.id}"
    client.post_form(f"{base}/close", {}, token_from=base)
    assert "/status/publish" not in client.get(base + "?lang=en").get_data(as_text=True)
    assert client.post_form(f"{base}/status/publish", {}, token_from=base).status_code == 404
    assert _status(survey.id) is ConsultationStatus.CLOSED
    with pytest.raises(InvalidTransition):
        invitations.change_status(db.session.get(Consultation, survey.id), "publish", by=editor)
    assert client.post_form(f"{base}/status/archive", {}, token_from=base).status_code == 302
    assert _status(survey.id) is ConsultationStatus.ARCHIVED


def test_the_clock_forgets_forms_sent_long_ago(app, runner):
    """The one-time tokens of forms (core.once) are kept 30 days, then the clock deletes them."""
    from inspraak.core.once import KEPT, SentForm

    old = SentForm(token="o" * 32, actor_kind="system", created_at=utcnow() - KEPT - timedelta(minutes=1))
    recent = SentForm(token="r" * 32, actor_kind="system", created_at=utcnow() - KEPT + timedelta(hours=1))
    db.session.add_all([old, recent])
    db.session.commit()
    result = runner.invoke(args=["inspraak", "tick", "--once"])
    assert result.exit_code == 0 and result.output == ""
    db.session.expire_all()
    assert db.session.scalars(sa.select(SentForm.token)).all() == ["r" * 32]
