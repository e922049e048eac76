"""Factories for results: a closed consultation with one question of every kind, and responses."""
from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest

from inspraak.consultations.answer_conversion import answer_rows
from inspraak.consultations.models import (
    Answer,
    AudienceScope,
    Breakdown,
    Channel,
    Consultation,
    ConsultationStatus,
    Invitation,
    MatrixRow,
    Option,
    Participation,
    PrivacyMode,
    Question,
    QuestionType,
    Response,
    Section,
)
from inspraak.consultations.queries import spec_of
from inspraak.core.timeutil import local_today
from inspraak.extensions import db
from inspraak.results import outcomes, quoting, services

_units = itertools.count(1)


@dataclass
class World:
    """A closed consultation; ``q`` maps a short name to its question, ``o`` option labels to ids."""

    consultation: Consultation
    q: dict[str, Question]
    o: dict[str, int] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)

    def answer(self, values: dict[str, Any], channel: Channel = Channel.ONLINE, person=None,  # noqa: ANN001
               place: tuple[int | None, int | None] = (None, None)) -> None:
        """Store one response as the answering service would: a participation and the answer rows.

        ``place`` is the (neighbourhood id, complex id) the response records under a breakdown.
        """
        c = self.consultation
        unit = f"p{person.id}" if person is not None else f"x{next(_units)}"
        today = local_today()  # the Dutch date, as the answering service records it
        db.session.add(Participation(consultation_id=c.id, unit_key=unit, channel=channel, taken_part_on=today))
        response = Response(id=uuid.uuid4().hex, consultation_id=c.id, submitted_on=today,
                            neighbourhood_id=place[0], complex_id=place[1])
        if not c.is_anonymous:
            response.unit_key, response.channel = unit, channel
            response.person_id = person.id if person is not None else None
        db.session.add(response)
        for name, value in values.items():
            question = self.q[name]
            for item, row in enumerate(answer_rows(spec_of(question), value)):
                response.answers.append(Answer(question_id=question.id, item=item, **row))
        db.session.flush()

    def invite(self, person) -> None:  # noqa: ANN001
        db.session.add(Invitation(consultation_id=self.consultation.id, unit_key=f"p{person.id}", person_id=person.id,
                                  code_salt=uuid.uuid4().hex, code_digest=uuid.uuid4().hex + uuid.uuid4().hex))
        db.session.flush()


def _options(question: Question, labels: list[str], world: World) -> None:
    for position, label in enumerate(labels, start=1):
        option = Option(position=position, label={"nl": label.upper(), "en": label, "ar": f"خيار {label}"})
        question.options.append(option)
        db.session.flush()
        world.o[f"{question.id}:{label}"] = option.id


@pytest.fixture
def make_world(app):  # noqa: ANN001, ANN201
    def make(corporation, *, privacy=PrivacyMode.ANONYMOUS, status=ConsultationStatus.CLOSED,  # noqa: ANN001, ANN202
             breakdown=Breakdown.NONE):
        c = Consultation(corporation_id=corporation.id, title={"nl": "Onze buurt", "en": "Our area", "ar": "حينا"},
                         source_language="nl", privacy_mode=privacy, status=status, breakdown=breakdown)
        section = Section(position=1, title={})
        c.sections.append(section)
        db.session.add(c)
        db.session.flush()
        kinds = {
            "choice": QuestionType.SINGLE_CHOICE, "multi": QuestionType.MULTIPLE_CHOICE, "scale": QuestionType.SCALE,
            "score": QuestionType.SCORE, "yes": QuestionType.YES_NO, "number": QuestionType.NUMBER,
            "rank": QuestionType.RANKING, "matrix": QuestionType.MATRIX, "text": QuestionType.LONG_TEXT,
        }
        questions = {}
        for position, (name, qtype) in enumerate(kinds.items(), start=1):
            settings = {"min": 1, "max": 5} if qtype is QuestionType.SCALE else {}
            questions[name] = Question(consultation=c, section=section, position=position, type=qtype,
                                       text={"nl": f"Vraag {name}", "en": f"Question {name}", "ar": f"سؤال {name}"},
                                       settings=settings)
            db.session.add(questions[name])
        db.session.flush()
        world = World(c, questions)
        for name in ("choice", "multi", "rank"):
            _options(questions[name], ["a", "b", "c"], world)
        _options(questions["matrix"], ["good", "bad"], world)
        for position, label in enumerate(["front", "back"], start=1):
            row = MatrixRow(position=position, label={"nl": label, "en": label})
            questions["matrix"].rows.append(row)
            db.session.flush()
            world.rows[label] = row.id
        db.session.commit()
        return world

    return make


