"""Exports read through the view as a server sends them: the body after the request's context is gone."""
from __future__ import annotations

import csv
import io
import json
import threading

import pytest
from flask.testing import FlaskClient

from inspraak.consultations.models import Breakdown, ConsultationStatus, PrivacyMode
from inspraak.extensions import db
from inspraak.results import services
from tests.results.conftest import full_answer


def _download(client, url: str) -> tuple[int, bytes]:  # noqa: ANN001
    """GET ``url`` as a WSGI server would: no app context around it, the body read after the request ended.

    In another thread (contexts are not inherited) and past the test client's own app context, so
    the view's database session is removed before the streamed body is read, as in production.
    """
    result: dict = {}

    def run() -> None:
        try:
            response = FlaskClient.open(client, url)
            result["status"], result["body"] = response.status_code, response.get_data()
        except BaseException as error:  # noqa: BLE001 - handed to the test below
            result["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["status"], result["body"]


@pytest.fixture
def answered(app, make_corporation, make_world, make_staff, make_tenant, login_staff, client):  # noqa: ANN001, ANN201
    def make(privacy: PrivacyMode, status: ConsultationStatus = ConsultationStatus.CLOSED):  # noqa: ANN202
        corporation = make_corporation()
        world = make_world(corporation, privacy=privacy, status=status, breakdown=Breakdown.NONE)
        person = make_tenant(corporation, name="Ada Lovelace")
        world.answer(full_answer(world, "b", ["a", "c"], 2, 6, False, "4.5", ["c", "b", "a"], "good", "bad", "Hallo"),
                     person=person if privacy is PrivacyMode.NAMED else None)
        for _n in range(2):
            world.answer(full_answer(world, "a", ["b"], 4, 8, True, "3", ["a", "b", "c"], "bad", "good"))
        staff = make_staff(corporation, "publisher")
        db.session.commit()
        login_staff(client, staff)
        return world, staff

    return make


@pytest.mark.parametrize("privacy", list(PrivacyMode))
def test_raw_export_streams_every_response_after_the_request(client, answered, privacy):
    world, _staff = answered(privacy)
    status, body = _download(client, f"/staff/results/{world.consultation.id}/responses.csv?lang=en")
    assert status == 200
    rows = list(csv.reader(io.StringIO(body.decode())))
    assert len(rows) == 4
    assert rows[0][:2] == ["Response", "Date"]
    assert ("Name" in rows[0]) is (privacy is PrivacyMode.NAMED)
    assert "Question matrix – front" in rows[0]
    records = [dict(zip(rows[0], row)) for row in rows[1:]]  # in response order: random ids
    first = next(record for record in records if record["Question text"])
    assert first["Question number"] == "4.5" and first["Question rank"] == "1. c; 2. b; 3. a"
    assert first["Question yes"] == "No" and first["Question text"] == "Hallo"
    assert (first.get("Name") == "Ada Lovelace") is (privacy is PrivacyMode.NAMED)
    assert sorted(record["Question choice"] for record in records) == ["a", "a", "b"]


@pytest.mark.parametrize("privacy", list(PrivacyMode))
def test_aggregate_exports_read_whole_after_the_request(client, answered, privacy):
    world, _staff = answered(privacy)
    cid = world.consultation.id
    status, body = _download(client, f"/staff/results/{cid}/results.csv?lang=en")
    assert status == 200
    rows = list(csv.reader(io.StringIO(body.decode())))
    assert rows[0] == ["Question", "Answer", "Number of people"]
    assert ["Took part", "", "fewer than 10"] in rows
    status, body = _download(client, f"/staff/results/{cid}/results.xlsx?lang=en")
    assert status == 200 and body[:2] == b"PK"


@pytest.mark.parametrize("privacy", list(PrivacyMode))
def test_open_data_reads_whole_after_the_request(app, client, answered, privacy):
    world, staff = answered(privacy)
    with app.test_request_context():
        services.publish(world.consultation, summary={"nl": "Samenvatting"}, correction_note=None, by=staff)
    db.session.commit()
    status, body = _download(client, f"/open-data/consultations/{world.consultation.id}.json")
    assert status == 200
    data = json.loads(body)
    assert data["consultation_id"] == world.consultation.id and data["results"]["participants"] is not None
