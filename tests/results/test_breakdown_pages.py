"""Breakdowns through the browser: preview, publishing (frozen), the results page, open data and exports."""
from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal, InvalidOperation

import pytest
from openpyxl import load_workbook

from inspraak.consultations.models import Breakdown, PrivacyMode
from inspraak.extensions import db
from inspraak.people.models import Corporation
from inspraak.results import publications, services
from tests.results.conftest import answer_times, fill_three_complexes, full_answer


@pytest.fixture
def placed(app, two_hoods, make_world, make_staff, make_tenant):  # noqa: ANN001, ANN201
    """A published consultation per neighbourhood (see test_breakdowns: A 17, B 14), k = 5, an invited tenant."""
    app.config["RESULTS_PRIVACY_THRESHOLD"] = 5
    corporation, a1, a2, b1 = two_hoods
    world = make_world(corporation, breakdown=Breakdown.NEIGHBOURHOOD)
    fill_three_complexes(world, a1, a2, b1, Breakdown.NEIGHBOURHOOD)
    tenant = make_tenant(corporation, complex_=a1)
    world.invite(tenant)
    staff = make_staff(corporation, "publisher")
    with app.test_request_context():
        services.publish(world.consultation, summary={"nl": "Samenvatting"}, correction_note=None, by=staff)
    db.session.commit()
    yield world, staff, tenant, (a1, a2, b1)
    app.config.pop("RESULTS_PRIVACY_THRESHOLD", None)


def _plain(page: str) -> str:
    """The page without the cell labels of the stacked phone layout (site.css, .stack-table)."""
    return re.sub(r' data-label="[^"]*"', "", page)


def _choice_table(page: str) -> str:
    start = page.index("Answers to question 1 per neighbourhood")
    return page[page.rindex("<table", 0, start):page.index("</table>", start)]


def test_the_results_page_shows_an_accessible_table_per_neighbourhood(client, placed, login_tenant):
    world, _staff, tenant, _places = placed
    login_tenant(client, tenant)
    page = _plain(client.get(f"/results/{world.consultation.id}?lang=en").get_data(as_text=True))
    table = _choice_table(page)
    assert '-area-1">Answers to question 1 per neighbourhood</caption>' in table
    assert '<th scope="col">Area</th>' in table and '<th scope="col">a</th>' in table
    assert '<th scope="row">A</th><td>17</td><td>11</td>' in table
    # B's 14 respondents are hidden: the scale question (all of B answered 3) has to hide them,
    # and both questions were answered by the same 14 people (protected_tables.SharedTotals).
    assert '<th scope="row">B</th><td>hidden (protects a small group)</td><td>8</td>' in table
    assert "fewer than 5" in table and "<td>0</td>" not in table and "<td>6</td>" not in table
    assert "<td>14</td>" not in table


def test_the_staff_preview_shows_the_tables(client, placed, login_staff):
    world, staff, _tenant, _places = placed
    login_staff(client, staff)
    page = _plain(client.get(f"/staff/results/{world.consultation.id}?lang=en").get_data(as_text=True))
    assert '<th scope="row">A</th><td>17</td><td>11</td>' in _choice_table(page)


def test_the_published_tables_do_not_change_with_later_answers(client, placed, login_tenant):
    world, _staff, tenant, (a1, _a2, _b1) = placed
    login_tenant(client, tenant)
    before = _choice_table(_plain(client.get(f"/results/{world.consultation.id}?lang=en").get_data(as_text=True)))
    snapshot = json.dumps(publications.latest_publication(world.consultation.id).snapshot, sort_keys=True)
    answer_times(world, a1, "c", 3, 6, level=Breakdown.NEIGHBOURHOOD)
    db.session.commit()
    assert _choice_table(_plain(client.get(f"/results/{world.consultation.id}?lang=en").get_data(as_text=True))) == before
    assert json.dumps(publications.latest_publication(world.consultation.id).snapshot, sort_keys=True) == snapshot


