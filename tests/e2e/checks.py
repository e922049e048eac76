"""What every page a journey visits must pass: axe-core (WCAG 2.1 A/AA), reflow at 320 px, valid HTML."""
from __future__ import annotations

import json
import re
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Page, Response

from tests.e2e.server import REPO

NODE_MODULES = REPO / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
ARTIFACTS = REPO / "artifacts" / "e2e"

LANGUAGES = ("nl", "en", "tr", "ar", "pl")
RTL_LANGUAGES = {"ar"}
# WCAG 2.0/2.1 A and AA, and axe's best practices (headings in order, landmarks, one h1).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
REFLOW_WIDTH = 320  # CSS pixels: 1280 px at 400% zoom (WCAG 1.4.10)

# Elements that stick out of the viewport, for a reflow failure that says where to look.
OVERFLOW_SCRIPT = """
() => {
  const root = document.scrollingElement;
  const width = root.clientWidth;
  const culprits = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (box.right > width + 1 || box.left < -1) {
      let path = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
        (el.classList.length ? '.' + [...el.classList].join('.') : '');
      culprits.push(path + ' [' + Math.round(box.left) + '..' + Math.round(box.right) + ']');
      if (culprits.length >= 5) break;
    }
  }
  return {scrollWidth: root.scrollWidth, clientWidth: width, culprits};
}
"""

# Whatever scrolls sideways: the page, or a box within it (a wide table in a scroll box passes the page's reflow
# check, yet a tenant on a phone still has to swipe along each of its rows).
SIDEWAYS_SCRIPT = """
() => {
  const found = [];
  const root = document.scrollingElement;
  if (root.scrollWidth > root.clientWidth) found.push('the page [' + root.scrollWidth + ' > ' + root.clientWidth + ']');
  for (const el of document.body.querySelectorAll('*')) {
    const overflow = getComputedStyle(el).overflowX;
    if ((overflow === 'auto' || overflow === 'scroll') && el.scrollWidth > el.clientWidth + 1) {
      const path = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
        (el.classList.length ? '.' + [...el.classList].join('.') : '');
      found.push(path + ' "' + (el.getAttribute('aria-label') || el.textContent.trim().slice(0, 40)) + '" [' +
        el.scrollWidth + ' > ' + el.clientWidth + ']');
    }
  }
  return found;
}
"""

