"""'Today' is the Dutch date, whatever the hour in UTC and whatever time zone the machine is set to."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspraak.core import timeutil
from inspraak.core.timeutil import local_today

# Moments at which UTC, and often the machine, are on another date or offset than the Netherlands.
DUTCH_DATES = [
    (datetime(2026, 12, 7, 23, 20, tzinfo=timezone.utc), date(2026, 12, 8)),  # an ordinary night, CET
    (datetime(2026, 7, 7, 22, 20, tzinfo=timezone.utc), date(2026, 7, 8)),  # a summer night, CEST
    (datetime(2026, 12, 31, 23, 20, tzinfo=timezone.utc), date(2027, 1, 1)),  # the new year
    (datetime(2027, 2, 28, 23, 20, tzinfo=timezone.utc), date(2027, 3, 1)),  # the month's end
    (datetime(2027, 3, 28, 0, 50, tzinfo=timezone.utc), date(2027, 3, 28)),  # 01:50 CET, ten minutes before summer time
    (datetime(2027, 3, 27, 23, 0, tzinfo=timezone.utc), date(2027, 3, 28)),  # midnight on the day summer time starts
    (datetime(2027, 10, 30, 22, 0, tzinfo=timezone.utc), date(2027, 10, 31)),  # midnight on the day it ends (CEST)
    (datetime(2027, 10, 31, 22, 59, tzinfo=timezone.utc), date(2027, 10, 31)),  # 23:59 CET that day
    (datetime(2027, 10, 31, 23, 0, tzinfo=timezone.utc), date(2027, 11, 1)),
]


@pytest.mark.parametrize(("moment", "dutch"), DUTCH_DATES)
def test_the_dutch_date_of_a_moment(moment, dutch):
    assert local_today(moment) == dutch


@pytest.mark.parametrize(("moment", "dutch"), DUTCH_DATES)
def test_today_is_the_dutch_date_on_a_machine_in_another_zone(monkeypatch, machine_on_another_day, moment, dutch):
    """local_today() reads the clock through one seam (``timeutil.utcnow``), never the machine's own date."""
    monkeypatch.setattr(timeutil, "utcnow", lambda: moment)
    assert date.today() != local_today(datetime.now(timezone.utc))  # the machine is on another day
    assert local_today() == dutch


@pytest.mark.parametrize(("moment", "happens"), [
    (datetime(2027, 3, 28, 1, 59), True),
    (datetime(2027, 3, 28, 2, 0), False),  # the clocks go from 02:00 to 03:00 on the last Sunday of March
    (datetime(2027, 3, 28, 2, 30), False),
    (datetime(2027, 3, 28, 2, 59), False),
    (datetime(2027, 3, 28, 3, 0), True),
    (datetime(2030, 3, 31, 2, 30), False),
    (datetime(2027, 3, 21, 2, 30), True),  # a week earlier: an ordinary night
    (datetime(2027, 10, 31, 2, 30), True),  # the hour that happens twice in October happens
    (datetime(2026, 12, 8, 0, 40), True),
])
def test_a_dutch_time_that_never_happens(moment, happens):
    assert timeutil.exists_locally(moment) is happens


@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 12, 31)))
def test_only_the_skipped_spring_hour_does_not_happen(moment):
    skipped = (moment.month == 3 and moment.weekday() == 6 and moment.day > 24 and moment.hour == 2)
    assert timeutil.exists_locally(moment) is not skipped
