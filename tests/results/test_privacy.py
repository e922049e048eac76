"""Small-group privacy: primary and secondary suppression of published tables."""
from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspraak.results.privacy import (
    AtMost,
    Hidden,
    Relation,
    Suppression,
    check_threshold,
    disclosed_cells,
    protect_statistic,
    reader_intervals,
    suppress,
)
from inspraak.results.protected_tables import Group, RestOf, protect_table

from .strategies import groups_from_blocks, respondent_blocks

K = 10


# --- hand-computed examples -------------------------------------------------


def test_threshold_defaults_to_ten_and_refuses_below_five():
    assert check_threshold(10) == 10
    assert check_threshold(5) == 5
    with pytest.raises(ValueError):
        check_threshold(4)
    with pytest.raises(ValueError):
        suppress({"x": 20}, threshold=3)
    with pytest.raises(TypeError):
        check_threshold(7.5)  # type: ignore[arg-type]
    assert suppress({"x": 9}).threshold == 10


def test_a_table_of_large_cells_is_published_whole():
    counts = {"total": 60, "yes": 35, "no": 25}
    result = suppress(counts, [Relation("total", ("yes", "no"))])
    assert result.hidden == frozenset()
    assert [result.value(c) for c in counts] == [60, 35, 25]


def test_small_cell_and_its_only_partner_are_hidden():
    # total 30 = yes 25 + no 5: "no" is small; with only "yes" visible, 30 - 25 gives it away.
    result = suppress({"total": 30, "yes": 25, "no": 5}, [Relation("total", ("yes", "no"))])
    assert result.primary == {"no"}
    assert result.secondary == {"yes"}
    assert result.value("no") == Hidden(10, below_threshold=True)
    assert result.value("yes") == Hidden(10, below_threshold=False)
    assert result.value("total") == 30


def test_secondary_choice_is_the_smallest_visible_cell():
    counts = {"total": 100, "a": 50, "b": 12, "c": 35, "d": 3}
    result = suppress(counts, [Relation("total", ("a", "b", "c", "d"))])
    assert result.primary == {"d"}
    assert result.secondary == {"b"}


def test_zero_cells_are_hidden_because_zero_is_an_answer_about_everyone():
    counts = {"total": 40, "yes": 40, "no": 0}
    result = suppress(counts, [Relation("total", ("yes", "no"))])
    assert result.primary == {"no"}
    assert result.secondary == {"yes"}
    assert str(result.value("no")) == "<10"
    assert str(result.value("yes")) == "x"


def test_two_zero_cells_that_must_be_zero_are_protected_by_a_third():
    # a + b = 0 would pin both zeros although two cells are hidden; the audit hides "c".
    counts = {"total": 50, "a": 0, "b": 0, "c": 20, "d": 30}
    result = suppress(counts, [Relation("total", ("a", "b", "c", "d"))])
    assert result.primary == {"a", "b"}
    assert result.secondary == {"c"}


def test_two_small_cells_at_their_maximum_are_protected():
    # 9 + 9 = 18: a reader who knows both are below 10 learns both exactly.
    counts = {"total": 58, "a": 9, "b": 9, "c": 40}
    result = suppress(counts, [Relation("total", ("a", "b", "c"))])
    assert result.secondary == {"c"}


def test_neighbourhood_minus_its_published_complexes_is_protected():
    # N = C1 + C2 on the "no" column: C2 has 4 "no"; N's and C1's "no" would give it away.
    table = protect_table(
        [
            Group("N", 60, {"yes": 40, "no": 20}),
            Group("C1", 30, {"yes": 14, "no": 16}, parent="N", cut="complex"),
            Group("C2", 30, {"yes": 26, "no": 4}, parent="N", cut="complex"),
        ],
        ["yes", "no"],
    )
    assert table.count("C2", "no") == Hidden(10, True)
    hidden = table.suppression.hidden
    assert ("C2", "yes") in hidden  # row: 30 - 26
    assert ("C1", "no") in hidden or ("N", "no") in hidden  # column: 20 - 16
    assert ("C1", "yes") in hidden or ("N", "yes") in hidden  # column: 40 - 14 would give 26


