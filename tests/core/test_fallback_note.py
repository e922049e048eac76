"""Content shown in its source language is isolated in its own lang and dir, and the note that it is not translated
follows it outside that isolate, in the page's language and direction: in Arabic the note then comes after a Dutch
title (to its left) and wraps as Arabic, its brackets whole."""
from __future__ import annotations

from pathlib import Path

import pytest
from flask import render_template_string
from flask_babel import force_locale

from inspraak.extensions import db

NOTE = {"ar": "(لم يُترجَم بعد)", "pl": "(brak tłumaczenia: tekst w języku oryginału)"}
TITLE = "Tuin achter blok C (fase 2)"
SHOWN = '{% from "_macros/content.html" import shown %}'
TEMPLATES = Path(__file__).resolve().parents[2] / "inspraak"


def _render(app, lang: str, call: str, texts: dict[str, str] | None = None) -> str:  # noqa: ANN001
    with app.test_request_context(), force_locale(lang):
        return render_template_string(SHOWN + "{{ " + call + " }}", t_texts=texts or {"nl": TITLE})


@pytest.mark.parametrize("lang", ["ar", "pl"])
def test_the_note_follows_the_isolated_text_in_the_pages_language(app, lang):
    shown = _render(app, lang, 'shown(localize(t_texts, "nl"))')
    assert shown == f'<span><span lang="nl" dir="ltr">{TITLE}</span> <span class="fallback-note">{NOTE[lang]}</span></span>'


def test_a_block_keeps_the_pages_direction_around_the_isolated_text_and_its_note(app):
    shown = _render(app, "ar", 'shown(localize(t_texts, "nl"), "p", "pre-line")', {"nl": "Eerste regel.\nTweede (2)."})
    assert shown == ('<p class="pre-line"><span lang="nl" dir="ltr">Eerste regel.\nTweede (2).</span> '
                     f'<span class="fallback-note">{NOTE["ar"]}</span></p>')


def test_without_the_note_the_element_itself_carries_the_language(app):
    assert _render(app, "ar", 'shown(localize(t_texts, "nl"), note=False)') == f'<span lang="nl" dir="ltr">{TITLE}</span>'


def test_a_dutch_text_in_a_dutch_page_is_not_marked(app):
    assert _render(app, "nl", 'shown(localize(t_texts, "nl"))') == f"<span>{TITLE}</span>"


def test_an_arabic_source_in_a_dutch_page_is_isolated_right_to_left(app):
    shown = _render(app, "nl", 'shown(localize(t_texts, "ar"))', {"ar": "حديقة (المرحلة 2)"})
    assert shown.startswith('<span><span lang="ar" dir="rtl">حديقة (المرحلة 2)</span> <span class="fallback-note">(')


def test_every_template_shows_the_note_through_one_macro():
    """The note and its place come from `marked` in _macros/content.html, never written out again."""
    writing_it = sorted(str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob("*.html")
                        if "(not translated yet" in path.read_text(encoding="utf-8"))
    assert writing_it == ["templates/_macros/content.html"]


def test_an_untranslated_agenda_item_title_reads_right_in_arabic(client, make_council, make_meeting, login_tenant):
    council, members = make_council(size=3)
    meeting, motion = make_meeting(council, members[0])
    item = motion.agenda_item
    item.title = {"nl": TITLE}
    db.session.commit()
    login_tenant(client, members[1].person)
    page = client.get(f"/council/meetings/{meeting.id}?lang=ar").get_data(as_text=True)
    assert (f'<span id="item-{item.id}-title"><span><span lang="nl" dir="ltr">{TITLE}</span> '
            f'<span class="fallback-note">{NOTE["ar"]}</span></span></span>') in page
    dutch = client.get(f"/council/meetings/{meeting.id}?lang=nl").get_data(as_text=True)
    assert f'<span id="item-{item.id}-title"><span>{TITLE}</span></span>' in dutch
