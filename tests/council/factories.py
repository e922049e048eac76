"""Factories for councils, members, meetings and motions (shared with other test packages)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from inspraak.core.db import utcnow
from inspraak.council import agendas, membership, voting
from inspraak.council.models import Ballot, Channel, CouncilKind, ItemKind, Position
from inspraak.extensions import db


@pytest.fixture
def make_council(app, make_corporation, make_complex, make_tenant):  # noqa: ANN001, ANN201
    """A council with ``size`` members; the first is the secretary. Returns (council, members)."""

    def make(corporation=None, *, size=5, kind=CouncilKind.TENANT_ORGANISATION, complex_=None, **statutes):  # noqa: ANN001, ANN003, ANN202
        corporation = corporation or make_corporation()
        if kind is CouncilKind.RESIDENTS_COMMITTEE and complex_ is None:
            complex_ = make_complex(corporation)
        council = membership.create_council(corporation, name=f"Raad {corporation.id}", kind=kind, complex_=complex_, **statutes)
        members = []
        for n in range(size):
            person = make_tenant(corporation, complex_=complex_, email=f"m{corporation.id}-{council.id}-{n}@example.org")
            position = Position.SECRETARY if n == 0 else Position.MEMBER
            members.append(membership.add_member(council, person, position=position, term_start=date(2024, 1, 1)))
        db.session.commit()
        return council, members

    return make


@pytest.fixture
def make_meeting():  # noqa: ANN201
    """A meeting with one decision item and one motion, agenda published; tomorrow unless ``starts_at``
    says when. Returns (meeting, motion)."""

    def make(council, secretary, *, ballot=Ballot.OPEN, channel=Channel.ONLINE, open_vote=True, majority=None,  # noqa: ANN001, ANN202
             starts_at=None):
        meeting = agendas.plan_meeting(council, title="Jaarvergadering", starts_at=starts_at or utcnow() + timedelta(days=1),
                                       place="Buurthuis", by=secretary)
        item = agendas.add_agenda_item(meeting, kind=ItemKind.DECISION, title={"nl": "Begroting", "en": "Budget"},
                                       description={"nl": "De begroting voor 2027."})
        motion = voting.propose_motion(item, text={"nl": "Wij stemmen in met de begroting."}, ballot=ballot,
                                       channel=channel, majority=majority)
        agendas.publish_agenda(meeting, by=secretary)
        if open_vote:
            voting.open_vote(motion, closes_at=None, by=secretary)
        db.session.commit()
        return meeting, motion

    return make
