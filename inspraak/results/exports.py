"""Exports: the protected aggregate (CSV and XLSX), and the raw responses streamed row by row.

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

from inspraak.consultations.forms import CHANNEL_LABELS
from inspraak.consultations.models import Answer, Consultation, PrivacyMode, QuestionType, Response
from inspraak.consultations.queries import ordered_questions
from inspraak.consultations.validation import format_number
from inspraak.core.i18n import localize
from inspraak.core.security import without_control_characters
from inspraak.extensions import db
from inspraak.people.models import Complex, Neighbourhood, Person
from inspraak.results.presenting import (
    STAT_LABELS,
    YES_NO,
    area_labels,
    breakdown_tables,
    cell_text,
    column_labels,
    option_label,
)

BATCH = 1000


def _line(values: list[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(values)
    return buffer.getvalue()


def overall_records(snapshot: dict[str, Any]) -> Iterator[list[Any]]:
    """The protected numbers as (question, answer, cell) records; cells as stored in the snapshot."""
    source = snapshot["source_language"]
    yield [_("Invited"), "", snapshot["invited"]]
    yield [_("Took part"), "", snapshot["participants"]]
    for channel in snapshot["channels"]:
        yield [_("Took part"), str(CHANNEL_LABELS[channel["key"]]), channel["count"]]
    for question in snapshot["questions"]:
        title = str(localize(question["text"], source))
        yield [title, _("Answered"), question.get("respondents")]
        for option in question.get("options", []):
            yield [title, option_label(question, option, source), option["count"]]
        for name, value in (question.get("stats") or {}).items():
            if value is not None:
                yield [title, str(STAT_LABELS[name]), value]
        for row in question.get("rows", []) if question["type"] == "matrix" else []:
            row_label = str(localize(row["label"], source))
            for column, count in zip(question["columns"], row["counts"]):
                yield [f"{title} – {row_label}", str(localize(column, source)), count]


def breakdown_records(snapshot: dict[str, Any]) -> Iterator[list[Any]]:
    """The per-place tables as (question, area, answer, cell) records: only suppressed numbers.

    A matrix has one table per row: its question reads "question – row".
    """
    source = snapshot["source_language"]
    for question in snapshot["questions"]:
        tables = breakdown_tables(question, source)
        if not tables:
            continue
        title = str(localize(question["text"], source))
        labels = column_labels(question, source)
        for row_label, breakdown in tables:
            heading = title if row_label is None else f"{title} – {row_label}"
            for group, area in zip(breakdown["groups"], area_labels(breakdown)):
                yield [heading, area, _("Answered"), group["respondents"]]
                for label, count in zip(labels, group["counts"]):
                    yield [heading, area, label, count]
                for name, value in (group.get("stats") or {}).items():
                    if value is not None:
                        yield [heading, area, str(STAT_LABELS[name]), value]


def aggregate_rows(snapshot: dict[str, Any]) -> Iterator[str]:
    """The protected numbers as CSV: question, answer, count (hidden cells as "fewer than k").

    Per-place rows follow the overall ones, with the area after the question ("question – area").
    """
    k = snapshot["threshold"]
    yield _line([_("Question"), _("Answer"), _("Number of people")])
    for question, answer, cell in overall_records(snapshot):
        yield _line([_safe(question), _safe(str(answer)), cell_text(cell, k)])
    for question, area, answer, cell in breakdown_records(snapshot):
        yield _line([_safe(f"{question} – {area}"), _safe(str(answer)), cell_text(cell, k)])


def _xlsx_value(cell: Any, k: int) -> Any:  # noqa: ANN401
    """Numbers as numbers (a stored statistic is a rounded decimal in text), hidden cells as text."""
    if isinstance(cell, bool) or cell is None or isinstance(cell, dict):
        return cell_text(cell, k)
    if isinstance(cell, str):
        return float(Decimal(cell))
    return cell


def aggregate_workbook(snapshot: dict[str, Any]) -> bytes:
    """The protected numbers as an XLSX workbook: one sheet for the whole, one for the areas."""
    k = snapshot["threshold"]
    from openpyxl import Workbook  # only here: it costs every web worker 5 MB otherwise

    workbook = Workbook(write_only=True)
    overall = workbook.create_sheet(_("Results"))
    overall.append([_("Question"), _("Answer"), _("Number of people")])
    for question, answer, cell in overall_records(snapshot):
        overall.append([_xlsx_text(question), _xlsx_text(str(answer)), _xlsx_value(cell, k)])
    areas = workbook.create_sheet(_("Per area"))
    areas.append([_("Question"), _("Area"), _("Answer"), _("Number of people")])
    for question, area, answer, cell in breakdown_records(snapshot):
        areas.append([_xlsx_text(question), _xlsx_text(area), _xlsx_text(str(answer)), _xlsx_value(cell, k)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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
    """Every response as one CSV line, read in batches through a server-side cursor.

    The place a response recorded (breakdown) is listed only for confidential and named
    consultations: in an anonymous one, a place next to the answers could single out the
    only respondent of a complex, so only the suppressed aggregates use it.

    Everything that needs the consultation's ORM objects is worked out here, at the call;
    the returned iterator holds only plain values and reads rows through whatever session
    is current when it runs. A streamed response runs it after the view's session is gone.
    """
    source = consultation.source_language
    named = consultation.privacy_mode is PrivacyMode.NAMED
    placed = consultation.records_place and not consultation.is_anonymous
    headers, index = _columns(consultation)
    labels = {o.id: _safe(str(localize(o.label, source))) for q in consultation.questions for o in q.options}
    types = {q.id: q.type for q in consultation.questions}
    yes_no = {True: str(YES_NO["yes"]), False: str(YES_NO["no"])}  # translated once, not per answer
    heading = [_("Response"), _("Date"), *([_("Name")] if named else []),
               *([_("Neighbourhood"), _("Complex")] if placed else []), *(_safe(h) for h in headers)]
    return _raw_lines(consultation.id, named=named, placed=placed, heading=heading, index=index, labels=labels,
                      types=types, yes_no=yes_no)


def _raw_lines(consultation_id: int, *, named: bool, placed: bool, heading: list[str],
               index: dict[tuple[int, int | None], int], labels: dict[int, str], types: dict[int, QuestionType],
               yes_no: dict[bool, str]) -> Iterator[str]:
    """The CSV lines of ``raw_rows``, from plain values only."""
    width = len(index)  # one column per (question, matrix row)
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values: list[Any]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    yield line(heading)
    # Table columns, not ORM attributes: rows come back as plain tuples, without the ORM's loading step.
    response, answer = Response.__table__.c, Answer.__table__.c
    person, hood, block = Person.__table__, Neighbourhood.__table__, Complex.__table__
    extra = [*([person.c.name] if named else []), *([hood.c.name, block.c.number] if placed else [])]
    stmt = sa.select(response.id, response.submitted_on, answer.question_id, answer.row_id, answer.option_id,
                     answer.number, answer.text, answer.rank, *extra)
    stmt = stmt.join_from(Response.__table__, Answer.__table__, answer.response_id == response.id)
    if named:
        stmt = stmt.outerjoin(person, person.c.id == response.person_id)
    if placed:
        stmt = (stmt.outerjoin(hood, hood.c.id == response.neighbourhood_id)
                .outerjoin(block, block.c.id == response.complex_id))
    stmt = (stmt.where(response.consultation_id == consultation_id)
            .order_by(response.id, answer.question_id, answer.item)
            .execution_options(yield_per=BATCH))
    current, head, cells = None, [], [[] for _c in range(width)]
    number = 0
    rows = (row for batch in db.session.execute(stmt).partitions() for row in batch)  # a batch at a time
    for row in rows:
        if row[0] != current:
            if current is not None:
                yield line([*head, *("; ".join(c) for c in cells)])
            number += 1
            current, cells = row[0], [[] for _c in range(width)]
            head = [number, row[1].isoformat(), *(_safe(value or "") for value in row[8:])]
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
    """Written text that a spreadsheet would run as a formula gets a leading apostrophe (in CSV and XLSX alike:
    question texts, choices and places are written by people; numbers are never passed through this)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _xlsx_text(text: str) -> str:
    """Written text for a workbook cell: safe from formulas, and without the control characters an XLSX file
    cannot hold (texts stored before input was cleaned of them, or imported, made the export fail)."""
    return _safe(without_control_characters(text))


def _value(option_id, value, text, rank, labels: dict[int, str]) -> str:  # noqa: ANN001
    if option_id is not None:
        label = labels.get(option_id, "")
        if rank is not None:
            label = f"{rank}. {label}"
        return f"{label}: {_safe(text)}" if text else label
    if value is not None:
        return format_number(Decimal(value))
    return _safe(text or "")
