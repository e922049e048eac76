"""Two admins changing one council's statutes at once: the rules are one set, so a second change is told, never merged."""
from __future__ import annotations

import pytest

from inspraak.council.models import Council
from inspraak.council.rules import Majority, QuorumRule
from tests.concurrency import at_the_same_moment, fresh, one_after_the_other, read_forms, told


@pytest.fixture
def council_page(make_council, make_staff):  # noqa: ANN001, ANN201
    """(council id, its staff page, two admins)."""
    council, _members = make_council(size=2)
    admins = (make_staff(council.corporation), make_staff(council.corporation))
    return council.id, f"/staff/councils/{council.id}", admins


def test_statutes_changed_by_two_admins_are_refused_to_the_second_as_a_whole(app, council_page, login_staff):
    """One admin raises the proxy cap, the other asks two thirds: each alone may be right, but the rules are
    adopted as one set. The second is told the cap of now; nothing of their form is saved, their choice stays."""
    council_id, page, admins = council_page
    second, refused = one_after_the_other(app, login_staff, admins, page, {"proxy_cap": "2"},
                                          {"default_majority": "two_thirds"}, action=f"{page}/statutes")
    body = told(refused, "2")
    council = fresh(Council, council_id)
    assert council.proxy_cap == 2 and council.default_majority is Majority.VOTES_CAST
    assert '<details id="statutes" class="card" open>' in body
    again = read_forms(body)[f"{page}/statutes"]
    assert again["default_majority"] == "two_thirds" and again["proxy_cap"] == "2"  # theirs shown, mine kept
    assert second.post(f"{page}/statutes", data=again).status_code == 302
    council = fresh(Council, council_id)
    assert council.proxy_cap == 2 and council.default_majority is Majority.TWO_THIRDS


def test_statutes_left_as_shown_keep_what_another_admin_saved_meanwhile(app, council_page, login_staff):
    """Saved without a change (or with the same change), the form does not undo the other admin's rules."""
    council_id, page, admins = council_page
    _second, saved = one_after_the_other(app, login_staff, admins, page,
                                         {"quorum_rule": "at_least_half", "proxies_allowed": None},
                                         {"quorum_rule": "at_least_half"}, action=f"{page}/statutes")
    assert saved.status_code == 302
    council = fresh(Council, council_id)
    assert council.quorum_rule is QuorumRule.AT_LEAST_HALF and council.proxies_allowed is False


def test_two_admins_changing_the_statutes_at_the_same_moment_one_is_told(app, council_page, login_staff):
    council_id, page, admins = council_page
    statuses = at_the_same_moment(app, login_staff, admins, page, [{"proxy_cap": "3"}, {"quorum_rule": "none"}],
                                  action=f"{page}/statutes")
    assert sorted(statuses) == [302, 400]
    council = fresh(Council, council_id)
    assert (council.proxy_cap, council.quorum_rule) in ((3, QuorumRule.MORE_THAN_HALF), (1, QuorumRule.NONE))
