"""The pure term rules: who sits on a council on a day, and when two terms of one person overlap."""
from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from inspraak.council.terms import Term, first_overlap, overlap

FIRST = date(2026, 1, 1)
SPAN = 40  # days: enough for every order of starts, ends and removals, small enough to look at every day
DAYS = [FIRST + timedelta(days=n) for n in range(-1, SPAN + 2)]


def _day(n: int) -> date:
    return FIRST + timedelta(days=n)


@st.composite
def terms(draw: st.DrawFn) -> Term:
    start = draw(st.integers(0, SPAN))
    end = draw(st.none() | st.integers(start, SPAN))  # the database refuses an end before the start
    removed = draw(st.none() | st.integers(0, SPAN))  # a removal may come before the start (a term that never began)
    return Term(_day(start), None if end is None else _day(end), None if removed is None else _day(removed))


def _days_of(term: Term) -> set[date]:
    """The term's days within the window, counted the long way."""
    return {d for d in DAYS if term.start <= d and (term.end is None or d <= term.end)
            and (term.removed_on is None or d < term.removed_on)}


@given(terms(), st.sampled_from(DAYS))
def test_a_term_covers_its_days_from_start_to_end_until_the_day_before_removal(term, day):
    assert term.covers(day) == (day in _days_of(term))


@given(terms())
def test_the_last_day_is_the_last_day_covered(term):
    days = _days_of(term)
    if term.end is None and term.removed_on is None:
        assert term.last_day is None
    elif days:
        assert term.last_day == max(days)
    else:
        assert term.never_counted and term.last_day < term.start


@given(terms(), terms())
def test_two_terms_overlap_exactly_when_they_share_a_day(a, b):
    assert overlap(a, b) == bool(_days_of(a) & _days_of(b))
    assert overlap(a, b) == overlap(b, a)


@given(st.lists(terms(), max_size=8))
def test_terms_accepted_one_by_one_never_share_a_day(candidates):
    """What add_member does: each new term is checked against those already there."""
    accepted: list[Term] = []
    for term in candidates:
        if first_overlap(accepted, term) is None:
            accepted.append(term)
    for day in DAYS:
        assert sum(term.covers(day) for term in accepted) <= 1


def test_a_removal_ends_the_term_the_day_before_it_was_recorded():
    term = Term(_day(0), removed_on=_day(10))
    assert term.covers(_day(9)) and not term.covers(_day(10))


def test_a_new_term_may_start_on_the_day_of_the_removal_or_the_day_after_the_end():
    assert not overlap(Term(_day(0), removed_on=_day(10)), Term(_day(10)))
    assert not overlap(Term(_day(0), end=_day(10)), Term(_day(11)))
    assert overlap(Term(_day(0), end=_day(10)), Term(_day(10)))


def test_a_term_removed_before_it_began_overlaps_nothing():
    never = Term(_day(5), removed_on=_day(3))
    assert never.never_counted
    assert not overlap(never, Term(_day(0)))


def test_two_terms_without_end_always_overlap():
    """The database's partial unique index (one open term per person and council) says no more than the rule."""
    assert overlap(Term(_day(0)), Term(_day(SPAN)))
