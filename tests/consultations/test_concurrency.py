"""Double clicks, two tabs and concurrent requests store exactly one response per counting unit."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from inspraak.consultations.models import Participation, Response
from inspraak.core.once import new_token
from inspraak.extensions import db
from tests.concurrency import race_posts

THREADS = 20


def _fill_draft(client, survey):  # noqa: ANN001, ANN202
    page = f"/consultations/{survey.id}/page/1"
    client.post_form(page, {f"q{survey.choice}": str(survey.car), "action": "next"}, token_from=page)
    client.post_form(f"/consultations/{survey.id}/page/2", {f"q{survey.score}": "7", "action": "next"},
                     token_from=page)


def _race(app, clients_and_tokens, survey):  # noqa: ANN001, ANN202
    """Every client sends its review page at the same moment."""
    return race_posts(app, [(client, f"/consultations/{survey.id}/review", {"csrf_token": token})
                             for client, token in clients_and_tokens])


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


def test_one_paper_form_typed_in_by_ten_clerks_at_once_is_stored_once(app, editor, make_staff, make_tenant,
                                                                      make_survey, login_staff):
    """The same returned form, entered by several clerks at the same moment: one response, the rest told so."""
    from inspraak.consultations import invitations
    from inspraak.consultations.models import Invitation

    make_tenant(editor.corporation)
    survey = make_survey(editor)
    with app.test_request_context():
        code = invitations.code_of(db.session.scalar(sa.select(Invitation)))
    db.session.commit()
    answers = {"code": code, f"q{survey.choice}": str(survey.bike), f"q{survey.score}": "7", f"q{survey.why}": "Gezond"}
    posts = []
    for _ in range(10):
        client = app.test_client()
        login_staff(client, make_staff(editor.corporation, "data_entry"))
        posts.append((client, "/staff/consultations/entry/answers",
                      {**answers, "once": new_token(), "csrf_token": client.csrf_token("/staff/consultations/entry")}))
    statuses = race_posts(app, posts)
    assert all(status < 500 for status in statuses), statuses
    assert statuses.count(302) == 1, statuses
    assert _count(Response) == 1 and _count(Participation) == 1


def test_a_tenant_and_a_clerk_answering_for_the_same_home_at_once_store_one(app, editor, make_staff, make_tenant,
                                                                              make_survey, login_tenant, login_staff):
    """Online (the tenant's own draft) and assisted (staff at the door) for the same unit, ten times each."""
    person = make_tenant(editor.corporation)
    survey = make_survey(editor)
    posts = []
    for _ in range(10):
        tenant = app.test_client()
        login_tenant(tenant, person)
        if not posts:
            _fill_draft(tenant, survey)
        posts.append((tenant, f"/consultations/{survey.id}/review",
                      {"csrf_token": tenant.csrf_token(f"/consultations/{survey.id}")}))
        clerk = app.test_client()
        login_staff(clerk, make_staff(editor.corporation, "data_entry"))
        assist = f"/staff/consultations/{survey.id}/assist"
        posts.append((clerk, f"{assist}/answers", {
            "person_number": person.person_number, f"q{survey.choice}": str(survey.car), f"q{survey.score}": "6",
            f"q{survey.why}": "Auto", "once": new_token(), "csrf_token": clerk.csrf_token(assist)}))
    statuses = race_posts(app, posts)
    assert all(status < 500 for status in statuses), statuses
    assert statuses.count(302) == 1, statuses
    assert _count(Response) == 1 and _count(Participation) == 1


def test_two_adults_of_one_home_sending_at_once_store_one_answer_and_no_error(
        app, editor, make_survey, make_tenant, login_tenant):
    """Confidential, one answer per home: both adults send their own answers at the same moment, from
    several tabs each. One home answer is stored, by one of them; the other hears that it was answered."""
    from inspraak.consultations.models import CountingUnit, PrivacyMode

    first = make_tenant(editor.corporation)
    second = make_tenant(tenancy=first.tenancy)
    survey = make_survey(editor, unit=CountingUnit.DWELLING, privacy=PrivacyMode.CONFIDENTIAL)
    pairs = []
    for person in (first, second):
        filled = False
        for _ in range(5):
            client = app.test_client()
            login_tenant(client, person)
            if not filled:
                _fill_draft(client, survey)
                filled = True
            pairs.append((client, client.csrf_token(f"/consultations/{survey.id}")))
    statuses = _race(app, pairs, survey)
    assert all(status < 500 for status in statuses), statuses
    assert set(statuses) <= {302, 409}, statuses
    assert _count(Response) == 1 and _count(Participation) == 1
    sender = db.session.scalar(sa.select(Response.person_id))
    db.session.commit()
    winners = {person.id for person, status in zip([first] * 5 + [second] * 5, statuses, strict=True)
               if status == 302}
    assert winners == {sender}  # only the sender's own tabs may have changed it after the first


def test_a_copy_or_a_new_code_sent_at_the_same_moment_is_made_once(app, editor, make_survey, make_tenant, login_staff):
    """A double click whose two requests arrive together: one copy, one new code, and both land on its page."""
    from inspraak.consultations.models import Consultation, Invitation
    from inspraak.core.once import new_token

    make_tenant(editor.corporation)
    survey = make_survey(editor)
    invitation = db.session.scalar(sa.select(Invitation).where(Invitation.consultation_id == survey.id))
    base = f"/staff/consultations/{survey.id}"
    clients = []
    for _ in range(4):
        client = app.test_client()
        login_staff(client, editor)
        clients.append(client)
    tokens = [c.csrf_token(base) for c in clients]
    copy_form = {"once": new_token()}
    statuses = race_posts(app, [(c, f"{base}/duplicate", {**copy_form, "csrf_token": t}) for c, t in zip(clients, tokens)])
    assert statuses == [302] * 4
    assert _count(Consultation) == 2
    code_form = {"once": new_token(), "generation": "1"}
    statuses = race_posts(app, [(c, f"{base}/invitations/{invitation.id}/reissue", {**code_form, "csrf_token": t})
                                for c, t in zip(clients, tokens)])
    assert statuses == [302] * 4
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).code_generation == 2
    db.session.commit()


