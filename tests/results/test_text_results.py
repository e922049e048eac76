"""An open question in published results with no quote chosen says why no answers are shown; its count of
answers stays protected as every other count (a question with a quote: test_translations)."""
from __future__ import annotations

import re

import pytest

NONE_CHOSEN = {
    "nl": "We lezen alle geschreven antwoorden, maar publiceren alleen citaten die we kiezen; voor deze vraag kozen "
          "we er geen.",
    "en": "We read every written answer, but only publish quotes we choose; for this question we chose none.",
    "tr": "Tüm yazılı cevapları okuyoruz, ancak yalnızca seçtiğimiz alıntıları yayımlıyoruz; bu soru için hiç "
          "alıntı seçmedik.",
    "ar": "نقرأ كل الإجابات المكتوبة، لكننا ننشر فقط الاقتباسات التي نختارها، ولم نختر أي اقتباس لهذا السؤال.",
    "pl": "Czytamy wszystkie pisemne odpowiedzi, ale publikujemy tylko wybrane przez nas cytaty; do tego pytania nie "
          "wybraliśmy żadnego.",
}
ANSWERED_BY_FEWER_THAN_5 = {"nl": "Beantwoord door: minder dan 5", "en": "Answered by: fewer than 5"}


def text_section(page: str) -> str:
    """The results page's section of the open question (the ninth: `make_world`'s "text")."""
    return re.search(r'<section class="result-question" aria-labelledby="q9-heading">.*?</section>', page, re.S)[0]


@pytest.mark.parametrize("lang", ["nl", "en", "tr", "ar", "pl"])
def test_an_open_question_without_quotes_says_why(client, published, login_tenant, lang):
    world, _staff, tenant, _outsider = published
    login_tenant(client, tenant)
    page = client.get(f"/results/{world.consultation.id}?lang={lang}").get_data(as_text=True)
    assert f"<p>{NONE_CHOSEN[lang]}</p>" in text_section(page)
    assert page.count(NONE_CHOSEN[lang]) == 1  # the open question only, not the questions with numbers


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_count_of_an_open_question_stays_hidden_below_the_threshold(client, published, login_tenant, lang):
    """Nobody answered it: 0 is below the threshold, so it reads "fewer than 5", as before."""
    world, _staff, tenant, _outsider = published
    login_tenant(client, tenant)
    section = text_section(client.get(f"/results/{world.consultation.id}?lang={lang}").get_data(as_text=True))
    assert f"<p>{ANSWERED_BY_FEWER_THAN_5[lang]}</p>" in section
    assert ": 0<" not in section
