"""Double clicks, two tabs and concurrent requests store exactly one response per counting unit."""
from __future__ import annotations

import threading

import sqlalchemy as sa

from inspraak.consultations.models import Participation, Response
from inspraak.extensions import db

THREADS = 20


def _fill_draft(client, survey):  # noqa: ANN001, ANN202
    page = f"/consultations/{survey.id}/page/1"
    client.post_form(page, {f"q{survey.choice}": str(survey.car), "action": "next"}, token_from=page)
    client.post_form(f"/consultations/{survey.id}/page/2", {f"q{survey.score}": "7", "action": "next"},
                     token_from=page)


def _race(app, clients_and_tokens, survey):  # noqa: ANN001, ANN202
    barrier = threading.Barrier(len(clients_and_tokens))
    statuses: list[int] = []
    lock = threading.Lock()

    def submit(client, token):  # noqa: ANN001, ANN202
        with app.app_context():  # each thread is its own request, with its own session
            barrier.wait()
            status = client.post(f"/consultations/{survey.id}/review", data={"csrf_token": token}).status_code
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=submit, args=pair) for pair in clients_and_tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def _count(model) -> int:  # noqa: ANN001
    value = db.session.scalar(sa.select(sa.func.count()).select_from(model))
    db.session.commit()
    return value


def test_twenty_requests_for_one_unit_store_one_response(app, editor, make_survey, make_tenant, login_tenant):
    person = make_tenant(editor.corporation)
    survey = make_survey(editor)
    clients = []
    for _ in range(THREADS):
        client = app.test_client()
        login_tenant(client, person)
        clients.append(client)
    _fill_draft(clients[0], survey)
    pairs = [(client, client.csrf_token(f"/consultations/{survey.id}")) for client in clients]
    statuses = _race(app, pairs, survey)
    assert all(status < 500 for status in statuses), statuses
    assert statuses.count(302) == 1, statuses
    assert set(statuses) <= {302, 409}, statuses
    assert _count(Response) == 1
    assert _count(Participation) == 1


def test_twenty_units_at_once_store_twenty_responses(app, editor, make_survey, make_tenant, login_tenant):
    persons = [make_tenant(editor.corporation) for _ in range(THREADS)]
    survey = make_survey(editor)
    pairs = []
    for person in persons:
        client = app.test_client()
        login_tenant(client, person)
        _fill_draft(client, survey)
        pairs.append((client, client.csrf_token(f"/consultations/{survey.id}")))
    statuses = _race(app, pairs, survey)
    assert statuses == [302] * THREADS
    assert _count(Response) == THREADS
    assert _count(Participation) == THREADS
