"""Breakdowns per neighbourhood and complex: from counts per recorded place to groups of a protected table.

The counts come from SQL (:func:`aggregate.count_by_place`); this module arranges them as
nested :class:`protected_tables.Group` rows (the whole, its neighbourhoods, their complexes) and
turns the suppressed table back into what a snapshot stores. The question types whose
answers are counted per option or value take part: single and multiple choice, yes/no (and
agree/disagree), scale and 0–10, each row of a matrix (one table per row, keyed by
(question id, row id)), and a ranking by its first choices. Numbers (only averages, from
k respondents, are ever shown) and written answers are not broken down.

Each question's places are suppressed in one table together with that question's overall
numbers, so the whole, the places and the unshown rest protect each other. Limits:

* Questions are suppressed one at a time (cost: see ``bench/breakdowns.py``), linked by
  their respondents: a place's total hidden for one question is hidden for every question
  with the same total there (``protected_tables.SharedTotals``), so a reader who knows that two
  questions went to the same people cannot carry a published total over to where it is
  hidden; and the bounds each question gives a hidden total (at most 12 by its small
  cells, at least 12 by another's complementary ones) are combined before each audit.
  One suppression over all questions at once would check more than intervals, but is
  too slow at complex level.
* A 0–10 question is broken down in the three net-score bands (0–6, 7–8, 9–10), not in
  eleven values: with eleven columns nearly every cell of a place is hidden and
  suppression of 30 neighbourhoods takes over 20 s per question.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from decimal import Decimal
from typing import Any

from inspraak.consultations.models import Breakdown, Consultation, QuestionType
from inspraak.results import aggregate
from inspraak.results.aggregate import Place, PlaceCounts, PlaceName
from inspraak.results.privacy import Published, Relation, Suppression, is_hidden_cell, suppress
from inspraak.results.protected_tables import Group, ProtectedTable, RestOf, protect_table, respondent_bounds

BREAKDOWN_TYPES = {QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE, QuestionType.YES_NO,
                   QuestionType.AGREEMENT, QuestionType.SCALE, QuestionType.SCORE, QuestionType.MATRIX,
                   QuestionType.RANKING}

StatsOf = Callable[[dict], dict[str, Any]]

# A 0–10 question is broken down in the bands of its net score: eleven columns per place
# would hide nearly every cell and make suppression take minutes (see bench/breakdowns.py).
SCORE_BANDS = {"0-6": range(0, 7), "7-8": range(7, 9), "9-10": range(9, 11)}


def score_band(value: int | Decimal) -> str:
    return next(band for band, values in SCORE_BANDS.items() if int(value) in values)


# The bands a net score is worked out from: (promoters − detractors) / respondents.
NET_SCORE_BANDS = ("0-6", "9-10")


def stat_inputs(name: str, keys: Iterable[Hashable]) -> list[Hashable]:
    """The columns (values 0…10 or bands) a statistic is worked out from: the net score needs the
    detractors and promoters, a mean or median every column."""
    if name == "net_score":
        return [key for key in keys if (key if isinstance(key, str) else score_band(key)) in NET_SCORE_BANDS]
    return list(keys)


def net_score_inputs(respondents: object, cells: Mapping[int, object]) -> list[object]:
    """The published numbers a whole question's net score is worked out from (see ``stat_inputs``).

    When every hidden value of 0–10 lies in one band, the respondents and the shown values
    give each band's total (that band's is n minus everything shown elsewhere), so the net
    score tells a reader nothing new: it depends on the respondents alone. Hidden values in
    two or more bands keep their cells as inputs, so the score is hidden with them.
    """
    hidden_bands = {score_band(value) for value, cell in cells.items() if is_hidden_cell(cell)}
    if len(hidden_bands) <= 1:
        return [respondents]
    return [respondents, *(cells[value] for value in stat_inputs("net_score", cells))]


def yes_no_key(value: int | Decimal) -> str:
    return "yes" if value == 1 else "no"


@dataclass
class Places:
    """A consultation's breakdown level, its places (in display order) and the counts per place."""

    level: str
    names: list[PlaceName]
    counts: dict[Hashable, PlaceCounts]  # by question id, or (question id, row id) for a matrix row
    _per_row: dict = field(default_factory=dict, repr=False)  # question key → sums per row (every round reuses them)
    _stats: dict = field(default_factory=dict, repr=False)  # (question key, row key) → unrounded averages

    def cut(self, key: Hashable, key_of: Callable[[Any], Hashable], stats_of: StatsOf | None = None) -> Cut:
        return Cut(self, self.counts.get(key, PlaceCounts()), key_of, stats_of, key)

    @cached_property
    def rows(self) -> list[_Row]:
        """The neighbourhoods in display order, each followed (per complex) by its complexes."""
        rows: list[_Row] = []
        seen: set[int] = set()
        for place in self.names:
            hood = place.neighbourhood_id
            if hood not in seen:
                seen.add(hood)
                rows.append(_Row(("neighbourhood", hood), place.neighbourhood, "all", "neighbourhood"))
            if self.level == Breakdown.COMPLEX.value and place.complex_id is not None:
                # Matched on both ids: a complex counts only answers recorded inside its neighbourhood.
                rows.append(_Row(("complex", place.complex_id), place.complex, ("neighbourhood", hood), "complex",
                                 (hood, place.complex_id)))
        return rows

    def averages(self, key: Hashable, row_key: Hashable, work_out: Callable[[], dict]) -> dict:
        """A question's unrounded averages for one row: the same in every round, so worked out once."""
        if (key, row_key) not in self._stats:
            self._stats[(key, row_key)] = work_out()
        return self._stats[(key, row_key)]

    def sums(self, key: Hashable, counts: PlaceCounts) -> dict[Hashable, tuple[int, dict]]:
        """Each row's respondents and raw answer counts (option id or number → count) for one question, in one pass."""
        if key in self._per_row:
            return self._per_row[key]
        hoods = {row.key[1]: row.key for row in self.rows if row.cut == "neighbourhood"}
        complexes = {row.place: row.key for row in self.rows if row.cut == "complex"}

        def rows_of(place: Place) -> list[Hashable]:
            return [k for k in (hoods.get(place[0]), complexes.get(place)) if k is not None]

        respondents = dict.fromkeys((row.key for row in self.rows), 0)
        raw: dict[Hashable, dict] = {row.key: {} for row in self.rows}
        for place, n in counts.respondents.items():
            for row_key in rows_of(place):
                respondents[row_key] += n
        for place, values in counts.values.items():
            for row_key in rows_of(place):
                into = raw[row_key]
                for value, n in values.items():
                    into[value] = into.get(value, 0) + n
        result = self._per_row[key] = {k: (respondents[k], raw[k]) for k in respondents}
        return result


