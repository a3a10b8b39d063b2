"""the partner register, activities (trainings and meetings), initiatives and their progress notes; a consultation's referral may name a partner

Existing free-text referrals are matched to partners by the application, which holds
the keys (`flask --app wsgi partners link-referrals`, run by `make migrate` and after
an import of partners).

Revision ID: 0014
Revises: 0013

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('partners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_key', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('area', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('next_step_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('next_step', sa.Text(), nullable=True),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.CheckConstraint("area IN ('hrv', 'vbe', 'both')", name=op.f('ck_partners_area_code')),
    sa.CheckConstraint("kind IN ('authority', 'municipal', 'region', 'nonprofit', 'faith', 'association', 'academia', 'business')", name=op.f('ck_partners_kind_code')),
    sa.CheckConstraint("status IN ('active', 'potential', 'dormant')", name=op.f('ck_partners_status_code')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partners')),
    sa.UniqueConstraint('name_key', name=op.f('uq_partners_name_key')),
    sa.UniqueConstraint('uuid', name=op.f('uq_partners_uuid'))
    )
    with op.batch_alter_table('partners', schema=None) as batch_op:
        batch_op.create_index('ix_partners_kind_name', ['kind', 'name_key'], unique=False)
        batch_op.create_index('ix_partners_status_name', ['status', 'name_key'], unique=False)

    op.create_table('initiatives',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('area', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.CheckConstraint('ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on', name=op.f('ck_initiatives_ends_after_start')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_initiatives_created_by_id_users')),
    sa.CheckConstraint("area IN ('hrv', 'vbe', 'both')", name=op.f('ck_initiatives_area_code')),
    sa.CheckConstraint("kind IN ('project', 'action_plan', 'collaboration', 'development')", name=op.f('ck_initiatives_kind_code')),
    sa.CheckConstraint("status IN ('planned', 'ongoing', 'paused', 'closed')", name=op.f('ck_initiatives_status_code')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_initiatives')),
    sa.UniqueConstraint('uuid', name=op.f('uq_initiatives_uuid'))
    )
    with op.batch_alter_table('initiatives', schema=None) as batch_op:
        batch_op.create_index('ix_initiatives_status_updated', ['status', 'updated_at', 'id'], unique=False)

    op.create_table('partner_contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('role', sa.Text(), nullable=True),
    sa.Column('email', sa.Text(), nullable=True),
    sa.Column('phone', sa.Text(), nullable=True),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_partner_contacts_partner_id_partners'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_contacts')),
    sa.UniqueConstraint('uuid', name=op.f('uq_partner_contacts_uuid'))
    )
    with op.batch_alter_table('partner_contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_contacts_partner_id'), ['partner_id'], unique=False)

    op.create_table('partner_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('line_count', sa.Integer(), nullable=False),
    sa.Column('content', sa.Text(), nullable=True),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_partner_imports_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_imports')),
    sa.UniqueConstraint('uuid', name=op.f('uq_partner_imports_uuid'))
    )
    with op.batch_alter_table('partner_imports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_imports_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_partner_imports_created_by_id'), ['created_by_id'], unique=False)

    op.create_table('partner_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('taken_on', sa.Date(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_partner_steps_created_by_id_users')),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_partner_steps_partner_id_partners'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_steps')),
    sa.UniqueConstraint('uuid', name=op.f('uq_partner_steps_uuid'))
    )
    with op.batch_alter_table('partner_steps', schema=None) as batch_op:
        batch_op.create_index('ix_partner_steps_partner_taken', ['partner_id', 'taken_on', 'id'], unique=False)

    op.create_table('activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('our_role', sa.String(length=20), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('latest_on', sa.Date(), nullable=False),
    sa.Column('day_fixed', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('area', sa.String(length=10), nullable=False),
    sa.Column('format', sa.String(length=10), nullable=False),
    sa.Column('audience_sector', sa.String(length=30), nullable=True),
    sa.Column('participants', sa.Integer(), nullable=True),
    sa.Column('initiative_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('audience', sa.Text(), nullable=True),
    sa.Column('bulletin_line', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.CheckConstraint('latest_on >= starts_on', name=op.f('ck_activities_latest_after_start')),
    sa.CheckConstraint('participants IS NULL OR (participants >= 0 AND participants <= 100000)', name=op.f('ck_activities_participants_in_range')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_activities_created_by_id_users')),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiatives.id'], name=op.f('fk_activities_initiative_id_initiatives'), ondelete='SET NULL'),
    sa.CheckConstraint("area IN ('hrv', 'vbe', 'both')", name=op.f('ck_activities_area_code')),
    sa.CheckConstraint("audience_sector IS NULL OR audience_sector IN ('social_children', 'social_adults', 'preschool', 'compulsory_school', 'upper_secondary', 'student_health', 'health_care', 'police', 'probation', 'leisure', 'civil_society', 'other')", name=op.f('ck_activities_audience_sector_code')),
    sa.CheckConstraint("format IN ('in_person', 'digital', 'both')", name=op.f('ck_activities_format_code')),
    sa.CheckConstraint("kind IN ('training', 'information', 'seminar', 'lecture', 'further_training', 'network_meeting', 'cooperation_meeting', 'steering_group', 'campaign')", name=op.f('ck_activities_kind_code')),
    sa.CheckConstraint("our_role IN ('organiser', 'contributor', 'participant')", name=op.f('ck_activities_our_role_code')),
    sa.CheckConstraint("status IN ('planned', 'done', 'cancelled')", name=op.f('ck_activities_status_code')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities')),
    sa.UniqueConstraint('uuid', name=op.f('uq_activities_uuid'))
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index('ix_activities_area_starts', ['area', 'starts_on', 'id'], unique=False)
        batch_op.create_index('ix_activities_initiative_starts', ['initiative_id', 'starts_on'], unique=False)
        batch_op.create_index('ix_activities_kind_starts', ['kind', 'starts_on', 'id'], unique=False)
        batch_op.create_index('ix_activities_starts_id', ['starts_on', 'id'], unique=False)
        batch_op.create_index('ix_activities_status_latest', ['status', 'latest_on', 'id'], unique=False)
        batch_op.create_index('ix_activities_status_starts', ['status', 'starts_on', 'id'], unique=False)

    op.create_table('initiative_partners',
    sa.Column('initiative_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiatives.id'], name=op.f('fk_initiative_partners_initiative_id_initiatives'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_initiative_partners_partner_id_partners'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('initiative_id', 'partner_id', name=op.f('pk_initiative_partners'))
    )
    with op.batch_alter_table('initiative_partners', schema=None) as batch_op:
        batch_op.create_index('ix_initiative_partners_partner', ['partner_id', 'initiative_id'], unique=False)

    op.create_table('progress_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('initiative_id', sa.Integer(), nullable=False),
    sa.Column('noted_on', sa.Date(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('bulletin_line', sa.Text(), nullable=True),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_progress_notes_created_by_id_users')),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiatives.id'], name=op.f('fk_progress_notes_initiative_id_initiatives'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_progress_notes')),
    sa.UniqueConstraint('uuid', name=op.f('uq_progress_notes_uuid'))
    )
    with op.batch_alter_table('progress_notes', schema=None) as batch_op:
        batch_op.create_index('ix_progress_notes_initiative_noted', ['initiative_id', 'noted_on', 'id'], unique=False)
        batch_op.create_index('ix_progress_notes_noted', ['noted_on', 'id'], unique=False)

    op.create_table('activity_partners',
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_activity_partners_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_activity_partners_partner_id_partners'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('activity_id', 'partner_id', name=op.f('pk_activity_partners'))
    )
    with op.batch_alter_table('activity_partners', schema=None) as batch_op:
        batch_op.create_index('ix_activity_partners_partner', ['partner_id', 'activity_id'], unique=False)

    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('referred_to_partner_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_consultations_referred_to_partner_id'), ['referred_to_partner_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_consultations_referred_to_partner_id_partners'), 'partners', ['referred_to_partner_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_consultations_referred_to_partner_id_partners'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_consultations_referred_to_partner_id'))
        batch_op.drop_column('referred_to_partner_id')

    with op.batch_alter_table('activity_partners', schema=None) as batch_op:
        batch_op.drop_index('ix_activity_partners_partner')

    op.drop_table('activity_partners')
    with op.batch_alter_table('progress_notes', schema=None) as batch_op:
        batch_op.drop_index('ix_progress_notes_noted')
        batch_op.drop_index('ix_progress_notes_initiative_noted')

    op.drop_table('progress_notes')
    with op.batch_alter_table('initiative_partners', schema=None) as batch_op:
        batch_op.drop_index('ix_initiative_partners_partner')

    op.drop_table('initiative_partners')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index('ix_activities_status_starts')
        batch_op.drop_index('ix_activities_status_latest')
        batch_op.drop_index('ix_activities_starts_id')
        batch_op.drop_index('ix_activities_kind_starts')
        batch_op.drop_index('ix_activities_initiative_starts')
        batch_op.drop_index('ix_activities_area_starts')

    op.drop_table('activities')
    with op.batch_alter_table('partner_steps', schema=None) as batch_op:
        batch_op.drop_index('ix_partner_steps_partner_taken')

    op.drop_table('partner_steps')
    with op.batch_alter_table('partner_imports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_imports_created_by_id'))
        batch_op.drop_index(batch_op.f('ix_partner_imports_created_at'))

    op.drop_table('partner_imports')
    with op.batch_alter_table('partner_contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_contacts_partner_id'))

    op.drop_table('partner_contacts')
    with op.batch_alter_table('initiatives', schema=None) as batch_op:
        batch_op.drop_index('ix_initiatives_status_updated')

    op.drop_table('initiatives')
    with op.batch_alter_table('partners', schema=None) as batch_op:
        batch_op.drop_index('ix_partners_status_name')
        batch_op.drop_index('ix_partners_kind_name')

    op.drop_table('partners')
