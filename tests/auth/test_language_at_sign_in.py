"""A language chosen on the sign-in pages is the tenant's choice: signing in keeps it (and saves it, as
?lang= does once signed in) instead of switching back to the profile's language, which the tenant
import sets to Dutch when the housing system does not know it. A language only left behind by
someone who signed out on the same device is nobody's choice: the next person reads their own."""
from __future__ import annotations

from inspraak.auth import services
from inspraak.extensions import db
from inspraak.people.models import Person


def _code(person) -> str:  # noqa: ANN001
    code = services.issue_letter_code(person, None)
    db.session.commit()
    return code


def test_a_language_chosen_before_signing_in_is_kept_and_saved(client, make_tenant):
    tenant = make_tenant(language="nl")
    code = _code(tenant)
    assert '<html lang="ar" dir="rtl"' in client.get("/sign-in?lang=ar").get_data(as_text=True)
    assert client.post_form("/sign-in/code", {"code": code}, token_from="/sign-in").status_code == 302
    assert '<html lang="ar" dir="rtl"' in client.get("/my").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Person, tenant.id).preferred_language == "ar"


def test_a_language_chosen_on_the_qr_page_is_kept(client, make_tenant):
    tenant = make_tenant(language="nl")
    code = _code(tenant)
    page = f"/c/{code}?lang=tr"
    assert client.post_form("/sign-in/code", {"code": code}, token_from=page).status_code == 302
    assert '<html lang="tr"' in client.get("/my").get_data(as_text=True)


def test_the_language_of_someone_who_signed_out_is_not_the_next_persons_choice(client, make_tenant):
    first, second = make_tenant(language="ar"), make_tenant(language="pl")
    assert client.post_form("/sign-in/code", {"code": _code(first)}, token_from="/sign-in").status_code == 302
    client.post_form("/sign-out", token_from="/my")
    assert '<html lang="ar"' in client.get("/sign-in").get_data(as_text=True)  # signing out keeps the language
    assert client.post_form("/sign-in/code", {"code": _code(second)}, token_from="/sign-in").status_code == 302
    assert '<html lang="pl"' in client.get("/my").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Person, second.id).preferred_language == "pl"


def test_without_a_choice_the_profile_decides(client, make_tenant):
    tenant = make_tenant(language="tr")
    assert client.post_form("/sign-in/code", {"code": _code(tenant)}, token_from="/sign-in").status_code == 302
    assert '<html lang="tr"' in client.get("/my").get_data(as_text=True)