def test_open_data_holds_only_suppressed_numbers(client, placed):
    world, _staff, _tenant, _places = placed
    data = json.loads(client.get(f"/open-data/consultations/{world.consultation.id}.json").get_data(as_text=True))
    choice = next(q for q in data["results"]["questions"] if q["type"] == "single_choice")
    groups = choice["breakdown"]["groups"]
    assert [(g["name"], g["respondents"], g["counts"]) for g in groups] == [
        ("A", 17, [11, {"hidden": "other"}, {"hidden": "below"}]),
        ("B", {"hidden": "other"}, [8, {"hidden": "other"}, {"hidden": "below"}])]  # see SharedTotals
    for question in data["results"]["questions"]:
        for group in (question.get("breakdown") or {}).get("groups", []):
            for value in [group["respondents"], *group["counts"]]:
                assert isinstance(value, dict) or value >= 5


def _number(value: object) -> object:
    """A cell as CSV text or XLSX value, compared as a number where it is one."""
    try:
        return Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        return str(value)


def test_the_xlsx_holds_the_same_numbers_as_the_csv(client, placed, login_staff):
    world, staff, _tenant, _places = placed
    login_staff(client, staff)
    cid = world.consultation.id
    rows = list(csv.reader(io.StringIO(client.get(f"/staff/results/{cid}/results.csv?lang=en").get_data(as_text=True))))
    response = client.get(f"/staff/results/{cid}/results.xlsx?lang=en")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    workbook = load_workbook(io.BytesIO(response.data), read_only=True)
    assert workbook.sheetnames == ["Results", "Per area"]
    overall = [list(r) for r in workbook["Results"].iter_rows(values_only=True)]
    areas = [list(r) for r in workbook["Per area"].iter_rows(values_only=True)]
    assert areas[0] == ["Question", "Area", "Answer", "Number of people"]
    from_xlsx = [[q, a or "", _number(v)] for q, a, v in overall[1:]]
    from_xlsx += [[f"{q} – {area}", a, _number(v)] for q, area, a, v in areas[1:]]
    assert rows[0] == overall[0]
    assert from_xlsx == [[q, a, _number(v)] for q, a, v in rows[1:]]
    assert ["Question choice – A", "a", Decimal(11)] in from_xlsx
    assert ["Question choice – A", "c", "fewer than 5"] in from_xlsx


def test_anonymous_raw_export_has_no_place(client, placed, login_staff):
    world, staff, _tenant, _places = placed
    login_staff(client, staff)
    raw = client.get(f"/staff/results/{world.consultation.id}/responses.csv?lang=en").get_data(as_text=True)
    header = raw.splitlines()[0]
    assert "Neighbourhood" not in header and "Complex" not in header
    assert ",A," not in raw and ",B," not in raw


def test_confidential_raw_export_lists_the_place(client, app, two_hoods, make_world, make_staff,
                                                 login_staff):
    corporation, a1, _a2, _b1 = two_hoods
    world = make_world(corporation, privacy=PrivacyMode.CONFIDENTIAL, breakdown=Breakdown.COMPLEX)
    world.answer(full_answer(world, "a", ["a"], 4, 9, True, "3", ["a", "b", "c"], "good", "bad"),
                 place=(a1.neighbourhood_id, a1.id))
    db.session.commit()
    login_staff(client, make_staff(corporation, "publisher"))
    lines = client.get(f"/staff/results/{world.consultation.id}/responses.csv?lang=en").get_data(as_text=True)
    header, row = list(csv.reader(io.StringIO(lines)))
    assert header[2:4] == ["Neighbourhood", "Complex"] and row[2:4] == ["A", "A1"]


def test_xlsx_is_for_publishers_of_the_same_corporation(client, placed, make_staff, make_corporation, login_staff):
    world, _staff, _tenant, _places = placed
    url = f"/staff/results/{world.consultation.id}/results.xlsx"
    login_staff(client, make_staff(make_corporation(), "publisher"))
    assert client.get(url).status_code == 404
    other = client.application.test_client()
    login_staff(other, make_staff(db.session.get(Corporation, world.consultation.corporation_id), "partner"))
    assert other.get(url).status_code == 403


