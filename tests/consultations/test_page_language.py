"""Changing the language on an answering page keeps what was typed (no JavaScript needed)."""
from __future__ import annotations

import re
import sqlite3

import pytest
import sqlalchemy as sa

from inspraak.consultations.models import Draft, Participation
from inspraak.extensions import db
from inspraak.people.models import Person


@pytest.fixture
def answering(client, editor, make_survey, make_tenant, login_tenant):  # noqa: ANN001, ANN201
    """A signed-in tenant on the first page of an open (anonymous) survey: (person, survey, page address)."""
    person = make_tenant(editor.corporation)
    survey = make_survey(editor)
    login_tenant(client, person)
    return person, survey, f"/consultations/{survey.id}/page/1"


def _draft() -> dict | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(Draft.answers))


def _language_of(html: str) -> tuple[str, str]:
    match = re.search(r'<html lang="([a-z]+)" dir="([a-z]+)">', html)
    assert match
    return match.group(1), match.group(2)


def test_a_language_button_saves_what_was_typed_and_shows_the_same_page_in_that_language(client, answering):
    """Anonymous (the default): drafts exist here as for "Save for later", so the button does the same."""
    person, survey, page = answering
    # "Why the bike?" becomes required with the bike chosen, and is left open: no "required" check.
    r = client.post_form(page, {f"q{survey.choice}": str(survey.bike), "lang": "tr"}, token_from=page)
    assert r.status_code == 302 and r.location.endswith(page)
    assert _draft() == {str(survey.choice): {"option": survey.bike}}
    html = client.get(page).get_data(as_text=True)
    assert _language_of(html) == ("tr", "ltr")
    assert "Bisiklet" in html and f'value="{survey.bike}" checked' in html
    assert db.session.get(Person, person.id).preferred_language == "tr"
    # On the second page too, into Arabic: the same page again, right to left, the mark kept.
    client.post_form(page, {f"q{survey.choice}": str(survey.car), "action": "next"}, token_from=page)
    second = f"/consultations/{survey.id}/page/2"
    r = client.post_form(second, {f"q{survey.score}": "8", "lang": "ar"}, token_from=page)
    assert r.status_code == 302 and r.location.endswith(second)
    html = client.get(second).get_data(as_text=True)
    assert _language_of(html) == ("ar", "rtl") and 'value="8" checked' in html


def test_an_answer_that_cannot_be_kept_is_shown_again_with_its_error_in_the_new_language(client, answering):
    person, survey, page = answering
    r = client.post_form(page, {f"q{survey.choice}": str(survey.other), f"q{survey.other}_other": "", "lang": "en"},
                         token_from=page)
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and _language_of(html) == ("en", "ltr")
    assert "You chose “other”. Please write what you mean." in html and f'value="{survey.other}" checked' in html
    assert _draft() is None
    assert _language_of(client.get(page).get_data(as_text=True)) == ("en", "ltr")  # the choice is remembered


def test_the_language_buttons_are_named_in_their_own_language_after_the_answering_buttons(client, answering):
    person, survey, page = answering
    html = client.get(f"{page}?lang=nl").get_data(as_text=True)
    # The form posts to the page itself, without a ?lang= that would outweigh the button.
    form = html[html.index(f'<form method="post" action="/consultations/{survey.id}/page/1" novalidate'):]
    form = form[:form.index("</form>")]
    assert '<fieldset class="page-languages" id="page-languages" aria-describedby="page-languages-hint">' in form
    assert '<button type="submit" name="lang" value="ar" lang="ar" dir="rtl" class="link-button">العربية</button>' in form
    assert 'name="lang" value="nl" lang="nl" dir="ltr" class="link-button" aria-current="true"' in form
    # Enter in a text box presses the form's first button: that stays "Next", not a language.
    assert form.index('name="action" value="next"') < form.index('name="lang"')
    # The header's language links lead to these buttons instead of leaving the page (and what was typed).
    header = html[:html.index("<main")]
    assert 'href="#page-languages" lang="tr"' in header and "?lang=" not in header
    intro = client.get(f"/consultations/{survey.id}?lang=nl").get_data(as_text=True)
    assert f'href="/consultations/{survey.id}?lang=tr"' in intro


def test_a_language_button_without_the_csrf_token_changes_nothing(client, answering):
    person, survey, page = answering
    r = client.post(page, data={f"q{survey.choice}": str(survey.bike), "lang": "tr"})
    assert r.status_code == 400
    assert _draft() is None and db.session.get(Person, person.id).preferred_language != "tr"



