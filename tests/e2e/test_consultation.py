"""Journey (a): a tenant answers the demo survey in Turkish on a phone, saves, comes back later, and submits; another
answers it in Arabic by keyboard alone."""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import PHONE
from tests.e2e.keyboard import Keyboard

JOURNEY = ("nl", "tr")  # the tenant signs in on the Dutch page and answers in Turkish
SURVEY = {"tr": "Kanaleneiland'da yeşil alanlar ve oyun", "ar": "المساحات الخضراء واللعب في كانالينايلاند"}


def _open_survey(site, page: Page, lang: str = "tr") -> None:
    """From the tenant's consultations, open the demo survey (it has a condition)."""
    site.open(page, "/consultations", lang)
    site.check(page, "my consultations", lang)
    page.locator("main a", has_text=SURVEY[lang]).click()
    expect(page.locator("h1")).to_have_text(SURVEY[lang])


def test_tenant_answers_a_consultation_in_turkish_saves_and_submits_later(site, new_page):
    tenant = site.tenant("tr")
    page = new_page(PHONE)
    site.sign_in_tenant(page, tenant)
    _open_survey(site, page)
    survey_path = site.path_of(page)
    site.check_in_languages(page, survey_path, "consultation introduction", last="tr")

    page.locator("main a.button").click()
    expect(page.locator("h1")).to_have_text("Avlu")
    first_page = site.path_of(page)
    site.check_in_languages(page, first_page, "consultation page 1", last="tr", languages=JOURNEY)

    # The follow-up question shows only once "yes" is chosen (static/js/conditions.js; the server decides again).
    follow_up = page.locator(".question", has_text="Orada ne yapıyorsunuz?")
    expect(follow_up).to_be_hidden()
    page.locator("input[type=radio][value=yes]").check()
    expect(follow_up).to_be_visible()
    page.locator("input[type=radio][value=no]").check()
    expect(follow_up).to_be_hidden()
    page.locator("input[type=radio][value=no]").evaluate("radio => { radio.checked = false; }")

    # Going on without the required answer shows the errors, tied to the question.
    page.locator("button[name=action][value=next]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    site.check(page, "consultation page 1 with errors", "tr")

    # "Yes" (by value: not every catalogue translates it yet) makes the condition true:
    # the follow-up question (choose at most 2) must then be answered.
    page.locator("input[type=radio][value=yes]").check()
    expect(follow_up).to_be_visible()
    page.locator("button[name=action][value=next]").click()
    expect(page.locator(".error-summary")).to_contain_text("Orada ne yapıyorsunuz?")
    site.check(page, "consultation page 1 follow-up missing", "tr")
    page.get_by_role("checkbox", name="Oturmak").check()
    page.get_by_role("checkbox", name="Bahçecilik").check()
    page.locator("button[name=action][value=save]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    assert site.path_of(page) == survey_path
    site.check(page, "consultation saved for later", "tr")
    page.context.close()

    # Later, on another phone: sign in again with the same letter code and continue.
    page = new_page(PHONE)
    site.sign_in_tenant(page, tenant)
    _open_survey(site, page)
    page.locator("main a.button").click()
    assert site.path_of(page) == first_page
    expect(page.locator("input[type=radio][value=yes]")).to_be_checked()
    expect(page.get_by_role("checkbox", name="Oturmak")).to_be_checked()
    expect(page.get_by_role("checkbox", name="Bahçecilik")).to_be_checked()
    site.check(page, "consultation page 1 continued", "tr")
    page.locator("button[name=action][value=next]").click()

    expect(page.locator("h1")).to_have_text("Fikriniz")
    site.check_in_languages(page, site.path_of(page), "consultation page 2", last="tr", languages=JOURNEY)
    page.get_by_role("radio", name="7", exact=True).check()
    page.get_by_role("textbox", name=re.compile("Ne daha iyi olmalı")).fill("Daha fazla bank ve gölge.")
    page.locator("button[name=action][value=next]").click()

    assert site.path_of(page).endswith("/review")
    expect(page.locator("main")).to_contain_text("Oturmak")
    expect(page.locator("main")).to_contain_text("Daha fazla bank ve gölge.")
    site.check_in_languages(page, site.path_of(page), "consultation review", last="tr", languages=JOURNEY)
    page.locator("main form[method=post] button[type=submit]").last.click()

    assert site.path_of(page).endswith("/done")
    expect(page.locator("main")).to_contain_text("Teşekkürler")
    site.check_in_languages(page, site.path_of(page), "consultation done", last="tr", languages=JOURNEY)

    # Answered and anonymous: the survey now says so, and the pages refuse new answers.
    site.open(page, survey_path, "tr")
    expect(page.locator("main a.button")).to_have_count(0)
    site.check(page, "consultation answered", "tr")
    site.sign_out(page)
    site.checks.assert_clean()


def _focused(page: Page, script: str) -> object:
    return page.evaluate(f"(() => {{ const el = document.activeElement; return {script}; }})()")


def test_tenant_answers_a_consultation_by_keyboard_alone(site, new_page):
    """The answering part by Tab, Space, arrow keys and Enter only, in Arabic (right to left) as the tenant
    reads it; focus is always visible."""
    page = new_page(PHONE)
    site.sign_in_tenant(page, site.tenant("ar"))
    _open_survey(site, page, "ar")
    keys = Keyboard(page, site.checks)

    keys.tab_to("the start button", lambda f: f["tag"] == "a" and "/page/1" in (f["href"] or ""))
    keys.follow("Enter")
    expect(page.locator("h1")).to_have_text("الفناء")
    site.check(page, "keyboard consultation page 1", "ar")
    keys.tab_to("“yes”", lambda f: f["type"] == "radio" and f["text"] == "yes")
    page.keyboard.press("Space")
    for label in ("الجلوس", "اللعب مع الأطفال"):
        keys.tab_to(label, lambda f, label=label: f["type"] == "checkbox"
                    and _focused(page, "el.labels[0].innerText") == label)
        page.keyboard.press("Space")
    keys.tab_to("the next button", lambda f: f["tag"] == "button" and _focused(page, "el.value") == "next")
    keys.follow("Enter")

    expect(page.locator("h1")).to_have_text("رأيك")
    site.check(page, "keyboard consultation page 2", "ar")
    keys.tab_to("the score", lambda f: f["type"] == "radio")
    # Arrow keys move the choice within the radio group: 0 → 8. Right to left the row of marks runs from the
    # right, and the left arrow goes on to the next mark.
    for _ in range(8):
        page.keyboard.press("ArrowLeft")
    expect(page.locator("input[type=radio][value='8']")).to_be_checked()
    keys.tab_to("the remarks", lambda f: f["tag"] == "textarea")
    page.keyboard.type("إضاءة أكثر.")
    keys.tab_to("the next button", lambda f: f["tag"] == "button" and _focused(page, "el.value") == "next")
    keys.follow("Enter")

    assert site.path_of(page).endswith("/review")
    expect(page.locator("main")).to_contain_text("اللعب مع الأطفال")
    expect(page.locator("main")).to_contain_text("إضاءة أكثر.")
    site.check(page, "keyboard consultation review", "ar")
    keys.tab_to("the send button", lambda f: f["tag"] == "button"
                and _focused(page, "!!el.closest('main form[method=post]')"))
    keys.follow("Enter")
    assert site.path_of(page).endswith("/done")
    site.check(page, "keyboard consultation done", "ar")
    site.checks.assert_clean()
