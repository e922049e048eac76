"""Wiring language choice into each request and the templates."""
from __future__ import annotations

import unicodedata
from copy import copy
from datetime import datetime
from decimal import Decimal, localcontext

from flask import Flask, g
from babel.dates import get_datetime_format
from babel.numbers import format_percent as babel_format_percent
from babel.support import NullTranslations
from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    format_time,
    get_locale,
    get_translations,
    refresh,
)
from flask_login import current_user
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup

from inspraak.core import i18n, layout
from inspraak.core.db import take_write_lock


def locale_selector() -> str:
    return i18n.select_locale()


def _save_explicit_choice() -> None:
    """A ?lang= choice is remembered in the session and, when signed in, in the profile."""
    _remember(None)


def _remember(chosen: str | None) -> str | None:
    """Remember ``chosen`` (or ?lang= when None) in the session and the signed-in person's profile."""
    chosen = i18n.remember_language_choice(chosen)
    if chosen and current_user.is_authenticated and current_user.preferred_language != chosen:
        from inspraak.extensions import db

        # The transaction began as a read (a GET, or an answering page, which writes late): on SQLite
        # its write would fail if another request wrote since that read, so it takes the lock first.
        take_write_lock(db.session)
        current_user.preferred_language = chosen
        db.session.commit()
    return chosen


def switch_language(code: str) -> None:
    """Choose the language from a form (the language buttons of an answering page), as ?lang= does.

    Remembered in the session and the profile (a commit: call it before loading what the view uses),
    and the rest of this request is rendered in it. A language that is not offered changes nothing.
    """
    if _remember(code):
        refresh()  # the locale was already chosen for this request (by ?lang=, profile or session)
        g.pop("text_dir", None)


def left_to_right(value: object) -> Markup:
    """A web address, phone number, code or email address kept left to right inside any sentence.

    In an Arabic sentence the bidirectional algorithm would otherwise reorder its parts: a
    phone number's groups come out in reverse ("67 45 123 030"), an address's digits before
    its path. An element with ``dir`` is isolated from the text around it (HTML's own style
    sheet), in browsers and mail programs alike.
    """
    return Markup('<span dir="ltr">%s</span>') % value


def isolate(value: object, lang: str | None = None) -> Markup:
    """A name or title people wrote (a person, council, neighbourhood, complex, meeting, consultation,
    file), kept apart from the translated sentence it is put into: ``<bdi>``, escaped.

    Inside a sentence such a text would join the sentence's bidirectional ordering. In Arabic a Latin
    name that starts with a number is read backwards ("12 huurders van blok C" shows as "huurders van
    blok C 12"), and trailing punctuation or a bracket jumps to the wrong end; in a Dutch sentence an
    Arabic name pulls a following number into its right-to-left run. ``<bdi>`` isolates the text and
    takes its direction from its own first letter, whatever the page's language. ``Markup`` (text
    already escaped, or markup such as ``shown()``'s) is kept as it is; None is nothing. ``lang``, where
    the name's language is known (a language's own name), is said so screen readers pronounce it.
    """
    if value is None:
        return Markup("")
    if lang:
        return Markup('<bdi lang="%s">%s</bdi>') % (lang, value)
    return Markup("<bdi>%s</bdi>") % value


def html_message(translated: str, **params: object) -> Markup:
    """A translated sentence put together in Python for a page, as a template's ``_()`` puts it together:
    the catalogue's text is trusted, each parameter escaped unless it is ``Markup`` (an ``isolate``d name).

    ``translated`` is the message still holding its placeholders: ``_("Hello %(name)s")`` without
    parameters (``gettext`` would fill them in as plain text, and an isolated name would show its tags).
    """
    return Markup(translated) % params


FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE = "\u2068", "\u2069"


def isolate_text(value: object) -> str:
    """``isolate`` for plain text (the text part and subject of a mail): FSI … PDI around the value,
    where directions mix: in a mail in a right-to-left language, or when the value has right-to-left
    letters (an Arabic name in a Dutch mail, which at the start of a line would turn the whole line
    right to left, as plain-text mail programs take a line's direction from its first letter).

    Left out elsewhere, that is for a Latin name in a Latin-script mail: there they change nothing,
    and a few older mail programs show these invisible characters as boxes.
    """
    text = "" if value is None else str(value)
    if text and (i18n.text_direction() == "rtl" or _has_right_to_left(text)):
        return f"{FIRST_STRONG_ISOLATE}{text}{POP_DIRECTIONAL_ISOLATE}"
    return text


