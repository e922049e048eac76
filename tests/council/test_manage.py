"""Staff council pages: adding members, and what partners may read."""
from datetime import date

import pytest
import sqlalchemy as sa

from inspraak.core.errors import DomainError
from inspraak.council import services
from inspraak.council.models import Member, Position
from inspraak.extensions import db


def test_term_ending_before_it_starts_comes_back_with_an_error(client, make_council, make_tenant, make_staff, login_staff):
    council, _members = make_council(size=1)
    person = make_tenant(council.corporation)
    council_id, person_id, number = council.id, person.id, person.person_number
    login_staff(client, make_staff(council.corporation, "admin"))
    page = f"/staff/councils/{council_id}"
    response = client.post_form(f"{page}/members?lang=en", {"person_number": number, "position": "member",
                                                              "term_start": "2026-12-01", "term_end": "2026-01-01"},
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
                                                    "term_start": "2026-12-01", "term_end": "2026-12-01"}, token_from=page)
    assert response.status_code == 302


def test_service_refuses_a_term_ending_before_it_starts(make_council, make_tenant):
    council, _members = make_council(size=1)
    person = make_tenant(council.corporation)
    with pytest.raises(DomainError):
        services.add_member(council, person, position=Position.MEMBER, term_start=date(2026, 12, 1),
                            term_end=date(2026, 1, 1))
