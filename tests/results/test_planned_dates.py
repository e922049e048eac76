"""A planned action's date: tenants read "Planned for <date>", so a date that has passed is refused while
the action is still planned; an action that is done, under way or not going ahead may keep an earlier date."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from inspraak.core.once import new_token
from inspraak.core.timeutil import local_today
from inspraak.extensions import db
from inspraak.results import outcomes
from inspraak.results.models import Outcome, OutcomeStatus

PASSED = "This date has passed. For a planned action, choose today or a later date, or leave the date empty."


def _show_url(world) -> str:  # noqa: ANN001
    return f"/staff/results/{world.consultation.id}"


def test_a_new_action_with_a_date_that_has_passed_is_refused_beside_the_date(client, world_published,
                                                                              login_staff):
    world, staff, _tenant, _quote, _outcome = world_published
    login_staff(client, staff)
    before = len(outcomes.list_outcomes(world.consultation.id))
    yesterday = (local_today() - timedelta(days=1)).isoformat()
    response = client.post_form(f"{_show_url(world)}/outcomes?lang=en",
                                {"text": "Nieuwe lampen", "due_on": yesterday, "once": new_token()},
                                token_from=_show_url(world))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="due_on-error"' in page and PASSED in page and 'id="text-error"' not in page
    assert f'value="{yesterday}"' in page and "Nieuwe lampen" in page  # what was typed comes back
    db.session.expire_all()
    assert len(outcomes.list_outcomes(world.consultation.id)) == before


def test_today_or_later_is_a_planned_date(client, world_published, login_staff, one_dutch_day):
    """Today is accepted: the test's today and the app's are one date (Dutch midnight may pass between them)."""
    world, staff, _tenant, _quote, _outcome = world_published
    login_staff(client, staff)
    for day in (one_dutch_day, one_dutch_day + timedelta(days=30)):
        response = client.post_form(f"{_show_url(world)}/outcomes?lang=en",
                                    {"text": f"Actie {day}", "due_on": day.isoformat(), "once": new_token()},
                                    token_from=_show_url(world))
        assert response.status_code == 302, response.get_data(as_text=True)[-3000:]


def test_a_planned_action_cannot_be_moved_to_a_date_that_has_passed(client, world_published, login_staff):
    world, staff, _tenant, _quote, outcome = world_published
    login_staff(client, staff)
    last_week = (local_today() - timedelta(days=7)).isoformat()
    response = client.post_form(f"/staff/results/outcomes/{outcome.id}?lang=en",
                                {"status": "planned", "due_on": last_week}, token_from=_show_url(world))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="due-{outcome.id}-error"' in page and PASSED in page and f'id="why-{outcome.id}-error"' not in page
    db.session.expire_all()
    assert db.session.get(Outcome, outcome.id).due_on is None


@pytest.mark.parametrize("status", ["done", "in_progress", "withdrawn"])
def test_an_action_that_is_no_longer_only_planned_keeps_an_earlier_date(client, world_published, login_staff,
                                                                        status):
    world, staff, _tenant, _quote, outcome = world_published
    login_staff(client, staff)
    last_month = local_today() - timedelta(days=30)
    response = client.post_form(f"/staff/results/outcomes/{outcome.id}?lang=en",
                                {"status": status, "due_on": last_month.isoformat(), "note": "Geen vergunning"},
                                token_from=_show_url(world))
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    db.session.expire_all()
    stored = db.session.get(Outcome, outcome.id)
    assert stored.status is OutcomeStatus(status) and stored.due_on == last_month


@pytest.mark.parametrize("lang", ["nl", "tr", "ar", "pl"])
def test_the_message_is_in_the_publishers_language(client, world_published, login_staff, lang):
    world, staff, _tenant, _quote, _outcome = world_published
    login_staff(client, staff)
    yesterday = (local_today() - timedelta(days=1)).isoformat()
    page = client.post_form(f"{_show_url(world)}/outcomes?lang={lang}",
                            {"text": "Nieuwe lampen", "due_on": yesterday, "once": new_token()},
                            token_from=_show_url(world)).get_data(as_text=True)
    assert 'id="due_on-error"' in page and PASSED not in page


def test_a_new_action_is_typed_in_the_consultations_language(client, world_published, login_staff):
    """It is stored as the source language's text: in an Arabic staff page a Dutch action typed right to left
    showed its full stop on the wrong side, as the quote and reason boxes beside it did not."""
    world, staff, _tenant, _quote, _outcome = world_published
    login_staff(client, staff)
    page = client.get(f"{_show_url(world)}?lang=ar").get_data(as_text=True)
    assert '<textarea dir="ltr" id="text" lang="nl" maxlength="2000" name="text" required rows="3">' in page


def _box_directions(page: str) -> dict[str, tuple[str, str]]:
    """The quote, reason and new-action boxes of the publisher's page: id prefix → (lang, dir)."""
    boxes = {}
    for tag in re.findall(r"<textarea [^>]*>", page):
        box_id = re.search(r'id="([a-z]+)', tag).group(1)
        boxes[box_id] = (re.search(r'lang="(\w+)"', tag).group(1), re.search(r'dir="(\w+)"', tag).group(1))
    return boxes


@pytest.mark.parametrize(("source", "direction"), [("nl", "ltr"), ("ar", "rtl")])
def test_quote_reason_and_action_boxes_take_the_direction_of_the_consultations_language(
        client, world_published, login_staff, source, direction):
    """They hold text in the consultation's language, whatever the staff page's: an Arabic consultation's boxes are
    right to left on a Dutch page, a Dutch one's left to right on an Arabic page."""
    world, staff, _tenant, quote, outcome = world_published
    for item in (world.consultation, quote, outcome):
        item.source_language = source
    db.session.commit()
    login_staff(client, staff)
    page = client.get(f"{_show_url(world)}?lang={'nl' if source == 'ar' else 'ar'}").get_data(as_text=True)
    boxes = _box_directions(page)
    assert [boxes[name] for name in ("quote", "why", "text")] == [(source, direction)] * 3
