"""Hypothesis strategies shared by the results tests: random respondents and their tables."""
from __future__ import annotations

from collections import Counter

from hypothesis import strategies as st

from inspraak.results.protected_tables import Group

OPTIONS = ("a", "b", "c")


@st.composite
def respondent_blocks(draw, max_blocks: int = 8, max_weight: int = 14, exclusive: bool = True):
    """Blocks of identical respondents: (neighbourhood, complex or None, channel, answers, how many)."""
    options = OPTIONS[: draw(st.integers(2, 3))]
    blocks = []
    for _ in range(draw(st.integers(1, max_blocks))):
        hood = draw(st.sampled_from(("N1", "N2")))
        complex_ = draw(st.sampled_from((None, f"{hood}-C1", f"{hood}-C2")))
        channel = draw(st.sampled_from(("online", "paper")))
        if exclusive:
            answers = frozenset({draw(st.sampled_from(options))})
        else:
            answers = frozenset(draw(st.sets(st.sampled_from(options), max_size=len(options))))
        blocks.append((hood, complex_, channel, answers, draw(st.integers(1, max_weight))))
    return options, blocks


def groups_from_blocks(blocks, *, complexes: bool = True, channels: bool = False) -> list[Group]:
    """Aggregate respondent blocks into the whole, neighbourhoods, complexes and channels."""
    respondents: Counter = Counter()
    counts: dict = {}
    parents = {"all": None}
    cuts = {"all": ""}
    for hood, complex_, channel, answers, weight in blocks:
        keys = ["all", hood]
        parents[hood], cuts[hood] = "all", "neighbourhood"
        if complexes and complex_:
            keys.append(complex_)
            parents[complex_], cuts[complex_] = hood, "complex"
        if channels:
            keys.append(channel)
            parents[channel], cuts[channel] = "all", "channel"
        for key in keys:
            respondents[key] += weight
            bucket = counts.setdefault(key, Counter())
            for answer in answers:
                bucket[answer] += weight
    order = sorted(parents, key=lambda k: (k != "all", parents[k] not in (None, "all"), str(k)))
    return [Group(k, respondents[k], dict(counts[k]), parent=parents[k], cut=cuts[k]) for k in order]
