"""The tenant's requests cost a fixed number of queries, whatever the number of questions (no N+1)."""
from __future__ import annotations

from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from inspraak.consultations import addressing, invitations, queries, questions
from inspraak.consultations.models import CountingUnit, QuestionType
from inspraak.extensions import db


@contextmanager
def counting_statements():  # noqa: ANN202
    """Collect the SQL statements run inside the block into the yielded list."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):  # noqa: ANN001, ANN202
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)


def _add_questions(app, editor, survey, how_many: int) -> None:  # noqa: ANN001
    with app.test_request_context():
        c = queries.get_consultation(editor.corporation_id, survey.id)
        for n in range(how_many):
            q = questions.add_question(c, c.sections[0], type=QuestionType.SINGLE_CHOICE, required=False,
                                       text={"nl": f"Extra {n}"}, by=editor)
            questions.add_option(q, label={"nl": "Ja"})
            questions.add_option(q, label={"nl": "Nee"})
        db.session.commit()


def _flow_queries(client, survey) -> list[int]:  # noqa: ANN001
    """Statements sent by each request of the tenant flow: page, its answers, page 2, submit, thank-you page."""
    base = f"/consultations/{survey.id}"
    token = client.csrf_token(f"{base}/page/1")
    steps = [
        ("GET", f"{base}/page/1", None, None),
        ("POST", f"{base}/page/1", {f"q{survey.choice}": str(survey.car), "action": "next"}, "/page/2"),
        ("POST", f"{base}/page/2", {f"q{survey.score}": "7", "action": "next"}, "/review"),
        ("POST", f"{base}/review", {}, "/done"),
        ("GET", f"{base}/done", None, None),
    ]
    counts = []
    for method, url, form, target in steps:
        with counting_statements() as statements:
            if method == "GET":
                response = client.get(url)
                assert response.status_code == 200
            else:
                response = client.post(url, data={**form, "csrf_token": token})
                assert response.status_code == 302 and response.location.endswith(target)
        counts.append(len(statements))
    return counts


def test_tenant_requests_do_not_query_per_question(app, editor, make_survey, make_tenant, login_tenant):
    first, second = make_tenant(editor.corporation), make_tenant(editor.corporation)
    small, large = make_survey(editor, open=False), make_survey(editor, open=False)
    _add_questions(app, editor, large, 8)
    with app.test_request_context():
        for survey in (small, large):
            invitations.open_consultation(survey.consultation, by=editor)
        db.session.commit()
    first_client, second_client = app.test_client(), app.test_client()
    login_tenant(first_client, first)
    login_tenant(second_client, second)
    assert _flow_queries(second_client, large) == _flow_queries(first_client, small)


@pytest.mark.parametrize("kind", ["tenant", "staff"])
def test_the_session_account_loads_in_one_query(app, editor, make_tenant, make_staff, kind):
    """A tenant with the household, or a staff member with the roles: one SELECT, nothing lazy after it."""
    from inspraak.auth.sessions import load_session_account, start_session
    from inspraak.people.models import Role

    owner = make_tenant(editor.corporation) if kind == "tenant" else make_staff(None, "editor", "publisher")
    with app.test_request_context():
        token = start_session(owner, "letter_code" if kind == "tenant" else "password")
        db.session.commit()
        db.session.expunge_all()
        with counting_statements() as statements:
            account = load_session_account(token)
            assert account is not None and account.id == owner.id and account.is_staff == (kind == "staff")
            if kind == "tenant":
                assert account.is_current(account.tenancy.start_date)
            else:
                assert account.email == owner.email and account.active
                assert account.roles == {Role.EDITOR, Role.PUBLISHER}
                assert account.has_role("publisher") and not account.has_role("admin")
        assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1


def test_the_loaded_account_is_an_ordinary_persistent_object(app, make_tenant, make_staff):
    """Built from plain rows, the account behaves as if the ORM had loaded it: a change is saved,
    an unloaded relationship loads when read, and an object the session holds already is reused."""
    from inspraak.auth.sessions import load_session_account, start_session
    from inspraak.people.models import Person, StaffUser

    person = make_tenant(None, language="tr")
    staff = make_staff(None, "editor")
    with app.test_request_context():
        person_token, staff_token = start_session(person, "letter_code"), start_session(staff, "password")
        db.session.commit()
        db.session.expunge_all()
        account = load_session_account(person_token)
        assert account in db.session and not db.session.dirty and not db.session.new
        assert account.tenancy in db.session and account.tenancy.dwelling.id == account.tenancy.dwelling_id
        account.preferred_language = "pl"
        staff_account = load_session_account(staff_token)
        assert staff_account.corporation.id == staff.corporation_id  # loads lazily, as before
        staff_account.name = "Renamed"
        db.session.commit()
        db.session.expunge_all()
        assert db.session.get(Person, person.id).preferred_language == "pl"
        assert db.session.get(StaffUser, staff.id).name == "Renamed"
        held = db.session.get(Person, person.id)
        assert load_session_account(person_token) is held


@pytest.mark.parametrize("unit", [CountingUnit.PERSON, CountingUnit.DWELLING])
def test_letters_and_mailings_do_not_query_per_letter(app, client, editor, make_survey, make_tenant, login_staff, unit):
    """A page of letters, the search for a lost letter and the addressees of a mailing cost the same
    number of queries for 3 invitations as for 12: people, households and homes load together."""
    from inspraak.consultations.models import Invitation
    from inspraak.core.timeutil import local_today

    counts = {}
    for households in (3, 12):
        db.session.execute(sa.delete(Invitation))
        for n in range(households):
            first = make_tenant(editor.corporation, email=f"t{households}-{n}@example.org")
            if unit is CountingUnit.DWELLING:
                make_tenant(tenancy=first.tenancy, language="tr")  # a household of two
        survey = make_survey(editor, unit=unit)
        login_staff(client, editor)
        with counting_statements() as letters:
            page = client.get(f"/staff/consultations/{survey.id}/letters")
        assert page.status_code == 200 and page.get_data(as_text=True).count('class="letter"') >= households
        with counting_statements() as found:
            assert client.get(f"/staff/consultations/{survey.id}/codes?query=Tenant").status_code == 200
        invited = list(db.session.scalars(sa.select(Invitation).where(Invitation.consultation_id == survey.id)))
        db.session.expunge_all()  # nothing loaded beforehand
        invited = list(db.session.scalars(sa.select(Invitation).where(Invitation.consultation_id == survey.id)))
        with app.test_request_context():  # a household's name is a translated sentence
            with counting_statements() as mailing:
                who = addressing.addressees(invited, local_today())
            assert all(w is not None and w.email for w in who)
            assert who == [addressing.addressee(i, local_today()) for i in invited]  # the same as one by one
        counts[households] = (len(letters), len(found), len(mailing))
    assert counts[3] == counts[12], counts


def test_a_fresh_process_loads_the_account_before_any_orm_query(tmp_path):
    """A new gunicorn worker's first request is a signed-in one: the account is built from plain rows
    before any ORM query has configured the mappers (every signed-in request failed until a sign-in)."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    prepare = f"""
