"""Small-group privacy for published tables: primary and secondary cell suppression.

What is protected
-----------------
A published table counts respondents: per answer option, per group (the whole
consultation, a neighbourhood, a complex, a channel …). Nobody may learn from what
we publish how fewer than ``k`` people (default 10, never below 5) answered, nor
read off such a number from other published numbers.

The rules
---------
1. **Primary suppression.** Every cell with fewer than ``k`` respondents is hidden,
   *zero included*. A published 0 says "nobody in this group chose X", which is an
   answer about every member of the group (in a complex of 12, "0 against" tells
   the neighbours that each of the 12 did not object). Hiding zeros also keeps the
   rule simple for readers and tests: every number we publish is ≥ k.
2. **Linear relations.** The caller (or :func:`protect_table`) states which published
   numbers add up: a row's options sum to the row total (single choice), the
   complexes of a neighbourhood plus the rest of the neighbourhood sum to the
   neighbourhood, neighbourhoods sum to the whole. When a relation has exactly one
   hidden member, that member equals the total minus the others; the rule then hides
   one more member of the same relation: the one not shown anyway (an unshown "rest"
   group costs readers nothing), else one that is not a group's respondents (hiding
   those hides every share in the row, and in every other question with the same total),
   else the smallest count, else a part rather than a total (totals feed other
   relations), else the first in order.
   This repeats until no relation has exactly one hidden member (a fixed point:
   every step hides a cell, so it ends). Totals are members like any other, so a
   hidden total is handled the same way, and a hidden total may itself be the cell
   that another relation has to protect.
3. **Audit by interval reasoning.** One hidden cell per relation is the obvious leak;
   bounds are the subtle one. The audit takes the strongest reader we can imagine: one
   who knows every published number, every relation, this algorithm, and for each
   hidden cell whether it was hidden for being small (so it lies in ``0 … k-1``) or to
   protect another cell (so it is ≥ k, because only cells ≥ k remain to be chosen).
   Multiple-choice tables add "an option count is at most the group's respondents".
   Bounds are tightened relation by relation until nothing changes (exact integer
   interval arithmetic). A hidden cell whose interval shrinks to one value would be
   disclosed. Intervals miss what only a combination of relations reveals (a column
   whose hidden cells must sum to 1 while a row forces one of them to be 1), so every
   other hidden cell also needs a *witness*: a second whole-number solution of the
   whole system, each hidden cell within its class and moved by at most one, in which
   that cell differs (:func:`disclosed_cells`). No witness, no publication: the
   nearest visible member of a relation around the cell (breadth first through
   hidden cells) is hidden as in rule 2, and everything runs again.
4. **Means, medians, net scores and mean ranks** are shown only for groups with at least
   ``k`` respondents, and only when none of the published cells they are worked out from is
   hidden (:func:`protect_statistic`): each is an equation over those cells. A whole question's
   net score with every hidden value in one band depends on its respondents alone
   (``breakdowns.net_score_inputs``): n and the shown values give each band's total already.
   Shares are hidden when their count or their base is
   hidden (:meth:`ProtectedTable.share`), so a percentage never reveals a hidden base.

Because small cells are really small and complementary cells really are ≥ k, a
template may say "fewer than 10" for ``Hidden.below_threshold`` and "hidden" for the
others without lying and without giving the reader anything the audit did not
assume.

Limits (stated so nobody over-trusts this)
------------------------------------------
* The witness search errs on the safe side (a cell without a witness found within the
  step budget is treated as disclosed), so it may hide a little more than strictly
  needed. The tests check small random tables against a brute-force solver over the
  full ranges a reader knows, not just the ±1 neighbourhood.
* Cost: a breakdown of 30 neighbourhoods × 3 complexes × 5 options (906 cells) takes
  about 3–5 s on one core; a 0–10 question per complex over 180 complexes (2,892 cells,
  80% of them small) takes minutes. Suppress once, when results are published (the
  snapshot), never per page view.
* A mean published next to a suppressed distribution is one more linear equation
  (Σ value·count = n·mean), so it is published (rounded, one decimal) only where n ≥ k and
  no cell of the distribution is hidden (rule 4).
* Several tables (questions) are linked through :class:`SharedTotals`: equal respondent
  totals are hidden alike, so no total travels from one table to another, and what each
  table lets a reader infer of a hidden total (an interval) is where every other table's
  audit starts. What crosses between tables is that interval, not the full set of values
  one table allows (a table could allow 20 or 22 but not 21); the tests read two
  questions together as one system of equations and find nothing pinned.
* The choice rule itself ("the smallest visible member") tells a careful reader that a
  complementary cell is not larger than the visible members of its relation.
"""
from __future__ import annotations

