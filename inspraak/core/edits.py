"""Texts saved by two people at once: what each one changed is kept; one text changed by both is a clash.

A form with a box per language (a question, a page, the introduction) is often open with two
staff members at the same time: one translates into Turkish, the other into Arabic. Each form
carries a fingerprint of the texts it showed (``fingerprint``); on saving, ``merge`` compares the
boxes with it. A box its sender left as shown keeps the text stored now (someone else's newer
translation stays); a box they changed is saved, unless someone else changed that same text
meanwhile. Then nothing is saved and the sender sees both texts (``EditClash``).
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

from flask_babel import lazy_gettext as _l

from inspraak.core.errors import Conflict

Texts = Mapping[str, Mapping[str, str]]  # field name → language → text

CLASHED = _l("Someone else saved this page at the same moment. Your changes are not saved yet. Check the marked "
             "texts and save again.")
CLASHED_HERE = _l("Someone else changed this text at the same moment. It now reads: “%(text)s”. Keep the text you "
                  "want and save again.")


class EditClash(Conflict):
    """A text the sender changed was changed by someone else since the form was shown.

    ``texts``: what the form should show now (the other person's texts where the sender left a box
    as it was, the sender's own where they changed it); ``clashes``: (field, language, their text)
    of each box both changed; ``seen``: the fingerprint of what is stored now, for the next save.
    """

    def __init__(self, texts: dict[str, dict[str, str]], clashes: list[tuple[str, str, str]], seen: str) -> None:
        super().__init__(str(CLASHED))
        self.texts, self.clashes, self.seen = texts, clashes, seen


def _norm(text: str | None) -> str:
    return (text or "").replace("\r\n", "\n").strip()  # browsers send a text area's lines with \r\n


def _digest(text: str | None) -> str:
    return hashlib.sha256(_norm(text).encode()).hexdigest()[:16]


def fingerprint(texts: Texts) -> str:
    """What a form shows: a short digest per field and language (empty boxes left out)."""
    return json.dumps({f"{name}.{lang}": _digest(text) for name, by_language in texts.items()
                       for lang, text in (by_language or {}).items() if _norm(text)},
                      sort_keys=True, separators=(",", ":"))


def _parse(seen: str | None) -> dict[str, str] | None:
    try:
        shown = json.loads(seen) if seen else None
    except ValueError:
        return None
    if not isinstance(shown, dict) or not all(isinstance(v, str) for v in shown.values()):
        return None
    return shown


def merge(seen: str | None, stored: Texts, sent: Texts) -> dict[str, dict[str, str]]:
    """The texts to store, per field of ``sent``: the sender's where they changed a box, the stored
    text where they left it as shown. Without a (readable) fingerprint ``sent`` is taken as it is.

    Raises:
        EditClash: a box the sender changed holds another text now than when the form was shown.
    """
    shown = _parse(seen)
    if shown is None:
        return {name: dict(texts) for name, texts in sent.items()}
    empty = _digest("")
    merged: dict[str, dict[str, str]] = {}
    clashes: list[tuple[str, str, str]] = []
    for name, mine in sent.items():
        theirs = stored.get(name) or {}
        result: dict[str, str] = {}
        for lang in sorted(set(mine) | set(theirs)):
            before = shown.get(f"{name}.{lang}", empty)
            my_text, their_text = mine.get(lang), theirs.get(lang, "")
            if my_text is None or _digest(my_text) == before:  # not on this form, or left as shown
                result[lang] = their_text
            elif _digest(their_text) == before or _norm(my_text) == _norm(their_text):
                result[lang] = my_text
            else:
                result[lang] = my_text
                clashes.append((name, lang, their_text))
        merged[name] = result
    if clashes:
        raise EditClash(merged, clashes, fingerprint(stored))
    return merged