import sys; sys.path.insert(0, {str(root)!r})
from datetime import date
from config import TestingConfig
from inspraak import create_app
from inspraak.extensions import db
from inspraak.auth.sessions import start_session
from inspraak.people.models import Corporation, Dwelling, Person, Tenancy
app = create_app(type("C", (TestingConfig,), {{"SQLALCHEMY_DATABASE_URI": {url!r}}}))
with app.test_request_context():
    db.create_all()
    corporation = Corporation(name="C", slug="c"); db.session.add(corporation); db.session.flush()
    dwelling = Dwelling(corporation_id=corporation.id, unit_number="1", street="S", house_number=1, postcode="1234 AB", city="X")
    tenancy = Tenancy(corporation_id=corporation.id, dwelling=dwelling, contract_number="1", start_date=date(2020, 1, 1))
    person = Person(corporation_id=corporation.id, tenancy=tenancy, person_number="1", name="P")
    db.session.add_all([dwelling, tenancy, person]); db.session.flush()
    print(start_session(person, "letter_code")); db.session.commit()
"""
    token = subprocess.run([sys.executable, "-c", prepare], capture_output=True, text=True, check=True).stdout.split()[-1]
    first_request = f"""
import sys; sys.path.insert(0, {str(root)!r})
from config import TestingConfig
from inspraak import create_app
from inspraak.extensions import db
from inspraak.auth.sessions import load_session_account
app = create_app(type("C", (TestingConfig,), {{"SQLALCHEMY_DATABASE_URI": {url!r}}}))
with app.test_request_context():
    account = load_session_account({token!r})
    print(account.name, account.tenancy.contract_number)
"""
    done = subprocess.run([sys.executable, "-c", first_request], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["P", "1"]
