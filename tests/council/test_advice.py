"""Advice requests: sending, refusing short periods and misplaced consent, the timeline and who sees what."""
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from inspraak.core.errors import DomainError, InvalidTransition, NotFound
from inspraak.core.timeutil import local_today
from inspraak.council import advice
from inspraak.council.models import AdviceRequest, CouncilKind, Follows, RequestKind, Subject
from inspraak.core.once import new_token
from inspraak.extensions import db
from tests.concurrency import form_values
from tests.uploads import refused_file_cases, with_a_file


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
    advice.send_advice(request, text="Niet verhogen.", language="nl", sent_on=today - timedelta(days=20), by=members[0])
    advice.record_response(request, text="We verhogen toch.", language="nl", follows=Follows.PARTLY,
                           responded_on=today - timedelta(days=18), by=staff)
    db.session.commit()
    timeline = advice.timeline(request)
    assert timeline.reasons_due == today - timedelta(days=6)
    assert timeline.overdue == ["reasons"]
    assert timeline.earliest_proceed is None
    advice.send_reasons(request, text="Omdat de kosten stijgen.", language="nl", sent_on=today, by=staff)
    timeline = advice.timeline(request)
    assert timeline.overdue == [] and timeline.earliest_proceed == today + timedelta(days=3)
    with pytest.raises(InvalidTransition):
        advice.send_reasons(request, text="Nog eens.", language="nl", sent_on=today, by=staff)


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
    advice.send_advice(request, text="Niet verhogen.", language="nl", sent_on=local_today(), by=members[0])
    advice.record_response(request, text="Wij volgen het advies.", language="nl", follows=Follows.FULLY,
                           responded_on=local_today(), by=staff)
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
                                token_from=page)
    assert response.status_code == 400  # not one of the list: refused at the field, the advice as typed
    body = response.get_data(as_text=True)
    assert "Choose one of the options shown." in body and "Eerst de daken." in body
    stored = db.session.get(AdviceRequest, ids[1])
    assert stored.consultation_id is None and stored.advice_sent_on is None


def test_the_council_names_the_consultation_from_a_list_and_readers_see_it(client, make_council, make_corporation,
                                                                          send, make_bare_consultation, login_tenant,
                                                                          make_tenant):
    """The advice form lists the corporation's opened consultations by title (not drafts, not another
    corporation's), instead of asking for an internal number; the one chosen is stored and shown with the
    request to the council and, once the advice is sent, to tenants on the council's page."""
    from inspraak.consultations.models import ConsultationStatus

    council, members = make_council(size=2)
    request, _ = send(council)
    opened, draft = make_bare_consultation(council.corporation), make_bare_consultation(council.corporation)
    foreign = make_bare_consultation(make_corporation())
    opened.title, opened.status = {"nl": "Groen in de wijk", "en": "Green spaces"}, ConsultationStatus.CLOSED
    draft.title = {"nl": "Nog een concept"}
    foreign.status = ConsultationStatus.CLOSED
    db.session.commit()
    ids = (council.id, request.id, opened.id, draft.id, foreign.id)
    login_tenant(client, members[0].person)
    page = f"/council/{ids[0]}/advice/{ids[1]}"
    form = client.get(page + "?lang=en").get_data(as_text=True)
    listed = re.findall(r'<option[^>]*value="(\d+)"', form.split('name="consultation_id"')[1].split("</select>")[0])
    assert listed == ["0", str(ids[2])] and "Green spaces" in form
    response = client.post_form(page, {"text": "Eerst de daken.", "sent_on": local_today().isoformat(), "motion_id": "0",
                                       "language": "nl", "consultation_id": str(ids[2])}, token_from=page)
    assert response.status_code == 302
    db.session.commit()
    assert db.session.get(AdviceRequest, ids[1]).consultation_id == ids[2]
    assert "Tenants consulted" in client.get(page + "?lang=en").get_data(as_text=True)
    reader = client.application.test_client()
    login_tenant(reader, make_tenant(council.corporation))
    published = reader.get(f"/council/{ids[0]}/published?lang=en").get_data(as_text=True)
    assert "Tenants consulted" in published and "Green spaces" in published


