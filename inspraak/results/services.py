"""Results: the protected numbers and publishing them (quotes, planned actions and published versions: quoting.py,
outcomes.py, publications.py)."""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import lazy_gettext as _l

from inspraak.consultations import addressing
from inspraak.consultations.models import Consultation, ConsultationStatus, Question, QuestionType
from inspraak.consultations.queries import ordered_questions
from inspraak.consultations.validation import QuestionSpec, scale_bounds
from inspraak.core import audit
from inspraak.core.db import take_write_lock, utcnow
from inspraak.core.errors import Conflict, FieldRefused
from inspraak.core.timeutil import local_today
from inspraak.extensions import db
from inspraak.notify.services import enqueue
from inspraak.people.models import Corporation, StaffUser
from inspraak.results import aggregate, aggregate_rules, breakdowns
from inspraak.results.aggregate import QuestionCounts
from inspraak.results.models import Publication
from inspraak.results.privacy import DEFAULT_THRESHOLD
from inspraak.results.protected_tables import Group, protect_table
from inspraak.results.publications import latest_publication
from inspraak.results.quoting import list_quotes
from inspraak.results.tables import Rules as _Rules
from inspraak.results.tables import cell as _cell
from inspraak.results.tables import stat as _stat


def threshold() -> int:
    """The smallest group whose numbers are shown (config ``RESULTS_PRIVACY_THRESHOLD``, at least 5)."""
    return int(current_app.config.get("RESULTS_PRIVACY_THRESHOLD", DEFAULT_THRESHOLD))


# ---------------------------------------------------------------- the protected numbers

def _table(rules: _Rules, keys: list, counts: dict, respondents: int, exclusive: bool,
           cut: breakdowns.Cut | None = None) -> tuple[Any, list, dict | None]:
    """The whole's respondents and counts, and with a cut the per-place table, suppressed together.

    One table per question holds the whole and every place, so that the overall numbers,
    the places and the unshown rest are protected against each other (privacy.py, rule 2);
    totals hidden by another table stay hidden here (protected_tables.SharedTotals).
    """
    groups = [Group("all", respondents, counts)]
    if cut is not None:
        groups += cut.groups(keys)
    table = rules.protect(("table", tuple(keys), exclusive), groups, lambda hidden, known: protect_table(
        groups, keys, threshold=rules.k, exclusive=exclusive, hidden_respondents=hidden, known_respondents=known))
    published = cut.publish(table, keys, _cell, _stat) if cut is not None else None
    return _cell(table.respondents("all")), [_cell(table.count("all", key)) for key in keys], published


def _with_breakdown(body: dict[str, Any], published: dict | None) -> dict[str, Any]:
    if published is not None:
        body["breakdown"] = published
    return body


def _choices(question: Question, counts: QuestionCounts, rules: _Rules, places: breakdowns.Places | None) -> dict[str, Any]:
    keys = [o.id for o in question.options]
    exclusive = question.type is not QuestionType.MULTIPLE_CHOICE
    cut = places.cut(question.id, int) if places else None
    respondents, cells, published = _table(rules, keys, {o: counts.options.get(o, 0) for o in keys},
                                           counts.respondents, exclusive, cut)
    return _with_breakdown({"respondents": respondents,
                            "options": [{"label": o.label, "count": c} for o, c in zip(question.options, cells)]},
                           published)


def _yes_no(question: Question, counts: QuestionCounts, rules: _Rules, places: breakdowns.Places | None) -> dict[str, Any]:
    values = {"yes": counts.distribution.get(Decimal(1), 0), "no": counts.distribution.get(Decimal(0), 0)}
    cut = places.cut(question.id, breakdowns.yes_no_key) if places else None
    respondents, cells, published = _table(rules, ["yes", "no"], values, counts.respondents, True, cut)
    return _with_breakdown(
        {"respondents": respondents, "options": [{"key": key, "count": c} for key, c in zip(values, cells)]},
        published)


def _scale_stats(question: Question) -> Any:  # noqa: ANN401
    """Mean and median (and the net score of a 0–10 question) of a distribution, unrounded."""
    def stats(dist: dict[int, int]) -> dict[str, Fraction | None]:
        values = {"mean": aggregate_rules.mean(dist), "median": aggregate_rules.median(dist)}
        if question.type is QuestionType.SCORE:
            values["net_score"] = aggregate_rules.net_score(dist).score
        return values
    return stats


