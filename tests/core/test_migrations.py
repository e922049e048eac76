"""The migrations build the same schema as the models, and go down again."""
from __future__ import annotations

import os

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from inspraak import create_app
from inspraak.core.db import utcnow
from inspraak.council.rules import Choice
from inspraak.extensions import db
from tests.conftest import make_config


def test_migration_head_matches_the_models(empty_database_url):
    app = create_app(make_config(empty_database_url))
    migrations = os.path.join(os.path.dirname(__file__), "..", "..", "migrations")
    with app.app_context():
        upgrade(directory=migrations)
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        assert differences == []
        downgrade(directory=migrations, revision="base")
        with db.engine.connect() as connection:
            remaining = set(sa.inspect(connection).get_table_names()) - {"alembic_version"}
        assert remaining == set()
        upgrade(directory=migrations)
        db.engine.dispose()


MIGRATIONS = os.path.join(os.path.dirname(__file__), "..", "..", "migrations")
BEFORE_TERMS = "9e4b7c1d2a36"  # one council_member row per council and person


def _council_with_a_member_seated_again() -> dict[str, int]:
    """Through the services at the head: a meeting ten days ago with attendance and a named vote by a member
    who has since been removed and seated again; a meeting tomorrow with a proxy to the new term and a
    secret ballot. Returns ids by name."""
    from datetime import date, datetime, time, timedelta

    from inspraak.core.timeutil import LOCAL_TZ, local_today
    from inspraak.council import agendas, membership, presence, voting
    from inspraak.council.models import AttendanceStatus, Ballot, CouncilKind, ItemKind, Position
    from inspraak.people.models import Complex, Corporation, Dwelling, Neighbourhood, Person, Tenancy

    corporation = Corporation(name="Woonstad", slug="woonstad", contact_phone="010")
    db.session.add(corporation)
    db.session.flush()
    hood = Neighbourhood(corporation_id=corporation.id, name="Wijk")
    db.session.add(hood)
    db.session.flush()
    complex_ = Complex(corporation_id=corporation.id, neighbourhood_id=hood.id, number="C1", name="Complex")
    db.session.add(complex_)
    db.session.flush()
    people = []
    for n in range(3):
        dwelling = Dwelling(corporation_id=corporation.id, complex_id=complex_.id, unit_number=f"U{n}",
                            street="Straat", house_number=n + 1, postcode="3000 AA", city="Rotterdam")
        db.session.add(dwelling)
        db.session.flush()
        tenancy = Tenancy(corporation_id=corporation.id, dwelling_id=dwelling.id, contract_number=f"T{n}",
                          start_date=date(2020, 1, 1))
        db.session.add(tenancy)
        db.session.flush()
        people.append(Person(corporation_id=corporation.id, tenancy_id=tenancy.id, person_number=f"P{n}", name=f"P{n}"))
    db.session.add_all(people)
    council = membership.create_council(corporation, name="Raad", kind=CouncilKind.TENANT_ORGANISATION)
    secretary, old, other = (membership.add_member(council, p, position=Position.SECRETARY if n == 0 else Position.MEMBER,
                                                   term_start=date(2024, 1, 1)) for n, p in enumerate(people))

    def meeting_with_motion(day, ballot):  # noqa: ANN001, ANN202
        meeting = agendas.plan_meeting(council, title="Vergadering", place="Buurthuis", by=secretary,
                                       starts_at=datetime.combine(day, time(19, 30), tzinfo=LOCAL_TZ))
        item = agendas.add_agenda_item(meeting, kind=ItemKind.DECISION, title={"nl": "Punt"}, description={})
        motion = voting.propose_motion(item, text={"nl": "Voorstel"}, ballot=ballot)
        agendas.publish_agenda(meeting, by=secretary)
        voting.open_vote(motion, closes_at=None, by=secretary)
        return meeting, motion

    past, past_motion = meeting_with_motion(local_today() - timedelta(days=10), Ballot.OPEN)
    presence.register_attendance(past, {old.id: AttendanceStatus.PRESENT, other.id: AttendanceStatus.PRESENT},
                                 by=secretary)
    voting.cast_vote(past_motion.id, old, Choice.FOR)
    voting.cast_vote(past_motion.id, other, Choice.AGAINST)
    membership.remove_member(old, by=None)
    new = membership.add_member(council, people[1], position=Position.CHAIR, term_start=local_today())
    coming, coming_motion = meeting_with_motion(local_today() + timedelta(days=1), Ballot.SECRET)
    presence.record_proxy(coming, other, new, signed_on=utcnow(), by=secretary)
    voting.cast_vote(coming_motion.id, new, Choice.FOR)
    db.session.commit()
    return {"secretary": secretary.id, "old": old.id, "new": new.id, "other": other.id, "person": people[1].id,
            "past": past.id}


