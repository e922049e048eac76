"""Journey (a): a tenant on a phone signs in with a letter code, switches to Turkish, looks around, signs out."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import PHONE
from tests.e2e.keyboard import Keyboard


def test_tenant_signs_in_with_letter_code_and_reads_in_turkish(site, new_page):
    page = new_page(PHONE)
    tenant = site.tenant("nl")
    site.sign_in_tenant(page, tenant)
    assert site.path_of(page) == "/my"
    expect(page.locator("h1")).to_contain_text(tenant.name)
    site.check_in_languages(page, "/my", "my page")
    site.check_in_languages(page, "/account", "my account")

    page.get_by_label("Türkçe").check()
    page.locator("main form[action$='/account'] button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "tr")
    expect(page.locator(".flash-success")).to_be_visible()
    site.check(page, "my account saved", "tr")

    page.locator(".main-nav a[href='/my']").click()
    expect(page.locator("h1")).to_contain_text(tenant.name)
    site.check(page, "my page", "tr")

    # Staff pages are closed to tenants.
    site.check_in_languages(page, "/staff/", "no access", status=403, last="tr")

    site.sign_out(page)
    assert site.path_of(page) == "/"
    expect(page.locator(".flash-success")).to_be_visible()
    site.check(page, "signed out", "tr")
    site.checks.assert_clean()


def test_tenant_journey_by_keyboard_alone(site, new_page):
    """Only Tab, Enter and Space move around (and typing in the code field); focus is always visible."""
    page = new_page(PHONE)
    site.open(page, "/")
    keys = Keyboard(page, site.checks)

    skip = keys.tab()
    assert skip and skip["href"] == "#main", f"the first Tab stop is not the skip link: {skip}"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main", "the skip link does not move focus to the content"

    keys.tab_to("the sign-in link", lambda f: f["href"] == "/sign-in")
    keys.follow("Enter")
    site.check(page, "keyboard sign-in", "nl")

    tenant = site.tenant("pl")
    keys.tab_to("the code field", lambda f: f["name"] == "code")
    page.keyboard.type(tenant.code)
    keys.follow("Enter")
    assert site.path_of(page) == "/my"
    site.check(page, "keyboard my page", "pl")

    keys.tab_to("the Turkish language link", lambda f: (f["href"] or "").endswith("lang=tr"))
    keys.follow("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "tr")

    keys.tab_to("the link to my account", lambda f: f["href"] == "/account")
    keys.follow("Enter")
    site.check(page, "keyboard my account", "tr")
    keys.tab_to("the Turkish choice", lambda f: f["type"] == "radio")
    assert page.evaluate("document.activeElement.value") == "tr", "Tab does not land on the chosen language"
    keys.tab_to("the save button", lambda f: f["tag"] == "button" and f["type"] == "submit" and f["name"] is None
                and page.evaluate("!!document.activeElement.closest('main form[action$=\"/account\"]')"))
    keys.follow(" ")
    expect(page.locator(".flash-success")).to_be_visible()

    keys.tab_to("the link to my page", lambda f: f["href"] == "/my")
    keys.follow("Enter")
    expect(page.locator("h1")).to_contain_text(tenant.name)

    keys.tab_to("the sign-out button", lambda f: page.evaluate(
        "!!document.activeElement.closest('form[action$=\"/sign-out\"]')"))
    keys.follow("Enter")
    assert site.path_of(page) == "/"
    expect(page.locator("form[action$='/sign-out']")).to_have_count(0)
    site.check(page, "keyboard signed out", "tr")
    site.checks.assert_clean()