def test_hidden_total_is_itself_protected():
    # C2 has 6 respondents: its total is small, and N - C1 would reveal it.
    table = protect_table(
        [
            Group("N", 46, {"yes": 26, "no": 20}),
            Group("C1", 40, {"yes": 22, "no": 18}, parent="N", cut="complex"),
            Group("C2", 6, {"yes": 4, "no": 2}, parent="N", cut="complex"),
        ],
        ["yes", "no"],
    )
    assert table.respondents("C2") == Hidden(10, True)
    assert isinstance(table.respondents("C1"), Hidden) or isinstance(table.respondents("N"), Hidden)


def test_rest_of_a_neighbourhood_is_protected_and_hidden_first():
    # N has 15 respondents outside its one published complex; 3 of them said "no".
    table = protect_table(
        [
            Group("N", 65, {"yes": 42, "no": 23}),
            Group("C1", 50, {"yes": 30, "no": 20}, parent="N", cut="complex"),
        ],
        ["yes", "no"],
    )
    rest = RestOf("N", "complex")
    assert table.suppression.counts[(rest, "no")] == 3
    assert (rest, "no") in table.suppression.primary
    # N's "no" minus C1's "no" would give the 3 away: C1's "no" (smaller than N's) is hidden,
    # then C1's "yes" for C1's row; the unshown rest row hides its "yes" before anything shown.
    assert table.suppression.secondary == {("C1", "no"), ("C1", "yes"), (rest, "yes")}
    assert rest not in table.groups
    assert [table.count("N", o) for o in ("yes", "no")] == [42, 23]
    assert table.respondents("C1") == 50


def test_children_that_count_more_than_their_parent_are_refused():
    with pytest.raises(ValueError):
        protect_table(
            [Group("N", 10, {"yes": 10}), Group("C", 12, {"yes": 12}, parent="N", cut="c")], ["yes"]
        )


def test_rows_that_do_not_add_up_are_refused_for_single_choice():
    with pytest.raises(ValueError):
        protect_table([Group("all", 30, {"yes": 20, "no": 5})], ["yes", "no"])


def test_relations_must_hold_and_name_known_cells():
    with pytest.raises(ValueError):
        suppress({"t": 10, "a": 3}, [Relation("t", ("a",))])
    with pytest.raises(ValueError):
        suppress({"t": 10}, [Relation("t", ("missing",))])
    with pytest.raises(ValueError):
        suppress({"t": -1})
    with pytest.raises(ValueError):
        suppress({"a": 5, "n": 4}, bounds=[AtMost("a", "n")])


def test_multiple_choice_option_chosen_by_everyone_is_not_pinned_by_the_respondents():
    # 12 respondents, all ticked "a": a secondary "a" (≥ 10) at most 12 is not pinned,
    # but with 10 respondents it would be pinned at 10, so the respondents are hidden.
    table = protect_table(
        [Group("all", 10, {"a": 10, "b": 3})], ["a", "b"], exclusive=False
    )
    assert table.count("all", "b") == Hidden(10, True)
    assert table.count("all", "a") == 10  # a is visible and ≥ 10: no relation involves b
    table = protect_table(
        [
            Group("all", 24, {"a": 24, "b": 10}),
            Group("N1", 14, {"a": 14, "b": 3}, parent="all", cut="n"),
            Group("N2", 10, {"a": 10, "b": 7}, parent="all", cut="n"),
        ],
        ["a", "b"],
        exclusive=False,
    )
    intervals = reader_intervals(table.suppression, table.relations, table.bounds)
    assert all(low < high for low, high in intervals.values())


def test_share_and_statistic_hide_with_their_counts():
    table = protect_table(
        [Group("all", 40, {"yes": 34, "no": 6}), Group("N", 8, {"yes": 5, "no": 3}, parent="all", cut="n")],
        ["yes", "no"],
    )
    assert isinstance(table.share("all", "no"), Hidden)
    assert isinstance(table.share("N", "yes"), Hidden)
    assert table.statistic("N", 3.4) == Hidden(10, True)
    assert protect_statistic(3.4, 10) == 3.4
    assert protect_statistic(3.4, 9) == Hidden(10, True)
    assert protect_statistic(3.4, 6, threshold=5) == 3.4
    with pytest.raises(ValueError):
        protect_statistic(3.4, 6, threshold=4)


