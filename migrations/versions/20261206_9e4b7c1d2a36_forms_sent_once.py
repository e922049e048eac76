"""Forms that create something are sent once: sent_form holds each form's one-time token

A double click or a resent form made two planned actions, two copies of a consultation or
a second code; now the first request stores its form's token (unique) with the page it led
to, and a later request with the same token is sent there.

Revision ID: 9e4b7c1d2a36
Revises: 5a7c2e9b4d13
Create Date: 2026-12-06 21:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9e4b7c1d2a36'
down_revision = '5a7c2e9b4d13'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sent_form',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('actor_kind', sa.String(length=10), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('result_url', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("actor_kind IN ('staff', 'tenant', 'system')", name=op.f('ck_sent_form_actor_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sent_form')),
    sa.UniqueConstraint('token', name=op.f('uq_sent_form_token'))
    )
    with op.batch_alter_table('sent_form', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sent_form_created_at'), ['created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('sent_form', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sent_form_created_at'))
    op.drop_table('sent_form')
