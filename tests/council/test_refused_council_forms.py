"""Forms the staff council page refuses (the statutes, a new member) come back as sent, the message beside its field."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from inspraak.core.errors import DomainError
from inspraak.council import membership
from inspraak.council.models import Council, Member
from inspraak.council.rules import Majority, QuorumRule
from inspraak.extensions import db
from tests.concurrency import form_values, fresh, read_forms


@pytest.fixture
def council_page(client, make_council, make_tenant, make_staff, login_staff):  # noqa: ANN001, ANN201
    """An admin on a council's page: (council id, its page, a function of a form's action giving its values as shown,
    a member's and a newcomer's person number)."""
    council, members = make_council(size=2)
    newcomer = make_tenant(council.corporation)
    login_staff(client, make_staff(council.corporation, "admin"))
    page = f"/staff/councils/{council.id}"
    return council.id, page, lambda action: form_values(client, page, page + action), \
        members[0].person.person_number, newcomer.person_number


def _statutes_sent(body: str, page: str) -> dict[str, str]:
    return read_forms(body)[f"{page}/statutes"]


@pytest.mark.parametrize(("cap", "message"), [("-3", "Number must be between 0 and 10."),
                                              ("99999999999999999999", "This number is too large or too small."),
                                              ("drie", "Write a whole number, for example 12."),
                                              ("", "Fill this in.")])
def test_statutes_that_do_not_pass_come_back_as_chosen(client, council_page, cap, message):
    """They were sent back to the page (a redirect) with every choice reset to the rules of now."""
    council_id, page, form, _member, _newcomer = council_page
    values = form("/statutes")
    values.update({"quorum_rule": "none", "default_majority": "two_thirds", "proxy_cap": cap})
    del values["proxies_allowed"]  # unticked
    r = client.post(f"{page}/statutes?lang=en", data=values)
    body = r.get_data(as_text=True)
    assert r.status_code == 400
    assert re.search(r'<p class="error-message" id="proxy_cap-error">([^<]*)</p>', body).group(1) == message
    assert '<details id="statutes" class="card" open>' in body
    sent = _statutes_sent(body, page)
    assert (sent["quorum_rule"], sent["default_majority"], sent["proxy_cap"]) == ("none", "two_thirds", cap)
    assert "proxies_allowed" not in sent and sent["seen"] == values["seen"]
    council = fresh(Council, council_id)
    assert council.quorum_rule is QuorumRule.MORE_THAN_HALF and council.default_majority is Majority.VOTES_CAST


def test_statutes_the_rules_refuse_come_back_as_chosen_with_the_reason_at_the_top(client, council_page, monkeypatch):
    """A refusal of the service (not of a field) was an error page: the choices were lost."""
    def refuse(*_args, **_kwargs):  # noqa: ANN002, ANN003, ANN202
        raise DomainError("These settings are not valid.")

    monkeypatch.setattr(membership, "update_statutes", refuse)
    _council_id, page, form, _member, _newcomer = council_page
    values = form("/statutes")
    values.update({"default_majority": "two_thirds", "proxy_cap": "4"})
    r = client.post(f"{page}/statutes?lang=en", data=values)
    body = r.get_data(as_text=True)
    assert r.status_code == 400
    assert '<p class="flash flash-error">These settings are not valid.</p>' in body
    assert '<details id="statutes" class="card" open>' in body
    sent = _statutes_sent(body, page)
    assert (sent["default_majority"], sent["proxy_cap"]) == ("two_thirds", "4")


def _selected(body: str, name: str) -> list[str]:
    """The options of the list ``name`` on the statutes form marked as chosen."""
    select = re.search(rf'<select[^>]* name="{name}"[^>]*>(.*?)</select>', body, re.S).group(1)
    return re.findall(r'<option selected value="([^"]*)"', select)


@pytest.mark.parametrize(("name", "sent"), [("quorum_rule", "all_of_them"), ("default_majority", "<script>"),
                                            ("default_majority", "")])
def test_a_statute_choice_not_on_the_list_comes_back_as_stored_with_a_message(client, council_page, name, sent):
    """A tampered choice came back with no option chosen (a browser then shows the first one, not the rule of
    now); the list now shows the stored choice, the message beside it, and the other fields stay as sent."""
    council_id, page, form, _member, _newcomer = council_page
    council = fresh(Council, council_id)
    council.quorum_rule, council.default_majority = QuorumRule.AT_LEAST_HALF, Majority.ABSOLUTE  # not the first options
    db.session.commit()
    values = form("/statutes")
    values.update({"quorum_rule": "none", "default_majority": "two_thirds", "proxy_cap": "3", name: sent})
    r = client.post(f"{page}/statutes?lang=en", data=values)
    body = r.get_data(as_text=True)
    assert r.status_code == 400
    assert re.search(rf'<p class="error-message" id="{name}-error">([^<]*)</p>', body).group(1) == \
        "Choose one of the options shown."
    stored = {"quorum_rule": "at_least_half", "default_majority": "absolute"}
    other = "default_majority" if name == "quorum_rule" else "quorum_rule"
    assert _selected(body, name) == [stored[name]]
    assert _selected(body, other) == [{"quorum_rule": "none", "default_majority": "two_thirds"}[other]]
    assert _statutes_sent(body, page)["proxy_cap"] == "3"
    council = fresh(Council, council_id)
    assert (council.quorum_rule, council.default_majority, council.proxy_cap) == \
        (QuorumRule.AT_LEAST_HALF, Majority.ABSOLUTE, 1)


def test_statutes_without_a_valid_form_token_change_nothing(client, council_page):
    council_id, page, form, _member, _newcomer = council_page
    values = form("/statutes")
    values.update({"proxy_cap": "5", "csrf_token": "forged"})
    assert client.post(f"{page}/statutes", data=values).status_code == 400
    assert fresh(Council, council_id).proxy_cap == 1


def _member_sent(body: str, page: str) -> dict[str, str]:
    return read_forms(body)[f"{page}/members"]


def test_a_term_overlapping_the_current_one_comes_back_as_typed(client, council_page):
    """The service refuses it (not a field validator): the message stands beside the start of the term."""
    council_id, page, form, member, _newcomer = council_page
    values = form("/members")
    values.update({"person_number": member, "position": "chair", "term_start": "2026-03-01", "term_end": "2027-02-28"})
    r = client.post(f"{page}/members?lang=en", data=values)
    body = r.get_data(as_text=True)
    assert r.status_code == 400
    assert 'id="term_start-error">This tenant is already a member since' in body
    sent = _member_sent(body, page)
    assert all(sent[name] == values[name] for name in ("person_number", "position", "term_start", "term_end"))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Member).where(Member.council_id == council_id)) == 2


def test_a_member_seated_by_someone_else_at_the_same_moment_comes_back_as_typed_409(client, council_page, monkeypatch):
    def raced(*_args, **_kwargs):  # noqa: ANN002, ANN003, ANN202
        raise membership.MembershipRaced("This tenant is already a member.")

    monkeypatch.setattr(membership, "add_member", raced)
    _council_id, page, form, _member, newcomer = council_page
    values = form("/members")
    values.update({"person_number": newcomer, "position": "secretary", "term_start": "2026-03-01"})
    r = client.post(f"{page}/members?lang=en", data=values)
    body = r.get_data(as_text=True)
    assert r.status_code == 409 and 'id="person_number-error">This tenant is already a member.' in body
    sent = _member_sent(body, page)
    assert (sent["person_number"], sent["position"], sent["term_start"]) == (newcomer, "secretary", "2026-03-01")


@pytest.mark.parametrize("number", ["   ", "\u202eP1", "👪" * 20, "P1\x00"])
def test_person_numbers_that_are_no_tenants_say_so_beside_the_field(client, council_page, number):
    council_id, page, form, _member, _newcomer = council_page
    values = form("/members")
    values.update({"person_number": number, "term_start": "2026-03-01"})
    r = client.post(f"{page}/members?lang=en", data=values)
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and 'id="person_number-error"' in body
    assert _member_sent(body, page)["term_start"] == "2026-03-01"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Member).where(Member.council_id == council_id)) == 2


@pytest.fixture
def councils_page(client, make_council, make_staff, login_staff):  # noqa: ANN001, ANN201
    """An admin on the councils page, whose corporation has a residents' committee: (its complex's number, the
    page's form values, the number of councils)."""
    from inspraak.council.models import CouncilKind

    council, _members = make_council(size=1, kind=CouncilKind.RESIDENTS_COMMITTEE)
    number, corporation_id = council.complex.number, council.corporation_id
    login_staff(client, make_staff(council.corporation, "admin"))

    def councils() -> int:
        return db.session.scalar(sa.select(sa.func.count()).select_from(Council)
                                 .where(Council.corporation_id == corporation_id))

    return number, form_values(client, "/staff/councils/"), councils


