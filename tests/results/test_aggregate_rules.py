"""Statistics on grouped counts, against hand-computed values and naive expanded lists."""
from __future__ import annotations

import statistics
from collections import Counter
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspraak.results.aggregate_rules import (
    INVITED,
    RESPONDENTS,
    NetScore,
    Share,
    mean,
    median,
    net_score,
    quantile,
    ranking,
    response_rate,
    response_rates_by_channel,
    share,
    shares,
    summarize,
)


def test_share_states_its_base():
    s = share(3, 12)
    assert (s.count, s.base, s.base_kind) == (3, 12, RESPONDENTS)
    assert s.fraction == Fraction(1, 4)
    assert s.percent == 25
    assert share(0, 0).fraction is None
    assert share(0, 0).percent is None
    with pytest.raises(ValueError):
        Share(1, 2, "households")


def test_response_rate_is_of_the_invited():
    rate = response_rate(30, 120)
    assert rate.base_kind == INVITED and rate.percent == 25
    with pytest.raises(ValueError):
        response_rate(121, 120)
    by_channel = response_rates_by_channel({"online": 20, "paper": 6, "letter_code": 3, "assisted": 1}, 120)
    assert by_channel["paper"].percent == 5
    assert sum(s.count for s in by_channel.values()) == 30
    with pytest.raises(ValueError):
        response_rates_by_channel({"online": 100, "paper": 30}, 120)


def test_multiple_choice_shares_are_of_respondents_and_may_exceed_100_percent():
    result = shares({"garden": 8, "parking": 6, "lighting": 4}, base=10)
    assert [s.percent for s in result.values()] == [80, 60, 40]
    assert sum(s.percent for s in result.values()) == 180
    with pytest.raises(ValueError):
        shares({"garden": 11}, base=10)


def test_mean_median_and_quartiles_by_hand():
    # answers 1, 2, 2, 3, 4, 4, 4, 5  (n = 8)
    dist = {1: 1, 2: 2, 3: 1, 4: 3, 5: 1}
    assert mean(dist) == Fraction(25, 8)
    assert median(dist) == Fraction(7, 2)  # (3 + 4) / 2: even n takes the two middle answers
    # positions (n-1)p: 1.75 → 2 + .75·0 = 2; 5.25 → 4 + .25·0 = 4
    assert quantile(dist, Fraction(1, 4)) == 2
    assert quantile(dist, Fraction(3, 4)) == 4
    summary = summarize(dist)
    assert (summary.minimum, summary.maximum, summary.respondents) == (1, 5, 8)
    assert median({1: 1, 2: 1, 3: 1, 4: 1}) == Fraction(5, 2)
    assert median({7: 1}) == 7
    assert quantile({10: 1, 20: 1}, "0.25") == Fraction(25, 2)


def test_empty_distributions_have_no_statistics():
    assert mean({}) is None
    assert median({3: 0}) is None
    assert summarize({}).upper_quartile is None


def test_decimal_values_are_exact():
    assert mean({Decimal("1.1"): 1, Decimal("2.2"): 1}) == Fraction(33, 20)
    with pytest.raises(ValueError):
        mean({1.5: 2})  # floats are refused: the database gives whole numbers or decimals
    with pytest.raises(ValueError):
        quantile({1: 1}, Fraction(3, 2))
    with pytest.raises(ValueError):
        mean({1: -1})


def test_net_score_by_hand():
    # 5 promoters (9, 10), 3 passives (7, 8), 2 detractors (0–6): (5 - 2) / 10 = 30
    result = net_score({10: 3, 9: 2, 8: 2, 7: 1, 6: 1, 0: 1})
    assert result == NetScore(promoters=5, passives=3, detractors=2)
    assert result.score == 30
    assert net_score({0: 4}).score == -100
    assert net_score({}).score is None
    with pytest.raises(ValueError):
        net_score({11: 1})


def test_ranking_by_hand():
    # 4 respondents ranked A, B, C; one did not rank C at all.
    positions = {"A": {1: 3, 2: 1}, "B": {1: 1, 2: 2, 3: 1}, "C": {2: 1, 3: 2}}
    result = ranking(positions, respondents=4)
    assert result["A"].mean_rank == Fraction(5, 4)
    assert result["A"].first_choice.percent == 75
    assert result["C"].ranked_by == 3
    assert result["C"].mean_rank == Fraction(8, 3)
    assert result["C"].first_choice.count == 0
    with pytest.raises(ValueError):
        ranking({"A": {0: 1}}, respondents=1)
    with pytest.raises(ValueError):
        ranking({"A": {1: 2}, "B": {1: 1}}, respondents=2)


# --- against naive implementations on expanded lists ---------------------------------

answers = st.lists(st.integers(-50, 200), min_size=1, max_size=60)


@settings(deadline=None)  # the machine is shared: timing is not what these test
@given(answers)
def test_mean_and_median_match_the_expanded_list(values):
    dist = Counter(values)
    assert mean(dist) == Fraction(sum(values), len(values))
    assert median(dist) == Fraction(statistics.median(values))  # halves of small ints are exact floats
    ordered = sorted(values)
    middle = len(values) // 2
    expected = ordered[middle] if len(values) % 2 else Fraction(ordered[middle - 1] + ordered[middle], 2)
    assert median(dist) == expected


@settings(deadline=None)  # the machine is shared: timing is not what these test
@given(st.lists(st.integers(0, 1000), min_size=2, max_size=60))
def test_quartiles_match_statistics_inclusive(values):
    dist = Counter(values)
    q1, q2, q3 = statistics.quantiles([Fraction(v) for v in values], n=4, method="inclusive")
    summary = summarize(dist)
    assert (summary.lower_quartile, summary.median, summary.upper_quartile) == (q1, q2, q3)
    assert summary.minimum == min(values) and summary.maximum == max(values)


@settings(deadline=None)  # the machine is shared: timing is not what these test
@given(st.lists(st.integers(0, 10), max_size=80))
def test_net_score_matches_the_expanded_list(values):
    result = net_score(Counter(values))
    promoters = sum(v >= 9 for v in values)
    detractors = sum(v <= 6 for v in values)
    assert result.respondents == len(values)
    if values:
        assert result.score == Fraction(100 * (promoters - detractors), len(values))
        assert -100 <= result.score <= 100
    else:
        assert result.score is None


@settings(deadline=None)  # the machine is shared: timing is not what these test
@given(st.lists(st.sets(st.sampled_from("abcde")), max_size=40))
def test_multiple_choice_shares_match_the_expanded_list(ticks):
    counts = Counter(option for chosen in ticks for option in chosen)
    result = shares(dict(counts), base=len(ticks))
    for option, s in result.items():
        assert s.fraction == Fraction(sum(option in chosen for chosen in ticks), len(ticks))


@settings(deadline=None)  # the machine is shared: timing is not what these test
@given(st.lists(st.permutations("abcd").flatmap(lambda p: st.integers(1, 4).map(lambda n: p[:n])), max_size=40))
def test_ranking_matches_the_expanded_list(rankings):
    positions: dict = {}
    for ranked in rankings:
        for place, option in enumerate(ranked, start=1):
            positions.setdefault(option, Counter())[place] += 1
    result = ranking(positions, respondents=len(rankings))
    for option, summary in result.items():
        places = [r.index(option) + 1 for r in rankings if option in r]
        assert summary.ranked_by == len(places)
        assert summary.mean_rank == Fraction(sum(places), len(places))
        assert summary.first_choice.fraction == Fraction(sum(r[0] == option for r in rankings), len(rankings))