def test_advice_without_a_consultation_stores_none(client, make_council, send, login_tenant):
    council, members = make_council(size=2)
    request, _ = send(council)
    ids = (council.id, request.id)
    login_tenant(client, members[0].person)
    page = f"/council/{ids[0]}/advice/{ids[1]}"
    response = client.post_form(page, {"text": "Akkoord.", "sent_on": local_today().isoformat(), "motion_id": "0",
                                       "language": "nl", "consultation_id": "0"}, token_from=page)
    assert response.status_code == 302
    db.session.commit()
    stored = db.session.get(AdviceRequest, ids[1])
    assert stored.advice_sent_on is not None and stored.consultation_id is None
    assert "Tenants consulted" not in client.get(page + "?lang=en").get_data(as_text=True)


def _answered(council, members, send, languages):  # noqa: ANN001, ANN202
    """A request with advice, response and reasons, typed in ``languages`` (advice, response, reasons)."""
    request, staff = send(council)
    today = local_today()
    advice_lang, response_lang, reasons_lang = languages
    advice.send_advice(request, text="Niet verhogen.", language=advice_lang, sent_on=today - timedelta(days=5),
                       by=members[0])
    advice.record_response(request, text="نرفع الإيجار على أي حال.", language=response_lang, follows=Follows.PARTLY,
                           responded_on=today - timedelta(days=3), by=staff)
    advice.send_reasons(request, text="Because costs rise.", language=reasons_lang, sent_on=today, by=staff)
    db.session.commit()
    return request, staff


def _pages(client, council_id, request, staff, member, login_tenant, login_staff, lang):  # noqa: ANN001, ANN202
    """Where the advice, response and reasons are shown: the council's published page and request page (a
    tenant), the request page and the published page (staff)."""
    login_tenant(client, member.person)
    pages = [client.get(f"/council/{council_id}/published?lang={lang}").get_data(as_text=True),
             client.get(f"/council/{council_id}/advice/{request.id}?lang={lang}").get_data(as_text=True)]
    client.post_form("/sign-out", token_from="/my")
    login_staff(client, staff)
    pages += [client.get(f"/staff/councils/advice/{request.id}?lang={lang}").get_data(as_text=True),
              client.get(f"/staff/councils/{council_id}/published?lang={lang}").get_data(as_text=True)]
    return pages


def test_the_advice_response_and_reasons_carry_their_language_on_every_page(client, make_council, send,
                                                                             login_tenant, login_staff):
    """WCAG 3.1.2: each text is marked with the language it was typed in, and Arabic reads right to left,
    where the page is in another language (on a page in its own language it takes the page's)."""
    council, members = make_council(size=2)
    request, staff = _answered(council, members, send, ("nl", "ar", "en"))
    for page in _pages(client, council.id, request, staff, members[1], login_tenant, login_staff, "en"):
        assert '<div class="council-text" lang="nl" dir="ltr">Niet verhogen.</div>' in page
        assert '<div class="council-text" lang="ar" dir="rtl">نرفع الإيجار على أي حال.</div>' in page
        assert '<div class="council-text">Because costs rise.</div>' in page
    for page in _pages(client, council.id, request, staff, members[1], login_tenant, login_staff, "ar"):
        assert '<div class="council-text" lang="nl" dir="ltr">Niet verhogen.</div>' in page
        assert '<div class="council-text">نرفع الإيجار على أي حال.</div>' in page
        assert '<div class="council-text" lang="en" dir="ltr">Because costs rise.</div>' in page


def test_texts_from_before_their_language_was_recorded_say_none(client, make_council, send, login_tenant, login_staff):
    """Old rows have no language: no lang (a wrong one is worse), and the browser finds the direction."""
    council, members = make_council(size=2)
    request, staff = _answered(council, members, send, ("nl", "ar", "en"))
    request.advice_language = request.response_language = request.reasons_language = None
    db.session.commit()
    for page in _pages(client, council.id, request, staff, members[1], login_tenant, login_staff, "ar"):
        assert 'dir="rtl"' in page
        for text in ("Niet verhogen.", "نرفع الإيجار على أي حال.", "Because costs rise."):
            assert f'<div class="council-text" dir="auto">{text}</div>' in page, text


