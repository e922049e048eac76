"""Breakdown per neighbourhood or complex: the setting and the place of a response

The consultation gets ``breakdown`` (none / neighbourhood / complex, default none); a
response gets a nullable neighbourhood and complex. On SQLite the response table is
rebuilt by batch mode; it must stay WITHOUT ROWID (see consultations.models).

Revision ID: b0b84d0fb856
Revises: e7eafb4ffabe
Create Date: 2026-11-27 18:50:43.820556

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b0b84d0fb856'
down_revision = 'e7eafb4ffabe'
branch_labels = None
depends_on = None

KEEP_WITHOUT_ROWID = {'sqlite_with_rowid': False}


def upgrade():
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('breakdown', sa.Enum('none', 'neighbourhood', 'complex', name='breakdown', native_enum=False, create_constraint=False), server_default='none', nullable=False))
        batch_op.create_check_constraint(op.f('ck_consultation_breakdown'), "breakdown IN ('none', 'neighbourhood', 'complex')")

    with op.batch_alter_table('consultation_response', schema=None, table_kwargs=KEEP_WITHOUT_ROWID) as batch_op:
        batch_op.add_column(sa.Column('neighbourhood_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('complex_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_consultation_response_neighbourhood_id_neighbourhood'), 'neighbourhood', ['neighbourhood_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_consultation_response_complex_id_complex'), 'complex', ['complex_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('consultation_response', schema=None, table_kwargs=KEEP_WITHOUT_ROWID) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_consultation_response_complex_id_complex'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_consultation_response_neighbourhood_id_neighbourhood'), type_='foreignkey')
        batch_op.drop_column('complex_id')
        batch_op.drop_column('neighbourhood_id')

    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_consultation_breakdown'), type_='check')
        batch_op.drop_column('breakdown')
