"""Journey (a): a tenant with large text on a phone (200 %, as many elderly readers set it): long Polish and
Turkish words break instead of widening the page, paddings do not squeeze words apart, and the skip link stays
out of sight until it has focus. The published results and the neighbourhood page are checked the same way in
test_results.py (results are published there)."""
from __future__ import annotations

from playwright.sync_api import Page

from tests.e2e.checks import LANGUAGES, OVERFLOW_SCRIPT, with_large_text
from tests.e2e.conftest import PHONE

SURVEY_PL = "Zieleń i zabawa w Kanaleneiland"
# Radio buttons and checkboxes shown on the page smaller than 24 × 24 px (WCAG 2.5.8), or smaller than that
# together with their label, as [id, width, height].
SMALL_CHOICES = """
() => [...document.querySelectorAll('main input[type=radio], main input[type=checkbox]')]
  .filter(input => input.getClientRects().length)
  .map(input => {
    const box = input.getBoundingClientRect();
    const label = input.labels[0] ? input.labels[0].getBoundingClientRect() : box;
    const width = Math.max(box.right, label.right) - Math.min(box.left, label.left);
    const height = Math.max(box.bottom, label.bottom) - Math.min(box.top, label.top);
    return [input.id, Math.min(box.width, width), Math.min(box.height, height)];
  })
  .filter(([, width, height]) => width < 24 || height < 24)
"""


def _large_text(page: Page) -> None:
    page.evaluate("document.documentElement.style.fontSize = '200%'")


def _sideways(page: Page) -> dict | None:
    measured = page.evaluate(OVERFLOW_SCRIPT)
    return measured if measured["scrollWidth"] > measured["clientWidth"] else None


def _in_every_language(site, page: Page, path: str, *, words: bool = False, last: str = "pl") -> list[str]:
    """Whatever goes wrong on a page with large text at 360 and 320 px, in each language (ending in `last`)."""
    found = []
    for lang in [code for code in LANGUAGES if code != last] + [last]:
        site.open(page, path, lang)
        found += [f"{path} ({lang}) {problem}" for problem in with_large_text(page, words=words)]
    return found


def test_large_text_on_a_phone(site, new_page):
    page = new_page(PHONE)
    found = _in_every_language(site, page, "/staff/sign-in", last="nl")
    found += _in_every_language(site, page, "/sign-in", words=True, last="nl")  # signing in goes on in Dutch
    site.sign_in_tenant(page, site.tenant("pl"))
    for lang in ("pl", "tr", "ar"):
        # "Wyloguj się na wszystkich urządzeniach": one word wider than the phone at 200 %.
        site.open(page, "/account", lang)
        _large_text(page)
        assert _sideways(page) is None, (lang, _sideways(page))
        # The skip link wraps onto several lines; it still sits wholly above the page until focused.
        assert page.evaluate("document.querySelector('.skip-link').getBoundingClientRect().bottom") <= 0, lang
    for path in ("/my", "/consultations"):
        found += _in_every_language(site, page, path)

    site.open(page, "/consultations", "pl")
    page.locator("main a", has_text=SURVEY_PL).click()
    page.locator("main a.button").click()
    # The answering pages: nothing scrolls sideways, and no word breaks that would fit a line ("kontynu-uj" did,
    # squeezed by the button's padding; "binnen-tuin" by the page's).
    first_page = site.path_of(page)
    assert not page.evaluate(SMALL_CHOICES), page.evaluate(SMALL_CHOICES)  # at the normal text size
    found += _in_every_language(site, page, first_page, words=True)
    page.locator("input[type=radio][value=no]").check()
    page.locator("button[name=action][value=next]").click()
    assert page.locator("main input[type=radio]").count() >= 11  # the score, 0 to 10
    assert not page.evaluate(SMALL_CHOICES), page.evaluate(SMALL_CHOICES)
    found += _in_every_language(site, page, site.path_of(page), words=True)
    found += _in_every_language(site, page, first_page.rsplit("/page/", 1)[0] + "/review")
    assert not found, "\n".join(found)
    # A language chosen on a page becomes the tenant's own: leave the shared demo tenant in Polish for later journeys.
    site.open(page, "/my", "pl")
    site.checks.assert_clean()


def test_large_text_on_the_council_pages(site, new_page):
    """A council member reads the council and its meetings with large text; the secretary runs a meeting."""
    page = new_page(PHONE)
    site.sign_in_tenant(page, site.demo.council["secretary"])
    site.open(page, "/council/", "nl")
    council = page.locator("main a[href^='/council/']").first.get_attribute("href")
    found = _in_every_language(site, page, council, last="nl")
    meetings = page.locator("main a[href^='/council/meetings/']")  # as the secretary: each meeting and its manage page
    for href in sorted({meetings.nth(i).get_attribute("href") for i in range(meetings.count())}):
        found += _in_every_language(site, page, href, last="nl")
    assert not found, "\n".join(found)
