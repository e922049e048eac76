"""The neighbourhood page lists council decisions under the councils' own visibility rules."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask_babel import format_date

from inspraak.council import agendas, records, voting
from inspraak.council.labels import label
from inspraak.council.models import CouncilKind, Motion
from inspraak.core.db import utcnow
from inspraak.core.timeutil import local_today
from inspraak.extensions import db


@dataclass
class Place:
    hood_id: int
    councils: dict
    tenants: dict
    corporation: object


def _decide(app, council, members, make_meeting, title: str, close: bool = True, publish: bool = True) -> Motion:  # noqa: ANN001
    """A meeting with one motion; closed, the meeting's minutes approved and (unless told otherwise) published."""
    council.name = f"Raad {title}"
    secretary = members[0]
    with app.test_request_context():
        # two days ahead: "tomorrow" was read from the clock before the vote closed, and became the closing day
        # when Dutch midnight fell in between
        meeting, motion = make_meeting(council, secretary, starts_at=utcnow() + timedelta(days=2))
        motion.agenda_item.title = {"nl": f"Besluit {title}", "en": f"Decision {title}"}
        if close:
            agendas.open_meeting(meeting, by=secretary)
            voting.close_vote(motion, by=secretary)
            records.save_minutes(meeting, {"nl": "Notulen."}, source_language="nl", by=secretary)
            agendas.close_meeting(meeting, by=secretary)
            records.approve_minutes(meeting, by=secretary)
            if publish:
                records.publish_minutes(meeting, by=secretary)
    db.session.commit()
    return motion


@pytest.fixture
def place(app, make_corporation, make_complex, make_council, make_meeting, make_tenant):  # noqa: ANN001, ANN201
    """Complexes A and B in one neighbourhood, C in another; a committee for each and the tenant organisation.

    Every council has one published decision; committee A also has a vote still open, and a closed vote
    whose minutes are approved but not yet published.
    """
    corporation = make_corporation()
    a = make_complex(corporation, neighbourhood_name="Wijk Noord")
    b = make_complex(corporation, neighbourhood_name="Wijk Noord")
    c = make_complex(corporation, neighbourhood_name="Wijk Zuid")
    councils = {}
    for name, complex_ in (("A", a), ("B", b), ("C", c)):
        council, members = make_council(corporation, size=3, kind=CouncilKind.RESIDENTS_COMMITTEE, complex_=complex_)
        councils[name] = council
        _decide(app, council, members, make_meeting, name)
        if name == "A":
            _decide(app, council, members, make_meeting, "open", close=False)
            _decide(app, council, members, make_meeting, "unpublished", publish=False)
            council.name = "Raad A"
    organisation, members = make_council(corporation, size=3)
    councils["org"] = organisation
    _decide(app, organisation, members, make_meeting, "org")
    db.session.commit()
    tenants = {"A": make_tenant(corporation, complex_=a), "C": make_tenant(corporation, complex_=c)}
    return Place(a.neighbourhood_id, councils, tenants, corporation)


def test_tenant_sees_own_committee_and_tenant_organisation_only(client, place, login_tenant):
    login_tenant(client, place.tenants["A"])
    page = client.get(f"/neighbourhoods/{place.hood_id}?lang=en").get_data(as_text=True)
    assert "Decision A" in page and "Decision org" in page
    assert "Decision B" not in page  # another complex's committee: not public to this tenant
    assert "Decision C" not in page  # another neighbourhood
    assert "Decision open" not in page  # the vote has not closed
    assert "Decision unpublished" not in page  # the minutes are not published yet
    assert f'/council/{place.councils["A"].id}/published' in page
    assert f'/council/{place.councils["org"].id}/published' in page
    assert "/staff/councils/" not in page
    # The link leads to a page the tenant may read.
    assert client.get(f'/council/{place.councils["A"].id}/published').status_code == 200


def test_partner_sees_every_committee_of_the_neighbourhood(client, place, make_staff, login_staff):
    login_staff(client, make_staff(place.corporation, "partner"))
    page = client.get(f"/neighbourhoods/{place.hood_id}?lang=en").get_data(as_text=True)
    assert "Decision A" in page and "Decision B" in page and "Decision org" in page
    assert "Decision C" not in page and "Decision open" not in page and "Decision unpublished" not in page
    # The link leads to what the council published, the page a partner may read.
    assert f'/staff/councils/{place.councils["B"].id}/published' in page
    assert client.get(f'/staff/councils/{place.councils["B"].id}/published').status_code == 200


