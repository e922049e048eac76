"""Signing out ends the session but keeps the language the tenant reads in."""
from inspraak.auth import services
from inspraak.extensions import db


def _sign_in(client, person) -> None:  # noqa: ANN001
    code = services.issue_letter_code(person, None)
    db.session.commit()
    assert client.post_form("/sign-in/code", {"code": code}).status_code == 302


def test_sign_out_keeps_the_tenants_language(client, make_tenant):
    _sign_in(client, make_tenant(language="tr"))
    response = client.post_form("/sign-out", token_from="/my", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert '<html lang="tr"' in page
    assert 'action="/sign-out"' not in page
    assert client.get("/my").status_code == 302


def test_sign_out_everywhere_keeps_the_tenants_language(client, make_tenant):
    _sign_in(client, make_tenant(language="ar"))
    response = client.post_form("/sign-out/everywhere", token_from="/my", follow_redirects=True)
    assert '<html lang="ar" dir="rtl"' in response.get_data(as_text=True)
    assert client.get("/my").status_code == 302
