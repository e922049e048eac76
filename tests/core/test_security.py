"""Security headers on every response, safe redirects, CSRF, and production settings."""
import pytest

from config import DEFAULT_SECRET_KEY, ProductionConfig
from inspraak import create_app
from inspraak.core.security import is_safe_next

EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def _assert_security_headers(response):
    csp = response.headers["Content-Security-Policy"]
    for part in ("default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert part in csp
    assert "unsafe-inline" not in csp
    for name, value in EXPECTED.items():
        assert response.headers[name] == value


@pytest.mark.parametrize("path", ["/", "/sign-in", "/staff/sign-in", "/does-not-exist", "/static/css/site.css"])
def test_headers_on_pages_errors_and_static_files(client, path):
    _assert_security_headers(client.get(path))


def test_signed_in_pages_are_not_cached(client, make_staff, login_staff):
    login_staff(client, make_staff())
    assert client.get("/staff/").headers["Cache-Control"] == "no-store"


def test_session_cookie_is_httponly_and_samesite(client, make_staff, login_staff):
    response = login_staff(client, make_staff())
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_error_pages_are_generic_and_translated(client):
    response = client.get("/nothing-here?lang=pl")
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert '<html lang="pl"' in body
    assert "Traceback" not in body


def test_unexpected_errors_show_a_plain_page(app, client):
    app.config["SHOW_ERROR_PAGES"] = True

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = client.get("/boom")
    assert response.status_code == 500
    assert "secret internals" not in response.get_data(as_text=True)
    _assert_security_headers(response)


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "http:///evil.example",
        "https://evil.example/",
        "http://evil.example",
        "///evil.example",
        "/\t/evil.example",
        "javascript:alert(1)",
        "evil.example",
        "",
        None,
    ],
)
def test_next_refuses_other_sites(target):
    assert not is_safe_next(target)


@pytest.mark.parametrize("target", ["/my", "/staff/tenants?q=jan", "/account#language"])
def test_next_allows_own_pages(target):
    assert is_safe_next(target)


