"""Benchmark: small-group suppression of one question's breakdown per neighbourhood (and complex).

Suppression (``results/privacy.py``) runs once per question each time results are computed
(the staff preview, the exports, publishing); its cost grows quickly with the number of
cells. This measures one question through the same code as ``services.protected_results``
(``breakdowns.Cut`` with ``protected_tables.protect_table``, or ``breakdowns.protect_banded`` for a
0–10 question), for 30 neighbourhoods, and for 30 neighbourhoods × 3 complexes, with 5–60
respondents per complex drawn at random (fixed seed), k = 10. For comparison it also times
a 0–10 question with its eleven values per place (what ``protect_banded`` avoids).

Then a whole consultation (the 20 questions of ``bench/results.py``, ``--responses`` spread
over the same 30 × 3 complexes in SQLite) through ``services.protected_results``: the tables
linked by their shared totals, in rounds until settled. Timed in the same run with the
bounds of hidden totals shared between tables (as the app does) and without (totals only),
so the ratio is the cost of combining bounds; and once more with the suppressed tables kept
per process (the staff preview viewed again, an export after it).

Prints ``breakdown_<question>_<level>_seconds=…`` (median of ``--repeat`` runs) and the share of
hidden cells, then ``breakdown_consultation_seconds``, ``…_without_bounds_seconds`` and their ratio.

    .venv/bin/python bench/breakdowns.py [--neighbourhoods 30] [--complexes 3] [--repeat 3] [--eleven]
        [--responses 6000]
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from inspraak.results.aggregate import PlaceCounts, PlaceName  # noqa: E402
from inspraak.results.breakdowns import Places, protect_banded, score_band  # noqa: E402
from inspraak.results.protected_tables import Group, protect_table  # noqa: E402

K = 10


def answers(hoods: int, complexes: int, level: str, values: list[int], seed: int = 7):  # noqa: ANN201
    """Counts per place and for the whole, as ``aggregate.count_by_place`` returns them."""
    rng = random.Random(seed)
    names, counts, whole = [], PlaceCounts(), Counter()
    for h in range(1, hoods + 1):
        for c in range(1, complexes + 1):
            cid = h * 100 + c
            names.append(PlaceName(h, f"N{h:02}", cid, f"C{cid}"))
            place = (h, cid) if level == "complex" else (h, None)
            n = rng.randint(5, 60)
            weights = [rng.random() + 0.2 for _ in values]
            counts.respondents[place] = counts.respondents.get(place, 0) + n
            bucket = counts.values.setdefault(place, {})
            for value, m in Counter(rng.choices(values, weights, k=n)).items():
                bucket[value] = bucket.get(value, 0) + m
                whole[value] += m
    return Places(level, names, {1: counts}), dict(whole), sum(counts.respondents.values())


def choice(places: Places, whole: dict, n: int, values: list[int]):  # noqa: ANN201
    groups = [Group("all", n, whole), *places.cut(1, int).groups(values)]
    return protect_table(groups, values, threshold=K).suppression


def banded(places: Places, whole: dict, n: int, values: list[int]):  # noqa: ANN201
    return protect_banded(n, whole, values, places.cut(1, score_band), K).suppression


def measure(label: str, protect, places, whole, n, values, repeat: int) -> None:  # noqa: ANN001
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        suppression = protect(places, whole, n, values)
        times.append(time.perf_counter() - started)
    cells = len(suppression.counts)
    print(f"{label}: {cells} cells, {len(suppression.hidden) / cells:.0%} hidden")
    print(f"breakdown_{label}_seconds={statistics.median(times):.3f}")


def consultation(neighbourhoods: int, complexes: int, responses: int, repeat: int) -> None:
    """services.protected_results on a consultation broken down per complex, with and without shared bounds."""
    import secrets
    import tempfile

    from bench.results import bench_app, build
    from inspraak.consultations.models import Consultation
    from inspraak.extensions import db
    from inspraak.results import services
    from inspraak.results.protected_tables import SharedTotals

    with tempfile.TemporaryDirectory() as tmp:
        app = bench_app(f"sqlite:///{tmp}/breakdowns.db", secrets.token_hex(16))
        consultation_id = build(app, responses, (neighbourhoods, complexes))
        known = SharedTotals.known
        with app.test_request_context():
            item = db.session.get(Consultation, consultation_id)
            times: dict[str, list[float]] = {"with": [], "without": [], "again": []}
            hidden: dict[str, int] = {}
            for _ in range(repeat):  # interleaved: both see the same machine
                for mode in ("without", "with", "again"):
                    SharedTotals.known = known if mode != "without" else (lambda _self, _respondents: {})
                    if mode != "again":  # "again": the same answers once more, the tables kept per process
                        app.extensions.pop("results_tables", None)
                    started = time.perf_counter()
                    result = services.protected_results(item)
                    times[mode].append(time.perf_counter() - started)
                    hidden[mode] = str(result).count("'hidden'")
            SharedTotals.known = known
    with_bounds, without, again = (statistics.median(times[mode]) for mode in ("with", "without", "again"))
    print(f"consultation: 20 questions, {responses} responses over {neighbourhoods * complexes} complexes; "
          f"hidden numbers {hidden['with']} with shared bounds, {hidden['without']} without")
    print(f"breakdown_consultation_seconds={with_bounds:.3f}")
    print(f"breakdown_consultation_without_bounds_seconds={without:.3f}")
    print(f"breakdown_consultation_bounds_ratio={with_bounds / without:.2f}")
    print(f"breakdown_consultation_again_seconds={again:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--neighbourhoods", type=int, default=30)
    parser.add_argument("--complexes", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--eleven", action="store_true", help="also time eleven 0–10 columns per place (minutes)")
    parser.add_argument("--responses", type=int, default=6000, help="responses of the whole consultation")
    args = parser.parse_args()
    for level in ("neighbourhood", "complex"):
        five = list(range(1, 6))
        measure(f"choice5_{level}", choice, *answers(args.neighbourhoods, args.complexes, level, five), five,
                args.repeat)
        score = list(range(0, 11))
        data = answers(args.neighbourhoods, args.complexes, level, score)
        measure(f"score_bands_{level}", banded, *data, score, args.repeat)
        if args.eleven:
            measure(f"score_eleven_{level}", choice, *data, score, 1)
    consultation(args.neighbourhoods, args.complexes, args.responses, args.repeat)


if __name__ == "__main__":
    main()
