"""Tables of answers per group, the shape results pages use, protected with the rules of ``privacy``.

Pure: no Flask, no database. A table's groups nest (whole, neighbourhood, complex); ``protect_table`` builds the
relations between them and hides what would tell about fewer than ``k`` people.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Hashable, Iterable, Mapping, Sequence

from .privacy import (DEFAULT_THRESHOLD, T, AtMost, Cell, Hidden, Published, Relation, Suppression, check_threshold,
                      protect_statistic, reader_intervals, suppress)



@dataclass(frozen=True)
class Group:
    """One row of a breakdown: a group of respondents and their answer counts.

    ``parent`` names the group this one nests in (``None`` for the whole); groups with
    the same parent and the same ``cut`` do not overlap (complexes of a neighbourhood,
    neighbourhoods of the whole, channels of the whole). Respondents of the parent who
    are in none of its children of a cut form an unshown "rest" row, so that the
    neighbourhood minus its published complexes is protected too.
    """

    key: Hashable
    respondents: int
    counts: Mapping[Hashable, int]
    parent: Hashable | None = None
    cut: str = ""


@dataclass(frozen=True)
class RestOf:
    """The unshown row of a parent's respondents outside its children of one cut."""

    parent: Hashable
    cut: str


@dataclass(frozen=True)
class ProtectedTable:
    """A breakdown ready to publish: look numbers up by group and option."""

    threshold: int
    options: tuple
    groups: tuple
    suppression: Suppression
    relations: tuple = field(repr=False)
    bounds: tuple = field(repr=False)
    respondent_bounds: Mapping = field(default_factory=dict, repr=False)  # hidden group → what a reader infers

    def respondents(self, group: Hashable) -> Published:
        return self.suppression.value((group, None))

    def count(self, group: Hashable, option: Hashable) -> Published:
        return self.suppression.value((group, option))

    def share(self, group: Hashable, option: Hashable) -> float | Hidden:
        """Count over respondents (0…1); hidden when either is hidden."""
        count, base = self.count(group, option), self.respondents(group)
        if isinstance(count, Hidden):
            return count
        if isinstance(base, Hidden):
            return Hidden(self.threshold, below_threshold=False)
        return count / base if base else 0.0

    def statistic(self, group: Hashable, value: T) -> T | Hidden:
        """A mean or median for the group, shown only when it has at least k respondents."""
        return protect_statistic(value, self.suppression.counts[(group, None)], self.threshold)


@dataclass
class SharedTotals:
    """Respondent totals that more than one published table shows, kept consistent.

    The respondents of a group are one number wherever they appear: when two questions
    were both required, their respondents per neighbourhood are the same people, and the
    consultation's participants are the respondents of each. A reader who knows that
    carries a total published in one table over to another table that hides it, and works
    out a hidden cell there. So a total hidden in any table (a group with its number) is
    hidden in every table that has that group with the same number. Equal numbers of
    different people are hidden too: that is safe, and a reader could not tell them apart.

    A hidden total is still bounded by each table that hides it: one question's small cells
    may say "at most 12", another's complementary cells "at least 12". A reader who reads
    both knows it is 12. So each table also tells what a reader can infer of the totals it
    hides (an interval, :func:`reader_intervals`), and every other table with the same total
    is audited starting from the intersection (``known`` of :func:`suppress`).

    Tables are built in rounds until a round hides no new total and narrows no interval
    (:meth:`settled`): then every table was built knowing what every other one gives away
    of the totals they share. Both only grow stricter from round to round, so this ends;
    an interval learned from an earlier, less suppressed version of a table is narrower
    than what the final one gives away, which errs on the side of hiding.
    """

    hidden: set = field(default_factory=set)  # (group, respondents)
    bounds: dict = field(default_factory=dict)  # (group, respondents) → (lowest, highest) a reader can infer
    _learned: bool = False

    def to_hide(self, respondents: Mapping[Hashable, int]) -> list[Hashable]:
        """The groups (of one table, with their respondents) hidden in another table."""
        return [group for group, n in respondents.items() if (group, n) in self.hidden]

    def known(self, respondents: Mapping[Hashable, int]) -> dict[Hashable, tuple[float, float]]:
        """What other tables let a reader infer of the totals of these groups (only those with bounds)."""
        return {group: self.bounds[(group, n)] for group, n in respondents.items() if (group, n) in self.bounds}

    def learn(self, respondents: Mapping[Hashable, int], hidden_groups: Iterable[Hashable],
              inferred: Mapping[Hashable, tuple[float, float]] | None = None) -> None:
        """Record the totals one table hides, and the intervals it lets a reader infer for them."""
        for group in hidden_groups:
            if (group, respondents[group]) not in self.hidden:
                self.hidden.add((group, respondents[group]))
                self._learned = True
        for group, (low, high) in (inferred or {}).items():
            key = (group, respondents[group])
            old_low, old_high = self.bounds.get(key, (-math.inf, math.inf))
            new = (max(old_low, low), min(old_high, high))
            if new != (old_low, old_high):
                self.bounds[key] = new
                self._learned = True

    def settled(self) -> bool:
        """True when the round just finished hid no new total; starts the next round."""
        learned, self._learned = self._learned, False
        return not learned

    def protect_total(self, group: Hashable, respondents: int, threshold: int) -> int | Hidden:
        """A total published on its own (no table around it): hidden below k or when hidden elsewhere."""
        if respondents < check_threshold(threshold):
            return Hidden(threshold, below_threshold=True)
        if (group, respondents) in self.hidden:
            return Hidden(threshold, below_threshold=False)
        return respondents