def test_a_language_button_on_the_last_page_never_sends_whatever_else_the_form_says(client, answering):
    """A hand-made form with both a language and "send" (or a language that is not offered, or a huge one)
    keeps the answers as a draft on the same page: nothing is sent."""
    person, survey, page = answering
    client.post_form(page, {f"q{survey.choice}": str(survey.car), "action": "next"}, token_from=page)
    last = f"/consultations/{survey.id}/page/2"
    for lang in ("pl", "xx", "", "ar\n", "ﷺ" * 1000, "x" * 100_000):
        r = client.post_form(last, {f"q{survey.score}": "8", "lang": lang, "action": "send"}, token_from=last)
        assert r.status_code == 302 and r.location.endswith(last), lang
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Participation)) == 0
    assert _draft() == {str(survey.choice): {"option": survey.car}, str(survey.score): 8}
    assert db.session.get(Person, person.id).preferred_language == "pl"  # only an offered language is taken


@pytest.fixture
def writer_between(app, database_url):  # noqa: ANN001, ANN201
    """SQLite: once armed (call it), another request writes right after the next read (a tenant sending
    answers, say); returns the list that holds the read it followed."""
    if not database_url.startswith("sqlite:///"):
        pytest.skip("PostgreSQL has no stale read snapshot to write on")
    with app.app_context():
        engine = db.engine
    armed, fired = [], []

    def write_once(conn, cursor, statement, *_args) -> None:  # noqa: ANN001
        if armed and not fired and statement.lstrip().upper().startswith("SELECT"):
            fired.append(statement)
            other = sqlite3.connect(database_url.removeprefix("sqlite:///"), timeout=5)
            other.execute("INSERT INTO sent_form (token, actor_kind, result_url, created_at)"
                          " VALUES ('from-another-request', 'system', '', '2026-01-01 00:00:00')")
            other.commit()
            other.close()

    sa.event.listen(engine, "after_cursor_execute", write_once)
    yield lambda: armed.append(True) or fired
    sa.event.remove(engine, "after_cursor_execute", write_once)


@pytest.mark.parametrize("by", ["button", "link"])
def test_choosing_a_language_while_another_tenant_writes_is_saved(client, answering, writer_between, by):
    """The choice is written in a transaction that began as a read (answering pages write late): on SQLite a
    write in between made that transaction's write fail ('database is locked', a 500)."""
    person, survey, page = answering
    token = client.csrf_token(page)
    fired = writer_between()
    if by == "button":
        r = client.post(page, data={"csrf_token": token, f"q{survey.choice}": str(survey.bike), "lang": "pl"})
        assert r.status_code == 302 and _draft() == {str(survey.choice): {"option": survey.bike}}
    else:
        assert client.get(f"{page}?lang=pl").status_code == 200
    db.session.expire_all()
    assert fired and db.session.get(Person, person.id).preferred_language == "pl"
FALLBACK_NOTE = '<span lang="nl" dir="ltr">{}</span> <span class="fallback-note">'.format


def test_titles_shown_in_the_source_language_say_so_like_questions(client, answering):
    """Neither the survey's title nor the second section's ("Uw buurt") is in Arabic: both are marked as Dutch
    and carry the note, on the introduction, the answering page and the review; Turkish has the survey's title."""
    person, survey, page = answering
    client.post_form(page, {f"q{survey.choice}": str(survey.car), "action": "next"}, token_from=page)
    second = client.get(f"/consultations/{survey.id}/page/2?lang=ar").get_data(as_text=True)
    assert re.search(r"<h1>\s*" + re.escape(FALLBACK_NOTE("Uw buurt")), second)
    assert f'<p class="muted">{FALLBACK_NOTE("Hoe gaat u naar uw werk?")}' in second
    review = client.get(f"/consultations/{survey.id}/review").get_data(as_text=True)
    assert f'-heading">{FALLBACK_NOTE("Uw buurt")}' in review
    assert f'<p class="muted">{FALLBACK_NOTE("Hoe gaat u naar uw werk?")}' in review
    intro = client.get(f"/consultations/{survey.id}").get_data(as_text=True)
    assert f'<h1>{FALLBACK_NOTE("Hoe gaat u naar uw werk?")}' in intro
    turkish = client.get(f"/consultations/{survey.id}/page/2?lang=tr").get_data(as_text=True)
    assert "<h1>" + FALLBACK_NOTE("Uw buurt") in turkish and "İşe nasıl gidiyorsunuz?" in turkish
    assert turkish.count('class="fallback-note"') == 1
