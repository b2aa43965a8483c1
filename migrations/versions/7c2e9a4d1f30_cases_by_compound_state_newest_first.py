"""Index cases by compound and state, newest first (replaces the index on compound and state)

Revision ID: 7c2e9a4d1f30
Revises: 9b3e7f21c4d8
Create Date: 2026-11-26 10:40:00

A liaison's list (three compounds, one state) sorted every matching case to show the newest
fifty: 927 rows read from the table at a million cases on PostgreSQL, ~1 ms. With the time and
id in the index the list picks its fifty ids from the index alone and reads only those rows.
The new index starts with compound and state, so it serves everything the old one did.
"""
from alembic import op

revision = '7c2e9a4d1f30'
down_revision = '9b3e7f21c4d8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_compound_state_raised_at_id',
                              ['compound_id', 'state', 'raised_at', 'id'], unique=False)
        batch_op.drop_index('ix_cases_compound_state')


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_compound_state', ['compound_id', 'state'], unique=False)
        batch_op.drop_index('ix_cases_compound_state_raised_at_id')