@pytest.mark.parametrize("target", ["//evil.example", "/\\evil.example", "http:///evil.example", "\\\\evil.example"])
def test_sign_in_never_redirects_off_site(client, make_staff, target):
    staff = make_staff()
    response = client.post_form(
        "/staff/sign-in", {"email": staff.email, "password": "correct horse battery", "next": target}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/"


def test_sign_in_follows_a_safe_next(client, make_staff):
    staff = make_staff()
    response = client.post_form(
        "/staff/sign-in", {"email": staff.email, "password": "correct horse battery", "next": "/staff/tenants"}
    )
    assert response.headers["Location"] == "/staff/tenants"


def test_posts_without_csrf_token_are_refused(client, make_staff):
    staff = make_staff()
    response = client.post("/staff/sign-in", data={"email": staff.email, "password": "correct horse battery"})
    assert response.status_code == 400
    assert client.post("/sign-in/code", data={"code": "ABCDEFGHJK"}).status_code == 400


PRODUCTION_SETTINGS = {"SECRET_KEY": "x" * 40, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0"}


def test_production_refuses_the_default_secret_key(monkeypatch):
    config = type("Prod", (ProductionConfig,), {"SECRET_KEY": DEFAULT_SECRET_KEY})
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(config)


def test_production_refuses_debug():
    config = type("Prod", (ProductionConfig,), {"SECRET_KEY": "x" * 40, "DEBUG": True})
    with pytest.raises(RuntimeError, match="DEBUG"):
        create_app(config)


@pytest.mark.parametrize("storage", ["", None])
def test_production_refuses_to_keep_rate_limits_in_memory_unasked(storage):
    """Unset, the limits would live in each gunicorn worker's memory: they would multiply unnoticed."""
    config = type("Prod", (ProductionConfig,), {"SECRET_KEY": "x" * 40, "RATELIMIT_STORAGE_URI": storage})
    with pytest.raises(RuntimeError, match="RATELIMIT_STORAGE_URI=redis://"):
        create_app(config)


def test_production_takes_memory_when_asked_for_one_worker(monkeypatch, database_url):
    """An explicit memory:// is a single-process deployment's choice (the browser suite runs one worker)."""
    import importlib

    import config as config_module

    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    assert importlib.reload(config_module).ProductionConfig.RATELIMIT_STORAGE_URI == ""
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "memory://")
    production = importlib.reload(config_module).ProductionConfig
    monkeypatch.undo()
    importlib.reload(config_module)
    config = type("Prod", (production,), {"SECRET_KEY": "x" * 40, "SQLALCHEMY_DATABASE_URI": database_url})
    assert create_app(config).config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_production_starts_with_rate_limits_in_redis(database_url):
    """Starting does not need Redis to answer yet: the limiter connects on the first limited request."""
    config = type("Prod", (ProductionConfig,), {**PRODUCTION_SETTINGS, "SQLALCHEMY_DATABASE_URI": database_url})
    assert create_app(config).config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"


def test_production_sends_hsts_and_secure_cookies(database_url, _schema):
    config = type("Prod", (ProductionConfig,), {**PRODUCTION_SETTINGS, "SQLALCHEMY_DATABASE_URI": database_url})
    app = create_app(config)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    response = app.test_client().get("/")
    assert "max-age" in response.headers["Strict-Transport-Security"]
    assert not app.debug


def test_nul_and_control_characters_are_taken_out_of_forms_and_query_strings(app):
    """PostgreSQL refuses NUL in text: it never reaches a view (tests/core/test_hostile_input.py sends it everywhere)."""
    from flask import request

    with app.test_request_context("/?q=a%00b&lang=nl", method="POST", data={"name": "x\x00y", "n\x00": ["1", "2"]}):
        assert request.args.to_dict(flat=False) == {"q": ["ab"], "lang": ["nl"]}
        assert request.form["name"] == "xy" and request.form.getlist("n") == ["1", "2"]
    with app.test_request_context("/?q=a%01b%1Bc", method="POST", data={"name": "line\x0bbreak\x7f\x02", "t": "a\tb\r\nc"}):
        # Other control characters come with pasted text: left out; a word processor's line break becomes one.
        assert request.args["q"] == "abc"
        assert request.form["name"] == "line\nbreak" and request.form["t"] == "a\tb\r\nc"
    with app.test_request_context("/?q=plain", method="POST", data={"name": "plain"}):
        assert request.args["q"] == "plain" and request.form["name"] == "plain"


@pytest.mark.parametrize("raw", ["q=\xff\xfe", "lang=nl&q=caf\xc3\xa9\xff", "next=/\xed\xa0\x80"])
def test_a_query_string_that_is_not_utf8_is_read_as_escaped(app, client, make_staff, raw):
    """Raw bytes in a query string reach the app as a WSGI server passes them on; werkzeug read them as
    UTF-8 for ``request.args`` and ``request.full_path``, and any page was an error page."""
    from flask import request

    with app.test_request_context("/", environ_overrides={"QUERY_STRING": raw}):
        assert request.args.get("q", "").startswith(("%FF", "café%FF")) or "next" in request.args
        assert request.full_path.startswith("/?")
    for path in ("/", "/sign-in", "/staff/", "/staff/consultations/", "/account"):  # open, and sent to sign in
        response = client.get(path, environ_overrides={"QUERY_STRING": raw})
        assert response.status_code in (200, 302), (path, response.status_code)


def test_a_value_of_characters_that_take_no_room_arrives_empty(app):
    """Zero-width spaces, joiners, direction marks or a byte order mark alone look like nothing; inside a text they stay."""
    from flask import request

    nothing = ["\u200b", " \u200d\ufeff ", "\u200e\u200f", "\u202e", "\u2066\u2069", "\u00ad", "\u061c\n"]
    kept = ["\u202eabc", "a\u200db", "\u0645\u200c\u0627", "   ", "👩\u200d👩\u200d👧"]
    with app.test_request_context("/?q=%E2%80%8B", method="POST", data={"v": nothing + kept}):
        assert request.args["q"] == ""
        assert request.form.getlist("v") == [""] * len(nothing) + kept


def test_a_name_of_invisible_characters_only_must_be_filled_in(client, make_staff, login_staff):
    """A staff account named by a zero-width space was made: a colleague nobody could see in any list."""
    import sqlalchemy as sa

    from inspraak.core.once import new_token
    from inspraak.extensions import db
    from inspraak.people.models import StaffUser

    login_staff(client, make_staff())
    response = client.post_form("/staff/accounts/new?lang=en",
                                {"email": "nobody@example.org", "name": "\u200b\u200d\ufeff", "roles": ["editor"],
                                 "language": "nl", "once": new_token()}, token_from="/staff/accounts/new")
    assert response.status_code == 400
    assert 'id="name-error">Type a name.</p>' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(StaffUser).where(StaffUser.email == "nobody@example.org")) is None