def _scale(question: Question, counts: QuestionCounts, rules: _Rules, places: breakdowns.Places | None) -> dict[str, Any]:
    low, high = scale_bounds(QuestionSpec(id=question.id, type=question.type.value, settings=question.settings))
    keys = list(range(low, high + 1))
    dist = {int(v): n for v, n in counts.distribution.items()}
    stats_of = _scale_stats(question)
    whole, n, k = {v: dist.get(v, 0) for v in keys}, counts.respondents, rules.k
    if places and question.type is QuestionType.SCORE:
        cut = places.cut(question.id, breakdowns.score_band, stats_of)
        bands = list(breakdowns.SCORE_BANDS)
        banded = rules.protect(("banded", tuple(keys), tuple(whole.items())), [Group("all", n, {}), *cut.groups(bands)],
                               lambda hidden, known: breakdowns.protect_banded(n, whole, keys, cut, k, hidden, known))
        respondents, cells = _cell(banded.respondents("all")), [_cell(banded.count("all", v)) for v in keys]
        published = cut.publish(banded, bands, _cell, _stat)
    else:
        cut = places.cut(question.id, int, stats_of) if places else None
        respondents, cells, published = _table(rules, keys, whole, n, True, cut)
    by_key = dict(zip(keys, cells))
    stats = {name: _stat(value, n, k, breakdowns.net_score_inputs(respondents, by_key) if name == "net_score" else
                         [respondents, *(by_key[key] for key in breakdowns.stat_inputs(name, keys))])
             for name, value in stats_of(dist).items()}
    return _with_breakdown(
        {"respondents": respondents, "options": [{"key": v, "count": c} for v, c in zip(keys, cells)],
         "stats": stats, "min_label": question.settings.get("min_label") or {},
         "max_label": question.settings.get("max_label") or {}}, published)


def _number(counts: QuestionCounts, rules: _Rules) -> dict[str, Any]:
    """Numbers: no distribution (single values identify people), only averages from k respondents."""
    summary = aggregate_rules.summarize(counts.distribution)
    n, k = counts.respondents, rules.k
    return {"respondents": rules.total(n),
            "stats": {"mean": _stat(summary.mean, n, k), "lower_quartile": _stat(summary.lower_quartile, n, k),
                      "median": _stat(summary.median, n, k), "upper_quartile": _stat(summary.upper_quartile, n, k)}}


def _ranking(question: Question, counts: QuestionCounts, rules: _Rules, places: breakdowns.Places | None) -> dict[str, Any]:
    """First choices (with the whole's mean rank); per place, only the first choices."""
    keys = [o.id for o in question.options]
    firsts = {o: counts.positions.get(o, {}).get(1, 0) for o in keys}
    cut = places.cut(question.id, int) if places else None
    respondents, cells, published = _table(rules, keys, firsts, counts.respondents, True, cut)
    summary = aggregate_rules.ranking({o: counts.positions.get(o, {}) for o in keys}, counts.respondents)
    # A mean rank pins first choices (1.0: everyone who ranked it put it first), so it is shown only
    # when none of the question's first choices is hidden.
    return _with_breakdown({"respondents": respondents, "options": [
        {"label": o.label, "count": c,
         "mean_rank": _stat(summary[o.id].mean_rank, summary[o.id].ranked_by, rules.k, [respondents, *cells])}
        for o, c in zip(question.options, cells)]}, published)


def _matrix(question: Question, counts: QuestionCounts, rules: _Rules, places: breakdowns.Places | None) -> dict[str, Any]:
    """One table per row (its respondents and a count per column), and per place for each row."""
    keys = [o.id for o in question.options]
    rows = []
    for row in question.rows:
        by_option = counts.matrix.get(row.id, {})
        cut = places.cut((question.id, row.id), int) if places else None
        n, cells, published = _table(rules, keys, {o: by_option.get(o, 0) for o in keys},
                                     counts.matrix_respondents.get(row.id, 0), True, cut)
        rows.append(_with_breakdown({"label": row.label, "respondents": n, "counts": cells}, published))
    return {"respondents": rules.total(counts.respondents),
            "columns": [o.label for o in question.options], "rows": rows}


def current_numbers(consultation: Consultation) -> dict[str, Any]:
    """The numbers staff see and export, and a new version publishes: worked out from the answers,
    or, once the answers were removed (``retention``), the newest published ones, as they were."""
    if consultation.responses_removed_at is not None:
        latest = latest_publication(consultation.id)
        if latest is not None:
            return {key: value for key, value in latest.snapshot.items() if key != "quotes"}
    return protected_results(consultation)


def protected_results(consultation: Consultation, k: int | None = None) -> dict[str, Any]:
    """Every number that may leave the staff area, after small-group suppression (JSON-ready).

    The tables are built in rounds until no round hides a new respondents total (see
    protected_tables.SharedTotals); a table whose inputs did not change is not built again.
    """
    rules = _Rules(threshold() if k is None else k)
    counts = aggregate.count_consultation(consultation)
    places = breakdowns.load_places(consultation)
    questions = list(ordered_questions(consultation))
    while True:
        result = _protected_round(consultation, counts, questions, places, rules)
        if rules.shared.settled():
            return result


