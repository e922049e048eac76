"""Breakdowns per neighbourhood and complex: from counts per recorded place to groups of a protected table.

The counts come from SQL (:func:`aggregate.count_by_place`); this module arranges them as
nested :class:`privacy.Group` rows (the whole, its neighbourhoods, their complexes) and
turns the suppressed table back into what a snapshot stores. The question types whose
answers are counted per option or value take part: single and multiple choice, yes/no (and
agree/disagree), scale and 0–10, each row of a matrix (one table per row, keyed by
(question id, row id)), and a ranking by its first choices. Numbers (only averages, from
k respondents, are ever shown) and written answers are not broken down.

Each question's places are suppressed in one table together with that question's overall
numbers, so the whole, the places and the unshown rest protect each other. Limits:

* Questions are suppressed one at a time (cost: see ``bench/breakdowns.py``), linked by
  their respondents: a place's total hidden for one question is hidden for every question
  with the same total there (``privacy.SharedTotals``), so a reader who knows that two
  questions went to the same people cannot carry a published total over to where it is
  hidden. What the tables are not checked for together is bounds: one question's hidden
  total may be at most 12 by its small cells and another's at least 12 by its
  complementary ones. Checking that needs one suppression over all questions at once,
  which is too slow at complex level.
* A 0–10 question is broken down in the three net-score bands (0–6, 7–8, 9–10), not in
  eleven values: with eleven columns nearly every cell of a place is hidden and
  suppression of 30 neighbourhoods takes over 20 s per question.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from inspraak.consultations.models import Breakdown, Consultation, QuestionType
from inspraak.results import aggregate
from inspraak.results.aggregate import Place, PlaceCounts, PlaceName
from inspraak.results.privacy import (
    Group,
    ProtectedTable,
    Published,
    Relation,
    RestOf,
    Suppression,
    protect_table,
    suppress,
)

BREAKDOWN_TYPES = {QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE, QuestionType.YES_NO,
                   QuestionType.AGREEMENT, QuestionType.SCALE, QuestionType.SCORE, QuestionType.MATRIX,
                   QuestionType.RANKING}

StatsOf = Callable[[dict], dict[str, Any]]

# A 0–10 question is broken down in the bands of its net score: eleven columns per place
# would hide nearly every cell and make suppression take minutes (see bench/breakdowns.py).
SCORE_BANDS = {"0-6": range(0, 7), "7-8": range(7, 9), "9-10": range(9, 11)}


def score_band(value: int | Decimal) -> str:
    return next(band for band, values in SCORE_BANDS.items() if int(value) in values)


def yes_no_key(value: int | Decimal) -> str:
    return "yes" if value == 1 else "no"


@dataclass
class Places:
    """A consultation's breakdown level, its places (in display order) and the counts per place."""

    level: str
    names: list[PlaceName]
    counts: dict[Hashable, PlaceCounts]  # by question id, or (question id, row id) for a matrix row

    def cut(self, key: Hashable, key_of: Callable[[Any], Hashable], stats_of: StatsOf | None = None) -> Cut:
        return Cut(self, self.counts.get(key, PlaceCounts()), key_of, stats_of)


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

    def _values(self, includes: Callable[[Place], bool]) -> dict[int, int]:
        """The raw numeric answers (scale, 0–10) of the places ``includes`` picks, for averages."""
        values: dict[int, int] = {}
        for place, counts in self.counts.values.items():
            if includes(place):
                for raw, n in counts.items():
                    values[int(raw)] = values.get(int(raw), 0) + n
        return values

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

    def publish(self, table: ProtectedTable | BandedTable, keys: list, cell: Callable,
                stat: Callable) -> dict[str, Any]:
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
                if isinstance(respondents, int):
                    item["stats"] = {name: stat(value, respondents, k)
                                     for name, value in self.stats_of(self._values(row.includes)).items()}
                else:
                    item["stats"] = {name: cell(respondents) for name in self.stats_of({})}
            groups.append(item)
        published = {"level": self.places.level, "groups": groups}
        if isinstance(table, BandedTable):
            published["columns"] = list(SCORE_BANDS)
        return published


@dataclass(frozen=True)
class BandedTable:
    """A 0–10 question: the whole's eleven values and every group's net-score bands, suppressed as one."""

    suppression: Suppression
    relations: tuple
    values: tuple

    @property
    def threshold(self) -> int:
        return self.suppression.threshold

    def respondents(self, group: Hashable) -> Published:
        return self.suppression.value((group, None))

    def count(self, group: Hashable, key: Hashable) -> Published:
        return self.suppression.value((group, key))


def protect_banded(respondents: int, values: dict[int, int], value_keys: list[int], cut: Cut,
                   threshold: int, hidden_respondents: Iterable[Hashable] = ()) -> BandedTable:
    """Suppress a 0–10 question's whole distribution together with its bands per place.

    :func:`privacy.protect_table` lays out the bands (whole, places, unshown rests); the
    whole's eleven values join as cells with two more kinds of relation, "respondents =
    the sum of the values" and "a band = the sum of its values", so that no hidden band of
    a place can be worked out from the published distribution, nor the other way round.
    """
    bands = list(SCORE_BANDS)
    whole_bands = {band: sum(values.get(v, 0) for v in SCORE_BANDS[band]) for band in bands}
    layout = protect_table([Group("all", respondents, whole_bands), *cut.groups(bands)], bands,
                           threshold=threshold)
    counts = dict(layout.suppression.counts)
    relations = list(layout.relations)
    counts.update({("all", v): values.get(v, 0) for v in value_keys})
    relations.append(Relation(("all", None), tuple(("all", v) for v in value_keys)))
    relations += [Relation(("all", band), tuple(("all", v) for v in value_keys if v in SCORE_BANDS[band]))
                  for band in bands]
    shown = [c for c in counts if not isinstance(c[0], RestOf)]
    hidden = [(group, None) for group in hidden_respondents]
    dear = [c for c in shown if c[1] is None]  # the respondents of the whole and of each place
    return BandedTable(suppress(counts, relations, threshold=threshold, shown=shown, hidden_elsewhere=hidden,
                                dear=dear),
                       tuple(relations), tuple(value_keys))
