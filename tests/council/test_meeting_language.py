"""A meeting's title and place carry the language the secretary typed them in (WCAG 2.1 3.1.2, language of parts)."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from inspraak.core.db import utcnow
from inspraak.core.errors import DomainError
from inspraak.core.i18n_setup import FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE
from inspraak.core.once import new_token
from inspraak.core.timeutil import local_today
from inspraak.council import advice, agendas, records, voting
from inspraak.council.models import ItemKind, Meeting, RequestKind, Subject
from inspraak.council.rules import Choice
from inspraak.extensions import db
from inspraak.notify.models import OutboxMessage

TITLE, PLACE = "Kış toplantısı", "Toplum merkezi (salon 2)"
TURKISH_TITLE = f'<span lang="tr" dir="ltr">{TITLE}</span>'
TURKISH_PLACE = f'<bdi lang="tr" dir="ltr">{PLACE}</bdi>'


def _plan_page(council) -> str:  # noqa: ANN001
    return f"/council/{council.id}/meetings/new"


def _meetings(council) -> list[Meeting]:  # noqa: ANN001
    return db.session.scalars(sa.select(Meeting).where(Meeting.council_id == council.id)).all()


def test_the_language_starts_on_the_writers_own(client, make_council, login_tenant):
    council, members = make_council(size=2)
    login_tenant(client, members[0].person)
    form = client.get(_plan_page(council) + "?lang=tr").get_data(as_text=True)
    assert '<option selected value="tr">Türkçe</option>' in form
    assert all(f'value="{code}"' in form for code in ("nl", "en", "tr", "ar", "pl"))
    assert "Başlığın ve yerin yazıldığı dil." in form  # the hint: the language is that of the title and the place
    assert '<option selected value="ar">' in client.get(_plan_page(council) + "?lang=ar").get_data(as_text=True)


def test_the_chosen_language_is_stored_with_the_meeting(client, make_council, login_tenant):
    council, members = make_council(size=2)
    login_tenant(client, members[0].person)
    response = client.post_form(_plan_page(council) + "?lang=ar", {
        "title": TITLE, "starts_at": "2030-04-01T19:30", "place": PLACE, "language": "tr", "once": new_token(),
    }, token_from=_plan_page(council))
    assert response.status_code == 302
    db.session.commit()
    [meeting] = _meetings(council)
    assert (meeting.title, meeting.place, meeting.source_language) == (TITLE, PLACE, "tr")


@pytest.mark.parametrize("bad", ["xx", "", "nl-x", "ar" * 60])
def test_a_language_the_site_does_not_offer_is_refused_at_the_field(client, make_council, login_tenant, bad):
    """The form comes back (400) with the title, the time and the place as typed, the message at the language."""
    council, members = make_council(size=2)
    login_tenant(client, members[0].person)
    sent = client.post_form(_plan_page(council) + "?lang=en", {
        "title": TITLE, "starts_at": "2030-04-01T19:30", "place": PLACE, "language": bad, "once": new_token(),
    }, token_from=_plan_page(council))
    body = sent.get_data(as_text=True)
    assert sent.status_code == 400
    assert f'value="{TITLE}"' in body and f'value="{PLACE}"' in body and 'value="2030-04-01T19:30"' in body
    assert '<p class="error-message" id="language-error">Choose one of the options shown.</p>' in body
    assert _meetings(council) == []


def test_a_meeting_sent_without_a_valid_form_token_is_not_planned(client, make_council, login_tenant):
    council, members = make_council(size=2)
    login_tenant(client, members[0].person)
    response = client.post(_plan_page(council), data={
        "title": TITLE, "starts_at": "2030-04-01T19:30", "place": PLACE, "language": "tr", "once": new_token(),
        "csrf_token": "forged",
    })
    assert response.status_code == 400
    assert _meetings(council) == []


def test_the_service_refuses_a_language_the_site_does_not_offer(make_council):
    council, members = make_council(size=2)
    with pytest.raises(DomainError):
        agendas.plan_meeting(council, title=TITLE, starts_at=utcnow(), place=PLACE, source_language="xx",
                             by=members[0])
    assert _meetings(council) == []


def _turkish_meeting(council, members, staff, *, language="tr"):  # noqa: ANN001, ANN202
    """A past meeting with a Turkish title and place, its minutes published, and an advice request the council
    answered at it (its timeline names the meeting). Returns (meeting id, request id)."""
    secretary = members[0]
    meeting = agendas.plan_meeting(council, title=TITLE, starts_at=utcnow() - timedelta(days=3), place=PLACE,
                                   source_language=language, by=secretary)
    item = agendas.add_agenda_item(meeting, kind=ItemKind.ADVICE, title={"tr": "Kira"}, source_language="tr")
    motion = voting.propose_motion(item, text={"tr": "Olumlu görüş veriyoruz."}, source_language="tr")
    agendas.publish_agenda(meeting, by=secretary)
    agendas.open_meeting(meeting, by=secretary)
    voting.open_vote(motion, closes_at=None, by=secretary)
    for member in members:
        voting.cast_vote(motion.id, member, Choice.FOR)
    voting.close_vote(motion, by=secretary)
    records.save_minutes(meeting, {"tr": "Herkes vardı."}, source_language="tr", by=secretary)
    agendas.close_meeting(meeting, by=secretary)
    records.approve_minutes(meeting, by=secretary)
    records.publish_minutes(meeting, by=secretary)
    request = advice.send_request(
        council, subject=Subject.RENT_POLICY, kind=RequestKind.ADVICE, title={"nl": "Huurbeleid"},
        body={"nl": "Graag uw advies."}, source_language="nl", received_on=local_today() - timedelta(days=10),
        period_days=42, by=staff,
    )
    advice.link_request(request, meeting=meeting, motion=motion, consultation_id=None, by=secretary)
    advice.send_advice(request, text="Akkoord.", language="nl", sent_on=local_today(), by=secretary)
    db.session.commit()
    return meeting.id, request.id


def _pages(client, council_id, ids, member, staff, login_tenant, login_staff, lang):  # noqa: ANN001, ANN202
    """Every page that shows the meeting's title: {path: html} for the secretary and for staff."""
    meeting_id, request_id = ids
    login_tenant(client, member.person)
    paths = [f"/council/{council_id}", f"/council/meetings/{meeting_id}", f"/council/meetings/{meeting_id}/manage",
             f"/council/{council_id}/published", f"/council/minutes/{meeting_id}",
             f"/council/{council_id}/advice/{request_id}"]
    pages = {path: client.get(f"{path}?lang={lang}").get_data(as_text=True) for path in paths}
    staff_client = client.application.test_client()
    login_staff(staff_client, staff)
    paths = [f"/staff/councils/{council_id}", f"/staff/councils/{council_id}/published",
             f"/staff/councils/minutes/{meeting_id}", f"/staff/councils/advice/{request_id}"]
    pages.update({path: staff_client.get(f"{path}?lang={lang}").get_data(as_text=True) for path in paths})
    return pages


