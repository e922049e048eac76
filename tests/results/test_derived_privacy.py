"""Numbers worked out from a table (mean, median, net score, mean rank) never pin a hidden cell."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspraak.results import aggregate_rules, breakdowns, services, tables
from inspraak.results.breakdowns import SCORE_BANDS, Places, protect_banded, score_band, stat_inputs
from inspraak.results.privacy import Hidden, protect_statistic
from tests.results.conftest import full_answer
from tests.results.test_breakdown_privacy import NAMES, place_counts, scored

K = 10
published_cells = st.one_of(st.integers(K, 500), st.builds(Hidden, st.just(K), st.booleans()),
                            st.sampled_from([{"hidden": "below"}, {"hidden": "other"}]))


@given(st.integers(0, 500), st.lists(published_cells, max_size=12))
def test_a_statistic_is_hidden_when_any_cell_it_depends_on_is(respondents, inputs):
    result = protect_statistic("4.2", respondents, K, inputs)
    if respondents < K:
        assert result == Hidden(K, below_threshold=True)
    elif any(isinstance(c, (Hidden, dict)) for c in inputs):
        assert result == Hidden(K, below_threshold=False)
    else:
        assert result == "4.2"


def test_the_net_score_depends_on_detractors_and_promoters_only():
    assert stat_inputs("net_score", list(SCORE_BANDS)) == ["0-6", "9-10"]
    assert stat_inputs("net_score", list(range(11))) == [0, 1, 2, 3, 4, 5, 6, 9, 10]
    assert stat_inputs("mean", list(SCORE_BANDS)) == list(SCORE_BANDS)


def _question(snapshot, world, name):  # noqa: ANN001, ANN202
    return next(q for q in snapshot["questions"] if q["id"] == world.q[name].id)


def test_net_score_is_hidden_next_to_hidden_bands(app, make_corporation, make_world):
    """n = 32: 22 gave 3, 5 gave 7, 5 gave 9. A net score of −53.1 would give 9–10 = 32 × −0.531 + 22 = 5."""
    world = make_world(make_corporation())
    for score in [3] * 22 + [7] * 5 + [9] * 5:
        world.answer(full_answer(world, "a", ["a"], 4, score, True, "3", ["a", "b", "c"], "good", "good"))
    with app.test_request_context():
        snapshot = services.protected_results(world.consultation, k=K)
    score = _question(snapshot, world, "score")
    assert score["respondents"] == 32
    assert score["stats"]["net_score"] == {"hidden": "other"}
    assert score["stats"]["mean"] == {"hidden": "other"}


def test_mean_rank_is_hidden_when_a_first_choice_is(app, make_corporation, make_world):
    """All 21 put a first: a mean rank of 1.0 would say b's and c's hidden first choices are 0."""
    world = make_world(make_corporation())
    for _ in range(21):
        world.answer(full_answer(world, "a", ["a"], 4, 9, True, "3", ["a", "b", "c"], "good", "good"))
    with app.test_request_context():
        snapshot = services.protected_results(world.consultation, k=K)
    options = _question(snapshot, world, "rank")["options"]
    assert [o["count"] for o in options][1:] == [{"hidden": "below"}, {"hidden": "below"}]
    assert [o["mean_rank"] for o in options] == [{"hidden": "other"}] * 3


def test_mean_rank_is_shown_when_no_first_choice_is_hidden(app, make_corporation, make_world):
    world = make_world(make_corporation())
    for first in ["a"] * 10 + ["b"] * 10 + ["c"] * 10:
        rest = [x for x in "abc" if x != first]
        world.answer(full_answer(world, "a", ["a"], 4, 9, True, "3", [first, *rest], "good", "good"))
    with app.test_request_context():
        snapshot = services.protected_results(world.consultation, k=K)
    assert [o["mean_rank"] for o in _question(snapshot, world, "rank")["options"]] == ["1.7", "2.0", "2.3"]


def _score_stats(dist: dict[int, int]) -> dict:
    return {"mean": aggregate_rules.mean(dist), "net_score": aggregate_rules.net_score(dist).score}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scored(), st.sampled_from(["neighbourhood", "complex"]), st.sampled_from([5, 10]))
def test_place_averages_are_hidden_next_to_a_hidden_band(blocks, level, k):
    counts, whole, respondents = place_counts(blocks, level)
    cut = Places(level, NAMES, {1: counts}).cut(1, score_band, _score_stats)
    table = protect_banded(respondents, dict(whole), list(range(11)), cut, k)
    published = cut.publish(table, list(SCORE_BANDS), tables.cell, tables.stat)
    for group in published["groups"]:
        bands = dict(zip(SCORE_BANDS, group["counts"]))
        for name, value in group["stats"].items():
            if value is None:
                continue
            inputs = [group["respondents"], *(bands[b] for b in stat_inputs(name, list(SCORE_BANDS)))]
            if any(isinstance(c, dict) for c in inputs):
                assert isinstance(value, dict), (name, group)


@given(st.lists(st.integers(0, 40), min_size=11, max_size=11), st.lists(st.booleans(), min_size=11, max_size=11))
def test_a_net_score_shown_beside_hidden_values_is_worked_out_from_shown_numbers_alone(counts, hidden):
    """Whenever the net score depends on the respondents alone, a reader works out every band's
    total (so the score itself) from n and the shown values: it tells nothing new."""
    n = sum(counts)
    cells = {v: ({"hidden": "other"} if hide else count) for v, (count, hide) in enumerate(zip(counts, hidden))}
    inputs = breakdowns.net_score_inputs(n, cells)
    if inputs != [n]:
        assert any(isinstance(c, dict) for c in inputs[1:])  # so the score is hidden with them
        return
    shown = {band: sum(cells[v] for v in values if not isinstance(cells[v], dict)) for band, values in SCORE_BANDS.items()}
    unknown = [band for band, values in SCORE_BANDS.items() if any(isinstance(cells[v], dict) for v in values)]
    assert len(unknown) <= 1
    derived = dict(shown)
    for band in unknown:
        derived[band] = n - sum(total for other, total in shown.items() if other != band)
    assert derived == {band: sum(counts[v] for v in values) for band, values in SCORE_BANDS.items()}
    assert protect_statistic("1.0", max(n, K), K, inputs) == "1.0"


def test_net_score_is_shown_when_only_detractors_are_hidden(app, make_corporation, make_world):
    """n = 64; 3 gave 2 and 4 gave 5 (hidden): the 0–6 band is 64 − 57 = 7 whatever they are,
    so the net score (32 − 7) / 64 = 39.1 is shown; the mean, which would pin them, is not."""
    world = make_world(make_corporation())
    for score in [2] * 3 + [5] * 4 + [7] * 15 + [8] * 10 + [9] * 12 + [10] * 20:
        world.answer(full_answer(world, "a", ["a"], 4, score, True, "3", ["a", "b", "c"], "good", "good"))
    with app.test_request_context():
        snapshot = services.protected_results(world.consultation, k=K)
    score = _question(snapshot, world, "score")
    counts = {o["key"]: o["count"] for o in score["options"]}
    assert counts[2] == {"hidden": "below"} and counts[5] == {"hidden": "below"}
    assert [counts[v] for v in (7, 8, 9, 10)] == [15, 10, 12, 20]
    assert score["stats"]["net_score"] == "39.1"
    assert score["stats"]["mean"] == {"hidden": "other"}
