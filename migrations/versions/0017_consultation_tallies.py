"""the bulletin's per-day tallies of consultations (field, day, code, n), counted from the register

Revision ID: 0017
Revises: 0016
"""
from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

# What every consultation counts for, as the application counted it when this migration was
# written (coordinator/bulletin/tallies.py); `flask bulletin recount` recounts with today's rule.
_PERSONS = ("CASE person_count WHEN '1' THEN 1 WHEN '2-3' THEN 2 WHEN '4+' THEN 4 ELSE 1 END")
_COUNTED = f"""
SELECT 'total' AS field, received_on AS day, '' AS code, count(*) AS n FROM consultations GROUP BY received_on
UNION ALL
SELECT 'new', received_on, '', count(*) FROM consultations WHERE follows_up_id IS NULL GROUP BY received_on
UNION ALL
SELECT 'persons', received_on, '', sum({_PERSONS}) FROM consultations WHERE follows_up_id IS NULL
  GROUP BY received_on
UNION ALL
SELECT 'referred_to', received_on, CAST(referred_to_partner_id AS VARCHAR(40)), count(*) FROM consultations
  WHERE referred_to_partner_id IS NOT NULL GROUP BY received_on, referred_to_partner_id
UNION ALL
SELECT 'area', received_on, area, count(*) FROM consultations GROUP BY received_on, area
UNION ALL
SELECT 'sector', received_on, sector, count(*) FROM consultations GROUP BY received_on, sector
UNION ALL
SELECT 'channel', received_on, channel, count(*) FROM consultations GROUP BY received_on, channel
UNION ALL
SELECT 'urgency', received_on, urgency, count(*) FROM consultations GROUP BY received_on, urgency
UNION ALL
SELECT field, received_on, code, count(*) FROM consultation_codes GROUP BY field, received_on, code
UNION ALL
SELECT 'minors', received_on, '', count(DISTINCT consultation_id) FROM consultation_codes
  WHERE field = 'age_bands' AND code IN ('0-12', '13-17') GROUP BY received_on
"""


def upgrade():
    op.create_table('consultation_tallies',
    sa.Column('field', sa.String(length=30), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('field', 'day', 'code', name=op.f('pk_consultation_tallies'))
    )
    op.execute(f"INSERT INTO consultation_tallies (field, day, code, n) SELECT field, day, code, sum(n) "
               f"FROM ({_COUNTED}) AS counted GROUP BY field, day, code")


def downgrade():
    op.drop_table('consultation_tallies')
