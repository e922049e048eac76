"""Meetings with their agenda, attachments, attendance, proxies and minutes."""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspraak.core.db import JSONType, TimestampMixin, UTCDateTime, enum_column, utcnow
from inspraak.core.errors import InvalidTransition
from inspraak.core.timeutil import local_today
from inspraak.council.models.councils import Council, Member
from inspraak.extensions import db


class MeetingStatus(enum.Enum):
    PLANNED = "planned"
    AGENDA_PUBLISHED = "agenda_published"
    IN_SESSION = "in_session"
    CLOSED = "closed"
    MINUTES_PUBLISHED = "minutes_published"


class Meeting(TimestampMixin, db.Model):
    """One meeting of a council: planned → agenda published → in session → closed → minutes published."""

    __tablename__ = "council_meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(sa.ForeignKey("council.id", ondelete="CASCADE"), nullable=False, index=True)
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    place: Mapped[str] = mapped_column(sa.String(300), nullable=False, default="")
    online_link: Mapped[str] = mapped_column(sa.String(500), nullable=False, default="")
    # The language the secretary typed the title and the place in (a code of config LANGUAGES), for their lang
    # and dir where they are shown; None for meetings planned before it was recorded, shown as the site's
    # default language (Dutch), as they always were.
    source_language: Mapped[str | None] = mapped_column(sa.String(10))
    status: Mapped[MeetingStatus] = mapped_column(
        enum_column(MeetingStatus, "meeting_status"), nullable=False, default=MeetingStatus.PLANNED
    )
    agenda_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    minutes_approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    minutes_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    council: Mapped[Council] = relationship()
    items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", order_by="(AgendaItem.position, AgendaItem.id)", cascade="all, delete-orphan"
    )
    revisions: Mapped[list[MinutesRevision]] = relationship(
        back_populates="meeting", order_by="MinutesRevision.id"
    )

    def _move(self, allowed_from: MeetingStatus, to: MeetingStatus) -> None:
        if self.status is not allowed_from:
            raise InvalidTransition(f"meeting {self.status.value} cannot become {to.value}")
        self.status = to

    def publish_agenda(self) -> None:
        self._move(MeetingStatus.PLANNED, MeetingStatus.AGENDA_PUBLISHED)
        self.agenda_published_at = utcnow()

    def open_session(self) -> None:
        self._move(MeetingStatus.AGENDA_PUBLISHED, MeetingStatus.IN_SESSION)
        self.opened_at = utcnow()

    def close_session(self) -> None:
        self._move(MeetingStatus.IN_SESSION, MeetingStatus.CLOSED)
        self.closed_at = utcnow()

    def publish_minutes(self) -> None:
        if self.minutes_approved_at is None:
            raise InvalidTransition("minutes must be approved before publication")
        self._move(MeetingStatus.CLOSED, MeetingStatus.MINUTES_PUBLISHED)
        self.minutes_published_at = utcnow()

    @property
    def day(self) -> date:
        """The meeting's date in the Netherlands (at 00:30 there it is already the next UTC date's day).

        Who sits on the council on this day attends, gives and holds proxies, and votes at the meeting,
        whenever the secretary registers it: before the meeting, on the day, or afterwards.
        """
        return local_today(self.starts_at)

    @property
    def latest_revision(self) -> MinutesRevision | None:
        return self.revisions[-1] if self.revisions else None

    @property
    def approved_revision(self) -> MinutesRevision | None:
        return next((r for r in reversed(self.revisions) if r.approved_at is not None), None)

    @property
    def agenda_visible(self) -> bool:
        return self.status is not MeetingStatus.PLANNED

    @property
    def agenda_editable(self) -> bool:
        return self.status in (MeetingStatus.PLANNED, MeetingStatus.AGENDA_PUBLISHED)


class ItemKind(enum.Enum):
    INFORMATION = "information"
    DISCUSSION = "discussion"
    DECISION = "decision"
    ADVICE = "advice"


