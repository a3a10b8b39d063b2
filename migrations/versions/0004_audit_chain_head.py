"""audit chain head: serialises writers and anchors the end of the chain

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24

"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

GENESIS = "0" * 64


def upgrade():
    head = op.create_table(
        'audit_chain_head',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('head_hash', sa.String(length=64), nullable=False),
        sa.Column('length', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_chain_head')),
    )
    # Start the head from the events already written.
    connection = op.get_bind()
    last = connection.execute(sa.text("SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1")).scalar()
    count = connection.execute(sa.text("SELECT count(*) FROM audit_events")).scalar()
    op.bulk_insert(head, [{"id": 1, "head_hash": last or GENESIS, "length": count}])


def downgrade():
    op.drop_table('audit_chain_head')
