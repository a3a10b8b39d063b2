"""multi-valued consultation codes as rows; follow-up links set to NULL on delete

The six multi-valued fields (genders, age bands, HRV forms, perpetrators, VBE
concerns, advice given) were comma-separated strings in ``consultations``; they
become rows of ``consultation_codes(consultation_id, field, code)`` so that the
bulletin counts them with GROUP BY. Existing values are moved, then the old
columns are dropped. ``follows_up_id`` gets ON DELETE SET NULL, so that removing
an old consultation (retention) keeps the newer one that followed it up.

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

FIELDS = ("genders", "age_bands", "hrv_forms", "perpetrators", "vbe_concerns", "advice_given")
BATCH = 1000

codes = sa.table(
    "consultation_codes",
    sa.column("consultation_id", sa.Integer), sa.column("field", sa.String), sa.column("code", sa.String),
)


def _consultations(*columns):
    return sa.table("consultations", sa.column("id", sa.Integer), *(sa.column(c, sa.String) for c in columns))


def upgrade():
    op.create_table(
        'consultation_codes',
        sa.Column('consultation_id', sa.Integer(), nullable=False),
        sa.Column('field', sa.String(length=30), nullable=False),
        sa.Column('code', sa.String(length=30), nullable=False),
        sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'],
                                name=op.f('fk_consultation_codes_consultation_id_consultations'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('consultation_id', 'field', 'code', name=op.f('pk_consultation_codes')),
    )
    with op.batch_alter_table('consultation_codes', schema=None) as batch_op:
        batch_op.create_index('ix_consultation_codes_field_code', ['field', 'code', 'consultation_id'],
                              unique=False)

    _move_strings_to_rows()

    with op.batch_alter_table('consultations', schema=None) as batch_op:
        for name in FIELDS:
            batch_op.drop_column(name)
        batch_op.drop_constraint('fk_consultations_follows_up_id_consultations', type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_consultations_follows_up_id_consultations'),
                                    'consultations', ['follows_up_id'], ['id'], ondelete='SET NULL')


def _move_strings_to_rows():
    bind = op.get_bind()
    source = _consultations(*FIELDS)
    last_id = 0
    while True:
        rows = bind.execute(
            sa.select(source).where(source.c.id > last_id).order_by(source.c.id).limit(BATCH)
        ).all()
        if not rows:
            return
        values = [
            {"consultation_id": row.id, "field": name, "code": code}
            for row in rows for name in FIELDS
            for code in sorted(set(filter(None, (getattr(row, name) or "").split(","))))
        ]
        if values:
            bind.execute(codes.insert(), values)
        last_id = rows[-1].id


def downgrade():
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        for name in FIELDS:
            batch_op.add_column(sa.Column(name, sa.String(length=200), nullable=False, server_default=''))
        batch_op.drop_constraint('fk_consultations_follows_up_id_consultations', type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_consultations_follows_up_id_consultations'),
                                    'consultations', ['follows_up_id'], ['id'])

    bind = op.get_bind()
    target = _consultations(*FIELDS)
    joined = {}
    for row in bind.execute(sa.select(codes).order_by(codes.c.consultation_id, codes.c.field, codes.c.code)):
        joined.setdefault(row.consultation_id, {}).setdefault(row.field, []).append(row.code)
    for consultation_id, fields in joined.items():
        bind.execute(target.update().where(target.c.id == consultation_id)
                     .values({name: ",".join(values) for name, values in fields.items()}))

    with op.batch_alter_table('consultation_codes', schema=None) as batch_op:
        batch_op.drop_index('ix_consultation_codes_field_code')
    op.drop_table('consultation_codes')
