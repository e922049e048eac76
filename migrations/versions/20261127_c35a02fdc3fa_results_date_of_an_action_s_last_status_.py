"""Results: date of an action's last status change

Revision ID: c35a02fdc3fa
Revises: ed3c2f7fae6d
Create Date: 2026-11-27 18:51:27.301056

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c35a02fdc3fa'
down_revision = 'ed3c2f7fae6d'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('results_outcome', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_changed_at', sa.DateTime(timezone=True), nullable=True))
    # Actions already moved on: their last change is the best date we have.
    op.execute("UPDATE results_outcome SET status_changed_at = updated_at WHERE status <> 'planned'")


def downgrade():
    with op.batch_alter_table('results_outcome', schema=None) as batch_op:
        batch_op.drop_column('status_changed_at')
