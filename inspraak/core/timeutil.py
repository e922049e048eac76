"""Local time for the corporation's rules: stored in UTC, decided in Europe/Amsterdam."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from inspraak.core.db import utcnow

LOCAL_TZ = ZoneInfo("Europe/Amsterdam")


def local_today(now: datetime | None = None) -> date:
    """Today's date in the Netherlands."""
    return (now or utcnow()).astimezone(LOCAL_TZ).date()
