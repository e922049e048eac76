"""Advice-procedure dates in Dutch calendar days, across DST and date boundaries."""
from datetime import date, datetime, timezone

import pytest

from inspraak.council.deadlines import (
    AdviceState, PeriodTooShort, advice_deadline, earliest_proceed, end_of_day_utc, local_date, overdue_steps,
    reasons_due, start_of_day_utc,
)


def test_period_of_six_weeks_is_the_minimum():
    assert advice_deadline(date(2026, 1, 5), 42) == date(2026, 2, 16)
    with pytest.raises(PeriodTooShort):
        advice_deadline(date(2026, 1, 5), 41)


def test_deadline_crosses_a_year_and_a_leap_day():
    assert advice_deadline(date(2027, 12, 1), 42) == date(2028, 1, 12)
    assert advice_deadline(date(2028, 2, 1), 42) == date(2028, 3, 14)


def test_late_evening_utc_is_already_the_next_dutch_day():
    assert local_date(datetime(2026, 7, 31, 22, 30, tzinfo=timezone.utc)) == date(2026, 8, 1)  # CEST +2
    assert local_date(datetime(2026, 12, 31, 22, 30, tzinfo=timezone.utc)) == date(2026, 12, 31)  # CET +1
    assert local_date(datetime(2026, 12, 31, 23, 30, tzinfo=timezone.utc)) == date(2027, 1, 1)


def test_day_boundaries_follow_daylight_saving_time():
    # 29 March 2026: clocks go forward, the day lasts 23 hours.
    assert start_of_day_utc(date(2026, 3, 29)) == datetime(2026, 3, 28, 23, 0, tzinfo=timezone.utc)
    assert end_of_day_utc(date(2026, 3, 29)) == datetime(2026, 3, 29, 22, 0, tzinfo=timezone.utc)
    # 25 October 2026: clocks go back, the day lasts 25 hours.
    assert end_of_day_utc(date(2026, 10, 25)) - start_of_day_utc(date(2026, 10, 25)) == (
        datetime(2026, 10, 25, 23, tzinfo=timezone.utc) - datetime(2026, 10, 24, 22, tzinfo=timezone.utc)
    )


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        local_date(datetime(2026, 1, 1))


def test_reasons_are_due_fourteen_days_after_the_advice():
    assert reasons_due(date(2026, 3, 20)) == date(2026, 4, 3)


def test_earliest_proceed_date_in_each_case():
    deadline = date(2026, 5, 1)
    assert earliest_proceed(AdviceState(deadline)) == date(2026, 5, 2)
    assert earliest_proceed(AdviceState(deadline, no_objection=date(2026, 4, 1))) == date(2026, 4, 1)
    sent = AdviceState(deadline, advice_sent=date(2026, 4, 20))
    assert earliest_proceed(sent) is None
    fully = AdviceState(deadline, advice_sent=date(2026, 4, 20), follows_fully=True, responded=date(2026, 4, 25))
    assert earliest_proceed(fully) == date(2026, 4, 25)
    partly = AdviceState(deadline, advice_sent=date(2026, 4, 20), follows_fully=False, responded=date(2026, 4, 25))
    assert earliest_proceed(partly) is None
    with_reasons = AdviceState(deadline, advice_sent=date(2026, 4, 20), follows_fully=False,
                               responded=date(2026, 4, 25), reasons_sent=date(2026, 4, 30))
    assert earliest_proceed(with_reasons) == date(2026, 5, 3)


def test_overdue_steps_on_both_sides():
    state = AdviceState(date(2026, 5, 1))
    assert overdue_steps(state, date(2026, 5, 1)) == []
    assert overdue_steps(state, date(2026, 5, 2)) == ["advice"]
    partly = AdviceState(date(2026, 5, 1), advice_sent=date(2026, 4, 20), follows_fully=False)
    assert overdue_steps(partly, date(2026, 5, 4)) == []
    assert overdue_steps(partly, date(2026, 5, 5)) == ["reasons"]
    done = AdviceState(date(2026, 5, 1), advice_sent=date(2026, 4, 20), follows_fully=False, reasons_sent=date(2026, 5, 6))
    assert overdue_steps(done, date(2026, 6, 1)) == []
