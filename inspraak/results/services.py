"""Results: the protected snapshot, publishing (and corrections), quotes and planned actions."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import lazy_gettext as _l

from inspraak.consultations import invitations
from inspraak.consultations.models import (
    Answer,
    Consultation,
    ConsultationStatus,
    Question,
    QuestionType,
)
from inspraak.consultations.validation import QuestionSpec, scale_bounds
from inspraak.core import audit
from inspraak.core.db import utcnow
from inspraak.core.errors import Conflict, DomainError, NotFound
from inspraak.core.i18n import localize
from inspraak.core.timeutil import local_today
from inspraak.extensions import db
from inspraak.notify.services import enqueue
from inspraak.people.models import Corporation, Person, StaffUser
from inspraak.results import aggregate, aggregate_rules, quotes
from inspraak.results.aggregate import QuestionCounts
from inspraak.results.models import Outcome, OutcomeStatus, Publication, Quote
from inspraak.results.privacy import DEFAULT_THRESHOLD, Group, Hidden, protect_statistic, protect_table

VISIBLE = (ConsultationStatus.PUBLISHED, ConsultationStatus.ARCHIVED)


def threshold() -> int:
    """The smallest group whose numbers are shown (config ``RESULTS_PRIVACY_THRESHOLD``, at least 5)."""
    return int(current_app.config.get("RESULTS_PRIVACY_THRESHOLD", DEFAULT_THRESHOLD))


# ---------------------------------------------------------------- the protected numbers

def _cell(value: int | Hidden) -> int | dict[str, str]:
    if isinstance(value, Hidden):
        return {"hidden": "below" if value.below_threshold else "other"}
    return value


def _stat(value: Fraction | None, n: int, k: int) -> str | dict[str, str] | None:
    """A mean or quantile rounded to one decimal (as text), hidden below k respondents."""
    if value is None:
        return None
    rounded = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return _cell(protect_statistic(str(rounded), n, k))


def _table(keys: list, counts: dict, respondents: int, k: int, exclusive: bool) -> tuple[Any, list]:
    table = protect_table([Group("all", respondents, counts)], keys, threshold=k, exclusive=exclusive)
    return _cell(table.respondents("all")), [_cell(table.count("all", key)) for key in keys]


def _choices(question: Question, counts: QuestionCounts, k: int) -> dict[str, Any]:
    keys = [o.id for o in question.options]
    exclusive = question.type is not QuestionType.MULTIPLE_CHOICE
    respondents, cells = _table(keys, {o: counts.options.get(o, 0) for o in keys}, counts.respondents, k, exclusive)
    return {"respondents": respondents,
            "options": [{"label": o.label, "count": c} for o, c in zip(question.options, cells)]}


def _yes_no(counts: QuestionCounts, k: int) -> dict[str, Any]:
    values = {"yes": counts.distribution.get(Decimal(1), 0), "no": counts.distribution.get(Decimal(0), 0)}
    respondents, cells = _table(["yes", "no"], values, counts.respondents, k, True)
    return {"respondents": respondents, "options": [{"key": key, "count": c} for key, c in zip(values, cells)]}


def _scale(question: Question, counts: QuestionCounts, k: int) -> dict[str, Any]:
    low, high = scale_bounds(QuestionSpec(id=question.id, type=question.type.value, settings=question.settings))
    keys = list(range(low, high + 1))
    dist = {int(v): n for v, n in counts.distribution.items()}
    respondents, cells = _table(keys, {v: dist.get(v, 0) for v in keys}, counts.respondents, k, True)
    n = counts.respondents
    stats = {"mean": _stat(aggregate_rules.mean(dist), n, k), "median": _stat(aggregate_rules.median(dist), n, k)}
    if question.type is QuestionType.SCORE:
        stats["net_score"] = _stat(aggregate_rules.net_score(dist).score, n, k)
    return {"respondents": respondents, "options": [{"key": v, "count": c} for v, c in zip(keys, cells)],
            "stats": stats, "min_label": question.settings.get("min_label") or {},
            "max_label": question.settings.get("max_label") or {}}


def _number(counts: QuestionCounts, k: int) -> dict[str, Any]:
    """Numbers: no distribution (single values identify people), only averages from k respondents."""
    summary = aggregate_rules.summarize(counts.distribution)
    n = counts.respondents
    return {"respondents": _cell(protect_statistic(n, n, k)),
            "stats": {"mean": _stat(summary.mean, n, k), "lower_quartile": _stat(summary.lower_quartile, n, k),
                      "median": _stat(summary.median, n, k), "upper_quartile": _stat(summary.upper_quartile, n, k)}}


def _ranking(question: Question, counts: QuestionCounts, k: int) -> dict[str, Any]:
    keys = [o.id for o in question.options]
    firsts = {o: counts.positions.get(o, {}).get(1, 0) for o in keys}
    respondents, cells = _table(keys, firsts, counts.respondents, k, True)
    summary = aggregate_rules.ranking({o: counts.positions.get(o, {}) for o in keys}, counts.respondents)
    return {"respondents": respondents, "options": [
        {"label": o.label, "count": c, "mean_rank": _stat(summary[o.id].mean_rank, summary[o.id].ranked_by, k)}
        for o, c in zip(question.options, cells)]}


def _matrix(question: Question, counts: QuestionCounts, k: int) -> dict[str, Any]:
    keys = [o.id for o in question.options]
    rows = []
    for row in question.rows:
        by_option = counts.matrix.get(row.id, {})
        n, cells = _table(keys, {o: by_option.get(o, 0) for o in keys}, counts.matrix_respondents.get(row.id, 0), k, True)
        rows.append({"label": row.label, "respondents": n, "counts": cells})
    return {"respondents": _cell(protect_statistic(counts.respondents, counts.respondents, k)),
            "columns": [o.label for o in question.options], "rows": rows}


def protected_results(consultation: Consultation, k: int | None = None) -> dict[str, Any]:
    """Every number that may leave the staff area, after small-group suppression (JSON-ready)."""
    k = threshold() if k is None else k
    counts = aggregate.count_consultation(consultation)
    turnout = counts.turnout
    channels = list(turnout.channels)
    n, cells = _table([c.value for c in channels], {c.value: turnout.channels[c] for c in channels},
                      turnout.participants, k, True)
    questions = []
    for question in sorted(consultation.questions, key=lambda q: q.position):
        qc = counts.questions[question.id]
        if question.type in aggregate.CHOICE_TYPES:
            body = _choices(question, qc, k)
        elif question.type in aggregate.YES_NO_TYPES:
            body = _yes_no(qc, k)
        elif question.type in (QuestionType.SCALE, QuestionType.SCORE):
            body = _scale(question, qc, k)
        elif question.type is QuestionType.NUMBER:
            body = _number(qc, k)
        elif question.type is QuestionType.RANKING:
            body = _ranking(question, qc, k)
        elif question.type is QuestionType.MATRIX:
            body = _matrix(question, qc, k)
        else:
            body = {"respondents": _cell(protect_statistic(qc.respondents, qc.respondents, k))}
        questions.append({"id": question.id, "type": question.type.value, "text": question.text, **body})
    return {
        "threshold": k,
        "title": consultation.title,
        "source_language": consultation.source_language,
        "invited": turnout.invited,
        "participants": n,
        "channels": [{"key": c.value, "count": cell} for c, cell in zip(channels, cells)],
        "questions": questions,
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
    for question in sorted(consultation.questions, key=lambda q: q.position):
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
    audit.record("results.quote_picked", actor=by, corporation_id=consultation.corporation_id, obj=consultation)
    return quote


def _set_quote_text(quote: Quote, text: str, index: quotes.NameIndex) -> None:
    """A new source text drops the translations: they may still hold what was just taken out."""
    quote.text = {quote.source_language: text.strip()}
    quote.flags = quotes.reasons(quotes.flag_answer(text, index))
    quote.reviewed_by_id = None


def edit_quote(quote: Quote, text: str, *, confirmed: bool, by: StaffUser) -> None:
    """Change a quote's text; a flagged text is publishable only once a publisher confirms it."""
    consultation = db.session.get(Consultation, quote.consultation_id)
    _editable(consultation)
    if not text.strip():
        raise DomainError(str(_l("A quote cannot be empty.")))
    if text.strip() != quote.text.get(quote.source_language):
        _set_quote_text(quote, text, name_index(quote.corporation_id))
    if confirmed and quote.flags:
        quote.reviewed_by_id = by.id
    db.session.flush()


