"""Display conditions on sections and questions: which are shown, and which answers may be kept.

Pure rules: no Flask, no database. A condition is a JSON map::

    {"match": "all" | "any",
     "rules": [{"question": 12, "op": "is", "value": 34}, ...]}

Operators: ``is`` / ``is_not`` (the answer is exactly this choice or value), ``includes`` /
``excludes`` (one of the chosen options), ``answered`` / ``unanswered``. A rule may only
refer to a question that comes earlier; a rule about a hidden question sees no answer, so
hiding cascades. Answers to hidden questions are dropped before anything is stored.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

OPERATORS = ("is", "is_not", "includes", "excludes", "answered", "unanswered")
MATCHES = ("all", "any")
EDITOR_RULES = 3  # how many rules the condition editor offers


class HasCondition(Protocol):
    id: int
    condition: Mapping[str, Any] | None


class QuestionLike(HasCondition, Protocol):
    section_id: int


def atom(value: Any) -> str:
    """A comparable form of a single value: booleans as true/false, everything else as text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def answer_atoms(value: Any) -> set[str]:
    """What an answer chose or said, as a set of atoms (empty when there is no answer)."""
    if value is None or value == "" or value == [] or value == {}:
        return set()
    if isinstance(value, Mapping):
        if "option" in value:
            return {atom(value["option"])}
        if "options" in value:
            return {atom(v) for v in value["options"]}
        return {atom(v) for v in value.values()}  # a matrix: the options chosen in any row
    if isinstance(value, (list, tuple, set)):  # a ranking saved in part has None at places not given
        return {atom(v) for v in value if v is not None}
    return {atom(value)}


def rule_holds(rule: Mapping[str, Any], answers: Mapping[int, Any]) -> bool:
    """Whether one rule holds for the answers given so far."""
    atoms = answer_atoms(answers.get(int(rule["question"])))
    op = rule.get("op")
    if op == "answered":
        return bool(atoms)
    if op == "unanswered":
        return not atoms
    wanted = atom(rule.get("value"))
    if op == "is":
        return atoms == {wanted}
    if op == "is_not":
        return atoms != {wanted}
    if op == "includes":
        return wanted in atoms
    if op == "excludes":
        return wanted not in atoms
    raise ValueError(f"unknown operator {op!r}")


def evaluate(condition: Mapping[str, Any] | None, answers: Mapping[int, Any]) -> bool:
    """True when there is no condition or it holds; an empty rule list always holds."""
    if not condition:
        return True
    rules = condition.get("rules") or []
    if not rules:
        return True
    results = (rule_holds(rule, answers) for rule in rules)
    return any(results) if condition.get("match") == "any" else all(results)


def visible_questions(
    sections: Sequence[HasCondition], questions: Sequence[QuestionLike], answers: Mapping[int, Any]
) -> list[int]:
    """The ids of the questions shown, in order, given the answers.

    Sections and questions are taken in the order given (the consultation's order). A
    question is shown when its section's condition and its own condition hold, both judged
    on the answers to the questions shown before it.
    """
    section_conditions = {s.id: s.condition for s in sections}
    section_order = {s.id: n for n, s in enumerate(sections)}
    kept: dict[int, Any] = {}
    shown: list[int] = []
    section_visible: dict[int, bool] = {}
    for question in sorted(questions, key=lambda q: section_order.get(q.section_id, 0)):
        if question.section_id not in section_visible:
            section_visible[question.section_id] = evaluate(section_conditions.get(question.section_id), kept)
        if not section_visible[question.section_id]:
            continue
        if evaluate(question.condition, kept):
            shown.append(question.id)
            if question.id in answers:
                kept[question.id] = answers[question.id]
    return shown


def visible_sections(
    sections: Sequence[HasCondition], questions: Sequence[QuestionLike], answers: Mapping[int, Any]
) -> list[int]:
    """The ids of the sections that show at least one question, in order."""
    shown = set(visible_questions(sections, questions, answers))
    with_questions = {q.section_id for q in questions if q.id in shown}
    return [s.id for s in sections if s.id in with_questions]


def strip_hidden(
    sections: Sequence[HasCondition], questions: Sequence[QuestionLike], answers: Mapping[int, Any]
) -> dict[int, Any]:
    """Only the answers to questions that are shown; everything else is dropped."""
    shown = visible_questions(sections, questions, answers)
    return {qid: answers[qid] for qid in shown if qid in answers and answers[qid] is not None}


def referenced_questions(condition: Mapping[str, Any] | None) -> set[int]:
    if not condition:
        return set()
    return {int(rule["question"]) for rule in condition.get("rules") or []}


def for_browser(
    condition: Mapping[str, Any] | None, answers: Mapping[int, Any], on_page: Iterable[int]
) -> dict[str, Any] | None:
    """A condition the browser can evaluate on one page, or None when there is nothing to evaluate.

    Rules about questions on the page stay (values as atoms); rules about other questions are
    decided now, on ``answers`` (those of the questions shown), and become ``{"fixed": bool}``.
    """
    if not condition or not condition.get("rules"):
        return None
    page = set(on_page)
    rules: list[dict[str, Any]] = []
    for rule in condition["rules"]:
        question = int(rule["question"])
        if question in page:
            live = {"question": question, "op": rule.get("op")}
            if "value" in rule:
                live["value"] = atom(rule["value"])
            rules.append(live)
        else:
            rules.append({"fixed": rule_holds(rule, answers)})
    return {"match": "any" if condition.get("match") == "any" else "all", "rules": rules}


def check_condition(condition: Mapping[str, Any] | None, earlier: Iterable[int]) -> list[str]:
    """Problems with a condition, as codes: ``bad_match``, ``bad_operator``, ``not_earlier``."""
    if not condition:
        return []
    problems = []
    if condition.get("match", "all") not in MATCHES:
        problems.append("bad_match")
    allowed = set(earlier)
    for rule in condition.get("rules") or []:
        if rule.get("op") not in OPERATORS:
            problems.append("bad_operator")
        if int(rule.get("question", 0)) not in allowed:
            problems.append("not_earlier")
    return problems
