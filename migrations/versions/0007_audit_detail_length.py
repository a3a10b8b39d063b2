"""audit detail long enough for the list of fields an edit changed

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.alter_column('detail', existing_type=sa.String(length=64), type_=sa.String(length=255),
                              existing_nullable=True)


def downgrade():
    # Shortening a detail would change a chained event (audit verify would fail): refuse instead.
    longer = op.get_bind().execute(sa.text("SELECT count(*) FROM audit_events WHERE length(detail) > 64")).scalar()
    if longer:
        raise RuntimeError(f"{longer} audit events have a detail longer than 64 characters; "
                           "downgrading would alter the audit trail")
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.alter_column('detail', existing_type=sa.String(length=255), type_=sa.String(length=64),
                              existing_nullable=True)