def full_answer(world: World, choice: str, multi: list[str], scale: int, score: int, yes: bool, number: str,
                rank: list[str], front: str, back: str, text: str | None = None) -> dict[str, Any]:
    """One response touching every question."""
    q, o = world.q, world.o
    values = {
        "choice": {"option": o[f"{q['choice'].id}:{choice}"]},
        "multi": {"options": [o[f"{q['multi'].id}:{m}"] for m in multi]},
        "scale": scale, "score": score, "yes": yes, "number": number,
        "rank": [o[f"{q['rank'].id}:{r}"] for r in rank],
        "matrix": {str(world.rows["front"]): o[f"{q['matrix'].id}:{front}"],
                   str(world.rows["back"]): o[f"{q['matrix'].id}:{back}"]},
    }
    if text:
        values["text"] = text
    return values


@pytest.fixture
def published(app, make_corporation, make_world, make_staff, make_tenant):  # noqa: ANN001, ANN201
    """A published consultation with twelve responses, an invited tenant and an outsider."""
    app.config["RESULTS_PRIVACY_THRESHOLD"] = 5
    corporation = make_corporation()
    world = make_world(corporation)
    tenant, outsider = make_tenant(corporation, language="ar"), make_tenant(corporation)  # in neighbourhoods of their own
    world.consultation.audience_scope = AudienceScope.NEIGHBOURHOODS  # the tenant's, not the outsider's
    world.consultation.neighbourhoods = [tenant.tenancy.dwelling.complex.neighbourhood]
    world.invite(tenant)
    for i in range(12):
        world.answer(full_answer(world, "a" if i < 8 else "b", ["a"], 4, 9, True, "3", ["a", "b", "c"], "good", "bad"))
    staff = make_staff(corporation, "publisher")
    with app.test_request_context():
        services.publish(world.consultation, summary={"nl": "Bijna iedereen fietst.", "ar": "الجميع تقريبا"},
                         correction_note=None, by=staff)
        outcomes.add_outcome(world.consultation, text="Meer fietsenrekken", due_on=None, by=staff)
    db.session.commit()
    yield world, staff, tenant, outsider
    app.config.pop("RESULTS_PRIVACY_THRESHOLD", None)


@pytest.fixture
def world_published(app, make_corporation, make_world, make_staff, make_tenant):  # noqa: ANN001, ANN201
    """Twelve responses (one with a written answer chosen as quote), an action, published in Dutch only."""
    app.config["RESULTS_PRIVACY_THRESHOLD"] = 5
    corporation = make_corporation()
    world = make_world(corporation)
    tenant = make_tenant(corporation)
    world.invite(tenant)
    for i in range(12):
        world.answer(full_answer(world, "a" if i < 8 else "b", ["a"], 4, 9, True, "3", ["a", "b", "c"], "good", "bad",
                                 "Het plein is mooi" if i == 0 else None))
    staff = make_staff(corporation, "publisher")
    rid = db.session.scalar(db.select(Answer.response_id).where(Answer.question_id == world.q["text"].id))
    with app.test_request_context():
        quote = quoting.pick_quote(world.consultation, rid, world.q["text"].id, 0, by=staff)
        outcome = outcomes.add_outcome(world.consultation, text="Meer fietsenrekken", due_on=None, by=staff)
        services.publish(world.consultation, summary={"nl": "Bijna iedereen fietst."}, correction_note=None, by=staff)
    db.session.commit()
    yield world, staff, tenant, quote, outcome
    app.config.pop("RESULTS_PRIVACY_THRESHOLD", None)


