"""Journey (c): the public pages — start page, sign-in, e-mail link, staff password pages, errors — in every language."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.checks import LANGUAGES
from tests.e2e.conftest import PHONE

# Well-formed codes that no letter carries: one per language, so that the per-code
# limit on failed attempts is never reached.
WRONG_CODES = {lang: f"ACEF-HKMN-PRT{letter}" for lang, letter in zip(LANGUAGES, "WXY34")}


def test_tenant_sign_in_pages(site, new_page):
    page = new_page(PHONE)
    site.check_in_languages(page, "/", "home")
    site.check_in_languages(page, "/sign-in", "sign-in")

    for lang in LANGUAGES:
        site.open(page, "/sign-in", lang)
        page.locator("input[name=code]").fill(WRONG_CODES[lang])
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            page.locator("form[action$='/sign-in/code'] button[type=submit]").click()
        assert posted.value.status == 400
        expect(page.locator(".error-summary")).to_be_visible()
        expect(page.locator("input[name=code]")).to_have_attribute("aria-invalid", "true")
        site.check(page, "sign-in wrong code", lang)

    code = site.tenant("en").code
    # The address in a letter's QR code: the code is filled in, one press signs in.
    site.check_in_languages(page, f"/c/{code.replace('-', '')}", "sign-in from qr code")
    site.checks.assert_clean()


def test_email_link_pages(site, new_page):
    page = new_page(PHONE)
    tenant = site.tenant("nl")
    for lang in LANGUAGES:
        site.open(page, "/sign-in", lang)
        page.locator("input[name=email]").fill(tenant.email)
        page.locator("form[action$='/sign-in/email'] button[type=submit]").click()
        expect(page.locator("h1")).to_be_visible()
        assert site.path_of(page) == "/sign-in/email/sent"
        site.check(page, "link sent", lang)

    link = site.link_in(site.latest_mail(tenant.email, "sign_in_link"))
    path = link[len(site.server.url):]
    site.check_in_languages(page, path, "confirm email link")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("form[action$='/sign-out'] button")).to_be_visible()
    site.sign_out(page)

    # Used once: the link no longer works.
    site.check_in_languages(page, path, "email link used", status=410)
    site.checks.assert_clean()


def test_staff_password_pages(site, new_page):
    page = new_page(PHONE)
    site.check_in_languages(page, "/staff/sign-in", "staff sign-in")
    for number, lang in enumerate(LANGUAGES):
        site.open(page, "/staff/sign-in", lang)
        page.locator("input[name=email]").fill(f"nobody{number}@delinde.example")
        page.locator("input[name=password]").fill("not the password")
        page.locator("main form button[type=submit]").click()
        expect(page.locator(".error-summary")).to_be_visible()
        site.check(page, "staff sign-in wrong password", lang)

    site.check_in_languages(page, "/staff/password/forgot", "forgot password")
    for number, lang in enumerate(LANGUAGES):
        site.open(page, "/staff/password/forgot", lang)
        page.locator("input[name=email]").fill(f"someone{number}@delinde.example")
        page.locator("main form button[type=submit]").click()
        expect(page.locator("main form")).to_have_count(0)
        site.check(page, "password link sent", lang)

    site.open(page, "/staff/password/forgot")
    admin = site.demo.staff["admin"]
    page.locator("input[name=email]").fill(admin)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main form")).to_have_count(0)
    path = site.link_in(site.latest_mail(admin, "password_reset"))[len(site.server.url):]
    site.check_in_languages(page, path, "choose new password")
    for lang in LANGUAGES:
        site.open(page, path, lang)
        page.locator("main form button[type=submit]").click()
        expect(page.locator(".error-summary")).to_be_visible()
        site.check(page, "choose new password empty", lang)
    site.checks.assert_clean()


def test_error_pages(site, new_page):
    page = new_page(PHONE)
    site.check_in_languages(page, "/no-such-page", "not found", status=404)
    site.check_in_languages(page, "/sign-in/link/not-a-real-token", "email link unknown", status=410)
    # Anonymous visitors of a staff page are sent to sign in.
    site.open(page, "/staff/")
    assert re.search(r"/staff/sign-in", page.url)

    # Too many wrong tries with one code: after five, the sixth and later are refused.
    code = "KMNP-RTWX-YACE"  # not one of WRONG_CODES: this code is meant to hit the limit
    for attempt, lang in enumerate(["nl"] * 5 + list(LANGUAGES)):
        site.open(page, "/sign-in", lang)
        page.locator("input[name=code]").fill(code)
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            page.locator("form[action$='/sign-in/code'] button[type=submit]").click()
        assert posted.value.status == (400 if attempt < 5 else 429)
        if attempt >= 5:
            site.check(page, "too many attempts", lang)
    site.checks.assert_clean()


def test_expired_form_page_in_the_browsers_language(site, new_page):
    """A form sent after its session is gone (CSRF token no longer valid), with only the browser's language to go on."""
    for lang in LANGUAGES:
        page = new_page(PHONE, locale=lang)
        site.open(page, "/staff/sign-in")
        page.context.clear_cookies()
        page.locator("input[name=email]").fill(site.demo.staff["admin"])
        page.locator("input[name=password]").fill(site.demo.password)
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            page.locator("main form button[type=submit]").click()
        assert posted.value.status == 400
        site.check(page, "form expired", lang)
    site.checks.assert_clean()
