"""Admins manage staff accounts; data-entry staff issue and revoke tenants' letter codes."""
import re

import sqlalchemy as sa

from inspraak.auth.models import LetterCode
from inspraak.core.audit import AuditEntry
from inspraak.core.once import new_token
from inspraak.extensions import db
from inspraak.notify.models import OutboxMessage
from inspraak.people.models import Role, StaffUser
from tests.once import rows, sent_twice


def test_admin_creates_an_account_and_a_password_link_is_mailed(client, make_staff, login_staff):
    admin = make_staff()
    login_staff(client, admin)
    response = client.post_form(
        "/staff/accounts/new",
        {"email": "New.Colleague@Example.org", "name": "New Colleague", "roles": ["editor", "publisher"],
         "language": "en", "active": "y", "once": new_token()},
        token_from="/staff/accounts/new",
    )
    assert response.status_code == 302
    created = db.session.scalar(sa.select(StaffUser).where(StaffUser.email == "new.colleague@example.org"))
    assert created.roles == {Role.EDITOR, Role.PUBLISHER}
    assert created.corporation_id == admin.corporation_id
    assert created.password_hash is None
    mail = db.session.scalar(sa.select(OutboxMessage))
    assert mail.to_address == "new.colleague@example.org" and mail.language == "en"
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "staff.created"))


def test_an_account_sent_twice_is_made_once(client, make_staff, login_staff):
    """The account form had no one-time token: sent twice (a double click, back and resend) the second send said the
    address was taken, as if the first had failed. Now it lands where the first did, on the list of accounts."""
    login_staff(client, make_staff())
    page = "/staff/accounts/new"
    location = sent_twice(client, page, lambda: {"email": "twice@example.org", "name": "Twice", "roles": ["editor"],
                                                 "language": "nl"}, page=page, count=lambda: rows(StaffUser))
    assert location.endswith("/staff/accounts")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 1  # one password link


def test_duplicate_email_is_refused_with_a_message(client, make_staff, login_staff):
    admin = make_staff()
    login_staff(client, admin)
    response = client.post_form(
        "/staff/accounts/new?lang=en", {"email": admin.email, "name": "Copy", "roles": ["editor"], "language": "nl",
                                      "once": new_token()},
        token_from="/staff/accounts/new",
    )
    assert response.status_code == 400
    assert "already an account" in response.get_data(as_text=True)


def test_account_needs_a_role(client, make_staff, login_staff):
    login_staff(client, make_staff())
    response = client.post_form(
        "/staff/accounts/new", {"email": "x@example.org", "name": "X", "language": "nl", "once": new_token()},
        token_from="/staff/accounts/new",
    )
    assert response.status_code == 400


def test_an_accounts_page_shows_the_roles_it_holds(client, make_staff, login_staff):
    """The page showed every role unticked: saving a new name without ticking them again was refused (or, ticking
    only some again, took the others away)."""
    admin = make_staff()
    colleague = make_staff(admin.corporation, "editor", "publisher")
    login_staff(client, admin)
    page = client.get(f"/staff/accounts/{colleague.id}").get_data(as_text=True)
    ticked = set(re.findall(r'<input checked[^>]*name="roles"[^>]*value="(\w+)"', page))
    assert ticked == {"editor", "publisher"}


def test_deactivating_signs_the_colleague_out_at_once(app, client, make_staff, login_staff):
    admin = make_staff()
    colleague = make_staff(admin.corporation, "editor")
    other_browser = app.test_client()
    login_staff(other_browser, colleague)
    login_staff(client, admin)
    response = client.post_form(
        f"/staff/accounts/{colleague.id}",
        {"email": colleague.email, "name": colleague.name, "roles": ["editor"]},  # "active" unchecked
        token_from=f"/staff/accounts/{colleague.id}",
    )
    assert response.status_code == 302
    assert other_browser.get("/staff/").status_code == 302


def test_admin_cannot_remove_own_admin_role(client, make_staff, login_staff):
    admin = make_staff()
    login_staff(client, admin)
    response = client.post_form(
        f"/staff/accounts/{admin.id}", {"email": admin.email, "name": admin.name, "roles": ["editor"], "active": "y"},
        token_from=f"/staff/accounts/{admin.id}",
    )
    assert response.status_code == 400
    db.session.refresh(admin)
    assert Role.ADMIN in admin.roles


def test_new_code_prints_a_letter_with_qr_in_both_languages(client, make_staff, make_tenant, login_staff):
    staff = make_staff(None, "data_entry")
    person = make_tenant(staff.corporation, language="ar")
    login_staff(client, staff)
    page = client.post_form(f"/staff/tenants/{person.id}/code", {}, token_from=f"/staff/tenants/{person.id}/code")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    code = re.search(r'class="letter-code">([A-Z0-9-]+)<', body).group(1)
    assert 'lang="ar" dir="rtl"' in body and 'lang="nl" dir="ltr"' in body
    assert "data:image/svg+xml" in body
    tenant_browser = client.application.test_client()
    assert tenant_browser.post_form("/sign-in/code", {"code": code}).status_code == 302
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "auth.letter_code_issued"))
    assert code.replace("-", "") not in str(entry.details)


