"""Display conditions: which questions show, and that hidden answers are never kept."""
from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from inspraak.consultations import conditions


@dataclass(frozen=True)
class Item:
    id: int
    section_id: int = 1
    condition: dict | None = None


SECTIONS = [Item(1), Item(2)]


def test_is_and_is_not():
    questions = [Item(1), Item(2, condition={"match": "all", "rules": [{"question": 1, "op": "is", "value": 7}]}),
                 Item(3, condition={"rules": [{"question": 1, "op": "is_not", "value": 7}]})]
    assert conditions.visible_questions(SECTIONS, questions, {1: {"option": 7}}) == [1, 2]
    assert conditions.visible_questions(SECTIONS, questions, {1: {"option": 8}}) == [1, 3]
    assert conditions.visible_questions(SECTIONS, questions, {}) == [1, 3]


def test_includes_any_and_all():
    rules = [{"question": 1, "op": "includes", "value": 5}, {"question": 2, "op": "is", "value": True}]
    questions = [Item(1), Item(2), Item(3, condition={"match": "any", "rules": rules}),
                 Item(4, condition={"match": "all", "rules": rules})]
    assert conditions.visible_questions(SECTIONS, questions, {1: {"options": [5, 6]}, 2: False}) == [1, 2, 3]
    assert conditions.visible_questions(SECTIONS, questions, {1: {"options": [5]}, 2: True}) == [1, 2, 3, 4]
    assert conditions.visible_questions(SECTIONS, questions, {1: {"options": [6]}, 2: False}) == [1, 2]


def test_a_hidden_section_hides_its_questions_and_hiding_cascades():
    sections = [Item(1), Item(2, condition={"rules": [{"question": 1, "op": "is", "value": True}]})]
    questions = [Item(1, 1), Item(2, 2), Item(3, 2, condition={"rules": [{"question": 2, "op": "answered"}]}),
                 Item(4, 1)]
    answers = {1: False, 2: "x", 3: "y", 4: "z"}
    assert conditions.visible_questions(sections, questions, answers) == [1, 4]
    assert conditions.strip_hidden(sections, questions, answers) == {1: False, 4: "z"}
    assert conditions.visible_sections(sections, questions, answers) == [1]


def test_conditions_may_only_use_earlier_questions():
    condition = {"match": "all", "rules": [{"question": 5, "op": "is", "value": 1}]}
    assert conditions.check_condition(condition, [1, 2]) == ["not_earlier"]
    assert conditions.check_condition(condition, [5]) == []
    assert "bad_operator" in conditions.check_condition({"rules": [{"question": 1, "op": "like"}]}, [1])


OPS = st.sampled_from(conditions.OPERATORS)
VALUES = st.one_of(st.integers(0, 3), st.booleans())
ANSWER = st.one_of(st.none(), st.integers(0, 3), st.booleans(), st.builds(lambda o: {"option": o}, st.integers(0, 3)),
                   st.builds(lambda os: {"options": os}, st.lists(st.integers(0, 3), max_size=3)))


@st.composite
def surveys(draw):  # noqa: ANN001, ANN201
    """Random sections and questions whose conditions point at random earlier questions."""
    n_sections = draw(st.integers(1, 3))
    n_questions = draw(st.integers(1, 8))
    section_of = sorted(draw(st.lists(st.integers(1, n_sections), min_size=n_questions, max_size=n_questions)))

    def condition(earlier: list[int]):  # noqa: ANN202
        if not earlier or not draw(st.booleans()):
            return None
        rules = draw(st.lists(st.builds(lambda q, op, v: {"question": q, "op": op, "value": v},
                                        st.sampled_from(earlier), OPS, VALUES), min_size=1, max_size=3))
        return {"match": draw(st.sampled_from(conditions.MATCHES)), "rules": rules}

    questions, sections = [], []
    for s in range(1, n_sections + 1):
        earlier = [q.id for q in questions]
        sections.append(Item(s, condition=condition(earlier)))
        for qid in [i + 1 for i, sec in enumerate(section_of) if sec == s]:
            questions.append(Item(qid, s, condition(list(range(1, qid)))))
    answers = {q.id: draw(ANSWER) for q in questions if draw(st.booleans())}
    return sections, questions, answers


@settings(max_examples=300, deadline=None)
@given(surveys())
def test_a_hidden_question_never_keeps_its_answer(survey):  # noqa: ANN001
    sections, questions, answers = survey
    kept = conditions.strip_hidden(sections, questions, answers)
    shown = conditions.visible_questions(sections, questions, answers)
    assert set(kept) <= set(shown)
    # Judged on what is kept, the same questions show: stripping is stable.
    assert conditions.visible_questions(sections, questions, kept) == shown
    assert conditions.strip_hidden(sections, questions, kept) == kept
    for question in questions:
        section = next(s for s in sections if s.id == question.section_id)
        if question.id in kept:
            assert conditions.evaluate(question.condition, kept)
            assert conditions.evaluate(section.condition, kept)
