"""Language choice for each request and the helper for content translated as data."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from flask import current_app, g, request, session
from flask_babel import get_locale
from flask_login import current_user

LANG_SESSION_KEY = "lang"
# Set when the language in the session was chosen in this browser (?lang=, a language button), not
# left behind by someone who signed out: signing in saves such a choice to the profile.
LANG_CHOSEN_SESSION_KEY = "lang_chosen"


def supported_languages() -> dict[str, dict[str, str]]:
    """The configured languages: code → {name (in itself), dir}."""
    return current_app.config["LANGUAGES"]


def is_supported(code: str | None) -> bool:
    return bool(code) and code in supported_languages()


def select_locale() -> str:
    """Pick the reader's language: ?lang= → profile → session → browser → default."""
    chosen = request.args.get("lang")
    if is_supported(chosen):
        return chosen  # type: ignore[return-value]
    user = current_user if _has_user() else None
    profile = getattr(user, "preferred_language", None) if user else None
    if is_supported(profile):
        return profile  # type: ignore[return-value]
    remembered = session.get(LANG_SESSION_KEY)
    if is_supported(remembered):
        return remembered
    best = request.accept_languages.best_match(list(supported_languages()))
    return best or current_app.config["BABEL_DEFAULT_LOCALE"]


def _has_user() -> bool:
    try:
        return bool(current_user and current_user.is_authenticated)
    except Exception:  # outside a request with a login manager (CLI, mail rendering)
        return False


def remember_language_choice(chosen: str | None = None) -> str | None:
    """Store an explicit choice (``chosen``, else ?lang=) in the session; return it so the caller can
    save it to a profile. None when there is no choice or the language is not offered."""
    chosen = request.args.get("lang") if chosen is None else chosen
    if not is_supported(chosen):
        return None
    if session.get(LANG_SESSION_KEY) != chosen or not session.get(LANG_CHOSEN_SESSION_KEY):
        session[LANG_SESSION_KEY] = chosen  # unchanged: the session cookie need not be signed again
        session[LANG_CHOSEN_SESSION_KEY] = True
    return chosen


def current_language() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def text_direction(lang: str | None = None) -> str:
    lang = lang or current_language()
    return supported_languages().get(lang, {}).get("dir", "ltr")


@dataclass(frozen=True)
class LocalizedText:
    """A piece of content in the language it is shown in."""

    text: str
    lang: str
    is_fallback: bool

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)

    @property
    def dir(self) -> str:
        """The text direction of the language it is shown in (``rtl`` for Arabic)."""
        return text_direction(self.lang)


def localize(texts: Mapping[str, str] | None, source_lang: str, lang: str | None = None) -> LocalizedText:
    """Pick the reader's language from a {lang: text} map, falling back to the source language.

    Args:
        texts: the content per language code; blank strings count as missing.
        source_lang: the language the content was written in.
        lang: the reader's language; the current request's when None.
    Returns:
        The text with its language and whether it is a fallback.
    """
    texts = texts or {}
    lang = lang or current_language()
    value = (texts.get(lang) or "").strip()
    if value:
        return LocalizedText(texts[lang], lang, False)
    source = (texts.get(source_lang) or "").strip()
    if source:
        return LocalizedText(texts[source_lang], source_lang, lang != source_lang)
    for other, other_text in texts.items():
        if (other_text or "").strip():
            return LocalizedText(other_text, other, other != lang)
    return LocalizedText("", source_lang, lang != source_lang)


def missing_languages(texts: Mapping[str, str] | None, languages: list[str]) -> list[str]:
    """The languages in which a content field has no text yet."""
    texts = texts or {}
    return [code for code in languages if not (texts.get(code) or "").strip()]


def language_links() -> list[dict[str, str]]:
    """The language switcher: one entry per language, named in itself."""
    current = current_language()
    args = request.args.to_dict()
    links = []
    for code, info in supported_languages().items():
        args["lang"] = code
        links.append(
            {
                "code": code,
                "name": info["name"],
                "dir": info["dir"],
                "url": request.path + "?" + "&".join(f"{k}={v}" for k, v in _quoted(args)),
                "current": code == current,
            }
        )
    return links


def _quoted(args: dict[str, str]):
    from urllib.parse import quote

    for key, value in args.items():
        yield quote(key, safe=""), quote(value, safe="")


def cached_direction(lang: str | None = None) -> str:
    """Templates' ``text_direction(lang)``: the text direction of ``lang``, or of this request (computed once)
    when None."""
    if lang:
        return text_direction(lang)
    if "text_dir" not in g:
        g.text_dir = text_direction()
    return g.text_dir
