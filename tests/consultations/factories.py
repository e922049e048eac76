"""Factories for consultations, built through the services as staff would (shared with other test packages)."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from inspraak.consultations import authoring, invitations, queries, questions, structure
from inspraak.consultations.models import (
    AudienceScope,
    Breakdown,
    Consultation,
    CountingUnit,
    PrivacyMode,
    QuestionType,
)
from inspraak.extensions import db


@dataclass
class Survey:
    id: int
    choice: int  # single choice: options "bike" / "car" / "other"
    bike: int
    car: int
    other: int
    why: int  # shown only when the choice is "bike"
    score: int  # second page, required 0-10

    @property
    def consultation(self) -> Consultation:
        return queries.get_consultation(db.session.get(Consultation, self.id).corporation_id, self.id)


@pytest.fixture
def keep_loaded_objects(app):  # noqa: ANN001, ANN202
    """Objects made by the test stay readable after commit without opening a (write-locking) transaction."""
    db.session().expire_on_commit = False


@pytest.fixture
def editor(make_staff, make_corporation):  # noqa: ANN001, ANN201
    return make_staff(make_corporation(), "editor")


@pytest.fixture
def make_survey(app):  # noqa: ANN001, ANN201
    """A two-page survey with a condition; open it with ``open=True``."""

    def make(staff, **kwargs):  # noqa: ANN001, ANN003, ANN202
        with app.test_request_context():
            return _make(staff, **kwargs)

    def _make(staff, *, scope=AudienceScope.CORPORATION, complexes=(), neighbourhoods=(),  # noqa: ANN001, ANN202
             unit=CountingUnit.PERSON, privacy=PrivacyMode.ANONYMOUS, open=True, closes_at=None,
             breakdown=Breakdown.NONE):
        c = authoring.create_consultation(
            staff.corporation_id, title={"nl": "Hoe gaat u naar uw werk?", "en": "How do you get to work?",
                                          "tr": "İşe nasıl gidiyorsunuz?"},
            source_language="nl", by=staff)
        authoring.update_settings(
            c, source_language="nl", audience_scope=scope, neighbourhood_ids=[n.id for n in neighbourhoods],
            complex_ids=[x.id for x in complexes], counting_unit=unit, privacy_mode=privacy, opens_at=None,
            closes_at=closes_at, results_expected_on=None, by=staff, breakdown=breakdown)
        first = c.sections[0]
        choice = questions.add_question(c, first, type=QuestionType.SINGLE_CHOICE, required=True,
                                        text={"nl": "Hoe reist u?", "en": "How do you travel?", "tr": "Nasıl seyahat?"},
                                        by=staff)
        bike = questions.add_option(choice, label={"nl": "Fiets", "en": "Bike", "tr": "Bisiklet"})
        car = questions.add_option(choice, label={"nl": "Auto", "en": "Car", "tr": "Araba"})
        other = questions.add_option(choice, label={"nl": "Anders", "en": "Other", "tr": "Diğer"}, is_other=True)
        why = questions.add_question(c, first, type=QuestionType.SHORT_TEXT, required=True,
                                     text={"nl": "Waarom de fiets?", "en": "Why the bike?", "tr": "Neden bisiklet?"},
                                     by=staff)
        questions.update_question(why, text=why.text, help={}, required=True, settings={},
                                  condition={"match": "all", "rules": [{"question": choice.id, "op": "is",
                                                                       "value": bike.id}]})
        second = structure.add_section(c, title={"nl": "Uw buurt", "en": "Your neighbourhood"}, by=staff)
        score = questions.add_question(c, second, type=QuestionType.SCORE, required=True,
                                       text={"nl": "Welk cijfer geeft u uw buurt?", "en": "What mark for your area?",
                                            "tr": "Mahallenize kaç puan?"}, by=staff)
        if open:
            invitations.open_consultation(c, by=staff)
        survey = Survey(c.id, choice.id, bike.id, car.id, other.id, why.id, score.id)
        db.session.commit()
        return survey

    return make
