"""Two publishers saving one quote or one planned action at once: what one left as shown keeps the other's
change; one thing changed by both is refused to the second, with the first one's beside it."""
from __future__ import annotations

from datetime import date

import pytest

from inspraak.extensions import db
from inspraak.results.models import Outcome, OutcomeStatus, Quote
from tests.concurrency import at_the_same_moment, fresh, one_after_the_other, read_forms, told

TEXT_CLASH = "Someone else changed this text at the same moment. It now reads: “<bdi>%s</bdi>”. Keep the text you want and save again."


@pytest.fixture
def publishers(world_published, make_staff):  # noqa: ANN001, ANN201
    """(the results page, the quote's and the action's form addresses, the quote id, the action id, two publishers)."""
    world, staff, _tenant, quote, outcome = world_published
    page = f"/staff/results/{world.consultation.id}"
    return (page, f"/staff/results/quotes/{quote.id}", f"/staff/results/outcomes/{outcome.id}", quote.id, outcome.id,
            (staff, make_staff(staff.corporation, "publisher")))


# ---------------------------------------------------------------- quotes

def test_a_quote_edited_by_two_publishers_is_refused_to_the_second_with_the_first_ones_text(app, publishers,
                                                                                           login_staff):
    page, action, _outcome_form, quote_id, _outcome_id, staff = publishers
    second, refused = one_after_the_other(app, login_staff, staff, page, {"text": "Het plein is heel mooi"},
                                          {"text": "Het plein is prachtig"}, action=action)
    body = refused.get_data(as_text=True)
    assert refused.status_code == 409 and TEXT_CLASH % "Het plein is heel mooi" in body
    assert fresh(Quote, quote_id).text == {"nl": "Het plein is heel mooi"}
    again = read_forms(body)[action]
    assert again["text"] == "Het plein is prachtig"  # the second publisher's own text stays in the form
    assert second.post(action, data=again).status_code == 302
    assert fresh(Quote, quote_id).text == {"nl": "Het plein is prachtig"}


def test_a_quote_saved_as_shown_keeps_the_text_another_publisher_saved(app, publishers, login_staff):
    """Before, the second save put back the old text (and, as a changed text, dropped any translations)."""
    page, action, _outcome_form, quote_id, _outcome_id, staff = publishers
    _second, saved = one_after_the_other(app, login_staff, staff, page, {"text": "Het plein is heel mooi"}, {},
                                         action=action)
    assert saved.status_code == 302
    assert fresh(Quote, quote_id).text == {"nl": "Het plein is heel mooi"}


def test_a_confirmation_is_of_the_text_read_not_of_one_changed_meanwhile(app, publishers, login_staff):
    """One publisher changes a quote that may identify someone; the other, who read the old text, confirms
    it. The confirmation is refused: nobody has checked the new text yet."""
    page, action, _outcome_form, quote_id, _outcome_id, staff = publishers
    db.session.execute(db.update(Quote).where(Quote.id == quote_id)
                       .values(text={"nl": "Bel mij: 06 12345678"}, flags=["phone"]))
    db.session.commit()
    _second, refused = one_after_the_other(app, login_staff, staff, page, {"text": "Bel mij: 06 87654321"},
                                           {"confirmed": "y"}, action=action)
    assert refused.status_code == 409 and TEXT_CLASH % "Bel mij: 06 87654321" in refused.get_data(as_text=True)
    quote = fresh(Quote, quote_id)
    assert quote.text == {"nl": "Bel mij: 06 87654321"} and quote.reviewed_by_id is None


# ---------------------------------------------------------------- planned actions

def test_a_planned_date_changed_by_two_publishers_is_refused_to_the_second(app, publishers, login_staff):
    page, _quote_form, action, _quote_id, outcome_id, staff = publishers
    _second, refused = one_after_the_other(app, login_staff, staff, page, {"due_on": "2027-03-01"},
                                           {"due_on": "2027-04-01"}, action=action)
    told(refused, "March 1, 2027")
    assert fresh(Outcome, outcome_id).due_on == date(2027, 3, 1)


def test_an_actions_status_and_date_changed_by_two_publishers_are_both_kept(app, publishers, login_staff):
    page, _quote_form, action, _quote_id, outcome_id, staff = publishers
    _second, saved = one_after_the_other(app, login_staff, staff, page, {"status": "in_progress"},
                                         {"due_on": "2027-04-01"}, action=action)
    assert saved.status_code == 302
    outcome = fresh(Outcome, outcome_id)
    assert outcome.status is OutcomeStatus.IN_PROGRESS and outcome.due_on == date(2027, 4, 1)


def test_a_status_and_its_reason_go_together(app, publishers, login_staff):
    """One publisher says the action will not go ahead (with why); the other, meanwhile, that it is done."""
    page, _quote_form, action, _quote_id, outcome_id, staff = publishers
    _second, refused = one_after_the_other(app, login_staff, staff, page,
                                           {"status": "withdrawn", "note": "Te duur"}, {"status": "done"}, action=action)
    body = told(refused, "Not going ahead")
    assert TEXT_CLASH % "Te duur" in body
    assert fresh(Outcome, outcome_id).status is OutcomeStatus.WITHDRAWN


def test_two_publishers_saving_one_action_at_the_same_moment_keep_both(app, publishers, login_staff):
    page, _quote_form, action, _quote_id, outcome_id, staff = publishers
    changes = [{"status": "done"}, {"due_on": "2027-05-01"}]
    assert at_the_same_moment(app, login_staff, staff, page, changes, action=action) == [302, 302]
    outcome = fresh(Outcome, outcome_id)
    assert outcome.status is OutcomeStatus.DONE and outcome.due_on == date(2027, 5, 1)