def test_the_advice_form_stores_the_chosen_language_and_offers_the_writers_own_first(client, make_council, send,
                                                                                    login_tenant):
    council, members = make_council(size=2)
    request, _staff = send(council)
    login_tenant(client, members[0].person)
    page = f"/council/{council.id}/advice/{request.id}"
    form = client.get(page + "?lang=tr").get_data(as_text=True)
    assert '<option selected value="tr">Türkçe</option>' in form
    assert all(f'value="{code}"' in form for code in ("nl", "en", "tr", "ar", "pl"))
    response = client.post_form(page, {"text": "نريد أولاً الأسطح.", "language": "ar", "sent_on": local_today().isoformat(),
                                       "motion_id": "0"}, token_from=page)
    assert response.status_code == 302
    db.session.commit()
    stored = db.session.get(AdviceRequest, request.id)
    assert (stored.advice_text, stored.advice_language) == ("نريد أولاً الأسطح.", "ar")


def _advised(client, make_council, send, login_staff, *, days_ago: int = 1) -> tuple:  # noqa: ANN001
    """A request the council advised on ``days_ago``, its editor signed in: (the request, the editor, its page)."""
    council, members = make_council(size=2)
    request, staff = send(council)
    advice.send_advice(request, text="Niet verhogen.", language="nl",
                       sent_on=local_today() - timedelta(days=days_ago), by=members[0])
    db.session.commit()
    login_staff(client, staff)
    return request, staff, f"/staff/councils/advice/{request.id}"


def test_the_response_and_reasons_forms_store_the_chosen_language(client, make_council, send, login_staff):
    request, _staff, page = _advised(client, make_council, send, login_staff)
    form = client.get(page + "?lang=en").get_data(as_text=True)
    assert '<option selected value="en">English</option>' in form
    today = local_today().isoformat()
    assert client.post_form(page + "/response", {"response-text": "Deels.", "response-language": "pl",
                                                  "response-follows": Follows.PARTLY.value,
                                                  "response-responded_on": today}, token_from=page).status_code == 302
    assert client.post_form(page + "/reasons", {"reasons-text": "Bo koszty rosną.", "reasons-language": "pl",
                                                 "reasons-sent_on": today}, token_from=page).status_code == 302
    db.session.commit()
    stored = db.session.get(AdviceRequest, request.id)
    assert (stored.response_language, stored.reasons_language) == ("pl", "pl")


def _refused(client, url, data, *, page, prefix=""):  # noqa: ANN001, ANN202
    """Post a form whose language is not offered: it comes back (400) with the text as typed and the message
    at its language field."""
    sent = client.post_form(url + "?lang=en", data, token_from=page)
    body = sent.get_data(as_text=True)
    assert sent.status_code == 400 and f"{data[prefix + 'text']}</textarea>" in body
    assert f'<p class="error-message" id="{prefix}language-error">Choose one of the options shown.</p>' in body
    db.session.commit()


@pytest.mark.parametrize("bad", ["xx", "", "nl-x", "ar" * 60])
def test_a_language_the_site_does_not_offer_is_refused_at_the_field(client, make_council, send, login_tenant,
                                                                    login_staff, bad):
    """The advice, the response and the reasons: each form comes back with its message; nothing is stored."""
    council, members = make_council(size=2)
    request, staff = send(council)
    today = local_today()
    login_tenant(client, members[0].person)
    page = f"/council/{council.id}/advice/{request.id}"
    _refused(client, page, {"text": "Eerst de daken.", "language": bad, "motion_id": "0", "sent_on": today.isoformat()},
             page=page)
    assert db.session.get(AdviceRequest, request.id).advice_sent_on is None

    advice.send_advice(request, text="Niet verhogen.", language="nl", sent_on=today - timedelta(days=1), by=members[0])
    db.session.commit()
    client.post_form("/sign-out", token_from="/my")
    login_staff(client, staff)
    page = f"/staff/councils/advice/{request.id}"
    _refused(client, page + "/response", {"response-text": "Deels.", "response-language": bad, "response-follows": "partly",
                                          "response-responded_on": today.isoformat()}, page=page, prefix="response-")
    assert db.session.get(AdviceRequest, request.id).responded_on is None

    advice.record_response(request, text="Deels.", language="nl", follows=Follows.PARTLY, responded_on=today, by=staff)
    db.session.commit()
    _refused(client, page + "/reasons", {"reasons-text": "Omdat.", "reasons-language": bad,
                                         "reasons-sent_on": today.isoformat()}, page=page, prefix="reasons-")
    assert db.session.get(AdviceRequest, request.id).reasons_sent_on is None


