"""Staff council pages: adding members, and what partners may read."""
import re
from datetime import date

import pytest
import sqlalchemy as sa

from inspraak.core.errors import DomainError
from inspraak.council import agendas, membership, records
from inspraak.council.models import Member, Position
from inspraak.core.once import new_token
from inspraak.extensions import db


def test_term_ending_before_it_starts_comes_back_with_an_error(client, make_council, make_tenant, make_staff, login_staff):
    council, _members = make_council(size=1)
    person = make_tenant(council.corporation)
    council_id, person_id, number = council.id, person.id, person.person_number
    login_staff(client, make_staff(council.corporation, "admin"))
    page = f"/staff/councils/{council_id}"
    response = client.post_form(f"{page}/members?lang=en", {"person_number": number, "position": "member",
                                                              "term_start": "2026-12-01", "term_end": "2026-01-01",
                                                              "once": new_token()},
                                token_from=page)
    assert response.status_code == 400
    assert "The term cannot end before it starts." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(Member).where(Member.council_id == council_id, Member.person_id == person_id)) is None


def test_term_ending_on_its_first_day_is_accepted(client, make_council, make_tenant, make_staff, login_staff):
    council, _members = make_council(size=1)
    person = make_tenant(council.corporation)
    council_id, number = council.id, person.person_number
    login_staff(client, make_staff(council.corporation, "admin"))
    page = f"/staff/councils/{council_id}"
    response = client.post_form(f"{page}/members", {"person_number": number, "position": "member",
                                                    "term_start": "2026-12-01", "term_end": "2026-12-01",
                                                    "once": new_token()}, token_from=page)
    assert response.status_code == 302


def test_a_member_added_without_choosing_a_position_is_an_ordinary_member(client, make_council, make_tenant,
                                                                         make_staff, login_staff):
    """The position list began with "Chair", so it was chosen unless changed: a careless admin made every new
    member a chair, who runs meetings, votes and proxies. A plain seat is what is chosen now."""
    council, _members = make_council(size=1)
    person = make_tenant(council.corporation)
    council_id, person_id, number = council.id, person.id, person.person_number
    login_staff(client, make_staff(council.corporation, "admin"))
    page = f"/staff/councils/{council_id}"
    form = client.get(page).get_data(as_text=True)
    assert re.search(r'<option selected value="member">|<option value="member" selected>', form), form
    response = client.post_form(f"{page}/members", {"person_number": number, "term_start": "2026-12-01",
                                                    "once": new_token()},
                                token_from=page)
    assert response.status_code == 302
    member = db.session.scalar(sa.select(Member).where(Member.council_id == council_id, Member.person_id == person_id))
    assert member.position is Position.MEMBER


def test_service_refuses_a_term_ending_before_it_starts(make_council, make_tenant):
    council, _members = make_council(size=1)
    person = make_tenant(council.corporation)
    with pytest.raises(DomainError):
        membership.add_member(council, person, position=Position.MEMBER, term_start=date(2026, 12, 1),
                              term_end=date(2026, 1, 1))


@pytest.fixture
def council_with_secrets(app, make_council, make_meeting, make_staff):  # noqa: ANN001, ANN201
    """A council with a published decision, a closed vote whose minutes are not published, and a pending advice request.

    Returns (council id, pending request id, attachment id of the request, a member's name).
    """
    from datetime import timedelta

    from inspraak.core.timeutil import local_today
    from inspraak.council import advice, voting
    from inspraak.council.models import Attachment, RequestKind, Subject

    council, members = make_council(size=2)
    secretary = members[0]
    for title, publish in (("Gedeeld besluit", True), ("Nog geheim besluit", False)):
        meeting, motion = make_meeting(council, secretary)
        motion.agenda_item.title = {"nl": title}
        agendas.open_meeting(meeting, by=secretary)
        voting.close_vote(motion, by=secretary)
        records.save_minutes(meeting, {"nl": "Notulen."}, source_language="nl", by=secretary)
        agendas.close_meeting(meeting, by=secretary)
        records.approve_minutes(meeting, by=secretary)
        if publish:
            records.publish_minutes(meeting, by=secretary)
    request = advice.send_request(
        council, subject=Subject.RENT_POLICY, kind=RequestKind.ADVICE, title={"nl": "Geheim huurplan"},
        body={"nl": "Vertrouwelijke tekst."}, source_language="nl", received_on=local_today() - timedelta(days=3),
        period_days=42, by=make_staff(council.corporation, "editor"))
    db.session.flush()
    attachment = Attachment(advice_request_id=request.id, original_name="plan.pdf", stored_name="x.pdf",
                            content_type="application/pdf", size=1)
    db.session.add(attachment)
    db.session.commit()
    return council.id, request.id, attachment.id, secretary.person.name


