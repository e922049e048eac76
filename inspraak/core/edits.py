"""Forms saved by two people at once: what each one changed is kept; one thing changed by both is a clash.

A form is often open with two staff members at the same time: one translates a question into
Turkish, the other sets its limits; two admins change an account; two editors the dates of one
consultation. Each form carries a fingerprint of what it showed (``fingerprint``); on saving,
under the row's lock, ``merge_all`` compares what was sent with it, field by field:

- a field its sender left as shown keeps what is stored now (someone else's newer change stays);
- a field they changed is saved, unless someone else changed that same field meanwhile: then
  nothing is saved and the sender sees the other person's value beside the field (``EditClash``).

Texts are compared per language box (``texts``: field → language → text). Other fields
(``values``: a choice, a number, a date, a tick box) are compared whole; a set (the roles of
an account) per member, so one person adding a role and another adding another keeps both.
Fields that only make sense together (a lowest and a highest value, the rules of one condition,
a council's statutes) are named in ``together``: they are kept or changed as one, and when both
people changed something in such a group, nothing is saved and every field of the group the
other person changed is marked.
"""
from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timezone
from typing import Any

from flask_babel import lazy_gettext as _l

from inspraak.core.errors import Conflict

Texts = Mapping[str, Mapping[str, str]]  # field name → language → text
Values = Mapping[str, Any]  # field name → value
Clash = tuple[str, str | None, Any]  # field, language (None for a value), what is stored now

CLASHED = _l("Someone else saved this page at the same moment. Your changes are not saved yet. Check the marked "
             "texts and save again.")
CLASHED_FIELDS = _l("Someone else saved this page at the same moment. Your changes are not saved yet. Check the "
                    "marked fields and save again.")
CLASHED_HERE = _l("Someone else changed this text at the same moment. It now reads: “%(text)s”. Keep the text you "
                  "want and save again.")
CLASHED_VALUE = _l("Someone else changed this at the same moment. It is now: %(value)s. Choose what you want and "
                   "save again.")


class EditClash(Conflict):
    """A field the sender changed was changed by someone else since the form was shown.

    ``texts`` and ``values``: what the form should show now (the other person's where the sender
    left a field as it was, the sender's own where they changed it); ``clashes``: (field, language
    or None for a value, their text or value) of each field to mark; ``seen``: the fingerprint of
    what is stored now, for the next save.
    """

    def __init__(self, texts: dict[str, dict[str, str]], clashes: list[Clash], seen: str,
                 values: dict[str, Any] | None = None) -> None:
        only_texts = all(lang is not None for _name, lang, _theirs in clashes)
        super().__init__(str(CLASHED if only_texts else CLASHED_FIELDS))
        self.texts, self.clashes, self.seen, self.values = texts, clashes, seen, values or {}


def _norm(text: str | None) -> str:
    return (text or "").replace("\r\n", "\n").strip()  # browsers send a text area's lines with \r\n


def _digest(text: str | None) -> str:
    return hashlib.sha256(_norm(text).encode()).hexdigest()[:16]


def plain(value: Any) -> Any:  # noqa: ANN401
    """A value as a form can show it, comparable and JSON-ready: a choice by its value, a text trimmed
    (empty is None), a moment in UTC to the minute (what a date-time box holds), a set sorted."""
    if isinstance(value, enum.Enum):
        value = value.value
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return _norm(value) or None
    if isinstance(value, datetime):
        moment = value.astimezone(timezone.utc) if value.tzinfo else value
        return moment.replace(second=0, microsecond=0).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted((plain(member) for member in value), key=str) or None
    if isinstance(value, list | tuple):
        return [plain(item) for item in value] or None
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()} or None
    return str(value)