def test_the_services_refuse_a_language_the_site_does_not_offer(make_council, send):
    council, members = make_council(size=2)
    request, _staff = send(council)
    with pytest.raises(DomainError):
        advice.send_advice(request, text="Niet verhogen.", language="xx", sent_on=local_today(), by=members[0])
    assert request.advice_sent_on is None


def test_a_response_too_long_comes_back_as_typed(client, make_council, send, login_staff):
    """The corporation's response over 20,000 characters (or without a date) was sent back to an empty form
    with only 'Please check the form.' at the top."""
    council, members = make_council(size=2)
    request, staff = send(council)
    advice.send_advice(request, text="Niet verhogen.", language="nl", sent_on=local_today() - timedelta(days=1), by=members[0])
    db.session.commit()
    login_staff(client, staff)
    page = f"/staff/councils/advice/{request.id}"
    r = client.post_form(f"/staff/councils/advice/{request.id}/response?lang=en", {
        "response-text": "We volgen het advies deels. " + "x" * 20_000, "response-follows": Follows.PARTLY.value,
        "response-responded_on": ""}, token_from=page)
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and "We volgen het advies deels. xxx" in body
    assert "Write at most 20,000 characters." in body and "Choose a date." in body


def test_a_request_in_dutch_is_marked_dutch_wherever_it_is_listed(client, make_council, make_staff, login_tenant,
                                                                  login_staff):
    """WCAG 3.1.2: the title (in lists and headings) and the other subject, typed on the request's form in its
    language, carry that language on an English page; on a Dutch page they take the page's."""
    council, members = make_council(size=2)
    staff = make_staff(council.corporation, "editor")
    request = advice.send_request(council, subject=Subject.OTHER, subject_other="Tuinen", kind=RequestKind.ADVICE,
                                  title={"nl": "Huurbeleid 2027"}, body={"nl": "Graag uw advies."}, source_language="nl",
                                  received_on=local_today(), period_days=42, by=staff)
    db.session.commit()
    title, subject = '<span lang="nl" dir="ltr">Huurbeleid 2027', '<bdi lang="nl">Tuinen</bdi>'
    login_tenant(client, members[0].person)
    pages = [client.get(f"/council/{council.id}?lang=en").get_data(as_text=True),
             client.get(f"/council/{council.id}/advice/{request.id}?lang=en").get_data(as_text=True)]
    client.post_form("/sign-out", token_from="/my")
    login_staff(client, staff)
    pages += [client.get(f"/staff/councils/{path}?lang=en").get_data(as_text=True)
              for path in (f"{council.id}", f"advice/{request.id}")]
    for page in pages:
        assert title in page and subject in page
    assert title in client.get("/staff/councils/advice?lang=en").get_data(as_text=True)  # the register: no subject
    dutch = client.get(f"/staff/councils/advice/{request.id}?lang=nl").get_data(as_text=True)
    assert "<h1><span>Huurbeleid 2027</span></h1>" in dutch and "<bdi>Tuinen</bdi>" in dutch


def test_the_meeting_that_adopted_the_advice_is_shown_with_the_request(client, make_council, make_meeting, send,
                                                                        login_tenant, make_tenant):
    """The meeting the council linked (through the motion that adopted its advice) was stored but shown nowhere;
    the request now names it, with its date, on the council's pages and to tenants."""
    council, members = make_council(size=2)
    meeting, motion = make_meeting(council, members[0], open_vote=False)
    request, _ = send(council)
    advice.link_request(request, meeting=meeting, motion=motion, consultation_id=None, by=members[0])
    advice.send_advice(request, text="Niet verhogen.", language="nl", sent_on=local_today(), by=members[0])
    db.session.commit()
    council_id = council.id
    login_tenant(client, make_tenant(council.corporation))
    page = client.get(f"/council/{council_id}/published?lang=en").get_data(as_text=True)
    assert "<dt>Meeting</dt>" in page and "Jaarvergadering" in page


