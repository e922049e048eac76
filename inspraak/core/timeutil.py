"""Local time for the corporation's rules: stored in UTC, decided in Europe/Amsterdam."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from inspraak.core.db import utcnow

LOCAL_TZ = ZoneInfo("Europe/Amsterdam")
# Dates people mean: a tenancy from 1900 to a plan for 2199. Outside, a date is a slip of the
# keyboard (year 9999, year 1), and adding a legal deadline to it would overflow the calendar.
FIRST_YEAR, LAST_YEAR = 1900, 2199


def local_today(now: datetime | None = None) -> date:
    """Today's date in the Netherlands."""
    return (now or utcnow()).astimezone(LOCAL_TZ).date()


def exists_locally(moment: datetime) -> bool:
    """Whether a naive Dutch date and time happens at all: on the night summer time starts the clocks jump
    from 02:00 to 03:00, and 02:30 never comes. (The hour that happens twice in October, 02:00–03:00, is
    read as the first time round, still summer time, as ``replace(tzinfo=LOCAL_TZ)`` does.)"""
    aware = moment.replace(tzinfo=LOCAL_TZ)
    return aware.astimezone(timezone.utc).astimezone(LOCAL_TZ).replace(tzinfo=None) == moment.replace(tzinfo=None)
