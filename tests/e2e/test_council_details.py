"""Journey (c): a council member reads the demo's spring meeting on a phone: a web address in the details and
two motions on the agenda."""
from __future__ import annotations

from playwright.sync_api import expect

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


# For each agenda title shown in Dutch with the note: where the note's first piece stands against the Dutch text's
# last piece ("left" of it on the same line, or "below" it on a later line), and whether the note broke over lines.
NOTE_PLACES = """() => [...document.querySelectorAll('.agenda-item h3 .fallback-note')].map(note => {
  const text = note.parentElement.querySelector('[lang=nl]');
  const last = [...text.getClientRects()].pop(), first = note.getClientRects()[0];
  const sameLine = first.top < last.bottom - 1 && first.bottom > last.top + 1;
  return {title: text.textContent, lines: new Set([...note.getClientRects()].map(r => Math.round(r.top))).size,
          place: !sameLine ? (first.top >= last.bottom - 1 ? 'below' : 'above')
                 : first.right <= last.left + 1 ? 'left' : 'right'};
})"""


def test_untranslated_agenda_titles_are_followed_by_their_note_in_arabic(site, new_page):
    """In Arabic the note comes after a Dutch title: on its left or on a line below, never on its right (which an
    Arabic reader reads first); Dutch titles carry no note. The demo's agenda is translated into every language, so
    the secretary plans a meeting whose items are in Dutch only: a short title and one that wraps on a phone."""
    page = new_page(PHONE)
    site.sign_in_tenant(page, site.demo.council["secretary"])
    site.open(page, "/council/")
    page.locator("main a", has_text=site.demo.council_name).first.click()
    page.locator("main a[href$='/meetings/new']").click()
    manage_path = site.plan_meeting(page, "Najaarsoverleg", days_ahead=21)
    for title in ("Begroting", "Onderhoud van de binnentuinen en de speelplaatsen in de wijk"):
        agenda = page.locator(f"form[action$='{manage_path.removesuffix('/manage')}/items']")
        agenda.locator("select[name=kind]").select_option("information")
        agenda.locator("input[name=title]").fill(title)
        agenda.locator("select[name=language]").select_option("nl")
        agenda.locator("button[type=submit]").click()
        expect(page.locator(".flash-success")).to_be_visible()
    page.locator("form[action$='/publish'] button").click()
    expect(page.locator(".flash-success")).to_be_visible()
    path = manage_path.removesuffix("/manage")
    site.open(page, path, "ar")
    places = page.evaluate(NOTE_PLACES)
    assert len(places) == 2 and all(p["place"] in ("left", "below") for p in places), places
    assert any(p["place"] == "left" for p in places), places  # a title short enough to share its line with the note
    site.check(page, "agenda with titles not translated", "ar")
    site.open(page, path, "nl")
    assert page.evaluate(NOTE_PLACES) == []
    site.checks.assert_clean()
