"""Secret ballots: rows cast before each vote rewrote them are written anew, in random order

No schema change. Until now a secret choice was inserted in the same transaction as the voter's
council_ballot_participation row and after the earlier choices, so xmin (PostgreSQL) and the
physical order (ctid, SQLite's rowid) tied each choice to its voter. Since then every vote rewrites
all of its motion's ballots; this rewrites the rows already stored, per motion, in random order
with fresh keys. The counts per choice stay the same. Downgrade has nothing to undo.

Revision ID: 5a7c2e9b4d13
Revises: 8b1d4e2c7a65
Create Date: 2026-11-29 10:00:00

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5a7c2e9b4d13'
down_revision = '8b1d4e2c7a65'
branch_labels = None
depends_on = None

ballot = sa.table('council_secret_ballot', sa.column('key', sa.String), sa.column('motion_id', sa.Integer),
                  sa.column('choice', sa.String))


def upgrade():
    conn = op.get_bind()
    shuffle = secrets.SystemRandom().shuffle
    rows = conn.execute(sa.select(ballot.c.motion_id, ballot.c.choice)).all()
    by_motion: dict[int, list[str]] = {}
    for motion_id, choice in rows:
        by_motion.setdefault(motion_id, []).append(choice)
    for motion_id, choices in by_motion.items():
        shuffle(choices)
        conn.execute(ballot.delete().where(ballot.c.motion_id == motion_id))
        for choice in choices:  # one INSERT per row: the physical order is the shuffled one
            conn.execute(ballot.insert().values(key=secrets.token_hex(16), motion_id=motion_id, choice=choice))


def downgrade():
    pass
