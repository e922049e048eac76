"""Exports: numbers in plain notation, and the labels the results page uses."""
from __future__ import annotations

import csv
import io

import pytest

from inspraak.consultations.models import PrivacyMode
from inspraak.extensions import db
from inspraak.results import exports
from tests.results.conftest import full_answer


def test_raw_export_writes_marks_of_ten_in_plain_notation(client, app, make_corporation, make_world, make_staff,
                                                          login_staff):
    corporation = make_corporation()
    world = make_world(corporation, privacy=PrivacyMode.NAMED)
    world.answer(full_answer(world, "a", ["a"], 2, 10, True, "100", ["a", "b", "c"], "good", "bad"))
    db.session.commit()
    login_staff(client, make_staff(corporation, "publisher"))
    response = client.get(f"/staff/results/{world.consultation.id}/responses.csv")
    raw = response.get_data(as_text=True)
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"  # once: it said "charset=utf-8" twice
    row = dict(zip(*csv.reader(io.StringIO(raw))))
    assert row["Vraag score"] == "10" and row["Vraag number"] == "100"
    assert "E+" not in raw


SNAPSHOT = {
    "threshold": 10, "source_language": "en", "invited": 40, "participants": 30,
    "channels": [{"key": "online", "count": 20}, {"key": "paper", "count": {"hidden": "below"}},
                 {"key": "assisted", "count": {"hidden": "other"}}],
    "questions": [{
        "id": 1, "type": "number", "text": {"en": "How many?"}, "respondents": 30,
        "stats": {"mean": "3.0", "lower_quartile": "2.0", "median": "3.0", "upper_quartile": "4.0"},
    }, {
        "id": 2, "type": "score", "text": {"en": "Mark?"}, "respondents": 30,
        "options": [{"key": v, "count": {"hidden": "below"}} for v in range(11)],
        "stats": {"mean": {"hidden": "other"}, "median": {"hidden": "other"}, "net_score": {"hidden": "other"}},
        "breakdown": {"level": "neighbourhood", "columns": ["0-6", "7-8", "9-10"], "groups": [
            {"kind": "neighbourhood", "id": 1, "name": "North", "respondents": 30, "counts": [10, 10, 10],
             "stats": {"mean": "5.0", "median": "5.0", "net_score": "0.0"}}]},
    }],
}


def test_aggregate_exports_use_the_page_labels(app):
    with app.test_request_context("/?lang=en"):
        overall = [record[1] for record in exports.overall_records(SNAPSHOT)]
        areas = [record[2] for record in exports.breakdown_records(SNAPSHOT)]
        rows = "".join(exports.aggregate_rows(SNAPSHOT))
    assert {"Online", "Paper", "With help from staff"} <= set(overall)
    assert {"Average", "Median (middle value)", "Lower quarter", "Upper quarter", "Net score (−100 to 100)"} <= set(
        overall)
    assert {"Average", "Median (middle value)", "Net score (−100 to 100)"} <= set(areas)
    for raw_key in ("online", "paper", "assisted", "mean", "median", "net_score", "lower_quartile", "upper_quartile"):
        assert raw_key not in overall and raw_key not in areas
        assert f",{raw_key}," not in rows


def test_the_workbook_holds_texts_with_control_characters(app):
    """A question or place name holding a control character (pasted before input was cleaned of them, or imported)
    made the XLSX export an error page: openpyxl refuses them. They are left out; a vertical tab becomes a line break."""
    import copy

    from openpyxl import load_workbook

    snapshot = copy.deepcopy(SNAPSHOT)
    snapshot["questions"][0]["text"] = {"en": "How\x0bmany\x01?"}
    snapshot["questions"][1]["breakdown"]["groups"][0]["name"] = "=North\x1b"
    with app.test_request_context("/?lang=en"):
        workbook = load_workbook(io.BytesIO(exports.aggregate_workbook(snapshot)))
    cells = {cell.value for sheet in workbook for row in sheet.iter_rows() for cell in row}
    assert "How\nmany?" in cells and "'=North" in cells


def test_csv_exports_do_not_start_a_written_text_with_a_formula(client, app, make_corporation, make_world, make_staff,
                                                                 login_staff):
    """Question texts, matrix rows and choices are written by staff: in a CSV, as in the XLSX, one starting
    with = + - @ gets an apostrophe so a spreadsheet shows it as text; numbers (a negative net score) stay."""
    corporation = make_corporation()
    world = make_world(corporation, privacy=PrivacyMode.NAMED)
    world.q["choice"].text = {"nl": "=HYPERLINK(\"http://evil.example\",\"klik\")"}
    world.q["matrix"].options[0].label = {"nl": "@SUM(1+1)"}
    world.q["choice"].options[0].label = {"nl": "+cmd|' /C calc'!A0"}
    world.answer(full_answer(world, "a", ["a"], 2, 10, True, "-3", ["a", "b", "c"], "good", "bad"))
    db.session.commit()
    login_staff(client, make_staff(corporation, "publisher"))
    for export in ("results.csv", "responses.csv"):
        raw = client.get(f"/staff/results/{world.consultation.id}/{export}").get_data(as_text=True)
        cells = [cell for row in csv.reader(io.StringIO(raw)) for cell in row]
        assert "=HYPERLINK" in raw, export
        starts = {cell[:1] for cell in cells if cell and not cell.lstrip("-").replace(".", "").isdigit()}
        assert not starts & {"=", "+", "-", "@"}, (export, [c for c in cells if c[:1] in "=+-@"])
    row = dict(zip(*csv.reader(io.StringIO(
        client.get(f"/staff/results/{world.consultation.id}/responses.csv").get_data(as_text=True)))))
    assert row["Vraag number"] == "-3"


def test_raw_export_records_its_audit_entry_when_another_writer_got_in_first(client, app, make_corporation,
                                                                              make_world, make_staff, login_staff):
    """SQLite: the export is a GET (a read transaction) that writes an audit entry at the end. When
    someone else wrote after it began reading, the write failed at once: 'database is locked', an
    error page instead of the file. It takes the write lock before it writes."""
    import sqlite3

    import sqlalchemy as sa
    from flask import has_request_context

    corporation = make_corporation()
    world = make_world(corporation, privacy=PrivacyMode.NAMED)
    world.answer(full_answer(world, "a", ["a"], 2, 10, True, "100", ["a", "b", "c"], "good", "bad"))
    db.session.commit()
    login_staff(client, make_staff(corporation, "publisher"))
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL reads without a transaction until the first write: nothing goes stale")
    url = f"/staff/results/{world.consultation.id}/responses.csv"
    other_writer = sqlite3.connect(db.engine.url.database, timeout=10, isolation_level=None)
    raced = []

    def someone_else_writes(conn, cursor, statement, *_args) -> None:  # noqa: ANN001
        if has_request_context() and not raced and "FROM consultation" in statement and statement.lstrip().upper().startswith("SELECT"):
            raced.append(statement)
            other_writer.execute("UPDATE corporation SET name = name || ? WHERE id = ?", (" (renamed)", corporation.id))

    sa.event.listen(db.engine, "after_cursor_execute", someone_else_writes)
    try:
        response = client.get(url)
        body = response.get_data(as_text=True)
    finally:
        sa.event.remove(db.engine, "after_cursor_execute", someone_else_writes)
        other_writer.close()
    assert raced
    assert response.status_code == 200 and "Vraag score" in body
