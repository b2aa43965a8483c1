"""districts choose the rulebook their committees' votes are decided by

Revision ID: 3f2a9c1d7e54
Revises: 8cb067867d91
Create Date: 2026-12-06 15:00:00

Existing districts get the national default; votes already decided keep the rules stored with
them, and votes open now keep the rules they were opened under.
"""
from alembic import op
import sqlalchemy as sa


revision = '3f2a9c1d7e54'
down_revision = '8cb067867d91'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('districts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rulebook', sa.String(length=32), nullable=False,
                                      server_default='national_2018'))


def downgrade():
    with op.batch_alter_table('districts', schema=None) as batch_op:
        batch_op.drop_column('rulebook')