import math
from collections import defaultdict, deque
from dataclasses import dataclass
from typing import Hashable, Iterable, Mapping, Sequence, TypeVar, Union

MIN_THRESHOLD = 5
DEFAULT_THRESHOLD = 10

Cell = Hashable
T = TypeVar("T")


def check_threshold(threshold: int) -> int:
    """Return the threshold if it is allowed; refuse values below :data:`MIN_THRESHOLD`."""
    if isinstance(threshold, bool) or not isinstance(threshold, int):
        raise TypeError("the privacy threshold must be a whole number")
    if threshold < MIN_THRESHOLD:
        raise ValueError(f"the privacy threshold must be at least {MIN_THRESHOLD}, not {threshold}")
    return threshold


@dataclass(frozen=True)
class Hidden:
    """A number that is not published.

    ``below_threshold`` is true when the number itself is small (render "fewer than
    {threshold}"), false when it was hidden so that a small number elsewhere cannot be
    worked out (render "hidden"). ``str()`` gives the short form used in exports.
    """

    threshold: int
    below_threshold: bool = True

    def __str__(self) -> str:
        return f"<{self.threshold}" if self.below_threshold else "x"


Published = Union[int, Hidden]


def is_hidden(value: object) -> bool:
    return isinstance(value, Hidden)


def is_hidden_cell(cell: object) -> bool:
    """A hidden cell as published: a :class:`Hidden`, or a snapshot's ``{"hidden": …}`` marker."""
    return is_hidden(cell) or (isinstance(cell, Mapping) and "hidden" in cell)


@dataclass(frozen=True)
class Relation:
    """``total`` equals the sum of ``parts`` (all of them cells of the same table)."""

    total: Cell
    parts: tuple[Cell, ...]

    @property
    def members(self) -> tuple[Cell, ...]:
        return (self.total, *self.parts)


@dataclass(frozen=True)
class AtMost:
    """``cell`` is never larger than ``limit`` (an option count versus its respondents)."""

    cell: Cell
    limit: Cell

    @property
    def members(self) -> tuple[Cell, Cell]:
        return (self.cell, self.limit)


@dataclass(frozen=True)
class Suppression:
    """The outcome of :func:`suppress`: which cells are hidden, and why."""

    threshold: int
    counts: Mapping[Cell, int]
    primary: frozenset
    secondary: frozenset

    @property
    def hidden(self) -> frozenset:
        return self.primary | self.secondary

    def is_hidden(self, cell: Cell) -> bool:
        return cell in self.primary or cell in self.secondary

    def value(self, cell: Cell) -> Published:
        """The number to publish for ``cell``, or a :class:`Hidden` marker."""
        if cell in self.primary:
            return Hidden(self.threshold, below_threshold=True)
        if cell in self.secondary:
            return Hidden(self.threshold, below_threshold=False)
        return self.counts[cell]


