"""Overlegwet art. 5 dates: advice periods, reasons due and the earliest day to proceed (pure).

Dates are calendar days in the Netherlands; a moment in UTC belongs to the Dutch date it falls on,
so 23:30 UTC in summer is already the next day. A period ends at the end of its last day.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Europe/Amsterdam")
MIN_ADVICE_PERIOD_DAYS = 42  # six weeks (art. 5 lid 2)
REASONS_DUE_DAYS = 14  # written reasons within 14 days of receiving the advice (art. 5 lid 4)
WAIT_AFTER_REASONS_DAYS = 3  # the corporation waits 3 days after the council received the reasons


class PeriodTooShort(ValueError):
    """An advice period under six weeks."""


def local_date(moment: datetime) -> date:
    """The Dutch calendar date of a UTC moment."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.astimezone(LOCAL_TZ).date()


def end_of_day_utc(day: date) -> datetime:
    """The UTC moment a Dutch calendar day ends (the next local midnight), correct across DST."""
    next_midnight = datetime.combine(day + timedelta(days=1), time(0), tzinfo=LOCAL_TZ)
    return next_midnight.astimezone(timezone.utc)


def start_of_day_utc(day: date) -> datetime:
    """The UTC moment a Dutch calendar day starts."""
    return datetime.combine(day, time(0), tzinfo=LOCAL_TZ).astimezone(timezone.utc)


def advice_deadline(received: date, period_days: int) -> date:
    """The last day on which the council may give its advice.

    Raises:
        PeriodTooShort: when the period is shorter than six weeks.
    """
    if period_days < MIN_ADVICE_PERIOD_DAYS:
        raise PeriodTooShort(period_days)
    return received + timedelta(days=period_days)


def reasons_due(advice_received: date) -> date:
    """The last day for the corporation's written reasons when it does not follow the advice fully."""
    return advice_received + timedelta(days=REASONS_DUE_DAYS)


@dataclass(frozen=True)
class AdviceState:
    """What happened so far in one advice request (dates in Dutch calendar days)."""

    deadline: date
    advice_sent: date | None = None
    no_objection: date | None = None
    follows_fully: bool | None = None  # None until the corporation responded
    responded: date | None = None
    reasons_sent: date | None = None


def earliest_proceed(state: AdviceState) -> date | None:
    """The first day the corporation may carry out its plan, or None while that is not yet known.

    - a written "no objection": that day;
    - no advice given: the day after the period ends;
    - advice followed fully: the day of the response;
    - advice not (fully) followed: 3 days after the council received the reasons.
    """
    if state.no_objection is not None:
        return state.no_objection
    if state.advice_sent is None:
        return state.deadline + timedelta(days=1)
    if state.follows_fully is None:
        return None
    if state.follows_fully:
        return state.responded
    if state.reasons_sent is None:
        return None
    return state.reasons_sent + timedelta(days=WAIT_AFTER_REASONS_DAYS)


def overdue_steps(state: AdviceState, today: date) -> list[str]:
    """The steps that are late on ``today``: ``advice`` (council) or ``reasons`` (corporation)."""
    late: list[str] = []
    if state.advice_sent is None and state.no_objection is None and today > state.deadline:
        late.append("advice")
    if (
        state.advice_sent is not None
        and state.follows_fully is False
        and state.reasons_sent is None
        and today > reasons_due(state.advice_sent)
    ):
        late.append("reasons")
    return late
