"""Advice texts record their language: the council's advice, the corporation's response and reasons

These texts were stored without the language they were typed in, so a page in another language could
not mark them with lang and dir (WCAG 2.1 3.1.2, Language of Parts): Dutch advice on an Arabic page was
read by screen readers as Arabic, and an Arabic response on a Dutch page had no right-to-left direction.
Each text now has its language beside it. Rows from before stay NULL: their language is not known, and
they are shown as before (no lang, direction found by the browser).

Downgrade drops the three columns; the texts stay, without their language.

Revision ID: 5a19c6a2f46f
Revises: 91079462760f
Create Date: 2026-12-07 19:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5a19c6a2f46f'
down_revision = '91079462760f'
branch_labels = None
depends_on = None

COLUMNS = ('advice_language', 'response_language', 'reasons_language')


def upgrade():
    with op.batch_alter_table('council_advice_request', schema=None) as batch_op:
        for column in COLUMNS:
            batch_op.add_column(sa.Column(column, sa.String(length=10), nullable=True))


def downgrade():
    with op.batch_alter_table('council_advice_request', schema=None) as batch_op:
        for column in reversed(COLUMNS):
            batch_op.drop_column(column)