def _rows(connection, sql: str) -> list[tuple]:  # noqa: ANN001
    return [tuple(row) for row in connection.exec_driver_sql(sql)]


def test_member_terms_go_down_into_one_row_and_come_back_up_with_their_votes(empty_database_url):
    """91079462760f with data, both ways: nothing that refers to a member is lost (on SQLite, batch mode
    rebuilds council_member; with foreign keys on, that deleted every vote, proxy and attendance entry)."""
    app = create_app(make_config(empty_database_url))
    with app.app_context(), app.test_request_context("/"):
        upgrade(directory=MIGRATIONS)
        ids = _council_with_a_member_seated_again()
        db.session.remove()

        downgrade(directory=MIGRATIONS, revision=BEFORE_TERMS)
        with db.engine.connect() as connection:
            # The old schema holds one row per council and person: the latest term, with what the earlier one had.
            assert _rows(connection, "SELECT id FROM council_member ORDER BY id") == [
                (ids["secretary"],), (ids["other"],), (ids["new"],)]
            assert _rows(connection, f"SELECT member_id, status FROM council_attendance WHERE meeting_id = {ids['past']} "
                                     "ORDER BY member_id") == [(ids["other"], "present"), (ids["new"], "present")]
            assert sorted(_rows(connection, "SELECT member_id, cast_by_id, choice FROM council_vote")) == [
                (ids["other"], ids["other"], "against"), (ids["new"], ids["new"], "for")]
            assert _rows(connection, "SELECT member_id FROM council_ballot_participation") == [(ids["new"],)]
            assert _rows(connection, "SELECT giver_id, holder_id FROM council_proxy") == [(ids["other"], ids["new"])]

        upgrade(directory=MIGRATIONS)
        with db.engine.connect() as connection:
            assert sorted(_rows(connection, "SELECT member_id, person_id FROM council_vote"))[-1] == (ids["new"], ids["person"])
            assert _rows(connection, "SELECT member_id, person_id FROM council_ballot_participation") == [
                (ids["new"], ids["person"])]
            assert len(_rows(connection, "SELECT 1 FROM council_attendance")) == 2
            assert len(_rows(connection, "SELECT 1 FROM council_proxy")) == 1
        db.engine.dispose()


def test_the_app_imports_every_module_that_defines_a_model():
    """create_app imports the model modules named in inspraak.MODEL_MODULES, so that the metadata and Alembic
    see every table: a model in a module not named there would be missing from both."""
    import importlib
    import pkgutil

    import inspraak
    from inspraak.extensions import db

    for module in pkgutil.walk_packages(inspraak.__path__, "inspraak."):
        importlib.import_module(module.name)
    defined = {mapper.class_.__module__ for mapper in db.Model.registry.mappers}
    unnamed = [name for name in defined if name.startswith("inspraak.") and not any(
        name == listed or name.startswith(listed + ".") for listed in inspraak.MODEL_MODULES)]
    assert defined and not unnamed, unnamed
