"""Breakdowns per neighbourhood and complex: SQL counts per place, and the suppressed snapshot."""
from __future__ import annotations

from decimal import Decimal

from inspraak.consultations.models import Breakdown
from inspraak.results import aggregate, services
from tests.results.conftest import answer_times, fill_three_complexes, full_answer, rank_and_matrix

BELOW, OTHER = {"hidden": "below"}, {"hidden": "other"}


def _question(snapshot, world, name):  # noqa: ANN001, ANN202
    return next(q for q in snapshot["questions"] if q["id"] == world.q[name].id)


def test_sql_counts_per_place(app, two_hoods, make_world):
    corporation, a1, a2, b1 = two_hoods
    world = make_world(corporation, breakdown=Breakdown.COMPLEX)
    fill_three_complexes(world, a1, a2, b1, Breakdown.COMPLEX)
    counts = aggregate.count_by_place([world.q["choice"].id, world.q["scale"].id])
    choice, scale = counts[world.q["choice"].id], counts[world.q["scale"].id]
    a, b = (world.o[f"{world.q['choice'].id}:{x}"] for x in "ab")
    hood_a, hood_b = a1.neighbourhood_id, b1.neighbourhood_id
    assert choice.respondents == {(hood_a, a1.id): 7, (hood_a, a2.id): 10, (hood_b, b1.id): 14}
    assert choice.values == {(hood_a, a1.id): {a: 6, b: 1}, (hood_a, a2.id): {a: 5, b: 5},
                             (hood_b, b1.id): {a: 8, b: 6}}
    assert scale.values[(hood_b, b1.id)] == {Decimal(3): 14}
    names = aggregate.list_places(world.consultation)
    assert [(p.neighbourhood, p.complex) for p in names] == [("A", "A1 Complex"), ("A", "A2 Complex"),
                                                             ("B", "B1 Complex")]


def test_per_neighbourhood_by_hand(app, two_hoods, make_world):
    """A: a 11, b 6, c 0 (17); B: a 8, b 6, c 0 (14); all: a 19, b 12, c 0 (31); k = 5.

    Every c is 0 (hidden, fewer than 5), so each row would give it away as n − a − b:
    each row hides its smallest visible cell too, b. Column b then has three hidden cells.
    The scale question, answered by the same people, has to hide the whole's 31 and B's 14
    (B: all 14 answered 3); so they are hidden here too (protected_tables.SharedTotals), and the
    whole's b (12) can be shown again.
    """
    corporation, a1, a2, b1 = two_hoods
    world = make_world(corporation, breakdown=Breakdown.NEIGHBOURHOOD)
    fill_three_complexes(world, a1, a2, b1, Breakdown.NEIGHBOURHOOD)
    with app.test_request_context():
        snapshot = services.protected_results(world.consultation, k=5)
    choice = _question(snapshot, world, "choice")
    assert choice["respondents"] == OTHER
    assert [o["count"] for o in choice["options"]] == [19, 12, BELOW]
    breakdown = choice["breakdown"]
    assert breakdown["level"] == "neighbourhood"
    rows = [(g["kind"], g["name"], g["respondents"], g["counts"]) for g in breakdown["groups"]]
    assert rows == [("neighbourhood", "A", 17, [11, OTHER, BELOW]), ("neighbourhood", "B", OTHER, [8, OTHER, BELOW])]
    assert _question(snapshot, world, "scale")["respondents"] == OTHER and snapshot["participants"] == OTHER
    assert snapshot["breakdown"] == "neighbourhood"


def test_small_places_hide_their_averages(app, two_hoods, make_world):
    """k = 10: A1 has 7 respondents, so its averages are hidden; any hidden group hides its averages."""
    corporation, a1, a2, b1 = two_hoods
    world = make_world(corporation, breakdown=Breakdown.COMPLEX)
    fill_three_complexes(world, a1, a2, b1, Breakdown.COMPLEX)
    with app.test_request_context():
        snapshot = services.protected_results(world.consultation, k=10)
    groups = {g["name"]: g for g in _question(snapshot, world, "scale")["breakdown"]["groups"]}
    assert [g["kind"] for g in groups.values()] == ["neighbourhood", "complex", "complex", "neighbourhood", "complex"]
    assert groups["A1 Complex"]["respondents"] == BELOW
    assert groups["A1 Complex"]["stats"] == {"mean": BELOW, "median": BELOW}
    for group in groups.values():
        if isinstance(group["respondents"], dict):
            assert set(map(str, group["stats"].values())) == {str(group["respondents"])}
        for value in [group["respondents"], *group["counts"]]:
            assert isinstance(value, dict) or value >= 10