class AgendaItem(TimestampMixin, db.Model):
    """One item on a meeting's agenda; decision and advice items carry motions."""

    __tablename__ = "council_agenda_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("council_meeting.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position: Mapped[int] = mapped_column(nullable=False)
    kind: Mapped[ItemKind] = mapped_column(enum_column(ItemKind, "item_kind"), nullable=False)
    title: Mapped[dict[str, str]] = mapped_column(JSONType, nullable=False, default=dict)
    description: Mapped[dict[str, str]] = mapped_column(JSONType, nullable=False, default=dict)
    source_language: Mapped[str] = mapped_column(sa.String(10), nullable=False, default="nl")
    presenter: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")

    meeting: Mapped[Meeting] = relationship(back_populates="items")
    attachments: Mapped[list[Attachment]] = relationship(back_populates="agenda_item", order_by="Attachment.id")
    motions: Mapped[list[Any]] = relationship("Motion", back_populates="agenda_item", order_by="Motion.id")

    @property
    def takes_motions(self) -> bool:
        return self.kind in (ItemKind.DECISION, ItemKind.ADVICE)


class Attachment(db.Model):
    """A document for an agenda item or an advice request, stored under the instance folder."""

    __tablename__ = "council_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("council_agenda_item.id", ondelete="CASCADE"), index=True
    )
    advice_request_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("council_advice_request.id", ondelete="CASCADE"), index=True
    )
    stored_name: Mapped[str] = mapped_column(sa.String(80), nullable=False, unique=True)
    original_name: Mapped[str] = mapped_column(sa.String(255), nullable=False)
    content_type: Mapped[str] = mapped_column(sa.String(120), nullable=False)
    size: Mapped[int] = mapped_column(nullable=False)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    agenda_item: Mapped[AgendaItem | None] = relationship(back_populates="attachments")

    __table_args__ = (
        sa.CheckConstraint(
            "(agenda_item_id IS NULL) <> (advice_request_id IS NULL)", name="one_owner"
        ),
    )


class AttendanceStatus(enum.Enum):
    PRESENT = "present"
    ABSENT = "absent"
    EXCUSED = "excused"


class Attendance(db.Model):
    """Whether a member attended a meeting."""

    __tablename__ = "council_attendance"

    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("council_meeting.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("council_member.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[AttendanceStatus] = mapped_column(enum_column(AttendanceStatus, "attendance_status"), nullable=False)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)

    member: Mapped[Member] = relationship()


class Proxy(db.Model):
    """A written proxy: the giver authorises the holder to vote for them at one meeting."""

    __tablename__ = "council_proxy"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("council_meeting.id", ondelete="CASCADE"), nullable=False, index=True
    )
    giver_id: Mapped[int] = mapped_column(sa.ForeignKey("council_member.id", ondelete="CASCADE"), nullable=False)
    holder_id: Mapped[int] = mapped_column(sa.ForeignKey("council_member.id", ondelete="CASCADE"), nullable=False)
    signed_on: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("council_member.id", ondelete="SET NULL"))

    giver: Mapped[Member] = relationship(foreign_keys=[giver_id])
    holder: Mapped[Member] = relationship(foreign_keys=[holder_id])

    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "giver_id"),
        sa.CheckConstraint("giver_id <> holder_id", name="not_to_oneself"),
    )


class MinutesRevision(db.Model):
    """One version of a meeting's minutes; every revision is kept."""

    __tablename__ = "council_minutes_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("council_meeting.id", ondelete="CASCADE"), nullable=False, index=True
    )
    text: Mapped[dict[str, str]] = mapped_column(JSONType, nullable=False, default=dict)
    source_language: Mapped[str] = mapped_column(sa.String(10), nullable=False, default="nl")
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("council_member.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    meeting: Mapped[Meeting] = relationship(back_populates="revisions")
    author: Mapped[Member | None] = relationship()
