"""Showing answers in the reader's language (review page, paper entry check)."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal
from flask_babel import get_locale
from flask_babel import gettext as _

from inspraak.consultations.models import Question
from inspraak.core.i18n import localize


def describe_answer(question: Question, value: Any, source_language: str) -> str:
    """An answer as a short sentence part, for the tenant to check."""
    if value is None:
        return _("No answer")
    labels = {o.id: localize(o.label, source_language).text for o in question.options}
    kind = question.type.value
    if kind == "single_choice":
        text = labels.get(value["option"], "?")
        return f"{text}: {value['other']}" if value.get("other") else text
    if kind == "multiple_choice":
        parts = [labels.get(option, "?") for option in value["options"]]
        if value.get("other"):
            parts.append(value["other"])
        return ", ".join(parts)
    if kind == "yes_no":
        return _("Yes") if value else _("No")
    if kind == "agreement":
        return _("I agree") if value else _("I do not agree")
    if kind == "ranking":
        return ", ".join(f"{n}. {labels.get(option, '?')}" for n, option in enumerate(value, start=1))
    if kind == "matrix":
        rows = {r.id: localize(r.label, source_language).text for r in question.rows}
        return "; ".join(f"{rows.get(int(row), '?')}: {labels.get(option, '?')}" for row, option in value.items())
    if kind == "number":  # stored as "3.5"; the reader sees 3,5 in Dutch
        return format_decimal(Decimal(value), locale=get_locale(), decimal_quantization=False)
    return str(value)