def test_a_new_consultation_sent_at_the_same_moment_is_made_once(app, editor, login_staff):
    """A double click whose requests arrive together: one draft, and every request lands on its page."""
    from inspraak.consultations.models import Consultation
    from inspraak.core.once import new_token

    page = "/staff/consultations/new"
    clients = []
    for _ in range(4):  # one session each, as a double click in a browser that sends both
        client = app.test_client()
        login_staff(client, editor)
        clients.append(client)
    form = {"title": "Tuin", "source_language": "nl", "kind": "survey", "complex_id": "0", "once": new_token()}
    posts = [(c, page, {**form, "csrf_token": c.csrf_token(page)}) for c in clients]
    db.session.commit()
    assert race_posts(app, posts) == [302] * 4
    assert _count(Consultation) == 1


def test_invitations_and_reminders_mailed_by_eight_presses_at_once_reach_each_tenant_once(
        app, editor, make_survey, make_tenant, login_staff):
    """Two editors (or a double click) press "mail the invitations" at the same moment: one mail per tenant."""
    from inspraak.notify.models import OutboxMessage

    addresses = [make_tenant(editor.corporation, email=f"huurder{n}@example.org").email for n in range(5)]
    survey = make_survey(editor)
    base = f"/staff/consultations/{survey.id}"
    clients = []
    for _ in range(8):
        client = app.test_client()
        login_staff(client, editor)
        clients.append((client, client.csrf_token(base)))
    for kind, message in (("invitations", "consultation_invitation"), ("reminders", "consultation_reminder")):
        statuses = race_posts(app, [(c, f"{base}/mail/{kind}", {"csrf_token": t}) for c, t in clients])
        assert statuses == [302] * 8
        mailed = db.session.scalars(sa.select(OutboxMessage.to_address).where(OutboxMessage.kind == message)).all()
        db.session.commit()
        assert sorted(mailed) == sorted(addresses), kind


TRANSLATIONS = [("text", "en"), ("text", "tr"), ("text", "ar"), ("text", "pl"),
                ("help", "nl"), ("help", "en"), ("help", "tr"), ("help", "ar")]


def test_eight_editors_translating_one_question_at_once_keep_every_translation(app, editor, make_survey, login_staff):
    """Each editor opened the question and fills in one box: before, each save put back the boxes as its
    editor had seen them, so only the last translation stayed and seven were lost without a word."""
    from inspraak.consultations.models import Question
    from tests.concurrency import form_values

    survey = make_survey(editor, open=False)
    page = f"/staff/consultations/{survey.id}/questions/{survey.score}"
    posts = []
    for name, lang in TRANSLATIONS:
        client = app.test_client()
        login_staff(client, editor)
        posts.append((client, page, {**form_values(client, page), f"{name}_{lang}": f"{name} in {lang}"}))
    assert race_posts(app, posts) == [302] * len(TRANSLATIONS)
    db.session.expire_all()
    question = db.session.get(Question, survey.score)
    texts = {"text": question.text, "help": question.help}
    db.session.commit()
    assert all(texts[name][lang] == f"{name} in {lang}" for name, lang in TRANSLATIONS), texts
    assert texts["text"]["nl"] == "Welk cijfer geeft u uw buurt?"