def _council_form(body: str) -> dict[str, str]:
    return read_forms(body)[""]


@pytest.mark.parametrize(("name", "number", "field", "message"), [
    ("Bewonerscommissie Zuid", "X-404", "complex_number", "There is no complex with this number."),
    ("Bewonerscommissie Zuid", "taken", "complex_number", "This complex already has a residents' committee."),
    ("Huurdersraad " + "x" * 300, "", "name", "Write at most 200 characters."),
    ("   ", "", "name", "Fill this in."),
], ids=["unknown complex", "complex taken", "name too long", "name of spaces"])
def test_a_council_that_cannot_be_registered_comes_back_as_typed(client, councils_page, name, number, field, message):
    """It was sent back to the page (a redirect) with the name and complex number gone, and a name too long was
    told 'Give the council a name.'."""
    taken, values, councils = councils_page
    number = taken if number == "taken" else number
    values.update({"name": name, "complex_number": number})
    r = client.post("/staff/councils/?lang=en", data=values)
    body = r.get_data(as_text=True)
    assert r.status_code == 400
    error = re.search(rf'<p class="error-message" id="{field}-error">([^<]*)</p>', body)
    assert error and error.group(1).replace("&#39;", "'") == message
    sent = _council_form(body)
    assert (sent["name"], sent["complex_number"]) == (name, number)
    assert sent["once"] and sent["once"] != values["once"]  # sent again once corrected, it is taken
    assert councils() == 1
