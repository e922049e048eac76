"""Two admins changing one account at once: roles count one by one; a name both changed is told to the second."""
from __future__ import annotations

import pytest

from inspraak.people.models import Role, StaffUser
from tests.concurrency import at_the_same_moment, fresh, one_after_the_other, read_forms

TEXT_CLASH = "Someone else changed this text at the same moment. It now reads: “<bdi>%s</bdi>”. Keep the text you want and save again."


@pytest.fixture
def account(make_staff):  # noqa: ANN001, ANN201
    """(an editor's account id, its page, two admins)."""
    colleague = make_staff(None, "editor")
    admins = (make_staff(colleague.corporation), make_staff(colleague.corporation))
    return colleague.id, f"/staff/accounts/{colleague.id}", admins


def test_roles_given_by_two_admins_at_once_are_both_kept(app, account, login_staff):
    """Before, the second save gave the account the roles its admin had seen plus theirs: the first's role was gone."""
    staff_id, page, admins = account
    _second, saved = one_after_the_other(app, login_staff, admins, page, {"roles": ["editor", "publisher"]},
                                         {"roles": ["editor", "data_entry"]})
    assert saved.status_code == 302
    assert fresh(StaffUser, staff_id).roles == {Role.EDITOR, Role.PUBLISHER, Role.DATA_ENTRY}


def test_a_role_taken_away_and_a_new_name_by_two_admins_are_both_kept(app, account, login_staff):
    staff_id, page, admins = account
    _second, saved = one_after_the_other(app, login_staff, admins, page, {"roles": ["publisher"]},
                                         {"name": "Anna de Vries"})
    assert saved.status_code == 302
    staff = fresh(StaffUser, staff_id)
    assert staff.roles == {Role.PUBLISHER} and staff.name == "Anna de Vries"


def test_a_name_changed_by_two_admins_is_refused_to_the_second_with_the_first_ones(app, account, login_staff):
    staff_id, page, admins = account
    second, refused = one_after_the_other(app, login_staff, admins, page, {"name": "Anna de Vries"},
                                          {"name": "Anne de Vries", "roles": ["editor", "publisher"]})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 409 and TEXT_CLASH % "Anna de Vries" in body
    staff = fresh(StaffUser, staff_id)
    assert staff.name == "Anna de Vries" and staff.roles == {Role.EDITOR}  # nothing of the second form
    again = read_forms(body)[""]
    assert again["name"] == "Anne de Vries"
    assert second.post(page, data={**again, "roles": ["editor", "publisher"]}).status_code == 302
    staff = fresh(StaffUser, staff_id)
    assert staff.name == "Anne de Vries" and staff.roles == {Role.EDITOR, Role.PUBLISHER}


def test_two_admins_changing_one_account_at_the_same_moment_keep_both(app, account, login_staff):
    staff_id, page, admins = account
    changes = [{"roles": ["editor", "publisher"]}, {"active": None}]
    assert at_the_same_moment(app, login_staff, admins, page, changes) == [302, 302]
    staff = fresh(StaffUser, staff_id)
    assert staff.roles == {Role.EDITOR, Role.PUBLISHER} and staff.active is False
