"""Journey (d): a publisher previews the demo's closed survey, chooses a quote, writes what will be done and
publishes; a tenant of the neighbourhood reads the results on a phone in Arabic (right to left) and in Polish,
and opens the neighbourhood page."""
from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Page, expect

from inspraak.core.timeutil import local_today
from tests.e2e.checks import LANGUAGES, LARGE_TEXT, sideways_scrolling, with_large_text
from tests.e2e.conftest import DESKTOP, PHONE

SURVEY = {"nl": "Schone en veilige portieken", "ar": "مداخل درج نظيفة وآمنة", "pl": "Czyste i bezpieczne klatki schodowe"}
QUOTE = "Een lamp met een bewegingssensor bij de voordeur."
ACTION = "We hangen in alle portieken lampen met een bewegingssensor."
DROPPED = "We plaatsen camera's in de portieken."
WHY_NOT = "De gemeente geeft geen toestemming voor camera's in woongebouwen."
SUMMARY = {
    "nl": "64 huishoudens deden mee. De meesten vinden hun portiek schoon. 's Avonds voelen veel mensen zich "
          "niet veilig. Daarom komt er eerst beter licht.",
    "ar": "شارك 64 منزلاً. يرى معظمهم أن مدخل الدرج نظيف. كثيرون لا يشعرون بالأمان مساءً. لذلك نبدأ بإضاءة أفضل.",
    "pl": "Wzięło udział 64 gospodarstw domowych. Większość uważa, że klatka jest czysta. Wieczorem wiele osób "
          "nie czuje się bezpiecznie. Dlatego najpierw poprawimy oświetlenie.",
}

# Facts about the results page as a phone shows it: order of the parts, charts, tables, sideways scrolling.
PAGE_FACTS = """
() => {
  const main = document.querySelector('main');
  const headings = [...main.querySelectorAll('h2')].map(h => h.id);
  const charts = [...main.querySelectorAll('figure.result-chart')].map(figure => {
    const list = figure.querySelector('ul.chart');
    const section = figure.closest('section');
    return {
      list: !!list, name: list ? list.getAttribute('aria-label') || '' : '', text: figure.textContent,
      textInSvg: [...figure.querySelectorAll('svg')].some(svg => svg.textContent.trim()),
      table: !!(section && section.querySelector('table caption')),
    };
  });
  const root = document.scrollingElement;
  return {headings, charts, scrollWidth: root.scrollWidth, clientWidth: root.clientWidth};
}
"""

# Chart labels whose contrast with what is behind them is below 4.5:1, as [text, ratio].
CHART_LABELS_WITHOUT_CONTRAST = """
() => {
  const rgb = colour => colour.match(/[\\d.]+/g).map(Number);
  const luminance = ([r, g, b]) => [r, g, b].map(v => v / 255)
    .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const behind = el => {
    for (; el; el = el.parentElement) {
      const colour = getComputedStyle(el).backgroundColor;
      if (rgb(colour)[3] !== 0) return colour;
    }
    return 'rgb(255, 255, 255)';
  };
  return [...document.querySelectorAll('figure.result-chart .chart-label, figure.result-chart .chart-value')]
    .map(text => {
      const [a, b] = [luminance(rgb(getComputedStyle(text).color)), luminance(rgb(behind(text)))];
      return [text.textContent, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
    })
    .filter(([, ratio]) => ratio < 4.5);
}
"""

# Chart texts that stick out of their chart once a reader widens letter and word spacing (WCAG 1.4.12).
CHART_TEXTS_CUT_OFF = """
() => {
  const cut = [];
  for (const figure of document.querySelectorAll('figure.result-chart')) {
    figure.style.letterSpacing = '0.12em';
    figure.style.wordSpacing = '0.16em';
    figure.style.lineHeight = '1.5';
    const edge = figure.getBoundingClientRect();
    for (const el of figure.querySelectorAll('.chart-label, .chart-value, text')) {
      const box = el.getBoundingClientRect();
      if (box.left < edge.left - 1 || box.right > edge.right + 1) cut.push(el.textContent);
    }
  }
  return cut;
}
"""