def test_decisions_show_date_council_title_and_outcome(app, client, place, make_staff, login_staff):
    login_staff(client, make_staff(place.corporation, "admin"))
    page = client.get(f"/neighbourhoods/{place.hood_id}?lang=en").get_data(as_text=True)
    section = page[page.index('id="decisions-heading"'):]
    assert "Raad A" in section and "Decided on" in section
    result = db.session.scalar(db.select(Motion).join(Motion.agenda_item)
                               .where(Motion.closed_at.is_not(None))).result
    with app.test_request_context("/?lang=en"):
        assert label(result.outcome) in section


def test_decision_titles_fall_back_visibly(client, place, login_tenant):
    login_tenant(client, place.tenants["A"])
    page = client.get(f"/neighbourhoods/{place.hood_id}?lang=pl").get_data(as_text=True)
    assert '<span lang="nl" dir="ltr">Besluit A</span> <span class="fallback-note">' in page


def test_tenant_of_another_neighbourhood_gets_404(client, place, login_tenant):
    login_tenant(client, place.tenants["C"])
    assert client.get(f"/neighbourhoods/{place.hood_id}").status_code == 404


def test_staff_of_another_corporation_gets_404(client, place, make_corporation, make_staff, login_staff):
    login_staff(client, make_staff(make_corporation(), "admin"))
    assert client.get(f"/neighbourhoods/{place.hood_id}").status_code == 404


def test_no_decisions_yet(client, app, make_corporation, make_complex, make_tenant, login_tenant):
    complex_ = make_complex(make_corporation())
    login_tenant(client, make_tenant(complex_=complex_))
    page = client.get(f"/neighbourhoods/{complex_.neighbourhood_id}?lang=en").get_data(as_text=True)
    assert "have not decided anything yet" in page


def test_the_page_title_isolates_the_neighbourhood_and_council_names_where_directions_mix(client, place, login_tenant):
    """In <title> no <bdi> can be used: FSI … PDI keep a Latin name apart on an Arabic page ("Wijk Noord · inspraak");
    on a Dutch page a Latin name needs nothing."""
    login_tenant(client, place.tenants["A"])
    arabic = client.get(f"/neighbourhoods/{place.hood_id}?lang=ar").get_data(as_text=True)
    assert "<title>\u2068Wijk Noord\u2069 · inspraak</title>" in arabic
    council = client.get(f'/council/{place.councils["A"].id}/published?lang=ar').get_data(as_text=True)
    assert "<title>\u2068Raad A\u2069 · inspraak</title>" in council
    dutch = client.get(f"/neighbourhoods/{place.hood_id}?lang=nl").get_data(as_text=True)
    assert "<title>Wijk Noord · inspraak</title>" in dutch


def test_a_decision_reads_the_same_day_on_the_neighbourhood_page_and_the_councils_page(client, place, login_tenant):
    """The day the vote closed (these meetings are in two days, their online votes closed today): the council's page
    gave the meeting's day, the neighbourhood page the closing day."""
    login_tenant(client, place.tenants["A"])
    motion = db.session.scalar(db.select(Motion).where(Motion.closed_at.is_not(None)))
    with client.application.test_request_context("/?lang=ar"):
        decided = format_date(motion.decided_on, "long")
        meeting_day = format_date(motion.agenda_item.meeting.day, "long")
    # the Dutch day voting closed (read from closed_at, not the clock again: Dutch midnight may have passed since)
    assert motion.decided_on == local_today(motion.closed_at)
    hood = client.get(f"/neighbourhoods/{place.hood_id}?lang=ar").get_data(as_text=True)
    council = client.get(f'/council/{place.councils["A"].id}/published?lang=ar').get_data(as_text=True)
    assert f">{decided}</td>" in hood
    assert decided in council
    assert meeting_day != decided and meeting_day not in council.split('id="minutes-heading"')[0]


def test_a_show_of_hands_is_decided_on_the_meetings_day_whenever_its_counts_are_entered():
    from datetime import datetime, timezone

    from inspraak.council.models import AgendaItem, Channel, Meeting

    meeting = Meeting(starts_at=datetime(2026, 3, 2, 23, 30, tzinfo=timezone.utc))  # 00:30 on 3 March in Utrecht
    entered_later = datetime(2026, 3, 5, 10, 0, tzinfo=timezone.utc)
    by_hand = Motion(channel=Channel.SHOW_OF_HANDS, closed_at=entered_later, agenda_item=AgendaItem(meeting=meeting))
    online = Motion(channel=Channel.ONLINE, closed_at=entered_later, agenda_item=AgendaItem(meeting=meeting))
    assert str(by_hand.decided_on) == "2026-03-03" and str(online.decided_on) == "2026-03-05"
    assert Motion(channel=Channel.ONLINE, agenda_item=AgendaItem(meeting=meeting)).decided_on is None