@refused_file_cases
def test_a_request_with_a_refused_file_comes_back_with_the_message_beside_the_file_field(
        app, client, make_council, make_staff, login_staff, filename, content, message):
    """The message of a refused document stood at the top of the form; it now stands beside the file field. The
    request as typed comes back (400) and nothing is sent."""
    app.config["COUNCIL_ATTACHMENT_MAX_BYTES"] = 1024 * 1024
    council, _members = make_council(size=2)
    login_staff(client, make_staff(council.corporation, "editor"))
    page = f"/staff/councils/{council.id}/advice/new"
    values = {**form_values(client, page), "subject": "rent_policy", "kind": "advice", "title": "Huurverhoging 2027",
              "body": "Wij vragen uw advies.", "language": "nl", "received_on": "2026-03-02", "period_days": "42"}
    r = client.post(f"{page}?lang=en", data=with_a_file(values, filename, content), content_type="multipart/form-data")
    body = r.get_data(as_text=True)
    assert r.status_code == 400
    assert 'value="Huurverhoging 2027"' in body and "Wij vragen uw advies.</textarea>" in body
    assert re.search(rf'<p class="error-message" id="document-error">{re.escape(message)}[^<]*</p>', body)
    assert re.search(rf'<li><a href="#document">[^<]*: {re.escape(message)}', body)  # the summary links to the field
    assert body.count(message) == 2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AdviceRequest)) == 0


@pytest.mark.parametrize("day", [1, -30])
def test_a_response_or_reasons_dated_out_of_range_come_back_with_what_was_typed(client, make_council, send,
                                                                                 login_staff, day, one_dutch_day):
    """A date after today, or before the advice (the response) or the response (the reasons), passed the form and
    was refused by the service: the page went back to the request with a message at the top, the text typed lost.
    Now the form comes back (400) with the text and date as typed and the message beside the date."""
    request, staff, page = _advised(client, make_council, send, login_staff, days_ago=5)
    when = (one_dutch_day + timedelta(days=day)).isoformat()  # tomorrow stays after today past Dutch midnight
    typed = "Wij volgen het advies deels: de huur stijgt minder."

    def refused(step: str, day_field: str, fields: dict, message: str, stored: str) -> None:
        r = client.post_form(f"{page}/{step}?lang=en", {f"{step}-text": typed, f"{step}-language": "nl",
                                                        f"{step}-{day_field}": when, **fields}, token_from=page)
        html = r.get_data(as_text=True)
        assert r.status_code == 400 and typed in html and f'value="{when}"' in html
        assert message in html[html.index(f'id="{step}-{day_field}-error"'):][:200]
        assert not getattr(db.session.get(AdviceRequest, request.id), stored)
        db.session.commit()

    refused("response", "responded_on", {"response-follows": Follows.PARTLY.value},
            "Choose a date between the advice and today.", "response_text")
    advice.record_response(db.session.get(AdviceRequest, request.id), text="Deels.", language="nl",
                           follows=Follows.PARTLY, responded_on=local_today() - timedelta(days=2), by=staff)
    db.session.commit()
    refused("reasons", "sent_on", {}, "Choose a date between the response and today.", "reasons_text")


@pytest.mark.parametrize("follows", ["", "maybe", "\u200b"])
def test_a_response_without_a_valid_answer_to_follows_says_so_beside_it(client, make_council, send, login_staff,
                                                                         follows):
    """Whether the corporation follows the advice, left out or not one of the answers: the form came back with
    "Please check the form" at the top and no message anywhere near the question."""
    request, _staff, page = _advised(client, make_council, send, login_staff)
    r = client.post_form(page + "/response?lang=pl", {"response-text": "Deels.", "response-language": "nl",
                                                      "response-follows": follows,
                                                      "response-responded_on": local_today().isoformat()},
                         token_from=page)
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and "Deels." in html
    message = html[html.index('id="response-follows-error"'):][:200]
    assert 'lang="pl"' in html and "Choose an answer." not in message and "Not a valid choice" not in message
    assert not db.session.get(AdviceRequest, request.id).response_text
    db.session.commit()


@pytest.mark.parametrize("kind", ["", "maybe"])
def test_a_request_without_a_valid_kind_says_so_beside_the_question(client, make_council, make_staff, login_staff,
                                                                     kind):
    """What is asked (advice, consent, information) left out or tampered with: only "Please check the form" stood
    at the top, and nothing beside the radio buttons, which were drawn by hand without their errors."""
    council, _members = make_council(size=2)
    page = f"/staff/councils/{council.id}/advice/new"
    login_staff(client, make_staff(council.corporation, "editor"))
    r = client.post_form(page + "?lang=en", {"subject": "rent_policy", "kind": kind, "title": "Huur 2027",
                                             "body": "Advies graag", "language": "nl", "received_on": "2026-03-02",
                                             "period_days": "42", "once": new_token()}, token_from=page)
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and 'value="Huur 2027"' in html
    question = html[html.index('<fieldset class="field field-error" aria-describedby="kind-hint kind-error">'):]
    question = question[:question.index("</fieldset>")]
    assert "<legend>What do you ask?</legend>" in question and '<p class="error-message" id="kind-error">' in question
    assert '<a href="#kind">What do you ask? – Choose one of the options shown.</a>' in html  # no "?:" at the top
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AdviceRequest)) == 0


