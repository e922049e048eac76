"""Static files at addresses that name their content, so a browser keeps them for a year.

Every page links the style sheets, the icon and (on answer pages) a script. Without a
cache policy a phone asks again for each of them on every page (a round trip each, slow
on a weak connection). Here ``url_for('static', ...)`` adds ``?v=`` and the first 12 hex
digits of the file's SHA-256; a request whose ``v`` is the file's current fingerprint is
answered with ``Cache-Control: public, max-age=<one year>, immutable``. A changed file
gets a new address, so nobody keeps an old copy; a request without ``v``, or with an old
one, gets what Flask gives by default (no lifetime: the browser asks again, and an
unchanged file costs a 304).
"""
from __future__ import annotations

import hashlib
import os
from typing import Any

from flask import Flask, Response, has_request_context, request
from werkzeug.security import safe_join

ONE_YEAR = 365 * 24 * 3600
_FINGERPRINTS = "inspraak_static_fingerprints"


def fingerprint(app: Flask, filename: str) -> str | None:
    """The first 12 hex digits of the file's SHA-256, or None for no such file.

    Worked out once per version of the file: kept under its size and modification time,
    so a file changed while the server runs (development) gets its new fingerprint.
    """
    path = safe_join(app.static_folder or "", filename)
    if path is None or "\x00" in path:  # the system refuses NUL in a name (ValueError, not OSError)
        return None
    try:
        stat = os.stat(path)
    except OSError:
        return None
    known: dict[str, tuple[tuple[int, int], str]] = app.extensions.setdefault(_FINGERPRINTS, {})
    version = (stat.st_mtime_ns, stat.st_size)
    kept = known.get(filename)
    if kept is not None and kept[0] == version:
        return kept[1]
    try:
        with open(path, "rb") as file:
            digest = hashlib.sha256(file.read()).hexdigest()[:12]
    except OSError:
        return None
    known[filename] = (version, digest)
    return digest


_STATIC_URLS = "inspraak_static_urls"
_STATIC_URLS_KEPT = 256


class AssetFlask(Flask):
    """Flask, with a year's lifetime for a static file asked for under its current fingerprint."""

    def url_for(self, /, endpoint: str, *, _anchor: str | None = None, _method: str | None = None,
                _scheme: str | None = None, _external: bool | None = None, **values: Any) -> str:
        """``url_for('static', filename=...)`` (every page links three or four) is built once per file version.

        Building an address through the URL map cost more than the rest of linking a file;
        the address depends only on the script root, the file and its fingerprint, which is
        still looked up on every call, so a changed file gets its new address at once.
        """
        options = {"_anchor": _anchor, "_method": _method, "_scheme": _scheme, "_external": _external}
        filename = values.get("filename") if endpoint == "static" and len(values) == 1 else None
        if (not isinstance(filename, str) or _anchor is not None or _method is not None or _scheme is not None
                or _external or not has_request_context()):
            return super().url_for(endpoint, **options, **values)
        key = (request.script_root, filename, fingerprint(self, filename))
        kept: dict[tuple[str, str, str | None], str] = self.extensions.setdefault(_STATIC_URLS, {})
        url = kept.get(key)
        if url is None:
            if len(kept) >= _STATIC_URLS_KEPT:
                kept.clear()
            url = kept[key] = super().url_for(endpoint, **options, **values)
        return url

    def get_send_file_max_age(self, filename: str | None) -> int | None:
        wanted = request.args.get("v")
        if filename and wanted and wanted == fingerprint(self, filename):
            return ONE_YEAR
        return super().get_send_file_max_age(filename)


def _add_fingerprint(endpoint: str, values: dict) -> None:
    if endpoint == "static" and "v" not in values and values.get("filename"):
        from flask import current_app

        digest = fingerprint(current_app, values["filename"])
        if digest:
            values["v"] = digest


def _mark_immutable(response: Response) -> Response:
    if request.endpoint == "static" and response.cache_control.max_age == ONE_YEAR:
        response.cache_control.immutable = True
    return response


def init_app(app: Flask) -> None:
    app.url_defaults(_add_fingerprint)
    app.after_request(_mark_immutable)
