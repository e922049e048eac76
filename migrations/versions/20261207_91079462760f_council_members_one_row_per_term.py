"""Council members: one row per term, and one vote per person and motion

A person had one council_member row per council (unique council, person): seating them again
overwrote the old term's dates and removal, so who sat on the council at a past meeting was lost.
Now each term is a row of its own. The unique (council, person) goes; a partial unique index keeps
at most one term without end and without removal per person and council (the service refuses
any other overlap). Votes and secret-ballot participation also name the member's person, tied to
the member row by a (member, person) foreign key, and are unique per motion and person: someone
seated again while a vote runs cannot vote twice on it. Existing rows get their member's person.

Downgrade folds each person's terms on a council back into one row, the latest term: what
referred to an earlier term (attendance, proxies, votes, minutes) is moved to it; an attendance
entry or a proxy that would then be there twice is dropped. The old schema cannot hold more.

On SQLite, batch mode rebuilds council_member; env.py turns foreign keys off around migrations so
that dropping the old table does not cascade into the rows that refer to it.

Revision ID: 91079462760f
Revises: 9e4b7c1d2a36
Create Date: 2026-12-07 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '91079462760f'
down_revision = '9e4b7c1d2a36'
branch_labels = None
depends_on = None

OPEN_TERM = 'removed_at IS NULL AND term_end IS NULL'
VOTE_TABLES = ('council_vote', 'council_ballot_participation')


def upgrade():
    with op.batch_alter_table('council_member', schema=None) as batch_op:
        batch_op.drop_constraint('uq_council_member_council_id_person_id', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_council_member_id_person_id'), ['id', 'person_id'])
    op.create_index('uq_council_member_open_term', 'council_member', ['council_id', 'person_id'], unique=True,
                    sqlite_where=sa.text(OPEN_TERM), postgresql_where=sa.text(OPEN_TERM))

    for table in VOTE_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('person_id', sa.Integer(), nullable=True))
        op.execute(f'UPDATE {table} SET person_id = '
                   f'(SELECT person_id FROM council_member WHERE council_member.id = {table}.member_id)')
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('person_id', existing_type=sa.Integer(), nullable=False)
            batch_op.create_unique_constraint(batch_op.f(f'uq_{table}_motion_id_person_id'), ['motion_id', 'person_id'])
            batch_op.create_foreign_key(f'fk_{table}_member_person', 'council_member', ['member_id', 'person_id'],
                                        ['id', 'person_id'], ondelete='CASCADE')


def downgrade():
    _fold_terms()
    for table in VOTE_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f'fk_{table}_member_person', type_='foreignkey')
            batch_op.drop_constraint(batch_op.f(f'uq_{table}_motion_id_person_id'), type_='unique')
            batch_op.drop_column('person_id')

    op.drop_index('uq_council_member_open_term', table_name='council_member')
    with op.batch_alter_table('council_member', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_council_member_id_person_id'), type_='unique')
        batch_op.create_unique_constraint('uq_council_member_council_id_person_id', ['council_id', 'person_id'])


# Moving what referred to an earlier term onto the kept one; first drop what would then be there twice.
_MOVES = (
    'DELETE FROM council_attendance WHERE member_id = :old AND meeting_id IN '
    '(SELECT meeting_id FROM council_attendance WHERE member_id = :new)',
    'UPDATE council_attendance SET member_id = :new WHERE member_id = :old',
    'DELETE FROM council_proxy WHERE (giver_id = :old AND holder_id = :new) OR (giver_id = :new AND holder_id = :old)',
    'DELETE FROM council_proxy WHERE giver_id = :old AND meeting_id IN '
    '(SELECT meeting_id FROM council_proxy WHERE giver_id = :new)',
    'UPDATE council_proxy SET giver_id = :new WHERE giver_id = :old',
    'UPDATE council_proxy SET holder_id = :new WHERE holder_id = :old',
    'UPDATE council_proxy SET recorded_by_id = :new WHERE recorded_by_id = :old',
    'UPDATE council_vote SET member_id = :new WHERE member_id = :old',  # one per motion and person: no clash
    'UPDATE council_vote SET cast_by_id = :new WHERE cast_by_id = :old',
    'UPDATE council_ballot_participation SET member_id = :new WHERE member_id = :old',
    'UPDATE council_minutes_revision SET author_id = :new WHERE author_id = :old',
    'DELETE FROM council_member WHERE id = :old',
)


def _fold_terms():
    """Keep one row per council and person, the latest term (by start, then id), as the old schema needs."""
    conn = op.get_bind()
    rows = conn.execute(sa.text('SELECT id, council_id, person_id FROM council_member ORDER BY term_start, id')).all()
    kept = {(council_id, person_id): member_id for member_id, council_id, person_id in rows}  # the latest wins
    for member_id, council_id, person_id in rows:
        if kept[(council_id, person_id)] != member_id:
            for statement in _MOVES:
                conn.execute(sa.text(statement), {'old': member_id, 'new': kept[(council_id, person_id)]})
