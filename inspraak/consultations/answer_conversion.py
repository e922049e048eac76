"""A parsed answer in its other shapes: the form fields that show it again, and the answer rows it is stored as.

Pure: no Flask, no database. The shapes of a parsed answer are described in ``validation``.
"""
from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from inspraak.consultations.validation import Form, QuestionSpec, format_number


def to_form(spec: QuestionSpec, value: Any) -> dict[str, list[str]]:
    """The form fields that show an answer again (for drafts and for changing a response)."""
    qid = f"q{spec.id}"
    if value is None:
        return {}
    if spec.type == "single_choice":
        fields = {qid: [str(value["option"])]}
        if value.get("other"):
            fields[f"{qid}_other"] = [value["other"]]
        return fields
    if spec.type == "multiple_choice":
        fields = {qid: [str(option) for option in value["options"]]}
        if value.get("other"):
            fields[f"{qid}_other"] = [value["other"]]
        return fields
    if spec.type in ("yes_no", "agreement"):
        return {qid: ["yes" if value else "no"]}
    if spec.type == "ranking":
        return {f"{qid}_o{option}": [str(rank)] for rank, option in enumerate(value, start=1)
                if option is not None}  # a ranking saved in part (a draft) has None at places not given
    if spec.type == "matrix":
        return {f"{qid}_r{row}": [str(option)] for row, option in value.items()}
    return {qid: [str(value)]}


def answers_to_form(specs: list[QuestionSpec], answers: Mapping[int, Any]) -> Form:
    form = Form()
    for spec in specs:
        form.update(to_form(spec, answers.get(spec.id)))
    return form


def answer_rows(spec: QuestionSpec, value: Any) -> list[dict[str, Any]]:
    """The rows to store for one answer: option, row, number, text, rank."""
    if value is None:
        return []
    if spec.type == "single_choice":
        return [{"option_id": value["option"], "text": value.get("other")}]
    if spec.type == "multiple_choice":
        other = value.get("other")
        return [
            {"option_id": option, "text": other if option in spec.other_option_ids else None}
            for option in value["options"]
        ]
    if spec.type in ("scale", "score"):
        return [{"number": Decimal(value)}]
    if spec.type in ("yes_no", "agreement"):
        return [{"number": Decimal(1 if value else 0)}]
    if spec.type in ("short_text", "long_text"):
        return [{"text": value}]
    if spec.type == "number":
        return [{"number": Decimal(value)}]
    if spec.type == "ranking":
        return [{"option_id": option, "rank": rank} for rank, option in enumerate(value, start=1)]
    if spec.type == "matrix":
        return [{"row_id": int(row), "option_id": option} for row, option in value.items()]
    raise ValueError(spec.type)


def value_from_rows(spec: QuestionSpec, rows: list[Mapping[str, Any]]) -> Any:
    """The answer again from its stored rows (the reverse of answer_rows)."""
    if not rows:
        return None
    first = rows[0]
    if spec.type == "single_choice":
        value = {"option": first["option_id"]}
        if first.get("text"):
            value["other"] = first["text"]
        return value
    if spec.type == "multiple_choice":
        value = {"options": [row["option_id"] for row in rows]}
        other = next((row["text"] for row in rows if row.get("text")), None)
        if other:
            value["other"] = other
        return value
    if spec.type in ("scale", "score"):
        return int(first["number"])
    if spec.type in ("yes_no", "agreement"):
        return bool(int(first["number"]))
    if spec.type in ("short_text", "long_text"):
        return first["text"]
    if spec.type == "number":
        return format_number(Decimal(first["number"]))
    if spec.type == "ranking":
        return [row["option_id"] for row in sorted(rows, key=lambda row: row["rank"])]
    if spec.type == "matrix":
        return {str(row["row_id"]): row["option_id"] for row in rows}
    raise ValueError(spec.type)
