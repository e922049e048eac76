"""Terms on a council (pure): who sits on it on a day, and whether two terms of one person overlap."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Term:
    """One seat of a person on a council, from its first day.

    ``end`` is the term's last day (None: no end set). ``removed_on`` is the Dutch day a removal was
    recorded: the seat is gone from that day on, so the day before is the last one it counted. A term
    removed on or before its first day never counted at all.
    """

    start: date
    end: date | None = None
    removed_on: date | None = None

    def covers(self, day: date) -> bool:
        """True when the person sits on the council on ``day`` by this term."""
        return (
            self.start <= day
            and (self.end is None or day <= self.end)
            and (self.removed_on is None or day < self.removed_on)
        )

    @property
    def last_day(self) -> date | None:
        """The last day the term counts: its end, or the day before its removal; None while it has neither."""
        days = [day for day in (self.end, self.removed_on and self.removed_on - timedelta(days=1)) if day]
        return min(days) if days else None

    @property
    def never_counted(self) -> bool:
        """True when no day at all lies in the term (ended or removed before it began)."""
        return not self.covers(self.start)


def overlap(a: Term, b: Term) -> bool:
    """True when some day lies in both terms.

    Both are runs of days, so their common days, if any, begin on the later of the two first days.
    """
    first_common = max(a.start, b.start)
    return a.covers(first_common) and b.covers(first_common)


def first_overlap(existing: Iterable[Term], new: Term) -> Term | None:
    """The first of a person's terms that ``new`` would overlap, or None when it fits beside them all."""
    return next((term for term in existing if overlap(term, new)), None)
