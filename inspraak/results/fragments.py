"""The rendered numbers of a publication, kept per process: a published version never changes.

Presenting a snapshot (labels, shares, number formats, SVG charts) and rendering it costs
far more than the rest of the results page. The HTML below the page's header depends only
on the publication and the reader's language, so it is rendered once per (publication,
language) and kept in a small LRU on the app. Nothing user-specific is in it: the layout
around it (name, CSRF token, language links) is rendered per request as always.

A correction is a new publication with a new id, so it is a new key: nothing needs to be
invalidated. Who may read a publication is decided before the cache is asked.
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from flask import get_template_attribute
from markupsafe import Markup

from inspraak.core.i18n import current_language
from inspraak.core.memo import app_cache
from inspraak.results.models import Publication
from inspraak.results.presenting import present
from inspraak.results.texts import with_live_translations

def results_html(publication: Publication, quotes: list[dict[str, Any]] | None = None,
                 texts_changed_at: datetime | None = None) -> Markup:
    """The turnout and every question of one publication, as HTML in the reader's language.

    The key holds the publication's identity (id, consultation, version, time of publishing,
    so that a reused id after a rollback is still a new key), the language, which also
    decides the number formats and the text direction of the charts, and the quotes' texts:
    translations of quotes may be added after publishing (``texts.published_quotes``).
    With ``texts_changed_at`` (the consultation's ``updated_at``, which moves with any change
    to its questions, choices or rows) the questions carry their translations as they are
    now (``texts.with_live_translations``), and the key holds that moment.
    """
    quotes = publication.snapshot.get("quotes", []) if quotes is None else quotes
    key = (publication.id, publication.consultation_id, publication.version, publication.created_at,
           current_language(), json.dumps(quotes, sort_keys=True, default=str), texts_changed_at)

    def render() -> Markup:
        body = get_template_attribute("results/_results.html", "results_body")
        snapshot = publication.snapshot
        if texts_changed_at is not None:
            snapshot = with_live_translations(snapshot, publication.consultation_id)
        return Markup(body(present(snapshot, quotes)))

    return app_cache("results_fragments").get_or_render(key, render)
