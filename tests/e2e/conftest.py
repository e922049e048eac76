"""Fixtures for the browser tests: the server, Debian's Chromium, pages, checks and sign-in helpers.

A journey asks for `site` (the server, sign-in helpers and page checks) and `new_page`
(a browser tab of a given size), and calls `site.check(page, name, lang)` on every page it
visits; the journey's HTML is validated and every problem reported when the test ends.
"""
from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from playwright.sync_api import Browser, Page, Playwright, Response, expect, sync_playwright

from inspraak.core.timeutil import local_today
from tests.e2e.checks import ARTIFACTS, AXE_JS, LANGUAGES, VNU_JAR, HtmlChecker, PageChecks
from tests.e2e.server import Demo, DemoTenant, Server, start_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}



def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in item.nodeid:
            item.add_marker(pytest.mark.e2e)


def _missing_tools() -> list[str]:
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append(f"Chromium at {CHROMIUM} (apt-get install chromium)")
    if shutil.which("java") is None:
        missing.append("a Java runtime for the HTML checker (apt-get install default-jre-headless)")
    if not AXE_JS.exists() or not VNU_JAR.exists():
        missing.append("axe-core and vnu-jar in node_modules (npm ci --ignore-scripts)")
    return missing


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """artifacts/e2e, emptied at the start of each run."""
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def tools() -> None:
    missing = _missing_tools()
    if missing:
        pytest.fail("The browser tests need: " + "; ".join(missing) + ". `make test-e2e` installs them.", pytrace=False)


