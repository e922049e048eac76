"""Reading and checking the answer to each type of question. Pure: no Flask, no database.

Form fields: ``q<id>`` holds the answer, ``q<id>_other`` the text of an "other" choice,
``q<id>_o<option>`` the rank of an option, ``q<id>_r<row>`` the choice in a matrix row.
A parsed answer is a JSON value: ``{"option": id, "other": text}`` (single choice),
``{"options": [ids], "other": text}`` (multiple choice), an int (scale, 0–10), a bool (yes/no,
agreement), a str (texts; numbers as normalised decimal text), a list of option ids in rank
order (ranking) or ``{row id: option id}`` (matrix). ``None`` means no answer.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation, Overflow
from typing import Any, Callable, Protocol

DEFAULT_SHORT_TEXT = 200
DEFAULT_LONG_TEXT = 2000
OTHER_TEXT_MAX = 200


class FormLike(Protocol):
    def getlist(self, key: str) -> list[str]: ...


class Form(dict):
    """A minimal multi-value mapping ({name: [values]}) for drafts and tests."""

    def getlist(self, key: str) -> list[str]:
        value = self.get(key, [])
        return list(value) if isinstance(value, (list, tuple)) else [value]


@dataclass(frozen=True)
class QuestionSpec:
    """What the rules need to know about a question."""

    id: int
    type: str
    section_id: int = 0
    required: bool = False
    settings: Mapping[str, Any] = field(default_factory=dict)
    option_ids: tuple[int, ...] = ()
    other_option_ids: frozenset[int] = frozenset()
    row_ids: tuple[int, ...] = ()
    condition: Mapping[str, Any] | None = None

    def setting(self, name: str, default: Any) -> Any:
        value = self.settings.get(name)
        return default if value is None or value == "" else value


class Invalid(Exception):
    """An answer that cannot be accepted; ``code`` names the problem, ``params`` fill the message.

    ``about_other``: the problem is with the text written for an "other" choice, not with the choice.
    """

    def __init__(self, code: str, *, about_other: bool = False, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.about_other = about_other
        self.params = params


def _first(form: FormLike, name: str) -> str:
    values = form.getlist(name)
    return (values[0] if values else "").strip()


def _int(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise Invalid("invalid_choice") from None


def scale_bounds(spec: QuestionSpec) -> tuple[int, int]:
    if spec.type == "score":
        return 0, 10
    return int(spec.setting("min", 1)), int(spec.setting("max", 5))


def parse_answer(spec: QuestionSpec, form: FormLike) -> Any:
    """The answer to one question from the submitted form.

    Returns:
        The answer as a JSON value, or None when the question was left open.
    Raises:
        Invalid: the answer breaks the question's rules, or a required answer is missing.
    """
    value = _PARSERS[spec.type](spec, form)
    if value is None and spec.required:
        raise Invalid("required")
    return value


def _choice_other(spec: QuestionSpec, form: FormLike, chosen: list[int]) -> str | None:
    if not any(option in spec.other_option_ids for option in chosen):
        return None
    text = _first(form, f"q{spec.id}_other")
    if not text:
        raise Invalid("other_required", about_other=True)
    if len(text) > OTHER_TEXT_MAX:
        raise Invalid("too_long", about_other=True, n=OTHER_TEXT_MAX)
    return text


def _single_choice(spec: QuestionSpec, form: FormLike) -> Any:
    raw = _first(form, f"q{spec.id}")
    if not raw:
        return None
    option = _int(raw)
    if option not in spec.option_ids:
        raise Invalid("invalid_choice")
    value: dict[str, Any] = {"option": option}
    other = _choice_other(spec, form, [option])
    if other is not None:
        value["other"] = other
    return value


def _multiple_choice(spec: QuestionSpec, form: FormLike) -> Any:
    raws = [raw.strip() for raw in form.getlist(f"q{spec.id}") if raw.strip()]
    if not raws:
        return None
    chosen = {_int(raw) for raw in raws}
    if not chosen <= set(spec.option_ids):
        raise Invalid("invalid_choice")
    low, high = int(spec.setting("min", 0)), spec.setting("max", None)
    if len(chosen) < low:
        raise Invalid("too_few", n=low)
    if high is not None and len(chosen) > int(high):
        raise Invalid("too_many", n=int(high))
    ordered = [option for option in spec.option_ids if option in chosen]
    value: dict[str, Any] = {"options": ordered}
    other = _choice_other(spec, form, ordered)
    if other is not None:
        value["other"] = other
    return value


def _scale(spec: QuestionSpec, form: FormLike) -> Any:
    raw = _first(form, f"q{spec.id}")
    if not raw:
        return None
    low, high = scale_bounds(spec)
    try:
        number = int(raw)
    except ValueError:
        raise Invalid("out_of_range", min=low, max=high) from None
    if not low <= number <= high:
        raise Invalid("out_of_range", min=low, max=high)
    return number


def _yes_no(spec: QuestionSpec, form: FormLike) -> Any:
    raw = _first(form, f"q{spec.id}")
    if not raw:
        return None
    if raw not in ("yes", "no"):
        raise Invalid("invalid_choice")
    return raw == "yes"


def _text(default_max: int):  # noqa: ANN202
    def parse(spec: QuestionSpec, form: FormLike) -> Any:
        text = _first(form, f"q{spec.id}").replace("\r\n", "\n")
        if not text:
            return None
        limit = int(spec.setting("max_length", default_max))
        if len(text) > limit:
            raise Invalid("too_long", n=limit)
        return text

    return parse


# An answer to a number question is stored as NUMERIC(18, 6): twelve digits before the point
# and six after (the editor allows at most 6 decimals). PostgreSQL refuses a larger number
# (an error page); the tenant is told the limit instead.
NUMBER_LIMIT = Decimal("999999999999")


ARABIC_DECIMAL_SEPARATOR, ARABIC_THOUSANDS_SEPARATOR = "\u066b", "\u066c"


def _grouped(whole: str, separator: str) -> bool:
    """Whether ``whole`` is digits in groups of three, such as 1.234.567 (a sign allowed in front)."""
    groups = whole.lstrip("+-").split(separator)
    return (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])
            and all(g.isdecimal() for g in groups))


def plain_number(raw: str, decimals: int = 0) -> str:
    """A number as typed, the way people write it, as text that ``Decimal`` reads.

    A comma or a point is the decimal mark (3,5 and 3.5). With both, the last one is the decimal
    mark and the other groups thousands (1.234,5 and 1,234.5); one of them used more than once
    groups thousands (1.000.000). A single one followed by exactly three digits (1.000, 2,500) can
    mean a thousand or a decimal number: where the question allows fewer than three ``decimals``
    that is refused rather than guessed; where it allows three or more it is a decimal mark (so a
    stored answer shown again reads back the same). Spaces group
    thousands too; the Arabic decimal and thousands separators are understood.

    Raises:
        Invalid: not a number as people write one, or an ambiguous one.
    """
    text = "".join(raw.split()).replace("\u00a0", "").replace("\u202f", "").replace(ARABIC_THOUSANDS_SEPARATOR, "")
    if ARABIC_DECIMAL_SEPARATOR in text:
        if "." in text or "," in text or text.count(ARABIC_DECIMAL_SEPARATOR) > 1:
            raise Invalid("not_a_number")
        return text.replace(ARABIC_DECIMAL_SEPARATOR, ".")
    last_dot, last_comma = text.rfind("."), text.rfind(",")
    if last_dot >= 0 and last_comma >= 0:
        decimal, group = (".", ",") if last_dot > last_comma else (",", ".")
        whole, _mark, fraction = text.rpartition(decimal)
        if decimal in whole or not _grouped(whole, group):
            raise Invalid("not_a_number")
        return whole.replace(group, "") + "." + fraction
    separator = "." if last_dot >= 0 else "," if last_comma >= 0 else None
    if separator is None:
        return text
    if text.count(separator) > 1:
        if not _grouped(text, separator):
            raise Invalid("not_a_number")
        return text.replace(separator, "")
    whole, _mark, fraction = text.partition(separator)
    digits = whole.lstrip("+-")
    if (decimals < 3 and len(fraction) == 3 and fraction.isdecimal() and _grouped(digits, separator)
            and not digits.startswith("0")):
        raise Invalid("ambiguous_number")
    return whole + "." + fraction


# A whole-number question is told what it takes with a whole number as example ("12", never "3,5").
_AS_WHOLE_NUMBER = {"not_a_number": "not_a_whole_number", "ambiguous_number": "ambiguous_whole_number"}


def _read_number(raw: str, decimals: int) -> Decimal:
    try:
        number = Decimal(plain_number(raw, decimals))
    except InvalidOperation:
        raise Invalid("not_a_number") from None
    if not number.is_finite():
        raise Invalid("not_a_number")
    return number


def _number(spec: QuestionSpec, form: FormLike) -> Any:
    raw = _first(form, f"q{spec.id}")
    if not raw.strip():
        return None
    decimals = int(spec.setting("decimals", 0))
    try:
        number = _read_number(raw, decimals)
    except Invalid as problem:
        if decimals == 0:
            raise Invalid(_AS_WHOLE_NUMBER[problem.code]) from None
        raise
    try:
        exponent = number.normalize().as_tuple().exponent
    except Overflow:  # beyond decimal's own exponent limit (1e1000000): the limits below refuse it
        exponent = 0
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if places > decimals:
        raise Invalid("whole_number" if decimals == 0 else "too_many_decimals", n=decimals)
    low, high = number_bounds(spec)
    if low is not None and number < low:
        raise Invalid("too_small", n=low)
    if high is not None and number > high:
        raise Invalid("too_large", n=high)
    if number.copy_abs() > NUMBER_LIMIT:  # a question without limits of its own still has the column's
        raise Invalid("too_large" if number > 0 else "too_small", n=NUMBER_LIMIT if number > 0 else -NUMBER_LIMIT)
    return format_number(number)


def _limit(value: Any) -> Decimal | None:
    """A question's limit within the column's: a larger one (the editor takes any whole number) says
    no more, and could not be written in a message (Babel fails from 10**28 on)."""
    return None if value in (None, "") else min(max(Decimal(str(value)), -NUMBER_LIMIT), NUMBER_LIMIT)


def number_bounds(spec: QuestionSpec) -> tuple[Decimal | None, Decimal | None]:
    """The lowest and highest answer a number question sets (None where it sets none)."""
    return _limit(spec.settings.get("min")), _limit(spec.settings.get("max"))


def answer_limits(spec: QuestionSpec) -> list[Invalid]:
    """What an answer must keep to, to tell before anything is answered (a hint under the question).

    Each limit is named the way an answer breaking it would be, so it reads the same in a hint as in
    an error: how many choices (``choose_between``, ``choose_exactly``, ``too_few`` as "at least",
    ``too_many`` as "at most"); the longest text an editor allows (``write_at_most``); a number's range (``number_between``, ``too_small``, ``too_large``)
    and whether it is whole (``whole_number``) or how many decimals it may have (``too_many_decimals``).
    A choice from one to any number says nothing that answering does not.
    """
    if spec.type == "multiple_choice":
        low, high = int(spec.setting("min", 0)), spec.setting("max", None)
        if high is not None and low >= 1:
            return [Invalid("choose_exactly", n=low) if low == int(high) else
                    Invalid("choose_between", min=low, max=int(high))]
        if high is not None:
            return [Invalid("too_many", n=int(high))]
        return [Invalid("too_few", n=low)] if low > 1 else []
    if spec.type in ("short_text", "long_text"):
        # Only a length the editor chose: the browser stops the typing there, so the tenant is told first.
        limit = spec.settings.get("max_length")
        return [Invalid("write_at_most", n=int(limit))] if limit else []
    if spec.type != "number":
        return []
    low, high = number_bounds(spec)
    limits = []
    if low is not None and high is not None:
        limits.append(Invalid("number_between", min=low, max=high))
    elif low is not None or high is not None:
        limits.append(Invalid("too_small", n=low) if low is not None else Invalid("too_large", n=high))
    decimals = int(spec.setting("decimals", 0))
    limits.append(Invalid("whole_number") if decimals == 0 else Invalid("too_many_decimals", n=decimals))
    return limits


def format_number(number: Decimal) -> str:
    """A decimal as plain text without exponent or trailing zeros: 12, 3.5, -0.25."""
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "") else text


def _ranking(spec: QuestionSpec, form: FormLike) -> Any:
    raws = {option: _first(form, f"q{spec.id}_o{option}") for option in spec.option_ids}
    if not any(raws.values()):
        return None
    if not all(raws.values()):
        raise Invalid("rank_all", n=len(spec.option_ids))
    try:
        ranks = {option: int(raw) for option, raw in raws.items()}
    except ValueError:
        raise Invalid("rank_unique", n=len(spec.option_ids)) from None
    if sorted(ranks.values()) != list(range(1, len(spec.option_ids) + 1)):
        raise Invalid("rank_unique", n=len(spec.option_ids))
    return sorted(spec.option_ids, key=lambda option: ranks[option])


def _partial_ranking(spec: QuestionSpec, form: FormLike) -> list[int | None]:
    """The places given so far, for a draft: the option at each place, None where no option has it yet.

    The places given must still be whole numbers from 1 to N, each at most once.
    """
    places: list[int | None] = [None] * len(spec.option_ids)
    for option in spec.option_ids:
        raw = _first(form, f"q{spec.id}_o{option}")
        if not raw:
            continue
        try:
            place = int(raw)
        except ValueError:
            raise Invalid("rank_unique", n=len(spec.option_ids)) from None
        if not 1 <= place <= len(places) or places[place - 1] is not None:
            raise Invalid("rank_unique", n=len(spec.option_ids))
        places[place - 1] = option
    return places


def _matrix_rows(spec: QuestionSpec, form: FormLike) -> dict[str, int] | None:
    """The rows answered (each with a choice of the question), or None when none is."""
    value: dict[str, int] = {}
    for row in spec.row_ids:
        raw = _first(form, f"q{spec.id}_r{row}")
        if not raw:
            continue
        option = _int(raw)
        if option not in spec.option_ids:
            raise Invalid("invalid_choice")
        value[str(row)] = option
    return value or None


def _matrix(spec: QuestionSpec, form: FormLike) -> Any:
    value = _matrix_rows(spec, form)
    if value is not None and spec.required and len(value) < len(spec.row_ids):
        raise Invalid("matrix_incomplete")
    return value


_PARSERS = {
    "single_choice": _single_choice,
    "multiple_choice": _multiple_choice,
    "scale": _scale,
    "score": _scale,
    "yes_no": _yes_no,
    "agreement": _yes_no,
    "short_text": _text(DEFAULT_SHORT_TEXT),
    "long_text": _text(DEFAULT_LONG_TEXT),
    "number": _number,
    "ranking": _ranking,
    "matrix": _matrix,
}
QUESTION_TYPES = tuple(_PARSERS)


def parse_page(
    specs: list[QuestionSpec], form: FormLike, *, require: bool = True
) -> tuple[dict[int, Any], dict[int, Invalid]]:
    """Every answer on a page and every problem, so the page can be shown again with both.

    With ``require=False`` (saving for later, going back, changing language) a required question
    left open is no problem: its answer is None, so what was typed elsewhere on the page is kept.
    Nor is a ranking or a required matrix answered in part: the part is kept (a draft may hold
    it; :func:`check_complete` stops it from being sent). Whatever is answered must still be valid.
    """
    answers: dict[int, Any] = {}
    errors: dict[int, Invalid] = {}
    for spec in specs:
        try:
            answers[spec.id] = parse_answer(spec, form)
        except Invalid as problem:
            if not require and problem.code in _UNFINISHED:
                try:
                    answers[spec.id] = _UNFINISHED[problem.code](spec, form)
                except Invalid as still:
                    errors[spec.id] = still
            else:
                errors[spec.id] = problem
    return answers, errors


# What a draft keeps of a question answered in part, by the problem that stops it from being sent.
_UNFINISHED: dict[str, Callable[[QuestionSpec, FormLike], Any]] = {
    "required": lambda _spec, _form: None,
    "rank_all": _partial_ranking,
    "matrix_incomplete": _matrix_rows,
}


def unfinished(spec: QuestionSpec, value: Any) -> Invalid | None:
    """Why an answer may not be sent yet, or None: no answer to a required question, or a part of one."""
    if value is None:
        return Invalid("required") if spec.required else None
    if spec.type == "ranking" and (None in value or len(value) < len(spec.option_ids)):
        return Invalid("rank_all", n=len(spec.option_ids))
    if spec.type == "matrix" and spec.required and len(value) < len(spec.row_ids):
        return Invalid("matrix_incomplete")
    return None


def check_complete(specs: list[QuestionSpec], answers: Mapping[int, Any]) -> dict[int, Invalid]:
    """Questions whose answer may not be sent yet (see :func:`unfinished`): the check page and sending."""
    problems = {spec.id: unfinished(spec, answers.get(spec.id)) for spec in specs}
    return {qid: problem for qid, problem in problems.items() if problem is not None}
