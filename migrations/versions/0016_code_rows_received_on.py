"""code rows carry their consultation's received date, indexed for the bulletin's counts

Revision ID: 0016
Revises: 0015
"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('consultation_codes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('received_on', sa.Date(), nullable=True))
    op.execute("UPDATE consultation_codes SET received_on = (SELECT consultations.received_on FROM consultations "
               "WHERE consultations.id = consultation_codes.consultation_id)")
    with op.batch_alter_table('consultation_codes', schema=None) as batch_op:
        batch_op.alter_column('received_on', existing_type=sa.Date(), nullable=False)
        batch_op.create_index('ix_consultation_codes_field_received',
                              ['field', 'received_on', 'code', 'consultation_id'], unique=False)


def downgrade():
    with op.batch_alter_table('consultation_codes', schema=None) as batch_op:
        batch_op.drop_index('ix_consultation_codes_field_received')
        batch_op.drop_column('received_on')