def _protected_round(consultation: Consultation, counts: aggregate.ConsultationCounts, questions: list[Question],
                     places: breakdowns.Places | None, rules: _Rules) -> dict[str, Any]:
    turnout = counts.turnout
    channels = list(turnout.channels)
    n, cells, _none = _table(rules, [c.value for c in channels],
                             {c.value: turnout.channels[c] for c in channels}, turnout.participants, True)
    bodies = []
    for question in questions:
        qc = counts.questions[question.id]
        if question.type in aggregate.CHOICE_TYPES:
            body = _choices(question, qc, rules, places)
        elif question.type in aggregate.YES_NO_TYPES:
            body = _yes_no(question, qc, rules, places)
        elif question.type in (QuestionType.SCALE, QuestionType.SCORE):
            body = _scale(question, qc, rules, places)
        elif question.type is QuestionType.NUMBER:
            body = _number(qc, rules)
        elif question.type is QuestionType.RANKING:
            body = _ranking(question, qc, rules, places)
        elif question.type is QuestionType.MATRIX:
            body = _matrix(question, qc, rules, places)
        else:
            body = {"respondents": rules.total(qc.respondents)}
        bodies.append({"id": question.id, "type": question.type.value, "text": question.text, **body})
    return {
        "threshold": rules.k,
        "title": consultation.title,
        "source_language": consultation.source_language,
        "invited": turnout.invited,
        "participants": n,
        "unit": consultation.counting_unit.value,  # who the numbers count: people, or homes (one answer each)
        "channels": [{"key": c.value, "count": cell} for c, cell in zip(channels, cells)],
        "breakdown": places.level if places else None,
        "questions": bodies,
    }


# ---------------------------------------------------------------- publishing


class MissingText(Conflict, FieldRefused):
    """A text a publication needs is empty in the source language; ``field`` names its box (summary or note)."""


def publish(consultation: Consultation, *, summary: dict[str, str], correction_note: dict[str, str] | None,
            by: StaffUser, based_on: int | None = None) -> Publication:
    """Freeze the protected numbers, summary and quotes as a new version; the first one notifies.

    Two publishers at once, or publishing while the clock removes the answers: the
    consultation row is locked first (the write lock on SQLite), so the second waits and
    then sees the first one's version (and needs a correction note) or the removal.

    ``based_on``: the newest version number the publisher saw (0: none). When another version
    came since (the button pressed twice, or a second publisher), nothing is published: the
    same correction would otherwise become two versions.

    Raises:
        Conflict: not closed or published yet, a newer version than ``based_on`` exists, a flagged
            quote is not confirmed; MissingText (a Conflict, and a FieldRefused naming the source-language box) when
            a correction has no note or the summary is empty.
    """
    take_write_lock(db.session)
    db.session.execute(sa.select(Consultation).where(Consultation.id == consultation.id).with_for_update()
                       .execution_options(populate_existing=True))
    if consultation.status not in (ConsultationStatus.CLOSED, ConsultationStatus.PUBLISHED):
        raise Conflict(str(_l("Only a closed consultation can be published.")))
    language = consultation.source_language
    if not (summary.get(language) or "").strip():
        raise MissingText(str(_l("Write the summary before publishing.")), f"summary_{language}")
    chosen = list_quotes(consultation.id)
    if any(q.needs_review for q in chosen):
        raise Conflict(str(_l("A quote may still identify someone. Check it before publishing.")))
    previous = latest_publication(consultation.id)
    if based_on is not None and based_on != (previous.version if previous else 0):
        raise Conflict(str(_l("Someone else changed this at the same moment. Look at the page again.")))
    note = {lang: text for lang, text in (correction_note or {}).items() if text.strip()}
    if previous is not None and not note.get(language):
        raise MissingText(str(_l("Say what was corrected.")), f"note_{language}")
    snapshot = current_numbers(consultation)
    snapshot["quotes"] = [{"quote_id": q.id, "question_id": q.question_id, "text": q.text,
                           "source_language": q.source_language} for q in chosen]
    publication = Publication(
        corporation_id=consultation.corporation_id, consultation_id=consultation.id,
        version=(previous.version + 1) if previous else 1, published_by_id=by.id, snapshot=snapshot,
        source_language=language, summary={k: v for k, v in summary.items() if v.strip()},
        correction_note=note if previous else {},
    )
    db.session.add(publication)
    if consultation.status is ConsultationStatus.CLOSED:
        consultation.publish()
    db.session.flush()
    audit.record("results.published", actor=by, corporation_id=consultation.corporation_id, obj=consultation)
    if previous is None:
        notify_published(consultation)
    return publication


def notify_published(consultation: Consultation) -> int:
    """Mail everyone invited (participants included) in their own language; returns how many were queued."""
    from inspraak.consultations.models import Invitation

    today = local_today(utcnow())
    corporation = db.session.get(Corporation, consultation.corporation_id)
    link = current_app.config["BASE_URL"].rstrip("/") + url_for("results.show", consultation_id=consultation.id)
    sent = 0
    invited = list(db.session.scalars(sa.select(Invitation).where(Invitation.consultation_id == consultation.id)))
    for who in addressing.addressees(invited, today):
        if who is None or not who.email:
            continue
        message = enqueue("results_published", to_address=who.email, person_id=who.person_id, language=who.language,
                          corporation_id=consultation.corporation_id,
                          context={"name": addressing.greeting_name_in(who, who.language), "corporation": corporation,
                                   "title": consultation.title, "source_language": consultation.source_language,
                                   "link": link})
        sent += message is not None
    return sent
