"""Retention: a consultation records when its raw answers and codes were removed; codes may be gone

consultation.responses_removed_at (set by results.retention a set time after publishing) and
consultation.kept_counts (the response rate and support count staff pages show, kept then), and
consultation_invitation.code_salt / code_digest become nullable: the invitation (who was asked)
stays, its personal code is removed.

Revision ID: 8b1d4e2c7a65
Revises: 3c5e8a9d1f20
Create Date: 2026-11-28 01:20:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = '8b1d4e2c7a65'
down_revision = '3c5e8a9d1f20'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade():
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('responses_removed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('kept_counts', JSON, nullable=True))

    with op.batch_alter_table('consultation_invitation', schema=None) as batch_op:
        batch_op.alter_column('code_salt', existing_type=sa.String(length=32), nullable=True)
        batch_op.alter_column('code_digest', existing_type=sa.String(length=64), nullable=True)


def downgrade():
    # Removed codes cannot come back: those invitations get a fresh salt and a digest no code matches.
    op.execute("UPDATE consultation_invitation SET code_salt = substr(lower(hex(randomblob(16))), 1, 32), "
               "code_digest = 'removed-' || id WHERE code_digest IS NULL"
               if op.get_bind().dialect.name == 'sqlite' else
               "UPDATE consultation_invitation SET code_salt = md5(random()::text), "
               "code_digest = 'removed-' || id WHERE code_digest IS NULL")
    with op.batch_alter_table('consultation_invitation', schema=None) as batch_op:
        batch_op.alter_column('code_digest', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('code_salt', existing_type=sa.String(length=32), nullable=False)

    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.drop_column('kept_counts')
        batch_op.drop_column('responses_removed_at')
