"""Results: an action can be withdrawn (not going ahead), with the reason per language

results_outcome.status accepts 'withdrawn' (its CHECK constraint is rebuilt) and gets
status_note, the reason shown beside a withdrawn action ({language: text}).

Revision ID: 3c5e8a9d1f20
Revises: 725337fa29fd
Create Date: 2026-11-28 01:10:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = '3c5e8a9d1f20'
down_revision = '725337fa29fd'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade():
    with op.batch_alter_table('results_outcome', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_note', JSON, nullable=True))
        batch_op.drop_constraint(op.f('ck_results_outcome_outcome_status'), type_='check')
        batch_op.create_check_constraint(op.f('ck_results_outcome_outcome_status'),
                                         "status IN ('planned', 'in_progress', 'done', 'withdrawn')")


def downgrade():
    # A withdrawn action cannot be said in the older schema: it goes back to planned, its reason is dropped.
    op.execute("UPDATE results_outcome SET status = 'planned' WHERE status = 'withdrawn'")
    with op.batch_alter_table('results_outcome', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_results_outcome_outcome_status'), type_='check')
        batch_op.create_check_constraint(op.f('ck_results_outcome_outcome_status'),
                                         "status IN ('planned', 'in_progress', 'done')")
        batch_op.drop_column('status_note')
