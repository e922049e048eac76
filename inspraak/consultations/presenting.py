"""Showing answers in the reader's language (the check page before sending)."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape

from inspraak.consultations.models import Question
from inspraak.core.i18n import LocalizedText, current_language, localize

# Between chosen answers, and between the rows of a table question; Arabic has its own comma and semicolon.
_SEPARATORS = {"ar": (Markup("\u060c "), Markup("\u061b "))}
_LATIN_SEPARATORS = (Markup(", "), Markup("; "))


def _separators() -> tuple[Markup, Markup]:
    return _SEPARATORS.get(current_language(), _LATIN_SEPARATORS)


def _label(text: LocalizedText) -> Markup:
    """A choice's label; one not yet translated carries its own language and direction (Dutch in Arabic)."""
    if text.lang == current_language():
        return escape(text.text)
    return Markup('<span lang="{}" dir="{}">{}</span>').format(text.lang, text.dir, text.text)


def describe_answer(question: Question, value: Any, source_language: str) -> Markup:
    """An answer as a short sentence part, for the tenant to check (HTML: labels keep their language)."""
    if value is None:
        return escape(_("No answer"))
    labels = {o.id: _label(localize(o.label, source_language)) for o in question.options}
    unknown = escape("?")
    separator, row_separator = _separators()
    kind = question.type.value
    if kind == "single_choice":
        text = labels.get(value["option"], unknown)
        return Markup("{}: {}").format(text, value["other"]) if value.get("other") else text
    if kind == "multiple_choice":
        parts = [labels.get(option, unknown) for option in value["options"]]
        if value.get("other"):
            parts.append(escape(value["other"]))
        return separator.join(parts)
    if kind == "yes_no":
        return escape(_("Yes") if value else _("No"))
    if kind == "agreement":
        return escape(_("I agree") if value else _("I do not agree"))
    if kind == "ranking":
        return separator.join(Markup("{}. {}").format(n, labels.get(option, unknown))
                              for n, option in enumerate(value, start=1) if option is not None)
    if kind == "matrix":
        rows = {r.id: _label(localize(r.label, source_language)) for r in question.rows}
        return row_separator.join(Markup("{}: {}").format(rows.get(int(row), unknown), labels.get(option, unknown))
                                  for row, option in value.items())
    if kind == "number":  # stored as "3.5"; the reader sees 3,5 in Dutch
        return escape(format_decimal(Decimal(value), locale=get_locale(), decimal_quantization=False))
    return escape(str(value))