def texts_url(world) -> str:  # noqa: ANN001
    return f"/staff/results/{world.consultation.id}/texts"


def save_texts(client, world, data: dict, confirmed: bool = False):  # noqa: ANN001, ANN202
    """Post the results texts form (English), confirmed or not; returns the response."""
    form = {**data, **({"confirmed": "y"} if confirmed else {})}
    return client.post_form(texts_url(world) + "?lang=en", form, token_from=texts_url(world))


@pytest.fixture
def two_hoods(make_corporation, make_complex):  # noqa: ANN001, ANN201
    """Neighbourhood A with complexes A1 and A2, neighbourhood B with complex B1."""
    corporation = make_corporation()
    a1 = make_complex(corporation, neighbourhood_name="A", number="A1")
    a2 = make_complex(corporation, neighbourhood_name="A", number="A2")
    b1 = make_complex(corporation, neighbourhood_name="B", number="B1")
    return corporation, a1, a2, b1


def answer_times(world, complex_, choice: str, scale: int, times: int, *, level: Breakdown,  # noqa: ANN001
                 score: int = 9) -> None:
    """Let ``times`` tenants of this complex (or its neighbourhood, by ``level``) answer the same full answer."""
    place = (complex_.neighbourhood_id, complex_.id if level is Breakdown.COMPLEX else None)
    for _ in range(times):
        world.answer(full_answer(world, choice, [choice], scale, score, choice == "a", "3", ["a", "b", "c"],
                                 "good", "bad"), place=place)


def fill_three_complexes(world, a1, a2, b1, level: Breakdown) -> None:  # noqa: ANN001
    """A1: 6 a (scale 5), 1 b (scale 1); A2: 5 a (scale 4), 5 b (scale 2); B1: 8 a (scale 3), 6 b (scale 3)."""
    for complex_, choice, scale, times in [(a1, "a", 5, 6), (a1, "b", 1, 1), (a2, "a", 4, 5), (a2, "b", 2, 5),
                                           (b1, "a", 3, 8), (b1, "b", 3, 6)]:
        answer_times(world, complex_, choice, scale, times, level=level)


def rank_and_matrix(world, place, first: str, front: str, back: str, times: int) -> None:  # noqa: ANN001
    """``times`` responses (to the ranking and the matrix only) ranking ``first`` first."""
    q, o = world.q, world.o
    order = [first, *(x for x in "abc" if x != first)]
    for _ in range(times):
        world.answer({"rank": [o[f"{q['rank'].id}:{x}"] for x in order],
                      "matrix": {str(world.rows["front"]): o[f"{q['matrix'].id}:{front}"],
                                 str(world.rows["back"]): o[f"{q['matrix'].id}:{back}"]}}, place=place)


@pytest.fixture
def ranked(app, two_hoods, make_world):  # noqa: ANN001, ANN201
    """Only the ranking and the matrix answered, per neighbourhood, every cell at least 5.

    Chosen first: A a 5, b 5, c 6 (16); B a 7, b 5, c 5 (17); the whole a 12, b 10, c 11 (33).
    Matrix "front" good/bad: A 8/8, B 9/8; "back": A 5/11, B 12/5.
    """
    corporation, a1, _a2, b1 = two_hoods
    world = make_world(corporation, breakdown=Breakdown.NEIGHBOURHOOD)
    a, b = (a1.neighbourhood_id, None), (b1.neighbourhood_id, None)
    for place, first, front, back, times in [
        (a, "a", "good", "good", 5), (a, "b", "good", "bad", 3), (a, "b", "bad", "bad", 2), (a, "c", "bad", "bad", 6),
        (b, "a", "good", "good", 7), (b, "b", "good", "good", 2), (b, "b", "bad", "good", 3), (b, "c", "bad", "bad", 5),
    ]:
        rank_and_matrix(world, place, first, front, back, times)
    return world, a1, b1
