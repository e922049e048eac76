"""Tenants without a code sign in with a single-use link by email, valid 15 minutes at most."""
import re
from datetime import timedelta

import sqlalchemy as sa

from inspraak.auth.models import EmailToken
from inspraak.core.db import utcnow
from inspraak.extensions import db
from inspraak.notify.models import OutboxMessage


def _link(message: OutboxMessage) -> str:
    return re.search(r"(/sign-in/link/[\w-]+)", message.body_text).group(1)


def test_link_is_mailed_in_the_tenants_language_and_works_once(client, make_tenant):
    person = make_tenant(email="ayse@example.org", language="tr")
    response = client.post_form("/sign-in/email", {"email": "Ayse@Example.org"})
    assert response.status_code == 303 and response.headers["Location"] == "/sign-in/email/sent"
    message = db.session.scalar(sa.select(OutboxMessage))
    assert message.language == "tr" and message.to_address == "ayse@example.org"
    assert message.holds_secret
    link = _link(message)
    assert client.get(link).status_code == 200  # a confirm page: opening does not use the link
    assert client.post_form(link, {}).status_code == 302
    assert client.get("/my").status_code == 200
    other = client.application.test_client()
    assert other.post_form(link, {}).status_code == 410
    assert person.id


def test_expired_link_does_not_work(client, make_tenant):
    make_tenant(email="old@example.org")
    client.post_form("/sign-in/email", {"email": "old@example.org"})
    link = _link(db.session.scalar(sa.select(OutboxMessage)))
    token = db.session.scalar(sa.select(EmailToken))
    assert token.expires_at - token.created_at <= timedelta(minutes=15)
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.get(link).status_code == 410
    assert client.post_form(link, {}).status_code == 410


def test_unknown_address_gets_the_same_answer_and_no_mail(client, make_tenant):
    make_tenant(email="known@example.org")
    known = client.post_form("/sign-in/email", {"email": "known@example.org"})
    unknown = client.post_form("/sign-in/email", {"email": "unknown@example.org"})
    assert known.status_code == unknown.status_code == 303
    assert known.headers["Location"] == unknown.headers["Location"]
    assert known.get_data(as_text=True) == unknown.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 1


def test_tokens_are_stored_hashed(client, make_tenant):
    make_tenant(email="hash@example.org")
    client.post_form("/sign-in/email", {"email": "hash@example.org"})
    token = _link(db.session.scalar(sa.select(OutboxMessage))).rsplit("/", 1)[1]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EmailToken).where(EmailToken.token_digest == token)) == 0


def test_ended_tenancy_cannot_get_in_and_is_signed_out(client, make_tenant, login_tenant):
    from datetime import date

    person = make_tenant(email="moving@example.org")
    login_tenant(client, person)
    assert client.get("/my").status_code == 200
    person.tenancy.end_date = date(2021, 1, 1)
    db.session.commit()
    assert client.get("/my").status_code == 302
    client.post_form("/sign-in/email", {"email": "moving@example.org"})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0
