"""A meeting's pages cost the same number of queries whatever the number of items, motions and members."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from inspraak.council import agendas, membership, voting
from inspraak.council.models import Ballot, Channel, ItemKind, Position
from inspraak.council.rules import Choice
from inspraak.extensions import db


def _queries(client, url: str) -> int:  # noqa: ANN001
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):  # noqa: ANN001, ANN202
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def test_meeting_pages_do_not_query_per_item_motion_or_member(app, client, make_council, make_meeting, make_tenant,
                                                              login_tenant):
    council, members = make_council(size=3)
    secretary = members[0]
    meeting, motion = make_meeting(council, secretary)
    motions = [motion]

    def add_motion(n: int, ballot: Ballot) -> None:
        item = agendas.add_agenda_item(meeting, kind=ItemKind.DECISION, title={"nl": f"Punt {n}"},
                                       description={"nl": "Toelichting"})
        extra = voting.propose_motion(item, text={"nl": f"Voorstel {n}"}, ballot=ballot, channel=Channel.ONLINE)
        voting.open_vote(extra, closes_at=None, by=secretary)
        motions.append(extra)

    add_motion(0, Ballot.SECRET)  # one of each kind of ballot: each kind is one query
    voting.cast_vote(motion.id, members[1], Choice.FOR)
    db.session.commit()
    login_tenant(client, secretary.person)
    pages = (f"/council/meetings/{meeting.id}", f"/council/meetings/{meeting.id}/manage")
    before = [_queries(client, url) for url in pages]

    for n, ballot in enumerate((Ballot.OPEN, Ballot.SECRET, Ballot.OPEN), start=1):
        add_motion(n, ballot)
    for n in range(4):
        person = make_tenant(council.corporation, email=f"extra{n}@example.org")
        members.append(membership.add_member(council, person, position=Position.MEMBER, term_start=date(2024, 1, 1)))
    db.session.commit()
    for extra in motions[1:]:
        voting.cast_vote(extra.id, members[2], Choice.AGAINST)
    db.session.commit()
    after = [_queries(client, url) for url in pages]
    assert after == before, (before, after)

    # The page's figures in three queries are the figures motion by motion.
    db.session.expire_all()
    rights, interim, used, voted = voting.overview(motions, members[1], meeting)
    assert voting.votes_used_by_motion(motions) == used
    for m in motions:
        assert rights[m.id] == voting.rights_of(m, members[1])
        assert interim[m.id] == voting.interim_tally(m)
        assert used[m.id] == voting.votes_used(m)
    assert used[motions[1].id] == 1 and interim[motions[1].id] is None  # a secret ballot shows no running count
    assert interim[motions[2].id].against == 1 and rights[motion.id] == []  # member 1 voted on the first
    assert voted == {motion.id}
