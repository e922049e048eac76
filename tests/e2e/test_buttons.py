"""Journey (a): on a phone, a tenant can tell the main button of a page from the others."""
from __future__ import annotations

import re

from tests.e2e.conftest import PHONE

SURVEY_PL = "Zieleń i zabawa w Kanaleneiland"
COLOURS = """() => [...document.querySelectorAll('main button.button, main a.button')].map(b =>
    [b.classList.contains('button-secondary'), getComputedStyle(b).backgroundColor, b.innerText])"""


def test_secondary_buttons_look_secondary(site, new_page):
    """A secondary <button> is white with a coloured border: "Send my answers" and "Save and continue later"
    beside "Check your answers", "Sign out everywhere" on the account page."""
    page = new_page(PHONE)
    site.sign_in_tenant(page, site.tenant("pl"))
    site.open(page, "/account", "pl")
    seen = page.evaluate(COLOURS)
    site.open(page, "/consultations", "pl")
    page.locator("main a", has_text=SURVEY_PL).click()
    page.locator("main a.button").click()
    # The click only starts the navigation: read the colours once the answer page and its style sheet have loaded.
    page.wait_for_url(re.compile(r"/page/1(\?|$)"), wait_until="load")
    seen += page.evaluate(COLOURS)
    assert any(secondary for secondary, _, _ in seen) and not all(secondary for secondary, _, _ in seen), seen
    for secondary, colour, text in seen:
        assert (colour == "rgb(255, 255, 255)") == secondary, (text, colour)
    site.check(page, "answer page buttons", "pl")
    site.checks.assert_clean()