FOCUS_SCRIPT = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  return {
    tag: el.tagName.toLowerCase(),
    text: (el.innerText || el.value || el.getAttribute('aria-label') || el.name || '').trim().slice(0, 60),
    href: el.getAttribute('href'),
    type: el.getAttribute('type'),
    name: el.getAttribute('name'),
    focusVisible: el.matches(':focus-visible'),
    indicator: outline || shadow,
    inViewport: box.bottom > 0 && box.right > 0 && box.top < innerHeight && box.left < innerWidth
      && box.width > 0 && box.height > 0,
  };
}
"""


@dataclass
class Problem:
    """One failed check, named by page and language."""

    check: str
    page: str
    lang: str
    detail: str

    def __str__(self) -> str:
        return f"[{self.check}] {self.page} ({self.lang}): {self.detail}"


@dataclass
class CheckedPage:
    name: str
    lang: str
    url: str
    html_path: Path


@dataclass
class PageChecks:
    """Checks the pages of one journey; problems are collected and reported together at the end.

    `check_page(page, name, lang)` takes a screenshot, runs axe-core and the 320 px reflow check,
    and validates the HTML the server sent with the Nu HTML Checker; `assert_clean()` fails
    with every problem found, named by page and language.
    """

    journey: str
    out_dir: Path
    html_checker: HtmlChecker
    problems: list[Problem] = field(default_factory=list)
    pages: list[CheckedPage] = field(default_factory=list)
    verified: bool = False
    _documents: dict[int, Response] = field(default_factory=dict)

    def watch(self, page: Page) -> Page:
        """Remember each main-frame document the page receives, so its HTML can be validated as sent."""

        def on_response(response: Response) -> None:
            if response.request.resource_type == "document" and response.frame == page.main_frame:
                self._documents[id(page)] = response

        page.on("response", on_response)
        return page

    # -- the checks -------------------------------------------------------------------------

    def check_page(self, page: Page, name: str, lang: str) -> None:
        """Screenshot, language attributes, axe-core, reflow and HTML collection for the current page."""
        page.wait_for_load_state("load")
        step = len(self.pages) + 1
        stem = f"{step:02d}-{slug(name)}.{lang}"
        screenshot(page, self.out_dir / f"{stem}.png")
        self._check_language(page, name, lang)
        self._check_axe(page, name, lang)
        self._check_reflow(page, name, lang)
        html_path = self.out_dir / "html" / f"{stem}.html"
        html_path.parent.mkdir(parents=True, exist_ok=True)
        response = self._documents.get(id(page))
        if response is None or response.url.split("#")[0] != page.url.split("#")[0]:
            self.problems.append(Problem("html", name, lang, f"no document response recorded for {page.url}"))
        else:
            html = response.body()
            html_path.write_bytes(html)
            self._check_html(html, name, lang)
        self.pages.append(CheckedPage(name, lang, page.url, html_path))

    def _check_html(self, html: bytes, name: str, lang: str) -> None:
        for message in self.html_checker.errors(html):
            where = f"line {message['lastLine']}: " if message.get("lastLine") else ""
            extract = (message.get("extract") or "").strip().replace("\n", " ")
            self.problems.append(
                Problem("html", name, lang, f"{where}{message.get('message')}" + (f" — “{extract}”" if extract else ""))
            )

    def _check_language(self, page: Page, name: str, lang: str) -> None:
        actual = page.evaluate("() => [document.documentElement.lang, document.documentElement.dir]")
        expected = [lang, "rtl" if lang in RTL_LANGUAGES else "ltr"]
        if actual != expected:
            self.problems.append(Problem("language", name, lang, f'<html lang dir> is {actual}, expected {expected}'))

    def _check_axe(self, page: Page, name: str, lang: str) -> None:
        # Evaluated through the DevTools protocol: the page's CSP (script-src 'self') does not apply.
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(_axe_source())
        result = page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            AXE_TAGS,
        )
        for violation in result["violations"]:
            nodes = "; ".join(
                " ".join(node["target"] if isinstance(node["target"], list) else [str(node["target"])])
                + (f" → {node['failureSummary'].splitlines()[-1].strip()}" if node.get("failureSummary") else "")
                for node in violation["nodes"][:5]
            )
            more = f" (+{len(violation['nodes']) - 5} more)" if len(violation["nodes"]) > 5 else ""
            self.problems.append(
                Problem("axe", name, lang, f"{violation['id']} ({violation['impact']}): {violation['help']} — {nodes}{more}")
            )

    def _check_reflow(self, page: Page, name: str, lang: str) -> None:
        viewport = page.viewport_size
        page.set_viewport_size({"width": REFLOW_WIDTH, "height": viewport["height"] if viewport else 740})
        try:
            measured = page.evaluate(OVERFLOW_SCRIPT)
        finally:
            if viewport:
                page.set_viewport_size(viewport)
        if measured["scrollWidth"] > measured["clientWidth"]:
            self.problems.append(
                Problem(
                    "reflow", name, lang,
                    f"scrolls sideways at {REFLOW_WIDTH} px: scrollWidth {measured['scrollWidth']} > "
                    f"clientWidth {measured['clientWidth']}; sticking out: {', '.join(measured['culprits']) or '?'}",
                )
            )

    # -- the end of a journey ---------------------------------------------------------------

    def assert_clean(self) -> None:
        """Fail with every problem found on the journey's pages (or pass when there is none)."""
        self.verified = True
        if self.problems:
            lines = "\n".join(f"  {problem}" for problem in self.problems)
            raise AssertionError(
                f"{len(self.problems)} problem(s) on the pages of journey {self.journey!r} "
                f"(screenshots and HTML in {self.out_dir}):\n{lines}"
            )