def _has_right_to_left(text: str) -> bool:
    return any(unicodedata.bidirectional(char) in ("R", "AL") for char in text)


@pass_eval_context
def _isolate_filter(eval_ctx: EvalContext, value: object, lang: str | None = None) -> Markup | str:
    """The ``isolate`` filter: ``<bdi>`` in HTML templates, FSI … PDI in plain-text ones (mail)."""
    return isolate(value, lang) if eval_ctx.autoescape else isolate_text(value)


def format_number(value: int | float | Decimal) -> str:
    """A number the reader's way ("1.234,5" in Dutch), however large.

    Babel rounds in the current decimal context, whose 28 digits a number from 10**28 on overflows
    (an error page where a question's limit was that large); the rounding here has room for more.
    """
    with localcontext() as context:
        context.prec = 1000
        return format_decimal(value)


def format_percentage(value: float | Decimal, digits: int = 0) -> str:
    """A share (0.3) as a percentage the reader's way: the language's own pattern ("30%", Turkish "%30")
    with ``digits`` after the decimal sign, and Latin digits in every language, as every number here
    (``format_number``; an Arabic page shows "30%", not "٣٠٪")."""
    locale = get_locale()
    pattern = copy(locale.percent_formats[None])
    pattern.frac_prec = (digits, digits)
    return babel_format_percent(value, pattern, locale=locale, numbering_system="latn")


def format_numbers_in(params: dict[str, object]) -> dict[str, object]:
    """A message's parameters with every number written the reader's way (``True`` stays a flag)."""
    return {name: format_number(value) if isinstance(value, int | float | Decimal) and not isinstance(value, bool)
            else value for name, value in params.items()}


def format_when(value: datetime | None, date_format: str = "full") -> str:
    """A moment as people say it: the date and the hour and minute (no seconds, no time zone name),
    joined the way the reader's language joins them ("woensdag 28 oktober 2026 om 20:45")."""
    if not value:
        return ""
    pattern = get_datetime_format(date_format, locale=get_locale())
    return (pattern.replace("'", "").replace("{1}", format_date(value, date_format))
            .replace("{0}", format_time(value, "HH:mm")))


def _translations() -> NullTranslations:
    """The catalogue of the language being rendered, looked up once per request and language.

    Flask-Babel finds it anew for every string (several context lookups each); a page has
    dozens. The copy kept on ``g`` is used only while the request's locale is the very same
    object, so ``force_locale`` (mail in the tenant's language) and ``refresh`` still apply.
    """
    state = g._get_current_object()
    babel_state = state.__dict__.get("_flask_babel")
    locale = getattr(babel_state, "babel_locale", None)
    kept = state.__dict__.get("_inspraak_translations")
    if kept is not None and locale is not None and kept[0] is locale:
        return kept[1]
    translations = get_translations()
    state._inspraak_translations = (get_locale(), translations)  # get_translations() has chosen the locale
    return translations


def init_app(app: Flask) -> None:
    app.before_request(_save_explicit_choice)
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.install_gettext_callables(  # the same callables as Flask-Babel's, with the catalogue kept
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.jinja_env.globals.update(
        language_links=i18n.language_links,
        current_language=i18n.current_language,
        text_direction=i18n.cached_direction,
        localize=i18n.localize,
        site_header=layout.site_header,
    )
    app.jinja_env.filters.update(
        date=lambda value, fmt="long": format_date(value, fmt) if value else "",
        datetime=lambda value, fmt="medium": format_datetime(value, fmt) if value else "",
        when=format_when,
        ltr=left_to_right,
        isolate=_isolate_filter,
        isolate_text=isolate_text,  # a name in <title>, which holds text only: FSI … PDI, as in a mail
        number=lambda value: format_number(value) if value is not None else "",
        percent=lambda value, digits=0: format_percentage(value, digits) if value is not None else "",
    )