# The size at which each text of the charts is drawn, in CSS pixels: its font size, times the scale of the
# SVG it is drawn in, if any (an SVG's text is scaled with its viewBox, not with the reader's text size).
CHART_TEXT_SIZES = """
() => {
  const sizes = [];
  for (const figure of document.querySelectorAll('figure.result-chart')) {
    const walker = document.createTreeWalker(figure, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!node.data.trim() || !el.getClientRects().length || el.closest('title, desc')) continue;
      let size = parseFloat(getComputedStyle(el).fontSize);
      const svg = el.closest('svg');
      const view = svg && svg.viewBox.baseVal;
      if (view && view.width) size *= svg.getBoundingClientRect().width / view.width;
      sizes.push([node.data.trim(), size]);
    }
  }
  return sizes;
}
"""


def _publish(site, page: Page) -> str:
    """The publisher's part, in Dutch on a desktop; returns the path of the results page for tenants."""
    site.sign_in_staff(page, "publisher")
    site.check_in_languages(page, "/staff/results", "results to publish")
    page.locator("main a", has_text=SURVEY["nl"]).click()
    preview_path = site.path_of(page)
    expect(page.locator("h1")).to_contain_text(SURVEY["nl"])
    site.check_in_languages(page, preview_path, "results preview")

    # Quotes come from the written answers; one that may identify someone is flagged.
    page.locator(f"main a[href$='{preview_path}/answers']").click()
    expect(page.locator("main .status-missing").first).to_be_visible()
    site.check_in_languages(page, site.path_of(page), "choose quotes")
    page.locator("main li", has_text=QUOTE).locator("button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("#quotes ~ form textarea").first).to_have_value(QUOTE)
    site.check(page, "quote chosen", "nl")

    # What we will do: one planned action with a date.
    outcome = page.locator("form[action$='/outcomes']")
    outcome.locator("textarea[name=text]").fill(ACTION)
    outcome.locator("input[name=due_on]").fill((local_today() + timedelta(days=90)).isoformat())
    outcome.locator("button[type=submit]").click()
    expect(page.locator("form.outcome-edit", has_text=ACTION)).to_be_visible()
    site.check(page, "action added", "nl")

    # A second action that will not go ahead after all: withdrawn, with the reason tenants will read.
    page.locator("form[action$='/outcomes'] textarea[name=text]").fill(DROPPED)
    page.locator("form[action$='/outcomes'] button[type=submit]").click()
    edit = page.locator("form.outcome-edit", has_text=DROPPED)
    edit.locator("select[name=status]").select_option("withdrawn")
    edit.locator("button[type=submit]").click()  # no reason yet: refused, the choice kept, the error beside the box
    edit = page.locator("form.outcome-edit", has_text=DROPPED)
    expect(edit.locator("textarea[name=note][aria-invalid=true]")).to_be_visible()
    expect(edit.locator("select[name=status]")).to_have_value("withdrawn")
    site.check(page, "action without a reason", "nl")
    edit.locator("textarea[name=note]").fill(WHY_NOT)
    edit.locator("button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("form.outcome-edit", has_text=DROPPED).locator("textarea[name=note]")).to_have_value(WHY_NOT)

    publish = page.locator("form[action$='/publish']")
    for lang, text in SUMMARY.items():
        publish.locator(f"textarea[name=summary_{lang}]").fill(text)
    publish.locator("button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    site.check_in_languages(page, preview_path, "results published")
    page.locator("main a.button[href^='/results/']").click()
    results_path = site.path_of(page)
    assert results_path.startswith("/results/"), results_path
    site.check(page, "published results (staff)", "nl")
    return results_path


def _read_on_a_phone(site, page: Page, lang: str) -> None:
    """The results page as the tenant's phone shows it: summary first, charts with text and a table, no sideways scroll."""
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
    expect(page.locator("h1")).to_contain_text(SURVEY[lang])
    expect(page.locator("main .result-summary")).to_have_text(SUMMARY[lang])
    expect(page.locator("main")).to_contain_text(ACTION)
    withdrawn = page.locator("main .outcome-list li", has_text=DROPPED)
    expect(withdrawn.locator(".outcome-why p [lang=nl]")).to_contain_text(WHY_NOT)  # not translated: marked as Dutch
    expect(page.locator("main blockquote")).to_contain_text(QUOTE)
    facts = page.evaluate(PAGE_FACTS)
    assert facts["headings"][0] == "summary-heading", facts["headings"]
    assert len(facts["charts"]) >= 5, facts["charts"]
    for chart in facts["charts"]:
        assert chart["list"] and chart["name"] and "%" in chart["text"], chart  # labels and numbers as text
        assert not chart["textInSvg"] and chart["table"], chart
    assert facts["scrollWidth"] <= facts["clientWidth"], facts


def _chart_texts_grow_with_the_text_size(site, page: Page, path: str) -> None:
    """On a phone, in every language, a reader who doubles the text size gets every chart label and number at
    least twice as large, and the page still does not scroll sideways. Labels drawn inside an SVG kept their
    16 px (the SVG is as wide as the phone whatever the text size)."""
    problems = []
    for lang in LANGUAGES:
        site.open(page, path, lang)
        normal = page.evaluate(CHART_TEXT_SIZES)
        assert normal, (lang, "no chart texts")
        page.evaluate(f"document.documentElement.style.fontSize = '{LARGE_TEXT}'")
        large = page.evaluate(CHART_TEXT_SIZES)
        assert [text for text, _ in large] == [text for text, _ in normal], lang
        problems += [f"{lang}: '{text}' {before:.1f} px -> {after:.1f} px" for (text, before), (_, after)
                     in zip(normal, large) if after < 2 * before - 0.1]
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > PHONE["width"]:
            problems.append(f"{lang}: the page is {scroll_width} px wide")
    assert not problems, "\n".join(problems[:20])


def _charts_readable_in_high_contrast(page: Page) -> None:
    """A dark Windows high-contrast theme paints the page black behind the charts; their labels must stay readable."""
    page.emulate_media(forced_colors="active", color_scheme="dark")
    try:
        unreadable = page.evaluate(CHART_LABELS_WITHOUT_CONTRAST)
    finally:
        page.emulate_media(forced_colors="none", color_scheme="light")
    assert not unreadable, unreadable


def test_publisher_publishes_results_and_a_tenant_reads_them_in_arabic_and_polish(site, new_page):
    publisher = new_page(DESKTOP)
    results_path = _publish(site, publisher)

    # The tenant was asked (the survey went to every home in the neighbourhood) and got a mail in Arabic.
    tenant = site.tenant("ar")
    mail = site.latest_mail(tenant.email, "results_published")
    assert site.link_in(mail).endswith(results_path), mail

    page = new_page(PHONE)
    site.sign_in_tenant(page, tenant)
    site.check_in_languages(page, "/results", "my results", last="ar")
    page.locator("main a", has_text=SURVEY["ar"]).click()
    assert site.path_of(page) == results_path
    _read_on_a_phone(site, page, "ar")
    _charts_readable_in_high_contrast(page)
    _chart_texts_grow_with_the_text_size(site, page, results_path)
    site.open(page, results_path, "nl")  # 'verborgen (beschermt een kleine groep)': the longest label
    assert not page.evaluate(CHART_TEXTS_CUT_OFF), page.evaluate(CHART_TEXTS_CUT_OFF)
    site.check_in_languages(page, results_path, "results", last="ar")

    # The same page in Polish, chosen in the language menu.
    page.locator("nav.languages a[lang=pl]").click()
    _read_on_a_phone(site, page, "pl")
    site.check(page, "results in Polish", "pl")

    # The neighbourhood: the published results with what will be done, and the survey still open there.
    site.open(page, "/results", "pl")
    page.locator("main a[href^='/neighbourhoods/']").click()
    neighbourhood_path = site.path_of(page)
    expect(page.locator("main article", has_text=SURVEY["pl"])).to_contain_text(ACTION)
    site.check_in_languages(page, neighbourhood_path, "neighbourhood", last="ar")
    # Nothing on these pages scrolls sideways on a phone, not even a table in its box (the council decisions were).
    for path in (neighbourhood_path, results_path):
        for lang in ("nl", "ar"):
            site.open(page, path, lang)
            assert not sideways_scrolling(page), (path, lang, sideways_scrolling(page))
    # With text at 200 % neither page nor any table in it scrolls sideways (the 'Who took part' table did, 16 px
    # at 360 px with text at 150 %), and no word of a stacked table breaks in a column a few letters wide.
    large = []
    for path in (neighbourhood_path, results_path):
        for lang in LANGUAGES:
            site.open(page, path, lang)
            large += [f"{path} ({lang}) {problem}" for problem in with_large_text(page, words=True)]
    assert not large, "\n".join(large)
    site.open(page, neighbourhood_path, "ar")
    page.locator("main article a", has_text=SURVEY["ar"]).click()
    assert site.path_of(page) == results_path
    site.checks.assert_clean()
