"""Benchmark: small-group suppression of one question's breakdown per neighbourhood (and complex).

Suppression (``results/privacy.py``) runs once per question each time results are computed
(the staff preview, the exports, publishing); its cost grows quickly with the number of
cells. This measures one question through the same code as ``services.protected_results``
(``breakdowns.Cut`` with ``privacy.protect_table``, or ``breakdowns.protect_banded`` for a
0–10 question), for 30 neighbourhoods, and for 30 neighbourhoods × 3 complexes, with 5–60
respondents per complex drawn at random (fixed seed), k = 10. For comparison it also times
a 0–10 question with its eleven values per place (what ``protect_banded`` avoids).

Prints ``breakdown_<question>_<level>_seconds=…`` (median of ``--repeat`` runs) and the share of hidden cells.

    .venv/bin/python bench/breakdowns.py [--neighbourhoods 30] [--complexes 3] [--repeat 3] [--eleven]
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
from inspraak.results.privacy import Group, protect_table  # noqa: E402

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--neighbourhoods", type=int, default=30)
    parser.add_argument("--complexes", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--eleven", action="store_true", help="also time eleven 0–10 columns per place (minutes)")
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


if __name__ == "__main__":
    main()
