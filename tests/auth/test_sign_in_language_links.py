"""The language menu works on every sign-in page, also on the pages a sent form leads to: choosing a
language after asking for a link, or after a code that does not work, said "This page cannot be used in
this way" (a GET of an address that only takes the form)."""
from __future__ import annotations

import re

import pytest

LINK_SENT = {"nl": "Kijk in uw e-mail", "en": "Check your email", "ar": "تحقّق من بريدك الإلكتروني"}


def _language_links(page: str) -> dict[str, str]:
    menu = re.search(r'<nav[^>]*class="languages".*?</nav>', page, re.S).group(0)
    return {lang: href.replace("&amp;", "&") for href, lang in re.findall(r'<a href="([^"]+)"[^>]*lang="(\w+)"', menu)}


def _follow(client, url: str) -> tuple[int, str]:  # noqa: ANN001
    response = client.get(url, follow_redirects=True)
    return response.status_code, response.get_data(as_text=True)


@pytest.mark.parametrize("form", [
    ("/sign-in/code", {"code": "AAAA-AAAA-AAAA"}),
    ("/sign-in/email", {"email": "not an address"}),
])
def test_a_refused_sign_in_form_leads_to_the_sign_in_page_in_each_language(client, form):
    path, data = form
    refused = client.post_form(f"{path}?next=/results", data, token_from="/sign-in")
    assert refused.status_code == 400
    for lang, href in _language_links(refused.get_data(as_text=True)).items():
        status, page = _follow(client, href)
        assert status == 200, (lang, href, status)
        assert f'<html lang="{lang}"' in page and 'action="/sign-in/code"' in page
        assert 'name="next" type="hidden" value="/results"' in page  # where the tenant was going is kept


def test_the_link_sent_page_can_be_read_in_another_language(client, make_tenant):
    make_tenant(email="ayse@example.org", language="tr")
    sent = client.post_form("/sign-in/email", {"email": "ayse@example.org"}, token_from="/sign-in?lang=nl")
    assert sent.status_code in (302, 303)
    status, page = _follow(client, sent.headers["Location"])
    assert status == 200 and LINK_SENT["nl"] in page
    for lang in ("en", "ar"):
        status, page = _follow(client, _language_links(page)[lang])
        assert status == 200 and f'<html lang="{lang}"' in page and LINK_SENT[lang] in page
