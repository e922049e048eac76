"""Requests sent at the same moment, for the tests of races (double submits, two tabs, two staff members)."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser

from flask import Flask


def race_posts(app: Flask, posts: list[tuple]) -> list[int]:
    """POST each (client, path, data) at the same moment, each in its own thread and request; their statuses.

    An exception in any request (exceptions propagate in tests) fails the caller.
    """
    barrier = threading.Barrier(len(posts))

    def send(post: tuple) -> int:
        client, path, data = post
        with app.app_context():  # each thread is its own request, with its own session
            barrier.wait()
            return client.post(path, data=data).status_code

    with ThreadPoolExecutor(max_workers=len(posts)) as pool:
        return list(pool.map(send, posts))


class _FormReader(HTMLParser):
    """The fields of the forms on a page with the values a browser would send (unchanged)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: dict[str, dict[str, str]] = {}
        self.form: dict[str, str] | None = None
        self.select = self.textarea = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "form":
            self.form = self.forms.setdefault(a.get("action") or "", {})
        elif self.form is None or (not a.get("name") and tag != "option"):
            return
        elif tag == "input":
            if a.get("type") not in ("submit", "checkbox", "radio"):
                self.form[a["name"]] = a.get("value") or ""
            elif "checked" in a:
                self.form[a["name"]] = a.get("value") or "on"
        elif tag == "textarea":
            self.textarea = a["name"]
            self.form[self.textarea] = ""
        elif tag == "select":
            self.select = a["name"]
        elif tag == "option" and self.select and ("selected" in a or self.select not in self.form):
            self.form[self.select] = a.get("value", "")

    def handle_data(self, data: str) -> None:
        if self.form is not None and self.textarea:
            self.form[self.textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self.form is not None and self.textarea:
            text = self.form[self.textarea]  # as a browser: a line break right after <textarea> is not text
            self.form[self.textarea] = text[2:] if text.startswith("\r\n") else text.removeprefix("\n")
        if tag == "form":
            self.form = None
        self.select = None if tag == "select" else self.select
        self.textarea = None if tag == "textarea" else self.textarea


def read_forms(html: str) -> dict[str, dict[str, str]]:
    """Each form of a page by its action ("" for a form that posts to its page), with the values a browser sends."""
    reader = _FormReader()
    reader.feed(html)
    return reader.forms


def form_values(client, page: str, action: str | None = None) -> dict[str, str]:  # noqa: ANN001
    """The form on ``page`` that posts to ``action`` (default: the page itself), as a browser would send it untouched."""
    response = client.get(page)
    assert response.status_code == 200, page
    forms = read_forms(response.get_data(as_text=True))
    form = forms.get(action or page)
    if form is None and action in (None, page):
        form = forms.get("")  # a form without an action posts to its page
    assert form is not None, f"no form for {action or page} on {page}"
    return dict(form)


def open_form(app: Flask, login, user, page: str, action: str | None = None) -> tuple:  # noqa: ANN001
    """``user`` signs in with a browser of their own and opens the form on ``page``: (client, what it would send)."""
    client = app.test_client()
    login(client, user)
    return client, form_values(client, page, action)


def _changed(form: dict[str, str], changes: dict) -> dict[str, str]:
    """A form as its sender changed it: a value of None unticks a box (a browser then sends nothing)."""
    return {name: value for name, value in {**form, **changes}.items() if value is not None}


def one_after_the_other(app: Flask, login, users: tuple, page: str, first: dict, second: dict,  # noqa: ANN001
                        action: str | None = None) -> tuple:
    """Two people (``users``) open the form on ``page`` posting to ``action``; the first saves its ``first``
    changes, then the second its ``second`` ones, with pages in English: (the second's client, its response)."""
    (one, one_form), (other, other_form) = (open_form(app, login, user, page, action) for user in users)
    target = action or page
    assert one.post(target, data=_changed(one_form, first)).status_code == 302
    return other, other.post(f"{target}?lang=en", data=_changed(other_form, second))


def at_the_same_moment(app: Flask, login, users: tuple, page: str, changes: list[dict],  # noqa: ANN001
                       action: str | None = None) -> list[int]:
    """Two people (``users``) open the form on ``page`` and save their ``changes`` at the same moment: the statuses."""
    opened = [open_form(app, login, user, page, action) for user in users]
    return race_posts(app, [(client, action or page, _changed(form, change))
                            for (client, form), change in zip(opened, changes, strict=True)])


CLASH = "Someone else changed this at the same moment. It is now: %s. Choose what you want and save again."


def told(refused, *values: str) -> str:  # noqa: ANN001
    """The page a save refused by a clash shows (409 Conflict), with each of ``values`` beside its field (English): its text.

    Each value is isolated from the sentence (``<bdi>``, tests/core/test_edits.py); here only the words count.
    """
    body = refused.get_data(as_text=True)
    assert refused.status_code == 409, refused.status_code
    words = body.replace("<bdi>", "").replace("</bdi>", "")
    assert all(CLASH % value in words for value in values), values
    return body


def fresh(model, id_: int):  # noqa: ANN001, ANN201
    """A row as the database holds it now (what the requests wrote), read by the test."""
    from inspraak.extensions import db

    db.session.expire_all()
    row = db.session.get(model, id_)
    db.session.commit()
    return row