def remove_quote(quote: Quote) -> None:
    db.session.delete(quote)
    db.session.flush()


def get_quote(corporation_id: int, quote_id: int) -> Quote:
    quote = db.session.get(Quote, quote_id)
    if quote is None or quote.corporation_id != corporation_id:
        raise NotFound(str(_l("This quote does not exist.")))
    return quote


# ---------------------------------------------------------------- publishing

def publish(consultation: Consultation, *, summary: dict[str, str], correction_note: dict[str, str] | None,
            by: StaffUser) -> Publication:
    """Freeze the protected numbers, summary and quotes as a new version; the first one notifies.

    Raises:
        Conflict: not closed or published yet, a flagged quote is not confirmed, a correction
            has no note, or the summary is empty.
    """
    if consultation.status not in (ConsultationStatus.CLOSED, ConsultationStatus.PUBLISHED):
        raise Conflict(str(_l("Only a closed consultation can be published.")))
    language = consultation.source_language
    if not (summary.get(language) or "").strip():
        raise Conflict(str(_l("Write the summary before publishing.")))
    chosen = list_quotes(consultation.id)
    if any(q.needs_review for q in chosen):
        raise Conflict(str(_l("A quote may still identify someone. Check it before publishing.")))
    previous = latest_publication(consultation.id)
    note = {lang: text for lang, text in (correction_note or {}).items() if text.strip()}
    if previous is not None and not note.get(language):
        raise Conflict(str(_l("Say what was corrected.")))
    snapshot = protected_results(consultation)
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
    for invitation in db.session.scalars(sa.select(Invitation).where(Invitation.consultation_id == consultation.id)):
        who = invitations.addressee(invitation, today)
        if who is None or not who.email:
            continue
        title = localize(consultation.title, consultation.source_language, who.language).text
        message = enqueue("results_published", to_address=who.email, person_id=who.person_id, language=who.language,
                          corporation_id=consultation.corporation_id,
                          context={"name": who.name, "corporation": corporation, "title": title, "link": link})
        sent += message is not None
    return sent


# ---------------------------------------------------------------- planned actions

def add_outcome(consultation: Consultation, *, text: str, due_on, by: StaffUser) -> Outcome:  # noqa: ANN001
    """A planned action: what the corporation will do with the answers."""
    _editable_outcomes(consultation)
    outcome = Outcome(corporation_id=consultation.corporation_id, consultation_id=consultation.id,
                      source_language=consultation.source_language, text={consultation.source_language: text.strip()},
                      due_on=due_on)
    db.session.add(outcome)
    db.session.flush()
    audit.record("results.outcome_added", actor=by, corporation_id=consultation.corporation_id, obj=consultation)
    return outcome


def update_outcome(outcome: Outcome, *, status: OutcomeStatus, due_on, by: StaffUser) -> None:  # noqa: ANN001
    """Move an action on (planned → in progress → done), dated by the server clock, or change its planned date."""
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