def test_one_text_changed_by_two_editors_is_refused_to_the_second_with_both_texts(app, editor, make_survey,
                                                                                 login_staff):
    """The second save shows the first editor's text beside the box and keeps the second editor's own;
    nothing is lost, and saving that page again stores the second text knowingly."""
    from inspraak.consultations.models import Consultation
    from tests.concurrency import form_values, read_forms

    survey = make_survey(editor, open=False)
    page = f"/staff/consultations/{survey.id}/texts"
    first, second = app.test_client(), app.test_client()
    login_staff(first, editor)
    login_staff(second, editor)
    first_form, second_form = form_values(first, page), form_values(second, page)
    assert first.post(page, data={**first_form, "intro_en": "Welcome", "outro_tr": "Teşekkürler"}).status_code == 302
    refused = second.post(f"{page}?lang=en", data={**second_form, "intro_en": "Hello", "outro_pl": "Dziękujemy"})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "Someone else changed this text at the same moment. It now reads: “<bdi>Welcome</bdi>”" in body
    db.session.expire_all()
    consultation = db.session.get(Consultation, survey.id)
    assert consultation.intro.get("en") == "Welcome" and "pl" not in (consultation.outro or {})
    db.session.commit()
    again = read_forms(body)[""]  # the refused page, as the second editor's browser sends it again
    assert again["intro_en"] == "Hello" and again["outro_tr"] == "Teşekkürler" and again["outro_pl"] == "Dziękujemy"
    assert second.post(page, data=again).status_code == 302
    db.session.expire_all()
    consultation = db.session.get(Consultation, survey.id)
    assert consultation.intro["en"] == "Hello" and consultation.outro["tr"] == "Teşekkürler"
    assert consultation.outro["pl"] == "Dziękujemy"
    db.session.commit()


def test_an_answer_sent_while_a_long_import_holds_the_database_is_told_to_wait_not_an_error(
        app, editor, make_survey, make_tenant, login_tenant, monkeypatch):
    """SQLite (`make run`): a tenant import of many thousands of homes holds the write lock longer than a
    request waits for it. The tenant sending answers meanwhile got an error page (500, "database is
    locked"); now a page that says the site is busy, nothing was saved, and to send again in a minute."""
    import sqlite3

    from inspraak.core import db as core_db

    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's single writer")
    person = make_tenant(editor.corporation)
    survey = make_survey(editor)
    client = app.test_client()
    login_tenant(client, person)
    _fill_draft(client, survey)
    token = client.csrf_token(f"/consultations/{survey.id}")
    monkeypatch.setattr(core_db, "SQLITE_BUSY_TIMEOUT_MS", 50)
    db.session.commit()
    db.engine.dispose()  # new connections wait 50 ms instead of 10 s
    importer = sqlite3.connect(db.engine.url.database, isolation_level=None)
    importer.execute("BEGIN IMMEDIATE")  # the long import, still writing
    try:
        busy = client.post(f"/consultations/{survey.id}/review", data={"csrf_token": token})
    finally:
        importer.execute("ROLLBACK")
        importer.close()
    assert busy.status_code == 503 and busy.headers["Retry-After"] == "30"
    assert "Wacht een minuut en stuur het opnieuw." in busy.get_data(as_text=True)  # in Dutch, the first language
    assert _count(Response) == 0
    assert client.post(f"/consultations/{survey.id}/review", data={"csrf_token": token}).status_code == 302
    assert _count(Response) == 1


def test_a_deadlock_or_a_lock_timeout_on_postgresql_counts_as_busy() -> None:
    """PostgreSQL's losers of a deadlock or a lock wait are told to send again (503), like SQLite's."""
    import psycopg.errors

    from inspraak.core.db import is_busy

    for error in (psycopg.errors.DeadlockDetected(), psycopg.errors.LockNotAvailable(),
                  psycopg.errors.SerializationFailure()):
        assert is_busy(sa.exc.OperationalError("UPDATE motion", {}, error))
    assert not is_busy(sa.exc.IntegrityError("INSERT", {}, psycopg.errors.UniqueViolation()))
    assert not is_busy(sa.exc.OperationalError("SELECT", {}, psycopg.errors.UndefinedTable()))


def test_a_question_deleted_while_a_condition_on_it_is_saved_leaves_no_condition_on_nothing(app, editor, make_survey,
                                                                                            login_staff):
    """One editor deletes a question while another makes a later question depend on it, at the same moment.
    Either the deletion is refused (the question is now used by a condition) or the condition is (its question
    is gone); before, both were saved, and the later question waited for an answer that can never come."""
    from inspraak.consultations.conditions import referenced_questions
    from inspraak.consultations.models import Question
    from tests.concurrency import form_values

    for _ in range(3):
        survey = make_survey(editor, open=False)
        base = f"/staff/consultations/{survey.id}/questions"
        deleting, conditioning = app.test_client(), app.test_client()
        login_staff(deleting, editor)
        login_staff(conditioning, editor)
        edit = form_values(conditioning, f"{base}/{survey.score}")
        edit.update(rule1_target=f"{survey.why}|", rule1_op="answered")
        statuses = race_posts(app, [
            (deleting, f"{base}/{survey.why}/delete", {"csrf_token": deleting.csrf_token(f"{base}/{survey.why}")}),
            (conditioning, f"{base}/{survey.score}", edit),
        ])
        assert all(status < 500 for status in statuses), statuses
        questions = db.session.scalars(sa.select(Question).where(Question.consultation_id == survey.id)).all()
        db.session.commit()
        ids = {q.id for q in questions}
        for question in questions:
            assert referenced_questions(question.condition) <= ids, (statuses, question.condition, ids)
