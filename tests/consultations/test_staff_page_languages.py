"""Staff pages mark a consultation's texts shown in their source language with that language (WCAG 3.1.2)."""
from __future__ import annotations

import pytest

DUTCH = 'lang="nl" dir="ltr"'


@pytest.fixture
def survey_pages(client, editor, make_survey, make_tenant, login_staff):  # noqa: ANN001, ANN201
    """An open survey (texts in Dutch, English and Turkish, its second page's title in Dutch and English) and
    its staff pages, read in Arabic: every text falls back to Dutch."""
    make_tenant(editor.corporation)
    survey = make_survey(editor)
    login_staff(client, editor)
    base = f"/staff/consultations/{survey.id}"
    paths = {"index": "/staff/consultations/", "show": base, "question": f"{base}/questions/{survey.choice}",
             "closing": f"{base}/closing", "codes": f"{base}/codes"}
    return {name: client.get(f"{path}?lang=ar").get_data(as_text=True) for name, path in paths.items()}


@pytest.mark.parametrize("page", ["index", "show", "closing", "codes"])
def test_the_title_in_dutch_on_an_arabic_page_is_marked_dutch(survey_pages, page):
    html = survey_pages[page]
    assert '<html lang="ar" dir="rtl">' in html
    assert f"<span {DUTCH}>Hoe gaat u naar uw werk?</span>" in html


def test_pages_questions_and_options_in_dutch_are_marked_dutch(survey_pages):
    assert f"<span {DUTCH}>Uw buurt</span>" in survey_pages["show"]
    assert f"<span {DUTCH}>Hoe reist u?</span>" in survey_pages["show"]
    assert f"<span {DUTCH}>Fiets</span>" in survey_pages["question"]


def test_texts_in_the_pages_own_language_carry_no_extra_mark(client, editor, make_survey, make_tenant, login_staff):
    make_tenant(editor.corporation)
    survey = make_survey(editor)
    login_staff(client, editor)
    html = client.get(f"/staff/consultations/{survey.id}?lang=tr").get_data(as_text=True)
    assert "<h1><span>İşe nasıl gidiyorsunuz?</span></h1>" in html and f"<span {DUTCH}>Uw buurt</span>" in html
