"""Static files: pages link them under a fingerprint of their content, kept for a year."""
from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path

import pytest
from flask import url_for

from inspraak.core.assets import ONE_YEAR, fingerprint

LINKED = re.compile(r'(?:href|src)="(/static/[^"?]+)\?v=([0-9a-f]+)"')


def _digest(app, filename: str) -> str:
    return hashlib.sha256(Path(app.static_folder, filename).read_bytes()).hexdigest()[:12]


@pytest.mark.parametrize("lang", ["nl", "ar"])
def test_pages_link_static_files_under_their_fingerprint(client, app, lang):
    page = client.get(f"/sign-in?lang={lang}").get_data(as_text=True)
    linked = dict(LINKED.findall(page))
    assert {"/static/css/site.css", "/static/css/print.css", "/static/img/favicon.svg"} <= set(linked)
    for path, version in linked.items():
        assert version == _digest(app, path.removeprefix("/static/"))
    assert 'href="/static/' not in LINKED.sub("", page)  # no static link without its fingerprint


def test_a_fingerprinted_address_is_kept_for_a_year(client, app):
    with app.test_request_context():
        address = url_for("static", filename="css/site.css")
    response = client.get(address)
    assert response.status_code == 200
    assert response.cache_control.max_age == ONE_YEAR
    assert response.cache_control.public and response.cache_control.immutable
    assert response.headers["X-Content-Type-Options"] == "nosniff"  # the security headers stay


@pytest.mark.parametrize("query", ["", "?v=000000000000", "?v=", "?v=../../config.py"])
def test_without_the_current_fingerprint_the_browser_asks_again(client, query):
    response = client.get(f"/static/css/site.css{query}")
    assert response.status_code == 200
    assert response.cache_control.max_age is None and not response.cache_control.immutable
    assert response.cache_control.no_cache
    again = client.get(f"/static/css/site.css{query}", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304  # an unchanged file costs a round trip, not the file


@pytest.mark.parametrize("filename", ["nope.css", "../config.py", "/etc/passwd", "css", "css/site.css\x00", "x\x00"])
def test_no_fingerprint_for_what_is_not_a_static_file(app, client, filename):
    assert fingerprint(app, filename) is None
    with app.test_request_context():
        assert "v=" not in url_for("static", filename=filename)
    assert client.get(f"/static/{filename}?v=x").status_code in (404, 308)  # 308: werkzeug merges "//"


def test_a_nul_byte_in_a_static_address_is_not_found(client):
    """The operating system refuses a NUL in a file name (ValueError, not OSError): a 404, not an error page."""
    assert client.get("/static/css/site.css%00?v=x").status_code == 404


def test_a_changed_file_gets_a_new_address(app, client, tmp_path):
    static = tmp_path / "static"
    shutil.copytree(app.static_folder, static)
    app.static_folder = str(static)
    before = fingerprint(app, "css/site.css")
    with app.test_request_context():
        old_address = url_for("static", filename="css/site.css")
    sheet = static / "css" / "site.css"
    sheet.write_text(sheet.read_text() + "\n/* changed */\n")
    os.utime(sheet, ns=(sheet.stat().st_atime_ns, sheet.stat().st_mtime_ns + 1_000_000_000))
    after = fingerprint(app, "css/site.css")
    assert after != before and after == _digest(app, "css/site.css")
    with app.test_request_context():
        assert url_for("static", filename="css/site.css").endswith(f"?v={after}")
    stale = client.get(old_address)  # a page cached with the old address still gets the file, to revalidate
    assert stale.status_code == 200 and stale.cache_control.max_age is None


def test_a_static_address_follows_the_script_root_and_the_options(app):
    """Addresses of static files are kept per process: one kept for one mount point or form is not given for another."""
    with app.test_request_context("/"):
        plain = url_for("static", filename="css/site.css")
        assert plain == url_for("static", filename="css/site.css")  # kept, and the same
        external = url_for("static", filename="css/site.css", _external=True)
        anchored = url_for("static", filename="css/site.css", _anchor="top")
    with app.test_request_context("/", base_url="http://localhost/inspraak/"):
        mounted = url_for("static", filename="css/site.css")
    version = _digest(app, "css/site.css")
    assert plain == f"/static/css/site.css?v={version}"
    assert external == f"http://localhost/static/css/site.css?v={version}"
    assert anchored == f"/static/css/site.css?v={version}#top"
    assert mounted == f"/inspraak/static/css/site.css?v={version}"