def test_a_response_recorded_meanwhile_by_another_editor_keeps_what_was_typed(client, make_council, send,
                                                                             make_staff, login_staff):
    """Two editors type a response at once: the second was sent back to the request with a message at the top
    and the response typed lost. Now it comes back (409) with the text as typed and the reason beside it."""
    request, staff, page = _advised(client, make_council, send, login_staff)
    other = make_staff(staff.corporation, "editor")
    advice.record_response(db.session.get(AdviceRequest, request.id), text="Wij volgen het advies.", language="nl",
                           follows=Follows.FULLY, responded_on=local_today(), by=other)
    db.session.commit()
    typed = "Wij volgen het advies deels: de huur stijgt minder."
    r = client.post_form(page + "/response?lang=en", {"response-text": typed, "response-language": "nl",
                                                      "response-follows": Follows.PARTLY.value,
                                                      "response-responded_on": local_today().isoformat()},
                         token_from=page)
    html = r.get_data(as_text=True)
    assert r.status_code == 409 and typed in html and "Wij volgen het advies." in html
    assert "The response has already been recorded." in html[html.index('id="response-text-error"'):][:200]
    stored = db.session.get(AdviceRequest, request.id)
    assert (stored.response_text, stored.follows) == ("Wij volgen het advies.", Follows.FULLY)
    db.session.commit()


def test_reasons_sent_meanwhile_by_another_editor_keep_what_was_typed(client, make_council, send, make_staff,
                                                                      login_staff):
    request, staff, page = _advised(client, make_council, send, login_staff, days_ago=3)
    other = make_staff(staff.corporation, "editor")
    stored = db.session.get(AdviceRequest, request.id)
    advice.record_response(stored, text="Deels.", language="nl", follows=Follows.PARTLY,
                           responded_on=local_today() - timedelta(days=1), by=other)
    advice.send_reasons(stored, text="Omdat de kosten stijgen.", language="nl", sent_on=local_today(), by=other)
    db.session.commit()
    typed = "Onze redenen: het onderhoud van de daken gaat voor."
    r = client.post_form(page + "/reasons?lang=en", {"reasons-text": typed, "reasons-language": "nl",
                                                     "reasons-sent_on": local_today().isoformat()}, token_from=page)
    html = r.get_data(as_text=True)
    assert r.status_code == 409 and typed in html
    assert "No reasons are needed now." in html[html.index('id="reasons-text-error"'):][:200]
    assert db.session.get(AdviceRequest, request.id).reasons_text == "Omdat de kosten stijgen."
    db.session.commit()


@pytest.mark.parametrize(("refusal", "status"), [(DomainError("Write the response."), 400),
                                                 (NotFound("This advice request does not exist."), 404)])
def test_a_refused_response_answers_with_the_refusal_s_own_status(client, make_council, send, login_staff,
                                                                   monkeypatch, refusal, status):
    """Every refusal of a response came back as 409 Conflict, also one that is not about someone else's save; now
    each answers with its own status, the text as typed and the reason beside it."""
    request, _staff, page = _advised(client, make_council, send, login_staff)

    def refuse(*args, **kwargs) -> None:  # noqa: ANN002, ANN003
        raise refusal

    monkeypatch.setattr(advice, "record_response", refuse)
    typed = "Wij volgen het advies deels."
    sent = {**form_values(client, page, page + "/response"), "response-text": typed, "response-language": "nl",
            "response-follows": Follows.PARTLY.value, "response-responded_on": local_today().isoformat()}
    r = client.post(page + "/response?lang=en", data=sent)
    html = r.get_data(as_text=True)
    assert r.status_code == status and typed in html
    assert refusal.message in html[html.index('id="response-text-error"'):][:200]
    assert not db.session.get(AdviceRequest, request.id).response_text
