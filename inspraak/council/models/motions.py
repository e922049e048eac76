"""Motions, named votes, secret ballots (participation apart from choice) and frozen results."""
from __future__ import annotations

import enum
import secrets
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspraak.core.db import JSONType, TimestampMixin, UTCDateTime, enum_column, utcnow
from inspraak.core.errors import InvalidTransition
from inspraak.core.timeutil import local_today
from inspraak.council.models.councils import Member
from inspraak.council.models.meetings import AgendaItem
from inspraak.council.rules import Choice, Majority, Outcome, QuorumRule
from inspraak.extensions import db


class Ballot(enum.Enum):
    OPEN = "open"  # named: the result lists who voted what
    SECRET = "secret"


class Channel(enum.Enum):
    ONLINE = "online"  # members vote on their phones during a window
    SHOW_OF_HANDS = "show_of_hands"  # the secretary enters the counts


class MotionStatus(enum.Enum):
    DRAFT = "draft"
    VOTING = "voting"
    CLOSED = "closed"


class Motion(TimestampMixin, db.Model):
    """A proposal on a decision or advice item: draft → voting → closed."""

    __tablename__ = "council_motion"

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("council_agenda_item.id", ondelete="CASCADE"), nullable=False, index=True
    )
    text: Mapped[dict[str, str]] = mapped_column(JSONType, nullable=False, default=dict)
    source_language: Mapped[str] = mapped_column(sa.String(10), nullable=False, default="nl")
    majority: Mapped[Majority | None] = mapped_column(enum_column(Majority, "motion_majority"))
    ballot: Mapped[Ballot] = mapped_column(enum_column(Ballot, "ballot"), nullable=False, default=Ballot.OPEN)
    channel: Mapped[Channel] = mapped_column(enum_column(Channel, "channel"), nullable=False, default=Channel.ONLINE)
    status: Mapped[MotionStatus] = mapped_column(
        enum_column(MotionStatus, "motion_status"), nullable=False, default=MotionStatus.DRAFT
    )
    voting_opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    voting_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    agenda_item: Mapped[AgendaItem] = relationship(back_populates="motions")
    result: Mapped[MotionResult | None] = relationship(back_populates="motion", uselist=False)

    def open_voting(self, closes_at: datetime | None) -> None:
        if self.status is not MotionStatus.DRAFT:
            raise InvalidTransition("only a draft motion can be put to the vote")
        self.status = MotionStatus.VOTING
        self.voting_opened_at = utcnow()
        self.voting_closes_at = closes_at

    def close_voting(self) -> None:
        if self.status is not MotionStatus.VOTING:
            raise InvalidTransition("only a motion being voted on can be closed")
        self.status = MotionStatus.CLOSED
        self.closed_at = utcnow()

    @property
    def decided_on(self) -> date | None:
        """The day the decision was taken, as tenants read it ("Decided on"): the day voting closed in the
        Netherlands, and for a show of hands the meeting's day, whenever the secretary enters its counts.
        None while no decision is taken."""
        if self.closed_at is None:
            return None
        if self.channel is Channel.SHOW_OF_HANDS:
            return self.agenda_item.meeting.day
        return local_today(self.closed_at)

    def accepts_votes(self, now: datetime) -> bool:
        """True while online votes may be cast (the server clock decides)."""
        return (
            self.status is MotionStatus.VOTING
            and self.channel is Channel.ONLINE
            and (self.voting_closes_at is None or now < self.voting_closes_at)
        )


def _member_and_person(table: str) -> sa.ForeignKeyConstraint:
    """The (member, person) pair of a vote names a term and the person whose term it is: the person
    column cannot say anything else, so "one per motion and person" holds across all their terms."""
    return sa.ForeignKeyConstraint(["member_id", "person_id"], ["council_member.id", "council_member.person_id"],
                                   name=f"fk_{table}_member_person", ondelete="CASCADE")


