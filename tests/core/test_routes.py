"""Every route: anonymous visitors are refused unless the view is public, and
staff of one corporation never reach another corporation's objects."""
from __future__ import annotations

import re

import pytest
from werkzeug.routing import IntegerConverter, Rule

from inspraak.core.security import MAX_INTEGER
from inspraak.extensions import db
from inspraak.notify.models import MessageStatus, OutboxMessage

SAMPLE_VALUES = {"token": "not-a-real-token", "code": "ACEFHKMNPR", "filename": "x.css", "lang": "nl", "kind": "x"}


def _rules(app) -> list[Rule]:
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]


def _int_arguments(rule: Rule) -> list[str]:
    return [name for name in rule.arguments if isinstance(rule._converters[name], IntegerConverter)]  # noqa: SLF001


def _fill(rule: Rule, ids: dict[str, int]) -> str:
    values = {}
    for name in rule.arguments:
        converter = rule._converters[name]  # noqa: SLF001
        values[name] = ids.get(name, 999_999) if isinstance(converter, IntegerConverter) else _fill_one(rule, name)
    return rule.build(values, append_unknown=False)[1]


def _fill_one(rule: Rule, name: str) -> str:
    """A value for an argument that is not a number."""
    converter = rule._converters[name]  # noqa: SLF001
    if converter.__class__.__name__ == "AnyConverter":
        return sorted(converter.items)[0]
    return SAMPLE_VALUES.get(name, "x")


def test_every_view_is_public_or_refuses_anonymous_visitors(app, client):
    checked = 0
    for rule in _rules(app):
        view = app.view_functions[rule.endpoint]
        if getattr(view, "is_public", False):
            continue
        url = _fill(rule, {})
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if method == "GET":
                response = client.get(url)
            else:
                response = client.open(url, method=method, data={"csrf_token": client.csrf_token()})
            assert response.status_code in (302, 401), f"{method} {url} answered {response.status_code} to an anonymous visitor"
            if response.status_code == 302:
                assert re.search(r"/(staff/)?sign-in", response.headers["Location"]), (method, url)
            checked += 1
    assert checked > 5


@pytest.fixture
def two_corporations(app, make_corporation, make_tenant, make_staff, make_council, make_meeting):
    """Staff of corporation A, and one object of every kind in corporation B."""
    import io

    from inspraak.core.timeutil import local_today
    from inspraak.council import advice
    from inspraak.council.attachments import store_attachment
    from inspraak.council.models import RequestKind, Subject

    mine, theirs = make_corporation(), make_corporation()
    me = make_staff(mine, "admin")
    their_tenant = make_tenant(theirs)
    their_staff = make_staff(theirs, "admin")
    their_mail = OutboxMessage(corporation_id=theirs.id, kind="results_published", to_address="t@example.org",
                               language="nl", subject="s", body_text="t", body_html="h", message_id="<routes@test>",
                               status=MessageStatus.FAILED)
    db.session.add(their_mail)
    db.session.commit()
    council, members = make_council(theirs, size=2)
    meeting, _motion = make_meeting(council, members[0])
    with app.test_request_context("/"):
        request = advice.send_request(
            council, subject=Subject.RENT_POLICY, kind=RequestKind.ADVICE, title={"nl": "Huur"}, body={"nl": "Advies"},
            source_language="nl", received_on=local_today(), period_days=42, by=their_staff,
        )
        attachment = store_attachment(io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "stukken.pdf", advice_request_id=request.id)
    db.session.commit()
    ids = {
        "person_id": their_tenant.id, "staff_id": their_staff.id, "council_id": council.id, "member_id": members[1].id,
        "meeting_id": meeting.id, "request_id": request.id, "attachment_id": attachment.id, "message_id": their_mail.id,
        **_their_consultation(theirs, their_tenant),
    }
    return me, ids


def _their_consultation(corporation, tenant) -> dict[str, int]:  # noqa: ANN001
    from inspraak.consultations.models import (
        Consultation,
        ConsultationStatus,
        Document,
        Invitation,
        Option,
        Question,
        QuestionType,
        Section,
    )

    consultation = Consultation(corporation_id=corporation.id, title={"nl": "Hun peiling"},
                                status=ConsultationStatus.OPEN)
    section = Section(position=1, title={})
    consultation.sections.append(section)
    db.session.add(consultation)
    db.session.flush()
    question = Question(consultation=consultation, section=section, position=1, type=QuestionType.SINGLE_CHOICE,
                        text={"nl": "Vraag"}, options=[Option(position=1, label={"nl": "Ja"})])
    invitation = Invitation(consultation=consultation, unit_key=f"p{tenant.id}", person_id=tenant.id,
                            code_salt="0" * 32, code_digest="0" * 64)
    document = Document(consultation=consultation, stored_name="routes-test.pdf", original_name="plan.pdf",
                        content_type="application/pdf", size=1)
    db.session.add_all([question, invitation, document])
    db.session.commit()
    return {"consultation_id": consultation.id, "section_id": section.id, "question_id": question.id,
            "item_id": question.options[0].id, "invitation_id": invitation.id,
            "document_id": document.id,
            **_their_results(consultation, question)}


