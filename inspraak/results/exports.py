"""CSV exports: the protected aggregate, and the raw responses streamed row by row.

The raw export reads answers through a server-side cursor (``yield_per``) ordered by
response, and yields one CSV line per response, so memory stays bounded whatever the
number of responses. Names appear only for named consultations.
"""
from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any, Iterator

import sqlalchemy as sa
from flask_babel import gettext as _

from inspraak.consultations.models import Answer, Consultation, PrivacyMode, QuestionType, Response
from inspraak.consultations.services import ordered_questions
from inspraak.core.i18n import localize
from inspraak.extensions import db
from inspraak.people.models import Person
from inspraak.results.presenting import YES_NO, cell_text

BATCH = 1000


def _line(values: list[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(values)
    return buffer.getvalue()


def aggregate_rows(snapshot: dict[str, Any]) -> Iterator[str]:
    """The protected numbers as CSV: question, answer, count (hidden cells as "fewer than k")."""
    source, k = snapshot["source_language"], snapshot["threshold"]
    yield _line([_("Question"), _("Answer"), _("Number of people")])
    yield _line([_("Invited"), "", snapshot["invited"]])
    yield _line([_("Took part"), "", cell_text(snapshot["participants"], k)])
    for channel in snapshot["channels"]:
        yield _line([_("Took part"), channel["key"], cell_text(channel["count"], k)])
    for question in snapshot["questions"]:
        title = str(localize(question["text"], source))
        yield _line([title, _("Answered"), cell_text(question.get("respondents"), k)])
        for option in question.get("options", []):
            label = (str(localize(option["label"], source)) if "label" in option
                     else str(YES_NO[option["key"]]) if question["type"] in ("yes_no", "agreement") else option["key"])
            yield _line([title, label, cell_text(option["count"], k)])
        for name, value in (question.get("stats") or {}).items():
            if value is not None:
                yield _line([title, name, cell_text(value, k)])
        for row in question.get("rows", []) if question["type"] == "matrix" else []:
            row_label = str(localize(row["label"], source))
            for column, count in zip(question["columns"], row["counts"]):
                yield _line([f"{title} – {row_label}", str(localize(column, source)), cell_text(count, k)])


def _columns(consultation: Consultation) -> tuple[list[str], dict[tuple[int, int | None], int]]:
    """Header labels and the column of each (question, matrix row)."""
    source = consultation.source_language
    headers, index = [], {}
    for question in ordered_questions(consultation):
        title = str(localize(question.text, source))
        if question.type is QuestionType.MATRIX:
            for row in question.rows:
                index[(question.id, row.id)] = len(headers)
                headers.append(f"{title} – {localize(row.label, source)}")
        else:
            index[(question.id, None)] = len(headers)
            headers.append(title)
    return headers, index


def raw_rows(consultation: Consultation) -> Iterator[str]:
    """Every response as one CSV line, read in batches through a server-side cursor."""
    source = consultation.source_language
    named = consultation.privacy_mode is PrivacyMode.NAMED
    headers, index = _columns(consultation)
    labels = {o.id: str(localize(o.label, source)) for q in consultation.questions for o in q.options}
    types = {q.id: q.type for q in consultation.questions}
    yes_no = {True: str(YES_NO["yes"]), False: str(YES_NO["no"])}  # translated once, not per answer
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values: list[Any]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    yield line([_("Response"), _("Date"), *([_("Name")] if named else []), *headers])
    # Table columns, not ORM attributes: rows come back as plain tuples, without the ORM's loading step.
    response, answer = Response.__table__.c, Answer.__table__.c
    stmt = sa.select(response.id, response.submitted_on, answer.question_id, answer.row_id, answer.option_id,
                     answer.number, answer.text, answer.rank, *([Person.__table__.c.name] if named else []))
    stmt = stmt.join_from(Response.__table__, Answer.__table__, answer.response_id == response.id)
    if named:
        stmt = stmt.outerjoin(Person.__table__, Person.__table__.c.id == response.person_id)
    stmt = (stmt.where(response.consultation_id == consultation.id)
            .order_by(response.id, answer.question_id, answer.item)
            .execution_options(yield_per=BATCH))
    current, head, cells = None, [], [[] for _h in headers]
    number = 0
    rows = (row for batch in db.session.execute(stmt).partitions() for row in batch)  # a batch at a time
    for row in rows:
        if row[0] != current:
            if current is not None:
                yield line([*head, *("; ".join(c) for c in cells)])
            number += 1
            current, cells = row[0], [[] for _h in headers]
            head = [number, row[1].isoformat(), *([row[8] or ""] if named else [])]
        qid, row_id, option_id, value, text, rank = row[2:8]
        qtype = types[qid]
        column = index.get((qid, row_id if qtype is QuestionType.MATRIX else None))
        if column is None:
            continue
        if qtype in (QuestionType.YES_NO, QuestionType.AGREEMENT):
            cells[column].append(yes_no[Decimal(value) == 1])
        else:
            cells[column].append(_value(option_id, value, text, rank, labels))
    if current is not None:
        yield line([*head, *("; ".join(c) for c in cells)])


def in_chunks(lines: Iterator[str], size: int = 64 * 1024) -> Iterator[str]:
    """Lines joined into pieces of about ``size`` characters: one socket write per piece, not per line."""
    piece, length = [], 0
    for text in lines:
        piece.append(text)
        length += len(text)
        if length >= size:
            yield "".join(piece)
            piece, length = [], 0
    if piece:
        yield "".join(piece)


def _safe(text: str) -> str:
    """Written text that a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _value(option_id, value, text, rank, labels: dict[int, str]) -> str:  # noqa: ANN001
    if option_id is not None:
        label = labels.get(option_id, "")
        if rank is not None:
            label = f"{rank}. {label}"
        return f"{label}: {_safe(text)}" if text else label
    if value is not None:
        return str(Decimal(value).normalize())
    return _safe(text or "")
