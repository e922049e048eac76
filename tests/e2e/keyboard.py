"""Moving through pages by keyboard alone, checking that focus can always be seen."""
from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from playwright.sync_api import Page

from tests.e2e.checks import PageChecks, Problem, slug, focus_state


class Keyboard:
    """Moving through a page with Tab, and checking at every stop that focus can be seen."""

    MAX_STOPS = 60

    def __init__(self, page: Page, checks: PageChecks) -> None:
        self.page = page
        self.checks = checks
        self.stops = 0

    def tab(self) -> dict | None:
        self.page.keyboard.press("Tab")
        focus = focus_state(self.page)
        if focus is not None and not (focus["focusVisible"] and focus["indicator"] and focus["inViewport"]):
            where = urlsplit(self.page.url).path
            lang = self.page.evaluate("document.documentElement.lang")
            self.checks.problems.append(
                Problem("focus", where, lang, f"focus on <{focus['tag']}> “{focus['text']}” cannot be seen: {focus}")
            )
        return focus

    def tab_to(self, what: str, wanted: Callable[[dict], bool]) -> dict:
        """Press Tab until the focused element is the one wanted (and screenshot it); fail when it is never reached."""
        seen = []
        for _ in range(self.MAX_STOPS):
            focus = self.tab()
            if focus is not None and wanted(focus):
                self.stops += 1
                shot = self.checks.out_dir / f"focus-{self.stops:02d}-{slug(what)}.png"
                self.page.screenshot(path=str(shot))
                return focus
            seen.append(f"<{focus['tag']}> {focus['text']}" if focus else "(nothing)")
        raise AssertionError(f"Tab never reaches {what} on {self.page.url}; it visits: {' | '.join(seen)}")

    def follow(self, key: str) -> None:
        """Press Enter or Space on the focused link or button and wait for the next page."""
        with self.page.expect_navigation():
            self.page.keyboard.press(key)
