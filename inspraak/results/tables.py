"""The rules one computation of protected results shares: k, the totals hidden anywhere, the tables built."""
from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from flask import has_app_context

from inspraak.core.memo import FragmentCache, app_cache
from inspraak.results.privacy import Hidden, protect_statistic
from inspraak.results.protected_tables import Group, SharedTotals


def cell(value: int | Hidden) -> int | dict[str, str]:
    if isinstance(value, Hidden):
        return {"hidden": "below" if value.below_threshold else "other"}
    return value


def stat(value: Fraction | None, n: int, k: int, inputs: Any = ()) -> str | dict[str, str] | None:  # noqa: ANN401
    """A mean or quantile rounded to one decimal (as text), hidden below k respondents or when
    one of the published cells it is worked out from (``inputs``) is hidden (privacy rule 4)."""
    if value is None:
        return None
    rounded = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return cell(protect_statistic(str(rounded), n, k, inputs))


def _inputs_of(groups: list[Group]) -> tuple:
    """Everything of a table's groups that its suppression depends on, hashable and in order."""
    return tuple((g.key, g.respondents, tuple(g.counts.items()), g.parent, g.cut) for g in groups)


@dataclass
class Rules:
    """What every table of one computation shares: k, the totals hidden anywhere, and the tables.

    A suppressed table is a pure function of its inputs (the groups and their counts, the
    columns, k, what other tables hide and give away), so it is kept per process under
    exactly those inputs (``results_tables``): the staff preview, the exports and
    publishing of unchanged answers reuse it, the rounds of one computation too, and any
    change of an answer, a place or a setting is a new key. Nothing needs invalidating.
    A table per complex weighs about 0.25 MB (a consultation of 20 questions over 90
    complexes keeps 36 of them): 96 at most, two such consultations.
    """

    k: int
    shared: SharedTotals = field(default_factory=SharedTotals)
    _own: FragmentCache = field(default_factory=lambda: FragmentCache(96))  # outside an app (pure tests)

    def protect(self, inputs: Hashable, groups: list[Group],  # noqa: ANN401
                build: Callable[[list, dict], Any]) -> Any:
        """Build one table (``build(hidden_respondents, known_respondents)``) knowing what the others hide and give
        away of the totals it shares with them, and tell them its own.

        ``inputs``: what besides ``groups`` the table depends on (its kind and columns).
        """
        totals = {group.key: group.respondents for group in groups}
        elsewhere = self.shared.to_hide(totals)
        known = self.shared.known(totals)
        key = (inputs, self.k, _inputs_of(groups), frozenset(elsewhere), frozenset(known.items()))
        cache = app_cache("results_tables", size=96) if has_app_context() else self._own
        table = cache.get_or_render(key, lambda: build(elsewhere, known))
        self.shared.learn(totals, [g for g in totals if isinstance(table.respondents(g), Hidden)],
                          table.respondent_bounds)
        return table

    def total(self, respondents: int) -> int | dict[str, str]:
        """A question's respondents published without a table around them."""
        return cell(self.shared.protect_total("all", respondents, self.k))