@settings(max_examples=100, deadline=None)
@given(st.booleans().flatmap(lambda exclusive: st.tuples(st.just(exclusive), respondent_blocks(exclusive=exclusive))))
def test_a_share_is_shown_only_with_its_count_and_its_base(drawn):
    exclusive, (options, blocks) = drawn
    table = protect_table(groups_from_blocks(blocks), options, exclusive=exclusive)
    for group in table.groups:
        for option in options:
            share, count, base = table.share(group, option), table.count(group, option), table.respondents(group)
            if not isinstance(share, Hidden):
                assert not isinstance(count, Hidden) and not isinstance(base, Hidden)
                assert share == count / base
            else:
                assert isinstance(count, Hidden) or isinstance(base, Hidden)


def test_larger_threshold_hides_more():
    groups = [Group("all", 100, {"a": 60, "b": 28, "c": 12})]
    assert protect_table(groups, "abc").suppression.hidden == frozenset()
    assert ("all", "c") in protect_table(groups, "abc", threshold=15).suppression.primary


def test_realistic_table_is_fast():
    groups = [Group("all", 0, {})]
    total = {o: 0 for o in "abcde"}
    hood_groups = []
    for h in range(20):
        hood_total = {o: 0 for o in "abcde"}
        complexes = []
        for c in range(5):
            counts = {o: (h * 7 + c * 3 + i * 5) % 23 for i, o in enumerate("abcde")}
            complexes.append(Group(f"C{h}-{c}", sum(counts.values()), counts, parent=f"N{h}", cut="complex"))
            for o in counts:
                hood_total[o] += counts[o]
        for o in hood_total:
            total[o] += hood_total[o]
        hood_groups.append((Group(f"N{h}", sum(hood_total.values()), hood_total, parent="all", cut="n"), complexes))
    groups = [Group("all", sum(total.values()), total)]
    groups += [h for h, _ in hood_groups]
    groups += [c for _, cs in hood_groups for c in cs]
    started = time.perf_counter()
    table = protect_table(groups, "abcde")
    elapsed = time.perf_counter() - started
    assert elapsed < 10, elapsed
    assert_protected(table.suppression, table.relations, table.bounds)


# --- properties ------------------------------------------------------------


def assert_protected(result, relations, bounds):
    """Assert that the published result protects every cell: each number at least k, none recoverable from the rest."""
    # (a) every published number is at least k (zeros included: they are hidden).
    for cell, n in result.counts.items():
        if not result.is_hidden(cell):
            assert n >= result.threshold, cell
    # (b) no relation has exactly one hidden member.
    for relation in relations:
        assert sum(result.is_hidden(m) for m in relation.members) != 1, relation
    # (a') primary cells are below k, complementary ones are not.
    assert all(result.counts[c] < result.threshold for c in result.primary)
    assert all(result.counts[c] >= result.threshold for c in result.secondary)
    # the interval audit pins nothing, and every hidden cell has a witness.
    for cell, (low, high) in reader_intervals(result, relations, bounds).items():
        assert low < high, (cell, low, high)
    assert disclosed_cells(result, relations, bounds) == []


def feasible_alternative(result, relations, bounds, cell, cap):
    """Brute force: is there an integer solution of the published system where ``cell`` differs?

    The reader knows published numbers, relations, bounds, and the class of each hidden cell
    (small: 0…k-1; complementary: k…cap). Depth-first search over whole numbers, pruned by
    bounds consistency (which never discards a solution), so a True answer is a real solution.
    """
    k = result.threshold
    domain = {c: (n, n) for c, n in result.counts.items()}
    for c in result.primary:
        domain[c] = (0, k - 1)
    for c in result.secondary:
        domain[c] = (k, cap)
    sums = [(r.total, r.parts) for r in relations]

    def propagate(dom):
        dom = dict(dom)
        changed = True
        while changed:
            changed = False
            for total, parts in sums:
                lo_sum = sum(dom[p][0] for p in parts)
                hi_sum = sum(dom[p][1] for p in parts)
                for c, lo, hi in [(total, lo_sum, hi_sum)] + [
                    (p, dom[total][0] - (hi_sum - dom[p][1]), dom[total][1] - (lo_sum - dom[p][0])) for p in parts
                ]:
                    new = (max(dom[c][0], lo), min(dom[c][1], hi))
                    if new[0] > new[1]:
                        return None
                    if new != dom[c]:
                        dom[c] = new
                        changed = True
                        lo_sum = sum(dom[p][0] for p in parts)
                        hi_sum = sum(dom[p][1] for p in parts)
            for b in bounds:
                new_cell = (dom[b.cell][0], min(dom[b.cell][1], dom[b.limit][1]))
                new_limit = (max(dom[b.limit][0], dom[b.cell][0]), dom[b.limit][1])
                if new_cell[0] > new_cell[1] or new_limit[0] > new_limit[1]:
                    return None
                if (new_cell, new_limit) != (dom[b.cell], dom[b.limit]):
                    dom[b.cell], dom[b.limit] = new_cell, new_limit
                    changed = True
        return dom

    def search(dom):
        dom = propagate(dom)
        if dom is None:
            return False
        open_cells = [c for c, (lo, hi) in dom.items() if lo < hi]
        if not open_cells:
            return all(dom[t][0] == sum(dom[p][0] for p in parts) for t, parts in sums)
        c = min(open_cells, key=lambda c: dom[c][1] - dom[c][0])
        lo, hi = dom[c]
        return any(search({**dom, c: (v, v)}) for v in range(lo, hi + 1))

    true = result.counts[cell]
    lo, hi = domain[cell]
    return any(search({**domain, cell: (v, v)}) for v in range(lo, hi + 1) if v != true)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(respondent_blocks(), st.booleans(), st.booleans(), st.sampled_from([5, 10]))