def test_revoking_codes_stops_them(client, make_staff, make_tenant, login_staff):
    staff = make_staff(None, "data_entry")
    person = make_tenant(staff.corporation)
    login_staff(client, staff)
    body = client.post_form(f"/staff/tenants/{person.id}/code", {}, token_from=f"/staff/tenants/{person.id}/code")
    code = re.search(r'class="letter-code">([A-Z0-9-]+)<', body.get_data(as_text=True)).group(1)
    client.post_form(f"/staff/tenants/{person.id}/code/revoke", {}, token_from=f"/staff/tenants/{person.id}/code")
    assert db.session.scalar(sa.select(LetterCode.revoked_at)) is not None
    assert client.application.test_client().post_form("/sign-in/code", {"code": code}).status_code == 400


def test_editor_cannot_issue_codes(client, make_staff, make_tenant, login_staff):
    staff = make_staff(None, "editor")
    person = make_tenant(staff.corporation)
    login_staff(client, staff)
    response = client.post_form(f"/staff/tenants/{person.id}/code", {}, token_from="/staff/")
    assert response.status_code == 403


def test_qr_landing_fills_in_the_code(client):
    body = client.get("/c/acef-hkmn-prtw").get_data(as_text=True)
    assert 'value="ACEFHKMNPRTW"' in body


def test_audit_log_lists_actions_for_admins(client, make_staff, login_staff):
    admin = make_staff()
    login_staff(client, admin)
    body = client.get("/staff/audit").get_data(as_text=True)
    assert "auth.signed_in" in body


def test_audit_log_shows_only_own_corporation(client, make_staff, login_staff):
    admin, stranger = make_staff(), make_staff()
    login_staff(client.application.test_client(), stranger)
    login_staff(client, admin)
    body = client.get("/staff/audit").get_data(as_text=True)
    assert stranger.email not in body and admin.email in body


def test_tenant_search_finds_by_postcode_and_name(client, make_staff, make_tenant, login_staff):
    staff = make_staff(None, "data_entry")
    person = make_tenant(staff.corporation, name="Fatma Yilmaz")
    make_tenant(name="Other Corporation Person")
    login_staff(client, staff)
    body = client.get("/staff/tenants?q=yilmaz").get_data(as_text=True)
    assert "Fatma Yilmaz" in body
    assert "Other Corporation Person" not in client.get("/staff/tenants?q=person").get_data(as_text=True)
    assert client.get(f"/staff/tenants/{person.id}").status_code == 200


def test_the_same_account_made_twenty_times_at_once_is_made_once(app, make_staff, login_staff):
    """A double click or two admins at once: one account, and the others hear it exists (no 500 from the unique email)."""
    from tests.concurrency import race_posts

    admin = make_staff()
    clients = [app.test_client() for _ in range(20)]
    for client in clients:
        login_staff(client, admin)
    data = {"email": "race@example.org", "name": "Race", "roles": ["editor"], "language": "nl", "active": "y"}
    statuses = race_posts(app, [(client, "/staff/accounts/new",
                                 {**data, "csrf_token": client.csrf_token("/staff/accounts/new"), "once": new_token()})
                                for client in clients])
    assert sorted(set(statuses)) == [302, 400], statuses
    assert statuses.count(302) == 1
    assert db.session.scalar(sa.select(sa.func.count()).where(StaffUser.email == "race@example.org")) == 1


def test_roles_saved_twenty_times_at_once_are_saved_once(app, make_staff, login_staff):
    """Each save added the roles it did not see; saves at once added the same role twice (a 500 on PostgreSQL)."""
    from inspraak.people.models import StaffRole
    from tests.concurrency import race_posts

    admin = make_staff()
    colleague = make_staff(admin.corporation, "partner")
    clients = [app.test_client() for _ in range(20)]
    for client in clients:
        login_staff(client, admin)
    page = f"/staff/accounts/{colleague.id}"
    data = {"name": "Colleague", "roles": ["editor", "publisher"], "language": "nl", "active": "y"}
    statuses = race_posts(app, [(client, page, {**data, "csrf_token": client.csrf_token(page)}) for client in clients])
    assert statuses == [302] * 20
    roles = db.session.scalars(sa.select(StaffRole.role).where(StaffRole.staff_user_id == colleague.id)).all()
    assert sorted(role.value for role in roles) == ["editor", "publisher"]
