"""Who took part: each number has its own sentence, so each noun follows its own number."""
from __future__ import annotations

import pytest
from flask import render_template_string
from flask_babel import force_locale

TURNOUT = '{% from "results/_results.html" import results_body %}{{ results_body(results) }}'


def _turnout(participants: str, participant_count: int, invited: int) -> dict:
    """The numbers of a publication without a rate: too few took part to show the number, or nobody was asked."""
    return {"rate": None, "participants": participants, "participant_count": participant_count, "invited": invited,
            "threshold": 10, "channels": [], "questions": []}


@pytest.mark.parametrize(("lang", "participants", "count", "invited", "told"), [
    ("en", "1", 1, 1, "In total, 1 person took part. We asked 1 person."),
    ("en", "fewer than 10", 10, 2, "In total, fewer than 10 people took part. We asked 2 people."),
    ("nl", "minder dan 10", 10, 1, "In totaal deden minder dan 10 mensen mee. We vroegen 1 persoon."),
    ("pl", "mniej niż 10", 10, 3, "Łącznie udział wzięło mniej niż 10 osób. Zapytaliśmy 3 osoby."),
    ("pl", "mniej niż 10", 10, 25, "Łącznie udział wzięło mniej niż 10 osób. Zapytaliśmy 25 osób."),
    ("ar", "أقل من 10", 10, 11, "شارك أقل من 10 أشخاص. سألنا 11 شخصًا."),
    ("ar", "أقل من 10", 10, 100, "شارك أقل من 10 أشخاص. سألنا 100 شخص."),
    ("ar", "أقل من 10", 10, 2, "شارك أقل من 10 أشخاص. سألنا شخصين."),
])
def test_turnout_without_a_rate_reads_right_for_each_number(app, lang, participants, count, invited, told):
    """"1 people took part. We asked 1 people.": one message held both numbers, in one plural."""
    with app.test_request_context(), force_locale(lang):
        page = render_template_string(TURNOUT, results=_turnout(participants, count, invited))
    assert told in page


@pytest.mark.parametrize(("lang", "told"), [
    ("en", "In total, fewer than 10 people took part. We asked 4 people."),
    ("pl", "Łącznie udział wzięło mniej niż 10 osób. Zapytaliśmy 4 osoby."),
    ("ar", "شارك أقل من 10 أشخاص. سألنا 4 أشخاص."),
])
def test_hidden_participants_agree_with_the_threshold(app, lang, told):
    """"Fewer than 10" people takes the words of 10 people: Polish "10 osób", Arabic "10 أشخاص"."""
    from inspraak.results.presenting import present

    snapshot = {"source_language": "nl", "threshold": 10, "questions": [], "participants": {"hidden": "below"},
                "invited": 4, "channels": []}
    with app.test_request_context(), force_locale(lang):
        results = present(snapshot)
        assert results["participant_count"] == 10
        assert told in render_template_string(TURNOUT, results=results)


def _per_home(**numbers) -> dict:  # noqa: ANN003
    return {"source_language": "nl", "threshold": 10, "questions": [], "channels": [{"key": "online", "count": 64}],
            "unit": "dwelling", **numbers}


@pytest.mark.parametrize(("lang", "told", "column"), [
    ("en", "64 of the 210 homes we asked took part (<bdi>30%</bdi>).", "Homes"),
    ("nl", "64 van de 210 woningen die we vroegen, gaven antwoord (<bdi>30%</bdi>).", "Woningen"),
    ("tr", "Sorduğumuz 210 evden 64 ev katıldı (<bdi>%30</bdi>).", "Ev sayısı"),
    # 210: the form of 3 to 10. The rate in <bdi>: in the Arabic sentence '30%' showed as '%30' (its digits
    # follow the Arabic letters before them), where the chart and the table beside it show '30%'.
    ("ar", "شارك 64 من أصل 210 مساكن سألناها (<bdi>30%</bdi>).", "عدد المساكن"),
    ("pl", "Odpowiedzi: 64 z 210 zapytanych mieszkań (<bdi>30%</bdi>).", "Liczba mieszkań"),
])
def test_one_answer_per_home_counts_homes_not_people(app, lang, told, column):
    """A support measurement or a survey per home asked 210 homes, not 210 people: '64 of the 210 people we
    asked' stood under a summary saying 64 households took part."""
    from inspraak.results.presenting import present

    with app.test_request_context(), force_locale(lang):
        page = render_template_string(TURNOUT, results=present(_per_home(participants=64, invited=210)))
    assert told in page and f'<th scope="col">{column}</th>' in page


@pytest.mark.parametrize(("lang", "told"), [
    ("en", "In total, fewer than 10 homes took part. We asked 4 homes."),
    ("nl", "In totaal gaven minder dan 10 woningen antwoord. We vroegen 4 woningen."),
    ("ar", "شاركت أقل من 10 مساكن. سألنا 4 مساكن."),
    ("pl", "Łącznie odpowiedziało mniej niż 10 mieszkań. Zapytaliśmy 4 mieszkania."),
])
def test_hidden_homes_read_right_too(app, lang, told):
    from inspraak.results.presenting import present

    with app.test_request_context(), force_locale(lang):
        page = render_template_string(TURNOUT, results=present(_per_home(participants={"hidden": "below"}, invited=4)))
    assert told in page


@pytest.mark.parametrize(("lang", "per_home", "note"), [
    ("en", True, "we do not show numbers of fewer than 10 homes."),
    ("nl", True, "tonen wij geen aantallen van minder dan 10 woningen."),
    ("tr", True, "10 evden az olan sayıları göstermiyoruz."),
    ("ar", True, "لا نعرض الأعداد التي تقل عن 10 مساكن."),
    ("pl", True, "nie pokazujemy liczb dla grup mniejszych niż 10 mieszkań."),
    ("nl", False, "tonen wij geen aantallen van minder dan 10 mensen."),
])
def test_the_privacy_note_counts_what_the_table_counts(app, lang, per_home, note):
    """A survey per home showed its numbers of homes above 'we do not show numbers of fewer than 10 people'."""
    from inspraak.results.presenting import present

    numbers = _per_home(participants=64, invited=210)
    if not per_home:
        numbers["unit"] = "person"
    with app.test_request_context(), force_locale(lang):
        page = render_template_string(TURNOUT, results=present(numbers))
    assert note in page


def test_the_published_numbers_say_what_was_counted(app, make_corporation, make_world):
    """The snapshot records the unit; a snapshot from before it did not counts people, as it always read."""
    from inspraak.consultations.models import CountingUnit
    from inspraak.results import services
    from inspraak.results.presenting import present

    world = make_world(make_corporation())
    with app.test_request_context():
        assert services.protected_results(world.consultation)["unit"] == "person"
        world.consultation.counting_unit = CountingUnit.DWELLING
        assert services.protected_results(world.consultation)["unit"] == "dwelling"
        old = {key: value for key, value in services.protected_results(world.consultation).items() if key != "unit"}
        assert present(old)["per_home"] is False