def suppress(
    counts: Mapping[Cell, int],
    relations: Iterable[Relation] = (),
    *,
    bounds: Iterable[AtMost] = (),
    threshold: int = DEFAULT_THRESHOLD,
    shown: Iterable[Cell] | None = None,
    hidden_elsewhere: Iterable[Cell] = (),
    dear: Iterable[Cell] = (),
    known: Mapping[Cell, tuple[float, float]] | None = None,
) -> Suppression:
    """Decide which cells to hide (see the module docstring for the rules).

    Args:
        counts: every cell's true count (a non-negative whole number).
        relations: the sums a reader can form from the published cells; each must hold.
        bounds: the "at most" facts a reader knows (multiple choice); each must hold.
        threshold: ``k``; cells below it are hidden. At least :data:`MIN_THRESHOLD`.
        shown: the cells that will be displayed; the others (a "rest of the
            neighbourhood" group) still take part in the relations and are hidden first
            when a relation needs one more hidden member. Default: every cell.
        hidden_elsewhere: cells whose number another published table hides (the same
            neighbourhood's respondents to another question, say): hidden here from the
            start, so that this table cannot give away what the other one protects.
        dear: cells to hide only when no other will do (a group's respondents: hiding one
            hides every share of its row, and it is hidden in every other table too).
        known: what a reader already knows of some cells from other published tables, as
            (lowest, highest) whole numbers: the audit starts from there (see :class:`SharedTotals`).

    Raises:
        ValueError: a threshold below the minimum, a negative count, a relation or bound
            that does not hold, or a relation naming an unknown cell.
    """
    k = check_threshold(threshold)
    relations = tuple(relations)
    bounds = tuple(bounds)
    _validate(counts, relations, bounds)
    order = {cell: i for i, cell in enumerate(counts)}
    displayed = set(counts) if shown is None else set(shown)
    primary = {cell for cell, n in counts.items() if n < k}
    forced = set(hidden_elsewhere)
    if forced - set(counts):
        raise ValueError(f"cells hidden elsewhere are unknown here: {sorted(map(repr, forced - set(counts)))}")
    secondary: set = forced - primary
    dear = frozenset(dear)
    totals = {relation.total for relation in relations}
    constraints_of: dict[Cell, list[Relation | AtMost]] = defaultdict(list)
    for constraint in (*relations, *bounds):
        for member in set(constraint.members):
            constraints_of[member].append(constraint)

    def hidden(cell: Cell) -> bool:
        return cell in primary or cell in secondary

    def cheapest(candidates: Iterable[Cell]) -> Cell | None:
        visible = [c for c in set(candidates) if not hidden(c)]
        if not visible:
            return None
        return min(visible, key=lambda c: (c in displayed, c in dear, counts[c], c in totals, order[c]))

    witnessed: set = set()  # cells shown safe stay safe: hiding more only widens a reader's options
    while True:
        if _single_unknown_pass(relations, hidden, cheapest, secondary):
            continue
        trial = Suppression(k, counts, frozenset(primary), frozenset(secondary))
        pinned = disclosed_cells(trial, relations, bounds, witnessed=witnessed, known=known)
        extras = {_nearest_visible(cell, constraints_of, hidden, cheapest) for cell in pinned} - {None}
        if not extras:
            break  # nothing pinned, or everything around the pinned cells is hidden already
        secondary.update(extras)
    return Suppression(k, dict(counts), frozenset(primary), frozenset(secondary))


def _validate(counts: Mapping[Cell, int], relations: Sequence[Relation], bounds: Sequence[AtMost]) -> None:
    for cell, n in counts.items():
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValueError(f"count of {cell!r} must be a non-negative whole number, not {n!r}")
    for relation in relations:
        missing = [m for m in relation.members if m not in counts]
        if missing:
            raise ValueError(f"relation names unknown cells: {missing!r}")
        if len(set(relation.members)) != len(relation.members):
            raise ValueError(f"relation repeats a cell: {relation!r}")
        if counts[relation.total] != sum(counts[p] for p in relation.parts):
            raise ValueError(f"the parts of {relation.total!r} do not add up to it")
    for bound in bounds:
        if bound.cell not in counts or bound.limit not in counts:
            raise ValueError(f"bound names unknown cells: {bound!r}")
        if counts[bound.cell] > counts[bound.limit]:
            raise ValueError(f"{bound.cell!r} is larger than its limit {bound.limit!r}")


