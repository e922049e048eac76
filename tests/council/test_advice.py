"""Advice requests: sending, refusing short periods and misplaced consent, the timeline and who sees what."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from inspraak.core.errors import DomainError, InvalidTransition, NotFound
from inspraak.core.timeutil import local_today
from inspraak.council import advice
from inspraak.council.models import AdviceRequest, CouncilKind, Follows, RequestKind, Subject
from inspraak.core.once import new_token
from inspraak.extensions import db


@pytest.fixture
def send(make_staff):  # noqa: ANN001, ANN201
    def send(council, *, kind=RequestKind.ADVICE, subject=Subject.RENT_POLICY, period=42, received=None, staff=None):  # noqa: ANN001, ANN202
        staff = staff or make_staff(council.corporation, "editor")
        request = advice.send_request(
            council, subject=subject, kind=kind, title={"nl": "Huurbeleid 2027"}, body={"nl": "Graag uw advies."},
            source_language="nl", received_on=received or local_today() - timedelta(days=10), period_days=period, by=staff,
        )
        db.session.commit()
        return request, staff

    return send


def test_deadline_is_received_plus_period(make_council, send):
    council, _members = make_council(size=2)
    request, _staff = send(council, received=date(2026, 3, 1), period=56)
    assert request.deadline == date(2026, 4, 26)


def test_periods_under_six_weeks_are_refused(make_council, send):
    council, _members = make_council(size=2)
    with pytest.raises(DomainError):
        send(council, period=41)


def test_consent_only_to_tenant_organisation_on_service_costs(make_council, send):
    organisation, _ = make_council(size=2)
    committee, _ = make_council(size=2, kind=CouncilKind.RESIDENTS_COMMITTEE)
    with pytest.raises(DomainError):
        send(organisation, kind=RequestKind.CONSENT, subject=Subject.RENT_POLICY)
    db.session.rollback()
    with pytest.raises(DomainError):
        send(committee, kind=RequestKind.CONSENT, subject=Subject.SERVICE_COSTS)
    db.session.rollback()
    request, _ = send(organisation, kind=RequestKind.CONSENT, subject=Subject.SERVICE_COSTS)
    assert request.kind is RequestKind.CONSENT


def test_full_timeline_with_reasons_and_earliest_proceed_date(make_council, send):
    council, members = make_council(size=2)
    today = local_today()
    request, staff = send(council, received=today - timedelta(days=40))
    advice.send_advice(request, text="Niet verhogen.", sent_on=today - timedelta(days=20), by=members[0])
    advice.record_response(request, text="We verhogen toch.", follows=Follows.PARTLY, responded_on=today - timedelta(days=18), by=staff)
    db.session.commit()
    timeline = advice.timeline(request)
    assert timeline.reasons_due == today - timedelta(days=6)
    assert timeline.overdue == ["reasons"]
    assert timeline.earliest_proceed is None
    advice.send_reasons(request, text="Omdat de kosten stijgen.", sent_on=today, by=staff)
    timeline = advice.timeline(request)
    assert timeline.overdue == [] and timeline.earliest_proceed == today + timedelta(days=3)
    with pytest.raises(InvalidTransition):
        advice.send_reasons(request, text="Nog eens.", sent_on=today, by=staff)


def test_advice_overdue_after_the_period(make_council, send):
    council, _members = make_council(size=2)
    request, _ = send(council, received=local_today() - timedelta(days=43))
    assert advice.timeline(request).overdue == ["advice"]
    assert advice.timeline(request).earliest_proceed == local_today()


def test_staff_send_request_and_see_deadline_in_register(client, make_council, make_staff, login_staff):
    council, _members = make_council(size=2)
    council_id = council.id
    staff = make_staff(council.corporation, "editor")
    login_staff(client, staff)
    page = f"/staff/councils/{council_id}/advice/new"
    assert client.get(page).status_code == 200
    short = client.post_form(page, {"subject": "rent_policy", "kind": "advice", "title": "Huur", "body": "Advies graag",
                                    "language": "nl", "received_on": "2026-03-02", "period_days": "30",
                                    "once": new_token()}, token_from=page)
    assert short.status_code == 400 and "42" in short.get_data(as_text=True)
    # Any period out of range gets the one message that names both limits (WTForms said 'between 1 and 365').
    for days in ("0", "30", "366"):
        refused = client.post_form(f"{page}?lang=en", {"subject": "rent_policy", "kind": "advice", "title": "Huur",
                                                      "body": "Advies graag", "language": "nl", "received_on": "2026-03-02",
                                                      "period_days": days, "once": new_token()}, token_from=page)
        html = refused.get_data(as_text=True)
        assert refused.status_code == 400 and "at least 42 days (six weeks) and at most 365 days" in html, days
        assert "between 1 and 365" not in html
    response = client.post_form(page, {"subject": "rent_policy", "kind": "advice", "title": "Huur", "body": "Advies graag",
                                       "language": "nl", "received_on": "2026-03-02", "period_days": "42",
                                       "once": new_token()}, token_from=page)
    assert response.status_code == 302
    db.session.commit()
    request = db.session.scalar(sa.select(AdviceRequest))
    assert request.deadline == date(2026, 4, 13)
    register = client.get("/staff/councils/advice?lang=en").get_data(as_text=True)
    assert "Huur" in register and "advice overdue" in register


def test_staff_of_another_corporation_get_404(client, make_council, make_staff, login_staff, send):
    council, _members = make_council(size=2)
    request, _ = send(council)
    ids = (council.id, request.id)
    login_staff(client, make_staff())
    assert client.get(f"/staff/councils/{ids[0]}").status_code == 404
    assert client.get(f"/staff/councils/advice/{ids[1]}").status_code == 404
    assert client.get(f"/staff/councils/{ids[0]}/advice/new").status_code == 404


def test_partner_cannot_send_requests(client, make_council, make_staff, login_staff):
    council, _members = make_council(size=2)
    council_id = council.id
    login_staff(client, make_staff(council.corporation, "partner"))
    assert client.get(f"/staff/councils/{council_id}/advice/new").status_code == 403


def test_advice_and_response_public_to_tenants_once_sent(client, make_council, send, login_tenant, make_tenant):
    council, members = make_council(size=2)
    request, staff = send(council)
    reader = make_tenant(council.corporation)
    council_id = council.id
    login_tenant(client, reader)
    assert "Niet verhogen" not in client.get(f"/council/{council_id}/published").get_data(as_text=True)
    db.session.commit()
    request = db.session.get(AdviceRequest, request.id)
    advice.send_advice(request, text="Niet verhogen.", sent_on=local_today(), by=members[0])
    advice.record_response(request, text="Wij volgen het advies.", follows=Follows.FULLY, responded_on=local_today(), by=staff)
    db.session.commit()
    page = client.get(f"/council/{council_id}/published").get_data(as_text=True)
    assert "Niet verhogen." in page and "Wij volgen het advies." in page


def test_staff_pages_render(client, make_council, make_staff, login_staff, send):
    council, _members = make_council(size=2)
    request, _ = send(council)
    ids = (council.id, request.id)
    login_staff(client, make_staff(council.corporation))
    for path in ("/staff/councils/", f"/staff/councils/{ids[0]}", "/staff/councils/advice", f"/staff/councils/advice/{ids[1]}"):
        assert client.get(path).status_code == 200, path


def test_admin_changes_statutes_and_they_are_audited(client, make_council, make_staff, login_staff):
    from inspraak.core.audit import AuditEntry
    from inspraak.council.models import Council
    from inspraak.council.rules import Majority

    council, _members = make_council(size=2)
    council_id = council.id
    login_staff(client, make_staff(council.corporation))
    page = f"/staff/councils/{council_id}"
    assert 'name="proxy_cap"' in client.get(page).get_data(as_text=True)
    response = client.post_form(f"/staff/councils/{council_id}/statutes", {
        "quorum_rule": "at_least_half", "default_majority": "two_thirds", "proxies_allowed": "y", "proxy_cap": "2",
        "proxies_count_for_quorum": "y"}, token_from=page)
    assert response.status_code == 302
    db.session.commit()
    council = db.session.get(Council, council_id)
    assert council.default_majority is Majority.TWO_THIRDS and council.proxy_cap == 2
    assert not council.secret_ballots_allowed and not council.abstentions_count_as_cast
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "council.statutes.changed"))
    assert entry.details["proxy_cap"] == [1, 2]


def test_editor_cannot_change_statutes(client, make_council, make_staff, login_staff):
    council, _members = make_council(size=2)
    council_id = council.id
    login_staff(client, make_staff(council.corporation, "editor"))
    token = client.csrf_token(f"/staff/councils/{council_id}")
    assert client.post(f"/staff/councils/{council_id}/statutes", data={"csrf_token": token, "proxy_cap": "3"}).status_code == 403


@pytest.fixture
def make_bare_consultation():  # noqa: ANN201
    from inspraak.consultations.models import Consultation

    def make(corporation):  # noqa: ANN001, ANN202
        consultation = Consultation(corporation_id=corporation.id, title={"nl": "Peiling"})
        db.session.add(consultation)
        db.session.commit()
        return consultation

    return make


def test_link_accepts_only_a_consultation_of_the_same_corporation(make_council, make_corporation, send,
                                                                   make_bare_consultation):
    council, members = make_council(size=2)
    request, _ = send(council)
    own, foreign = make_bare_consultation(council.corporation), make_bare_consultation(make_corporation())
    for wrong in (foreign.id, foreign.id + 1000):
        with pytest.raises(NotFound):
            advice.link_request(request, meeting=None, motion=None, consultation_id=wrong, by=members[0])
    assert request.consultation_id is None
    advice.link_request(request, meeting=None, motion=None, consultation_id=own.id, by=members[0])
    assert request.consultation_id == own.id


def test_advice_with_another_corporations_consultation_is_refused(client, make_council, make_corporation, send,
                                                                  make_bare_consultation, login_tenant):
    council, members = make_council(size=2)
    request, _ = send(council)
    foreign = make_bare_consultation(make_corporation())
    ids = (council.id, request.id, foreign.id)
    login_tenant(client, members[0].person)
    page = f"/council/{ids[0]}/advice/{ids[1]}"
    response = client.post_form(page + "?lang=en", {"text": "Eerst de daken.", "sent_on": local_today().isoformat(),
                                                    "motion_id": "0", "consultation_id": str(ids[2])},
                                token_from=page, follow_redirects=True)
    assert "This consultation does not exist." in response.get_data(as_text=True)
    stored = db.session.get(AdviceRequest, ids[1])
    assert stored.consultation_id is None and stored.advice_sent_on is None


def test_the_advice_response_and_reasons_keep_their_own_direction_on_arabic_pages(client, make_council, send,
                                                                                   login_tenant, login_staff):
    """They are typed as one text in whatever language (not translated as data): in an Arabic page a Dutch
    sentence without its own direction shows its full stop on the wrong side ('.dan de inflatie')."""
    council, members = make_council(size=2)
    request, staff = send(council)
    today = local_today()
    advice.send_advice(request, text="Niet verhogen.", sent_on=today - timedelta(days=5), by=members[0])
    advice.record_response(request, text="We verhogen toch.", follows=Follows.PARTLY, responded_on=today - timedelta(days=3),
                           by=staff)
    advice.send_reasons(request, text="Omdat de kosten stijgen.", sent_on=today, by=staff)
    db.session.commit()
    ids = council.id, request.id
    texts = ("Niet verhogen.", "We verhogen toch.", "Omdat de kosten stijgen.")
    login_tenant(client, members[1].person)
    pages = [client.get(f"/council/{ids[0]}/published?lang=ar").get_data(as_text=True),
             client.get(f"/council/{ids[0]}/advice/{ids[1]}?lang=ar").get_data(as_text=True)]
    client.post_form("/sign-out", token_from="/my")
    login_staff(client, staff)
    pages.append(client.get(f"/staff/councils/advice/{ids[1]}?lang=ar").get_data(as_text=True))
    for page in pages:
        assert 'dir="rtl"' in page
        for text in texts:
            assert f'<div class="council-text" dir="auto">{text}</div>' in page, text


def test_a_response_too_long_comes_back_as_typed(client, make_council, send, login_staff):
    """The corporation's response over 20,000 characters (or without a date) was sent back to an empty form
    with only 'Please check the form.' at the top."""
    council, members = make_council(size=2)
    request, staff = send(council)
    advice.send_advice(request, text="Niet verhogen.", sent_on=local_today() - timedelta(days=1), by=members[0])
    db.session.commit()
    login_staff(client, staff)
    page = f"/staff/councils/advice/{request.id}"
    r = client.post_form(f"/staff/councils/advice/{request.id}/response?lang=en", {
        "response-text": "We volgen het advies deels. " + "x" * 20_000, "response-follows": Follows.PARTLY.value,
        "response-responded_on": ""}, token_from=page)
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and "We volgen het advies deels. xxx" in body
    assert "Write at most 20,000 characters." in body and "Choose a date." in body
