"""Hypothesis: random answers with places, through the breakdown code, never publish or give away a hidden cell."""
from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspraak.results.aggregate import PlaceCounts, PlaceName
from inspraak.results.breakdowns import SCORE_BANDS, Places, protect_banded, score_band
from inspraak.results.privacy import Group, protect_table
from tests.results.test_privacy import _assert_protected, _feasible_alternative

NAMES = [PlaceName(1, "N1", 11, "C11"), PlaceName(1, "N1", 12, "C12"), PlaceName(2, "N2", 21, "C21"),
         PlaceName(3, "N3", 31, "C31")]
PLACES = [(1, 11), (1, 12), (2, 21), (3, 31), (None, None)]  # the last: a home outside any complex
OPTIONS = [101, 102, 103]


@st.composite
def answered(draw, exclusive: bool, max_weight: int = 14):  # noqa: ANN001, ANN201
    """Blocks of identical respondents: (place, chosen options, how many)."""
    blocks = []
    for _ in range(draw(st.integers(1, 8))):
        place = draw(st.sampled_from(PLACES))
        if exclusive:
            chosen = {draw(st.sampled_from(OPTIONS))}
        else:
            chosen = draw(st.sets(st.sampled_from(OPTIONS), min_size=1))
        blocks.append((place, chosen, draw(st.integers(1, max_weight))))
    return blocks


def _place_counts(blocks, level: str) -> tuple[PlaceCounts, Counter, int]:  # noqa: ANN001
    """What ``aggregate.count_by_place`` returns for these respondents, the whole's counts, and how many."""
    counts = PlaceCounts()
    whole: Counter = Counter()
    respondents = 0
    for place, chosen, weight in blocks:
        stored = place if level == "complex" else (place[0], None)
        counts.respondents[stored] = counts.respondents.get(stored, 0) + weight
        values = counts.values.setdefault(stored, {})
        for option in chosen:
            values[option] = values.get(option, 0) + weight
            whole[option] += weight
        respondents += weight
    return counts, whole, respondents


def _protect(blocks, level: str, exclusive: bool, k: int):  # noqa: ANN001, ANN202
    """What services._table does with a cut: the whole and the places, one protected table."""
    counts, whole, respondents = _place_counts(blocks, level)
    cut = Places(level, NAMES, {1: counts}).cut(1, int)
    table = protect_table([Group("all", respondents, dict(whole)), *cut.groups(OPTIONS)], OPTIONS,
                          threshold=k, exclusive=exclusive)
    published = cut.publish(table, OPTIONS, lambda v: v if isinstance(v, int) else {"hidden": str(v)},
                            lambda *_a: None)
    return table, published


def _published_numbers(table, published, whole_keys=OPTIONS, columns=OPTIONS) -> dict:  # noqa: ANN001
    """Every number that leaves: the whole's row and each place's row, keyed by table cell."""
    numbers = {("all", None): table.respondents("all"), **{("all", o): table.count("all", o) for o in whole_keys}}
    for group in published["groups"]:
        key = (group["kind"], group["id"])
        numbers[(key, None)] = group["respondents"]
        numbers.update({(key, o): c for o, c in zip(columns, group["counts"])})
    return numbers


def _check(table, published, whole_keys=OPTIONS, columns=OPTIONS) -> None:  # noqa: ANN001
    result = table.suppression
    for cell, value in _published_numbers(table, published, whole_keys, columns).items():
        if isinstance(value, int):
            assert not result.is_hidden(cell) and value == result.counts[cell] and value >= result.threshold, cell
        else:
            assert result.is_hidden(cell), cell
    _assert_protected(result, table.relations, getattr(table, "bounds", ()))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.booleans().flatmap(lambda exclusive: st.tuples(st.just(exclusive), answered(exclusive))),
       st.sampled_from(["neighbourhood", "complex"]), st.sampled_from([5, 10]))
def test_random_breakdowns_publish_no_hidden_cell(drawn, level, k):
    exclusive, blocks = drawn
    table, published = _protect(blocks, level, exclusive, k)
    _check(table, published)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answered(True, max_weight=9), st.sampled_from(["neighbourhood", "complex"]))
def test_brute_force_finds_another_value_for_every_hidden_breakdown_cell(blocks, level):
    table, _published = _protect(blocks, level, True, 5)
    result = table.suppression
    cap = max(result.counts.values()) + 2 * result.threshold
    for cell in sorted(result.hidden, key=repr):
        assert _feasible_alternative(result, table.relations, table.bounds, cell, cap), cell


@st.composite
def scored(draw):  # noqa: ANN001, ANN201
    """Blocks of respondents who gave the same 0–10 mark in the same place."""
    return [(draw(st.sampled_from(PLACES)), {draw(st.integers(0, 10))}, draw(st.integers(1, 14)))
            for _ in range(draw(st.integers(1, 10)))]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scored(), st.sampled_from(["neighbourhood", "complex"]), st.sampled_from([5, 10]))
def test_random_score_bands_publish_no_hidden_cell(blocks, level, k):
    counts, whole, respondents = _place_counts(blocks, level)
    values = list(range(11))
    cut = Places(level, NAMES, {1: counts}).cut(1, score_band)
    table = protect_banded(respondents, dict(whole), values, cut, k)
    published = cut.publish(table, list(SCORE_BANDS), lambda v: v if isinstance(v, int) else {"hidden": str(v)},
                            lambda *_a: None)
    assert published["columns"] == list(SCORE_BANDS)
    _check(table, published, values, list(SCORE_BANDS))
