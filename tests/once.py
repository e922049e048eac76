"""Forms with a one-time token (core.once): sent twice they act once; without their token they are refused and say why."""
from __future__ import annotations

import html
import re
from collections.abc import Callable

import sqlalchemy as sa

from flask_babel import force_locale

from inspraak.core.once import DAMAGED, new_token
from inspraak.extensions import db

FORM_RE = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)


def rows(model, *where) -> int:  # noqa: ANN001
    """How many rows of ``model`` match; ends the test's read so the next request can write (SQLite)."""
    value = db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))
    db.session.commit()
    return value


def sent_twice(client, path: str, data: Callable[[], dict], *, page: str, count: Callable[[], int]) -> str:  # noqa: ANN001
    """The form on ``page`` that posts to ``path`` carries a token; the same form sent twice adds one row
    (``count``) and both sends land on the same page; the form with its token left out or changed is refused (400)
    with a message saying so, in the site's page, what was typed kept (``damaged_form_comes_back``).

    ``data`` makes the fields afresh for each send (an uploaded file is read once). Returns the page both land on.
    """
    forms = [body for attrs, body in FORM_RE.findall(client.get(page).get_data(as_text=True))
             if f'action="{path}"' in attrs or ("action=" not in attrs and path == page)]
    assert forms and all('name="once"' in body for body in forms), path
    before, token = count(), new_token()
    first, second = (client.post_form(path, {**data(), "once": token}, token_from=page) for _ in range(2))
    assert first.status_code == 302, first.get_data(as_text=True)[-3000:]
    assert second.status_code == 302 and second.location == first.location
    assert count() == before + 1
    for damaged in ({}, {"once": "x" + token[:8] + "!"}):
        damaged_form_comes_back(client.post_form(path, {**data(), **damaged}, token_from=page), data())
    assert count() == before + 1
    return first.location


def damaged_form_comes_back(response, sent: dict) -> None:  # noqa: ANN001
    """A form whose hidden parts were left out or changed: 400, the site's page saying so, the texts typed still there."""
    body = response.get_data(as_text=True)
    assert response.status_code == 400, body[-2000:]
    with force_locale(re.search(r'<html lang="([^"]+)"', body).group(1)):  # the message in the page's language
        assert str(DAMAGED) in html.unescape(body)
    assert '<header class="site-header">' in body  # the site's own page, not a bare one
    for value in sent.values():
        if isinstance(value, str) and len(value) > 3:
            assert html.escape(value) in body, value