def _their_results(consultation, question) -> dict[str, int]:  # noqa: ANN001
    from inspraak.results.models import Outcome, Quote

    outcome = Outcome(corporation_id=consultation.corporation_id, consultation_id=consultation.id, text={"nl": "Doen"})
    quote = Quote(corporation_id=consultation.corporation_id, consultation_id=consultation.id,
                  question_id=question.id, text={"nl": "Mooi"})
    db.session.add_all([outcome, quote])
    db.session.commit()
    return {"outcome_id": outcome.id, "quote_id": quote.id}



def test_staff_never_reach_another_corporations_objects(app, client, two_corporations, login_staff):
    me, ids = two_corporations
    login_staff(client, me)
    checked = 0
    for rule in _rules(app):
        int_args = _int_arguments(rule)
        if not int_args or not rule.rule.startswith("/staff"):
            continue
        missing = [n for n in int_args if n not in ids]
        assert not missing, f"add an object of the other corporation for {missing} ({rule.rule}) to this test"
        url = _fill(rule, ids)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            data = {"csrf_token": client.csrf_token("/staff/")} if method != "GET" else None
            response = client.open(url, method=method, data=data)
            assert response.status_code in (403, 404), f"{method} {url} answered {response.status_code}"
            checked += 1
    assert checked >= 3
    db.session.rollback()


def test_tenants_cannot_open_staff_pages(app, client, make_tenant, login_tenant):
    login_tenant(client, make_tenant())
    for rule in _rules(app):
        if rule.rule.startswith("/staff/") and "GET" in rule.methods and not rule.arguments:
            if getattr(app.view_functions[rule.endpoint], "is_public", False):
                continue
            assert client.get(rule.rule).status_code == 403, rule.rule


@pytest.mark.parametrize(
    ("roles", "path", "status"),
    [
        (("editor",), "/staff/accounts", 403),
        (("partner",), "/staff/tenants", 403),
        (("publisher",), "/staff/audit", 403),
        (("admin",), "/staff/audit", 200),
        (("data_entry",), "/staff/tenants", 200),
    ],
)
def test_roles_decide_staff_pages(client, make_staff, login_staff, roles, path, status):
    login_staff(client, make_staff(None, *roles))
    assert client.get(path).status_code == status


@pytest.mark.parametrize("number", [MAX_INTEGER + 1, 2**63, 10**30])
def test_a_number_beyond_any_id_in_an_address_is_not_found(app, client, make_staff, make_tenant, login_staff,
                                                            login_tenant, number):
    """SQLite cannot bind a number beyond 2**63 and PostgreSQL's integer ends at 2**31 - 1: such an
    address matches no route (404, never an error page), for staff with every role, for a tenant and signed out."""
    rules = [rule for rule in _rules(app) if _int_arguments(rule)]
    assert len(rules) > 40
    requests = [(method, rule.build({name: number if name in _int_arguments(rule) else _fill_one(rule, name)
                                     for name in rule.arguments}, append_unknown=False)[1])
                for rule in rules for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    assert str(number) in requests[0][1]  # werkzeug builds it; only matching refuses it
    for sign_in in (lambda: login_staff(client, make_staff(None, "admin", "editor", "publisher", "data_entry")),
                    lambda: login_tenant(client, make_tenant()), lambda: client.post_form("/sign-out")):
        sign_in()
        token = client.csrf_token()
        for method, url in requests:
            # 405 where werkzeug weighs the methods of a look-alike rule before the number
            assert client.open(url, method=method, data={"csrf_token": token}).status_code in (404, 405), (method, url)
    db.session.rollback()


def test_the_largest_id_still_reaches_the_view(app, client, make_staff, login_staff):
    login_staff(client, make_staff(None, "admin", "editor", "publisher"))
    assert client.get(f"/staff/consultations/{MAX_INTEGER}").status_code == 404  # the view's own "no such consultation"
    assert app.url_map.bind("localhost").match(f"/staff/consultations/{MAX_INTEGER}")[1] == {
        "consultation_id": MAX_INTEGER}