def _staff_paths(council_id: int, request_id: int, attachment_id: int) -> list[str]:
    return ["/staff/councils/", f"/staff/councils/{council_id}", "/staff/councils/advice",
            f"/staff/councils/advice/{request_id}", f"/staff/councils/documents/{attachment_id}"]


def test_partner_of_another_corporation_is_refused(client, council_with_secrets, make_staff, login_staff):
    council_id, request_id, attachment_id, _name = council_with_secrets
    login_staff(client, make_staff(None, "partner"))  # another corporation's partner
    for path in _staff_paths(council_id, request_id, attachment_id):
        assert client.get(path).status_code in (403, 404), path


def test_partner_of_the_corporation_gets_403_and_reads_only_what_is_published(client, council_with_secrets,
                                                                               make_staff, login_staff):
    from inspraak.council.models import Council

    council_id, request_id, attachment_id, name = council_with_secrets
    login_staff(client, make_staff(db.session.get(Council, council_id).corporation, "partner"))
    for path in _staff_paths(council_id, request_id, attachment_id):
        assert client.get(path).status_code == 403, path
    response = client.get(f"/staff/councils/{council_id}/published?lang=en")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Gedeeld besluit" in page
    assert "Nog geheim besluit" not in page and "Geheim huurplan" not in page and name not in page
    assert "Tenant councils" not in page.split("</header>")[0]


@pytest.mark.parametrize("role", ["admin", "editor", "publisher", "data_entry"])
def test_corporation_staff_still_open_council_pages(client, council_with_secrets, make_staff, login_staff, role):
    from inspraak.council.models import Council

    council_id, request_id, _attachment_id, name = council_with_secrets
    login_staff(client, make_staff(db.session.get(Council, council_id).corporation, role))
    for path in _staff_paths(council_id, request_id, _attachment_id)[:4] + [f"/staff/councils/{council_id}/published"]:
        assert client.get(path).status_code == 200, path
    assert name in client.get(f"/staff/councils/{council_id}").get_data(as_text=True)


def _error_of(html: str, field: str) -> str:
    match = re.search(rf'<p class="error-message" id="{field}-error">([^<]*)</p>', html)
    return match.group(1) if match else ""


@pytest.mark.parametrize(("lang", "message"), [("en", "There is no tenant with this person number."),
                                               ("nl", "Er is geen huurder met dit relatienummer.")])
def test_an_unknown_person_number_keeps_what_was_typed(client, make_council, make_staff, login_staff, lang, message):
    """The page used to redirect: the position and dates typed were lost, and the message stood at the top."""
    council, _members = make_council(size=1)
    login_staff(client, make_staff(council.corporation, "admin"))
    page = f"/staff/councils/{council.id}"
    response = client.post_form(f"{page}/members?lang={lang}", {
        "person_number": "X-404", "position": "secretary", "term_start": "2026-03-01", "term_end": "2028-02-29",
        "once": new_token(),
    }, token_from=page)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert _error_of(html, "person_number") == message
    assert 'aria-invalid="true"' in re.search(r'<input[^>]*id="person_number"[^>]*>', html).group(0)
    assert 'value="X-404"' in html and 'value="2026-03-01"' in html and 'value="2028-02-29"' in html
    assert re.search(r'<option selected value="secretary">|<option value="secretary" selected>', html)