def test_scale_averages_per_neighbourhood_by_hand(app, two_hoods, make_world):
    """k = 5, every cell of the scale at least 5 so nothing of it is hidden.

    A: 1×5, 2×5, 3×5, 4×5, 5×6 (26): mean 80/26 = 3.08 → 3.1, median (13th and 14th) 3.
    B: 1×5, 2×6, 3×5, 4×5, 5×5 (26): mean 77/26 = 2.96 → 3.0, median 3.
    The other questions are answered along with the scale (choice a/b/c, 0–10 in three bands),
    so that none of them has to hide a neighbourhood's respondents: that would hide them here
    too (protected_tables.SharedTotals), as the next test shows.
    """
    corporation, a1, _a2, b1 = two_hoods
    world = make_world(corporation, breakdown=Breakdown.NEIGHBOURHOOD)
    for complex_, counts in ((a1, [5, 5, 5, 5, 6]), (b1, [5, 6, 5, 5, 5])):
        for value, times in enumerate(counts, start=1):
            answer_times(world, complex_, "aabcc"[value - 1], value, times, level=Breakdown.NEIGHBOURHOOD,
                    score=[0, 6, 7, 9, 10][value - 1])
    with app.test_request_context():
        snapshot = services.protected_results(world.consultation, k=5)
    scale = _question(snapshot, world, "scale")
    assert [o["count"] for o in scale["options"]] == [10, 11, 10, 10, 11]
    a, b = scale["breakdown"]["groups"]
    assert (a["name"], a["respondents"], a["counts"], a["stats"]) == ("A", 26, [5, 5, 5, 5, 6],
                                                                    {"mean": "3.1", "median": "3.0"})
    assert (b["name"], b["respondents"], b["counts"], b["stats"]) == ("B", 26, [5, 6, 5, 5, 5],
                                                                    {"mean": "3.0", "median": "3.0"})


def test_no_breakdown_no_tables(app, make_corporation, make_world):
    world = make_world(make_corporation())
    world.answer(full_answer(world, "a", ["a"], 4, 9, True, "3", ["a", "b", "c"], "good", "bad"))
    with app.test_request_context():
        snapshot = services.protected_results(world.consultation, k=5)
    assert snapshot["breakdown"] is None
    assert not any("breakdown" in q for q in snapshot["questions"])


def test_a_score_question_is_broken_down_in_net_score_bands(app, two_hoods, make_world):
    """k = 5. A: 5×3, 6×8, 7×10 (18); B: 6×3, 5×8, 5×10 (16). Bands 0–6 / 7–8 / 9–10: A 5/6/7, B 6/5/5.

    The whole's values are 3: 11, 8: 11, 10: 12 and eight zeros. The zeros must be hidden, and
    together they would add up to 34 − 11 − 11 − 12 = 0 and give themselves away; so 3 is hidden
    too (band 0–6 = 11 = value 3 + the hidden zeros), and likewise 8 and 10 within their bands.
    The bands per neighbourhood are all at least 5 and are published; averages too.
    """
    corporation, a1, _a2, b1 = two_hoods
    world = make_world(corporation, breakdown=Breakdown.NEIGHBOURHOOD)
    place = {"A": (a1.neighbourhood_id, None), "B": (b1.neighbourhood_id, None)}
    for hood, score, times in [("A", 3, 5), ("A", 8, 6), ("A", 10, 7), ("B", 3, 6), ("B", 8, 5), ("B", 10, 5)]:
        for _ in range(times):
            world.answer({"score": score}, place=place[hood])
    with app.test_request_context():
        snapshot = services.protected_results(world.consultation, k=5)
    score = _question(snapshot, world, "score")
    assert score["respondents"] == 34
    assert [o["count"] for o in score["options"]] == [BELOW] * 3 + [OTHER] + [BELOW] * 4 + [OTHER, BELOW, OTHER]
    assert score["breakdown"]["columns"] == ["0-6", "7-8", "9-10"]
    a, b = score["breakdown"]["groups"]
    assert (a["respondents"], a["counts"]) == (18, [5, 6, 7])
    assert (b["respondents"], b["counts"]) == (16, [6, 5, 5])
    # A: mean (15 + 48 + 70) / 18 = 7.39 → 7.4; median 8; net score (7 − 5) / 18 = 11.1
    assert a["stats"] == {"mean": "7.4", "median": "8.0", "net_score": "11.1"}


def test_sql_counts_first_choices_and_matrix_rows_per_place(app, ranked):
    world, a1, b1 = ranked
    rank, matrix = world.q["rank"].id, world.q["matrix"].id
    counts = aggregate.count_by_place([rank, matrix])
    o = {x: world.o[f"{rank}:{x}"] for x in "abc"}
    good, bad = world.o[f"{matrix}:good"], world.o[f"{matrix}:bad"]
    hood_a, hood_b = (a1.neighbourhood_id, None), (b1.neighbourhood_id, None)
    assert counts[rank].respondents == {hood_a: 16, hood_b: 17}
    assert counts[rank].values == {hood_a: {o["a"]: 5, o["b"]: 5, o["c"]: 6}, hood_b: {o["a"]: 7, o["b"]: 5, o["c"]: 5}}
    front, back = counts[(matrix, world.rows["front"])], counts[(matrix, world.rows["back"])]
    assert front.respondents == {hood_a: 16, hood_b: 17}
    assert front.values == {hood_a: {good: 8, bad: 8}, hood_b: {good: 9, bad: 8}}
    assert back.values == {hood_a: {good: 5, bad: 11}, hood_b: {good: 12, bad: 5}}