def _value_digest(value: Any) -> str:  # noqa: ANN401
    text = json.dumps(plain(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _member(name: str, member: Any) -> str:  # noqa: ANN401
    return f"{name}[{plain(member)}]"


def fingerprint(texts: Texts | None = None, values: Values | None = None) -> str:
    """What a form shows: a short digest per text field and language (empty boxes left out), per
    value, and the members of each set."""
    shown = {f"{name}.{lang}": _digest(text) for name, by_language in (texts or {}).items()
             for lang, text in (by_language or {}).items() if _norm(text)}
    for name, value in (values or {}).items():
        shown[name] = _value_digest(value)
        if isinstance(value, set | frozenset):
            shown.update({_member(name, member): "" for member in value})
    return json.dumps(shown, sort_keys=True, separators=(",", ":"))


def _parse(seen: str | None) -> dict[str, str] | None:
    try:
        shown = json.loads(seen) if seen else None
    except ValueError:
        return None
    if not isinstance(shown, dict) or not all(isinstance(v, str) for v in shown.values()):
        return None
    return shown


def _merge_texts(shown: dict[str, str] | None, stored: Texts, sent: Texts) -> tuple[dict[str, dict[str, str]], list[Clash]]:
    if shown is None:
        return {name: dict(texts) for name, texts in sent.items()}, []
    empty = _digest("")
    merged: dict[str, dict[str, str]] = {}
    clashes: list[Clash] = []
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
    return merged, clashes


def _merge_set(shown: dict[str, str], name: str, stored: Any, sent: Any) -> set:  # noqa: ANN401
    """Per member: the sender's choice where they changed it, what is stored where they did not."""
    members = {_member(name, m): m for m in [*(stored or ()), *(sent or ())]}
    mine, theirs = {_member(name, m) for m in sent or ()}, {_member(name, m) for m in stored or ()}
    return {member for key, member in members.items() if ((key in mine) if (key in mine) != (key in shown)
                                                          else (key in theirs))}


def _merge_values(shown: dict[str, str] | None, stored: Values, sent: Values,
                  together: Iterable[Iterable[str]]) -> tuple[dict[str, Any], list[Clash]]:
    groups = [tuple(group) for group in together]
    grouped = {name for group in groups for name in group}
    groups += [(name,) for name in sent if name not in grouped]
    merged: dict[str, Any] = {}
    clashes: list[Clash] = []
    for group in groups:
        names = [name for name in group if name in sent]  # a field not on this form keeps what is stored
        if shown is None or any(name not in shown for name in names):  # not shown with a fingerprint: as sent
            merged.update({name: sent[name] for name in names})
            continue
        same = {name for name in names if _value_digest(sent[name]) == _value_digest(stored.get(name))}
        mine = {name for name in names if _value_digest(sent[name]) != shown[name]} - same  # what would change
        theirs = {name for name in names if _value_digest(stored.get(name)) != shown[name]}
        if not mine:  # left as shown, or changed as someone else did already: what is stored stays
            merged.update({name: stored.get(name) for name in names})
        elif not theirs:
            merged.update({name: sent[name] for name in names})
        elif len(names) == 1 and isinstance(sent[names[0]], set | frozenset):
            merged[names[0]] = _merge_set(shown, names[0], stored.get(names[0]), sent[names[0]])
        else:
            merged.update({name: sent[name] if name in mine else stored.get(name) for name in names})
            clashes += [(name, None, stored.get(name)) for name in names if name in theirs - same]
    return merged, clashes


def merge_all(seen: str | None, texts: tuple[Texts, Texts] = ({}, {}), values: tuple[Values, Values] = ({}, {}), *,
              together: Iterable[Iterable[str]] = ()) -> tuple[dict[str, dict[str, str]], dict[str, Any]]:
    """The texts and values to store: the sender's where they changed a field, the stored ones where
    they left it as shown. ``texts`` and ``values``: (stored now, sent) each; ``together``: groups of
    value fields kept or changed as one. Without a (readable) fingerprint, what was sent is taken as it is.

    Raises:
        EditClash: a field the sender changed holds something else now than when the form was shown
            (for a group: something in the group), and the sender's value differs from it.
    """
    shown = _parse(seen)
    (stored_texts, sent_texts), (stored_values, sent_values) = texts, values
    merged_texts, text_clashes = _merge_texts(shown, stored_texts, sent_texts)
    merged_values, value_clashes = _merge_values(shown, stored_values, sent_values, together)
    if text_clashes or value_clashes:
        raise EditClash(merged_texts, text_clashes + value_clashes, fingerprint(stored_texts, stored_values),
                        merged_values)
    return merged_texts, merged_values


def merge(seen: str | None, stored: Texts, sent: Texts) -> dict[str, dict[str, str]]:
    """The texts to store, per field of ``sent`` (``merge_all`` for a form of texts only).

    Raises:
        EditClash: a box the sender changed holds another text now than when the form was shown.
    """
    return merge_all(seen, texts=(stored, sent))[0]


def merge_values(seen: str | None, stored: Values, sent: Values, *,
                 together: Iterable[Iterable[str]] = ()) -> dict[str, Any]:
    """The values to store, per field of ``sent`` (``merge_all`` for a form without texts).

    Raises:
        EditClash: a field (or group) the sender changed was changed by someone else meanwhile.
    """
    return merge_all(seen, values=(stored, sent), together=together)[1]
