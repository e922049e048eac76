"""How a council decides under its statutes: quorum, majorities, tallies and proxies (pure rules)."""
from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass


class QuorumRule(enum.Enum):
    """How many members must be represented for a vote to count."""

    MORE_THAN_HALF = "more_than_half"
    AT_LEAST_HALF = "at_least_half"
    NONE = "none"


class Majority(enum.Enum):
    """Which share of the votes adopts a motion."""

    VOTES_CAST = "votes_cast"  # more than half of the votes cast
    ABSOLUTE = "absolute"  # more than half of all members
    TWO_THIRDS = "two_thirds"  # at least two thirds of the votes cast (Civil Code 2:43)


class Choice(enum.Enum):
    FOR = "for"
    AGAINST = "against"
    ABSTAIN = "abstain"


class Outcome(enum.Enum):
    ADOPTED = "adopted"
    REJECTED = "rejected"
    NO_QUORUM = "no_quorum"


class RuleViolation(Exception):
    """A statute rule refuses the action; ``reason`` is a stable code for the caller to explain."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Statutes:
    """A council's decision rules; the defaults follow common Dutch tenant-organisation statutes.

    A tie is always rejected: a motion needs more for-votes than the required share.
    """

    quorum: QuorumRule = QuorumRule.MORE_THAN_HALF
    proxies_count_for_quorum: bool = True
    majority: Majority = Majority.VOTES_CAST
    abstentions_count_as_cast: bool = False
    proxies_allowed: bool = True
    proxy_cap: int = 1
    secret_ballots_allowed: bool = True

    def __post_init__(self) -> None:
        if self.proxy_cap < 0:
            raise ValueError("proxy_cap must not be negative")


@dataclass(frozen=True)
class Tally:
    """The counted choices of one motion."""

    for_: int = 0
    against: int = 0
    abstain: int = 0

    def __post_init__(self) -> None:
        if min(self.for_, self.against, self.abstain) < 0:
            raise ValueError("counts must not be negative")

    @property
    def total(self) -> int:
        """Everyone who voted, abstentions included."""
        return self.for_ + self.against + self.abstain

    @classmethod
    def of(cls, choices: Iterable[Choice]) -> Tally:
        counts = Counter(choices)
        return cls(counts[Choice.FOR], counts[Choice.AGAINST], counts[Choice.ABSTAIN])


@dataclass(frozen=True)
class Decision:
    """The outcome of a vote with the figures that led to it."""

    outcome: Outcome
    quorum_met: bool
    votes_cast: int
    majority: Majority


def votes_cast(tally: Tally, statutes: Statutes) -> int:
    """The votes that count toward the majority: abstentions only when the statutes say so."""
    return tally.for_ + tally.against + (tally.abstain if statutes.abstentions_count_as_cast else 0)


def represented(present: int, proxies: int, statutes: Statutes) -> int:
    """Members represented at the meeting for the quorum: present, plus proxies when they count."""
    return present + (proxies if statutes.proxies_count_for_quorum and statutes.proxies_allowed else 0)


def quorum_met(entitled: int, present: int, proxies: int, statutes: Statutes) -> bool:
    """True when enough members are represented.

    Args:
        entitled: all members with a vote.
        present: members present in person (or voting online).
        proxies: members represented by a proxy holder.
    """
    if min(entitled, present, proxies) < 0:
        raise ValueError("counts must not be negative")
    if statutes.quorum is QuorumRule.NONE:
        return True
    count = represented(present, proxies, statutes)
    if statutes.quorum is QuorumRule.AT_LEAST_HALF:
        return entitled > 0 and 2 * count >= entitled
    return 2 * count > entitled


def majority_reached(tally: Tally, *, entitled: int, statutes: Statutes, majority: Majority | None = None) -> bool:
    """True when the for-votes reach the required majority (a tie never does)."""
    rule = majority or statutes.majority
    cast = votes_cast(tally, statutes)
    if rule is Majority.ABSOLUTE:
        return 2 * tally.for_ > entitled
    if cast == 0:
        return False
    if rule is Majority.TWO_THIRDS:
        return 3 * tally.for_ >= 2 * cast
    return 2 * tally.for_ > cast


def decide(
    tally: Tally,
    *,
    entitled: int,
    present: int,
    proxies: int,
    statutes: Statutes,
    majority: Majority | None = None,
) -> Decision:
    """The outcome of a vote: no quorum, adopted or rejected.

    Raises:
        ValueError: when more votes were counted than members are represented.
    """
    if tally.total > present + proxies:
        raise ValueError("more votes than members represented")
    rule = majority or statutes.majority
    met = quorum_met(entitled, present, proxies, statutes)
    cast = votes_cast(tally, statutes)
    if not met:
        return Decision(Outcome.NO_QUORUM, False, cast, rule)
    adopted = majority_reached(tally, entitled=entitled, statutes=statutes, majority=rule)
    return Decision(Outcome.ADOPTED if adopted else Outcome.REJECTED, True, cast, rule)


def check_counts(tally: Tally, *, present: int, proxies: int) -> None:
    """Refuse show-of-hands counts that exceed the members represented.

    Raises:
        RuleViolation: ``too_many_votes``.
    """
    if tally.total > present + proxies:
        raise RuleViolation("too_many_votes")


def check_proxy(giver: int, holder: int, existing: Iterable[tuple[int, int]], statutes: Statutes) -> None:
    """Refuse a proxy the statutes do not allow.

    Args:
        giver, holder: member ids.
        existing: the (giver, holder) pairs already recorded for the meeting.

    Raises:
        RuleViolation: ``not_allowed``, ``self``, ``already_given``, ``chain`` or ``cap``.
    """
    pairs = list(existing)
    if not statutes.proxies_allowed:
        raise RuleViolation("not_allowed")
    if giver == holder:
        raise RuleViolation("self")
    givers = {g for g, _ in pairs}
    holders = Counter(h for _, h in pairs)
    if giver in givers:
        raise RuleViolation("already_given")
    if holder in givers or giver in holders:
        raise RuleViolation("chain")
    if holders[holder] >= statutes.proxy_cap:
        raise RuleViolation("cap")


def voting_rights(member: int, proxies: Iterable[tuple[int, int]]) -> list[int | None]:
    """For whom a member may vote: ``None`` for themselves (unless they gave a proxy), plus each giver."""
    pairs = list(proxies)
    rights: list[int | None] = [] if any(g == member for g, _ in pairs) else [None]
    rights.extend(sorted(g for g, h in pairs if h == member))
    return rights
