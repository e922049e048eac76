"""Forms with a one-time token (core.once): sent twice they act once, and without their token they are refused."""
from __future__ import annotations

import re
from collections.abc import Callable

import sqlalchemy as sa

from inspraak.core.once import new_token
from inspraak.extensions import db

FORM_RE = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)


def rows(model, *where) -> int:  # noqa: ANN001
    """How many rows of ``model`` match; ends the test's read so the next request can write (SQLite)."""
    value = db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))
    db.session.commit()
    return value


def sent_twice(client, path: str, data: Callable[[], dict], *, page: str, count: Callable[[], int]) -> str:  # noqa: ANN001
    """The form on ``page`` that posts to ``path`` carries a token; the same form sent twice adds one row
    (``count``) and both sends land on the same page; the form without its token is refused (400).

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
    assert client.post_form(path, data(), token_from=page).status_code == 400
    assert count() == before + 1
    return first.location
