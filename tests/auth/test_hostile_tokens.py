"""Hostile input on the forms behind a mailed link (a new password, a sign-in link) and on signing out:
never a server error; a refused password comes back 400 with the message beside it in the reader's language,
the link unused and the password unchanged; a forged link or token changes nothing."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from inspraak.auth.models import EmailToken
from inspraak.extensions import db
from inspraak.notify.models import OutboxMessage
from inspraak.people.models import StaffUser
from tests.hostile import VALUES, post_raw, send_all

# Tokens a forger puts in the address: too long, NUL, a lone surrogate's bytes, path tricks, numbers.
HOSTILE_TOKENS = ["x" * 100_000, "%00", "a%00b", "%ED%A0%80", "..%2F..%2Fetc", "-1", str(10**30), "NaN",
                  "%E2%80%8B", "2027-02-30"]


@pytest.fixture(autouse=True)
def _no_rate_limits(app):  # noqa: ANN001, ANN202
    app.config["RATELIMIT_ENABLED"] = False


def _mailed_link(pattern: str) -> str:
    link = re.search(pattern, db.session.scalar(sa.select(OutboxMessage.body_text))).group(1)
    db.session.commit()
    return link


def _unused() -> bool:
    unused = db.session.scalar(sa.select(EmailToken.used_at)) is None
    db.session.commit()
    return unused


def test_a_new_password_survives_hostile_input(client, make_staff):
    staff = make_staff()
    before = staff.password_hash
    client.post_form("/staff/password/forgot", {"email": staff.email})
    link = _mailed_link(r"(/staff/password/reset/[\w-]+)")
    for name in ("password", "confirm"):
        for value in VALUES:
            pairs = [("csrf_token", client.csrf_token(link)), ("password", "a brand new passphrase"),
                     ("confirm", "a brand new passphrase")]
            pairs = [(n, value if n == name else v) for n, v in pairs]
            response = post_raw(client, link + "?lang=tr", pairs)
            html = response.get_data(as_text=True)
            assert response.status_code == 400, (name, value[:12], response.status_code)
            assert '<html lang="tr"' in html and re.search(r'id="(password|confirm)-error"', html), (name, value[:12])
            assert not re.search(r'type="password"[^>]*value="[^"]|value="[^"]+"[^>]*type="password"', html)  # never shown
            assert _unused() and db.session.get(StaffUser, staff.id).password_hash == before
            db.session.commit()
    send_all(client, link, {"password": "a brand new passphrase", "confirm": "a brand new passphrase"},
             lambda: client.csrf_token("/staff/password/forgot"))  # the link's page is gone once it is used
    assert not _unused()  # the field sent twice still names one password: used once, then gone (410)


def test_a_sign_in_link_survives_hostile_input(client, make_tenant):
    make_tenant(email="ayse@example.org", language="tr")
    client.post_form("/sign-in/email", {"email": "ayse@example.org"})
    link = _mailed_link(r"(/sign-in/link/[\w-]+)")
    for pairs in ([], [("csrf_token", "forged")], [("csrf_token", "\ud800")], [("csrf_token", "")]):
        assert post_raw(client, link, pairs).status_code == 400
        assert _unused() and client.get("/my").status_code == 302  # not signed in, the link still good

    def token() -> str:  # from the link's page until it is used, then from the tenant's own page
        return client.csrf_token(link if _unused() else "/my")

    send_all(client, link, {"x": "1"}, token)
    assert not _unused()


@pytest.mark.parametrize("token", HOSTILE_TOKENS)
def test_a_forged_link_is_gone_whatever_it_holds(client, make_staff, make_tenant, token):
    make_tenant(email="ayse@example.org")
    client.post_form("/sign-in/email", {"email": "ayse@example.org"})
    staff = make_staff()
    client.post_form("/staff/password/forgot", {"email": staff.email})
    for path in (f"/sign-in/link/{token}", f"/staff/password/reset/{token}"):
        assert client.get(path).status_code in (404, 410), path[:40]
        data = {"csrf_token": client.csrf_token(), "password": "a brand new passphrase",
                "confirm": "a brand new passphrase"}
        assert client.post(path, data=data).status_code in (404, 410), path[:40]
    assert db.session.scalar(sa.select(sa.func.count()).where(EmailToken.used_at.is_not(None))) == 0
    db.session.commit()


@pytest.mark.parametrize("path", ["/sign-out", "/sign-out/everywhere"])
def test_signing_out_survives_hostile_input(client, make_tenant, login_tenant, path):
    """Without a valid token the session stays (400); with one, any extra field or value still signs out."""
    login_tenant(client, make_tenant())
    for pairs in ([], [("csrf_token", "forged")], [("csrf_token", "\ud800")], [("csrf_token", "x" * 100_000)]):
        assert post_raw(client, path, pairs).status_code == 400
        assert client.get("/my").status_code == 200
    for value in VALUES:
        token = client.csrf_token("/my")
        response = post_raw(client, path, [("csrf_token", token), ("csrf_token", value), ("next", value)])
        assert response.status_code in (302, 400), value[:12]
        if response.status_code == 302:
            assert response.location == "/"
            login_tenant(client, make_tenant())