@pytest.fixture(scope="session")
def html_checker(tools: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[HtmlChecker]:
    """The Nu HTML Checker as a local service; Java starts while the app server starts."""
    checker = HtmlChecker(tmp_path_factory.mktemp("vnu") / "vnu.log")
    yield checker
    checker.stop()


@pytest.fixture(scope="session")
def server(html_checker: HtmlChecker, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """inspraak in gunicorn on a free loopback port, over a fresh SQLite database with the demo data."""
    running = start_server(tmp_path_factory.mktemp("e2e-server"))
    yield running
    running.stop()


@pytest.fixture(scope="session")
def demo(server: Server) -> Demo:
    return server.demo


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as instance:
        yield instance


@pytest.fixture(scope="session")
def browser(playwright: Playwright, server: Server) -> Iterator[Browser]:
    """Debian's Chromium, headless (never a downloaded browser)."""
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture
def checks(request: pytest.FixtureRequest, artifacts: Path, html_checker: HtmlChecker) -> Iterator[PageChecks]:
    """The page checks of one journey, named after the test; verified when the test ends."""
    journey = re.sub(r"^test_", "", request.node.name)
    out_dir = artifacts / re.sub(r"[^A-Za-z0-9_.-]+", "-", journey)
    out_dir.mkdir(parents=True, exist_ok=True)
    page_checks = PageChecks(journey=journey, out_dir=out_dir, html_checker=html_checker)
    yield page_checks
    call = getattr(request.node, "report_call", None)
    if call is not None and call.passed and not page_checks.verified:
        page_checks.assert_clean()


@pytest.fixture
def new_page(browser: Browser, checks: PageChecks) -> Iterator[Callable[..., Page]]:
    """Open a tab in a fresh browser profile: `new_page(PHONE)`; a Dutch phone unless told otherwise."""
    contexts = []

    def open_page(viewport: dict[str, int] = PHONE, locale: str = "nl-NL") -> Page:
        context = browser.new_context(viewport=viewport, locale=locale, timezone_id="Europe/Amsterdam")
        context.set_default_timeout(15_000)
        contexts.append(context)
        return checks.watch(context.new_page())

    yield open_page
    for context in contexts:
        context.close()


class Site:
    """The running site as a journey uses it: addresses, navigation, sign-in, mail, and the checks."""

    def __init__(self, server: Server, checks: PageChecks) -> None:
        self.server = server
        self.demo = server.demo
        self.checks = checks

    def url(self, path: str, lang: str | None = None, **params: object) -> str:
        query = {**({"lang": lang} if lang else {}), **params}
        return self.server.url + path + (("&" if "?" in path else "?") + urlencode(query) if query else "")

    def open(self, page: Page, path: str, lang: str | None = None, status: int = 200, **params: object) -> Response:
        """Go to a page and insist on its HTTP status."""
        response = page.goto(self.url(path, lang, **params))
        assert response is not None, f"no response for {path}"
        assert response.status == status, f"{path} answered {response.status}, expected {status}"
        return response

    def check(self, page: Page, name: str, lang: str) -> None:
        """Run every page check (screenshot, axe, reflow, HTML) on the page as it is now."""
        self.checks.check_page(page, name, lang)

    def check_in_languages(
        self, page: Page, path: str, name: str, *, last: str = "nl", status: int = 200,
        languages: tuple[str, ...] = LANGUAGES,
    ) -> None:
        """Open a page by GET in all five languages, or those given (ending in `last`), and check each.

        A `?lang=` is remembered in the session and the signed-in user's profile, so ending
        in `last` leaves the user in the language the journey goes on with.
        """
        for lang in [code for code in languages if code != last] + [last]:
            self.open(page, path, lang, status=status)
            self.check(page, name, lang)

    def path_of(self, page: Page) -> str:
        return urlsplit(page.url).path

    # -- signing in ---------------------------------------------------------------------------

    def tenant(self, lang: str) -> DemoTenant:
        """The demo tenant whose preferred language is `lang`, with a working letter code."""
        return self.demo.tenants[lang]

    def sign_in_tenant(self, page: Page, tenant: DemoTenant) -> None:
        """Sign a tenant in with the code from their letter, as they would on the sign-in page."""
        self.open(page, "/sign-in")
        page.get_by_role("textbox", name=re.compile("code", re.I)).first.fill(tenant.code)
        page.locator("form[action$='/sign-in/code'] button[type=submit]").click()
        expect(page.locator("form[action$='/sign-out'] button")).to_be_visible()

    def sign_in_staff(self, page: Page, role: str, lang: str | None = None) -> None:
        """Sign a demo staff member with this role in with e-mail and password."""
        self.open(page, "/staff/sign-in", lang)
        page.locator("input[name=email]").fill(self.demo.staff[role])
        page.locator("input[name=password]").fill(self.demo.password)
        page.locator("main form button[type=submit]").click()
        expect(page.locator("form[action$='/sign-out'] button")).to_be_visible()

    def sign_out(self, page: Page) -> None:
        page.locator("form[action$='/sign-out'] button").click()
        expect(page.locator("form[action$='/sign-out']")).to_have_count(0)

    # -- council -----------------------------------------------------------------------------

    def plan_meeting(self, page: Page, title: str, days_ahead: int) -> str:
        """On the secretary's 'plan a meeting' page: fill it in (19:30, ``days_ahead`` days from now, at the demo's
        community centre, the title and place in Dutch whatever the page's language) and send it; returns the
        address of the new meeting's manage page."""
        starts = (local_today() + timedelta(days=days_ahead)).strftime("%Y-%m-%dT19:30")  # Dutch time, as typed
        page.locator("input[name=title]").fill(title)
        page.locator("input[name=starts_at]").fill(starts)
        page.locator("input[name=place]").fill("Buurthuis De Linde")
        page.locator("select[name=language]").select_option("nl")
        page.locator("main form button[type=submit]").click()
        expect(page.locator("h1")).to_contain_text(title)
        return self.path_of(page)

    # -- mail --------------------------------------------------------------------------------

    def latest_mail(self, to_address: str, kind: str) -> str:
        """The text of the newest queued mail of a kind to an address (no mail worker runs)."""
        with sqlite3.connect(self.server.db_path) as connection:
            row = connection.execute(
                "SELECT body_text FROM outbox_message WHERE to_address = ? AND kind = ? ORDER BY id DESC LIMIT 1",
                (to_address, kind),
            ).fetchone()
        assert row is not None, f"no {kind} mail to {to_address} in the outbox"
        return row[0]

    def link_in(self, text: str) -> str:
        match = re.search(re.escape(self.server.url) + r"/\S+", text)
        assert match, f"no link to {self.server.url} in:\n{text}"
        return match.group(0)


@pytest.fixture
def site(server: Server, checks: PageChecks) -> Site:
    return Site(server, checks)


def java_version() -> str:
    result = subprocess.run(["java", "-version"], capture_output=True, text=True)
    return (result.stderr or result.stdout).splitlines()[0] if result.returncode == 0 else "none"


def pytest_report_header(config: pytest.Config) -> list[str]:
    chromium = "missing"
    if Path(CHROMIUM).exists():
        result = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True)
        chromium = result.stdout.strip() or "unknown version"
    return [f"browser: {chromium}", f"java: {java_version() if shutil.which('java') else 'missing'}"]
