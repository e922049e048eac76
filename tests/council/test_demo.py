"""The council demo data loads through the services and lets the secretary sign in."""
import re

import sqlalchemy as sa

from inspraak.council.models import AdviceRequest, Council, MotionResult
from inspraak.demo import DEMO_PASSWORD, load_demo
from inspraak.extensions import db


def test_demo_builds_councils_and_the_secretary_can_manage(client):
    lines = load_demo()
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Council)) == 2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MotionResult)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AdviceRequest)) == 2
    line = next(line for line in lines if line.strip().startswith("secretary"))
    code = line.split("code ")[1].split()[0]
    assert client.post_form("/sign-in/code", {"code": code}).status_code == 302
    council_id = db.session.scalar(sa.select(Council.id).where(Council.name == "Huurdersraad De Linde"))
    db.session.commit()
    page = client.get(f"/council/{council_id}").get_data(as_text=True)
    assert "Ledenvergadering voorjaar" in page and "/manage" in page


def _without_codes(output: str) -> list[str]:
    return [re.sub(r"/c/[A-Z0-9]+", "/c/…", re.sub(r"\bcode [A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", "code …", line))
            for line in output.splitlines()]


def test_a_second_run_prints_the_same_sign_in_help_with_working_codes(app, client):
    """`make run` a second time (`demo --if-empty`): staff accounts, tenant codes and council codes again."""
    runner = app.test_cli_runner()
    first = runner.invoke(args=["inspraak", "demo", "--if-empty"])
    second = runner.invoke(args=["inspraak", "demo", "--if-empty"])
    assert first.exit_code == second.exit_code == 0, second.output
    assert "Tenant councils" in first.output and "proxy holder" in first.output
    assert set(_without_codes(first.output)) <= set(_without_codes(second.output))
    line = next(line for line in second.output.splitlines() if line.strip().startswith("secretary"))
    assert client.post_form("/sign-in/code", {"code": line.split("code ")[1].split()[0]}).status_code == 302


def test_the_demo_council_has_past_terms_that_only_staff_see(app, client, login_staff, login_tenant):
    """A member whose term ended and the treasurer, who sat on the council before: on the staff page under past
    terms; the secretary's page of the next meeting lists who sits on the council then, not them."""
    from inspraak.council import membership
    from inspraak.council.models import Meeting, MeetingStatus, Member
    from inspraak.people.models import StaffUser

    load_demo()
    db.session.commit()
    council = db.session.scalar(sa.select(Council).where(Council.name == "Huurdersraad De Linde"))
    current, past = membership.split_terms(council)
    assert len(current) == 7 and len(past) == 2
    former = next(m.person for m in past if m.person_id not in {c.person_id for c in current})
    again = next(m.person for m in past if m.person_id in {c.person_id for c in current})
    admin = db.session.scalar(sa.select(StaffUser).where(StaffUser.email == "beheer@delinde.example"))
    secretary = db.session.scalar(sa.select(Member).where(Member.council_id == council.id).order_by(Member.id)
                                  .offset(1).limit(1)).person
    meeting_id = db.session.scalar(sa.select(Meeting.id).where(Meeting.council_id == council.id,
                                                               Meeting.status == MeetingStatus.AGENDA_PUBLISHED))
    council_id, names = council.id, (former.name, again.name)
    db.session.commit()
    staff = app.test_client()
    login_staff(staff, admin, DEMO_PASSWORD)
    page = staff.get(f"/staff/councils/{council_id}?lang=en").get_data(as_text=True)
    past_terms = page.split("Past terms")[1].split("Add a member")[0]
    assert all(name in past_terms for name in names)
    login_tenant(client, secretary)
    manage = client.get(f"/council/meetings/{meeting_id}/manage").get_data(as_text=True)
    assert names[0] not in manage and names[1] in manage
