"""the unread index carries status and id, so the start page counts unread consultations from it alone

Revision ID: 0020
Revises: 0019
"""
from alembic import op


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.drop_index('ix_consultations_unread_updated')
        batch_op.create_index('ix_consultations_unread_updated',
                              ['unread_by_coordinator', 'updated_at', 'status', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.drop_index('ix_consultations_unread_updated')
        batch_op.create_index('ix_consultations_unread_updated', ['unread_by_coordinator', 'updated_at'], unique=False)