class Vote(db.Model):
    """A named vote on an open ballot: one per voting right (member), cast by them or their proxy holder.

    One per person too: someone seated again on the council (a new term, a new member id) while a vote
    runs cannot vote a second time on it.
    """

    __tablename__ = "council_vote"

    id: Mapped[int] = mapped_column(primary_key=True)
    motion_id: Mapped[int] = mapped_column(sa.ForeignKey("council_motion.id", ondelete="CASCADE"), nullable=False)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("council_member.id", ondelete="CASCADE"), nullable=False)
    person_id: Mapped[int] = mapped_column(nullable=False)  # the member's person (see _member_and_person)
    cast_by_id: Mapped[int] = mapped_column(sa.ForeignKey("council_member.id", ondelete="CASCADE"), nullable=False)
    choice: Mapped[Choice] = mapped_column(enum_column(Choice, "choice"), nullable=False)
    cast_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    member: Mapped[Member] = relationship(foreign_keys=[member_id])
    cast_by: Mapped[Member] = relationship(foreign_keys=[cast_by_id])

    __table_args__ = (
        sa.UniqueConstraint("motion_id", "member_id"),
        sa.UniqueConstraint("motion_id", "person_id"),
        _member_and_person("council_vote"),
    )

    @property
    def via_proxy(self) -> bool:
        return self.cast_by_id != self.member_id


class BallotParticipation(db.Model):
    """Who took part in a secret ballot; never linked to the choice (no id, no time). Once per person, as Vote."""

    __tablename__ = "council_ballot_participation"

    motion_id: Mapped[int] = mapped_column(sa.ForeignKey("council_motion.id", ondelete="CASCADE"), primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("council_member.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(nullable=False)

    __table_args__ = (
        sa.UniqueConstraint("motion_id", "person_id"),
        _member_and_person("council_ballot_participation"),
    )


def _random_key() -> str:
    return secrets.token_hex(16)


class SecretBallot(db.Model):
    """One secret choice: no member, proxy, address or time; a random key so row order tells nothing."""

    __tablename__ = "council_secret_ballot"

    key: Mapped[str] = mapped_column(sa.String(32), primary_key=True, default=_random_key)
    motion_id: Mapped[int] = mapped_column(
        sa.ForeignKey("council_motion.id", ondelete="CASCADE"), nullable=False, index=True
    )
    choice: Mapped[Choice] = mapped_column(enum_column(Choice, "secret_choice"), nullable=False)


class MotionResult(db.Model):
    """The frozen snapshot written when voting closes; later changes to members do not alter it."""

    __tablename__ = "council_motion_result"

    motion_id: Mapped[int] = mapped_column(sa.ForeignKey("council_motion.id", ondelete="CASCADE"), primary_key=True)
    entitled: Mapped[int] = mapped_column(nullable=False)
    present: Mapped[int] = mapped_column(nullable=False)
    proxies: Mapped[int] = mapped_column(nullable=False)
    votes_for: Mapped[int] = mapped_column(nullable=False)
    votes_against: Mapped[int] = mapped_column(nullable=False)
    abstentions: Mapped[int] = mapped_column(nullable=False)
    votes_cast: Mapped[int] = mapped_column(nullable=False)
    majority: Mapped[Majority] = mapped_column(enum_column(Majority, "result_majority"), nullable=False)
    quorum_rule: Mapped[QuorumRule] = mapped_column(enum_column(QuorumRule, "result_quorum_rule"), nullable=False)
    abstentions_counted: Mapped[bool] = mapped_column(nullable=False)
    proxies_counted: Mapped[bool] = mapped_column(nullable=False)
    quorum_met: Mapped[bool] = mapped_column(nullable=False)
    outcome: Mapped[Outcome] = mapped_column(enum_column(Outcome, "outcome"), nullable=False)
    # Open ballots only: [{"member": name, "choice": "for", "by_proxy": holder name or null}].
    named_votes: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONType)
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    motion: Mapped[Motion] = relationship(back_populates="result")
