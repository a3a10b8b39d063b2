"""blind index of consultation text for search

The rows are filled by the application (`flask --app wsgi search reindex`, which
`make run` runs after migrating), because only it holds the keys.

Revision ID: 0011
Revises: 0010
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'consultation_search_terms',
        sa.Column('consultation_id', sa.Integer(), nullable=False),
        sa.Column('key_id', sa.String(length=40), nullable=False),
        sa.Column('term', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'],
                                name=op.f('fk_consultation_search_terms_consultation_id_consultations'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('consultation_id', 'key_id', 'term', name=op.f('pk_consultation_search_terms')),
    )
    with op.batch_alter_table('consultation_search_terms', schema=None) as batch_op:
        batch_op.create_index('ix_consultation_search_terms_term', ['key_id', 'term', 'consultation_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('consultation_search_terms', schema=None) as batch_op:
        batch_op.drop_index('ix_consultation_search_terms_term')
    op.drop_table('consultation_search_terms')