def test_a_turkish_title_and_place_are_marked_turkish_on_every_page_in_another_language(
        client, make_council, make_staff, login_tenant, login_staff):
    """On an Arabic page a Turkish title was marked Dutch (lang="nl") and read with Dutch rules; it is now
    lang="tr" dir="ltr" wherever it is shown, and so is the place on the meeting's page."""
    council, members = make_council(size=2)
    staff = make_staff(council.corporation, "editor")
    ids = _turkish_meeting(council, members, staff)
    for lang in ("ar", "nl"):
        pages = _pages(client, council.id, ids, members[0], staff, login_tenant, login_staff, lang)
        for path, page in pages.items():
            assert f'<html lang="{lang}"' in page, path
            assert TURKISH_TITLE in page, (lang, path)
            assert 'lang="nl" dir="ltr">Kış' not in page, (lang, path)
        assert f"<dd>{TURKISH_PLACE}</dd>" in pages[f"/council/meetings/{ids[0]}"]


def test_on_a_page_in_its_own_language_the_title_and_place_take_the_pages(client, make_council, make_staff,
                                                                           login_tenant, login_staff):
    council, members = make_council(size=2)
    staff = make_staff(council.corporation, "editor")
    ids = _turkish_meeting(council, members, staff)
    pages = _pages(client, council.id, ids, members[0], staff, login_tenant, login_staff, "tr")
    for path, page in pages.items():
        assert f"<span>{TITLE}</span>" in page and 'lang="tr" dir="ltr">Kış' not in page, path
    assert f"<dd><bdi>{PLACE}</bdi></dd>" in pages[f"/council/meetings/{ids[0]}"]


def test_a_meeting_planned_before_its_language_was_recorded_shows_as_dutch(client, make_council, make_staff,
                                                                            login_tenant, login_staff):
    """Old rows (NULL) are shown as they were: Dutch, marked so on pages in another language."""
    council, members = make_council(size=2)
    staff = make_staff(council.corporation, "editor")
    ids = _turkish_meeting(council, members, staff)
    db.session.get(Meeting, ids[0]).source_language = None
    db.session.commit()
    arabic = _pages(client, council.id, ids, members[0], staff, login_tenant, login_staff, "ar")
    for path, page in arabic.items():
        assert f'<span lang="nl" dir="ltr">{TITLE}</span>' in page, path
    assert f'<dd><bdi lang="nl" dir="ltr">{PLACE}</bdi></dd>' in arabic[f"/council/meetings/{ids[0]}"]
    dutch = _pages(client, council.id, ids, members[0], staff, login_tenant, login_staff, "nl")
    for path, page in dutch.items():
        assert f"<span>{TITLE}</span>" in page and 'lang="nl" dir="ltr">Kış' not in page, path
    assert f"<dd><bdi>{PLACE}</bdi></dd>" in dutch[f"/council/meetings/{ids[0]}"]


