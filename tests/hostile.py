"""Hostile values for one form at a time: each field set to each value, each field sent twice, no CSRF token.

Sent as a raw urlencoded body, so a lone surrogate (which no str can encode) arrives as the bytes a
broken client would send. Every answer must be below 500; the caller says what else must hold.
"""
from __future__ import annotations

from urllib.parse import urlencode

from inspraak.extensions import db

VALUES = [
    "",
    "x" * 100_000,
    "\x00",
    "a\x00b",
    "\ud800",  # a lone surrogate
    "x\udfffy",
    "\u200b\u200c\u200d\ufeff\u2060",  # zero-width only
    "-1",
    str(10**30),
    "NaN",
    "2027-02-30",
    "0000-00-00",
]


def post_raw(client, path: str, pairs: list[tuple[str, str]]):  # noqa: ANN001, ANN201
    body = urlencode(pairs, encoding="utf-8", errors="surrogatepass")
    return client.post(path, data=body, content_type="application/x-www-form-urlencoded")


def payloads(fields: dict[str, str], csrf: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """(what, pairs): every field empty; every field set to each value; each field twice; no and a forged token."""
    names = [name for name in fields if name != "csrf_token"]
    out = [("all empty", [("csrf_token", csrf)] + [(n, "") for n in names])]
    for value in VALUES:
        for name in names:
            out.append((f"{name}={value[:12]!r}", [("csrf_token", csrf)] + [(n, value if n == name else fields[n])
                                                                          for n in names]))
    for name in names:
        out.append((f"{name} twice", [("csrf_token", csrf)] + [(n, fields[n]) for n in names] + [(name, "2")]))
    out.append(("no token", [(n, fields[n]) for n in names]))
    out.append(("forged token", [("csrf_token", "forged")] + [(n, fields[n]) for n in names]))
    return out


def send_all(client, path: str, fields: dict[str, str], csrf, *, check=None) -> int:  # noqa: ANN001
    """Send every payload to ``path``; ``csrf`` is a callable giving a fresh token; ``check(what, response)``
    may assert more. Returns how many were sent."""
    sent = 0
    for what, pairs in payloads(fields, "{csrf}"):
        token = csrf()
        pairs = [(n, token if v == "{csrf}" else v) for n, v in pairs]
        response = post_raw(client, path, pairs)
        assert response.status_code < 500, (path, what, response.status_code)
        if what in ("no token", "forged token"):
            assert response.status_code == 400, (path, what, response.status_code)
        if check is not None:
            check(what, response)
        db.session.rollback()
        sent += 1
    return sent
