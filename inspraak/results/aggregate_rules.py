"""Statistics on already-grouped counts: shares with their base, averages, net score, ranks.

The database does the grouping (value → how many); these functions do the arithmetic,
exactly (``fractions.Fraction``), so results never depend on float rounding and the
same answers always give the same published number. Rounding is for display only.

Definitions, stated once so every page and export agrees:

* A **share** is a count over a stated base: the respondents who answered the question
  (``RESPONDENTS``) or everyone invited (``INVITED``). A base of 0 has no share (``None``).
* **Multiple choice** shares are of respondents, not of ticks: "40% chose the garden"
  means 40 of every 100 people who answered, so the shares may add up to more than 100%.
* **Quantiles** use linear interpolation between the closest ranks (the "inclusive"
  method of Python's ``statistics.quantiles`` and spreadsheets' QUARTILE.INC): for
  sorted values x₀ … xₙ₋₁, the p-quantile lies at position h = (n − 1)·p, and is
  x⌊h⌋ + (h − ⌊h⌋)·(x⌊h⌋₊₁ − x⌊h⌋). The **median** is the 0.5-quantile: the middle
  value for odd n, the mean of the two middle values for even n (so the median of
  1, 2, 3, 4 is 2½).
* The **net score** of a 0–10 question is the share of promoters (9–10) minus the share
  of detractors (0–6), in percent of everyone who answered: −100 … 100.
* For a **ranking**, the mean rank of an option is over the respondents who ranked it
  (position 1 is the top); the first-choice share is of everyone who answered the
  question. ``ranked_by`` says how many ranked the option, so a partial ranking is
  not mistaken for a full one.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Hashable, Mapping, Union

RESPONDENTS = "respondents"
INVITED = "invited"
BASES = (RESPONDENTS, INVITED)

Number = Union[int, Fraction, Decimal]


def _count(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{what} must be a non-negative whole number, not {value!r}")
    return value


@dataclass(frozen=True)
class Share:
    """``count`` out of ``base``, where ``base_kind`` says who the base counts."""

    count: int
    base: int
    base_kind: str = RESPONDENTS

    def __post_init__(self) -> None:
        _count(self.count, "a count")
        _count(self.base, "a base")
        if self.base_kind not in BASES:
            raise ValueError(f"unknown base {self.base_kind!r}")

    @property
    def fraction(self) -> Fraction | None:
        """The share as an exact fraction (0 … 1), or None when the base is 0."""
        return Fraction(self.count, self.base) if self.base else None

    @property
    def percent(self) -> Fraction | None:
        return self.fraction * 100 if self.base else None


def share(count: int, base: int, base_kind: str = RESPONDENTS) -> Share:
    """One count as a share of its base."""
    return Share(count, base, base_kind)


def shares(counts: Mapping[Hashable, int], base: int, base_kind: str = RESPONDENTS) -> dict[Hashable, Share]:
    """Every option's count as a share of the same base (single or multiple choice).

    For multiple choice pass the number of respondents as ``base``: the shares are
    of people, and may add up to more than 100%.

    Raises:
        ValueError: a count larger than the base (nobody can be counted twice in one option).
    """
    for option, n in counts.items():
        if _count(n, f"the count of {option!r}") > base:
            raise ValueError(f"{option!r} counts {n}, more than the base of {base}")
    return {option: Share(n, base, base_kind) for option, n in counts.items()}


def response_rate(responses: int, invited: int) -> Share:
    """Responses as a share of everyone invited."""
    if _count(responses, "responses") > _count(invited, "invited"):
        raise ValueError("more responses than people invited")
    return Share(responses, invited, INVITED)


def response_rates_by_channel(responses: Mapping[Hashable, int], invited: int) -> dict[Hashable, Share]:
    """Per channel (online, letter code, paper, assisted), responses over everyone invited."""
    if sum(responses.values()) > invited:
        raise ValueError("more responses than people invited")
    return {channel: Share(n, invited, INVITED) for channel, n in responses.items()}


# --- distributions: value → count ------------------------------------------------


def _sorted_items(distribution: Mapping[Number, int]) -> list[tuple[Fraction, int]]:
    items = []
    for value, n in distribution.items():
        if isinstance(value, bool) or not isinstance(value, (int, Fraction, Decimal)):
            raise ValueError(f"values must be whole numbers, fractions or decimals, not {value!r}")
        if isinstance(value, Decimal) and not value.is_finite():
            raise ValueError(f"values must be finite, not {value!r}")
        if _count(n, f"the count of {value!r}"):
            items.append((Fraction(value), n))
    return sorted(items)


def respondents(distribution: Mapping[Number, int]) -> int:
    """How many answers the distribution holds."""
    return sum(_count(n, "a count") for n in distribution.values())


def mean(distribution: Mapping[Number, int]) -> Fraction | None:
    """The exact mean of the answers, or None when nobody answered."""
    items = _sorted_items(distribution)
    n = sum(c for _, c in items)
    return sum(v * c for v, c in items) / n if n else None


def quantile(distribution: Mapping[Number, int], p: Fraction | int | str) -> Fraction | None:
    """The p-quantile (0 ≤ p ≤ 1) by linear interpolation between closest ranks.

    See the module docstring; None when nobody answered.
    """
    p = Fraction(p)
    if not 0 <= p <= 1:
        raise ValueError("a quantile lies between 0 and 1")
    items = _sorted_items(distribution)
    n = sum(c for _, c in items)
    if not n:
        return None
    position = (n - 1) * p
    low_index = math.floor(position)
    low = _value_at(items, low_index)
    if position == low_index:
        return low
    high = _value_at(items, low_index + 1)
    return low + (position - low_index) * (high - low)


def _value_at(items: list[tuple[Fraction, int]], index: int) -> Fraction:
    """The value at 0-based ``index`` of the expanded, sorted answers."""
    seen = 0
    for value, n in items:
        seen += n
        if index < seen:
            return value
    raise IndexError(index)


def median(distribution: Mapping[Number, int]) -> Fraction | None:
    """The middle answer; for an even number of answers the mean of the two middle ones."""
    return quantile(distribution, Fraction(1, 2))


@dataclass(frozen=True)
class Summary:
    """Mean, quartiles and extremes of a number or scale question."""

    respondents: int
    mean: Fraction | None
    minimum: Fraction | None
    lower_quartile: Fraction | None
    median: Fraction | None
    upper_quartile: Fraction | None
    maximum: Fraction | None


def summarize(distribution: Mapping[Number, int]) -> Summary:
    """Everything a number or scale question shows, from one distribution."""
    return Summary(
        respondents=respondents(distribution),
        mean=mean(distribution),
        minimum=quantile(distribution, 0),
        lower_quartile=quantile(distribution, Fraction(1, 4)),
        median=median(distribution),
        upper_quartile=quantile(distribution, Fraction(3, 4)),
        maximum=quantile(distribution, 1),
    )


# --- 0–10 net score ---------------------------------------------------------------


@dataclass(frozen=True)
class NetScore:
    """Promoters (9–10), passives (7–8) and detractors (0–6) of a 0–10 question."""

    promoters: int
    passives: int
    detractors: int

    @property
    def respondents(self) -> int:
        return self.promoters + self.passives + self.detractors

    @property
    def score(self) -> Fraction | None:
        """Promoters minus detractors in percent of respondents (−100 … 100); None for nobody."""
        n = self.respondents
        return Fraction(100 * (self.promoters - self.detractors), n) if n else None


def net_score(distribution: Mapping[int, int]) -> NetScore:
    """The net score of a 0–10 question from its score → count distribution.

    Raises:
        ValueError: a score outside 0 … 10 or a negative count.
    """
    promoters = passives = detractors = 0
    for value, n in distribution.items():
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
            raise ValueError(f"a 0–10 score must be a whole number from 0 to 10, not {value!r}")
        _count(n, f"the count of {value}")
        if value >= 9:
            promoters += n
        elif value >= 7:
            passives += n
        else:
            detractors += n
    return NetScore(promoters, passives, detractors)


# --- ranking ----------------------------------------------------------------------


@dataclass(frozen=True)
class RankSummary:
    """How one option fared in a ranking question."""

    ranked_by: int
    mean_rank: Fraction | None
    first_choice: Share


def ranking(positions: Mapping[Hashable, Mapping[int, int]], respondents: int) -> dict[Hashable, RankSummary]:
    """Mean rank and first-choice share per option from (option → position → count).

    ``respondents`` is everyone who answered the ranking question (the base of the
    first-choice share). Positions start at 1.

    Raises:
        ValueError: a position below 1, a negative count, more first choices than
            respondents, or an option ranked by more people than answered.
    """
    _count(respondents, "respondents")
    result = {}
    first_total = 0
    for option, counts in positions.items():
        ranked_by = 0
        weighted = 0
        for position, n in counts.items():
            if isinstance(position, bool) or not isinstance(position, int) or position < 1:
                raise ValueError(f"a rank position starts at 1, not {position!r}")
            ranked_by += _count(n, f"the count of {option!r} at {position}")
            weighted += position * n
        if ranked_by > respondents:
            raise ValueError(f"{option!r} is ranked by more people than answered")
        first = counts.get(1, 0)
        first_total += first
        result[option] = RankSummary(
            ranked_by=ranked_by,
            mean_rank=Fraction(weighted, ranked_by) if ranked_by else None,
            first_choice=Share(first, respondents, RESPONDENTS),
        )
    if first_total > respondents:
        raise ValueError("more first choices than respondents")
    return result
