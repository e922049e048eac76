"""Support measurement: agreeing dwellings over all dwellings of the complex."""
from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from inspraak.consultations import answering, invitations, support
from inspraak.consultations.models import Channel, Invitation
from inspraak.core.errors import DomainError
from inspraak.extensions import db
from inspraak.people.models import Dwelling


def _complex_with(make_complex, make_tenant, editor, rented: int, empty: int = 0):  # noqa: ANN001, ANN202
    complex_ = make_complex(editor.corporation)
    for _ in range(rented):
        make_tenant(complex_=complex_)
    for n in range(empty):
        db.session.add(Dwelling(corporation_id=editor.corporation_id, complex_id=complex_.id, unit_number=f"E{complex_.id}-{n}",
                                street="Leeg", house_number=n + 1, postcode="3500 AA", city="Utrecht"))
    db.session.commit()
    return complex_


def test_small_complexes_are_refused(app, editor, make_complex, make_tenant):
    complex_ = _complex_with(make_complex, make_tenant, editor, rented=9)
    with app.test_request_context(headers={"Accept-Language": "en"}), pytest.raises(DomainError, match="at least 10"):
        support.create_support_measurement(editor.corporation_id, complex_, title={"nl": "Renovatie"},
                                           source_language="nl", by=editor)


@pytest.mark.parametrize(("lang", "rented", "told"), [
    ("en", 1, "This complex has 1 dwelling. A support measurement needs at least 10 dwellings (Civil Code 7:220)."),
    ("pl", 3, "Ten kompleks ma 3 mieszkania. Badanie poparcia wymaga co najmniej 10 mieszkań"),
    ("pl", 5, "Ten kompleks ma 5 mieszkań. Badanie poparcia wymaga co najmniej 10 mieszkań"),
    ("ar", 2, "في هذا المجمّع السكني مسكنان. يحتاج قياس التأييد إلى 10 مساكن على الأقل"),
    ("ar", 9, "في هذا المجمّع السكني 9 مساكن. يحتاج قياس التأييد إلى 10 مساكن على الأقل"),
])
def test_a_small_complex_is_refused_with_each_number_in_its_own_plural(app, editor, make_complex, make_tenant, lang,
                                                                        rented, told):
    """"This complex has 1 dwellings": one message held both numbers, and its nouns could follow only one."""
    complex_ = _complex_with(make_complex, make_tenant, editor, rented=rented)
    with app.test_request_context(headers={"Accept-Language": lang}), pytest.raises(DomainError) as refused:
        support.create_support_measurement(editor.corporation_id, complex_, title={"nl": "Renovatie"},
                                           source_language="nl", by=editor)
    assert told in str(refused.value)


def _opened_measurement(editor, complex_):  # noqa: ANN001, ANN202
    """A support measurement of the complex, opened: the measurement, its one question and the invited units."""
    consultation = support.create_support_measurement(
        editor.corporation_id, complex_, title={"nl": "Renovatie"}, source_language="nl", by=editor)
    invitations.open_consultation(consultation, by=editor)
    question = consultation.questions[0]
    units = db.session.scalars(sa.select(Invitation.unit_key).where(
        Invitation.consultation_id == consultation.id)).all()
    return consultation, question, units


def test_non_responders_count_as_not_agreeing(app, editor, make_complex, make_tenant):
    complex_ = _complex_with(make_complex, make_tenant, editor, rented=10, empty=2)
    with app.test_request_context():
        consultation, question, units = _opened_measurement(editor, complex_)
        assert len(units) == 10
        for n, unit in enumerate(units[:9]):
            answering.submit_response(consultation, unit_key=unit, answers={question.id: n < 8},
                                      channel=Channel.PAPER)
        result = support.support_result(consultation)
    db.session.commit()
    # 8 of 12 dwellings agree: 66.7 %, although 8 of 9 answers (89 %) agree.
    assert (result.agreeing, result.disagreeing, result.not_responding, result.total_dwellings) == (8, 1, 3, 12)
    assert not result.presumed_reasonable


def test_seventy_percent_of_all_dwellings_is_presumed_reasonable(app, editor, make_complex, make_tenant):
    complex_ = _complex_with(make_complex, make_tenant, editor, rented=10)
    with app.test_request_context():
        consultation, question, units = _opened_measurement(editor, complex_)
        for unit in units[:7]:
            answering.submit_response(consultation, unit_key=unit, answers={question.id: True}, channel=Channel.ONLINE)
        result = support.support_result(consultation)
    db.session.commit()
    assert result.share == Decimal("0.7") and result.presumed_reasonable


def test_the_agree_question_is_extracted_for_the_catalogues():
    """The question's msgid is a literal in a call ``pybabel extract`` knows (keywords as in the Makefile)."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file

    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    found = {message for _, message, _, _ in extract_from_file("python", support.__file__, keywords=keywords)}
    assert "Do you agree with the proposal?" in found


def test_the_agree_question_is_translated_into_every_language(app, editor, make_complex, make_tenant, monkeypatch):
    import flask_babel

    def fake_gettext(self, string, **variables):  # noqa: ANN001, ANN003, ANN202 - a catalogue for every language
        return f"{flask_babel.get_locale()}: {string}"

    monkeypatch.setattr(flask_babel.Domain, "gettext", fake_gettext)
    complex_ = _complex_with(make_complex, make_tenant, editor, rented=10)
    with app.test_request_context():
        consultation = support.create_support_measurement(
            editor.corporation_id, complex_, title={"nl": "Renovatie"}, source_language="nl", by=editor)
        text = consultation.questions[0].text
    assert text["nl"] == "nl: Do you agree with the proposal?"
    assert text["tr"] == "tr: Do you agree with the proposal?"
    assert len(set(text.values())) == len(text) == len(app.config["LANGUAGES"])