def _agenda_mails(council, members, *, place=PLACE, online_link="", language="tr"):  # noqa: ANN001, ANN202
    """Publish the agenda of a meeting to members reading Arabic, Turkish and Dutch: {language: mail}."""
    for member, reads in zip(members, ("ar", "tr", "nl"), strict=True):
        member.person.preferred_language = reads
    meeting = agendas.plan_meeting(council, title=TITLE, starts_at=utcnow() + timedelta(days=3), place=place,
                                   online_link=online_link, source_language=language or "nl", by=members[0])
    meeting.source_language = language  # None: a meeting planned before the language was recorded
    agendas.add_agenda_item(meeting, kind=ItemKind.INFORMATION, title={"nl": "Welkom"})
    agendas.publish_agenda(meeting, by=members[0])
    db.session.commit()
    mails = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "agenda_published")).all()
    return {mail.language: mail for mail in mails}


def test_the_agenda_mail_marks_the_place_with_its_language(make_council):
    council, members = make_council(size=3)
    mails = _agenda_mails(council, members)
    assert TURKISH_PLACE in mails["ar"].body_html and TURKISH_PLACE in mails["nl"].body_html
    assert f"<bdi>{PLACE}</bdi>" in mails["tr"].body_html and TURKISH_PLACE not in mails["tr"].body_html
    # Plain text cannot say a language: the place is isolated where directions mix (the Arabic mail).
    assert f"{FIRST_STRONG_ISOLATE}{PLACE}{POP_DIRECTIONAL_ISOLATE}" in mails["ar"].body_text
    assert f": {PLACE}\n" in mails["nl"].body_text


def test_the_agenda_mail_of_an_old_meeting_marks_its_place_dutch(make_council):
    council, members = make_council(size=3)
    mails = _agenda_mails(council, members, language=None)
    assert f'<bdi lang="nl" dir="ltr">{PLACE}</bdi>' in mails["ar"].body_html
    assert f"<bdi>{PLACE}</bdi>" in mails["nl"].body_html


def test_an_online_meeting_link_in_the_agenda_mail_has_no_language(make_council):
    council, members = make_council(size=3)
    mails = _agenda_mails(council, members, place="", online_link="https://meet.example/raad")
    assert "<bdi>https://meet.example/raad</bdi>" in mails["ar"].body_html
    assert 'lang="tr"' not in mails["ar"].body_html


def test_a_time_skipped_when_summer_time_starts_is_refused_at_the_field(client, make_council, login_tenant):
    """02:30 on the last Sunday of March never happens in the Netherlands; it was stored as 03:30. The form
    comes back with what was typed and the message beside the time."""
    council, members = make_council(size=2)
    login_tenant(client, members[0].person)
    sent = client.post_form(_plan_page(council) + "?lang=nl", {
        "title": TITLE, "starts_at": "2030-03-31T02:30", "place": PLACE, "language": "tr", "once": new_token(),
    }, token_from=_plan_page(council))
    body = sent.get_data(as_text=True)
    assert sent.status_code == 400
    assert 'value="2030-03-31T02:30"' in body and f'value="{TITLE}"' in body
    assert ('id="starts_at-error">Deze tijd bestaat niet in Nederland: die nacht gaat de klok van 02:00 naar 03:00 '
            'vooruit. Kies een andere tijd.</p>') in body
    assert _meetings(council) == []


def test_the_meeting_on_an_advice_timeline_is_joined_to_its_date_in_the_pages_language(
        client, make_council, make_staff, login_tenant, login_staff):
    """The timeline joined the meeting's title and date with a comma typed into the template: a Latin "," on an
    Arabic page; the join is now a message of its own, with the Arabic comma "،" in Arabic."""
    council, members = make_council(size=2)
    staff = make_staff(council.corporation, "editor")
    ids = _turkish_meeting(council, members, staff)
    for lang, comma in (("ar", "،"), ("nl", ",")):
        pages = _pages(client, council.id, ids, members[0], staff, login_tenant, login_staff, lang)
        for path in (f"/council/{council.id}/advice/{ids[1]}", f"/staff/councils/advice/{ids[1]}"):
            assert f"{TURKISH_TITLE}{comma} " in pages[path], (lang, path)
        # The list of published minutes, for tenants and for staff: the title is a link there.
        for path in (f"/council/{council.id}/published", f"/staff/councils/{council.id}/published",
                     f"/staff/councils/{council.id}"):
            assert f"{TURKISH_TITLE}</a>{comma} " in pages[path], (lang, path)
