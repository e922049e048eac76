"""Percentages in each language's own pattern ("30%", Turkish "%30"), in Latin digits everywhere; machine-readable
exports carry no formatted percentage, so they do not change with the reader's language."""
from __future__ import annotations

import json

import pytest
from flask import render_template_string
from flask_babel import force_locale

from inspraak.core.i18n_setup import format_percentage

# The share of the first choice in `published`: 8 of 12 chose "a".
SHARE_OF_A = {"nl": "67%", "en": "67%", "tr": "%67", "ar": "67%", "pl": "67%"}
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩٪"


@pytest.mark.parametrize(("lang", "whole", "one_digit", "large"), [
    ("nl", "30%", "30,5%", "1.234%"),
    ("en", "30%", "30.5%", "1,234%"),
    ("tr", "%30", "%30,5", "%1.234"),
    ("ar", "30%", "30.5%", "1,234%"),
    ("pl", "30%", "30,5%", "1\u00a0234%"),
])
def test_a_percentage_follows_the_language(app, lang, whole, one_digit, large):
    with app.test_request_context(), force_locale(lang):
        assert format_percentage(0.3) == whole
        assert format_percentage(0.30512, 1) == one_digit
        assert format_percentage(12.34) == large


@pytest.mark.parametrize("lang", ["nl", "en", "tr", "ar", "pl"])
def test_the_percent_filter_follows_the_language(app, lang):
    with app.test_request_context(), force_locale(lang):
        shown = render_template_string("{{ 0.3|percent }} {{ 0.30512|percent(1) }} [{{ none|percent }}]")
    whole, one_digit = {"tr": ("%30", "%30,5"), "en": ("30%", "30.5%"), "ar": ("30%", "30.5%")}.get(
        lang, ("30%", "30,5%"))
    assert shown == f"{whole} {one_digit} []"


@pytest.mark.parametrize("lang", ["nl", "en", "tr", "ar", "pl"])
def test_results_page_shows_shares_in_the_readers_pattern(client, published, login_tenant, lang):
    world, _staff, tenant, _outsider = published
    login_tenant(client, tenant)
    page = client.get(f"/results/{world.consultation.id}?lang={lang}").get_data(as_text=True)
    share = SHARE_OF_A[lang]
    assert f'<span class="chart-value"><bdi>{share}</bdi></span>' in page  # the chart's text
    assert f">{share}</td>" in page  # the table beside it
    assert not any(digit in page for digit in ARABIC_INDIC_DIGITS)


def test_turkish_turnout_puts_the_sign_before_the_number(client, published, login_tenant):
    world, _staff, tenant, _outsider = published
    login_tenant(client, tenant)
    page = client.get(f"/results/{world.consultation.id}?lang=tr").get_data(as_text=True)
    assert "(<bdi>%1.200</bdi>)" in page  # the fixture: 12 took part, 1 was invited
    assert "1.200%" not in page


def test_open_data_and_the_staff_export_do_not_change_with_the_language(client, published, login_staff):
    world, staff, _tenant, _outsider = published
    url = f"/open-data/consultations/{world.consultation.id}.json"
    opened = {lang: json.loads(client.get(f"{url}?lang={lang}").get_data(as_text=True)) for lang in ("nl", "tr", "ar")}
    assert opened["nl"] == opened["tr"] == opened["ar"]
    assert "%" not in json.dumps(opened["tr"]["results"])
    login_staff(client, staff)
    exported = client.get(f"/staff/results/{world.consultation.id}/results.csv?lang=tr").get_data(as_text=True)
    assert "%" not in exported  # counts only: a spreadsheet reads them as numbers
