"""Breakdowns per neighbourhood and complex: from counts per recorded place to groups of a protected table.

The counts come from SQL (:func:`aggregate.count_by_place`); this module arranges them as
nested :class:`privacy.Group` rows (the whole, its neighbourhoods, their complexes) and
turns the suppressed table back into what a snapshot stores. Only the question types
whose answers are counted per option or value take part: single and multiple choice,
yes/no (and agree/disagree), scale and 0–10.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from inspraak.consultations.models import Breakdown, Consultation, QuestionType
from inspraak.results import aggregate
from inspraak.results.aggregate import Place, PlaceCounts, PlaceName
from inspraak.results.privacy import Group, ProtectedTable

BREAKDOWN_TYPES = {QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE, QuestionType.YES_NO,
                   QuestionType.AGREEMENT, QuestionType.SCALE, QuestionType.SCORE}

StatsOf = Callable[[dict], dict[str, Any]]


def yes_no_key(value: int | Decimal) -> str:
    return "yes" if value == 1 else "no"


@dataclass
class Places:
    """A consultation's breakdown level, its places (in display order) and the counts per place."""

    level: str
    names: list[PlaceName]
    counts: dict[int, PlaceCounts]

    def cut(self, question_id: int, key_of: Callable[[Any], Hashable], stats_of: StatsOf | None = None) -> Cut:
        return Cut(self, self.counts.get(question_id, PlaceCounts()), key_of, stats_of)


def load_places(consultation: Consultation) -> Places | None:
    """The places and per-place counts of a consultation with a breakdown; None without one."""
    if not consultation.records_place:
        return None
    ids = [q.id for q in consultation.questions if q.type in BREAKDOWN_TYPES]
    return Places(consultation.breakdown.value, aggregate.list_places(consultation), aggregate.count_by_place(ids))


@dataclass
class _Row:
    key: tuple[str, int]
    name: str
    parent: Hashable
    cut: str
    includes: Callable[[Place], bool]


@dataclass
class Cut:
    """One question's answers per place."""

    places: Places
    counts: PlaceCounts
    key_of: Callable[[Any], Hashable]
    stats_of: StatsOf | None = None

    def _rows(self) -> list[_Row]:
        rows: list[_Row] = []
        seen: set[int] = set()
        for place in self.places.names:
            hood = place.neighbourhood_id
            if hood not in seen:
                seen.add(hood)
                rows.append(_Row(("neighbourhood", hood), place.neighbourhood, "all", "neighbourhood",
                                 lambda p, hood=hood: p[0] == hood))
            if self.places.level == Breakdown.COMPLEX.value and place.complex_id is not None:
                # Matched on both ids: a complex counts only answers recorded inside its neighbourhood.
                rows.append(_Row(("complex", place.complex_id), place.complex, ("neighbourhood", hood), "complex",
                                 lambda p, pair=(hood, place.complex_id): p == pair))
        return rows

    def _sum(self, includes: Callable[[Place], bool], keys: list) -> tuple[int, dict]:
        wanted = set(keys)
        counts = dict.fromkeys(keys, 0)
        for place, values in self.counts.values.items():
            if includes(place):
                for raw, n in values.items():
                    key = self.key_of(raw)
                    if key in wanted:
                        counts[key] += n
        respondents = sum(n for place, n in self.counts.respondents.items() if includes(place))
        return respondents, counts

    def groups(self, keys: list) -> list[Group]:
        """The neighbourhoods (and complexes) as groups nested in the whole ("all")."""
        result = []
        for row in self._rows():
            respondents, counts = self._sum(row.includes, keys)
            result.append(Group(row.key, respondents, counts, parent=row.parent, cut=row.cut))
        return result

    def publish(self, table: ProtectedTable, keys: list, cell: Callable, stat: Callable) -> dict[str, Any]:
        """The per-place rows as a snapshot stores them: only suppressed numbers.

        Averages of a place appear only where its respondents are shown (so at least k):
        a hidden group hides its averages with the same marker.
        """
        k = table.threshold
        groups = []
        for row in self._rows():
            respondents = table.respondents(row.key)
            item = {"kind": row.cut, "id": row.key[1], "name": row.name, "respondents": cell(respondents),
                    "counts": [cell(table.count(row.key, key)) for key in keys]}
            if self.stats_of is not None:
                n, counts = self._sum(row.includes, keys)
                if isinstance(respondents, int):
                    nonzero = {key: c for key, c in counts.items() if c}
                    item["stats"] = {name: stat(value, n, k) for name, value in self.stats_of(nonzero).items()}
                else:
                    item["stats"] = {name: cell(respondents) for name in self.stats_of({})}
            groups.append(item)
        return {"level": self.places.level, "groups": groups}
