"""Answers: an index that covers counting results

Counting a consultation's results groups its answers by (question, matrix row, option,
rank, number) and counts the rows with item 0. The new index holds exactly those columns
in that order, so the count reads the index alone, already grouped, instead of looking
up every answer row and sorting them. It starts with question_id, so it replaces the
index on question_id alone for every other lookup by question.

Revision ID: e7eafb4ffabe
Revises: c35a02fdc3fa
Create Date: 2026-11-27 19:16:23.212145

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e7eafb4ffabe'
down_revision = 'c35a02fdc3fa'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('consultation_answer', schema=None) as batch_op:
        batch_op.create_index('ix_consultation_answer_tally',
                              ['question_id', 'row_id', 'option_id', 'rank', 'number', 'item'], unique=False)
        batch_op.drop_index(batch_op.f('ix_consultation_answer_question_id'))


def downgrade():
    with op.batch_alter_table('consultation_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_answer_question_id'), ['question_id'], unique=False)
        batch_op.drop_index('ix_consultation_answer_tally')
