"""Local time for the corporation's rules: stored in UTC, decided in Europe/Amsterdam."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from inspraak.core.db import utcnow

LOCAL_TZ = ZoneInfo("Europe/Amsterdam")
# Dates people mean: a tenancy from 1900 to a plan for 2199. Outside, a date is a slip of the
# keyboard (year 9999, year 1), and adding a legal deadline to it would overflow the calendar.
FIRST_YEAR, LAST_YEAR = 1900, 2199


def local_today(now: datetime | None = None) -> date:
    """Today's date in the Netherlands."""
    return (now or utcnow()).astimezone(LOCAL_TZ).date()