def test_ranking_and_matrix_rows_have_their_own_tables_in_every_language(client, app, ranked, make_staff,
                                                                         make_tenant, login_tenant, login_staff):
    """A ranking is shown per place by its first choices; a matrix has a table per row (page and CSV)."""
    app.config["RESULTS_PRIVACY_THRESHOLD"] = 5
    world, a1, _b1 = ranked
    tenant = make_tenant(db.session.get(Corporation, world.consultation.corporation_id), complex_=a1)
    world.invite(tenant)
    staff = make_staff(db.session.get(Corporation, world.consultation.corporation_id), "publisher")
    with app.test_request_context():
        services.publish(world.consultation, summary={"nl": "Samenvatting"}, correction_note=None, by=staff)
    db.session.commit()
    login_tenant(client, tenant)
    page = _plain(client.get(f"/results/{world.consultation.id}?lang=en").get_data(as_text=True))
    start = page.index("First choices in question 7 per neighbourhood")
    table = page[start:page.index("</table>", start)]
    assert '<th scope="row">A</th><td>16</td><td>5</td><td>5</td><td>6</td>' in table
    start = page.index("Question 8, <bdi>front</bdi>: answers per neighbourhood")
    table = page[start:page.index("</table>", start)]
    assert '<th scope="col">good</th><th scope="col">bad</th>' in table
    assert '<th scope="row">B</th><td>17</td><td>9</td><td>8</td>' in table
    assert "Question 8, <bdi>back</bdi>: answers per neighbourhood" in page
    for lang in ("nl", "tr", "ar", "pl"):
        response = client.get(f"/results/{world.consultation.id}?lang={lang}")
        text = response.get_data(as_text=True)
        # 8 tables: the ranking, the matrix's two rows and the five unanswered questions (all hidden).
        assert response.status_code == 200 and text.count('class="breakdown stack-table"') == 8
        assert "First choices" not in text and "<bdi>front</bdi>: answers" not in text
    login_staff(client, staff)
    rows = list(csv.reader(io.StringIO(client.get(f"/staff/results/{world.consultation.id}/results.csv?lang=en")
                                       .get_data(as_text=True))))
    assert ["Question matrix – back – B", "good", "12"] in rows
    assert ["Question rank – A", "c", "6"] in rows
    app.config.pop("RESULTS_PRIVACY_THRESHOLD", None)


def test_complex_rows_isolate_both_names_in_arabic(client, app, two_hoods, make_world, make_staff, make_tenant,
                                                   login_tenant):
    """A complex is named number first ("A1 …"): in an Arabic sentence the number moved behind the name."""
    app.config["RESULTS_PRIVACY_THRESHOLD"] = 5
    corporation, a1, a2, b1 = two_hoods
    a1.name = "<script>x</script> (fase 2)"
    world = make_world(corporation, breakdown=Breakdown.COMPLEX)
    fill_three_complexes(world, a1, a2, b1, Breakdown.COMPLEX)
    tenant = make_tenant(corporation, complex_=a1, language="ar")
    world.invite(tenant)
    with app.test_request_context():
        services.publish(world.consultation, summary={"nl": "Samenvatting"}, correction_note=None,
                         by=make_staff(corporation, "publisher"))
    db.session.commit()
    login_tenant(client, tenant)
    page = _plain(client.get(f"/results/{world.consultation.id}").get_data(as_text=True))
    assert '<th scope="row"><bdi>A1 &lt;script&gt;x&lt;/script&gt; (fase 2)</bdi> في <bdi>A</bdi></th>' in page
    assert '<th scope="row"><bdi>A2 Complex</bdi> في <bdi>A</bdi></th>' in page
    assert "<script>x" not in page
