"""Translations of the results texts (summary, correction notes, actions, quotes), also after publishing.

Publishing freezes the numbers and the source-language texts. Adding or correcting a
translation is not a correction of content: it needs no new version and leaves every
number as it was. The same holds for the consultation's own texts that a snapshot keeps
(questions, choices, matrix rows, scale labels): :func:`with_live_translations` shows
their translations as they are now, wherever the source-language text is still the one
that was published. Changing the source text of the summary or of a published quote does
need a new version with a note (``services.publish``); an action's source text can be
changed until the results are first published, its status and date at any time.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from inspraak.consultations.models import Consultation, MatrixRow, Option, Question
from inspraak.core import audit, edits
from inspraak.core.db import lock_for_change
from inspraak.core.errors import DomainError, FieldRefused
from inspraak.core.i18n import missing_languages
from inspraak.core.plurals import Counted as _n
from inspraak.extensions import db
from inspraak.people.models import StaffUser
from inspraak.results import outcomes, publications, quotes, quoting
from inspraak.results.models import OutcomeStatus, Publication, Quote

if TYPE_CHECKING:
    from inspraak.results.reading import PublishedVersion


# The most characters of one language's summary, note, action or quote translation, on the publish form and the
# translations page alike (a summary published longer could never be saved again with its translations).
MAX_LENGTH = 4000


@dataclass(frozen=True)
class TextField:
    """One translatable text on the translations page: ``name`` prefixes its form boxes."""

    name: str
    label: str
    target: Any
    attribute: str
    source_language: str
    source_editable: bool = False
    is_quote: bool = False

    @property
    def texts(self) -> dict[str, str]:
        return getattr(self.target, self.attribute) or {}


def text_fields(consultation: Consultation) -> list[TextField]:
    """The newest summary, every correction note, every action and every chosen quote."""
    versions = publications.list_publications(consultation.id)
    fields: list[TextField] = []
    if versions:
        latest = versions[0]
        fields.append(TextField("summary", str(_l("Summary")), latest, "summary", latest.source_language))
        for publication in reversed(versions):
            if publication.correction_note:
                fields.append(TextField(f"note{publication.version}",
                                        str(_l("What was corrected in version %(n)s", n=publication.version)),
                                        publication, "correction_note", publication.source_language))
    for n, outcome in enumerate(outcomes.list_outcomes(consultation.id), start=1):
        fields.append(TextField(f"action{outcome.id}", str(_l("Action %(n)s", n=n)), outcome, "text",
                                outcome.source_language, source_editable=not versions))
        if outcome.status is OutcomeStatus.WITHDRAWN and outcome.status_note:
            # The source text of the reason is changed with the action's status form.
            fields.append(TextField(f"why{outcome.id}", str(_l("Why action %(n)s is not going ahead", n=n)), outcome,
                                    "status_note", outcome.source_language))
    for n, quote in enumerate(quoting.list_quotes(consultation.id), start=1):
        fields.append(TextField(f"quote{quote.id}", str(_l("Quote %(n)s", n=n)), quote, "text", quote.source_language,
                                is_quote=True))
    return fields


def completeness(fields: list[TextField], languages: list[str]) -> dict[str, list[str]]:
    """Per language, the labels of the texts that have no translation yet."""
    missing: dict[str, list[str]] = {lang: [] for lang in languages}
    for field in fields:
        for lang in missing_languages(field.texts, languages):
            missing[lang].append(field.label)
    return missing


def save_translations(consultation: Consultation, fields: list[TextField], submitted: dict[str, dict[str, str]], *,
                      confirmed: bool, by: StaffUser, seen: str | None = None) -> list[str]:
    """Store the translations of ``fields`` from ``submitted`` (field name → language → text).

    A source-language box is read only unless the field allows it (an action before the
    first publication); an empty translation box removes that translation. Numbers and
    frozen snapshots are never touched.

    Returns:
        The labels of the texts that changed.
    Raises:
        FieldRefused: an editable source text is emptied, or a text is too long (beside its box).
        DomainError: a translated quote may identify someone and ``confirmed`` is not set.
        EditClash: someone else changed a text the sender changed since the page was shown (``seen``,
            its fingerprint: boxes left as shown keep what others saved meanwhile; ``core.edits``).
    """
    lock_for_change(consultation)  # one save of these texts at a time; then read what is stored now
    for field in fields:
        db.session.refresh(field.target, [field.attribute])
    submitted = edits.merge(seen, {field.name: field.texts for field in fields}, submitted)
    index = None
    changed: list[str] = []
    problems: list[str] = []
    for field in fields:
        old = field.texts
        new = dict(old)
        for lang, text in submitted.get(field.name, {}).items():
            if len(text) > MAX_LENGTH:
                raise FieldRefused(_n("%(text)s is too long: use at most %(n)s character.",
                                      "%(text)s is too long: use at most %(n)s characters.").render(
                                          text=field.label, n=MAX_LENGTH), f"{field.name}_{lang}")
            if lang == field.source_language:
                if field.source_editable:
                    if not text:
                        raise FieldRefused(str(_l("%(text)s cannot be empty.", text=field.label)),
                                           f"{field.name}_{lang}")
                    new[lang] = text
            elif text:
                new[lang] = text
            else:
                new.pop(lang, None)
        if new == old:
            continue
        if field.is_quote:
            index = index or quoting.name_index(consultation.corporation_id)
            found = sorted({reason for lang, text in new.items() if text != old.get(lang)
                            for reason in quotes.reasons(quotes.flag_answer(text, index))})
            if found:
                problems.append(str(_l("%(text)s: %(reasons)s", text=field.label, reasons=", ".join(found))))
        setattr(field.target, field.attribute, new)
        changed.append(field.label)
    if problems and not confirmed:
        raise DomainError(str(_l("A translated quote may identify someone. Check it, then confirm: %(problems)s",
                                 problems="; ".join(problems))))
    if changed:
        db.session.flush()
        audit.record("results.translated", actor=by, corporation_id=consultation.corporation_id, obj=consultation,
                     details={"texts": changed, "confirmed": bool(problems)})
    return changed


_LIVE_QUOTES = sa.select(Quote.__table__.c.id, Quote.__table__.c.source_language, Quote.__table__.c.text).where(
    Quote.__table__.c.id.in_(sa.bindparam("ids", expanding=True)))


def published_quotes(publication: Publication | PublishedVersion) -> list[dict[str, Any]]:
    """The quotes of a publication with translations added since, as long as the quote's source text is unchanged.

    The snapshot keeps each quote as it was published. Its ``quote_id`` points to the live
    quote: while that quote still has the same source text, its translations are shown; once
    its source text changes (for a next version), this publication keeps its own texts.
    """
    items = publication.snapshot.get("quotes", [])
    ids = [item["quote_id"] for item in items if item.get("quote_id")]
    rows = {q.id: q for q in db.session.execute(_LIVE_QUOTES, {"ids": ids})} if ids else {}
    result = []
    for item in items:
        row = rows.get(item.get("quote_id"))
        source = item["source_language"]
        if row is not None and row.source_language == source and row.text.get(source) == item["text"].get(source):
            item = {**item, "text": dict(row.text)}
        result.append(item)
    return result


_question, _option, _row = Question.__table__, Option.__table__, MatrixRow.__table__
_LIVE_QUESTIONS = sa.select(_question.c.id, _question.c.text, _question.c.settings).where(
    _question.c.consultation_id == sa.bindparam("id"))
_LIVE_OPTIONS = (sa.select(_option.c.question_id, _option.c.label).join(_question, _question.c.id == _option.c.question_id)
                 .where(_question.c.consultation_id == sa.bindparam("id")).order_by(_option.c.question_id,
                                                                                    _option.c.position))
_LIVE_ROWS = (sa.select(_row.c.question_id, _row.c.label).join(_question, _question.c.id == _row.c.question_id)
              .where(_question.c.consultation_id == sa.bindparam("id")).order_by(_row.c.question_id, _row.c.position))


def _newer(frozen: dict[str, str] | None, live: dict[str, str] | None, source: str) -> dict[str, str] | None:
    """The live texts when their source-language text is the published one (translations since), else the frozen."""
    if frozen and live and live.get(source) == frozen.get(source):
        return dict(live)
    return frozen


def with_live_translations(snapshot: dict[str, Any], consultation_id: int) -> dict[str, Any]:
    """A copy of ``snapshot`` whose question texts, choices, matrix rows and scale labels carry today's translations.

    Only where the source-language text is unchanged: a changed source text means other
    content, and the published version keeps its own. Choices and rows are matched by their
    place in the question (they are locked once anyone has answered). Numbers are never touched.
    """
    source = snapshot["source_language"]
    questions = {row.id: row for row in db.session.execute(_LIVE_QUESTIONS, {"id": consultation_id})}
    options: dict[int, list] = {}
    for row in db.session.execute(_LIVE_OPTIONS, {"id": consultation_id}):
        options.setdefault(row.question_id, []).append(row.label)
    rows: dict[int, list] = {}
    for row in db.session.execute(_LIVE_ROWS, {"id": consultation_id}):
        rows.setdefault(row.question_id, []).append(row.label)

    def by_place(frozen: list, live: list, get, put) -> list:  # noqa: ANN001
        return [put(item, _newer(get(item), live[n] if n < len(live) else None, source))
                for n, item in enumerate(frozen)]

    result = []
    for item in snapshot["questions"]:
        live = questions.get(item["id"])
        if live is None:
            result.append(item)
            continue
        item = {**item, "text": _newer(item["text"], live.text, source)}
        settings = live.settings or {}
        for name in ("min_label", "max_label"):
            if name in item:
                item[name] = _newer(item[name], settings.get(name), source)
        if "options" in item and any("label" in option for option in item["options"]):
            item["options"] = by_place(item["options"], options.get(item["id"], []), lambda o: o.get("label"),
                                       lambda o, label: {**o, "label": label} if "label" in o else o)
        if item.get("columns"):
            item["columns"] = by_place(item["columns"], options.get(item["id"], []), lambda c: c, lambda _c, c: c)
        if item.get("rows") and item["type"] == "matrix":
            item["rows"] = by_place(item["rows"], rows.get(item["id"], []), lambda r: r.get("label"),
                                    lambda r, label: {**r, "label": label})
        result.append(item)
    return {**snapshot, "questions": result}
