"""The counting rules under a council's statutes."""
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from inspraak.council.rules import (
    Choice, Majority, Outcome, QuorumRule, RuleViolation, Statutes, Tally, check_counts, check_proxy,
    decide, majority_reached, quorum_met, voting_rights, votes_cast,
)

DEFAULT = Statutes()
statutes_st = st.builds(
    Statutes,
    quorum=st.sampled_from(QuorumRule),
    proxies_count_for_quorum=st.booleans(),
    majority=st.sampled_from(Majority),
    abstentions_count_as_cast=st.booleans(),
    proxies_allowed=st.booleans(),
    proxy_cap=st.integers(0, 3),
)


@st.composite
def meetings(draw):
    entitled = draw(st.integers(0, 60))
    present = draw(st.integers(0, entitled))
    proxies = draw(st.integers(0, entitled - present))
    voters = draw(st.integers(0, present + proxies))
    for_ = draw(st.integers(0, voters))
    against = draw(st.integers(0, voters - for_))
    return entitled, present, proxies, Tally(for_, against, voters - for_ - against)


@given(st.lists(st.sampled_from(Choice), max_size=80), statutes_st)
def test_choices_add_up_to_votes_cast(choices, statutes):
    tally = Tally.of(choices)
    assert tally.total == len(choices)
    expected = sum(1 for c in choices if c is not Choice.ABSTAIN or statutes.abstentions_count_as_cast)
    assert votes_cast(tally, statutes) == expected


@given(meetings(), statutes_st, st.sampled_from(Majority))
def test_one_more_for_never_turns_adopted_into_rejected(meeting, statutes, majority):
    entitled, present, proxies, tally = meeting
    assume(present < entitled)
    before = decide(tally, entitled=entitled, present=present, proxies=proxies, statutes=statutes, majority=majority)
    more = Tally(tally.for_ + 1, tally.against, tally.abstain)
    after = decide(more, entitled=entitled, present=present + 1, proxies=proxies, statutes=statutes, majority=majority)
    if before.outcome is Outcome.ADOPTED:
        assert after.outcome is Outcome.ADOPTED


@given(meetings(), statutes_st, st.sampled_from(Majority))
def test_missed_quorum_is_never_adopted(meeting, statutes, majority):
    entitled, present, proxies, tally = meeting
    decision = decide(tally, entitled=entitled, present=present, proxies=proxies, statutes=statutes, majority=majority)
    if not quorum_met(entitled, present, proxies, statutes):
        assert decision.outcome is Outcome.NO_QUORUM
    else:
        assert decision.outcome is not Outcome.NO_QUORUM


@given(st.integers(0, 50), statutes_st)
def test_a_tie_is_rejected(n, statutes):
    tally = Tally(n, n, 0)
    for majority in (Majority.VOTES_CAST, Majority.TWO_THIRDS):
        assert not majority_reached(tally, entitled=2 * n, statutes=statutes, majority=majority)


def test_majority_of_votes_cast_boundaries():
    assert majority_reached(Tally(3, 2, 0), entitled=10, statutes=DEFAULT)
    assert not majority_reached(Tally(2, 2, 0), entitled=10, statutes=DEFAULT)
    assert not majority_reached(Tally(0, 0, 0), entitled=10, statutes=DEFAULT)


def test_abstentions_do_not_count_by_default():
    tally = Tally(3, 2, 4)
    assert majority_reached(tally, entitled=10, statutes=DEFAULT)
    counted = Statutes(abstentions_count_as_cast=True)
    assert votes_cast(tally, counted) == 9
    assert not majority_reached(tally, entitled=10, statutes=counted)


def test_absolute_majority_counts_all_members():
    rule = Majority.ABSOLUTE
    assert not majority_reached(Tally(5, 0, 0), entitled=10, statutes=DEFAULT, majority=rule)  # exactly half
    assert majority_reached(Tally(6, 4, 0), entitled=10, statutes=DEFAULT, majority=rule)
    assert majority_reached(Tally(6, 0, 0), entitled=11, statutes=DEFAULT, majority=rule)
    assert not majority_reached(Tally(5, 0, 0), entitled=11, statutes=DEFAULT, majority=rule)


def test_two_thirds_boundaries():
    rule = Majority.TWO_THIRDS
    assert majority_reached(Tally(2, 1, 0), entitled=10, statutes=DEFAULT, majority=rule)  # exactly 2/3
    assert not majority_reached(Tally(5, 3, 0), entitled=10, statutes=DEFAULT, majority=rule)  # 62.5%
    assert majority_reached(Tally(6, 3, 5), entitled=20, statutes=DEFAULT, majority=rule)
    assert not majority_reached(Tally(6, 3, 5), entitled=20, statutes=Statutes(abstentions_count_as_cast=True), majority=rule)


def test_quorum_more_than_half_with_proxies():
    assert not quorum_met(10, 5, 0, DEFAULT)  # exactly half
    assert quorum_met(10, 5, 1, DEFAULT)
    assert not quorum_met(10, 5, 1, Statutes(proxies_count_for_quorum=False))
    assert quorum_met(10, 5, 0, Statutes(quorum=QuorumRule.AT_LEAST_HALF))
    assert quorum_met(10, 0, 0, Statutes(quorum=QuorumRule.NONE))
    assert not quorum_met(0, 0, 0, DEFAULT)


def test_decide_reports_no_quorum_even_when_all_voted_for():
    decision = decide(Tally(4, 0, 0), entitled=10, present=4, proxies=1, statutes=DEFAULT)
    assert decision.outcome is Outcome.NO_QUORUM and not decision.quorum_met


def test_decide_refuses_more_votes_than_represented():
    with pytest.raises(ValueError):
        decide(Tally(4, 2, 0), entitled=10, present=4, proxies=1, statutes=DEFAULT)
    with pytest.raises(RuleViolation):
        check_counts(Tally(4, 2, 0), present=4, proxies=1)
    check_counts(Tally(4, 1, 0), present=4, proxies=1)


@pytest.mark.parametrize(
    ("giver", "holder", "existing", "statutes", "reason"),
    [
        (1, 2, [], Statutes(proxies_allowed=False), "not_allowed"),
        (1, 1, [], DEFAULT, "self"),
        (1, 3, [(1, 2)], Statutes(proxy_cap=2), "already_given"),
        (1, 2, [(2, 3)], Statutes(proxy_cap=2), "chain"),  # the holder gave their own vote away
        (1, 2, [(3, 1)], Statutes(proxy_cap=2), "chain"),  # the giver holds someone's vote
        (1, 2, [(3, 2)], DEFAULT, "cap"),
        (1, 2, [(3, 2), (4, 2)], Statutes(proxy_cap=2), "cap"),
    ],
)
def test_proxy_refusals(giver, holder, existing, statutes, reason):
    with pytest.raises(RuleViolation) as error:
        check_proxy(giver, holder, existing, statutes)
    assert error.value.reason == reason


def test_proxy_within_cap_is_allowed():
    check_proxy(1, 2, [], DEFAULT)
    check_proxy(1, 2, [(3, 2)], Statutes(proxy_cap=2))


def test_a_delegator_cannot_vote_and_a_holder_votes_for_givers():
    proxies = [(1, 2), (3, 2)]
    assert voting_rights(1, proxies) == []
    assert voting_rights(2, proxies) == [None, 1, 3]
    assert voting_rights(4, proxies) == [None]
