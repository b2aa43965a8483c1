"""agenda items record a deferral or that no decision is needed

Revision ID: d2a6b8c4e1f7
Revises: 7a1c5e9b2d80
Create Date: 2026-12-06 10:00:00

Empty for every existing item: its outcome is its resolution's, or it was carried over.
"""
from alembic import op
import sqlalchemy as sa


revision = 'd2a6b8c4e1f7'
down_revision = '7a1c5e9b2d80'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('disposal', sa.Enum('deferred', 'no_decision',
                                                          name='itemdisposal',
                                                          native_enum=False, length=16),
                                      nullable=True))
        batch_op.add_column(sa.Column('disposal_note', sa.String(length=500), nullable=False,
                                      server_default=''))
    # The default only fills the existing rows; new ones get theirs from the application.
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.alter_column('disposal_note', server_default=None)


def downgrade():
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_column('disposal_note')
        batch_op.drop_column('disposal')
