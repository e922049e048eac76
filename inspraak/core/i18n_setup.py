"""Wiring language choice into each request and the templates."""
from __future__ import annotations

from datetime import datetime

from flask import Flask
from babel.dates import get_datetime_format
from flask_babel import format_date, format_datetime, format_decimal, format_percent, format_time, get_locale
from flask_login import current_user

from inspraak.core import i18n


def locale_selector() -> str:
    return i18n.select_locale()


def _save_explicit_choice() -> None:
    """A ?lang= choice is remembered in the session and, when signed in, in the profile."""
    chosen = i18n.remember_language_choice()
    if chosen and current_user.is_authenticated and current_user.preferred_language != chosen:
        from inspraak.extensions import db

        current_user.preferred_language = chosen
        db.session.commit()


def format_when(value: datetime | None, date_format: str = "full") -> str:
    """A moment as people say it: the date and the hour and minute (no seconds, no time zone name),
    joined the way the reader's language joins them ("woensdag 28 oktober 2026 om 20:45")."""
    if not value:
        return ""
    pattern = get_datetime_format(date_format, locale=get_locale())
    return (pattern.replace("'", "").replace("{1}", format_date(value, date_format))
            .replace("{0}", format_time(value, "HH:mm")))


def init_app(app: Flask) -> None:
    app.before_request(_save_explicit_choice)
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.globals.update(
        language_links=i18n.language_links,
        current_language=i18n.current_language,
        text_direction=i18n.cached_direction,
        localize=i18n.localize,
    )
    app.jinja_env.filters.update(
        date=lambda value, fmt="long": format_date(value, fmt) if value else "",
        datetime=lambda value, fmt="medium": format_datetime(value, fmt) if value else "",
        when=format_when,
        number=lambda value: format_decimal(value) if value is not None else "",
        percent=lambda value, digits=0: format_percent(value, format="#,##0" + ("." + "0" * digits if digits else "") + "%")
        if value is not None
        else "",
    )
