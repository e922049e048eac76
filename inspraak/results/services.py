"""Results: the protected snapshot, publishing (and corrections), quotes and planned actions."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask import current_app, has_app_context, url_for
from flask_babel import lazy_gettext as _l

from inspraak.consultations import invitations
from inspraak.consultations.models import (
    Answer,
    Consultation,
    ConsultationStatus,
    Question,
    QuestionType,
)
from inspraak.consultations.services import ordered_questions
from inspraak.consultations.validation import QuestionSpec, scale_bounds
from inspraak.core import audit, edits
from inspraak.core.db import lock_for_change, take_write_lock, utcnow
from inspraak.core.errors import Conflict, DomainError, NotFound
from inspraak.core.forms import REASON_TOO_LONG
from inspraak.core.i18n import localize
from inspraak.core.memo import FragmentCache, app_cache
from inspraak.core.timeutil import local_today
from inspraak.extensions import db
from inspraak.notify.services import enqueue
from inspraak.people.models import Corporation, Person, StaffUser
from inspraak.results import aggregate, aggregate_rules, breakdowns, quotes
from inspraak.results.aggregate import QuestionCounts
from inspraak.results.models import Outcome, OutcomeStatus, Publication, Quote
from inspraak.results.privacy import DEFAULT_THRESHOLD, Group, Hidden, SharedTotals, protect_statistic, protect_table

VISIBLE = (ConsultationStatus.PUBLISHED, ConsultationStatus.ARCHIVED)


def threshold() -> int:
    """The smallest group whose numbers are shown (config ``RESULTS_PRIVACY_THRESHOLD``, at least 5)."""
    return int(current_app.config.get("RESULTS_PRIVACY_THRESHOLD", DEFAULT_THRESHOLD))


# ---------------------------------------------------------------- the protected numbers

def _cell(value: int | Hidden) -> int | dict[str, str]:
    if isinstance(value, Hidden):
        return {"hidden": "below" if value.below_threshold else "other"}
    return value


def _stat(value: Fraction | None, n: int, k: int, inputs: Any = ()) -> str | dict[str, str] | None:  # noqa: ANN401
    """A mean or quantile rounded to one decimal (as text), hidden below k respondents or when
    one of the published cells it is worked out from (``inputs``) is hidden (privacy rule 4)."""
    if value is None:
        return None
    rounded = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return _cell(protect_statistic(str(rounded), n, k, inputs))


def _inputs_of(groups: list[Group]) -> tuple:
    """Everything of a table's groups that its suppression depends on, hashable and in order."""
    return tuple((g.key, g.respondents, tuple(g.counts.items()), g.parent, g.cut) for g in groups)


@dataclass
class _Rules:
    """What every table of one computation shares: k, the totals hidden anywhere, and the tables.

    A suppressed table is a pure function of its inputs (the groups and their counts, the
    columns, k, what other tables hide and give away), so it is kept per process under
    exactly those inputs (``results_tables``): the staff preview, the exports and
    publishing of unchanged answers reuse it, the rounds of one computation too, and any
    change of an answer, a place or a setting is a new key. Nothing needs invalidating.
    A table per complex weighs about 0.25 MB (a consultation of 20 questions over 90
    complexes keeps 36 of them): 96 at most, two such consultations.
    """

    k: int
    shared: SharedTotals = field(default_factory=SharedTotals)
    _own: FragmentCache = field(default_factory=lambda: FragmentCache(96))  # outside an app (pure tests)

    def protect(self, inputs: Hashable, groups: list[Group],  # noqa: ANN401
                build: Callable[[list, dict], Any]) -> Any:
        """Build one table (``build(hidden_respondents, known_respondents)``) knowing what the others hide and give
        away of the totals it shares with them, and tell them its own.

        ``inputs``: what besides ``groups`` the table depends on (its kind and columns).
        """
        totals = {group.key: group.respondents for group in groups}
        elsewhere = self.shared.to_hide(totals)
        known = self.shared.known(totals)
        key = (inputs, self.k, _inputs_of(groups), frozenset(elsewhere), frozenset(known.items()))
        cache = app_cache("results_tables", size=96) if has_app_context() else self._own
        table = cache.get_or_render(key, lambda: build(elsewhere, known))
        self.shared.learn(totals, [g for g in totals if isinstance(table.respondents(g), Hidden)],
                          table.respondent_bounds)
        return table

    def total(self, respondents: int) -> int | dict[str, str]:
        """A question's respondents published without a table around them."""
        return _cell(self.shared.protect_total("all", respondents, self.k))


