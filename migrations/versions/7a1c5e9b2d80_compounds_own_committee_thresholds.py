"""a compound's own, stricter owners' committee quorum and majority

Revision ID: 7a1c5e9b2d80
Revises: 3f2a9c1d7e54
Create Date: 2026-12-06 15:10:00

Empty for every existing compound: its committee follows the district's regulation.
"""
from alembic import op
import sqlalchemy as sa


revision = '7a1c5e9b2d80'
down_revision = '3f2a9c1d7e54'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('compounds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('committee_quorum', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('committee_approval', sa.String(length=32), nullable=True))


def downgrade():
    with op.batch_alter_table('compounds', schema=None) as batch_op:
        batch_op.drop_column('committee_approval')
        batch_op.drop_column('committee_quorum')