def _single_unknown_pass(relations, hidden, cheapest, secondary) -> bool:
    """Rule 2: hide one more member of every relation with exactly one hidden member."""
    changed = False
    for relation in relations:
        if sum(1 for m in relation.members if hidden(m)) == 1:
            extra = cheapest(relation.members)
            if extra is not None:
                secondary.add(extra)
                changed = True
    return changed


def _nearest_visible(start: Cell, constraints_of, hidden, cheapest) -> Cell | None:
    """The cheapest visible cell in the constraints nearest to ``start`` through hidden cells."""
    seen_cells = {start}
    seen_constraints: set = set()
    frontier = deque([start])
    while frontier:
        level_candidates = []
        next_frontier: deque = deque()
        for cell in frontier:
            for constraint in constraints_of.get(cell, ()):
                if id(constraint) in seen_constraints:
                    continue
                seen_constraints.add(id(constraint))
                for member in constraint.members:
                    if not hidden(member):
                        level_candidates.append(member)
                    elif member not in seen_cells:
                        seen_cells.add(member)
                        next_frontier.append(member)
        choice = cheapest(level_candidates)
        if choice is not None:
            return choice
        frontier = next_frontier
    return None


def interval_bounds(
    published: Mapping[Cell, int],
    hidden: Mapping[Cell, tuple[float, float]],
    relations: Sequence[Relation],
    bounds: Sequence[AtMost] = (),
    *,
    max_passes: int = 1000,
) -> dict[Cell, tuple[float, float]]:
    """What a reader can infer: the tightest intervals for hidden cells by propagation.

    ``published`` are known exactly; ``hidden`` maps each hidden cell to its starting
    interval (``math.inf`` for no upper bound). Returns the tightened intervals.
    """
    lo: dict[Cell, float] = {}
    hi: dict[Cell, float] = {}
    for cell, n in published.items():
        lo[cell] = hi[cell] = n
    for cell, (low, high) in hidden.items():
        lo[cell], hi[cell] = max(0, low), high
    for _ in range(max_passes):
        changed = False
        for relation in relations:
            parts, total = relation.parts, relation.total
            lo_sum = sum(lo[p] for p in parts)
            finite_hi = [hi[p] for p in parts if hi[p] != math.inf]
            hi_sum, unbounded = sum(finite_hi), len(parts) - len(finite_hi)
            changed |= _tighten(lo, hi, total, lo_sum, math.inf if unbounded else hi_sum)
            for p in parts:
                # Sums read before a change in this loop are looser, so still valid bounds.
                if hi[p] == math.inf:
                    others_hi = hi_sum if unbounded == 1 else math.inf
                else:
                    others_hi = math.inf if unbounded else hi_sum - hi[p]
                changed |= _tighten(lo, hi, p, lo[total] - others_hi, hi[total] - (lo_sum - lo[p]))
        for bound in bounds:
            changed |= _tighten(lo, hi, bound.cell, -math.inf, hi[bound.limit])
            changed |= _tighten(lo, hi, bound.limit, lo[bound.cell], math.inf)
        if not changed:
            break
    return {cell: (lo[cell], hi[cell]) for cell in hidden}


def _tighten(lo: dict, hi: dict, cell: Cell, new_lo: float, new_hi: float) -> bool:
    changed = False
    if new_lo > lo[cell]:
        lo[cell] = math.ceil(new_lo)
        changed = True
    if new_hi < hi[cell]:
        hi[cell] = math.floor(new_hi)
        changed = True
    if lo[cell] > hi[cell]:
        raise AssertionError(f"inconsistent bounds for {cell!r}: the counts contradict the relations")
    return changed


