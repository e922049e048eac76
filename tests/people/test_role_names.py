"""Staff roles are shown by their names in the reader's language, never by their code ("data_entry")."""
from __future__ import annotations

import pytest

from inspraak.people import services
from inspraak.people.models import Role

NAMES = {"nl": "Invoerder", "en": "Data entry", "tr": "Veri girişi", "ar": "إدخال البيانات", "pl": "Wprowadzanie danych"}


@pytest.mark.parametrize("lang", list(NAMES))
def test_the_audit_log_and_the_account_list_name_every_role_in_the_readers_language(client, make_corporation,
                                                                                   make_staff, login_staff, lang):
    admin = make_staff(make_corporation(), "admin")
    services.create_staff(admin.corporation, email="invoer@example.org", name="Ina", organisation="",
                          language="nl", roles=set(Role), created_by=admin)
    login_staff(client, admin)
    for page in ("/staff/audit", "/staff/accounts"):
        body = client.get(f"{page}?lang={lang}").get_data(as_text=True)
        assert NAMES[lang] in body, page
        assert "data_entry" not in body and "'admin'" not in body, page
