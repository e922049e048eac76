"""The introduction and the closing text, where not translated, are shown in the source language with the
same note as titles and questions, and marked with that language so a screen reader reads them right."""
from __future__ import annotations

import pytest

from inspraak.extensions import db

INTRO, OUTRO = "Wij willen weten hoe u reist.", "Dank u wel. In juni leest u wat we gaan doen."
NOTE = {"ar": "(لم يُترجَم بعد)", "pl": "(brak tłumaczenia: tekst w języku oryginału)"}


def _in_dutch_with_note(text: str, lang: str) -> str:
    return f'<span lang="nl" dir="ltr">{text}</span> <span class="fallback-note">{NOTE[lang]}</span>'


@pytest.fixture
def survey_with_texts(client, editor, make_survey, make_tenant, login_tenant):  # noqa: ANN001, ANN201
    """An open survey whose introduction and closing text exist in Dutch and Turkish only; a tenant signed in."""
    tenant = make_tenant(editor.corporation)
    survey = make_survey(editor)
    survey.consultation.intro = {"nl": INTRO, "tr": "Nasıl seyahat ettiğinizi bilmek istiyoruz."}
    survey.consultation.outro = {"nl": OUTRO, "tr": "Teşekkürler."}
    db.session.commit()
    login_tenant(client, tenant)
    return survey


def _answer_all(client, survey) -> None:  # noqa: ANN001
    base = f"/consultations/{survey.id}"
    first = f"{base}/page/1"
    client.post_form(first, {f"q{survey.choice}": str(survey.car), "action": "next"}, token_from=first)
    client.post_form(f"{base}/page/2", {f"q{survey.score}": "8", "action": "next"}, token_from=first)
    r = client.post_form(f"{base}/review", {}, token_from=first)
    assert r.status_code == 302 and r.location.endswith("/done"), r.get_data(as_text=True)[:3000]


@pytest.mark.parametrize("lang", ["ar", "pl"])
def test_an_untranslated_introduction_says_so(client, survey_with_texts, lang):
    page = client.get(f"/consultations/{survey_with_texts.id}?lang={lang}").get_data(as_text=True)
    assert f'<p class="pre-line lead">{_in_dutch_with_note(INTRO, lang)}</p>' in page


@pytest.mark.parametrize("lang", ["ar", "pl"])
def test_an_untranslated_closing_text_says_so(client, survey_with_texts, lang):
    client.get(f"/consultations/{survey_with_texts.id}?lang={lang}")
    _answer_all(client, survey_with_texts)
    page = client.get(f"/consultations/{survey_with_texts.id}/done").get_data(as_text=True)
    assert f'<p class="pre-line">{_in_dutch_with_note(OUTRO, lang)}</p>' in page


def test_a_translated_introduction_and_closing_text_carry_no_note(client, survey_with_texts):
    page = client.get(f"/consultations/{survey_with_texts.id}?lang=tr").get_data(as_text=True)
    assert '<p class="pre-line lead">Nasıl seyahat ettiğinizi bilmek istiyoruz.</p>' in page
    _answer_all(client, survey_with_texts)
    done = client.get(f"/consultations/{survey_with_texts.id}/done").get_data(as_text=True)
    assert '<p class="pre-line">Teşekkürler.</p>' in done and "fallback-note" not in done


def test_the_preview_shows_the_note_on_the_introduction(client, editor, survey_with_texts, login_staff):
    login_staff(client, editor)
    page = client.get(f"/staff/consultations/{survey_with_texts.id}/preview?as=pl").get_data(as_text=True)
    assert f'<p class="pre-line lead">{_in_dutch_with_note(INTRO, "pl")}</p>' in page