def test_random_single_choice_tables_are_protected(drawn, complexes, channels, k):
    options, blocks = drawn
    table = protect_table(groups_from_blocks(blocks, complexes=complexes, channels=channels), options, threshold=k)
    assert_protected(table.suppression, table.relations, table.bounds)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(respondent_blocks(exclusive=False), st.booleans())
def test_random_multiple_choice_tables_are_protected(drawn, complexes):
    options, blocks = drawn
    table = protect_table(groups_from_blocks(blocks, complexes=complexes), options, exclusive=False)
    assert_protected(table.suppression, table.relations, table.bounds)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(respondent_blocks(max_blocks=5, max_weight=12), st.booleans(), st.booleans())
def test_brute_force_never_pins_a_hidden_cell(drawn, complexes, exclusive):
    options, blocks = drawn
    if not exclusive:
        blocks = [(h, c, ch, frozenset(), w) if i % 3 == 2 else (h, c, ch, a, w) for i, (h, c, ch, a, w) in enumerate(blocks)]
    table = protect_table(groups_from_blocks(blocks, complexes=complexes), options, exclusive=exclusive)
    result = table.suppression
    cap = max(result.counts.values()) + 2 * result.threshold
    for cell in sorted(result.hidden, key=repr):
        assert feasible_alternative(result, table.relations, table.bounds, cell, cap), cell


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from("abcdefg"), st.integers(0, 40), min_size=1), st.integers(5, 15))
def test_random_single_rows_are_protected(parts, k):
    counts = {"total": sum(parts.values()), **parts}
    relations = [Relation("total", tuple(parts))]
    result = suppress(counts, relations, threshold=k)
    assert_protected(result, relations, [])


def test_a_lone_hidden_cell_with_nothing_left_to_hide_is_reported_not_invented():
    # One relation "t = a" where both are small: both hidden, nothing more to do.
    result = suppress({"t": 3, "a": 3}, [Relation("t", ("a",))])
    assert result.hidden == {"t", "a"}
    assert disclosed_cells(result, [Relation("t", ("a",))]) == []  # t = a, both somewhere in 0…9


def test_brute_force_oracle_catches_a_leak():
    # Only primary suppression: 30 - 25 gives the hidden 5 away, and the oracle sees it.
    relations = [Relation("total", ("yes", "no"))]
    leaky = Suppression(10, {"total": 30, "yes": 25, "no": 5}, frozenset({"no"}), frozenset())
    assert not feasible_alternative(leaky, relations, [], "no", cap=60)
    # Two small cells at their maximum: 9 + 9 = 18 pins both.
    relations = [Relation("total", ("a", "b", "c"))]
    leaky = Suppression(10, {"total": 58, "a": 9, "b": 9, "c": 40}, frozenset({"a", "b"}), frozenset())
    assert not feasible_alternative(leaky, relations, [], "a", cap=80)
    safe = suppress({"total": 58, "a": 9, "b": 9, "c": 40}, relations)
    assert all(feasible_alternative(safe, relations, [], c, cap=80) for c in safe.hidden)
