"""Two people changing one council's statutes or one meeting's attendance register at once."""
from __future__ import annotations

import pytest

from inspraak.council.models import Council
from inspraak.council.rules import Majority, QuorumRule
from inspraak.extensions import db
from tests.concurrency import at_the_same_moment, fresh, one_after_the_other, read_forms, told


@pytest.fixture
def council_page(make_council, make_staff):  # noqa: ANN001, ANN201
    """(council id, its staff page, two admins)."""
    council, _members = make_council(size=2)
    admins = (make_staff(council.corporation), make_staff(council.corporation))
    return council.id, f"/staff/councils/{council.id}", admins


def test_statutes_changed_by_two_admins_are_refused_to_the_second_as_a_whole(app, council_page, login_staff):
    """One admin raises the proxy cap, the other asks two thirds: each alone may be right, but the rules are
    adopted as one set. The second is told the cap of now; nothing of their form is saved, their choice stays."""
    council_id, page, admins = council_page
    second, refused = one_after_the_other(app, login_staff, admins, page, {"proxy_cap": "2"},
                                          {"default_majority": "two_thirds"}, action=f"{page}/statutes")
    body = told(refused, "2")
    council = fresh(Council, council_id)
    assert council.proxy_cap == 2 and council.default_majority is Majority.VOTES_CAST
    assert '<details id="statutes" class="card" open>' in body
    again = read_forms(body)[f"{page}/statutes"]
    assert again["default_majority"] == "two_thirds" and again["proxy_cap"] == "2"  # theirs shown, mine kept
    assert second.post(f"{page}/statutes", data=again).status_code == 302
    council = fresh(Council, council_id)
    assert council.proxy_cap == 2 and council.default_majority is Majority.TWO_THIRDS


def test_statutes_left_as_shown_keep_what_another_admin_saved_meanwhile(app, council_page, login_staff):
    """Saved without a change (or with the same change), the form does not undo the other admin's rules."""
    council_id, page, admins = council_page
    _second, saved = one_after_the_other(app, login_staff, admins, page,
                                         {"quorum_rule": "at_least_half", "proxies_allowed": None},
                                         {"quorum_rule": "at_least_half"}, action=f"{page}/statutes")
    assert saved.status_code == 302
    council = fresh(Council, council_id)
    assert council.quorum_rule is QuorumRule.AT_LEAST_HALF and council.proxies_allowed is False


def test_two_admins_changing_the_statutes_at_the_same_moment_one_is_told(app, council_page, login_staff):
    council_id, page, admins = council_page
    statuses = at_the_same_moment(app, login_staff, admins, page, [{"proxy_cap": "3"}, {"quorum_rule": "none"}],
                                  action=f"{page}/statutes")
    assert sorted(statuses) == [302, 409]
    council = fresh(Council, council_id)
    assert (council.proxy_cap, council.quorum_rule) in ((3, QuorumRule.MORE_THAN_HALF), (1, QuorumRule.NONE))


# ---------------------------------------------------------------- the attendance register

@pytest.fixture
def register(make_council, make_meeting):  # noqa: ANN001, ANN201
    """A meeting whose register says everyone is present: (its page, the register's address, the chair and the
    secretary as people, the members)."""
    from inspraak.council import presence
    from inspraak.council.models import AttendanceStatus, Position

    council, members = make_council(size=4)
    members[1].position = Position.CHAIR
    meeting, _motion = make_meeting(council, members[0], open_vote=False)
    presence.register_attendance(meeting, {m.id: AttendanceStatus.PRESENT for m in members}, by=members[0])
    db.session.commit()
    page = f"/council/meetings/{meeting.id}/manage"
    return page, f"/council/meetings/{meeting.id}/attendance", (members[0].person, members[1].person), members, meeting


def _register(meeting) -> dict:  # noqa: ANN001
    from inspraak.council import presence

    db.session.expire_all()
    attendance = presence.list_attendance(meeting)
    db.session.commit()
    return attendance


def test_the_chair_and_the_secretary_entering_the_register_at_once_keep_each_others_entries(app, register, login_tenant):
    """Before, the second save sent every member as its page had shown them: the first one's entry was undone."""
    from inspraak.council.models import AttendanceStatus

    page, action, managers, members, meeting = register
    _second, saved = one_after_the_other(app, login_tenant, managers, page, {f"member-{members[2].id}": "excused"},
                                         {f"member-{members[3].id}": "absent"}, action=action)
    assert saved.status_code == 302
    attendance = _register(meeting)
    assert attendance[members[2].id] is AttendanceStatus.EXCUSED and attendance[members[3].id] is AttendanceStatus.ABSENT


def test_one_member_entered_differently_by_both_is_refused_to_the_second(app, register, login_tenant):
    from inspraak.council.models import AttendanceStatus

    page, action, managers, members, meeting = register
    _second, refused = one_after_the_other(app, login_tenant, managers, page, {f"member-{members[2].id}": "excused"},
                                           {f"member-{members[2].id}": "absent", f"member-{members[3].id}": "absent"},
                                           action=action)
    body = told(refused, "Excused")
    attendance = _register(meeting)
    assert attendance[members[2].id] is AttendanceStatus.EXCUSED and attendance[members[3].id] is AttendanceStatus.PRESENT
    again = read_forms(body)[action]
    assert again[f"member-{members[2].id}"] == "absent" and again[f"member-{members[3].id}"] == "absent"


def test_the_register_entered_by_two_at_the_same_moment_keeps_both(app, register, login_tenant):
    from inspraak.council.models import AttendanceStatus

    page, action, managers, members, meeting = register
    changes = [{f"member-{members[2].id}": "excused"}, {f"member-{members[3].id}": "absent"}]
    assert at_the_same_moment(app, login_tenant, managers, page, changes, action=action) == [302, 302]
    attendance = _register(meeting)
    assert attendance[members[2].id] is AttendanceStatus.EXCUSED and attendance[members[3].id] is AttendanceStatus.ABSENT