class HtmlChecker:
    """The Nu HTML Checker as a local service: one Java start for the whole run, then ~0.1 s a page."""

    def __init__(self, log_path: Path) -> None:
        self.port = _free_port()
        self.log_path = log_path
        self._ready = False
        with log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    "java", "-Xss4m", "-Dnu.validator.servlet.bind-address=127.0.0.1",
                    "-cp", str(VNU_JAR), "nu.validator.servlet.Main", str(self.port),
                ],
                stdout=log, stderr=subprocess.STDOUT,
            )

    def errors(self, html: bytes) -> list[dict]:
        """The checker's error messages for one HTML document."""
        self._wait_until_ready()
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/?out=json&level=error",
            data=html,
            headers={"Content-Type": "text/html; charset=utf-8"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            report = json.load(response)
        return [m for m in report.get("messages", []) if m.get("type") in ("error", "non-document-error")]

    def _wait_until_ready(self, timeout: float = 120) -> None:
        if self._ready:
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"The HTML checker stopped: {self.log_path.read_text(errors='replace')[-2000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=5):
                    self._ready = True
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.25)
        raise RuntimeError(f"The HTML checker did not start within {timeout} s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def sideways_scrolling(page: Page, widths: tuple[int, ...] = (360, REFLOW_WIDTH)) -> list[str]:
    """What scrolls sideways on the page as it is now, at each of ``widths`` (CSS pixels): the page or a box in it."""
    viewport = page.viewport_size or {"width": 360, "height": 740}
    found = []
    try:
        for width in widths:
            page.set_viewport_size({"width": width, "height": viewport["height"]})
            found += [f"{width} px: {what}" for what in page.evaluate(SIDEWAYS_SCRIPT)]
    finally:
        page.set_viewport_size(viewport)
    return found


# Words broken across two lines although the text column has room for them on a line of their own: a padding,
# margin or narrow column squeezed them ("kontynu-uj" in a button, "verbor-gen" in a table with large text).
# A break at a hyphen ("e-mails") is an ordinary line break, and a word of nearly the column's width may break
# in a list or a quote (their marker or rule needs about a tenth of a phone's width).
SQUEEZED_WORDS_SCRIPT = """
() => {
  const main = document.querySelector('main');
  const style = getComputedStyle(main);
  const column = main.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const squeezed = [];
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el.getClientRects().length || el.closest('.visually-hidden, svg, [hidden]')) continue;
    for (const word of node.data.matchAll(/\\S+/g)) {
      if (word[0].includes('-')) continue;
      const range = document.createRange();
      range.setStart(node, word.index);
      range.setEnd(node, word.index + word[0].length);
      const rects = [...range.getClientRects()].filter(rect => rect.width > 0);
      const width = rects.reduce((sum, rect) => sum + rect.width, 0);
      if (new Set(rects.map(rect => Math.round(rect.top))).size > 1 && width <= 0.9 * column) {
        squeezed.push(word[0] + ' <' + el.tagName.toLowerCase() + '> (' + Math.round(width) + ' of ' + column + ' px)');
      }
    }
  }
  return squeezed;
}
"""

LARGE_TEXT = "200%"


def with_large_text(page: Page, widths: tuple[int, ...] = (360, REFLOW_WIDTH), *, words: bool = False) -> list[str]:
    """The page as it is now with its text at 200 % (the root font size, as a reader's text zoom sets it):
    whatever scrolls sideways at each of ``widths`` (the page or a box in it), and with ``words`` each word
    broken across lines on a 360 px phone that would fit the text column on its own (at 320 px a long word
    in a box may have to break)."""
    page.evaluate(f"document.documentElement.style.fontSize = '{LARGE_TEXT}'")
    found = sideways_scrolling(page, widths)
    if words:
        viewport = page.viewport_size or {"width": 360, "height": 740}
        try:
            page.set_viewport_size({"width": 360, "height": viewport["height"]})
            found += [f"360 px: broken word {word}" for word in page.evaluate(SQUEEZED_WORDS_SCRIPT)]
        finally:
            page.set_viewport_size(viewport)
    return found


def focus_state(page: Page) -> dict | None:
    """What has keyboard focus now, and whether the user can see that it has."""
    return page.evaluate(FOCUS_SCRIPT)


def _axe_source() -> str:
    global _AXE
    if _AXE is None:
        _AXE = AXE_JS.read_text(encoding="utf-8")
    return _AXE


_AXE: str | None = None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


SCREENSHOT_MAX_HEIGHT = 12_000  # CSS pixels; a batch of printed letters runs to many metres


def screenshot(page: Page, path: Path) -> None:
    """A full-page screenshot; of a very tall page (a batch of letters) only its top, which Chromium takes quickly."""
    height = page.evaluate("document.documentElement.scrollHeight")
    clip = None
    if height > SCREENSHOT_MAX_HEIGHT:
        clip = {"x": 0, "y": 0, "width": page.viewport_size["width"], "height": SCREENSHOT_MAX_HEIGHT}
    page.screenshot(path=str(path), full_page=True, clip=clip)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "page"
