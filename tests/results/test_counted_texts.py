"""Who took part and the privacy threshold read in the form each language needs for the number."""
from __future__ import annotations

import pytest
from flask import render_template_string
from flask_babel import force_locale

TURNOUT = '{% from "results/_results.html" import results_body %}{{ results_body(results) }}'


def _turnout(app, lang: str, invited: int, threshold: int) -> str:  # noqa: ANN001
    results = {"threshold": threshold, "invited": invited, "participants": "1", "rate": "9%", "channels": [],
               "questions": []}
    with app.test_request_context(), force_locale(lang):
        return render_template_string(TURNOUT, results=results)


@pytest.mark.parametrize(("lang", "n", "asked", "hidden"), [
    ("ar", 2, "من أصل شخصين سألناهما", "تقل عن شخصين."),
    ("ar", 5, "من أصل 5 أشخاص سألناهم", "تقل عن 5 أشخاص."),
    ("ar", 11, "من أصل 11 شخصًا سألناهم", "تقل عن 11 شخصًا."),
    ("ar", 22, "من أصل 22 شخصًا سألناهم", "تقل عن 22 شخصًا."),
    ("ar", 100, "من أصل 100 شخص سألناهم", "تقل عن 100 شخص."),
    ("pl", 2, "z 2 zapytanych osób", "mniejszych niż 2 osoby."),
    ("pl", 5, "z 5 zapytanych osób", "mniejszych niż 5 osób."),
    ("pl", 11, "z 11 zapytanych osób", "mniejszych niż 11 osób."),
    ("pl", 22, "z 22 zapytanych osób", "mniejszych niż 22 osoby."),
    ("en", 1, "1 of the 1 person we asked", "fewer than 1 person."),
    ("en", 2, "1 of the 2 people we asked", "fewer than 2 people."),
    ("nl", 1, "1 van de 1 persoon die we vroegen, deed mee", "minder dan 1 persoon."),
    ("nl", 2, "1 van de 2 mensen die we vroegen, deden mee", "minder dan 2 mensen."),
    ("tr", 2, "Sorduğumuz 2 kişiden 1 kişi katıldı", "2 kişiden az olan"),
])
def test_turnout_and_threshold_take_the_plural_form_of_the_number(app, lang, n, asked, hidden):
    html = _turnout(app, lang, invited=n, threshold=n)
    assert asked in html and hidden in html


def test_a_scale_point_of_any_size_is_written_the_readers_way(app):
    """A scale from 10**30 (old data): its points label the published chart and table; Babel's 28 digits gave an error."""
    from flask_babel import force_locale

    from inspraak.results.presenting import cell_text, option_label

    with app.test_request_context(), force_locale("nl"):
        label = option_label({"type": "scale"}, {"key": 10**30}, "nl")
        cell = cell_text(10**30, 10)
    assert label == cell == "1." + ".".join(["000"] * 10)
