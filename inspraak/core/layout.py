"""The site header, rendered once per language, address and kind of reader, and kept per process.

Every page starts with the same header: the language switcher (links to this address in
each language), the menu (by who is signed in: nobody, a tenant, or staff with their roles)
and the sign-out button. Rendering it was a third of a simple page. Its HTML depends only
on the reader's language, the address (path and query) and the kind of reader, so it is
rendered once per such key; the one personal part, the CSRF token of the sign-out form,
is put in per request.
"""
from __future__ import annotations

from flask import render_template, request
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from inspraak.core.i18n import current_language
from inspraak.core.memo import app_cache

# Never part of an address: quote() writes a NUL in a path or query as %00.
CSRF_PLACEHOLDER = "\x00csrf\x00"


def _reader() -> tuple:
    user = current_user._get_current_object()
    if not user.is_authenticated:
        return ("anonymous",)
    if user.is_staff:
        return ("staff", tuple(sorted(role.value for role in user.roles)))
    return ("tenant",)


def site_header(languages_in_page: str | None = None) -> Markup:
    """The header of this page (see the module's text).

    ``languages_in_page``: the fragment (``#…``) of the page's own language choice, for a page whose
    form would lose what was typed if a language link left it; the language links lead there.
    """
    key = (current_language(), request.full_path, _reader(), languages_in_page)
    html = app_cache("layout_header", size=512).get_or_render(
        key, lambda: Markup(render_template("_layout/header.html", csrf_placeholder=CSRF_PLACEHOLDER,
                                            languages_in_page=languages_in_page)))
    if CSRF_PLACEHOLDER in html:
        html = Markup(html.replace(CSRF_PLACEHOLDER, generate_csrf()))
    return html
