"""Journey (b): the administrator finds a tenant, prints a sign-in letter, and looks at accounts and the audit log."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.checks import LANGUAGES, OVERFLOW_SCRIPT, SQUEEZED_WORDS_SCRIPT
from tests.e2e.conftest import DESKTOP, PHONE


def test_admin_finds_a_tenant_and_prints_a_sign_in_letter(site, new_page):
    page = new_page(DESKTOP)
    site.sign_in_staff(page, "admin")
    assert site.path_of(page) == "/staff/"
    site.check_in_languages(page, "/staff/", "overview")
    site.check_in_languages(page, "/staff/tenants", "tenants")

    # Search, then open a tenant without an e-mail address: never one of the demo tenants
    # whose letter codes other journeys use (a new code stops the old one).
    site.open(page, "/staff/tenants", "en")
    page.locator("input[name=q]").fill("Zamenhofdreef")
    page.locator("form[role=search] button[type=submit]").click()
    expect(page.locator("tbody tr").first).to_be_visible()
    search = site.path_of(page) + "?" + page.url.split("?", 1)[1]
    site.check(page, "tenant search", "en")
    row = page.locator("tbody tr").filter(has=page.locator("td:last-child", has_text=re.compile(r"^no$")))
    name = row.first.locator("a").inner_text()
    row.first.locator("a").click()
    expect(page.locator("h1")).to_have_text(name)
    tenant_path = site.path_of(page)
    site.check_in_languages(page, re.sub(r"[?&]lang=\w+", "", search), "tenant search")
    site.check_in_languages(page, tenant_path, "tenant")

    page.locator("main a[href$='/code']").click()
    codes_path = site.path_of(page)
    site.check_in_languages(page, codes_path, "sign-in code")

    code = ""
    for lang in LANGUAGES:
        site.open(page, codes_path, lang)
        page.locator(f"form[action='{codes_path}'] button[type=submit]").click()
        expect(page.locator(".letter")).to_be_visible()
        code = page.locator(".letter-code").inner_text()
        site.check(page, "printable letter", lang)

    # The printed code works: the tenant signs in with it on a phone.
    phone = new_page(PHONE)
    site.open(phone, "/sign-in")
    phone.locator("input[name=code]").fill(code)
    phone.locator("form[action$='/sign-in/code'] button[type=submit]").click()
    expect(phone.locator("h1")).to_contain_text(name)
    phone.context.close()

    site.check_in_languages(page, "/staff/accounts", "staff accounts")
    site.check_in_languages(page, "/staff/accounts/new", "new staff account")
    site.open(page, "/staff/accounts")
    page.locator("main a", has_text="Erik Editor").click()
    expect(page.locator("h1")).to_have_text("Erik Editor")
    site.check_in_languages(page, site.path_of(page), "edit staff account")

    site.check_in_languages(page, "/staff/audit", "audit log")
    expect(page.locator("main table")).to_contain_text("code")
    site.check_in_languages(page, "/account", "staff my account")
    site.sign_out(page)
    site.checks.assert_clean()


def test_staff_pages_on_a_phone(site, new_page):
    """Staff also work on a phone: the busiest pages at 360 px, in Dutch and Arabic."""
    page = new_page(PHONE)
    site.sign_in_staff(page, "admin")
    for path, name in [("/staff/", "overview"), ("/staff/tenants", "tenants"),
                       ("/staff/accounts", "staff accounts"), ("/staff/audit", "audit log")]:
        for lang in ("ar", "nl"):
            site.open(page, path, lang)
            site.check(page, f"{name} on a phone", lang)
    site.sign_out(page)
    site.checks.assert_clean()


def test_figures_and_file_fields_fit_a_phone(site, new_page):
    """The figure tiles keep their words whole on a phone (two tiles shared its width and broke "Uitgenodig-d",
    "Neighbourhood-s"), and a file field stays on the page at 200 % zoom on a phone (a window 180 px wide)."""
    page = new_page(PHONE)
    site.sign_in_staff(page, "editor")
    site.open(page, "/staff/consultations/")
    consultation = page.locator("main a", has_text="Neckardreef").first.get_attribute("href")
    broken = []
    for path in ("/staff/", consultation):
        for lang in LANGUAGES:
            site.open(page, path, lang)
            broken += [f"{path} ({lang}): {word}" for word in page.evaluate(SQUEEZED_WORDS_SCRIPT)]
    assert not broken, broken
    # The new advice request always takes a document (the Neckardreef proposal stops taking them once a home has
    # answered, which another journey may have done before this one).
    site.open(page, "/staff/councils", "pl")
    page.locator("main a", has_text=site.demo.council_name).first.click()
    page.locator("main a[href$='/advice/new']").click()
    assert page.locator("main input[type=file]").count(), "a new advice request takes a document"
    page.set_viewport_size({"width": 180, "height": 740})
    box = page.locator("main input[type=file]").first.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 180, (box, page.evaluate(OVERFLOW_SCRIPT))
    site.open(page, "/staff/", "nl")  # the editor goes on in Dutch in later journeys
