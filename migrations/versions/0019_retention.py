"""retention: when a consultation's free text was erased, and the index retention reads

Revision ID: 0019
Revises: 0018
"""
from alembic import op
import sqlalchemy as sa


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('text_erased_at', sa.DateTime(), nullable=True))
        batch_op.create_index('ix_consultations_retention', ['text_erased_at', 'status', 'closed_at', 'id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.drop_index('ix_consultations_retention')
        batch_op.drop_column('text_erased_at')