def reader_intervals(suppression: Suppression, relations: Sequence[Relation], bounds: Sequence[AtMost] = (),
                     known: Mapping[Cell, tuple[float, float]] | None = None):
    """The intervals the strongest reader (module docstring, rule 3) gets for each hidden cell.

    ``known`` narrows the start of some hidden cells: what other tables tell of them.
    """
    k = suppression.threshold
    published = {c: n for c, n in suppression.counts.items() if not suppression.is_hidden(c)}
    start = {c: (0, k - 1) for c in suppression.primary}
    start.update({c: (k, math.inf) for c in suppression.secondary})
    for cell, (low, high) in (known or {}).items():
        if cell in start:
            start[cell] = (max(start[cell][0], low), min(start[cell][1], high))
    return interval_bounds(published, start, relations, bounds)


class _OutOfBudget(Exception):
    pass


def disclosed_cells(
    suppression: Suppression,
    relations: Sequence[Relation],
    bounds: Sequence[AtMost] = (),
    *,
    budget: int = 20000,
    witnessed: set | None = None,
    known: Mapping[Cell, tuple[float, float]] | None = None,
) -> list[Cell]:
    """Hidden cells the strongest reader (rule 3) might pin down to one value.

    First the intervals (:func:`reader_intervals`): a cell whose interval is one value is
    disclosed. Then, because intervals miss what only a combination of relations reveals,
    each remaining cell must have a *witness*: another whole-number solution of every
    relation and bound, within each hidden cell's class, where this cell differs from its
    true value and every hidden cell moves by at most one. A witness proves the cell is
    not disclosed; a cell without one (or whose search exceeds ``budget`` steps) is
    reported, so this errs towards hiding more, never less. ``witnessed`` (updated in
    place) holds cells already shown safe under fewer hidden cells: they need no new search.
    ``known``: what other tables tell of some hidden cells (see :func:`reader_intervals`).
    """
    intervals = reader_intervals(suppression, relations, bounds, known)
    pinned = [cell for cell, (low, high) in intervals.items() if low == high]
    if pinned:
        return pinned
    counts = suppression.counts
    constraints_of: dict[Cell, list] = defaultdict(list)
    for constraint in (*relations, *bounds):
        for member in set(constraint.members):
            if member in intervals:
                constraints_of[member].append(constraint)
    witnessed = set() if witnessed is None else witnessed
    disclosed = []
    for cell in intervals:
        if cell in witnessed:
            continue
        try:
            witness = _find_witness(cell, counts, intervals, constraints_of, budget)
        except _OutOfBudget:
            witness = None
        if witness is None:
            disclosed.append(cell)
        else:
            witnessed.update(x for x, value in witness.items() if value != counts[x])
    return disclosed


def _find_witness(cell, counts, intervals, constraints_of, budget, max_free: int = 5000):
    """Search for a witness moving only cells near ``cell``, widening the circle step by step.

    Hidden cells outside the circle keep their true values, so a witness found is a
    real solution; a small circle usually suffices (four cells around a rectangle).
    """
    steps = [0]
    free = {cell}
    while True:
        constraints = list({id(c): c for x in free for c in constraints_of[x]}.values())
        touching: dict[Cell, list] = defaultdict(list)
        for constraint in constraints:
            for member in constraint.members:
                if member in free:
                    touching[member].append(constraint)
        domain = {x: (max(intervals[x][0], counts[x] - 1), min(intervals[x][1], counts[x] + 1)) for x in free}
        low, high = domain[cell]
        for value in (counts[cell] - 1, counts[cell] + 1):
            if low <= value <= high:
                start = _propagate({**domain, cell: (value, value)}, counts, constraints, touching)
                found = start is not None and _search(start, counts, touching, steps, budget)
                if found:
                    return found
        wider = {m for c in constraints for m in c.members if m in constraints_of} - free
        if not wider or len(free) + len(wider) > max_free:
            return None
        free |= wider


