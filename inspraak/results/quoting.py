"""Quotes: staff choose answers to publish, with whatever may identify someone taken out first."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from inspraak.consultations.models import Answer, Consultation, ConsultationStatus, Question
from inspraak.consultations.queries import ordered_questions
from inspraak.core import audit, edits
from inspraak.core.db import lock_for_change
from inspraak.core.errors import Conflict, DomainError, NotFound
from inspraak.core.i18n import is_supported
from inspraak.extensions import db
from inspraak.people.models import Person, StaffUser
from inspraak.results import aggregate, quotes
from inspraak.results.models import Quote


def list_quotes(consultation_id: int) -> list[Quote]:
    return list(db.session.scalars(
        sa.select(Quote).where(Quote.consultation_id == consultation_id).order_by(Quote.id)
    ))


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
    """A quote as its form shows it (``core.edits`` compares them): its text, its language, and the box to confirm
    it, never ticked."""
    return {"text": quote.text.get(quote.source_language, ""), "language": quote.source_language, "confirmed": False}


def edit_quote(quote: Quote, text: str, *, confirmed: bool, by: StaffUser, seen: str | None = None,
               language: str | None = None) -> None:
    """Change a quote's text or its language; a flagged text is publishable only once a publisher confirms it.

    ``language``: the language the tenant wrote in (a quote starts in the consultation's source language);
    None keeps it. A new language, like a new text, drops the translations.

    ``seen``: the fingerprint of the quote the form showed (``core.edits``). A text left as shown keeps
    what another publisher saved meanwhile; a confirmation is of the text its sender read, so it goes
    with the text: both are refused when someone else changed the text since (EditClash).

    Raises:
        Conflict: the consultation is not closed or published.
        DomainError: the text is empty, or the language is not one of the site's.
        EditClash: someone else changed the text or its language at the same moment.
    """
    consultation = db.session.get(Consultation, quote.consultation_id)
    _editable(consultation)
    lock_for_change(quote)
    sent = {"text": text, "language": language or quote.source_language, "confirmed": bool(confirmed)}
    values = edits.merge_values(seen, quote_values(quote), sent, together=[("text", "confirmed")])
    text, confirmed, language = values["text"] or "", values["confirmed"], values["language"]
    if not text.strip():
        raise DomainError(str(_l("A quote cannot be empty.")))
    if not is_supported(language):
        raise DomainError(str(_l("Choose one of the options shown.")))
    changed = text.strip() != quote.text.get(quote.source_language) or language != quote.source_language
    if changed:
        quote.source_language = language
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
