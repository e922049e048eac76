"""Journey (a): a tenant with large text on a phone (200 %, as many elderly readers set it): long Polish and
Turkish words break instead of widening the page, and the skip link stays out of sight until it has focus."""
from __future__ import annotations

from playwright.sync_api import Page

from tests.e2e.checks import OVERFLOW_SCRIPT
from tests.e2e.conftest import PHONE

SURVEY_PL = "Zieleń i zabawa w Kanaleneiland"


def _large_text(page: Page) -> None:
    page.evaluate("document.documentElement.style.fontSize = '200%'")


def _sideways(page: Page) -> dict | None:
    measured = page.evaluate(OVERFLOW_SCRIPT)
    return measured if measured["scrollWidth"] > measured["clientWidth"] else None


def test_large_text_on_a_phone(site, new_page):
    page = new_page(PHONE)
    site.sign_in_tenant(page, site.tenant("pl"))
    for lang in ("pl", "tr", "ar"):
        # "Wyloguj się na wszystkich urządzeniach": one word wider than the phone at 200 %.
        site.open(page, "/account", lang)
        _large_text(page)
        assert _sideways(page) is None, (lang, _sideways(page))
        # The skip link wraps onto several lines; it still sits wholly above the page until focused.
        assert page.evaluate("document.querySelector('.skip-link').getBoundingClientRect().bottom") <= 0, lang

    site.open(page, "/consultations", "pl")
    page.locator("main a", has_text=SURVEY_PL).click()
    page.locator("main a.button").click()
    for lang in ("pl", "tr"):
        site.open(page, site.path_of(page), lang)
        _large_text(page)
        assert _sideways(page) is None, (lang, _sideways(page))
    # A language chosen on a page becomes the tenant's own: leave the shared demo tenant in Polish for later journeys.
    site.open(page, "/my", "pl")
    site.checks.assert_clean()
