"""Journey (c): a council member reads the demo's spring meeting on a phone: a web address in the details and
two motions on the agenda."""
from __future__ import annotations

from tests.e2e.conftest import PHONE


def test_council_meeting_with_a_web_address_and_two_motions(site, new_page):
    """The demo's spring meeting: an online link in the details and two motions (each its own named region)."""
    page = new_page(PHONE)
    site.sign_in_tenant(page, site.demo.council["member"])
    site.open(page, "/council/")
    page.locator("main a[href^='/council/']").first.click()
    meeting = page.locator("main a[href^='/council/meetings/']", has_text="Ledenvergadering voorjaar")
    meeting.first.click()
    site.check_in_languages(page, site.path_of(page), "meeting with two motions", languages=("ar", "nl"))
    site.checks.assert_clean()
