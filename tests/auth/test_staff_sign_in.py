"""Staff sign in with email and password; sessions live on the server."""
import re

import sqlalchemy as sa

from inspraak.auth.models import EmailToken, SignInSession
from inspraak.extensions import db
from inspraak.notify.models import OutboxMessage
from tests.conftest import STAFF_PASSWORD


def test_staff_sign_in_and_dashboard(client, make_staff, login_staff):
    staff = make_staff()
    login_staff(client, staff)
    response = client.get("/staff/")
    assert response.status_code == 200
    assert staff.name in response.get_data(as_text=True)


def test_same_answer_for_unknown_email_and_wrong_password(client, make_staff):
    staff = make_staff()
    unknown = client.post_form("/staff/sign-in", {"email": "nobody@example.org", "password": "whatever-it-is"})
    wrong = client.post_form("/staff/sign-in", {"email": staff.email, "password": "not the password"})
    assert unknown.status_code == wrong.status_code == 400

    def message(response):
        return re.search(r'class="error-message"[^>]*>(.*?)</p>', response.get_data(as_text=True), re.S).group(1)

    assert message(unknown) == message(wrong)


def test_inactive_account_cannot_sign_in(client, make_staff):
    staff = make_staff(active=False)
    response = client.post_form("/staff/sign-in", {"email": staff.email, "password": STAFF_PASSWORD})
    assert response.status_code == 400


def test_passwords_are_stored_with_argon2id(app, make_staff):
    staff = make_staff()
    assert staff.password_hash.startswith("$argon2id$")


def test_sign_in_starts_a_new_session(client, make_staff, login_staff):
    staff = make_staff()
    client.get("/sign-in")
    with client.session_transaction() as before:
        before["planted"] = "by an attacker"
    login_staff(client, staff)
    with client.session_transaction() as after:
        assert "planted" not in after
        assert after.get("_user_id")
    sessions = db.session.scalars(sa.select(SignInSession)).all()
    assert len(sessions) == 1 and sessions[0].staff_user_id == staff.id


def test_sign_out_ends_the_session_on_the_server(client, make_staff, login_staff):
    staff = make_staff()
    login_staff(client, staff)
    with client.session_transaction() as stolen:
        stolen_cookie = dict(stolen)
    response = client.post_form("/sign-out", {}, token_from="/staff/")
    assert response.status_code == 302
    assert client.get("/staff/").status_code == 302
    with client.session_transaction() as replay:
        replay.update(stolen_cookie)
    assert client.get("/staff/").status_code == 302, "a copied cookie must not work after sign-out"


def test_sign_out_everywhere_ends_every_session(app, make_staff, login_staff):
    staff = make_staff()
    phone, laptop = app.test_client(), app.test_client()
    login_staff(phone, staff)
    login_staff(laptop, staff)
    assert laptop.get("/staff/").status_code == 200
    phone.post_form("/sign-out/everywhere", {}, token_from="/staff/")
    assert laptop.get("/staff/").status_code == 302


def test_deactivation_takes_effect_on_the_next_request(client, make_staff, login_staff):
    staff = make_staff()
    login_staff(client, staff)
    assert client.get("/staff/").status_code == 200
    staff.active = False
    db.session.commit()
    assert client.get("/staff/").status_code == 302


def test_sign_out_requires_csrf(client, make_staff, login_staff):
    staff = make_staff()
    login_staff(client, staff)
    assert client.post("/sign-out").status_code == 400
    assert client.get("/staff/").status_code == 200


def test_password_reset_link_works_once(client, make_staff, monkeypatch):
    staff = make_staff()
    client.post_form("/staff/password/forgot", {"email": staff.email})
    message = db.session.scalar(sa.select(OutboxMessage))
    link = re.search(r"(/staff/password/reset/[\w-]+)", message.body_text).group(1)
    assert client.get(link).status_code == 200
    new_password = "a brand new passphrase"
    response = client.post_form(link, {"password": new_password, "confirm": new_password})
    assert response.status_code == 302
    assert client.post_form("/staff/sign-in", {"email": staff.email, "password": new_password}).status_code == 302
    again = client.post_form(link, {"password": "another passphrase!", "confirm": "another passphrase!"})
    assert again.status_code == 410


def test_password_reset_refuses_short_password_and_keeps_the_link(client, make_staff):
    staff = make_staff()
    client.post_form("/staff/password/forgot", {"email": staff.email})
    link = re.search(r"(/staff/password/reset/[\w-]+)", db.session.scalar(sa.select(OutboxMessage)).body_text).group(1)
    response = client.post_form(link, {"password": "short", "confirm": "short"})
    assert response.status_code == 400
    assert db.session.scalar(sa.select(EmailToken.used_at)) is None


def test_forgot_password_says_the_same_for_unknown_addresses(client, make_staff):
    staff = make_staff()
    known = client.post_form("/staff/password/forgot", {"email": staff.email}).get_data(as_text=True)
    unknown = client.post_form("/staff/password/forgot", {"email": "nobody@example.org"}).get_data(as_text=True)
    strip = lambda html: re.sub(r'name="csrf_token"[^>]*>', "", html)  # noqa: E731
    assert strip(known) == strip(unknown)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 1
