"""The checks themselves: a page with known faults must fail each of them, named by page and language."""
from __future__ import annotations

import pytest

from tests.e2e.conftest import PHONE
from tests.e2e.keyboard import Keyboard

FAULTY_PAGE = """<!doctype html>
<html lang="en" dir="ltr">
<head><meta charset="utf-8"><title>Faulty</title></head>
<body>
<main>
  <h1>Faulty</h1>
  <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
  <p id="twice">one</p><p id="twice">two</p>
  <div style="width: 900px">too wide for a phone</div>
  <p><span>unclosed</p>
  <p><a href="#ok">A link with focus that shows</a></p>
  <p><button type="button" style="outline: none; box-shadow: none">A button without a focus ring</button></p>
</main>
</body>
</html>
"""


def test_checks_report_faults_by_page_language_and_rule(site, new_page):
    page = new_page(PHONE)
    faulty_url = site.url("/e2e-faulty-page")
    page.route(faulty_url, lambda route: route.fulfill(status=200, content_type="text/html", body=FAULTY_PAGE))
    page.goto(faulty_url)
    site.check(page, "faulty page", "nl")
    keys = Keyboard(page, site.checks)
    keys.tab_to("the link", lambda focus: focus["tag"] == "a")
    keys.tab_to("the button", lambda focus: focus["tag"] == "button")

    with pytest.raises(AssertionError) as failure:
        site.checks.assert_clean()
    report = str(failure.value)
    assert "[language] faulty page (nl)" in report
    assert "[axe] faulty page (nl): image-alt" in report
    assert "[reflow] faulty page (nl): scrolls sideways at 320 px" in report
    assert "[html] faulty page (nl): line 8: Duplicate ID “twice”" in report
    assert "[html] faulty page (nl)" in report and "span" in report
    assert "[focus] /e2e-faulty-page (en): focus on <button> “A button without a focus ring” cannot be seen" in report
    assert "A link with focus" not in report
