"""indexes that match every list order and filter of consultations

Keyset pagination on (received_on, id), one composite index per equality filter,
the officer's list on (requested_by_id, created_at, id), the start page's due
follow-ups and unread sections. The single-column indexes they replace go.

Revision ID: 0010
Revises: 0009
"""
from alembic import op


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

NEW = {
    'ix_consultations_received_id': ['received_on', 'id'],
    'ix_consultations_sector_received': ['sector', 'received_on', 'id'],
    'ix_consultations_area_received': ['area', 'received_on', 'id'],
    'ix_consultations_status_received': ['status', 'received_on', 'id'],
    'ix_consultations_urgency_received': ['urgency', 'received_on', 'id'],
    'ix_consultations_requester_created': ['requested_by_id', 'created_at', 'id'],
    'ix_consultations_requester_unread': ['requested_by_id', 'unread_by_officer', 'updated_at'],
    'ix_consultations_status_follow_up': ['status', 'follow_up_on'],
    'ix_consultations_unread_updated': ['unread_by_coordinator', 'updated_at'],
}
OLD = {
    'ix_consultations_area': ['area'],
    'ix_consultations_follow_up_on': ['follow_up_on'],
    'ix_consultations_received_status': ['received_on', 'status'],
    'ix_consultations_requested_by_id': ['requested_by_id'],
    'ix_consultations_sector': ['sector'],
    'ix_consultations_status': ['status'],
}


def upgrade():
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        for name in OLD:
            batch_op.drop_index(name)
        for name, columns in NEW.items():
            batch_op.create_index(name, columns, unique=False)


def downgrade():
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        for name in NEW:
            batch_op.drop_index(name)
        for name, columns in OLD.items():
            batch_op.create_index(name, columns, unique=False)
