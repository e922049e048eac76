"""The reader's language: ?lang= → profile → session → browser → Dutch; Arabic right to left."""
import re

import pytest

from config import Config
from inspraak.core.i18n import localize, missing_languages

LANGS = list(Config.LANGUAGES)


def html_tag(response):
    return re.search(r"<html[^>]*>", response.get_data(as_text=True)).group(0)


@pytest.mark.parametrize("lang", LANGS)
def test_every_language_renders_with_lang_and_dir(client, lang):
    tag = html_tag(client.get(f"/sign-in?lang={lang}"))
    assert f'lang="{lang}"' in tag
    assert ('dir="rtl"' in tag) == (lang == "ar")


def test_default_is_dutch(client):
    assert 'lang="nl"' in html_tag(client.get("/"))


def test_browser_language_is_used(client):
    assert 'lang="pl"' in html_tag(client.get("/", headers={"Accept-Language": "pl-PL,pl;q=0.9,en;q=0.5"}))


def test_unsupported_browser_language_falls_back_to_dutch(client):
    assert 'lang="nl"' in html_tag(client.get("/", headers={"Accept-Language": "fr-FR"}))


def test_explicit_choice_is_remembered_in_the_session(client):
    client.get("/?lang=tr")
    assert 'lang="tr"' in html_tag(client.get("/", headers={"Accept-Language": "en"}))


def test_unknown_lang_parameter_is_ignored(client):
    assert 'lang="nl"' in html_tag(client.get("/?lang=xx"))


def test_choice_is_saved_to_the_profile_and_wins_over_the_session(app, client, make_tenant, login_tenant):
    person = make_tenant(language="nl")
    login_tenant(client, person)
    client.get("/my?lang=ar")
    from inspraak.extensions import db

    db.session.refresh(person)
    assert person.preferred_language == "ar"
    other_browser = app.test_client()
    login_tenant(other_browser, person)
    assert 'dir="rtl"' in html_tag(other_browser.get("/my"))


def test_account_page_saves_language(client, make_tenant, login_tenant):
    person = make_tenant(language="nl")
    login_tenant(client, person)
    response = client.post_form("/account", {"language": "pl"}, token_from="/account")
    assert response.status_code == 302
    assert 'lang="pl"' in html_tag(client.get("/my"))


def test_account_page_refuses_an_unknown_language(client, make_tenant, login_tenant):
    login_tenant(client, make_tenant())
    assert client.post_form("/account", {"language": "xx"}, token_from="/account").status_code == 400


def test_language_switcher_names_each_language_in_itself(client):
    body = client.get("/sign-in").get_data(as_text=True)
    for code, info in Config.LANGUAGES.items():
        assert re.search(rf'lang="{code}"[^>]*>{re.escape(info["name"])}<', body)


def test_dates_follow_the_readers_locale(app):
    from datetime import date

    from flask_babel import format_date

    with app.app_context(), app.test_request_context("/?lang=nl"):
        assert "november" in format_date(date(2026, 11, 27), "long")
    with app.app_context(), app.test_request_context("/?lang=pl"):
        assert "listopada" in format_date(date(2026, 11, 27), "long")


def test_times_are_shown_in_amsterdam(app):
    from datetime import datetime, timezone

    from flask_babel import format_datetime

    with app.app_context(), app.test_request_context("/?lang=en"):
        shown = format_datetime(datetime(2026, 7, 1, 10, 0, tzinfo=timezone.utc), "HH:mm")
    assert shown == "12:00"


# ---------------------------------------------------------------- content as data

def test_localize_picks_the_readers_language(app):
    texts = {"nl": "Hallo", "tr": "Merhaba"}
    result = localize(texts, "nl", "tr")
    assert (result.text, result.lang, result.is_fallback) == ("Merhaba", "tr", False)


def test_localize_falls_back_to_the_source_and_marks_it(app):
    result = localize({"nl": "Hallo", "en": ""}, "nl", "ar")
    assert (result.text, result.lang, result.is_fallback) == ("Hallo", "nl", True)


def test_localize_uses_any_text_when_the_source_is_missing(app):
    result = localize({"en": "Hello"}, "nl", "pl")
    assert (result.text, result.is_fallback) == ("Hello", True)


def test_localize_empty(app):
    assert not localize({}, "nl", "nl")


def test_missing_languages_lists_blank_ones():
    assert missing_languages({"nl": "x", "en": "  "}, LANGS) == ["en", "tr", "ar", "pl"]


def test_templates_follow_a_forced_language_and_return_to_the_readers(app):
    """Jinja keeps the request's catalogue (core.i18n_setup._translations), yet force_locale still applies."""
    from flask import render_template_string
    from flask_babel import force_locale

    with app.test_request_context("/?lang=nl"):
        assert render_template_string('{{ _("Sign out") }}') == "Uitloggen"
        with force_locale("en"):
            assert render_template_string('{{ _("Sign out") }}') == "Sign out"
        assert render_template_string('{{ _("Sign out") }}') == "Uitloggen"