def load_places(consultation: Consultation) -> Places | None:
    """The places and per-place counts of a consultation with a breakdown; None without one."""
    if not consultation.records_place:
        return None
    ids = [q.id for q in consultation.questions if q.type in BREAKDOWN_TYPES]
    multiple = [q.id for q in consultation.questions if q.type is QuestionType.MULTIPLE_CHOICE]
    return Places(consultation.breakdown.value, aggregate.list_places(consultation),
                  aggregate.count_by_place(ids, multiple))


@dataclass
class _Row:
    key: tuple[str, int]
    name: str
    parent: Hashable
    cut: str
    place: Place | None = None  # a complex's (neighbourhood id, complex id)


@dataclass
class Cut:
    """One question's answers per place."""

    places: Places
    counts: PlaceCounts
    key_of: Callable[[Any], Hashable]
    stats_of: StatsOf | None = None
    key: Hashable = None  # the question (or matrix row) in Places.counts

    def _sums(self) -> dict[Hashable, tuple[int, dict]]:
        return self.places.sums(self.key, self.counts)

    def _values(self, row_key: Hashable) -> dict[int, int]:
        """The raw numeric answers (scale, 0–10) of one row, for averages."""
        values: dict[int, int] = {}
        for raw, n in self._sums()[row_key][1].items():
            values[int(raw)] = values.get(int(raw), 0) + n
        return values

    def groups(self, keys: list) -> list[Group]:
        """The neighbourhoods (and complexes) as groups nested in the whole ("all")."""
        wanted = set(keys)
        sums = self._sums()
        result = []
        for row in self.places.rows:
            respondents, raw = sums[row.key]
            counts = dict.fromkeys(keys, 0)
            for value, n in raw.items():
                key = self.key_of(value)
                if key in wanted:
                    counts[key] += n
            result.append(Group(row.key, respondents, counts, parent=row.parent, cut=row.cut))
        return result

    def publish(self, table: ProtectedTable | BandedTable, keys: list, cell: Callable,
                stat: Callable) -> dict[str, Any]:
        """The per-place rows as a snapshot stores them: only suppressed numbers.

        Averages of a place appear only where its respondents are shown (so at least k):
        a hidden group hides its averages with the same marker. An average whose columns
        include a hidden cell of the place is hidden too (privacy rule 4).
        """
        k = table.threshold
        groups = []
        for row in self.places.rows:
            respondents = table.respondents(row.key)
            counts = {key: table.count(row.key, key) for key in keys}
            item = {"kind": row.cut, "id": row.key[1], "name": row.name, "respondents": cell(respondents),
                    "counts": [cell(counts[key]) for key in keys]}
            if self.stats_of is not None:
                if isinstance(respondents, int):
                    stats = self.places.averages(self.key, row.key, lambda: self.stats_of(self._values(row.key)))
                    item["stats"] = {name: stat(value, respondents, k, [counts[key] for key in stat_inputs(name, keys)])
                                     for name, value in stats.items()}
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
    respondent_bounds: Mapping = field(default_factory=dict)  # hidden group → what a reader infers

    @property
    def threshold(self) -> int:
        return self.suppression.threshold

    def respondents(self, group: Hashable) -> Published:
        return self.suppression.value((group, None))

    def count(self, group: Hashable, key: Hashable) -> Published:
        return self.suppression.value((group, key))


def protect_banded(respondents: int, values: dict[int, int], value_keys: list[int], cut: Cut,
                   threshold: int, hidden_respondents: Iterable[Hashable] = (),
                   known_respondents: Mapping[Hashable, tuple[float, float]] | None = None) -> BandedTable:
    """Suppress a 0–10 question's whole distribution together with its bands per place.

    :func:`protected_tables.protect_table` lays out the bands (whole, places, unshown rests); the
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
    known = {(group, None): interval for group, interval in (known_respondents or {}).items()}
    suppression = suppress(counts, relations, threshold=threshold, shown=shown, hidden_elsewhere=hidden, dear=dear,
                           known=known)
    groups = [cell[0] for cell in dear]
    return BandedTable(suppression, tuple(relations), tuple(value_keys),
                       respondent_bounds(suppression, relations, (), known, groups))
