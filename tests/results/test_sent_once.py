"""A planned action or a quote sent twice (a double click, a resent form, two requests at once) is stored once."""
from __future__ import annotations

import sqlalchemy as sa

from inspraak.consultations.models import Answer
from inspraak.core.once import SentForm, new_token
from inspraak.extensions import db
from inspraak.results.models import Outcome, Quote
from tests.concurrency import race_posts
from tests.once import damaged_form_comes_back
from tests.results.conftest import full_answer


def _count(model, consultation_id: int) -> int:  # noqa: ANN001
    value = db.session.scalar(sa.select(sa.func.count()).select_from(model).where(model.consultation_id == consultation_id))
    db.session.commit()
    return value


def _closed(make_corporation, make_world, make_staff):  # noqa: ANN001, ANN202
    corporation = make_corporation()
    world = make_world(corporation)
    world.answer(full_answer(world, "a", ["a"], 4, 9, True, "3", ["a", "b", "c"], "good", "bad", "Mooi plein"))
    db.session.commit()
    world.corporation = corporation
    return world, make_staff(corporation, "publisher")


def test_an_action_sent_twice_is_added_once_and_both_land_on_the_actions(client, make_corporation, make_world,
                                                                          make_staff, login_staff):
    world, staff = _closed(make_corporation, make_world, make_staff)
    login_staff(client, staff)
    cid = world.consultation.id
    show = f"/staff/results/{cid}"
    assert 'name="once"' in client.get(show).get_data(as_text=True)
    data = {"text": "Bankjes", "once": new_token()}
    first = client.post_form(f"{show}/outcomes", data, token_from=show)
    second = client.post_form(f"{show}/outcomes", data, token_from=show)
    assert first.status_code == second.status_code == 302
    assert first.location == second.location and first.location.endswith(f"{show}#outcomes")
    assert _count(Outcome, cid) == 1
    # A new form (a new token) adds a new action, even with the same words.
    assert client.post_form(f"{show}/outcomes", {**data, "once": new_token()}, token_from=show).status_code == 302
    assert _count(Outcome, cid) == 2


def test_a_refused_action_can_be_sent_again_with_the_same_form(client, make_corporation, make_world, make_staff,
                                                               login_staff):
    world, staff = _closed(make_corporation, make_world, make_staff)
    login_staff(client, staff)
    show = f"/staff/results/{world.consultation.id}"
    token = new_token()
    assert client.post_form(f"{show}/outcomes", {"text": "   ", "once": token}, token_from=show).status_code == 400
    assert client.post_form(f"{show}/outcomes", {"text": "Bankjes", "once": token}, token_from=show).status_code == 302
    assert _count(Outcome, world.consultation.id) == 1


def test_an_action_needs_a_well_formed_token(client, make_corporation, make_world, make_staff, login_staff):
    world, staff = _closed(make_corporation, make_world, make_staff)
    login_staff(client, staff)
    show = f"/staff/results/{world.consultation.id}"
    # A newline after a token of the right length is not part of the shape (PostgreSQL refused 65 characters: a 500).
    for token in (None, "", "short", "x" * 65, "<script>alert(1)</script>" * 2, "x" * 64 + "\n", "x" * 16 + "\n"):
        data = {"text": "Bankjes"} if token is None else {"text": "Bankjes", "once": token}
        assert client.post_form(f"{show}/outcomes", data, token_from=show).status_code == 400, token
    assert client.post(f"{show}/outcomes", data={"text": "Bankjes", "once": new_token()}).status_code == 400  # no CSRF
    assert _count(Outcome, world.consultation.id) == 0


def test_someone_elses_token_changes_nothing(app, client, make_corporation, make_world, make_staff, login_staff):
    world, staff = _closed(make_corporation, make_world, make_staff)
    show = f"/staff/results/{world.consultation.id}"
    data = {"text": "Bankjes", "once": new_token()}
    login_staff(client, staff)
    assert client.post_form(f"{show}/outcomes", data, token_from=show).status_code == 302
    other = app.test_client()
    login_staff(other, make_staff(world.corporation, "publisher"))
    assert other.post_form(f"{show}/outcomes", data, token_from=show).status_code == 409
    assert _count(Outcome, world.consultation.id) == 1


def test_a_quote_chosen_twice_is_added_once(client, make_corporation, make_world, make_staff, login_staff):
    world, staff = _closed(make_corporation, make_world, make_staff)
    login_staff(client, staff)
    cid = world.consultation.id
    assert 'name="once"' in client.get(f"/staff/results/{cid}/answers").get_data(as_text=True)
    rid = db.session.scalar(sa.select(Answer.response_id).where(Answer.question_id == world.q["text"].id))
    data = {"response_id": rid, "question_id": world.q["text"].id, "item": 0, "once": new_token()}
    responses = [client.post_form(f"/staff/results/{cid}/quotes", data, token_from=f"/staff/results/{cid}")
                 for _ in range(2)]
    assert [r.status_code for r in responses] == [302, 302] and responses[0].location == responses[1].location
    assert _count(Quote, cid) == 1


def test_an_action_sent_at_the_same_moment_is_added_once(app, make_corporation, make_world, make_staff, login_staff):
    world, staff = _closed(make_corporation, make_world, make_staff)
    show = f"/staff/results/{world.consultation.id}"
    clients = []
    for _ in range(4):  # one session each, as a double click in a browser that sends both
        client = app.test_client()
        login_staff(client, staff)
        clients.append(client)
    data = {"text": "Bankjes", "once": new_token()}
    statuses = race_posts(app, [(c, f"{show}/outcomes", {**data, "csrf_token": c.csrf_token(show)}) for c in clients])
    assert statuses == [302] * 4
    assert _count(Outcome, world.consultation.id) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SentForm)) == 1


def test_an_action_or_quote_whose_hidden_fields_were_damaged_says_so(client, make_corporation, make_world, make_staff,
                                                                     login_staff):
    """A token left out or changed, or a quote's hidden answer changed by hand: the page says so (400); an action
    comes back as typed; nothing is stored."""
    world, staff = _closed(make_corporation, make_world, make_staff)
    login_staff(client, staff)
    cid = world.consultation.id
    show = f"/staff/results/{cid}"
    for once in ({}, {"once": "bad token!"}):
        damaged_form_comes_back(client.post_form(f"{show}/outcomes", {"text": "Bankjes plaatsen", **once},
                                                 token_from=show), {"text": "Bankjes plaatsen"})
    rid = db.session.scalar(sa.select(Answer.response_id).where(Answer.question_id == world.q["text"].id))
    good = {"response_id": rid, "question_id": world.q["text"].id, "item": 0, "once": new_token()}
    for damaged in ({"once": ""}, {"item": "x"}, {"question_id": ""}, {"question_id": "9" * 30}):
        damaged_form_comes_back(client.post_form(f"{show}/quotes", {**good, **damaged}, token_from=show), {})
    assert _count(Outcome, cid) == 0 and _count(Quote, cid) == 0