def test_a_ranking_is_broken_down_by_first_choice_and_a_matrix_per_row(app, ranked):
    world, _a1, _b1 = ranked
    with app.test_request_context():
        snapshot = services.protected_results(world.consultation, k=5)
    rank = _question(snapshot, world, "rank")
    assert (rank["respondents"], [o["count"] for o in rank["options"]]) == (33, [12, 10, 11])
    assert [(g["name"], g["respondents"], g["counts"]) for g in rank["breakdown"]["groups"]] == [
        ("A", 16, [5, 5, 6]), ("B", 17, [7, 5, 5])]
    front, back = _question(snapshot, world, "matrix")["rows"]
    assert (front["respondents"], front["counts"], back["counts"]) == (33, [17, 16], [17, 16])
    assert [(g["name"], g["respondents"], g["counts"]) for g in front["breakdown"]["groups"]] == [
        ("A", 16, [8, 8]), ("B", 17, [9, 8])]
    assert [(g["name"], g["counts"]) for g in back["breakdown"]["groups"]] == [("A", [5, 11]), ("B", [12, 5])]


def test_a_small_first_choice_in_a_place_is_hidden_with_a_partner(app, two_hoods, make_world):
    """A: a 8, b 6, c 2 (16). c is below 5; alone it would be 16 − 8 − 6, so a second cell goes too."""
    corporation, a1, _a2, b1 = two_hoods
    world = make_world(corporation, breakdown=Breakdown.NEIGHBOURHOOD)
    a, b = (a1.neighbourhood_id, None), (b1.neighbourhood_id, None)
    for place, first, times in [(a, "a", 8), (a, "b", 6), (a, "c", 2), (b, "a", 6), (b, "b", 6), (b, "c", 6)]:
        rank_and_matrix(world, place, first, "good" if first == "a" else "bad", "good", times)
    with app.test_request_context():
        snapshot = services.protected_results(world.consultation, k=5)
    groups = {g["name"]: g for g in _question(snapshot, world, "rank")["breakdown"]["groups"]}
    assert groups["A"]["counts"][2] == BELOW
    hidden_in_a = [c for c in [groups["A"]["respondents"], *groups["A"]["counts"]] if isinstance(c, dict)]
    assert len(hidden_in_a) >= 2
    for question in snapshot["questions"]:
        tables = [row.get("breakdown") for row in question.get("rows", [])] + [question.get("breakdown")]
        for table in filter(None, tables):
            for group in table["groups"]:
                for value in [group["respondents"], *group["counts"]]:
                    assert isinstance(value, dict) or value >= 5


def test_sql_counts_respondents_of_multiple_choice_apart(app, two_hoods, make_world):
    """Three people in A1 each choose two options: six counts, three respondents (the others sum their counts)."""
    corporation, a1, _a2, _b1 = two_hoods
    world = make_world(corporation, breakdown=Breakdown.COMPLEX)
    multi, scale = world.q["multi"].id, world.q["scale"].id
    a, b = world.o[f"{multi}:a"], world.o[f"{multi}:b"]
    for _ in range(3):
        world.answer({"multi": {"options": [a, b]}, "scale": 4}, place=(a1.neighbourhood_id, a1.id))
    counts = aggregate.count_by_place([multi, scale], multiple=[multi])
    place = (a1.neighbourhood_id, a1.id)
    assert counts[multi].values == {place: {a: 3, b: 3}} and counts[multi].respondents == {place: 3}
    assert counts[scale].respondents == {place: 3}


def test_suppressed_tables_are_kept_per_process_under_their_inputs(app, two_hoods, make_world, monkeypatch):
    """A second computation of the same answers builds no table; one more answer changes the inputs and the numbers."""
    corporation, a1, a2, b1 = two_hoods
    world = make_world(corporation, breakdown=Breakdown.NEIGHBOURHOOD)
    fill_three_complexes(world, a1, a2, b1, Breakdown.NEIGHBOURHOOD)
    built = []
    original = services.protect_table
    monkeypatch.setattr(services, "protect_table", lambda *a, **kw: built.append(1) or original(*a, **kw))
    with app.test_request_context():
        first = services.protected_results(world.consultation, k=5)
        assert built
        built.clear()
        assert services.protected_results(world.consultation, k=5) == first and not built
        assert services.protected_results(world.consultation, k=6) != first and built  # k is part of the inputs
        built.clear()
        answer_times(world, a1, "c", 3, 5, level=Breakdown.NEIGHBOURHOOD)
        again = services.protected_results(world.consultation, k=5)
    assert built and again != first
    choice = _question(again, world, "choice")
    assert choice["breakdown"]["groups"][0]["counts"][2] == 5  # A's five new c answers
