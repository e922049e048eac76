"""Journey (c): while a consultation runs, an editor moves its closing time, reissues a lost letter's code,
and looks at a support measurement's proposal documents."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP

JOURNEY = ("en", "nl")
SURVEY = "Green spaces and play in Kanaleneiland"
MEASUREMENT = "Renovation Neckardreef: new frames and insulation"


def test_editor_moves_the_closing_time_reissues_a_code_and_sees_the_documents(site, new_page):
    page = new_page(DESKTOP)
    site.sign_in_staff(page, "editor", "en")
    site.open(page, "/staff/consultations/", "en")
    page.locator("main a", has_text=SURVEY).click()
    overview = site.path_of(page)

    # A new closing time, with a reason; those who have not answered are told by mail.
    page.locator(f"main a[href='{overview}/closing']").click()
    site.check_in_languages(page, site.path_of(page), "change the closing time", last="en", languages=JOURNEY)
    later = datetime.now(ZoneInfo("Europe/Amsterdam")) + timedelta(days=30)
    page.locator("input[name=closes_at]").fill(later.strftime("%Y-%m-%dT%H:%M"))
    page.locator("textarea[name=reason]").fill("More time: the summer holidays.")
    page.locator("input[name=notify]").check()
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".flash-success").first).to_be_visible()
    assert site.path_of(page) == overview
    site.check(page, "closing time changed", "en")

    # A lost letter: find the person, make a new code, print that one letter.
    page.locator(f"main a[href='{overview}/codes']").click()
    site.check_in_languages(page, site.path_of(page), "lost code search", last="en", languages=JOURNEY)
    page.locator("input[name=query]").fill("a")
    page.locator("main form[role=search] button").click()
    site.check(page, "lost code found", "en")
    page.locator("main form[action$='/reissue'] button").first.click()
    expect(page.locator("article.letter")).to_have_count(1)
    site.check(page, "reissued letter", "en")

    # The support measurement lists its proposal document.
    site.open(page, "/staff/consultations/", "en")
    page.locator("main a", has_text=MEASUREMENT).click()
    expect(page.locator("#documents + ul a")).to_have_text("Renovatieplan_Neckardreef.pdf")
    site.check_in_languages(page, site.path_of(page), "support measurement with documents", last="en",
                            languages=JOURNEY)
    site.checks.assert_clean()
