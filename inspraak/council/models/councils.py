"""Councils (tenant organisation, residents' committee), their statutes and members."""
from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspraak.core.db import TimestampMixin, UTCDateTime, enum_column
from inspraak.core.timeutil import local_today
from inspraak.council.rules import Majority, QuorumRule, Statutes
from inspraak.council.terms import Term
from inspraak.extensions import db
from inspraak.people.models import Complex, Corporation, Person


class CouncilKind(enum.Enum):
    TENANT_ORGANISATION = "tenant_organisation"  # huurdersorganisatie: the whole corporation
    RESIDENTS_COMMITTEE = "residents_committee"  # bewonerscommissie: one complex


class Position(enum.Enum):
    CHAIR = "chair"
    SECRETARY = "secretary"
    TREASURER = "treasurer"
    MEMBER = "member"


MANAGING_POSITIONS = (Position.CHAIR, Position.SECRETARY)


class Council(TimestampMixin, db.Model):
    """A tenant organisation or residents' committee with its statutes as settings."""

    __tablename__ = "council"

    id: Mapped[int] = mapped_column(primary_key=True)
    corporation_id: Mapped[int] = mapped_column(sa.ForeignKey("corporation.id"), nullable=False, index=True)
    kind: Mapped[CouncilKind] = mapped_column(enum_column(CouncilKind, "council_kind"), nullable=False)
    complex_id: Mapped[int | None] = mapped_column(sa.ForeignKey("complex.id"), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    contact_email: Mapped[str | None] = mapped_column(sa.String(254))

    # Statutes (see council/rules.py); defaults follow common statutes.
    quorum_rule: Mapped[QuorumRule] = mapped_column(
        enum_column(QuorumRule, "quorum_rule"), nullable=False, default=QuorumRule.MORE_THAN_HALF
    )
    proxies_count_for_quorum: Mapped[bool] = mapped_column(nullable=False, default=True)
    default_majority: Mapped[Majority] = mapped_column(
        enum_column(Majority, "default_majority"), nullable=False, default=Majority.VOTES_CAST
    )
    abstentions_count_as_cast: Mapped[bool] = mapped_column(nullable=False, default=False)
    proxies_allowed: Mapped[bool] = mapped_column(nullable=False, default=True)
    proxy_cap: Mapped[int] = mapped_column(nullable=False, default=1)
    secret_ballots_allowed: Mapped[bool] = mapped_column(nullable=False, default=True)

    corporation: Mapped[Corporation] = relationship()
    complex: Mapped[Complex | None] = relationship()
    members: Mapped[list[Member]] = relationship(back_populates="council", order_by="Member.id")

    __table_args__ = (
        sa.CheckConstraint(
            "(kind = 'residents_committee') = (complex_id IS NOT NULL)", name="complex_for_committee"
        ),
        sa.CheckConstraint("proxy_cap >= 0", name="proxy_cap_not_negative"),
    )

    @property
    def statutes(self) -> Statutes:
        return Statutes(
            quorum=self.quorum_rule,
            proxies_count_for_quorum=self.proxies_count_for_quorum,
            majority=self.default_majority,
            abstentions_count_as_cast=self.abstentions_count_as_cast,
            proxies_allowed=self.proxies_allowed,
            proxy_cap=self.proxy_cap,
            secret_ballots_allowed=self.secret_ballots_allowed,
        )


# A term with no end and no removal: a person has at most one such term per council (the database says so).
OPEN_TERM = "removed_at IS NULL AND term_end IS NULL"


class Member(TimestampMixin, db.Model):
    """One term of a person on a council, with a position; removal takes effect at once.

    A person may sit on a council for several terms (seated again after a removal, or a new term after
    one ended), one row each, so a past meeting still finds who sat on it that day. Terms of one person
    on one council never overlap: ``services.add_member`` refuses that, and the database refuses a
    second term without end. Votes, proxies and attendance name the term that was current at the meeting.
    """

    __tablename__ = "council_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(sa.ForeignKey("council.id", ondelete="CASCADE"), nullable=False, index=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"), nullable=False, index=True)
    position: Mapped[Position] = mapped_column(enum_column(Position, "position"), nullable=False, default=Position.MEMBER)
    term_start: Mapped[date] = mapped_column(sa.Date, nullable=False)
    term_end: Mapped[date | None] = mapped_column(sa.Date)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    council: Mapped[Council] = relationship(back_populates="members")
    person: Mapped[Person] = relationship()

    __table_args__ = (
        # What a vote's (member, person) key points at: a vote names the person as well as the term, so one
        # person votes once on a motion whichever of their terms it was cast under (see Vote).
        sa.UniqueConstraint("id", "person_id"),
        sa.Index("uq_council_member_open_term", "council_id", "person_id", unique=True,
                 sqlite_where=sa.text(OPEN_TERM), postgresql_where=sa.text(OPEN_TERM)),
        sa.CheckConstraint("term_end IS NULL OR term_end >= term_start", name="term_end_after_start"),
    )

    @property
    def term(self) -> Term:
        """The term as the pure rules see it (council/terms.py)."""
        return Term(self.term_start, self.term_end, local_today(self.removed_at) if self.removed_at else None)

    def is_active(self, on: date) -> bool:
        """True while the member sits on the council on the given day (a Dutch date).

        The term counts from its first to its last day. A removal ends the membership on the day it
        was recorded in the Netherlands: from then on the member sits nowhere (their access ends at
        once), but a meeting held before that day still had them as a member.
        """
        return self.term.covers(on)

    @property
    def last_day(self) -> date | None:
        """The last day the term counts: its end, or the day before its removal; None while it has neither."""
        return self.term.last_day

    def is_past(self, today: date) -> bool:
        """True once the term is over (removed, or its last day has gone by); a term still to come is not."""
        return self.removed_at is not None or (self.term_end is not None and self.term_end < today)

    @property
    def manages(self) -> bool:
        """Chair and secretary manage meetings, votes and minutes."""
        return self.position in MANAGING_POSITIONS
