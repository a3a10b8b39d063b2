"""bulletin sections: drafts, proposals, fastställda versions with their published figures, and each revision

Revision ID: 0015
Revises: 0014

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('bulletins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('figures_json', sa.Text(), nullable=True),
    sa.Column('follows_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('fixed_by_id', sa.Integer(), nullable=True),
    sa.Column('fixed_at', sa.DateTime(), nullable=True),
    sa.Column('edit_version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('body', sa.Text(), nullable=True),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_bulletins_created_by_id_users')),
    sa.ForeignKeyConstraint(['fixed_by_id'], ['users.id'], name=op.f('fk_bulletins_fixed_by_id_users')),
    sa.ForeignKeyConstraint(['follows_id'], ['bulletins.id'], name=op.f('fk_bulletins_follows_id_bulletins'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'], name=op.f('fk_bulletins_proposed_by_id_users')),
    sa.CheckConstraint("status IN ('draft', 'proposed', 'fixed')", name=op.f('ck_bulletins_status_code')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bulletins')),
    sa.UniqueConstraint('uuid', name=op.f('uq_bulletins_uuid'))
    )
    with op.batch_alter_table('bulletins', schema=None) as batch_op:
        batch_op.create_index('ix_bulletins_status_period', ['status', 'period_start', 'period_end'], unique=False)

    op.create_table('bulletin_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bulletin_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('body', sa.Text(), nullable=True),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_bulletin_revisions_author_id_users')),
    sa.ForeignKeyConstraint(['bulletin_id'], ['bulletins.id'], name=op.f('fk_bulletin_revisions_bulletin_id_bulletins'), ondelete='CASCADE'),
    sa.CheckConstraint("action IN ('generated', 'regenerated', 'edited', 'proposed', 'returned', 'fixed')", name=op.f('ck_bulletin_revisions_action_code')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bulletin_revisions')),
    sa.UniqueConstraint('uuid', name=op.f('uq_bulletin_revisions_uuid'))
    )
    with op.batch_alter_table('bulletin_revisions', schema=None) as batch_op:
        batch_op.create_index('ix_bulletin_revisions_bulletin', ['bulletin_id', 'id'], unique=False)

    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.create_index('ix_consultations_bulletin', ['received_on', 'follows_up_id', 'area', 'sector',
                                                            'person_count', 'referred_to_partner_id'], unique=False)


def downgrade():
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.drop_index('ix_consultations_bulletin')

    with op.batch_alter_table('bulletin_revisions', schema=None) as batch_op:
        batch_op.drop_index('ix_bulletin_revisions_bulletin')

    op.drop_table('bulletin_revisions')
    with op.batch_alter_table('bulletins', schema=None) as batch_op:
        batch_op.drop_index('ix_bulletins_status_period')

    op.drop_table('bulletins')
