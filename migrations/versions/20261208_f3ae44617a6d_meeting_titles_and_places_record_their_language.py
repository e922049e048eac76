"""Meeting titles and places record their language

A meeting's title and place were stored without the language they were typed in, and every page showed
them as Dutch (the site's default language): a Turkish residents' committee's Turkish title was read out
with Dutch rules by screen readers on every page, and marked lang="nl" on pages in other languages
(WCAG 2.1 3.1.2, Language of Parts). The secretary now chooses the language when planning the meeting,
and it is stored beside them. Rows from before stay NULL: they are shown as Dutch, as before.

Downgrade drops the column; the title and place stay, without their language.

Revision ID: f3ae44617a6d
Revises: 5a19c6a2f46f
Create Date: 2026-12-08 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f3ae44617a6d'
down_revision = '5a19c6a2f46f'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('council_meeting', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_language', sa.String(length=10), nullable=True))


def downgrade():
    with op.batch_alter_table('council_meeting', schema=None) as batch_op:
        batch_op.drop_column('source_language')
