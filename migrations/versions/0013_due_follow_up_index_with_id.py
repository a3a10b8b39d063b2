"""the due follow-ups index also orders by id (no sort step for ties)

Revision ID: 0013
Revises: 0012
"""
from alembic import op


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.drop_index('ix_consultations_status_follow_up')
        batch_op.create_index('ix_consultations_status_follow_up', ['status', 'follow_up_on', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.drop_index('ix_consultations_status_follow_up')
        batch_op.create_index('ix_consultations_status_follow_up', ['status', 'follow_up_on'], unique=False)