def protect_table(
    groups: Sequence[Group],
    options: Sequence[Hashable],
    *,
    threshold: int = DEFAULT_THRESHOLD,
    exclusive: bool = True,
    hidden_respondents: Iterable[Hashable] = (),
    known_respondents: Mapping[Hashable, tuple[float, float]] | None = None,
) -> ProtectedTable:
    """Suppress a breakdown of one question's answers over nested groups.

    Args:
        groups: exactly one group without parent (the whole), then any nested groups;
            every parent must be listed before its children.
        options: the answer options (columns), in display order.
        threshold: ``k`` (see :func:`check_threshold`).
        exclusive: true when each respondent gives exactly one option (single choice,
            scale, 0–10: a row sums to its respondents); false for multiple choice
            (each option count is at most the respondents, rows do not add up).
        hidden_respondents: groups whose respondents another published table hides
            (see ``hidden_elsewhere`` of :func:`suppress`).
        known_respondents: what other tables let a reader infer of some groups' respondents
            (see ``known`` of :func:`suppress` and :class:`SharedTotals`).

    Cells are keyed ``(group, option)``; the respondents column is ``(group, None)``.

    Raises:
        ValueError: a malformed tree, counts that do not fit the respondents, children
            with more respondents than their parent, or a threshold below the minimum.
    """
    options = tuple(options)
    if None in options or len(set(options)) != len(options):
        raise ValueError("options must be distinct and not None")
    by_key: dict[Hashable, Group] = {}
    for group in groups:
        if group.key in by_key:
            raise ValueError(f"group {group.key!r} is listed twice")
        if group.parent is not None and group.parent not in by_key:
            raise ValueError(f"group {group.key!r} comes before its parent {group.parent!r}")
        if set(group.counts) - set(options):
            raise ValueError(f"group {group.key!r} counts unknown options")
        by_key[group.key] = group
    roots = [g for g in groups if g.parent is None]
    if len(roots) != 1:
        raise ValueError("a table needs exactly one group without parent (the whole)")

    counts: dict[Cell, int] = {}
    rows: list[tuple[Hashable, int, Mapping[Hashable, int]]] = []
    for group in groups:
        rows.append((group.key, group.respondents, group.counts))
    children: dict[tuple[Hashable, str], list[Group]] = defaultdict(list)
    for group in groups:
        if group.parent is not None:
            children[(group.parent, group.cut)].append(group)
    for (parent_key, cut), kids in children.items():
        parent = by_key[parent_key]
        rest_n = parent.respondents - sum(g.respondents for g in kids)
        rest = {o: parent.counts.get(o, 0) - sum(g.counts.get(o, 0) for g in kids) for o in options}
        if rest_n < 0 or any(n < 0 for n in rest.values()):
            raise ValueError(f"the {cut or 'child'} groups of {parent_key!r} count more than it does")
        if rest_n > 0:
            rows.append((RestOf(parent_key, cut), rest_n, rest))
        elif any(rest.values()):
            raise ValueError(f"the {cut or 'child'} groups of {parent_key!r} do not add up to it")
    for key, respondents, option_counts in rows:
        counts[(key, None)] = respondents
        for option in options:
            counts[(key, option)] = option_counts.get(option, 0)

    relations: list[Relation] = []
    bounds: list[AtMost] = []
    for key, _respondents, _counts in rows:
        if exclusive:
            relations.append(Relation((key, None), tuple((key, o) for o in options)))
        else:
            bounds.extend(AtMost((key, o), (key, None)) for o in options)
    for (parent_key, cut), kids in children.items():
        members = [g.key for g in kids]
        rest_key = RestOf(parent_key, cut)
        if (rest_key, None) in counts:
            members.append(rest_key)
        for column in (None, *options):
            relations.append(Relation((parent_key, column), tuple((m, column) for m in members)))

    shown = [c for c in counts if not isinstance(c[0], RestOf)]
    known = {(group, None): interval for group, interval in (known_respondents or {}).items()}
    result = suppress(counts, relations, bounds=bounds, threshold=threshold, shown=shown,
                      hidden_elsewhere=[(group, None) for group in hidden_respondents],
                      dear=[(group.key, None) for group in groups], known=known)
    return ProtectedTable(
        threshold=result.threshold,
        options=options,
        groups=tuple(g.key for g in groups),
        suppression=result,
        relations=tuple(relations),
        bounds=tuple(bounds),
        respondent_bounds=respondent_bounds(result, relations, bounds, known, [g.key for g in groups]),
    )


def respondent_bounds(suppression: Suppression, relations: Sequence[Relation], bounds: Sequence[AtMost],
                      known: Mapping[Cell, tuple[float, float]] | None, groups: Iterable[Hashable]
                      ) -> dict[Hashable, tuple[float, float]]:
    """For each listed group whose respondents are hidden: the interval a reader infers (for :class:`SharedTotals`)."""
    hidden = [group for group in groups if suppression.is_hidden((group, None))]
    if not hidden:
        return {}
    intervals = reader_intervals(suppression, relations, bounds, known)
    return {group: intervals[(group, None)] for group in hidden}