def _table(rules: _Rules, keys: list, counts: dict, respondents: int, exclusive: bool,
           cut: breakdowns.Cut | None = None) -> tuple[Any, list, dict | None]:
    """The whole's respondents and counts, and with a cut the per-place table, suppressed together.

    One table per question holds the whole and every place, so that the overall numbers,
    the places and the unshown rest are protected against each other (privacy.py, rule 2);
    totals hidden by another table stay hidden here (privacy.SharedTotals).
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
    privacy.SharedTotals); a table whose inputs did not change is not built again.
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


# ---------------------------------------------------------------- reading

def get_consultation(corporation_id: int, consultation_id: int) -> Consultation:
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None or consultation.corporation_id != corporation_id:
        raise NotFound(str(_l("This consultation does not exist.")))
    return consultation


def list_publications(consultation_id: int) -> list[Publication]:
    """Every version, newest first."""
    return list(db.session.scalars(
        sa.select(Publication).where(Publication.consultation_id == consultation_id)
        .order_by(Publication.version.desc())
    ))


def latest_publication(consultation_id: int) -> Publication | None:
    return db.session.scalar(
        sa.select(Publication).where(Publication.consultation_id == consultation_id)
        .order_by(Publication.version.desc()).limit(1)
    )


def list_outcomes(consultation_id: int) -> list[Outcome]:
    return list(db.session.scalars(
        sa.select(Outcome).where(Outcome.consultation_id == consultation_id).order_by(Outcome.id)
    ))


def list_quotes(consultation_id: int) -> list[Quote]:
    return list(db.session.scalars(
        sa.select(Quote).where(Quote.consultation_id == consultation_id).order_by(Quote.id)
    ))


def list_for_staff(corporation_id: int) -> list[Consultation]:
    """Closed, published and archived consultations: those with results to preview or publish."""
    return list(db.session.scalars(
        sa.select(Consultation)
        .where(Consultation.corporation_id == corporation_id,
               Consultation.status.in_([ConsultationStatus.CLOSED, *VISIBLE]))
        .order_by(Consultation.closed_at.desc(), Consultation.id.desc())
    ))


# ---------------------------------------------------------------- quotes

def name_index(corporation_id: int) -> quotes.NameIndex:
    """Names from the tenant register, to flag answers that mention a tenant."""
    return quotes.NameIndex(db.session.scalars(sa.select(Person.name).where(Person.corporation_id == corporation_id)))


def review_answers(consultation: Consultation) -> list[dict[str, Any]]:
    """Free-text answers per question with what may identify someone, for staff only."""
    index = name_index(consultation.corporation_id)
    result = []
    for question in ordered_questions(consultation):
        answers = aggregate.text_answers(question.id)
        if not answers:
            continue
        items = []
        for response_id, item, text in answers:
            flags = quotes.flag_answer(text, index)
            items.append({"response_id": response_id, "item": item, "text": text,
                          "reasons": quotes.reasons(flags), "redacted": quotes.redact(text, flags)})
        result.append({"question": question, "answers": items})
    return result


def _editable(consultation: Consultation) -> None:
    if consultation.status not in (ConsultationStatus.CLOSED, ConsultationStatus.PUBLISHED):
        raise Conflict(str(_l("Results can be prepared once the consultation is closed.")))


def pick_quote(consultation: Consultation, response_id: str, question_id: int, item: int, by: StaffUser) -> Quote:
    """Start a quote from one answer, with whatever may identify someone already replaced by "[…]"."""
    _editable(consultation)
    text = db.session.scalar(
        sa.select(Answer.text).join(Question, Question.id == Answer.question_id)
        .where(Answer.response_id == response_id, Answer.question_id == question_id, Answer.item == item,
               Question.consultation_id == consultation.id)
    )
    if not text:
        raise NotFound(str(_l("This answer does not exist.")))
    index = name_index(consultation.corporation_id)
    quote = Quote(corporation_id=consultation.corporation_id, consultation_id=consultation.id,
                  question_id=question_id, source_language=consultation.source_language, text={})
    db.session.add(quote)
    _set_quote_text(quote, quotes.redact(text, names=index), index)
    db.session.flush()
    _audit_quote("results.quote_picked", quote, by, question_id=question_id)
    return quote


def _audit_quote(action: str, quote: Quote, by: StaffUser, **details: Any) -> None:  # noqa: ANN401
    """Log a quote chosen, edited or removed: which one, never its words (they come from a tenant's answer)."""
    consultation = db.session.get(Consultation, quote.consultation_id)
    audit.record(action, actor=by, corporation_id=quote.corporation_id, obj=consultation,
                 details={"quote_id": quote.id, **details})


def _set_quote_text(quote: Quote, text: str, index: quotes.NameIndex) -> None:
    """A new source text drops the translations: they may still hold what was just taken out."""
    quote.text = {quote.source_language: text.strip()}
    quote.flags = quotes.reasons(quotes.flag_answer(text, index))
    quote.reviewed_by_id = None


def quote_values(quote: Quote) -> dict[str, Any]:
    """A quote as its form shows it (``core.edits`` compares them): its text, and the box to confirm it, never ticked."""
    return {"text": quote.text.get(quote.source_language, ""), "confirmed": False}


def edit_quote(quote: Quote, text: str, *, confirmed: bool, by: StaffUser, seen: str | None = None) -> None:
    """Change a quote's text; a flagged text is publishable only once a publisher confirms it.

    ``seen``: the fingerprint of the quote the form showed (``core.edits``). A text left as shown keeps
    what another publisher saved meanwhile; a confirmation is of the text its sender read, so it goes
    with the text: both are refused when someone else changed the text since (EditClash).

    Raises:
        Conflict: the consultation is not closed or published.
        DomainError: the text is empty.
        EditClash: someone else changed the text at the same moment.
    """
    consultation = db.session.get(Consultation, quote.consultation_id)
    _editable(consultation)
    lock_for_change(quote)
    values = edits.merge_values(seen, quote_values(quote), {"text": text, "confirmed": bool(confirmed)},
                                together=[("text", "confirmed")])
    text, confirmed = values["text"] or "", values["confirmed"]
    if not text.strip():
        raise DomainError(str(_l("A quote cannot be empty.")))
    changed = text.strip() != quote.text.get(quote.source_language)
    if changed:
        _set_quote_text(quote, text, name_index(quote.corporation_id))
    confirmed = bool(confirmed and quote.flags)
    if confirmed:
        quote.reviewed_by_id = by.id
    db.session.flush()
    if changed or confirmed:
        _audit_quote("results.quote_edited", quote, by, text_changed=changed, confirmed=confirmed)


def remove_quote(quote: Quote, *, by: StaffUser) -> None:
    """Take a quote off the results to publish (a published version keeps its copy)."""
    _audit_quote("results.quote_removed", quote, by)
    db.session.delete(quote)
    db.session.flush()


def get_quote(corporation_id: int, quote_id: int) -> Quote:
    quote = db.session.get(Quote, quote_id)
    if quote is None or quote.corporation_id != corporation_id:
        raise NotFound(str(_l("This quote does not exist.")))
    return quote


# ---------------------------------------------------------------- publishing

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
            quote is not confirmed, a correction has no note, or the summary is empty.
    """
    take_write_lock(db.session)
    db.session.execute(sa.select(Consultation).where(Consultation.id == consultation.id).with_for_update()
                       .execution_options(populate_existing=True))
    if consultation.status not in (ConsultationStatus.CLOSED, ConsultationStatus.PUBLISHED):
        raise Conflict(str(_l("Only a closed consultation can be published.")))
    language = consultation.source_language
    if not (summary.get(language) or "").strip():
        raise Conflict(str(_l("Write the summary before publishing.")))
    chosen = list_quotes(consultation.id)
    if any(q.needs_review for q in chosen):
        raise Conflict(str(_l("A quote may still identify someone. Check it before publishing.")))
    previous = latest_publication(consultation.id)
    if based_on is not None and based_on != (previous.version if previous else 0):
        raise Conflict(str(_l("Someone else changed this at the same moment. Look at the page again.")))
    note = {lang: text for lang, text in (correction_note or {}).items() if text.strip()}
    if previous is not None and not note.get(language):
        raise Conflict(str(_l("Say what was corrected.")))
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
    for who in invitations.addressees(invited, today):
        if who is None or not who.email:
            continue
        title = localize(consultation.title, consultation.source_language, who.language).text
        message = enqueue("results_published", to_address=who.email, person_id=who.person_id, language=who.language,
                          corporation_id=consultation.corporation_id,
                          context={"name": who.name, "corporation": corporation, "title": title, "link": link})
        sent += message is not None
    return sent


# ---------------------------------------------------------------- planned actions

class InvalidOutcome(DomainError):
    """An action cannot be saved as sent; ``field`` names the form field at fault."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def _check_planned_date(status: OutcomeStatus, due_on) -> None:  # noqa: ANN001
    """Tenants read "Planned for <date>": while an action is only planned, its date cannot have passed.

    Done, under way or not going ahead, an action may keep the date it was planned for.
    """
    if status is OutcomeStatus.PLANNED and due_on is not None and due_on < local_today():
        raise InvalidOutcome(str(_l("This date has passed. For a planned action, choose today or a later date, "
                                    "or leave the date empty.")), "due_on")


def add_outcome(consultation: Consultation, *, text: str, due_on, by: StaffUser) -> Outcome:  # noqa: ANN001
    """A planned action: what the corporation will do with the answers.

    Raises:
        Conflict: the consultation is not closed yet.
        InvalidOutcome: the text is empty or only spaces (``text``), or the date has passed (``due_on``).
    """
    _editable_outcomes(consultation)
    if not text.strip():
        raise InvalidOutcome(str(_l("%(text)s cannot be empty.", text=_l("What we will do"))), "text")
    _check_planned_date(OutcomeStatus.PLANNED, due_on)
    outcome = Outcome(corporation_id=consultation.corporation_id, consultation_id=consultation.id,
                      source_language=consultation.source_language, text={consultation.source_language: text.strip()},
                      due_on=due_on)
    db.session.add(outcome)
    db.session.flush()
    audit.record("results.outcome_added", actor=by, corporation_id=consultation.corporation_id, obj=consultation)
    return outcome


def outcome_values(outcome: Outcome) -> dict[str, Any]:
    """A planned action as its form shows it (``core.edits`` compares them): status, date, the reason it stops."""
    return {"status": outcome.status, "due_on": outcome.due_on,
            "note": (outcome.status_note or {}).get(outcome.source_language, "")}


def update_outcome(outcome: Outcome, *, status: OutcomeStatus, due_on, by: StaffUser,  # noqa: ANN001
                   note: str = "", seen: str | None = None) -> None:
    """Move an action on (planned → in progress → done), dated by the server clock, or change its planned date.

    Withdrawing an action (it will not go ahead) needs the reason, ``note``, in the action's
    source language; a changed reason drops the translations of the old one. Any other
    status keeps the reason stored but does not show it.

    ``seen``: the fingerprint of the action the form showed (``core.edits``): what the sender left as
    shown keeps what another publisher saved meanwhile; the status and its reason go together.

    Raises:
        InvalidOutcome: withdrawn without a reason, or a reason over 2,000 characters (``note``); still
            planned for a date that has passed (``due_on``).
        EditClash: someone else changed the status (or reason) or the date the sender changed, at the same moment.
    """
    lock_for_change(outcome)
    values = edits.merge_values(seen, outcome_values(outcome), {"status": status, "due_on": due_on, "note": note},
                                together=[("status", "note")])
    status, due_on = OutcomeStatus(values["status"]), values["due_on"]
    note = (values["note"] or "").strip()
    if status is OutcomeStatus.WITHDRAWN:
        if not note:
            raise InvalidOutcome(str(_l("Say why this action is not going ahead.")), "note")
        if len(note) > 2000:
            raise InvalidOutcome(REASON_TOO_LONG.render(n=2000), "note")
        source = outcome.source_language
        if (outcome.status_note or {}).get(source) != note:
            outcome.status_note = {source: note}
    _check_planned_date(status, due_on)
    if status is not outcome.status:
        outcome.status_changed_at = utcnow()
    outcome.status = status
    outcome.due_on = due_on
    db.session.flush()
    audit.record("results.outcome_updated", actor=by, corporation_id=outcome.corporation_id, obj=outcome,
                 details={"status": status.value})


def _editable_outcomes(consultation: Consultation) -> None:
    if consultation.status not in (ConsultationStatus.CLOSED, *VISIBLE):
        raise Conflict(str(_l("Results can be prepared once the consultation is closed.")))


def get_outcome(corporation_id: int, outcome_id: int) -> Outcome:
    outcome = db.session.get(Outcome, outcome_id)
    if outcome is None or outcome.corporation_id != corporation_id:
        raise NotFound(str(_l("This action does not exist.")))
    return outcome