def _search(domain, counts, touching, steps, budget):
    """Depth first (with an explicit stack: components can be deep) over values near the truth."""
    end = object()

    def branch(dom):
        open_cells = [x for x, (low, high) in dom.items() if low < high]
        if not open_cells:
            return None
        choice = min(open_cells, key=lambda x: dom[x][1] - dom[x][0])
        low, high = dom[choice]
        return choice, iter(sorted(range(low, high + 1), key=lambda v: abs(v - counts[choice])))

    first = branch(domain)
    if first is None:
        return {x: low for x, (low, _high) in domain.items()}
    stack = [(domain, *first)]
    while stack:
        dom, choice, values = stack[-1]
        value = next(values, end)
        if value is end:
            stack.pop()
            continue
        steps[0] += 1
        if steps[0] > budget:
            raise _OutOfBudget
        narrowed = _propagate({**dom, choice: (value, value)}, counts, touching[choice], touching)
        if narrowed is None:
            continue
        deeper = branch(narrowed)
        if deeper is None:
            return {x: low for x, (low, _high) in narrowed.items()}
        stack.append((narrowed, *deeper))
    return None


def _propagate(domain, counts, queue_start, touching):
    """Bounds consistency from the constraints in ``queue_start`` on; None when they cannot hold."""
    domain = dict(domain)
    queue = deque(queue_start)
    queued = {id(c) for c in queue}

    def get(x):
        return domain[x] if x in domain else (counts[x], counts[x])

    while queue:
        constraint = queue.popleft()
        queued.discard(id(constraint))
        if isinstance(constraint, Relation):
            parts = [get(p) for p in constraint.parts]
            lo_sum = sum(low for low, _ in parts)
            hi_sum = sum(high for _, high in parts)
            total = get(constraint.total)
            wanted = [(constraint.total, lo_sum, hi_sum)] + [
                (p, total[0] - (hi_sum - high), total[1] - (lo_sum - low))
                for p, (low, high) in zip(constraint.parts, parts)
            ]
        else:
            cell, limit = get(constraint.cell), get(constraint.limit)
            wanted = [(constraint.cell, 0, limit[1]), (constraint.limit, cell[0], math.inf)]
        for x, low, high in wanted:
            old_low, old_high = get(x)
            new_low, new_high = max(old_low, low), min(old_high, high)
            if new_low > new_high:
                return None
            if (new_low, new_high) != (old_low, old_high):
                if x not in domain:
                    return None  # a published number (or a cell outside the circle) would change
                domain[x] = (new_low, new_high)  # bounds read before this change were looser: valid
                for other in touching[x]:
                    if id(other) not in queued:
                        queued.add(id(other))
                        queue.append(other)
    return domain


def protect_statistic(value: T, respondents: int, threshold: int = DEFAULT_THRESHOLD,
                      inputs: Iterable[object] = ()) -> T | Hidden:
    """A mean, median, quartile, net score or mean rank, published only when at least ``threshold``
    people gave it and none of the published cells it is worked out from (``inputs``) is hidden.

    Such a number is one more equation over those cells: n·mean = Σ value·count, the net score
    is (promoters − detractors)/n, a mean rank of 1.0 says everyone put that option first, a
    median of 1.5 says exactly half answered 1 or less. Next to a hidden cell it can pin that
    cell ("no published number equals or lets one compute a hidden cell"), so it is hidden
    ("hidden", not "fewer than k") whenever one of its cells is. A cell counts as hidden when
    it is a :class:`Hidden` or a snapshot's ``{"hidden": …}`` marker.
    """
    k = check_threshold(threshold)
    if respondents < k:
        return Hidden(k, below_threshold=True)
    if any(is_hidden_cell(cell) for cell in inputs):
        return Hidden(k, below_threshold=False)
    return value


