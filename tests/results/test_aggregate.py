"""Each aggregate against numbers worked out by hand from four responses."""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from inspraak.consultations.models import Channel
from inspraak.results import aggregate, aggregate_rules
from tests.results.conftest import full_answer


def _four(world):  # noqa: ANN001, ANN202
    world.answer(full_answer(world, "a", ["a", "b"], 5, 10, True, "3", ["a", "b", "c"], "good", "bad", "Mooi"))
    world.answer(full_answer(world, "a", ["b"], 4, 9, True, "5", ["b", "a", "c"], "good", "good"))
    world.answer(full_answer(world, "b", ["a", "b", "c"], 2, 3, False, "10", ["a", "c", "b"], "bad", "bad", "Bel mij"))
    world.answer(full_answer(world, "c", ["c"], 4, 7, True, "2.5", ["c", "a", "b"], "good", "bad"), Channel.PAPER)


def _opt(world, name, label):  # noqa: ANN001, ANN202
    return world.o[f"{world.q[name].id}:{label}"]


def test_choice_counts_per_option(app, make_corporation, make_world):
    world = make_world(make_corporation())
    _four(world)
    counts = aggregate.count_answers(world.consultation)
    single = counts[world.q["choice"].id]
    assert single.respondents == 4
    assert single.options == {_opt(world, "choice", "a"): 2, _opt(world, "choice", "b"): 1, _opt(world, "choice", "c"): 1}
    multi = counts[world.q["multi"].id]
    assert multi.respondents == 4
    assert multi.options == {_opt(world, "multi", "a"): 2, _opt(world, "multi", "b"): 3, _opt(world, "multi", "c"): 2}


def test_scale_distribution_mean_and_median(app, make_corporation, make_world):
    world = make_world(make_corporation())
    _four(world)
    scale = aggregate.count_answers(world.consultation)[world.q["scale"].id]
    assert scale.distribution == {Decimal(5): 1, Decimal(4): 2, Decimal(2): 1}
    assert aggregate_rules.mean(scale.distribution) == Fraction(15, 4)
    assert aggregate_rules.median(scale.distribution) == 4


def test_score_net_score(app, make_corporation, make_world):
    world = make_world(make_corporation())
    _four(world)
    score = aggregate.count_answers(world.consultation)[world.q["score"].id]
    dist = {int(v): n for v, n in score.distribution.items()}
    assert dist == {10: 1, 9: 1, 3: 1, 7: 1}
    assert aggregate_rules.net_score(dist).score == 25


def test_yes_no_and_number(app, make_corporation, make_world):
    world = make_world(make_corporation())
    _four(world)
    counts = aggregate.count_answers(world.consultation)
    assert counts[world.q["yes"].id].distribution == {Decimal(1): 3, Decimal(0): 1}
    number = counts[world.q["number"].id].distribution
    assert number == {Decimal(3): 1, Decimal(5): 1, Decimal(10): 1, Decimal("2.5"): 1}
    assert aggregate_rules.mean(number) == Fraction(41, 8)
    assert aggregate_rules.median(number) == 4


def test_ranking_position_counts(app, make_corporation, make_world):
    world = make_world(make_corporation())
    _four(world)
    rank = aggregate.count_answers(world.consultation)[world.q["rank"].id]
    a, b, c = (_opt(world, "rank", x) for x in "abc")
    assert rank.positions == {a: {1: 2, 2: 2}, b: {1: 1, 2: 1, 3: 2}, c: {1: 1, 2: 1, 3: 2}}
    assert rank.respondents == 4


def test_matrix_rows(app, make_corporation, make_world):
    world = make_world(make_corporation())
    _four(world)
    matrix = aggregate.count_answers(world.consultation)[world.q["matrix"].id]
    good, bad = _opt(world, "matrix", "good"), _opt(world, "matrix", "bad")
    assert matrix.matrix == {world.rows["front"]: {good: 3, bad: 1}, world.rows["back"]: {good: 1, bad: 3}}
    assert matrix.matrix_respondents == {world.rows["front"]: 4, world.rows["back"]: 4}


def test_text_respondents_and_turnout_per_channel(app, make_corporation, make_world, make_tenant):
    corporation = make_corporation()
    world = make_world(corporation)
    for _ in range(5):
        world.invite(make_tenant(corporation))
    _four(world)
    assert aggregate.count_answers(world.consultation)[world.q["text"].id].respondents == 2
    turnout = aggregate.count_turnout(world.consultation.id)
    assert (turnout.invited, turnout.participants) == (5, 4)
    assert turnout.channels == {Channel.ONLINE: 3, Channel.PAPER: 1, Channel.ASSISTED: 0}


def test_no_answers_gives_zero_counts(app, make_corporation, make_world):
    world = make_world(make_corporation())
    counts = aggregate.count_answers(world.consultation)
    assert all(c.respondents == 0 and not c.options and not c.distribution for c in counts.values())
