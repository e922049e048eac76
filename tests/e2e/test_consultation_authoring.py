"""Journey (b): an editor builds a consultation with three kinds of question in Dutch and English and opens it;
a data-entry user prints the letters and keys in a returned paper form."""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import DESKTOP

JOURNEY = ("en", "nl")  # the languages this journey is checked in

TITLE = {"nl": "Fietsenstalling Neckardreef", "en": "Bicycle shed Neckardreef"}


def _add_question(site, page: Page, kind: str, texts: dict[str, str], *, required: bool) -> None:
    """From the consultation's overview: add a question of a kind to the first page, in both languages."""
    page.locator("main a[href*='/questions/new']").first.click()
    page.locator("select[name=type]").select_option(kind)
    if required:
        page.locator("input[name=required]").check()
    for lang, text in texts.items():
        page.locator(f"[name=text_{lang}]").fill(text)
    page.locator("main form[novalidate] button[type=submit]").first.click()
    expect(page.locator("[name=text_nl]")).to_have_value(texts["nl"])


def _back_to_overview(page: Page) -> None:
    page.locator("main a", has_text=re.compile("Terug naar de raadpleging|Back to the consultation")).first.click()


def test_editor_builds_and_opens_a_consultation_and_data_entry_keys_in_a_paper_form(site, new_page):
    page = new_page(DESKTOP)
    site.sign_in_staff(page, "editor", "nl")
    site.check_in_languages(page, "/staff/consultations/", "staff consultations", languages=JOURNEY)
    site.check_in_languages(page, "/staff/consultations/new", "new consultation", languages=JOURNEY)
    page.locator("input[name=title]").fill(TITLE["nl"])
    page.locator("select[name=source_language]").select_option("nl")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text(TITLE["nl"])
    overview = site.path_of(page)
    site.check_in_languages(page, overview, "draft consultation", languages=JOURNEY)

    # Texts in Dutch and English.
    page.locator(f"main a[href='{overview}/texts']").click()
    site.check_in_languages(page, site.path_of(page), "consultation texts", languages=JOURNEY)
    for lang in ("nl", "en"):
        page.locator(f"[name=title_{lang}]").fill(TITLE[lang])
    page.locator("[name=intro_nl]").fill("Wilt u een nieuwe fietsenstalling? Het duurt 2 minuten.")
    page.locator("[name=intro_en]").fill("Would you like a new bicycle shed? It takes 2 minutes.")
    page.locator("[name=outro_nl]").fill("Dank u wel.")
    page.locator("[name=outro_en]").fill("Thank you.")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()

    # Only the tenants of the Neckardreef complex.
    page.locator(f"main a[href='{overview}/settings']").click()
    site.check_in_languages(page, site.path_of(page), "consultation settings", languages=JOURNEY)
    page.locator("select[name=audience_scope]").select_option("complexes")
    page.locator("fieldset", has=page.locator("input[name=complexes]")).get_by_label(re.compile("Neckardreef")).check()
    page.locator("main form button[type=submit]").click()
    assert site.path_of(page) == overview

    # Three kinds of question: yes or no, one choice (with its choices), and a long text.
    _add_question(site, page, "yes_no", {"nl": "Heeft u een fiets?", "en": "Do you have a bicycle?"}, required=True)
    site.check_in_languages(page, site.path_of(page), "edit a question", languages=JOURNEY)
    site.open(page, overview)
    _add_question(site, page, "single_choice", {"nl": "Waar wilt u de stalling?", "en": "Where do you want the shed?"},
                  required=True)
    for nl, en in (("Bij de ingang", "At the entrance"), ("Achter het blok", "Behind the block")):
        choices = page.locator("form[action$='/options']")
        choices.locator("[name='options-label_nl']").fill(nl)
        choices.locator("[name='options-label_en']").fill(en)
        choices.locator("button[type=submit]").click()
        expect(page.locator("main")).to_contain_text(nl)
    site.check_in_languages(page, site.path_of(page), "edit a question with choices", languages=JOURNEY)
    site.open(page, overview)
    _add_question(site, page, "long_text", {"nl": "Heeft u nog een opmerking?", "en": "Any other remarks?"},
                  required=False)
    site.open(page, overview)
    site.check_in_languages(page, overview, "consultation ready to open", languages=JOURNEY)
    # The preview shows what tenants read in the language asked for (?as=), inside the editor's own page.
    for lang in ("en", "ar"):
        site.open(page, f"{overview}/preview", "nl", **{"as": lang})
        expect(page.locator(f"main div.preview[lang={lang}][dir={'rtl' if lang == 'ar' else 'ltr'}] h1")).to_be_visible()
        site.check(page, f"consultation preview ({lang})", "nl")

    site.open(page, overview)
    page.locator(f"form[action='{overview}/open'] button").click()
    expect(page.locator(".flash-success")).to_be_visible()
    site.check_in_languages(page, overview, "open consultation", languages=JOURNEY)
    site.sign_out(page)

    # The data-entry user prints the letters, then keys in a paper form returned with one of the codes.
    page = new_page(DESKTOP)
    site.sign_in_staff(page, "data_entry", "nl")
    site.open(page, overview)
    page.locator(f"main a[href='{overview}/letters']").click()
    letters = page.locator("article.letter")
    expect(letters.first).to_be_visible()
    assert letters.count() >= 2, "the Neckardreef complex has more than one household"
    code = letters.nth(1).locator(".letter-code").inner_text()
    site.check_in_languages(page, site.path_of(page), "letters", languages=JOURNEY)
    for lang in JOURNEY:
        site.open(page, f"{overview}/paper", **{"as": lang})
        site.check(page, "paper form", lang)

    site.check_in_languages(page, "/staff/consultations/entry", "enter paper forms", languages=JOURNEY)
    page.locator("input[name=code]").fill(code)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_be_visible()
    site.check(page, "paper form entry", "nl")
    entry = page.locator("main form[method=post]").last
    entry.locator("input[type=radio][value=yes]").check()
    entry.get_by_label("Achter het blok").check()
    entry.locator("textarea").fill("Graag met licht.")
    entry.locator("button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    site.check(page, "paper form saved", "nl")

    # The same code cannot be entered twice.
    page.locator("input[name=code]").fill(code)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".error-summary, .error-message").first).to_be_visible()
    site.check(page, "paper form code already used", "nl")

    site.open(page, overview)
    expect(page.locator("main")).to_contain_text("1")
    site.check(page, "open consultation with one answer", "nl")
    site.checks.assert_clean()
