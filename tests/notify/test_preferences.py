"""Tenants choose which optional mail they get; one link in a mail stops a kind without signing in."""
from __future__ import annotations

import sqlalchemy as sa

from inspraak.extensions import db
from inspraak.notify import services
from inspraak.notify.kinds import optional_kinds
from inspraak.notify.models import NotificationPreference, OutboxMessage
from inspraak.notify.worker import SMTPBackend, drain
from tests.notify.conftest import sample_context


def invite(person, kind="consultation_invitation", **kwargs):  # noqa: ANN001, ANN003, ANN201
    """Queue a mail for the person; returns its unsubscribe link, or None when nothing was queued."""
    message = services.enqueue(kind, to_address=person.email, language=person.preferred_language,
                               context=sample_context(person.tenancy.dwelling.complex.neighbourhood.corporation),
                               corporation_id=person.corporation_id, person_id=person.id, **kwargs)
    url = message.unsubscribe_url if message else None
    queued = message is not None
    db.session.commit()
    return url if queued else None


def choices(person_id: int) -> dict[str, bool]:
    """The saved choices, read in a transaction that ends at once (SQLite: so requests can write)."""
    result = services.list_preferences(person_id)
    db.session.rollback()
    return result


def wants(person_id: int, kind: str) -> bool:
    result = services.wants_kind(person_id, kind)
    db.session.rollback()
    return result


def path_of(url: str) -> str:
    return url.removeprefix("https://inspraak.example")


def test_unsubscribe_link_shows_a_page_then_stops_that_kind_only(client, make_tenant):
    person = make_tenant(email="jan@example.org", language="ar")
    url = path_of(invite(person))
    page = client.get(url)
    assert page.status_code == 200 and 'dir="rtl"' in page.get_data(as_text=True)
    assert choices(person.id)["consultation_invitation"], "a GET changes nothing"
    response = client.post_form(url, {}, token_from=url)
    assert response.status_code == 200
    assert [kind for kind, on in choices(person.id).items() if not on] == ["consultation_invitation"]
    assert invite(person) is None, "switched off: not queued"
    assert invite(person, kind="results_published") is not None
    with client.application.test_request_context("/sign-in/link", method="POST"):
        from inspraak.auth.services import request_sign_in_link

        assert request_sign_in_link("jan@example.org") == 1, "essential mail always goes"


def test_unsubscribe_post_needs_the_csrf_token_of_the_page(client, make_tenant):
    person = make_tenant(email="jan@example.org")
    url = path_of(invite(person))
    assert client.post(url, data={}).status_code == 400
    assert wants(person.id, "consultation_invitation")


def test_mail_programs_can_unsubscribe_in_one_click(app, client, smtp, make_tenant):
    person = make_tenant(email="jan@example.org")
    invite(person)
    drain(SMTPBackend(app.config))
    [mail] = smtp.messages
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = path_of(mail["List-Unsubscribe"].strip().strip("<>"))
    response = client.post(url, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not wants(person.id, "consultation_invitation")


def test_a_damaged_or_foreign_token_does_not_work(client, make_tenant):
    person = make_tenant(email="jan@example.org")
    url = path_of(invite(person))
    token = url.split("/")[-1].split("?")[0]
    # One letter changed inside the signature, which ends the token. Not its last two letters: the last one
    # carries only 4 bits, and "…xw" made "…xx" read back as the same signature (for one person id in 1000,
    # which on PostgreSQL, whose ids keep counting, was a matter of chance).
    damaged = token[:-10] + ("A" if token[-10] != "A" else "B") + token[-9:]
    assert client.get(url.replace(token, damaged)).status_code == 404
    essential = services.URLSafeSerializer("testing-secret", salt=services.UNSUBSCRIBE_SALT).dumps([person.id, "sign_in_link"])
    assert client.get(f"/mail/unsubscribe/{essential}").status_code == 404
    other_key = services.URLSafeSerializer("another-key", salt=services.UNSUBSCRIBE_SALT).dumps([person.id, "vote_opened"])
    assert client.post_form(f"/mail/unsubscribe/{other_key}", {}).status_code == 404
    assert wants(person.id, "vote_opened")


def test_preferences_page_saves_each_kind(client, make_tenant, login_tenant):
    person = make_tenant(email="jan@example.org")
    login_tenant(client, person)
    page = client.get("/account/mail")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    tenant_kinds = len([kind for kind in optional_kinds() if kind.for_tenants])
    assert tenant_kinds == 8
    assert html.count('type="checkbox"') == tenant_kinds and html.count("checked") == tenant_kinds
    kept = {"consultation_invitation": "y", "vote_opened": "y"}
    response = client.post_form("/account/mail", kept, token_from="/account/mail")
    assert response.status_code == 302
    saved = choices(person.id)
    assert {kind for kind, on in saved.items() if on} == {"consultation_invitation", "vote_opened"}
    assert client.get("/account/mail").get_data(as_text=True).count("checked") == 2
    client.post_form("/account/mail", {**kept, "results_published": "y"}, token_from="/account/mail")
    assert wants(person.id, "results_published")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(NotificationPreference)) == tenant_kinds


def test_preferences_page_is_for_tenants(client, make_staff, sign_in_staff):
    assert client.get("/account/mail").status_code == 302
    staff = make_staff()
    sign_in_staff(client, staff)
    assert client.get("/account/mail").status_code == 403


def test_preferences_page_needs_csrf_and_renders_right_to_left(client, make_tenant, login_tenant):
    person = make_tenant(email="jan@example.org")
    login_tenant(client, person)
    assert client.post("/account/mail", data={}).status_code == 400
    assert wants(person.id, "results_published")
    assert 'dir="rtl"' in client.get("/account/mail?lang=ar").get_data(as_text=True)


def test_account_page_links_to_the_preferences(client, make_tenant, login_tenant):
    login_tenant(client, make_tenant())
    assert "/account/mail" in client.get("/account").get_data(as_text=True)


def test_no_rows_are_queued_for_a_switched_off_kind(app, make_tenant):
    person = make_tenant(email="jan@example.org")
    services.set_preferences(person.id, {"results_published": False})
    db.session.commit()
    assert invite(person, kind="results_published") is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0
